"""Compiled templates are kept between runs in the repository's `.cache/jinja` (generator.install_bytecode_cache):
a second run compiles none, an edited template is compiled anew, and a folder that cannot be made is no error."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkpipeline.cli import main

from ..conftest import copy_repo, snapshot

pytestmark = pytest.mark.slow

NOTES = Path(__file__).resolve().parents[1] / "data" / "specs" / "notes.yaml"


def _generate(root: Path, output: Path) -> None:
    assert main(["--root", str(root), "generate", "--spec", str(NOTES), "--output", str(output)]) == 0


def _entries(root: Path) -> dict[str, int]:
    """Each cache file and when it was written: Jinja writes one only when it compiled that template."""
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in (root / ".cache" / "jinja").rglob("*.cache")}


def test_a_second_run_compiles_no_template_and_writes_the_same_package(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo", apis=[], generated=False)
    _generate(repo.root, tmp_path / "first")
    written = _entries(repo.root)
    # The generator's own templates and ours, in the main process and the SDK layer's child.
    assert len(written) >= 30
    _generate(repo.root, tmp_path / "second")
    assert _entries(repo.root) == written
    assert snapshot(tmp_path / "second") == snapshot(tmp_path / "first")


def test_an_edited_template_is_compiled_anew(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo", apis=[], generated=False)
    _generate(repo.root, tmp_path / "first")
    written = _entries(repo.root)
    template = repo.templates / "sdk" / "resources" / "{resource}.py.jinja"
    template.write_text(template.read_text(encoding="utf-8") + "\nEDITED_SINCE_THE_LAST_RUN = 1\n", "utf-8")
    _generate(repo.root, tmp_path / "second")
    resource = tmp_path / "second" / "sticky_notes_client" / "resources" / "notes.py"
    assert "EDITED_SINCE_THE_LAST_RUN = 1" in resource.read_text(encoding="utf-8")
    rewritten = [name for name, when in _entries(repo.root).items() if written.get(name) != when]
    assert len(rewritten) == 1  # that template's entry, and no other


def test_a_cache_folder_that_cannot_be_made_is_no_error(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo", apis=[], generated=False)
    (repo.root / ".cache").write_text("a file where the folder would be", encoding="utf-8")
    _generate(repo.root, tmp_path / "out")
    assert (tmp_path / "out" / "sticky_notes_client" / "resources" / "notes.py").is_file()
    assert (repo.root / ".cache").read_text(encoding="utf-8") == "a file where the folder would be"
