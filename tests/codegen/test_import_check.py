"""The import check before the swap: every module imports, both clients construct, every resource is reached.

A module the package loads only on first use (a resource, an endpoint, a model) used to be left out, so a
package that failed in the user's hands was reported as a success.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkpipeline.cli import main

from ..conftest import copy_repo

pytestmark = pytest.mark.slow

NOTES = Path(__file__).resolve().parents[1] / "data" / "specs" / "notes.yaml"


def test_a_resource_module_that_fails_refuses_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_repo(tmp_path / "repo", apis=[], generated=False)
    template = repo.templates / "sdk" / "resources" / "{resource}.py.jinja"
    # A resource module that fails when loaded (as a NameError in an annotation would): the package still imports.
    template.write_text(template.read_text(encoding="utf-8") + "\nraise RuntimeError('broken on purpose')\n", "utf-8")
    output = tmp_path / "out"
    code = main(["--root", str(repo.root), "generate", "--spec", str(NOTES), "--output", str(output)])
    err = capsys.readouterr().err
    assert code == 1
    assert "the generated package does not work; nothing was written:" in err
    assert "sticky_notes_client.resources.notes: RuntimeError: broken on purpose" in err
    assert "sticky_notes_client.resources.notes (StickyNotes.notes): RuntimeError" in err
    assert "sticky_notes_client.resources.notes (AsyncStickyNotes.notes): RuntimeError" in err
    assert not output.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]
