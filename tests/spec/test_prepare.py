"""A Swagger 2.0 document converted and a multi-file document bundled before normalizing (spec/prepare.py), by the
npm tools pinned in scripts/convert; what no tool is let near (URLs, files outside the spec's folder)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.spec.prepare import TOOLS, prepare_spec
from sdkpipeline.spec.repo import Repo

REPRODUCERS = Path(__file__).resolve().parents[1] / "data" / "reproducers"


def test_a_single_openapi_file_is_read_as_it_is() -> None:
    spec = REPRODUCERS / "integer_response_codes.yaml"
    prepared = prepare_spec(spec, repo=Repo.default())
    assert (prepared.file, prepared.steps) == (spec, ())
    assert set(prepared.document["paths"]["/tasks"]["get"]["responses"]) == {"200", "404"}


@pytest.mark.slow
def test_swagger_2_is_converted_with_the_pinned_tool() -> None:
    prepared = prepare_spec(REPRODUCERS / "swagger2" / "kennel.yaml", repo=Repo.default())
    assert prepared.steps == (f"converted from Swagger 2.0 by swagger2openapi {TOOLS['swagger2openapi']}",)
    doc = prepared.document
    assert doc["openapi"] == "3.0.0"
    assert doc["paths"]["/dogs"]["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Dog"
    }
    assert doc["components"]["schemas"]["Dog"]["properties"]["born"]["example"] == "2020-01-31"
    assert prepared.file.read_text(encoding="utf-8").startswith("# kennel.yaml, converted from Swagger 2.0")


@pytest.mark.slow
def test_a_document_over_several_files_is_bundled() -> None:
    prepared = prepare_spec(REPRODUCERS / "multi_file" / "openapi.yaml", repo=Repo.default())
    assert prepared.steps == (f"bundled from 5 files by @redocly/cli {TOOLS['@redocly/cli']}",)
    doc = prepared.document
    assert set(doc["components"]["schemas"]) == {"order", "line"}
    assert doc["paths"]["/orders/{orderId}"]["get"]["parameters"] == [{"$ref": "#/components/parameters/OrderId"}]


def test_a_reference_to_a_url_or_outside_the_folder_is_refused_before_any_tool_runs(tmp_path: Path) -> None:
    folder = tmp_path / "api"
    folder.mkdir()
    (tmp_path / "secret.yaml").write_text("key: value\n", encoding="utf-8")
    spec = folder / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n"
        "  /a: {$ref: 'https://example.invalid/paths.yaml'}\n"
        "  /b: {$ref: '../secret.yaml'}\n",
        encoding="utf-8",
    )
    with pytest.raises(PipelineError) as info:
        prepare_spec(spec, repo=Repo.default())
    assert "$ref 'https://example.invalid/paths.yaml' points to a URL: the pipeline reads no network" in str(info.value)
    assert "$ref '../secret.yaml' points outside the spec's folder" in str(info.value)


def test_a_missing_part_is_named(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    shutil.copy(REPRODUCERS / "multi_file" / "openapi.yaml", spec)
    with pytest.raises(PipelineError, match=r"\$ref 'paths/orders.yaml' points into another file, which does not"):
        prepare_spec(spec, repo=Repo.default())


def test_the_tools_install_from_a_lock_with_integrity_hashes() -> None:
    """scripts/convert: `npm ci` installs exactly package-lock.json (pinning TOOLS), each package with its sha512."""
    folder = Repo.default().convert_pin
    manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((folder / "package-lock.json").read_text(encoding="utf-8"))
    assert manifest["dependencies"] == TOOLS == lock["packages"][""]["dependencies"]
    packages = {path: entry for path, entry in lock["packages"].items() if path}
    assert packages
    assert [path for path, entry in packages.items() if not entry.get("integrity", "").startswith("sha512-")] == []
