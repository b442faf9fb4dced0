"""The normalizer as a whole (normalize() over PASSES): every pass warns when it has nothing to do, and has its
tests; the input is left alone; the vendored specs normalize deterministically and idempotently."""

from __future__ import annotations

import copy
import importlib
from typing import Any

import pytest

from sdkpipeline.normalize import PASSES, load_overrides, normalize
from sdkpipeline.normalize.naming import pascal_case
from sdkpipeline.spec.pointer import pointer
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import dump_document, load_document
from tests.normalize.passes.fragments import (
    NO_OVERRIDES,
    NOTHING,
    make_obj,
    make_spec,
)


def test_every_pass_has_a_test_class() -> None:
    """In the test module of its family: TestLiftNullableUnions in tests/normalize/passes/test_sharing.py."""
    missing = []
    for step in PASSES:
        family = step.__module__.rpartition(".")[2]
        tests = importlib.import_module(f"tests.normalize.passes.test_{family}")
        if not hasattr(tests, f"Test{pascal_case(step.__name__)}"):
            missing.append(f"{step.__name__} (tests/normalize/passes/test_{family}.py)")
    assert missing == []


def test_a_document_nothing_applies_to_makes_every_pass_warn() -> None:
    doc = make_spec({"Order": make_obj(id={"type": "string"})})
    _, log = normalize(copy.deepcopy(doc), NO_OVERRIDES)
    assert log.warnings == [f"{s.__name__}: {NOTHING}" for s in PASSES]


APIS = sorted(load_registry().values(), key=lambda api: api.name)


def _first_difference(a: Any, b: Any, where: str = "") -> str | None:
    """The JSON pointer of the first place where `a` and `b` differ (keys in order), or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return f"{where} (keys {list(a)} vs {list(b)})"
        for key in a:
            found = _first_difference(a[key], b[key], f"{where}/{pointer(key)[1:]}")
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, f"{where}/{i}")
            if found is not None:
                return found
        return None
    return None if a == b and type(a) is type(b) else where or "/"


def test_normalize_leaves_its_input_alone() -> None:
    doc = make_spec({"Order": make_obj(currency={"type": ["string", "null"], "enum": ["USD"]})})
    before = copy.deepcopy(doc)
    normalize(doc, NO_OVERRIDES)
    assert doc == before


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.name)
def test_normalize_is_deterministic(api: Any) -> None:
    raw = load_document(api.spec)
    overrides = load_overrides(api.overrides)
    first = dump_document(normalize(raw, overrides, file=api.spec)[0])
    second = dump_document(normalize(copy.deepcopy(raw), overrides, file=api.spec)[0])
    assert first == second


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.name)
def test_normalize_is_idempotent(api: Any) -> None:
    normalized = load_document(api.normalized_spec)
    again, log = normalize(
        copy.deepcopy(normalized), load_overrides(api.overrides), file=api.normalized_spec, keep_decisions=True
    )
    assert _first_difference(again, normalized) is None
    assert dump_document(again) == dump_document(normalized)
    assert log.changes == []
