"""Property-based: a valid spec, mutated as vendors do, still normalizes to a valid spec that generates.

Mutations: mappings with their keys reordered, component schemas renamed (every $ref follows),
optional fields added to objects, unused components added. The normalized result must pass the
pipeline's own checks and openapi-spec-validator, and (for fewer examples, it is slower) generate.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from sdkpipeline.cli import main
from sdkpipeline.normalize import Overrides, check_document, load_overrides, normalize
from sdkpipeline.normalize.naming import rewrite_refs
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import dump_document, load_document

DATA = Path(__file__).resolve().parents[1] / "data"
SHOP = DATA / "specs" / "shop.yaml"
CNAUGHT = load_registry()["cnaught"]
# Components the CNaught overrides file patches by name: renaming them would (rightly) fail the patch.
PATCHED = {
    p.pointer.split("/")[3] for p in load_overrides(CNAUGHT.overrides).patches if p.pointer.startswith("/components/")
}

names = st.from_regex(r"[A-Z][a-z]{2,8}[A-Z][a-z]{2,8}", fullmatch=True)
field_names = st.from_regex(r"[a-z]{3,10}(_[a-z]{2,6})?", fullmatch=True)
field_schemas = st.sampled_from(
    [
        {"type": "string"},
        {"type": ["integer", "null"]},
        {"type": "array", "items": {"type": "number"}},
        {"type": ["string", "null"], "enum": ["one", "two"]},
        {"type": "object", "properties": {"note": {"type": "string"}}},
    ]
)


def reorder_keys(doc: dict[str, Any], seed: int) -> dict[str, Any]:
    """The same document with the keys of every mapping in a seeded random order."""
    rng = random.Random(seed)

    def shuffled(node: Any) -> Any:
        if isinstance(node, dict):
            items = list(node.items())
            rng.shuffle(items)
            return {k: shuffled(v) for k, v in items}
        if isinstance(node, list):
            return [shuffled(v) for v in node]
        return node

    return shuffled(doc)  # type: ignore[no-any-return]


def rename_schema(doc: dict[str, Any], old: str, new: str) -> None:
    schemas = doc["components"]["schemas"]
    schemas[new] = schemas.pop(old)
    rewrite_refs(doc, {f"#/components/schemas/{old}": f"#/components/schemas/{new}"})


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any], protected: frozenset[str]) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    schemas = doc["components"]["schemas"]
    renamable = sorted(set(schemas) - protected)
    for old in draw(st.lists(st.sampled_from(renamable), max_size=3, unique=True)) if renamable else []:
        new = draw(names.filter(lambda n: n not in schemas))
        rename_schema(doc, old, new)
    objects = sorted(n for n, s in schemas.items() if s.get("type") == "object" and "properties" in s)
    for target in draw(st.lists(st.sampled_from(objects), max_size=3)) if objects else []:
        props = schemas[target]["properties"]
        field = draw(field_names) + "_added"  # no vendor field ends so: a new one
        props[field] = copy.deepcopy(draw(field_schemas))  # optional: not in required
    for _ in range(draw(st.integers(0, 2))):
        name = draw(names.filter(lambda n: n not in schemas))
        schemas[name] = {"type": "object", "properties": {draw(field_names): copy.deepcopy(draw(field_schemas))}}
    return reorder_keys(doc, draw(st.integers(0, 2**32 - 1)))


def _normalized_is_valid(doc: dict[str, Any], overrides: Overrides) -> dict[str, Any]:
    out, _ = normalize(doc, overrides)
    check_document(out)
    validate(out)  # openapi-spec-validator: the normalized document is a valid OpenAPI 3.1 description
    return out


def test_committed_normalized_specs_are_valid_openapi() -> None:
    """Both normalized specs pass openapi-spec-validator (the raw Fungies spec does not, as published)."""
    for api in load_registry().values():
        validate(load_document(api.normalized_spec))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_cnaught_spec_normalizes_to_a_valid_spec(data: st.DataObject) -> None:
    """Renamed schemas, added optional fields, unused components and reordered keys: still valid."""
    base = load_document(CNAUGHT.spec)
    doc = data.draw(mutated(base, frozenset(PATCHED)))
    out = _normalized_is_valid(doc, load_overrides(CNAUGHT.overrides))
    assert len([p for p in out["paths"].values() for m in p if m in {"get", "post", "put", "delete"}]) == 29


@pytest.mark.slow
@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_spec_generates(data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A mutated small spec goes through the whole pipeline (generate, post-hooks, import check)."""
    doc = data.draw(mutated(load_document(SHOP), frozenset()))
    _normalized_is_valid(doc, Overrides())
    tmp = tmp_path_factory.mktemp("mutated")
    spec = tmp / "spec.yaml"
    spec.write_text(dump_document(doc), encoding="utf-8")
    assert main(["generate", "--spec", str(spec), "--output", str(tmp / "shop-client")]) == 0
    assert (tmp / "shop-client" / "shop_client" / "_operations.json").is_file()
