"""Ctrl-C or SIGTERM ends a run with one line and exit code 130 wherever it arrives: while the command line loads,
while its arguments are read, and while a class is being made (which Python 3.11 reports as the RuntimeError it
caused). A run interrupted while generating is `tests/codegen/test_atomic_output.py`."""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.machinery
import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
import types

import pytest

from sdkpipeline import __main__ as entry
from sdkpipeline import cli
from sdkpipeline.interrupts import (
    INTERRUPTED,
    caused_by_interrupt,
    end,
    signals_blocked,
    signals_deferred,
    unblock_signals,
)


class _InterruptedOnUse(types.ModuleType):
    """A module whose every attribute read is interrupted: `sdkpipeline.cli` half-imported when Ctrl-C came."""

    def __getattr__(self, name: str) -> object:
        raise KeyboardInterrupt


def _said(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.strip().splitlines()


def test_an_interrupt_while_the_command_line_loads_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "sdkpipeline.cli", _InterruptedOnUse("sdkpipeline.cli"))
    assert entry.run() == 130
    assert _said(capsys) == [INTERRUPTED]


def test_an_interrupt_while_the_arguments_are_read_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted_parser() -> argparse.ArgumentParser:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted_parser)
    assert cli.main(["generate"]) == 130
    assert _said(capsys) == [INTERRUPTED]


def test_an_interrupt_while_a_class_is_made_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Field:
        def __set_name__(self, owner: type, name: str) -> None:
            raise KeyboardInterrupt  # as Ctrl-C does in pydantic's descriptors during the generator's import

    def command(args: argparse.Namespace) -> int:
        type("Model", (), {"field": Field()})  # Python 3.11: RuntimeError from KeyboardInterrupt; later: itself
        return 0

    monkeypatch.setitem(cli.COMMANDS, "generate", command)
    assert cli.main(["generate"]) == 130
    assert _said(capsys) == [INTERRUPTED]


def test_any_other_error_is_not_taken_for_an_interrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    def command(args: argparse.Namespace) -> int:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("a bug while handling Ctrl-C") from None  # context only: not caused by it

    monkeypatch.setitem(cli.COMMANDS, "generate", command)
    with pytest.raises(RuntimeError, match="a bug while handling"):
        cli.main(["generate"])


def test_the_cause_chain_is_followed_and_a_cycle_ends_it() -> None:
    wrapped = RuntimeError("outer")
    wrapped.__cause__ = ValueError("middle")
    wrapped.__cause__.__cause__ = KeyboardInterrupt()
    assert caused_by_interrupt(wrapped)
    looped = RuntimeError("a")
    looped.__cause__ = ValueError("b")
    looped.__cause__.__cause__ = looped
    assert not caused_by_interrupt(looped)


def test_a_signal_during_a_deferred_block_arrives_when_it_ends() -> None:
    finished = []
    with pytest.raises(KeyboardInterrupt), signals_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # delivered at once, were it not held
        finished.append(True)
    assert finished == [True]


def test_a_signal_during_a_blocked_block_arrives_when_it_ends_and_a_fork_starts_with_it_blocked() -> None:
    finished = []
    with pytest.raises(KeyboardInterrupt), signals_blocked():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # delivered at once, were it not blocked
        pid = os.fork()
        if pid == 0:  # what a pool's worker inherits: SIGINT and SIGTERM blocked, not a handler that swallows them
            os._exit(0 if {signal.SIGINT, signal.SIGTERM} <= signal.pthread_sigmask(signal.SIG_BLOCK, []) else 1)
        _, status = os.waitpid(pid, 0)
        finished.append(os.waitstatus_to_exitcode(status))
    assert finished == [0]


def test_where_there_is_no_signal_mask_the_block_simply_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(signal, "pthread_sigmask")
    with signals_blocked():
        ran = True
    unblock_signals()
    assert ran


def test_outside_the_main_thread_nothing_is_deferred() -> None:
    # signal.signal works in the main thread only: elsewhere the block simply runs.
    done: list[bool] = []

    def work() -> None:
        with signals_deferred():
            done.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == [True]


