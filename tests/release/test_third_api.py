"""README "Adding a third API", run step by step on a copy of the repository: registry entry, generation, the
first release, drift, and the next vendor document taken with `update_specs`.

Recording its fixtures and running the contract suite on them need Prism and the contract dependency group:
tests/contract/test_third_api.py goes on from the same steps.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from sdkpipeline import cli
from sdkpipeline.release.changelog import entry_summary, newest_entry
from sdkpipeline.release.update import update_spec
from sdkpipeline.spec.lock import load_lock
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import dump_document, load_document

from ..conftest import copy_repo
from .third_api import DIST, NAME, PACKAGE, add_third_api


@pytest.mark.slow
def test_a_third_api_from_its_registry_entry_to_its_second_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each README step, in order; what a maintainer sees between them is asserted too."""
    repo = copy_repo(tmp_path / "repo", apis=[])
    root = ["--root", str(repo.root)]
    spec = add_third_api(repo)
    api = load_registry(repo)[NAME]
    assert api.display_name == "Bookshelf"

    # 3. generate: the package, its normalized spec and its names record
    assert cli.main([*root, "generate", NAME]) == 0
    assert (repo.generated / DIST / PACKAGE / "__init__.py").is_file()
    assert (spec.parent / "names.yaml").is_file() and api.normalized_spec.is_file()
    capsys.readouterr()

    # before the first release, drift names the command that makes it
    assert cli.main([*root, "drift", NAME]) == 1
    assert f"nox -s release -- {NAME} --initial" in capsys.readouterr().out

    # 4. the first release: the CHANGELOG's first entry at the registry's version, from the locked spec
    assert cli.main([*root, "release", NAME, "--initial"]) == 0
    assert f"{NAME}: first release, 0.1.0" in capsys.readouterr().out
    changelog = api.changelog.read_text(encoding="utf-8")
    assert newest_entry(changelog) == ("0.1.0", load_lock(repo.lock_file)[NAME].sha256)
    assert entry_summary(changelog.split("\n## ")[1]) == [
        f"first release: `{DIST}` 0.1.0, generated from the Bookshelf API description"
    ]
    assert (repo.generated / DIST / "CHANGELOG.md").read_text(encoding="utf-8").endswith(changelog)

    # 5. drift passes, and a second first release is refused
    assert cli.main([*root, "drift", NAME]) == 0
    assert cli.main([*root, "release", NAME, "--initial"]) == 1
    assert "has been released already" in capsys.readouterr().err

    # from now on the API is released like the others: the vendor's next document
    doc = load_document(spec)
    doc["paths"]["/books"]["get"]["parameters"].append(
        {"name": "sort", "in": "query", "required": False, "schema": {"type": "string"}}
    )
    new = tmp_path / "next.yaml"
    new.write_text(dump_document(doc), encoding="utf-8")
    update = update_spec(NAME, source=str(new), repo=repo, today=datetime.date(2027, 4, 1))
    assert update.new_version == "0.1.1", "additive below 1.0 is a patch"
    assert entry_summary(update.entry)[0] == "additive: optional parameter `sort` (query) added (GET /books)"
    assert cli.main([*root, "drift", NAME]) == 0
