"""What the walkers that make a value of a schema share (the test double's examples, codegen/fake.py; the bench's
request bodies, perf/bench.py): a leaf, so the bench reads it without loading the generator."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def merged_objects(values: Iterable[Any]) -> dict[str, Any]:
    """The mappings among `values` merged in order, a later key over an earlier (the values of an `allOf`'s parts:
    a part whose value is no object adds nothing)."""
    merged: dict[str, Any] = {}
    for value in values:
        if isinstance(value, dict):
            merged.update(value)
    return merged
