"""A component's schema reference (spec/pointer.py): `schema_ref` builds it, `component_name` reads it back."""

from __future__ import annotations

import pytest

from sdkpipeline.spec.pointer import component_name, schema_ref


def test_schema_ref_escapes_the_name_as_a_pointer_token() -> None:
    assert schema_ref("Order") == "#/components/schemas/Order"
    assert schema_ref("a/b~c") == "#/components/schemas/a~1b~0c"


@pytest.mark.parametrize("name", ["Order", "File--Base", "a/b", "x~1y", "Order 2"])
def test_a_schema_ref_reads_back_as_its_component_name(name: str) -> None:
    assert component_name(schema_ref(name)) == name


@pytest.mark.parametrize(
    "ref",
    [
        "#/components/responses/Error",  # another section of components
        "#/components/schemas/Order/properties/id",  # inside a component
        "#/components/schemas",
        "other.yaml#/components/schemas/Order",  # not a local reference
        "#",
    ],
)
def test_component_name_is_none_for_any_other_reference(ref: str) -> None:
    assert component_name(ref) is None
