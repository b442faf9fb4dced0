"""Ctrl-C or SIGTERM ends a run with one line and exit code 130 wherever it arrives: while the command line loads,
while its arguments are read, and while a class is being made (which Python 3.11 reports as the RuntimeError it
caused). A run interrupted while generating is `tests/codegen/test_atomic_output.py`."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
import types

import pytest

from sdkpipeline import __main__ as entry
from sdkpipeline import cli
from sdkpipeline.interrupts import INTERRUPTED, caused_by_interrupt, signals_deferred


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
