"""What a pass may read besides the document (the API's overrides) and what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PipelineError


@dataclass(frozen=True)
class NamedLocation:
    """An override-file entry naming the schema found at `pointer` in the raw document."""

    pointer: str
    name: str
    reason: str


@dataclass(frozen=True)
class Patch:
    """One declarative fix: `op` (set, merge, remove) at `pointer`, with the reason it exists."""

    pointer: str
    op: str
    value: Any
    reason: str
    index: int  # position in the overrides file, for error messages


@dataclass(frozen=True)
class NamesRecord:
    """The names a release published (specs/<api>/names.yaml), which regeneration keeps for the same things.

    `schemas` maps a model or enum class made from inline schemas to the stable pointers of those uses in the raw
    vendor document (parameters addressed by name, not index); `operations` maps an operationId to its SDK
    `resource.method`. Classes of vendor components need no entry (the vendor's name is the key), nor do keyword
    arguments (the spec's parameter and property names are). `enum_members` maps an enum whose values the
    generator would name alike (the stable pointer of its place in the raw document) to its members: member →
    value, so that a member a release published keeps its value.
    """

    file: Path | None = None
    schemas: dict[str, frozenset[str]] = field(default_factory=dict)
    operations: dict[str, str] = field(default_factory=dict)
    enum_members: dict[str, dict[str, Any]] = field(default_factory=dict)

    def owner_of(self) -> dict[str, str]:
        """Stable pointer → the recorded class name of the schema there."""
        return {use: name for name, uses in sorted(self.schemas.items()) for use in sorted(uses)}


@dataclass(frozen=True)
class Overrides:
    """The parsed specs/<api>/overrides.yaml, and the API's names record beside it."""

    file: Path | None = None
    patches: tuple[Patch, ...] = ()
    names: tuple[NamedLocation, ...] = ()
    operation_names: dict[str, str] = field(default_factory=dict)
    keep_inline: frozenset[str] = frozenset()
    extra_schemas: dict[str, Any] = field(default_factory=dict)
    record: NamesRecord = field(default_factory=NamesRecord)
    repairs: dict[str, str] = field(default_factory=dict)  # repair pass → "apply" or "refuse"


@dataclass
class Change:
    pass_name: str
    pointer: str
    message: str
    lossy: bool = False  # the repair drops something the vendor wrote (a default, a body's schema)


@dataclass
class PassLog:
    """Changes each pass made (a pass that makes none is reported as a warning), and the problems found."""

    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    current: str = ""
    problems: list[PipelineError] = field(default_factory=list)

    def change(self, pointer: str, message: str, *, lossy: bool = False) -> None:
        self.changes.append(Change(self.current, pointer, message, lossy))

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.current}: {message}" if self.current else message)
