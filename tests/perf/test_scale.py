"""The synthesized large spec, and the normalizer's work growing linearly with the spec (counted, not timed)."""

from __future__ import annotations

import pytest

from sdkpipeline.normalize import check_document
from sdkpipeline.normalize.walk import operations
from sdkpipeline.perf.scale import multiply_spec, normalizer_visits
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import load_document

APIS = load_registry()


@pytest.mark.parametrize("api", sorted(APIS))
def test_multiplied_spec_is_a_valid_larger_document(api: str) -> None:
    """×3 has three times the operations, unique operationIds, and every $ref resolves."""
    doc = load_document(APIS[api].spec)
    big = multiply_spec(doc, 3)
    ops = [op["operationId"] for _, _, op in operations(big)]
    assert len(ops) == 3 * len(list(operations(doc)))
    assert len(set(ops)) == len(ops)
    check_document(big)  # raises on a dangling $ref or a duplicate operationId


@pytest.mark.parametrize("api", sorted(APIS))
def test_normalizer_work_per_schema_does_not_grow_with_the_spec(api: str) -> None:
    """Schema visits per schema are the same at ×1 and ×4: no pass is quadratic in the number of schemas."""
    doc = load_document(APIS[api].spec)
    schemas_1, visits_1 = normalizer_visits(doc, APIS[api])
    schemas_4, visits_4 = normalizer_visits(multiply_spec(doc, 4), APIS[api], factor=4)
    assert schemas_4 > 3 * schemas_1  # components outside schemas (responses, parameters) are not copied
    assert visits_4 / schemas_4 == pytest.approx(visits_1 / schemas_1, rel=0.1)
