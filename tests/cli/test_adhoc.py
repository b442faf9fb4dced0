"""Ad hoc mode as a newcomer uses it: `sdkpipeline generate --spec FILE --output DIR`.

It writes only inside DIR; the distribution, package and client class come from the flags or `info.title`,
never from the folder; the package README shows only the sections that apply, and every python block of
it runs against a mock of the API.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sdkpipeline.cli import main
from sdkpipeline.perf.bench import BodyBuilder, response_schema
from sdkpipeline.spec.yamlio import load_document

from ..httpx_routing import route_httpx_to
from ..readme_examples import run_testing_example

pytestmark = pytest.mark.slow

NOTES = Path(__file__).resolve().parents[1] / "data" / "specs" / "notes.yaml"
BASE_URL = "https://api.example.com"  # what the README passes when the spec names no server


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The notes spec (no pagination, no security, no server) generated into a folder named `pet`."""
    output = tmp_path_factory.mktemp("adhoc") / "pet"
    assert main(["generate", "--spec", str(NOTES), "--output", str(output)]) == 0
    return output


def test_writes_only_inside_its_output_folder(notes: Path) -> None:
    assert [p.name for p in notes.parent.iterdir()] == ["pet"]  # no normalized spec, staging or backup beside it
    written = sorted(str(p.relative_to(notes)) for p in notes.rglob("*") if p.is_dir())
    assert not [d for d in written if "cache" in d or "__pycache__" in d], written  # no .ruff_cache, no bytecode
    assert (notes / "notes.normalized.yaml").is_file()


def test_names_come_from_the_title_not_the_folder(notes: Path) -> None:
    """`Sticky Notes - OpenAPI 3.0` in a folder called `pet`: never `pip install pet`, never a class `Client`."""
    assert re.search(r'^name = "sticky-notes-client"$', (notes / "pyproject.toml").read_text("utf-8"), re.M)
    assert (notes / "sticky_notes_client" / "_client.py").is_file()
    readme = (notes / "README.md").read_text(encoding="utf-8")
    assert "pip install sticky-notes-client\n" in readme
    assert "from sticky_notes_client import StickyNotes\n" in readme


def test_flags_name_the_package(tmp_path: Path) -> None:
    output = tmp_path / "out"
    flags = ["--dist-name", "acme-notes", "--package", "acme", "--client-class", "Acme"]
    assert main(["generate", "--spec", str(NOTES), "--output", str(output), *flags]) == 0
    assert re.search(r'^name = "acme-notes"$', (output / "pyproject.toml").read_text("utf-8"), re.M)
    assert "class Acme(SyncAPIClient):" in (output / "acme" / "_client.py").read_text(encoding="utf-8")


def test_a_client_class_that_would_shadow_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out"
    assert main(["generate", "--spec", str(NOTES), "--output", str(output), "--client-class", "Client"]) == 1
    assert "--client-class 'Client' would shadow the package's own Client" in capsys.readouterr().err
    assert not tmp_path.joinpath("out").exists()


def test_sections_show_only_when_they_apply(notes: Path) -> None:
    readme = (notes / "README.md").read_text(encoding="utf-8")
    assert "## Authentication" not in readme  # no security scheme
    assert "## Pagination" not in readme and "async for" not in readme  # `notes.list()` returns a plain list
    assert "## Raw responses" in readme and "## Errors" in readme  # these apply to every API


@pytest.fixture
def imported(notes: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The generated package importable, and gone from sys.modules afterwards."""
    monkeypatch.syspath_prepend(str(notes))
    yield
    for name in [m for m in sys.modules if m == "sticky_notes_client" or m.startswith("sticky_notes_client.")]:
        del sys.modules[name]


class FakeNotes:
    """Answers each operation of the notes spec with a body built from its normalized schema; 404 for
    the id "does-not-exist"; records the requests."""

    def __init__(self, package: Path) -> None:
        self.doc = load_document(package.parent / "notes.normalized.yaml")
        self.ops = json.loads((package / "_operations.json").read_text(encoding="utf-8"))["operations"]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert str(request.url).startswith(BASE_URL), request.url
        path = request.url.path
        op = next(
            op
            for op in self.ops
            if op["method"] == request.method and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", op["path"]), path)
        )
        if path.endswith("/does-not-exist"):
            return httpx.Response(404, json={"title": "Not found", "status": 404})
        responses = self.doc["paths"][op["path"]][op["method"].lower()]["responses"]
        status = min(str(s) for s in responses if str(s).startswith("2"))
        if "content" not in responses[status]:
            return httpx.Response(int(status))
        schema = response_schema(self.doc, op["operation_id"], status)
        return httpx.Response(int(status), json=BodyBuilder(self.doc, top_items=1, nested_items=1).build(schema))


def test_every_python_block_of_the_readme_runs(notes: Path, imported: None, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeNotes(notes / "sticky_notes_client")
    route_httpx_to(monkeypatch, fake)
    readme = notes / "README.md"
    blocks = re.findall(r"^```python\n(.*?)^```$", readme.read_text(encoding="utf-8"), flags=re.M | re.S)
    assert len(blocks) >= 6, blocks
    namespace: dict[str, Any] = {"__name__": "readme_notes"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for number, block in enumerate(blocks, 1):
            try:
                exec(compile(block, f"{readme}:block{number}", "exec"), namespace)
            except Exception as exc:
                raise AssertionError(f"{readme} example {number} failed: {exc!r}\n{block}") from exc
    assert "not found: 404" in out.getvalue()  # the errors example took its NotFoundError branch
    called = {(r.method, r.url.path) for r in fake.requests}
    assert ("GET", "/notes") in called and ("DELETE", "/notes/NOTE_ID") in called


def test_the_testing_example_of_the_readme_passes(notes: Path, tmp_path: Path) -> None:
    """The "Testing your code" example runs under pytest against the package's own fake (no server in the spec)."""
    defined, passed, output = run_testing_example(notes / "README.md", tmp_path, pythonpath=[notes])
    assert defined and sorted(passed) == sorted(defined), output
