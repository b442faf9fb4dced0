"""How a run ends. Ctrl-C and SIGTERM end it the same way wherever they arrive: one line, exit code 130, no
traceback; a finished run ends without tearing down its modules (`end`). The line says what the run had written
(an output is swapped in whole, and an interrupt does not undo it: `wrote`), else that nothing was.

A module of its own, importing nothing heavy, so the command line (`__main__.run`) can rely on it before its own
imports have finished.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import NoReturn

INTERRUPTED = "interrupted: previous output left untouched"
# What this command has written so far, each whole (`wrote`): an interrupt after it leaves it written.
_written: list[str] = []
# What ends a run as Ctrl-C does (SIGTERM becomes KeyboardInterrupt too: `raise_on_sigterm`).
INTERRUPT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def raise_on_sigterm() -> None:
    """SIGTERM becomes an exception like Ctrl-C, so clean-up (temporary directories, child processes) runs."""
    signal.signal(signal.SIGTERM, _raise_interrupt)


def interrupted() -> int:
    """Say so, and what had been written before, and give the exit code of an interrupted run."""
    if not _written:
        print(INTERRUPTED, file=sys.stderr)
    else:
        shown = ", ".join(_shown(path) for path in _written)
        print(
            f"interrupted after writing {shown} (complete); any other previous output left untouched", file=sys.stderr
        )
    return 130


def wrote(path: str | os.PathLike[str]) -> None:
    """Record an output this command has put in place whole (what an interrupt from now on must not deny); once,
    however often it is said."""
    if os.fspath(path) not in _written:
        _written.append(os.fspath(path))


def written() -> list[str]:
    """What this command has written (`wrote`), in order."""
    return list(_written)


def forget_written() -> None:
    """A new command: nothing written yet."""
    _written.clear()


def _shown(path: str) -> str:
    """`path` relative to the working directory when it is inside it."""
    relative = os.path.relpath(path)
    return path if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative


def end(code: int) -> NoReturn:
    """End the process with exit code `code` once what it printed is out, skipping Python's own shutdown.

    For a command that has returned: its files are written, its children reaped, its temporary folders and process
    pools closed by their `with` blocks. Python's shutdown would then tear down every module the generator and its
    imports loaded, which nothing needs: 0.07 to 0.08 s of each `generate` (swagger-petstore3, Kubernetes apps).
    As Python's own exit does, a run that printed what cannot be flushed (a closed pipe) ends with 120, not 0.
    Ctrl-C and SIGTERM are ignored from here: the run is over, and one now would print a traceback.
    """
    if threading.current_thread() is threading.main_thread():
        for sig in INTERRUPT_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            code = code or 120
    os._exit(code)


def caused_by_interrupt(exc: BaseException) -> bool:
    """Whether Ctrl-C is what `exc` was raised from (Python 3.11 wraps what `__set_name__` raises while a class is
    made: Ctrl-C during the generator's lazy import surfaces as "RuntimeError: Error calling __set_name__")."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__
    return False


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the block runs, then deliver them (where signals can be handled: the main
    thread). For what an interrupt must not cut in two (the renames of the swap), or cannot be stopped cleanly in
    (the generator's import)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def hold(signum: int, frame: object) -> None:
        received.append(signum)

    previous = {s: signal.signal(s, hold) for s in INTERRUPT_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in received:
            os.kill(os.getpid(), signum)


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Block SIGINT and SIGTERM while the block runs, then deliver what came meanwhile. Unlike `signals_deferred`
    (a handler, which a process forked in the block inherits and which then swallows what reaches it), a process
    forked here starts with them blocked and receives them once it unblocks them (`unblock_signals`). Where there is
    no signal mask (Windows), the block simply runs."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPT_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def unblock_signals() -> None:
    """In a process forked inside `signals_blocked`, once its handlers are set: what came since arrives now."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, INTERRUPT_SIGNALS)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
