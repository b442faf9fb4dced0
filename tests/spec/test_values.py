"""spec/values.py: what the test double's examples and the bench's bodies share of making a value of a schema."""

from __future__ import annotations

from typing import Any

import pytest

from sdkpipeline.spec.values import first_branch, kind_of, merged_objects


def test_the_mappings_are_merged_in_order_and_the_rest_adds_nothing() -> None:
    values = [{"a": 1, "b": 1}, "text", None, [{"c": 3}], {"b": 2}]
    assert merged_objects(values) == {"a": 1, "b": 2}


def test_no_mapping_makes_an_empty_object() -> None:
    assert merged_objects(iter(())) == {}
    assert merged_objects([1, "x"]) == {}


@pytest.mark.parametrize(
    ("schema", "kind"),
    [
        ({"type": "integer"}, "integer"),
        ({"type": ["null", "string"]}, "string"),
        ({"type": ["null"]}, "null"),
        ({"properties": {"a": {}}}, "object"),
        ({"description": "anything"}, None),
        ("not a schema", None),
    ],
)
def test_the_kind_of_a_value(schema: object, kind: str | None) -> None:
    assert kind_of(schema) == kind


@pytest.mark.parametrize(
    ("schema", "branch"),
    [
        ({"anyOf": [{"type": "null"}, {"type": "string"}]}, {"type": "string"}),
        ({"oneOf": [{"type": "null"}, {"type": "integer"}]}, {"type": "integer"}),
        ({"anyOf": [{"type": "null"}], "oneOf": [{"type": "string"}]}, {"type": "null"}),  # anyOf first, all null
        ({"anyOf": [], "oneOf": [{"type": "string"}]}, {"type": "string"}),  # an empty anyOf says nothing
        ({"anyOf": []}, None),
        ({"anyOf": "no list"}, None),
        ({"type": "string"}, None),
    ],
)
def test_the_first_branch_that_is_not_null(schema: dict[str, Any], branch: object) -> None:
    assert first_branch(schema) == branch


def test_the_kind_of_a_branch_is_the_callers_to_tell() -> None:
    """The test double follows a reference to tell a null branch; a caller that does not sees the reference."""
    schema = {"anyOf": [{"$ref": "#/Null"}, {"type": "string"}]}
    assert first_branch(schema) == {"$ref": "#/Null"}
    assert first_branch(schema, lambda b: "null" if "$ref" in b else kind_of(b)) == {"type": "string"}
