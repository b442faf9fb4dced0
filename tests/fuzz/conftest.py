"""Property-based fuzzing of what the SDKs and the pipeline take from outside: figures per target.

Examples per property: `FUZZ_EXAMPLES` (default 10, kept modest so the default `tests` session stays quick
on two cores, and the same examples each time); `FUZZ_EXAMPLES=500 nox -s tests -- tests/fuzz` for a long run
that draws new ones. The session ends with one
line per target: examples tried and failures.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
# The default run (CI, `nox`) draws the same examples every time, so it never fails on a case no one
# changed anything for; a run with FUZZ_EXAMPLES set explores new ones (use it after touching a pass).
DERANDOMIZE = "FUZZ_EXAMPLES" not in os.environ


@dataclass
class FuzzReport:
    """Examples each target ran, and how many of them raised what they must not."""

    tried: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)

    @contextmanager
    def example(self, target: str) -> Iterator[None]:
        """Count one example of `target`; an exception escaping the block is a failure (and still raised)."""
        self.tried[target] += 1
        try:
            yield
        except BaseException:
            self.failures[target] += 1
            raise


REPORT = FuzzReport()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not REPORT.tried:
        return
    terminalreporter.section(f"fuzzing (FUZZ_EXAMPLES={EXAMPLES} per property)")
    width = max(len(t) for t in REPORT.tried)
    for target in sorted(REPORT.tried):
        terminalreporter.write_line(
            f"{target.ljust(width)}  {REPORT.tried[target]:>6,} examples tried, failures: {REPORT.failures[target]}"
        )
