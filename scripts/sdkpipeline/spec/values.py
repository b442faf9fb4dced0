"""What the walkers that make a value of a schema share (the test double's examples, codegen/fake.py; the bench's
request bodies, perf/bench.py): a leaf, so the bench reads it without loading the generator."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def merged_objects(values: Iterable[Any]) -> dict[str, Any]:
    """The mappings among `values` merged in order, a later key over an earlier (the values of an `allOf`'s parts:
    a part whose value is no object adds nothing)."""
    merged: dict[str, Any] = {}
    for value in values:
        if isinstance(value, dict):
            merged.update(value)
    return merged


def kind_of(schema: Any) -> str | None:
    """The type a value of `schema` gets: the first of a list of types that is not null (`null` when only null is),
    `object` for properties without a type, None when it names none or is no mapping."""
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    if isinstance(kind, list):
        real = [k for k in kind if k != "null"]
        return str(real[0]) if real else "null"
    if kind is None and "properties" in schema:
        return "object"
    return str(kind) if kind is not None else None


def first_branch(schema: dict[str, Any], kind: Callable[[Any], str | None] = kind_of) -> Any:
    """The branch whose value stands for the schema's: the first of an anyOf, else of a oneOf, that is not null
    (`kind` tells, the first of all when each is); None when there is neither, or it is empty or no list."""
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            return ([b for b in branches if kind(b) != "null"] or branches)[0]
    return None
