"""spec/values.py: what the test double's examples and the bench's bodies share of making a value of a schema."""

from __future__ import annotations

from sdkpipeline.spec.values import merged_objects


def test_the_mappings_are_merged_in_order_and_the_rest_adds_nothing() -> None:
    values = [{"a": 1, "b": 1}, "text", None, [{"c": 3}], {"b": 2}]
    assert merged_objects(values) == {"a": 1, "b": 2}


def test_no_mapping_makes_an_empty_object() -> None:
    assert merged_objects(iter(())) == {}
    assert merged_objects([1, "x"]) == {}