# A finished run ends through `interrupts.end`: what it printed is out, Python's shutdown is skipped.
_ENDING = """
import atexit, sys
from sdkpipeline.interrupts import end
atexit.register(lambda: print("shutdown ran", file=sys.stderr, flush=True))
sys.stdin.readline()  # the test's go-ahead, once it has done what it does to our stdout
print("x" * 1000, end="")  # still in the buffer (a pipe's stdout is block-buffered): only a flush sends it
end(int(sys.argv[1]))
"""


def _ending(code: int, *, close_stdout: bool = False) -> tuple[int, str, str]:
    # Not unbuffered (PYTHONUNBUFFERED may be set around the tests): the print must wait in the buffer.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _ENDING, str(code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    if close_stdout:
        proc.stdout.close()  # as `| head` does
    proc.stdin.write("go\n")
    proc.stdin.close()
    out = "" if close_stdout else proc.stdout.read()
    err = proc.stderr.read()
    return proc.wait(timeout=30), out, err


@pytest.mark.parametrize("code", [0, 1, 130])
def test_a_finished_run_ends_with_its_code_and_everything_it_printed(code: int) -> None:
    returncode, out, err = _ending(code)
    assert (returncode, out, err) == (code, "x" * 1000, "")  # "shutdown ran" would mean Python's exit ran


def test_a_run_whose_output_cannot_be_written_does_not_end_with_0() -> None:
    returncode, _, err = _ending(0, close_stdout=True)
    assert (returncode, err) == (120, "")  # as Python's own exit says a failed flush


def test_once_a_run_has_ended_ctrl_c_and_sigterm_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    class Ended(Exception):
        pass

    def exit_now(code: int) -> None:
        raise Ended(code)

    monkeypatch.setattr(os, "_exit", exit_now)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with pytest.raises(Ended):
            end(3)
        assert [signal.getsignal(sig) for sig in previous] == [signal.SIG_IGN, signal.SIG_IGN]
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["generate", "--spec", "x.yaml"], "generate"),
        (["--root", "/r", "generate"], "generate"),
        (["--root=/r", "drift", "fungies"], "drift"),
        (["--help"], None),
        ([], None),
    ],
)
def test_the_command_is_read_before_the_command_line_loads(argv: list[str], command: str | None) -> None:
    assert entry._command(argv) == command


@pytest.mark.parametrize(("argv", "started"), [(["sdkpipeline", "generate"], 1), (["sdkpipeline", "drift"], 0)])
def test_only_generate_starts_the_import_check_early(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], started: int
) -> None:
    from sdkpipeline.codegen import importcheck

    calls: list[bool] = []
    monkeypatch.setattr(importcheck, "prestart", lambda: calls.append(True))
    monkeypatch.setattr(cli, "main", lambda: 0)
    monkeypatch.setattr(sys, "argv", argv)
    assert entry.run() == 0
    assert len(calls) == started


class _LoadedWhileInterrupted(importlib.abc.Loader, importlib.abc.MetaPathFinder):
    """`sdkpipeline.cli` as pydantic's class machinery loads it: Ctrl-C during the load comes out as another error."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        return importlib.util.spec_from_loader(name, self) if name == "sdkpipeline.cli" else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # the handler runs here unless the signal is held
        except KeyboardInterrupt:
            raise RuntimeError("Error building validator: KeyboardInterrupt") from None
        module.main = lambda: 0  # type: ignore[attr-defined]


def test_ctrl_c_while_the_command_line_loads_waits_for_the_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    import sdkpipeline

    monkeypatch.setattr(sdkpipeline, "cli", cli)  # restored after the import below replaces it
    monkeypatch.delitem(sys.modules, "sdkpipeline.cli")
    monkeypatch.setattr(sys, "meta_path", [_LoadedWhileInterrupted(), *sys.meta_path])
    monkeypatch.setattr(sys, "argv", ["sdkpipeline", "lock"])
    assert entry.run() == 130  # held until the module was loaded, then the run's one line and exit code


def test_ctrl_c_once_the_command_returned_still_ends_with_its_code(monkeypatch: pytest.MonkeyPatch) -> None:
    ended: list[int | None] = []

    def end(code: int) -> None:
        if not ended:
            ended.append(None)
            raise KeyboardInterrupt  # as `end` began, before it ignores Ctrl-C
        ended.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(entry, "run", lambda: 3)
    monkeypatch.setattr(entry, "end", end)
    with pytest.raises(SystemExit):
        entry.command()
    assert ended == [None, 3]
