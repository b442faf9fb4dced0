"""Work run beside the generation in a forked child (`generate._beside`): its files are there when the block ends,
what it returns is handed over, and its failure is raised in the parent as it happened, a PipelineError with its
file and hint intact."""

from __future__ import annotations

import gc
import os
import signal
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


def test_what_the_child_returns_is_handed_over_after_the_block(tmp_path: Path) -> None:
    # The normalized document comes back this way while the parent imports the generator (`_generate`).
    def work() -> dict[str, object]:
        return {"pid": os.getpid(), "document": {"paths": {"/a": [1, 2.5, None, "é"]}}}

    with _beside(work, what="normalizing", file=tmp_path) as handoff:
        parent = os.getpid()
    sent = handoff.take()
    assert sent["document"] == {"paths": {"/a": [1, 2.5, None, "é"]}}
    assert sent["pid"] != parent  # made in the child


def test_without_fork_the_work_runs_first_and_its_value_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    monkeypatch.delattr(os, "fork")

    def work() -> int:
        order.append("work")
        return os.getpid()

    with _beside(work, what="normalizing", file=tmp_path) as handoff:
        order.append("block")
    assert order == ["work", "block"]
    assert handoff.take() == os.getpid()


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


class _Interrupted(BaseException):
    """What the alarm raises in the test below: a stand-in for Ctrl-C (KeyboardInterrupt) or SIGTERM."""


def test_an_interrupt_while_waiting_for_the_child_stops_it(tmp_path: Path) -> None:
    # The block is done and the parent waits for the child: Ctrl-C there must not leave the child writing into
    # a staging folder that is being removed (CI once found `.fungies-client.*` left behind by an interrupted run).
    marker = tmp_path / "late.txt"

    def slow() -> None:
        time.sleep(1.5)
        marker.write_text("still ran", encoding="utf-8")

    def interrupt(signum: int, frame: object) -> None:
        raise _Interrupted

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(_Interrupted), _beside(slow, what="writing", file=tmp_path):
            signal.setitimer(signal.ITIMER_REAL, 0.3)  # fires once the block is done, during the wait
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    time.sleep(2)  # longer than the child would have taken
    assert not marker.exists()  # the child was stopped, not left running


def test_interrupted_as_the_wait_returns_the_interrupt_is_what_arrives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C can land once waitpid has reaped the child but before its result is kept: stopping the child then found
    # no such process, and that error (a traceback) replaced the interrupt (a stress run of 80 interrupts, once).
    waitpid = os.waitpid

    def reaped_then_interrupted(pid: int, options: int) -> tuple[int, int]:
        waitpid(pid, options)
        raise _Interrupted

    monkeypatch.setattr(os, "waitpid", reaped_then_interrupted)
    with pytest.raises(_Interrupted), _beside(lambda: None, what="writing", file=tmp_path):
        pass


_AT_FORK: list[bool] = []  # while it holds True, the hook below interrupts the parent during the fork


def _interrupt_during_fork() -> None:
    if _AT_FORK:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the signal's handler runs here, inside the at-fork hook, unless it is held


os.register_at_fork(after_in_parent=_interrupt_during_fork)


def test_ctrl_c_during_the_fork_is_not_lost(tmp_path: Path) -> None:
    # logging's at-fork hook is Python code: Ctrl-C raised there was "Exception ignored", and the run went on.
    _AT_FORK.append(True)
    try:
        with pytest.raises(KeyboardInterrupt), _beside(lambda: time.sleep(5), what="writing", file=tmp_path):
            time.sleep(1)  # were the Ctrl-C lost, the block would end normally and then wait for the child
    finally:
        _AT_FORK.clear()


@pytest.mark.parametrize("collect", [True, False])
def test_the_child_collects_cyclic_garbage_only_when_told(tmp_path: Path, collect: bool) -> None:
    # The SDK layer's child does not (it would walk, and so copy, the pages it inherited); the writer's does.
    target = tmp_path / "out.txt"
    with _beside(
        lambda: target.write_text(str(gc.isenabled()), encoding="utf-8"), what="w", file=target, collect=collect
    ):
        pass
    assert target.read_text(encoding="utf-8") == str(collect)
    assert gc.isenabled()  # the parent's is left as it was


def test_what_exists_when_the_parse_ends_is_frozen_until_the_run_ends(tmp_path: Path) -> None:
    # `_long_lived`: no collection during the block, none walking what exists after it (gc.freeze) until the run's
    # end unfreezes it (generate_api's `finally`); the collector is on again after the block.
    from sdkpipeline.codegen.generate import _long_lived

    assert gc.isenabled() and gc.get_freeze_count() == 0
    try:
        with _long_lived():
            assert not gc.isenabled()
            kept = [[i] for i in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
