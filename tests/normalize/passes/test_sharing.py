"""The sharing passes (normalize/passes/sharing.py): repeated schemas named once, nullable shapes as unions.

Each pass on a tiny inline spec, one class per pass (`TestLiftNullableUnions` for lift_nullable_unions): at least
one exact output, and the runner's "found nothing to change" warning when the pass has nothing to do.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides, normalize
from sdkpipeline.normalize import passes as p
from sdkpipeline.normalize.context import NamedLocation, NamesRecord
from tests.normalize.passes.fragments import (
    ADDRESS,
    CURRENCY,
    NO_OVERRIDES,
    NULL,
    REF,
    Doc,
    assert_nothing_to_do,
    changes_of,
    json_content,
    make_obj,
    make_op,
    make_spec,
    run_pass,
    schemas_of,
)


class TestHoistRepeatedSchemas:
    # Repeated enums
    def test_identical_enums_become_one_component(self) -> None:
        doc = make_spec(
            {
                "Order": make_obj(currency={**CURRENCY, "description": "order currency"}),
                # same value set in another order; nullable use stays nullable
                "Payment": make_obj(currency={"type": ["string", "null"], "enum": ["EUR", "USD", None]}),
            }
        )
        out, log = run_pass(p.hoist_repeated_schemas, doc)
        assert schemas_of(out) == {
            "Order": make_obj(currency={"$ref": REF("Currency"), "description": "order currency"}),
            "Payment": make_obj(currency={"anyOf": [{"$ref": REF("Currency")}, NULL]}),
            "Currency": CURRENCY,
        }
        assert changes_of(log) == [("/components/schemas/Currency", "new shared enum (2 uses)")]

    def test_single_enum_stays_inline(self) -> None:
        assert_nothing_to_do(p.hoist_repeated_schemas, make_spec({"Order": make_obj(currency=CURRENCY)}))

    def test_different_value_sets_stay_apart(self) -> None:
        doc = make_spec(
            {"Order": make_obj(currency=CURRENCY), "Payment": make_obj(currency={"type": "string", "enum": ["USD"]})}
        )
        assert_nothing_to_do(p.hoist_repeated_schemas, doc)

    # Repeated objects
    def test_identical_objects_become_one_component_named_from_the_property(self) -> None:
        doc = make_spec(
            {"Order": make_obj(address={**ADDRESS, "description": "ship to"}), "User": make_obj(address=ADDRESS)}
        )
        out, log = run_pass(p.hoist_repeated_schemas, doc)
        assert schemas_of(out) == {
            "Order": make_obj(address={"$ref": REF("Address"), "description": "ship to"}),
            "User": make_obj(address={"$ref": REF("Address")}),
            "Address": {**ADDRESS, "description": "ship to"},
        }
        assert changes_of(log) == [("/components/schemas/Address", "new shared object (2 uses)")]

    def test_plural_list_items_are_singularised(self) -> None:
        line = make_obj(sku={"type": "string"})
        doc = make_spec(
            {
                "Cart": make_obj(lineItems={"type": "array", "items": line}),
                "Invoice": make_obj(lineItems={"type": "array", "items": line}),
            }
        )
        out, _ = run_pass(p.hoist_repeated_schemas, doc)
        assert schemas_of(out)["Cart"]["properties"]["lineItems"] == {
            "type": "array",
            "items": {"$ref": REF("LineItem")},
        }
        assert schemas_of(out)["LineItem"] == line

    def test_taken_name_is_qualified_by_the_enclosing_one(self) -> None:
        doc = make_spec(
            {"Address": {"type": "string"}, "Order": make_obj(address=ADDRESS), "User": make_obj(address=ADDRESS)}
        )
        out, _ = run_pass(p.hoist_repeated_schemas, doc)
        assert list(schemas_of(out)) == ["Address", "Order", "User", "UserAddress"]
        assert schemas_of(out)["Order"]["properties"]["address"] == {"$ref": REF("UserAddress")}

    def test_single_object_in_a_list_is_hoisted(self) -> None:
        doc = make_spec({"Cart": make_obj(items={"type": "array", "items": make_obj(sku={"type": "string"})})})
        out, _ = run_pass(p.hoist_repeated_schemas, doc)
        assert schemas_of(out)["Item"] == make_obj(sku={"type": "string"})

    def test_names_override_forces_the_name(self) -> None:
        name = NamedLocation("/components/schemas/User/properties/address", "PostalAddress", "why")
        doc = make_spec({"Order": make_obj(address=ADDRESS), "User": make_obj(address=ADDRESS)})
        out, _ = run_pass(p.hoist_repeated_schemas, doc, Overrides(names=(name,)))
        assert list(schemas_of(out)) == ["Order", "User", "PostalAddress"]
        # applied: running again finds the named use already refers to its component
        assert_nothing_to_do(p.hoist_repeated_schemas, out, Overrides(names=(name,)))

    def test_unused_names_entry_is_an_error(self) -> None:
        name = NamedLocation("/components/schemas/User/properties/home", "PostalAddress", "why")
        overrides = Overrides(file=Path("specs/shop/overrides.yaml"), names=(name,))
        doc = make_spec({"Order": make_obj(address=ADDRESS), "User": make_obj(address=ADDRESS)})
        with pytest.raises(PipelineError) as info:
            run_pass(p.hoist_repeated_schemas, doc, overrides)
        assert str(info.value).startswith(
            "specs/shop/overrides.yaml#/names: names entry for /components/schemas/User/properties/home "
            "matches no inline object or enum in the spec"
        )

    def test_two_names_for_one_shape_is_an_error(self) -> None:
        names = (
            NamedLocation("/components/schemas/Order/properties/address", "ShipTo", "why"),
            NamedLocation("/components/schemas/User/properties/address", "Home", "why"),
        )
        doc = make_spec({"Order": make_obj(address=ADDRESS), "User": make_obj(address=ADDRESS)})
        with pytest.raises(PipelineError, match="names Home, ShipTo are given to one shared schema"):
            run_pass(p.hoist_repeated_schemas, doc, Overrides(names=names))

    def test_keep_inline_leaves_the_envelope_alone(self) -> None:
        doc = make_spec(
            {"A": make_obj(data=make_obj(ok={"type": "boolean"})), "B": make_obj(data=make_obj(ok={"type": "boolean"}))}
        )
        assert_nothing_to_do(p.hoist_repeated_schemas, doc, Overrides(keep_inline=frozenset({"data"})))


class TestLiftNullableUnions:
    @pytest.mark.parametrize(
        ("schema", "lifted"),
        [
            # the Fungies form: a nullable enum whose values omit null
            ({"type": ["string", "null"], "enum": ["USD", "EUR"]}, {"anyOf": [CURRENCY, NULL]}),
            (
                {"type": ["string", "null"], "enum": ["USD", "EUR"], "default": None, "description": "d"},
                {"anyOf": [CURRENCY, NULL], "description": "d", "default": None},
            ),
            ({"type": ["string", "null"], "enum": ["USD", "EUR", None]}, {"anyOf": [CURRENCY, NULL]}),
            (
                {"type": ["object", "null"], **{k: v for k, v in ADDRESS.items() if k != "type"}},
                {"anyOf": [ADDRESS, NULL]},
            ),
            (
                {"type": ["array", "null"], "items": ADDRESS},
                {"anyOf": [{"type": "array", "items": ADDRESS}, NULL]},
            ),
            (
                {"type": ["array", "null"], "items": {"$ref": REF("Order")}},
                {"anyOf": [{"type": "array", "items": {"$ref": REF("Order")}}, NULL]},
            ),
        ],
        ids=["enum", "enum_default_null", "enum_with_null", "object", "array_of_objects", "array_of_refs"],
    )
    def test_nullable_enum_object_array_become_anyof_null(self, schema: Doc, lifted: Doc) -> None:
        out, log = run_pass(p.lift_nullable_unions, make_spec({"Order": make_obj(value=schema)}))
        assert schemas_of(out)["Order"]["properties"]["value"] == lifted
        assert changes_of(log) == [
            ("/components/schemas/Order/properties/value", "nullable union as anyOf [schema, null]")
        ]

    def test_fungies_nullable_enum_end_to_end(self) -> None:
        """fix_null_defaults then lift_nullable_unions: the generator sees `Enum | None`."""
        doc = make_spec(
            {"Order": make_obj(currency={"type": ["string", "null"], "enum": ["USD", "EUR"], "default": None})}
        )
        out, _ = normalize(doc, NO_OVERRIDES, passes=(p.fix_null_defaults, p.lift_nullable_unions))
        assert schemas_of(out)["Order"]["properties"]["currency"] == {"anyOf": [CURRENCY, NULL], "default": None}

    def test_scalars_and_arrays_of_scalars_are_left_alone(self) -> None:
        doc = make_spec(
            {
                "Order": make_obj(
                    note={"type": ["string", "null"]},
                    total={"type": ["number", "null"], "default": None},
                    tags={"type": ["array", "null"], "items": {"type": "string"}},
                    ref={"anyOf": [{"$ref": REF("Order")}, NULL]},
                )
            }
        )
        assert_nothing_to_do(p.lift_nullable_unions, doc)


def test_lift_nullable_unions_leaves_an_enum_of_only_null_alone() -> None:
    # `enum: [null]` (the generator's 3.1 test document) once became `enum: []`, which the generator rejects
    doc = make_spec({"OnlyNull": {"enum": [None], "description": "only null"}})
    assert_nothing_to_do(p.lift_nullable_unions, doc)


class TestMergeIdenticalComponents:
    def test_operation_prefixed_duplicates_merge_under_the_suffix(self) -> None:
        error = make_obj(status={"type": "string", "const": "error"})
        bad = {"description": "bad", **json_content({"$ref": REF("GetOrdersNegativeResponse")})}
        bad2 = {"description": "bad", **json_content({"$ref": REF("PostOrdersNegativeResponse")})}
        doc = make_spec(
            {"GetOrdersNegativeResponse": error, "PostOrdersNegativeResponse": copy.deepcopy(error)},
            {
                "/orders": {
                    "get": make_op("GetOrders", responses={"400": bad}),
                    "post": make_op("PostOrders", responses={"400": bad2}),
                }
            },
        )
        out, log = run_pass(p.merge_identical_components, doc)
        assert schemas_of(out) == {"NegativeResponse": error}
        for method in ("get", "post"):
            schema = out["paths"]["/orders"][method]["responses"]["400"]["content"]["application/json"]["schema"]
            assert schema == {"$ref": REF("NegativeResponse")}
        assert changes_of(log) == [("/components/schemas/NegativeResponse", "merged 2 identical components")]

    def test_the_longest_operation_id_a_name_starts_with_is_taken_off(self) -> None:
        """`GetOrderListParameterFilter` starts with the operationIds GetOrder and GetOrderList: the longer one and
        the 'Parameter' after it come off, so it merges with `PostOrderListFilter` under `Filter`."""
        shape = make_obj(q={"type": "string"})
        doc = make_spec(
            {"GetOrderListParameterFilter": shape, "PostOrderListFilter": copy.deepcopy(shape)},
            {
                "/orders": {"get": make_op("GetOrderList"), "post": make_op("PostOrderList")},
                "/order": {"get": make_op("GetOrder")},
            },
        )
        out, log = run_pass(p.merge_identical_components, doc)
        assert schemas_of(out) == {"Filter": shape}
        assert changes_of(log) == [("/components/schemas/Filter", "merged 2 identical components")]

    def test_nothing_to_do(self) -> None:
        # identical, but not operation-prefixed: two names the vendor chose
        doc = make_spec({"Money": {"type": "string"}, "Price": {"type": "string"}}, {"/o": {"get": make_op("GetO")}})
        assert_nothing_to_do(p.merge_identical_components, doc)

    def test_an_operation_removed_with_its_components_left_behind_still_merges(self) -> None:
        """The vendor dropped PostOrders but not its component: it still joins NegativeResponse, nothing refused."""
        error = make_obj(status={"type": "string", "const": "error"})
        bad = {"description": "bad", **json_content({"$ref": REF("GetOrdersNegativeResponse")})}
        schemas = {
            "GetOrdersNegativeResponse": error,
            "PostOrdersNegativeResponse": copy.deepcopy(error),
            "PutOrdersNegativeResponse": copy.deepcopy(error),
        }
        doc = make_spec(
            schemas, {"/orders": {"get": make_op("GetOrders", responses={"400": bad}), "put": make_op("PutOrders")}}
        )
        out, log = run_pass(p.merge_identical_components, doc)
        assert schemas_of(out) == {"NegativeResponse": error}
        assert changes_of(log) == [("/components/schemas/NegativeResponse", "merged 3 identical components")]

    def test_a_published_merge_is_made_again_when_one_copy_is_left(self) -> None:
        """The names record's merged component keeps its name with one operation left (the rule needs two)."""
        error = make_obj(status={"type": "string", "const": "error"})
        bad = {"description": "bad", **json_content({"$ref": REF("GetOrdersNegativeResponse")})}
        doc = make_spec(
            {"GetOrdersNegativeResponse": error}, {"/orders": {"get": make_op("GetOrders", responses={"400": bad})}}
        )
        renamed = NamedLocation("/components/schemas/NegativeResponse", "ErrorResponse", "the error envelope")
        record = NamesRecord(
            merged={"ErrorResponse": frozenset({"GetOrdersNegativeResponse", "PostOrdersNegativeResponse"})}
        )
        out, _ = run_pass(p.merge_identical_components, doc, Overrides(names=(renamed,), record=record))
        assert schemas_of(out) == {"NegativeResponse": error}, "merged under the name the override renames"
        without, _ = run_pass(p.merge_identical_components, copy.deepcopy(doc), Overrides(names=(renamed,)))
        assert schemas_of(without) == {"GetOrdersNegativeResponse": error}

    def test_a_new_operations_copy_joins_a_published_merge(self) -> None:
        """Two shapes end in `RequestBody`; the published one keeps the name, a new copy of it joins."""
        empty, other = make_obj(), make_obj(note={"type": "string"})
        schemas = {
            "ArchiveARequestBody": empty,
            "ArchiveBRequestBody": copy.deepcopy(empty),
            "NewRequestBody": copy.deepcopy(empty),
            "CreateARequestBody": other,
            "CreateBRequestBody": copy.deepcopy(other),
            "CreateCRequestBody": copy.deepcopy(other),
        }
        ops = {f"/{n}": {"post": make_op(n)} for n in ("ArchiveA", "ArchiveB", "New", "CreateA", "CreateB", "CreateC")}
        record = NamesRecord(merged={"RequestBody": frozenset({"ArchiveARequestBody", "ArchiveBRequestBody"})})
        out, _ = run_pass(p.merge_identical_components, make_spec(schemas, ops), Overrides(record=record))
        assert schemas_of(out) == {
            "RequestBody": empty,
            "CreateARequestBody": other,
            "CreateBRequestBody": other,
            "CreateCRequestBody": other,
        }
