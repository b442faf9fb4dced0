"""`generate --spec FILE --output DIR` replaces DIR whole, so it refuses a folder whose files are not its own.

A folder that is not empty and holds no marker of a previous output is refused (`--force` replaces it), a
folder holding the spec or the overrides (or the working directory) is refused whatever the flags; a refused
run exits 1 with one message, writes nothing and deletes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sdkpipeline.cli import main
from sdkpipeline.codegen.generate import OUTPUT_MARKER

from ..conftest import snapshot

pytestmark = pytest.mark.slow

NOTES = Path(__file__).resolve().parents[1] / "data" / "specs" / "notes.yaml"


def _generate(spec: Path, output: Path, *flags: str) -> int:
    return main(["generate", "--spec", str(spec), "--output", str(output), *flags])


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    """The notes spec in a folder of its own."""
    folder = tmp_path / "input"
    folder.mkdir()
    return Path(shutil.copy(NOTES, folder / "notes.yaml"))


def test_a_folder_with_files_of_its_own_is_refused(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "mine"
    output.mkdir()
    (output / "notes.txt").write_text("precious", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert _generate(spec, output) == 1
    err = capsys.readouterr().err
    assert "the --output folder is not empty and no previous output of the pipeline" in err
    assert "it holds notes.txt" in err and "--force" in err and "Traceback" not in err
    assert snapshot(output) == {"notes.txt": b"precious"}
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no staging folder left beside it


def test_force_replaces_it_and_the_output_is_marked(spec: Path, tmp_path: Path) -> None:
    output = tmp_path / "mine"
    output.mkdir()
    (output / "notes.txt").write_text("old", encoding="utf-8")
    assert _generate(spec, output, "--force") == 0
    assert not (output / "notes.txt").exists()
    assert (output / OUTPUT_MARKER).is_file() and (output / "sticky_notes_client" / "__init__.py").is_file()


def test_a_previous_output_is_replaced_without_force(spec: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    assert _generate(spec, output) == 0
    (output / "sticky_notes_client" / "stale.py").write_text("# gone after the next run\n", encoding="utf-8")
    assert _generate(spec, output) == 0
    assert not (output / "sticky_notes_client" / "stale.py").exists()


def test_an_empty_folder_is_used(spec: Path, tmp_path: Path) -> None:
    output = tmp_path / "empty"
    output.mkdir()
    assert _generate(spec, output) == 0
    assert (output / OUTPUT_MARKER).is_file()


@pytest.mark.parametrize("flags", [(), ("--force",)], ids=["plain", "force"])
@pytest.mark.parametrize("which", ["spec folder", "its parent"])
def test_a_folder_holding_the_spec_is_refused_even_with_force(
    spec: Path, flags: tuple[str, ...], which: str, capsys: pytest.CaptureFixture[str]
) -> None:
    output = spec.parent if which == "spec folder" else spec.parent.parent
    before = snapshot(output)
    assert _generate(spec, output, *flags) == 1
    assert "the --output folder holds notes.yaml, which replacing the folder would delete" in capsys.readouterr().err
    assert snapshot(output) == before


def test_a_folder_holding_the_overrides_is_refused(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = tmp_path / "kept"
    kept.mkdir()
    overrides = kept / "overrides.yaml"
    overrides.write_text("patches: []\n", encoding="utf-8")
    assert _generate(spec, kept, "--overrides", str(overrides), "--force") == 1
    assert "holds overrides.yaml" in capsys.readouterr().err
    assert overrides.read_text(encoding="utf-8") == "patches: []\n"


def test_the_working_directory_is_refused(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(work)
    assert _generate(spec, work, "--force") == 1
    assert "holds the current directory" in capsys.readouterr().err
    assert (work / "keep.txt").read_text(encoding="utf-8") == "x"


def test_a_file_is_refused(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "a-file"
    output.write_text("x", encoding="utf-8")
    assert _generate(spec, output, "--force") == 1
    assert "--output is a file, not a folder" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == "x"


def test_force_needs_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--force"]) == 1
    assert "--force needs --spec and --output" in capsys.readouterr().err
