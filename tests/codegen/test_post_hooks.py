"""The post-hooks run ruff's binary directly: a missing binary is a clear error, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
import ruff

from sdkpipeline.cli import main

from ..conftest import copy_repo

pytestmark = pytest.mark.slow

NOTES = Path(__file__).resolve().parents[1] / "data" / "specs" / "notes.yaml"


def test_a_missing_ruff_binary_is_said_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_found() -> str:
        raise FileNotFoundError("Could not find the ruff binary in any of the following locations: /nowhere")

    monkeypatch.setattr(ruff, "find_ruff_bin", not_found)
    repo = copy_repo(tmp_path / "repo", apis=[], generated=False)
    output = tmp_path / "out"
    code = main(["--root", str(repo.root), "generate", "--spec", str(NOTES), "--output", str(output)])
    err = capsys.readouterr().err
    assert code == 1
    assert "the post-hooks need ruff's binary: Could not find the ruff binary" in err
    assert "reinstall ruff" in err
    assert "Traceback" not in err
    assert not output.exists()
