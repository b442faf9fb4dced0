"""What a pass may read besides the document (the API's overrides) and what it reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PipelineError
from ..spec.pointer import Tokens, references

Reference = tuple[Tokens, dict[str, Any]]  # where a `$ref` is, and the mapping holding it
# How many places (or cases) a warning names before "… and N more": the repairs' (`cli.describe_log`), a pass's own.
SHOWN = 3


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
class PublishedOperation:
    """What a release published for one operation: its operationId (the generator names the function module
    `api.<tag>.<operationId in snake case>` after it), its first tag (the `api.<tag>` package) and its SDK
    method `resource.method`."""

    operation_id: str
    tag: str
    method: str


_PATH_PARAMETER = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class NamesRecord:
    """The names a release published (specs/<api>/names.yaml), which regeneration keeps for the same things.

    `schemas` maps a model or enum class made from inline schemas to the stable pointers of those uses in the raw
    vendor document (parameters addressed by name, not index); `operations` maps an operation, keyed by what does
    not change when the vendor renames it (`GET /orders/{id}`), to what it published; `merged` maps a component
    made of identical vendor components (`<operationId>NegativeResponse` → `ErrorResponse`) to their names.
    Classes of vendor components need no entry (the vendor's name is the key), nor do keyword arguments (the
    spec's parameter and property names are). `enum_members` maps an enum whose values the generator would name
    alike (the stable pointer of its place in the raw document) to its members: member → value, so that a member
    a release published keeps its value.
    """

    file: Path | None = None
    schemas: dict[str, frozenset[str]] = field(default_factory=dict)
    operations: dict[str, PublishedOperation] = field(default_factory=dict)
    merged: dict[str, frozenset[str]] = field(default_factory=dict)
    enum_members: dict[str, dict[str, Any]] = field(default_factory=dict)

    def owner_of(self) -> dict[str, str]:
        """Stable pointer → the recorded class name of the schema there."""
        return {use: name for name, uses in sorted(self.schemas.items()) for use in sorted(uses)}

    def operation_at(self, method: str, path: str, operation_id: object) -> PublishedOperation | None:
        """What was published for the operation at `method` `path`: by that key; else the one operation with the
        same method and path but for its parameter names (a renamed path parameter); else the one with the same
        operationId (a PATCH that became a PUT, a path that moved)."""
        found = self.operations.get(operation_key(method, path))
        if found is not None:
            return found
        template = (method.upper(), _PATH_PARAMETER.sub("{}", path))
        alike = [op for key, op in self.operations.items() if _template_of(key) == template]
        if len(alike) == 1:
            return alike[0]
        same_id = [op for op in self.operations.values() if operation_id and op.operation_id == operation_id]
        return same_id[0] if len(same_id) == 1 else None


def operation_key(method: str, path: str) -> str:
    """How the names record keys an operation: `GET /orders/{id}`."""
    return f"{method.upper()} {path}"


def _template_of(key: str) -> tuple[str, str]:
    method, _, path = key.partition(" ")
    return method, _PATH_PARAMETER.sub("{}", path)


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
    """Changes each pass made (a pass that makes none is reported as a warning), and the problems found.

    It also keeps the document's references (`references`) while the document stays as it was: the runner
    forgets them (`document_changed`) after a pass that changed what a reference walk finds.
    """

    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    current: str = ""
    problems: list[PipelineError] = field(default_factory=list)
    _walked: tuple[Any, tuple[Reference, ...]] | None = field(default=None, repr=False, compare=False)

    def change(self, pointer: str, message: str, *, lossy: bool = False) -> None:
        self.changes.append(Change(self.current, pointer, message, lossy))

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.current}: {message}" if self.current else message)

    def references(self, doc: Any) -> tuple[Reference, ...]:
        """Every reference of `doc` (`pointer.references`), walked once per state of the document.

        For a pass that reads the references before it changes anything; one that rewrites them walks
        `pointer.references` itself (what it changes is not seen here until the runner forgets the walk).
        """
        if self._walked is None or self._walked[0] is not doc:
            self._walked = (doc, tuple(references(doc)))
        return self._walked[1]

    def document_changed(self) -> None:
        """Forget the references walked: the document may hold others now."""
        self._walked = None
