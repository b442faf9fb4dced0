"""`python -m sdkpipeline` and the `sdkpipeline` command.

Ctrl-C or SIGTERM while the command line is still loading (its imports take 0.1 to 0.3 s) ends the run as it
would at any later point (`interrupts`); nothing has been written yet.
"""

import sys

from .interrupts import interrupted, raise_on_sigterm


def run() -> int:
    raise_on_sigterm()
    try:
        from .cli import main
    except KeyboardInterrupt:
        return interrupted()
    return main()


if __name__ == "__main__":
    sys.exit(run())
