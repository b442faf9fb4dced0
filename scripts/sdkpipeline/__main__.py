"""`python -m sdkpipeline` and the `sdkpipeline` command.

`command` is what both run: `run`, then `interrupts.end`, which skips Python's shutdown.

Ctrl-C or SIGTERM while the command line is still loading (its imports take 0.1 to 0.3 s) ends the run as it
would at any later point (`interrupts`), once the imports are done; nothing has been written yet.
"""

import gc
import sys
from collections.abc import Sequence
from typing import NoReturn

from .interrupts import end, interrupted, raise_on_sigterm, signals_deferred


def run() -> int:
    raise_on_sigterm()
    try:
        if _command(sys.argv[1:]) == "generate":
            from .codegen.importcheck import prestart

            prestart()  # the import check's interpreter loads httpx while the command line loads (0.05 s)
            # This process loads no httpx at all (upstream.py defers the generator's import of it), so not its
            # command line either (click, pygments, rich), which httpx loads wherever click is installed.
            # Cyclic garbage collected every 100,000 new objects, not 700 (Python's default): the collections took
            # 0.04 s of Kubernetes apps' run, 0.17 s of Jira's and 0.14 s of Asana's, now 0.02, 0.04 and 0.04 s
            # (Asana's run 3.74 -> 3.60 s, medians of 3); peak memory 3 to 6 MB more (with none collected at all,
            # Asana's peak went 114 -> 136 MB).
            gc.set_threshold(100_000, 50, 100)
        # Held until the imports end: Ctrl-C while pydantic builds the overrides' models came out as its SchemaError.
        with signals_deferred():
            from .cli import main
    except KeyboardInterrupt:
        return interrupted()
    return main()


def _command(argv: Sequence[str]) -> str | None:
    """The subcommand of a command line, read before argparse is loaded: the word after `--root DIR`, if any."""
    rest = list(argv)
    while rest and rest[0].startswith("--root"):
        rest = rest[1:] if "=" in rest[0] else rest[2:]
    return rest[0] if rest and not rest[0].startswith("-") else None


def command() -> NoReturn:
    """`run`, then `interrupts.end`. Ctrl-C in the moment between them (after the command's own handlers, before
    `end` ignores it) changes nothing: the run still ends with the command's code, without a traceback."""
    code: int | None = None
    while True:
        try:
            code = run() if code is None else code
            end(code)
        except KeyboardInterrupt:
            code = interrupted() if code is None else code


if __name__ == "__main__":
    command()
