"""The one error type a maintainer sees: it names the file, the place in it, and what to do."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class PipelineError(Exception):
    """A problem with an input (spec, lock, override, template): reported without a traceback."""

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        where: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = Path(file) if file is not None else None
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        place = ""
        if self.file is not None:
            place = _display(self.file)
            if self.where:
                # A JSON pointer is shown as file#/pointer, a line as file:line.
                place += self.where if self.where.startswith(":") else f"#{self.where}"
            place += ": "
        elif self.where:
            place = f"{self.where}: "
        text = f"{place}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def raise_all(problems: Sequence[PipelineError]) -> None:
    """Raise nothing, the one problem, or one error listing every problem (so a user fixes them in one run)."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        listed = "\n".join("  - " + str(p).replace("\n", "\n  ") for p in problems)
        raise PipelineError(f"{len(problems)} problems; nothing was written:\n{listed}")
