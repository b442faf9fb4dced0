"""Mutated copies of the vendored specs through the normalizer: a result or a PipelineError, never a traceback.

On top of tests/normalize/test_mutations.py's vendor-like mutations (renamed schemas, added fields, reordered
keys), hostile ones: a node deleted, replaced by a value of another type or by arbitrary JSON, a `$ref`
pointed at nothing, at itself or at a path, an operationId duplicated.
"""

from __future__ import annotations

import contextlib
import copy
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides, load_overrides, normalize
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import load_document
from tests.normalize.test_mutations import PATCHED, mutated

from .conftest import DERANDOMIZE, EXAMPLES, REPORT

RUNS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE, suppress_health_check=[HealthCheck.too_slow]
)
APIS = sorted(load_registry())

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
wrong_types = st.sampled_from([None, "", "x", 0, -1, True, 1.5, [], {}, [None], {"type": "nothing"}])
bad_refs = st.sampled_from(
    ["#/components/schemas/Nowhere", "#/paths", "#", "#/components/schemas", "other.yaml#/X", "", "#/~2"]
)


STRUCTURAL = frozenset(
    {
        *("paths", "components", "schemas", "responses", "requestBody", "parameters", "content", "schema"),
        *("properties", "items", "allOf", "anyOf", "oneOf", "enum", "type", "required", "$ref", "operationId"),
        *("additionalProperties", "nullable", "default", "format", "in", "name", "securitySchemes", "security"),
    }
)


@cache
def _base(api: str) -> dict[str, Any]:
    return load_document(load_registry()[api].spec)


@cache
def _overrides(api: str) -> Overrides:
    return load_overrides(load_registry()[api].overrides)


Path = tuple[str | int, ...]


def _paths(doc: Any) -> list[Path]:
    """Every node's place, iteratively (the documents are large)."""
    found: list[Path] = []
    stack: list[tuple[Any, Path]] = [(doc, ())]
    while stack:
        node, path = stack.pop()
        if path:
            found.append(path)
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend((v, (*path, k)) for k, v in items)
    return sorted(found, key=lambda p: [str(t) for t in p])


@st.composite
def hostile(draw: st.DrawFn, api: str) -> dict[str, Any]:
    base = _base(api)
    doc = draw(mutated(base, frozenset(PATCHED))) if api == "cnaught" else copy.deepcopy(base)
    places = _paths(doc)
    # Most nodes are prose (descriptions, examples): aim mostly at what the passes and checks read.
    structural = [p for p in places if STRUCTURAL.intersection(str(t) for t in p[-2:])]
    for _ in range(draw(st.integers(1, 3))):
        place = draw(st.sampled_from(structural) | st.sampled_from(places))
        parent: Any = doc
        for token in place[:-1]:
            parent = parent[token] if isinstance(parent, dict | list) and _has(parent, token) else None
        last = place[-1]
        if parent is None or not _has(parent, last):
            continue  # an earlier mutation removed it
        action = draw(st.sampled_from(["delete", "wrong type", "arbitrary", "bad $ref", "self $ref", "dup id"]))
        if action == "delete":
            del parent[last]
        elif action == "wrong type":
            parent[last] = copy.deepcopy(draw(wrong_types))
        elif action == "arbitrary":
            parent[last] = draw(json_values)
        elif action == "bad $ref":
            parent[last] = {"$ref": draw(bad_refs)}
        elif action == "self $ref":
            parent[last] = {"$ref": "#" + "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in place)}
        elif action == "dup id" and isinstance(parent[last], dict):
            parent[last]["operationId"] = "duplicated"
    return doc


def _has(container: Any, token: str | int) -> bool:
    if isinstance(container, dict):
        return token in container
    return isinstance(container, list) and isinstance(token, int) and 0 <= token < len(container)


@pytest.mark.parametrize("api", APIS)
@RUNS
@given(data=st.data())
def test_mutated_spec_normalizes_or_says_why(api: str, data: st.DataObject) -> None:
    doc = data.draw(hostile(api))
    with REPORT.example(f"specs: mutated {api} spec through the normalizer"), contextlib.suppress(PipelineError):
        normalize(doc, _overrides(api))
