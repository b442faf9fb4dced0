"""`python -m sdkpipeline` and the `sdkpipeline` command.

`command` is what both run: `run`, then `interrupts.end`, which skips Python's shutdown.

Ctrl-C or SIGTERM while the command line is still loading (its imports take 0.1 to 0.3 s) ends the run as it
would at any later point (`interrupts`); nothing has been written yet.
"""

from typing import NoReturn

from .interrupts import end, interrupted, raise_on_sigterm


def run() -> int:
    raise_on_sigterm()
    try:
        from .cli import main
    except KeyboardInterrupt:
        return interrupted()
    return main()


def command() -> NoReturn:
    end(run())


if __name__ == "__main__":
    command()
