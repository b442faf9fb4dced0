"""Work run beside the generation in a forked child (`generate._beside`): its files are there when the block ends,
and its failure is raised in the parent as it happened, a PipelineError with its file and hint intact."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sdkpipeline.codegen.generate import _beside
from sdkpipeline.errors import PipelineError


def test_the_childs_file_is_written_when_the_block_ends(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with _beside(lambda: target.write_text("done", encoding="utf-8"), what="writing", file=target):
        parent = os.getpid()
    assert target.read_text(encoding="utf-8") == "done"
    assert os.getpid() == parent  # the child left through os._exit, never through the block


def test_a_pipeline_error_arrives_with_its_place_and_hint(tmp_path: Path) -> None:
    def fail() -> None:
        raise PipelineError("bad example", file=tmp_path / "spec.yaml", where="/paths/~1a", hint="fix it")

    with pytest.raises(PipelineError) as caught, _beside(fail, what="writing", file=tmp_path):
        pass
    assert (caught.value.message, caught.value.where, caught.value.hint) == ("bad example", "/paths/~1a", "fix it")
    assert caught.value.file == tmp_path / "spec.yaml"


def test_a_bug_in_the_child_arrives_with_its_traceback(tmp_path: Path) -> None:
    def bug() -> None:
        raise KeyError("no such template")

    expected = r"(?s)writing the SDK layer failed:.*in bug.*KeyError: 'no such template'"
    with pytest.raises(RuntimeError, match=expected), _beside(bug, what="writing the SDK layer", file=tmp_path):
        pass


def test_the_blocks_own_error_wins_and_the_child_is_stopped(tmp_path: Path) -> None:
    marker = tmp_path / "late.txt"

    def slow() -> None:
        time.sleep(30)
        marker.write_text("still ran", encoding="utf-8")

    with pytest.raises(ValueError, match="the block's"), _beside(slow, what="writing", file=tmp_path):
        raise ValueError("the block's")
    assert not marker.exists()  # waited for, not stopped, it would have written it
