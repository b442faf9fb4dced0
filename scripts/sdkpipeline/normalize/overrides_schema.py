"""The overrides file's schema (normalize/overrides.py reads the file): pydantic models that forbid unknown keys.

A module of its own, imported only when there is a file to read: building these models costs 0.013 s, which a run
without an overrides file (most ad hoc documents) no longer pays.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, StringConstraints, field_validator


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _json_pointer(value: str) -> str:
    if not value.startswith("/"):
        raise ValueError("a JSON pointer starts with '/' (e.g. /components/schemas/Order)")
    return value


class PatchEntry(_Entry):
    """`pointer`, exactly one of `set` (any value, null too), `merge` (a mapping) or `remove: true`, and `reason`."""

    pointer: StrictStr
    set: Any = None
    merge: dict[str, Any] | None = None
    remove: Literal[True] | None = None
    reason: StrictStr = Field(min_length=1)

    _pointer = field_validator("pointer")(_json_pointer)


class NameEntry(_Entry):
    """The class name of the schema at `pointer` (a component, or an inline schema of the raw document)."""

    pointer: StrictStr
    name: StrictStr = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    reason: StrictStr = Field(min_length=1)

    _pointer = field_validator("pointer")(_json_pointer)


class Hoisting(_Entry):
    """Properties whose inline schemas stay inline (never shared as a component)."""

    keep_inline: list[StrictStr] = []


# An SDK method (`cancel`) or a resource and method (`orders.cancel`).
MethodName = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$")]


class OverridesFile(_Entry):
    """The whole file: every key optional."""

    patches: list[PatchEntry] = []
    names: list[NameEntry] = []
    operation_names: dict[StrictStr, MethodName] = {}
    extra_schemas: StrictStr | None = None
    hoisting: Hoisting = Hoisting()
    repairs: dict[StrictStr, Literal["apply", "refuse"]] = {}  # keys: REPAIR_PASSES (overrides._validated checks)


TOP_KEYS = tuple(OverridesFile.model_fields)


def allowed_at(loc: list[str | int]) -> tuple[str, ...]:
    """The keys allowed in the entry at `loc`."""
    models: dict[str, type[BaseModel]] = {"patches": PatchEntry, "names": NameEntry, "hoisting": Hoisting}
    model = models.get(str(loc[0]))
    return tuple(model.model_fields) if model is not None else ()
