"""Tests for the normalizer passes (sdkpipeline.normalize.passes), each on a tiny inline spec.

One class per pass in PASSES (`TestLiftNullableUnions` for lift_nullable_unions): at least one exact
output, and the runner's "found nothing to change" warning when the pass has nothing to do. Then
determinism and idempotency, also on both vendored specs.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, ClassVar

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import PASSES, Overrides, PassLog, load_overrides, normalize
from sdkpipeline.normalize import passes as p
from sdkpipeline.normalize.context import NamedLocation, NamesRecord, PublishedOperation
from sdkpipeline.normalize.naming import pascal_case
from sdkpipeline.normalize.passes import Pass
from sdkpipeline.spec.pointer import pointer
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import dump_document, load_document

Doc = dict[str, Any]
NOTHING = "found nothing to change"
NO_OVERRIDES = Overrides()


def _spec(schemas: Doc | None = None, paths: Doc | None = None) -> Doc:
    doc: Doc = {"openapi": "3.1.0", "info": {"title": "Shop", "version": "1.0.0"}, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return doc


def _op(operation_id: str, **fields: Any) -> Doc:
    return {"operationId": operation_id, "responses": {"200": {"description": "ok"}}, **fields}


def _json(schema: Doc) -> Doc:
    return {"content": {"application/json": {"schema": schema}}}


def _obj(**properties: Any) -> Doc:
    return {"type": "object", "properties": properties}


def _run(step: Pass, doc: Doc, overrides: Overrides = NO_OVERRIDES) -> tuple[Doc, PassLog]:
    """Run one pass through the runner (which checks the document and logs the pass)."""
    return normalize(
        doc, overrides, passes=(step,), keep_decisions=True
    )  # the document states earlier passes' decisions


def _schemas(doc: Doc) -> Doc:
    schemas: Doc = doc["components"]["schemas"]
    return schemas


def _changes(log: PassLog) -> list[tuple[str, str]]:
    return [(c.pointer, c.message) for c in log.changes]


def _assert_nothing_to_do(step: Pass, doc: Doc, overrides: Overrides = NO_OVERRIDES) -> None:
    out, log = _run(step, copy.deepcopy(doc), overrides)
    assert log.changes == []
    assert log.warnings == [f"{step.__name__}: {NOTHING}"]
    assert out == doc


REF = "#/components/schemas/{}".format
NULL = {"type": "null"}
CURRENCY = {"type": "string", "enum": ["USD", "EUR"]}
ADDRESS = _obj(street={"type": "string"}, city={"type": "string"})


def test_every_pass_has_a_test_class() -> None:
    """Here, or for the repairs of what the generator would refuse, in test_repairs.py."""
    from tests.normalize import test_repairs

    classes = {*globals(), *vars(test_repairs)}
    missing = [s.__name__ for s in PASSES if f"Test{pascal_case(s.__name__)}" not in classes]
    assert missing == []


def test_a_document_nothing_applies_to_makes_every_pass_warn() -> None:
    doc = _spec({"Order": _obj(id={"type": "string"})})
    _, log = normalize(copy.deepcopy(doc), NO_OVERRIDES)
    assert log.warnings == [f"{s.__name__}: {NOTHING}" for s in PASSES]


class TestApplyPatches:
    @staticmethod
    def _overrides(tmp_path: Path, patches: str) -> Overrides:
        path = tmp_path / "overrides.yaml"
        path.write_text(f"patches:\n{patches}", encoding="utf-8")
        return load_overrides(path)

    def test_set_merge_remove(self, tmp_path: Path) -> None:
        overrides = self._overrides(
            tmp_path,
            "  - {pointer: /components/schemas/Order/properties/note, set: {type: string}, reason: live API}\n"
            "  - {pointer: /components/schemas/Order, merge: {description: An order}, reason: docs}\n"
            "  - {pointer: /components/schemas/Order/properties/legacy, remove: true, reason: gone}\n",
        )
        doc = _spec({"Order": _obj(id={"type": "string"}, legacy={"type": "string"})})
        out, log = _run(p.apply_patches, doc, overrides)
        assert _schemas(out) == {
            "Order": {**_obj(id={"type": "string"}, note={"type": "string"}), "description": "An order"}
        }
        assert _changes(log) == [
            ("/components/schemas/Order/properties/note", "set: live API"),
            ("/components/schemas/Order", "merge: docs"),
            ("/components/schemas/Order/properties/legacy", "remove: gone"),
        ]
        _assert_nothing_to_do(p.apply_patches, out, overrides)  # already applied: a re-run changes nothing

    def test_bad_pointer_names_the_overrides_file_and_entry(self, tmp_path: Path) -> None:
        overrides = self._overrides(
            tmp_path,
            "  - {pointer: /components/schemas/Order, merge: {description: x}, reason: fine}\n"
            "  - {pointer: /components/schemas/Refund/properties/id, set: {type: string}, reason: stale}\n",
        )
        with pytest.raises(PipelineError) as info:
            _run(p.apply_patches, _spec({"Order": _obj()}), overrides)
        assert str(info.value).startswith(f"{tmp_path / 'overrides.yaml'}#/patches/1: patch target ")
        assert info.value.hint == "the vendor document changed: update or drop this patch"

    def test_merge_needs_a_mapping(self, tmp_path: Path) -> None:
        overrides = self._overrides(tmp_path, "  - {pointer: /info/title, merge: {a: 1}, reason: wrong}\n")
        with pytest.raises(PipelineError, match="merge needs an existing mapping at /info/title") as info:
            _run(p.apply_patches, _spec(), overrides)
        assert info.value.where == "/patches/0"

    def test_nothing_to_do(self) -> None:
        _assert_nothing_to_do(p.apply_patches, _spec({"Order": _obj()}))


class TestAddExtraSchemas:
    def test_adds_project_kept_schemas(self) -> None:
        overrides = Overrides(extra_schemas={"WebhookEvent": _obj(type={"type": "string"})})
        out, log = _run(p.add_extra_schemas, _spec({"Order": _obj()}), overrides)
        assert list(_schemas(out)) == ["Order", "WebhookEvent"]
        assert _changes(log) == [("/components/schemas/WebhookEvent", "added project-kept schema")]

    def test_clash_with_vendor_component(self) -> None:
        overrides = Overrides(file=Path("overrides.yaml"), extra_schemas={"Order": _obj(type={"type": "string"})})
        with pytest.raises(PipelineError, match="extra schema 'Order' clashes"):
            _run(p.add_extra_schemas, _spec({"Order": _obj()}), overrides)

    def test_nothing_to_do(self) -> None:
        _assert_nothing_to_do(p.add_extra_schemas, _spec({"Order": _obj()}))

    def test_already_added_is_nothing_to_do(self) -> None:
        """An identical schema already there (a normalized spec normalized again) is left alone."""
        _assert_nothing_to_do(p.add_extra_schemas, _spec({"W": _obj()}), Overrides(extra_schemas={"W": _obj()}))


class TestDeclarePathParameters:
    def test_declares_what_the_template_names(self) -> None:
        declared = {"name": "orderId", "in": "path", "required": True, "schema": {"type": "string"}}
        doc = _spec(paths={"/orders/{orderId}/items/{itemId}": {"parameters": [declared], "patch": _op("updateItem")}})
        out, log = _run(p.declare_path_parameters, doc)
        assert out["paths"]["/orders/{orderId}/items/{itemId}"]["patch"]["parameters"] == [
            {
                "name": "itemId",
                "in": "path",
                "required": True,
                "description": "PATCH /orders/{orderId}/items/{itemId} Parameter",
                "schema": {"type": "string"},
            }
        ]
        where = pointer("paths", "/orders/{orderId}/items/{itemId}", "patch", "parameters")
        assert _changes(log) == [(where, "declared missing path parameter 'itemId'")]

    def test_nothing_to_do(self) -> None:
        ref = {"$ref": "#/components/parameters/OrderId"}
        doc = _spec(paths={"/orders/{orderId}": {"get": _op("getOrder", parameters=[ref])}})
        doc["components"] = {"parameters": {"OrderId": {"name": "orderId", "in": "path", "required": True}}}
        _assert_nothing_to_do(p.declare_path_parameters, doc)


class TestStripIgnoredHeaderParameters:
    def test_drops_accept_content_type_authorization(self) -> None:
        limit = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        headers = [{"name": n, "in": "header", "schema": {"type": "string"}} for n in ("Accept", "authorization")]
        doc = _spec(
            paths={
                "/orders": {
                    "get": _op("listOrders", parameters=[headers[0], limit, headers[1]]),
                    "post": _op("createOrder", parameters=[{"name": "Content-Type", "in": "header"}]),
                }
            }
        )
        out, log = _run(p.strip_ignored_header_parameters, doc)
        assert out["paths"]["/orders"]["get"]["parameters"] == [limit]
        assert "parameters" not in out["paths"]["/orders"]["post"]
        assert [m for _, m in _changes(log)] == [
            "dropped ignored header parameter Accept",
            "dropped ignored header parameter authorization",
            "dropped ignored header parameter Content-Type",
        ]

    def test_drops_them_from_the_path_item_too(self) -> None:
        doc = _spec(paths={"/orders": {"parameters": [{"name": "Accept", "in": "header"}], "get": _op("listOrders")}})
        out, _ = _run(p.strip_ignored_header_parameters, doc)
        assert "parameters" not in out["paths"]["/orders"]

    def test_nothing_to_do(self) -> None:
        other = {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}}
        _assert_nothing_to_do(
            p.strip_ignored_header_parameters, _spec(paths={"/orders": {"get": _op("listOrders", parameters=[other])}})
        )


class TestFixUntypedSchemas:
    def test_types_preprocessed_formats_and_bare_properties(self) -> None:
        doc = _spec(
            {
                "Filter": {
                    "properties": {
                        "active": {"format": "boolean (preprocessed)", "description": "only active ones"},
                        "anything": {"format": "any"},
                        "range": {"properties": {"from": {"type": "integer"}}},
                        "either": {"properties": {"a": {"type": "string"}}, "oneOf": [{"required": ["a"]}]},
                    }
                }
            }
        )
        out, log = _run(p.fix_untyped_schemas, doc)
        assert _schemas(out) == {
            "Filter": {
                "properties": {
                    "active": {"description": "only active ones", "type": "boolean"},
                    "anything": {},
                    "range": {"properties": {"from": {"type": "integer"}}, "type": "object"},
                    # a union decides its own type
                    "either": {"properties": {"a": {"type": "string"}}, "oneOf": [{"required": ["a"]}]},
                },
                "type": "object",
            }
        }
        assert _changes(log) == [
            ("/components/schemas/Filter", "typed schema with properties as object"),
            ("/components/schemas/Filter/properties/active", "typed 'boolean (preprocessed)' as boolean"),
            ("/components/schemas/Filter/properties/anything", "dropped 'format: any' (any value)"),
            ("/components/schemas/Filter/properties/range", "typed schema with properties as object"),
        ]

    def test_nothing_to_do(self) -> None:
        _assert_nothing_to_do(p.fix_untyped_schemas, _spec({"Order": _obj(ref={"$ref": REF("Order")})}))


class TestFixDefaultsOutsideBounds:
    def test_exclusive_bound_on_the_default_becomes_inclusive(self) -> None:
        doc = _spec(
            {
                "Page": _obj(
                    offset={"type": "integer", "exclusiveMinimum": 0, "default": 0, "exclusiveMaximum": 100},
                    limit={"type": "integer", "exclusiveMaximum": 50, "default": 50},
                    size={"type": "integer", "exclusiveMinimum": 0, "default": 5},
                )
            }
        )
        out, log = _run(p.fix_defaults_outside_bounds, doc)
        assert _schemas(out)["Page"]["properties"] == {
            "offset": {"type": "integer", "default": 0, "exclusiveMaximum": 100, "minimum": 0},
            "limit": {"type": "integer", "default": 50, "maximum": 50},
            "size": {"type": "integer", "exclusiveMinimum": 0, "default": 5},
        }
        assert [m for _, m in _changes(log)] == [
            "exclusiveMinimum 0 excluded the default; made it minimum",
            "exclusiveMaximum 50 excluded the default; made it maximum",
        ]

    def test_nothing_to_do(self) -> None:
        flag = {"type": "boolean", "default": False, "exclusiveMinimum": False}
        _assert_nothing_to_do(p.fix_defaults_outside_bounds, _spec({"Page": _obj(flag=flag)}))


class TestFixNullDefaults:
    @pytest.mark.parametrize("extra", [{}, {"default": None}], ids=["no_default", "default_null"])
    def test_nullable_enum_gets_null_among_its_values(self, extra: Doc) -> None:
        doc = _spec({"Order": _obj(currency={"type": ["string", "null"], "enum": ["USD", "EUR"], **extra})})
        out, log = _run(p.fix_null_defaults, doc)
        assert _schemas(out)["Order"]["properties"]["currency"] == {
            "type": ["string", "null"],
            "enum": ["USD", "EUR", None],
            **extra,
        }
        assert _changes(log) == [
            ("/components/schemas/Order/properties/currency", "nullable enum: added null to its values")
        ]

    def test_nothing_to_do(self) -> None:
        done = {"type": ["string", "null"], "enum": ["USD", None]}
        _assert_nothing_to_do(p.fix_null_defaults, _spec({"Order": _obj(currency=done, status=CURRENCY)}))


class TestCollapseBinaryRequestBodies:
    def test_image_bodies_become_one_octet_stream_body(self) -> None:
        binary = {"schema": {"type": "string", "format": "binary"}}
        body = {"required": True, "content": {"image/png": binary, "image/svg+xml": binary}}
        doc = _spec(paths={"/logo": {"put": _op("uploadLogo", requestBody=body)}})
        out, log = _run(p.collapse_binary_request_bodies, doc)
        assert out["paths"]["/logo"]["put"]["requestBody"] == {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            "x-content-types": ["image/png", "image/svg+xml"],
        }
        assert _changes(log) == [
            (
                "/paths/~1logo/put/requestBody",
                "raw binary body (image/png, image/svg+xml) sent as one octet-stream body; the caller picks the type",
            )
        ]

    def test_nothing_to_do(self) -> None:
        body = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
        _assert_nothing_to_do(
            p.collapse_binary_request_bodies, _spec(paths={"/logo": {"put": _op("uploadLogo", requestBody=body)}})
        )


class TestHoistResponseSchemas:
    def test_shared_response_schema_becomes_a_component(self) -> None:
        error = _obj(message={"type": "string"})
        doc = _spec(
            {},
            {"/orders": {"get": _op("listOrders", responses={"401": {"$ref": "#/components/responses/Unauthorized"}})}},
        )
        doc["components"]["responses"] = {"Unauthorized": {"description": "no key", **_json(error)}}
        out, log = _run(p.hoist_response_schemas, doc)
        assert out["components"] == {
            "schemas": {"Unauthorized": error},
            "responses": {"Unauthorized": {"description": "no key", **_json({"$ref": REF("Unauthorized")})}},
        }
        assert _changes(log) == [
            ("/components/responses/Unauthorized/content/application~1json/schema", "hoisted into Unauthorized")
        ]

    def test_name_taken_gets_a_number(self) -> None:
        doc = _spec({"Unauthorized": {"type": "string"}})
        doc["components"]["responses"] = {"Unauthorized": {"description": "x", **_json(_obj(m={"type": "string"}))}}
        out, _ = _run(p.hoist_response_schemas, doc)
        assert list(_schemas(out)) == ["Unauthorized", "Unauthorized2"]

    def test_nothing_to_do(self) -> None:
        doc = _spec({"Error": _obj(m={"type": "string"})})
        doc["components"]["responses"] = {"Unauthorized": {"description": "x", **_json({"$ref": REF("Error")})}}
        _assert_nothing_to_do(p.hoist_response_schemas, doc)


class TestHoistRepeatedSchemas:
    # Repeated enums
    def test_identical_enums_become_one_component(self) -> None:
        doc = _spec(
            {
                "Order": _obj(currency={**CURRENCY, "description": "order currency"}),
                # same value set in another order; nullable use stays nullable
                "Payment": _obj(currency={"type": ["string", "null"], "enum": ["EUR", "USD", None]}),
            }
        )
        out, log = _run(p.hoist_repeated_schemas, doc)
        assert _schemas(out) == {
            "Order": _obj(currency={"$ref": REF("Currency"), "description": "order currency"}),
            "Payment": _obj(currency={"anyOf": [{"$ref": REF("Currency")}, NULL]}),
            "Currency": CURRENCY,
        }
        assert _changes(log) == [("/components/schemas/Currency", "new shared enum (2 uses)")]

    def test_single_enum_stays_inline(self) -> None:
        _assert_nothing_to_do(p.hoist_repeated_schemas, _spec({"Order": _obj(currency=CURRENCY)}))

    def test_different_value_sets_stay_apart(self) -> None:
        doc = _spec({"Order": _obj(currency=CURRENCY), "Payment": _obj(currency={"type": "string", "enum": ["USD"]})})
        _assert_nothing_to_do(p.hoist_repeated_schemas, doc)

    # Repeated objects
    def test_identical_objects_become_one_component_named_from_the_property(self) -> None:
        doc = _spec({"Order": _obj(address={**ADDRESS, "description": "ship to"}), "User": _obj(address=ADDRESS)})
        out, log = _run(p.hoist_repeated_schemas, doc)
        assert _schemas(out) == {
            "Order": _obj(address={"$ref": REF("Address"), "description": "ship to"}),
            "User": _obj(address={"$ref": REF("Address")}),
            "Address": {**ADDRESS, "description": "ship to"},
        }
        assert _changes(log) == [("/components/schemas/Address", "new shared object (2 uses)")]

    def test_plural_list_items_are_singularised(self) -> None:
        line = _obj(sku={"type": "string"})
        doc = _spec(
            {
                "Cart": _obj(lineItems={"type": "array", "items": line}),
                "Invoice": _obj(lineItems={"type": "array", "items": line}),
            }
        )
        out, _ = _run(p.hoist_repeated_schemas, doc)
        assert _schemas(out)["Cart"]["properties"]["lineItems"] == {"type": "array", "items": {"$ref": REF("LineItem")}}
        assert _schemas(out)["LineItem"] == line

    def test_taken_name_is_qualified_by_the_enclosing_one(self) -> None:
        doc = _spec({"Address": {"type": "string"}, "Order": _obj(address=ADDRESS), "User": _obj(address=ADDRESS)})
        out, _ = _run(p.hoist_repeated_schemas, doc)
        assert list(_schemas(out)) == ["Address", "Order", "User", "UserAddress"]
        assert _schemas(out)["Order"]["properties"]["address"] == {"$ref": REF("UserAddress")}

    def test_single_object_in_a_list_is_hoisted(self) -> None:
        doc = _spec({"Cart": _obj(items={"type": "array", "items": _obj(sku={"type": "string"})})})
        out, _ = _run(p.hoist_repeated_schemas, doc)
        assert _schemas(out)["Item"] == _obj(sku={"type": "string"})

    def test_names_override_forces_the_name(self) -> None:
        name = NamedLocation("/components/schemas/User/properties/address", "PostalAddress", "why")
        doc = _spec({"Order": _obj(address=ADDRESS), "User": _obj(address=ADDRESS)})
        out, _ = _run(p.hoist_repeated_schemas, doc, Overrides(names=(name,)))
        assert list(_schemas(out)) == ["Order", "User", "PostalAddress"]
        # applied: running again finds the named use already refers to its component
        _assert_nothing_to_do(p.hoist_repeated_schemas, out, Overrides(names=(name,)))

    def test_unused_names_entry_is_an_error(self) -> None:
        name = NamedLocation("/components/schemas/User/properties/home", "PostalAddress", "why")
        overrides = Overrides(file=Path("specs/shop/overrides.yaml"), names=(name,))
        doc = _spec({"Order": _obj(address=ADDRESS), "User": _obj(address=ADDRESS)})
        with pytest.raises(PipelineError) as info:
            _run(p.hoist_repeated_schemas, doc, overrides)
        assert str(info.value).startswith(
            "specs/shop/overrides.yaml#/names: names entry for /components/schemas/User/properties/home "
            "matches no inline object or enum in the spec"
        )

    def test_two_names_for_one_shape_is_an_error(self) -> None:
        names = (
            NamedLocation("/components/schemas/Order/properties/address", "ShipTo", "why"),
            NamedLocation("/components/schemas/User/properties/address", "Home", "why"),
        )
        doc = _spec({"Order": _obj(address=ADDRESS), "User": _obj(address=ADDRESS)})
        with pytest.raises(PipelineError, match="names Home, ShipTo are given to one shared schema"):
            _run(p.hoist_repeated_schemas, doc, Overrides(names=names))

    def test_keep_inline_leaves_the_envelope_alone(self) -> None:
        doc = _spec({"A": _obj(data=_obj(ok={"type": "boolean"})), "B": _obj(data=_obj(ok={"type": "boolean"}))})
        _assert_nothing_to_do(p.hoist_repeated_schemas, doc, Overrides(keep_inline=frozenset({"data"})))


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
        out, log = _run(p.lift_nullable_unions, _spec({"Order": _obj(value=schema)}))
        assert _schemas(out)["Order"]["properties"]["value"] == lifted
        assert _changes(log) == [
            ("/components/schemas/Order/properties/value", "nullable union as anyOf [schema, null]")
        ]

    def test_fungies_nullable_enum_end_to_end(self) -> None:
        """fix_null_defaults then lift_nullable_unions: the generator sees `Enum | None`."""
        doc = _spec({"Order": _obj(currency={"type": ["string", "null"], "enum": ["USD", "EUR"], "default": None})})
        out, _ = normalize(doc, NO_OVERRIDES, passes=(p.fix_null_defaults, p.lift_nullable_unions))
        assert _schemas(out)["Order"]["properties"]["currency"] == {"anyOf": [CURRENCY, NULL], "default": None}

    def test_scalars_and_arrays_of_scalars_are_left_alone(self) -> None:
        doc = _spec(
            {
                "Order": _obj(
                    note={"type": ["string", "null"]},
                    total={"type": ["number", "null"], "default": None},
                    tags={"type": ["array", "null"], "items": {"type": "string"}},
                    ref={"anyOf": [{"$ref": REF("Order")}, NULL]},
                )
            }
        )
        _assert_nothing_to_do(p.lift_nullable_unions, doc)


class TestMergeIdenticalComponents:
    def test_operation_prefixed_duplicates_merge_under_the_suffix(self) -> None:
        error = _obj(status={"type": "string", "const": "error"})
        bad = {"description": "bad", **_json({"$ref": REF("GetOrdersNegativeResponse")})}
        bad2 = {"description": "bad", **_json({"$ref": REF("PostOrdersNegativeResponse")})}
        doc = _spec(
            {"GetOrdersNegativeResponse": error, "PostOrdersNegativeResponse": copy.deepcopy(error)},
            {
                "/orders": {
                    "get": _op("GetOrders", responses={"400": bad}),
                    "post": _op("PostOrders", responses={"400": bad2}),
                }
            },
        )
        out, log = _run(p.merge_identical_components, doc)
        assert _schemas(out) == {"NegativeResponse": error}
        for method in ("get", "post"):
            schema = out["paths"]["/orders"][method]["responses"]["400"]["content"]["application/json"]["schema"]
            assert schema == {"$ref": REF("NegativeResponse")}
        assert _changes(log) == [("/components/schemas/NegativeResponse", "merged 2 identical components")]

    def test_nothing_to_do(self) -> None:
        # identical, but not operation-prefixed: two names the vendor chose
        doc = _spec({"Money": {"type": "string"}, "Price": {"type": "string"}}, {"/o": {"get": _op("GetO")}})
        _assert_nothing_to_do(p.merge_identical_components, doc)

    def test_an_operation_removed_with_its_components_left_behind_still_merges(self) -> None:
        """The vendor dropped PostOrders but not its component: it still joins NegativeResponse, nothing refused."""
        error = _obj(status={"type": "string", "const": "error"})
        bad = {"description": "bad", **_json({"$ref": REF("GetOrdersNegativeResponse")})}
        schemas = {
            "GetOrdersNegativeResponse": error,
            "PostOrdersNegativeResponse": copy.deepcopy(error),
            "PutOrdersNegativeResponse": copy.deepcopy(error),
        }
        doc = _spec(schemas, {"/orders": {"get": _op("GetOrders", responses={"400": bad}), "put": _op("PutOrders")}})
        out, log = _run(p.merge_identical_components, doc)
        assert _schemas(out) == {"NegativeResponse": error}
        assert _changes(log) == [("/components/schemas/NegativeResponse", "merged 3 identical components")]

    def test_a_published_merge_is_made_again_when_one_copy_is_left(self) -> None:
        """The names record's merged component keeps its name with one operation left (the rule needs two)."""
        error = _obj(status={"type": "string", "const": "error"})
        bad = {"description": "bad", **_json({"$ref": REF("GetOrdersNegativeResponse")})}
        doc = _spec(
            {"GetOrdersNegativeResponse": error}, {"/orders": {"get": _op("GetOrders", responses={"400": bad})}}
        )
        renamed = NamedLocation("/components/schemas/NegativeResponse", "ErrorResponse", "the error envelope")
        record = NamesRecord(
            merged={"ErrorResponse": frozenset({"GetOrdersNegativeResponse", "PostOrdersNegativeResponse"})}
        )
        out, _ = _run(p.merge_identical_components, doc, Overrides(names=(renamed,), record=record))
        assert _schemas(out) == {"NegativeResponse": error}, "merged under the name the override renames"
        without, _ = _run(p.merge_identical_components, copy.deepcopy(doc), Overrides(names=(renamed,)))
        assert _schemas(without) == {"GetOrdersNegativeResponse": error}

    def test_a_new_operations_copy_joins_a_published_merge(self) -> None:
        """Two shapes end in `RequestBody`; the published one keeps the name, a new copy of it joins."""
        empty, other = _obj(), _obj(note={"type": "string"})
        schemas = {
            "ArchiveARequestBody": empty,
            "ArchiveBRequestBody": copy.deepcopy(empty),
            "NewRequestBody": copy.deepcopy(empty),
            "CreateARequestBody": other,
            "CreateBRequestBody": copy.deepcopy(other),
            "CreateCRequestBody": copy.deepcopy(other),
        }
        ops = {f"/{n}": {"post": _op(n)} for n in ("ArchiveA", "ArchiveB", "New", "CreateA", "CreateB", "CreateC")}
        record = NamesRecord(merged={"RequestBody": frozenset({"ArchiveARequestBody", "ArchiveBRequestBody"})})
        out, _ = _run(p.merge_identical_components, _spec(schemas, ops), Overrides(record=record))
        assert _schemas(out) == {
            "RequestBody": empty,
            "CreateARequestBody": other,
            "CreateBRequestBody": other,
            "CreateCRequestBody": other,
        }


class TestKeepPublishedOperations:
    RECORD = NamesRecord(operations={"GET /orders/{id}": PublishedOperation("GetOrder", "orders", "orders.retrieve")})

    def test_a_renamed_operation_keeps_its_published_id_tag_and_components(self) -> None:
        """The vendor renamed GetOrder (and its components, as express-zod-api does) and retagged it."""
        ok = {"description": "ok", **_json({"$ref": REF("RetrieveOrderPositiveResponse")})}
        op = _op("RetrieveOrder", tags=["sales", "orders"], responses={"200": ok})
        doc = _spec({"RetrieveOrderPositiveResponse": _obj(id={"type": "string"})}, {"/orders/{id}": {"get": op}})
        out, log = _run(p.keep_published_operations, doc, Overrides(record=self.RECORD))
        kept = out["paths"]["/orders/{id}"]["get"]
        assert (kept["operationId"], kept["tags"]) == ("GetOrder", ["orders", "sales"])
        assert set(_schemas(out)) == {"GetOrderPositiveResponse"}
        assert kept["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": REF("GetOrderPositiveResponse")
        }
        assert _changes(log) == [
            ("/paths/~1orders~1{id}/get/operationId", "published GetOrder kept (the vendor's is RetrieveOrder)"),
            ("/paths/~1orders~1{id}/get/tags", "published first tag 'orders' kept"),
        ]

    def test_found_by_its_path_with_another_parameter_name_or_by_its_operation_id(self) -> None:
        doc = _spec(paths={"/orders/{order_id}": {"get": _op("Renamed", tags=["orders"])}})
        out, _ = _run(p.keep_published_operations, doc, Overrides(record=self.RECORD))
        assert out["paths"]["/orders/{order_id}"]["get"]["operationId"] == "GetOrder"
        moved = _spec(paths={"/orders/{id}": {"put": _op("GetOrder", tags=["orders"])}})
        _assert_nothing_to_do(p.keep_published_operations, moved, Overrides(record=self.RECORD))

    def test_a_published_id_another_operation_has_now_stays_there(self) -> None:
        doc = _spec(paths={"/orders/{id}": {"get": _op("Renamed", tags=["orders"])}, "/o": {"get": _op("GetOrder")}})
        out, log = _run(p.keep_published_operations, doc, Overrides(record=self.RECORD))
        assert out["paths"]["/orders/{id}"]["get"]["operationId"] == "Renamed"
        assert "the published operationId GetOrder is another operation's now" in log.warnings[0]

    def test_nothing_to_do(self) -> None:
        doc = _spec(paths={"/orders/{id}": {"get": _op("GetOrder", tags=["orders"])}})
        _assert_nothing_to_do(p.keep_published_operations, doc, Overrides(record=self.RECORD))


class TestRenameComponents:
    def test_renames_and_rewrites_references(self) -> None:
        name = NamedLocation("/components/schemas/NegativeResponse", "ErrorResponse", "the error envelope")
        doc = _spec({"NegativeResponse": _obj(), "Order": _obj(error={"$ref": REF("NegativeResponse")})})
        out, log = _run(p.rename_components, doc, Overrides(names=(name,)))
        assert _schemas(out) == {"Order": _obj(error={"$ref": REF("ErrorResponse")}), "ErrorResponse": _obj()}
        assert _changes(log) == [
            ("/components/schemas/ErrorResponse", "renamed from NegativeResponse: the error envelope")
        ]
        _assert_nothing_to_do(p.rename_components, out, Overrides(names=(name,)))

    def test_missing_component_is_an_error(self) -> None:
        name = NamedLocation("/components/schemas/NegativeResponse", "ErrorResponse", "why")
        overrides = Overrides(file=Path("overrides.yaml"), names=(name,))
        with pytest.raises(PipelineError, match="no such component after normalization") as info:
            _run(p.rename_components, _spec({"Order": _obj()}), overrides)
        assert info.value.where == "/names"

    def test_taken_name_is_an_error(self) -> None:
        name = NamedLocation("/components/schemas/NegativeResponse", "Order", "why")
        with pytest.raises(PipelineError, match="cannot rename NegativeResponse: 'Order' already exists"):
            _run(p.rename_components, _spec({"NegativeResponse": _obj(), "Order": _obj()}), Overrides(names=(name,)))

    def test_nothing_to_do(self) -> None:
        _assert_nothing_to_do(p.rename_components, _spec({"Order": _obj()}))


class TestNameOperations:
    @staticmethod
    def _names(doc: Doc) -> dict[str, str]:
        return {
            f"{method.upper()} {path}": f"{op['x-sdk-resource']}.{op['x-sdk-method']}"
            for path, item in doc["paths"].items()
            for method, op in item.items()
        }

    def test_derived_names(self) -> None:
        tags = {"tags": ["orders"]}
        doc = _spec(
            paths={
                "/orders": {"get": _op("a", **tags), "post": _op("b", **tags)},
                "/orders/{id}": {"get": _op("c", **tags), "patch": _op("d", **tags), "delete": _op("e", **tags)},
                "/orders/{id}/cancel": {"post": _op("f", **tags)},
                "/v0/checkout/sessions": {"post": _op("g", tags=["Checkout Sessions"])},
                "/v0/refunds/list": {"get": _op("h", tags=["refunds"])},
            }
        )
        out, log = _run(p.name_operations, doc)
        assert self._names(out) == {
            "GET /orders": "orders.list",
            "POST /orders": "orders.create",
            "GET /orders/{id}": "orders.retrieve",
            "PATCH /orders/{id}": "orders.update",
            "DELETE /orders/{id}": "orders.delete",
            "POST /orders/{id}/cancel": "orders.cancel",
            "POST /v0/checkout/sessions": "checkout_sessions.create",
            "GET /v0/refunds/list": "refunds.list",
        }
        assert _changes(log)[0] == ("/paths/~1orders/get", "SDK method orders.list")

    def test_operation_names_override(self) -> None:
        doc = _spec(paths={"/v0/orders/list": {"get": _op("a", tags=["orders"])}, "/v0/stats": {"get": _op("b")}})
        overrides = Overrides(operation_names={"a": "list_all", "b": "stats.summary"})
        out, _ = _run(p.name_operations, doc, overrides)
        assert self._names(out) == {"GET /v0/orders/list": "orders.list_all", "GET /v0/stats": "stats.summary"}

    def test_collisions_are_named_from_operation_ids_with_one_warning(self) -> None:
        # GET /orders/list and GET /orders are both orders.list; /{id} under two tags' paths both retrieve
        doc = _spec(
            paths={
                "/v0/orders/list": {"get": _op("GetOrders", tags=["orders"])},
                "/v0/orders": {"get": _op("ListOrders", tags=["orders"])},
                "/v0/keys/{id}": {"get": _op("GetKey", tags=["keys"])},
                "/v0/keys/{id}/x/{xid}": {"get": _op("GetKeyX", tags=["keys"])},
                "/v0/keys": {"get": _op("ListKeys", tags=["keys"])},
            }
        )
        out, log = _run(p.name_operations, doc)
        assert self._names(out) == {
            "GET /v0/orders/list": "orders.get_orders",
            "GET /v0/orders": "orders.list_orders",
            "GET /v0/keys/{id}": "keys.get_key",
            "GET /v0/keys/{id}/x/{xid}": "keys.get_key_x",
            "GET /v0/keys": "keys.list",
        }
        assert log.warnings == [
            "name_operations: 2 SDK method name(s) claimed by more than one operation, named from their "
            "operationIds instead (choose better ones in operation_names): keys.retrieve: GetKey → keys.get_key, "
            "GetKeyX → keys.get_key_x; orders.list: GetOrders → orders.get_orders, ListOrders → orders.list_orders"
        ]

    def test_an_override_settles_a_collision(self) -> None:
        doc = _spec(
            paths={
                "/v0/orders/list": {"get": _op("a", tags=["orders"])},
                "/v0/orders": {"get": _op("b", tags=["orders"])},
            }
        )
        out, log = _run(p.name_operations, doc, Overrides(operation_names={"b": "list_all"}))
        assert self._names(out) == {"GET /v0/orders/list": "orders.list", "GET /v0/orders": "orders.list_all"}
        assert log.warnings == []

    def test_chosen_names_that_clash_are_all_reported_in_one_error(self) -> None:
        doc = _spec(
            paths={
                "/a": {"get": _op("a", tags=["t"]), "post": _op("b", tags=["t"])},
                "/c": {"get": _op("c", tags=["t"]), "post": _op("d", tags=["t"])},
            }
        )
        names = {"a": "t.x", "b": "t.x", "c": "t.y", "d": "t.y"}
        overrides = Overrides(file=Path("specs/shop/overrides.yaml"), operation_names=names)
        with pytest.raises(PipelineError) as info:
            _run(p.name_operations, doc, overrides)
        assert str(info.value) == (
            "specs/shop/overrides.yaml#/operation_names: a and b both map to t.x; c and d both map to t.y\n"
            "  hint: give each operation its own resource.method in operation_names"
        )

    def test_the_first_tag_is_the_resource(self) -> None:
        # a second tag (the vendor files key operations under 'offers' and 'keys') never moves a method
        doc = _spec(paths={"/v0/offers/{id}/keys/add": {"post": _op("AddKeys", tags=["offers", "keys"])}})
        out, _ = _run(p.name_operations, doc)
        assert self._names(out) == {"POST /v0/offers/{id}/keys/add": "offers.add"}

    def test_the_record_keeps_a_published_method(self) -> None:
        doc = _spec(paths={"/v0/offers/{id}/keys/add": {"post": _op("AddKeys", tags=["offers", "keys"])}})
        published = PublishedOperation("AddKeys", "offers", "keys.add")
        overrides = Overrides(record=NamesRecord(operations={"POST /v0/offers/{id}/keys/add": published}))
        out, _ = _run(p.name_operations, doc, overrides)
        assert self._names(out) == {"POST /v0/offers/{id}/keys/add": "keys.add"}

    def test_the_record_follows_an_operation_by_method_and_path(self) -> None:
        """A renamed operationId or path parameter finds the published method by method and path."""
        published = PublishedOperation("GetOrder", "orders", "orders.fetch")
        record = NamesRecord(operations={"GET /orders/{id}": published})
        doc = _spec(paths={"/orders/{order_id}": {"get": _op("RetrieveOrder", tags=["orders"])}})
        out, _ = _run(p.name_operations, doc, Overrides(record=record))
        assert self._names(out) == {"GET /orders/{order_id}": "orders.fetch"}

    def test_nothing_to_do(self) -> None:
        named = _op("a", tags=["orders"], **{"x-sdk-resource": "orders", "x-sdk-method": "list"})
        _assert_nothing_to_do(p.name_operations, _spec(paths={"/orders": {"get": named}}))


# --------------------------------------------------------------------------- the whole normalizer

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
    doc = _spec({"Order": _obj(currency={"type": ["string", "null"], "enum": ["USD"]})})
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


def _list_op(query: list[str], response: Doc, **fields: Any) -> Doc:
    params = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in query]
    return _op("ListThings", parameters=params, responses={"200": {"description": "ok", **_json(response)}}, **fields)


def _array() -> Doc:
    return {"type": "array", "items": _obj(id={"type": "string"})}


class TestDescribePagination:
    @staticmethod
    def _decide(op: Doc) -> Doc | None:
        out, _ = _run(p.describe_pagination, _spec(paths={"/things": {"get": op}}))
        decision: Doc | None = out["paths"]["/things"]["get"].get("x-sdk-pagination")
        return decision

    def test_cursor_style_with_a_backward_cursor(self) -> None:
        op = _list_op(["limit", "starting_after", "ending_before"], _obj(data=_array()))
        assert self._decide(op) == {
            "kind": "cursor",
            "items": ["data"],
            "cursor": "starting_after",
            "size": "limit",
            "reverse_cursor": "ending_before",
        }

    def test_offset_style_one_level_down_with_its_count(self) -> None:
        body = _obj(status={"type": "string"}, data=_obj(orders=_array(), count={"type": "number"}))
        assert self._decide(_list_op(["skip", "take"], body)) == {
            "kind": "offset",
            "items": ["data", "orders"],
            "cursor": "skip",
            "size": "take",
            "total": ["data", "count"],
        }

    def test_token_style_with_next_cursor_and_has_more(self) -> None:
        body = _obj(items=_array(), nextCursor={"type": "string"}, has_more={"type": "boolean"})
        assert self._decide(_list_op(["cursor", "limit"], body)) == {
            "kind": "token",
            "items": ["items"],
            "cursor": "cursor",
            "size": "limit",
            "next_cursor": ["nextCursor"],
            "has_more": ["has_more"],
        }

    def test_page_style_with_total_pages_through_a_reference(self) -> None:
        doc = _spec(
            {"Page": _obj(results=_array(), totalPages={"type": "integer"})},
            {"/things": {"get": _list_op(["page", "per_page"], {"$ref": REF("Page")})}},
        )
        out, log = _run(p.describe_pagination, doc)
        assert out["paths"]["/things"]["get"]["x-sdk-pagination"] == {
            "kind": "page",
            "items": ["results"],
            "cursor": "page",
            "size": "per_page",
            "pages": ["totalPages"],
        }
        assert _changes(log) == [("/paths/~1things/get/x-sdk-pagination", "page pagination over results")]

    def test_required_list_is_preferred_to_an_earlier_optional_one(self) -> None:
        body = {**_obj(tags=_array(), data=_array()), "required": ["data"]}
        assert self._decide(_list_op(["limit", "starting_after"], body))["items"] == ["data"]  # type: ignore[index]

    def test_no_list_in_the_response_means_no_pagination(self) -> None:
        _assert_nothing_to_do(p.describe_pagination, _spec(paths={"/t": {"get": _list_op(["page"], _obj(n={}))}}))

    def test_no_paging_parameters_means_no_pagination(self) -> None:
        doc = _spec(paths={"/t": {"get": _list_op(["q"], _obj(data=_array()))}})
        _assert_nothing_to_do(p.describe_pagination, doc)

    def test_a_decision_already_made_by_an_override_is_kept(self) -> None:
        op = _list_op(["limit", "starting_after"], _obj(data=_array()), **{"x-sdk-pagination": False})
        _assert_nothing_to_do(p.describe_pagination, _spec(paths={"/t": {"get": op}}))


class TestDescribeUnwrap:
    @staticmethod
    def _decide(body: Doc, **fields: Any) -> Any:
        op = _op("GetThing", responses={"200": {"description": "ok", **_json(body)}}, **fields)
        out, _ = _run(p.describe_unwrap, _spec(paths={"/things/{id}": {"get": op}}))
        return out["paths"]["/things/{id}"]["get"].get("x-sdk-unwrap")

    STATUS: ClassVar[Doc] = {"type": "string", "const": "success"}

    def test_an_envelope_with_one_object_returns_it(self) -> None:
        """Fungies `{status, data: {order}}`: `orders.cancel(id)` returns the order."""
        assert self._decide(_obj(status=self.STATUS, data=_obj(order=ADDRESS))) == ["data", "order"]

    def test_an_envelope_with_several_members_returns_data(self) -> None:
        assert self._decide(_obj(status=self.STATUS, data=_obj(order=ADDRESS, user=ADDRESS))) == ["data"]

    def test_the_member_named_after_the_resource_is_returned_beside_others(self) -> None:
        """`payments.retrieve` keeps returning the payment when the vendor adds an `offer` beside it."""
        body = _obj(status=self.STATUS, data=_obj(payment=ADDRESS, offer=ADDRESS))
        assert self._decide(body, **{"x-sdk-resource": "payments", "x-sdk-method": "retrieve"}) == ["data", "payment"]

    def test_data_with_one_plain_member_returns_data(self) -> None:
        """`{data: {success: true}}`: a flag is no resource; the data object is returned."""
        assert self._decide(_obj(status=self.STATUS, data=_obj(success={"type": "boolean"}))) == ["data"]

    def test_a_list_in_data_returns_the_list(self) -> None:
        doc = _spec(paths={"/things": {"get": _op("ListThings", responses={"200": _json(_obj(data=_array()))})}})
        out, log = _run(p.describe_unwrap, doc)
        assert out["paths"]["/things"]["get"]["x-sdk-unwrap"] == ["data"]
        assert _changes(log) == [("/paths/~1things/get/x-sdk-unwrap", "the method returns the body's data")]

    def test_a_body_with_other_members_is_returned_whole(self) -> None:
        """Unwrapping `{data, meta}` would lose `meta`; `{id, type, data}` is a resource with a data field."""
        for body in (
            _obj(data=_obj(order=ADDRESS), meta=_obj(page={"type": "integer"})),
            _obj(id={"type": "string"}, type={"type": "string"}, data=_obj(order=ADDRESS)),
        ):
            op = _op("T", responses={"200": _json(body)})
            _assert_nothing_to_do(p.describe_unwrap, _spec(paths={"/t": {"get": op}}))

    def test_a_member_added_beside_the_envelopes_keys_keeps_the_unwrap(self) -> None:
        """The vendor adds `requestId` beside `status` and `data`: `payments.retrieve()` still returns the payment."""
        fields = {"x-sdk-resource": "payments", "x-sdk-method": "retrieve"}
        body = _obj(status=self.STATUS, data=_obj(payment=ADDRESS), requestId={"type": "string"})
        assert self._decide(body, **fields) == ["data", "payment"]
        marker = {"type": "string", "enum": ["ok"]}  # a one-value enum marks an envelope as a const does
        assert self._decide(_obj(ok=marker, data=_obj(payment=ADDRESS), at={"type": "string"}), **fields) == [
            "data",
            "payment",
        ]

    def test_a_list_that_pages_is_left_to_its_pagination(self) -> None:
        op = _list_op(["skip", "take"], _obj(data=_array()), **{"x-sdk-pagination": {"kind": "offset"}})
        _assert_nothing_to_do(p.describe_unwrap, _spec(paths={"/t": {"get": op}}))

    def test_an_override_wins(self) -> None:
        body = _obj(status=self.STATUS, data=_obj(order=ADDRESS))
        assert self._decide(body, **{"x-sdk-unwrap": ["data"]}) == ["data"]


class TestStripHtmlFromDescriptions:
    def test_tags_become_plain_text(self) -> None:
        """CNaught's `<b>[Deprecated]</b> ... <br/><br/>` prose reads as plain text in a docstring."""
        description = "<b>[Deprecated]</b> Use `/quotes/x`.\n\n<br/><br/>\n\nPlaces an <code>order</code> &amp; more.\n"
        doc = _spec(paths={"/o": {"post": _op("O", description=description, summary="<i>Make</i> one")}})
        out, log = _run(p.strip_html_from_descriptions, doc)
        op = out["paths"]["/o"]["post"]
        assert op["description"] == "[Deprecated] Use `/quotes/x`.\n\nPlaces an `order` & more.\n"
        assert op["summary"] == "Make one"
        assert _changes(log) == [
            ("/paths/~1o/post/description", "HTML in prose made plain text"),
            ("/paths/~1o/post/summary", "HTML in prose made plain text"),
        ]

    def test_examples_and_comparisons_are_left_alone(self) -> None:
        """A `description` inside an example is data; `1 < x < 100` is no tag."""
        schema = _obj(description={"type": "string", "description": "between 1 < x < 100"})
        schema["example"] = {"description": "<b>kept</b>"}
        _assert_nothing_to_do(p.strip_html_from_descriptions, _spec({"Thing": schema}))


class TestMarkDeprecatedOperations:
    @staticmethod
    def _doc(description: str, **fields: Any) -> Doc:
        named = {"x-sdk-resource": "quotes", "x-sdk-method": "ground_transport"}
        return _spec(
            paths={
                "/orders/ride": {"post": _op("Ride", description=description, **fields)},
                "/quotes/ground-transport": {"post": _op("Ground", **named)},
            }
        )

    def test_the_marker_flags_it_and_the_named_path_is_its_replacement(self) -> None:
        out, log = _run(
            p.mark_deprecated_operations, self._doc("[Deprecated] Use `/quotes/ground-transport` then `/orders`.")
        )
        op = out["paths"]["/orders/ride"]["post"]
        assert (op["deprecated"], op["x-sdk-replacement"]) == (True, "quotes.ground_transport")
        assert _changes(log) == [
            ("/paths/~1orders~1ride/post/deprecated", "description starts with [Deprecated]"),
            (
                "/paths/~1orders~1ride/post/x-sdk-replacement",
                "replacement named in the description: quotes.ground_transport",
            ),
        ]

    def test_a_path_the_document_lacks_is_reported_for_an_override(self) -> None:
        out, log = _run(p.mark_deprecated_operations, self._doc("[Deprecated] Use `/orders/ground-transportation`."))
        assert out["paths"]["/orders/ride"]["post"]["deprecated"] is True
        assert "x-sdk-replacement" not in out["paths"]["/orders/ride"]["post"]
        assert log.warnings == [
            "mark_deprecated_operations: /paths/~1orders~1ride/post: deprecated; the description names "
            "/orders/ground-transportation, which is no operation of the document: "
            "set x-sdk-replacement with an override"
        ]

    def test_a_replacement_set_by_an_override_is_kept(self) -> None:
        doc = self._doc("Old.", deprecated=True, **{"x-sdk-replacement": "quotes.ground_transport"})
        _assert_nothing_to_do(p.mark_deprecated_operations, doc)

    def test_no_marker_no_change(self) -> None:
        _assert_nothing_to_do(p.mark_deprecated_operations, self._doc("Use it, [Deprecated] is a word here."))


class TestNameSdkClasses:
    """openai-python's names: <Resource><Method>Params / Response / Envelope / <Parameter>."""

    SDK: ClassVar[Doc] = {"x-sdk-resource": "orders", "x-sdk-method": "update"}

    def _doc(self, **responses: Any) -> Doc:
        status = {"type": "string", "const": "success"}
        schemas = {
            "PatchV0OrdersUpdateRequestBody": _obj(note={"type": "string"}),
            "PatchV0OrdersUpdatePositiveResponse": _obj(status=status, data=_obj(order=ADDRESS, user=ADDRESS)),
            "PatchV0OrdersUpdateParameterMode": {"type": "string", "enum": ["a", "b"]},
            "Order": ADDRESS,
        }
        op = _op(
            "PatchV0OrdersUpdate",
            requestBody=_json({"$ref": REF("PatchV0OrdersUpdateRequestBody")}),
            parameters=[{"name": "mode", "in": "query", "schema": {"$ref": REF("PatchV0OrdersUpdateParameterMode")}}],
            responses={"200": {"description": "ok", **_json({"$ref": REF("PatchV0OrdersUpdatePositiveResponse")})}},
            **self.SDK,
            **responses,
        )
        return _spec(schemas, {"/v0/orders/{id}/update": {"patch": op}})

    @staticmethod
    def _titles(doc: Doc) -> dict[str, str]:
        return {name: schema["title"] for name, schema in _schemas(doc).items() if "title" in schema}

    def test_params_response_envelope_and_parameter_enum(self) -> None:
        """The class names are titles: components and pointers keep the vendor's names."""
        doc = self._doc(**{"x-sdk-unwrap": ["data"]})
        out, log = _run(p.name_sdk_classes, doc)
        assert self._titles(out) == {
            "PatchV0OrdersUpdateRequestBody": "OrderUpdateParams",
            "PatchV0OrdersUpdatePositiveResponse": "OrderUpdateEnvelope",
            "PatchV0OrdersUpdateParameterMode": "OrderUpdateMode",
        }
        data = _schemas(out)["PatchV0OrdersUpdatePositiveResponse"]["properties"]["data"]
        assert data["title"] == "OrderUpdateResponse"
        assert ("/components/schemas/PatchV0OrdersUpdateRequestBody", "class OrderUpdateParams") in _changes(log)

    def test_without_unwrap_the_body_is_the_response(self) -> None:
        out, _ = _run(p.name_sdk_classes, self._doc())
        assert self._titles(out)["PatchV0OrdersUpdatePositiveResponse"] == "OrderUpdateResponse"

    def test_a_returned_named_resource_keeps_its_name(self) -> None:
        doc = self._doc(**{"x-sdk-unwrap": ["data", "order"]})
        data = _schemas(doc)["PatchV0OrdersUpdatePositiveResponse"]["properties"]["data"]
        data["properties"] = {"order": {"$ref": REF("Order")}}
        out, _ = _run(p.name_sdk_classes, doc)
        assert "title" not in _schemas(out)["Order"]
        assert self._titles(out)["PatchV0OrdersUpdatePositiveResponse"] == "OrderUpdateEnvelope"

    def test_a_shared_or_named_component_is_kept(self) -> None:
        """A component two operations use, or one the vendor named, names a concept: it gets no title."""
        doc = self._doc()
        op = doc["paths"]["/v0/orders/{id}/update"]["patch"]
        other = {**copy.deepcopy(op), "x-sdk-method": "other", "operationId": "PatchV0OrdersOther"}
        doc["paths"]["/v0/orders/{id}/other"] = {"patch": other}
        out, _ = _run(p.name_sdk_classes, doc)
        assert "PatchV0OrdersUpdateRequestBody" not in self._titles(out)

    def test_a_taken_name_takes_the_first_free_class_name(self) -> None:
        doc = self._doc()
        _schemas(doc)["orderUpdateParams"] = ADDRESS  # the generator's class OrderUpdateParams
        out, log = _run(p.name_sdk_classes, doc)
        assert self._titles(out)["PatchV0OrdersUpdateRequestBody"] == "OrderUpdateParams2"
        assert "the class OrderUpdateParams exists already: this one is OrderUpdateParams2" in " ".join(log.warnings)

    def test_a_nullable_object_component_is_its_own_class(self) -> None:
        """`NotificationConfig: anyOf: [{object}, null]` makes the class NotificationConfig, not ...Type0."""
        doc = _spec({"NotificationConfig": {"anyOf": [_obj(url={"type": "string"}), NULL]}})
        out, log = _run(p.name_sdk_classes, doc)
        assert _schemas(out)["NotificationConfig"]["anyOf"][0]["title"] == "NotificationConfig"
        assert _changes(log) == [
            ("/components/schemas/NotificationConfig", "the non-null member is the class NotificationConfig")
        ]

    def test_nothing_to_do(self) -> None:
        named = {**self.SDK, "responses": {"200": {"description": "ok", **_json({"$ref": REF("Order")})}}}
        _assert_nothing_to_do(p.name_sdk_classes, _spec({"Order": ADDRESS}, {"/o": {"get": _op("O", **named)}}))

    @pytest.mark.parametrize(("word", "expected"), [("orders", "order"), ("checkout_sessions", "checkout_session")])
    def test_singular_resource(self, word: str, expected: str) -> None:
        assert p.sdk.singular_word(word) == expected


# --- operationIds and media types (issue 17) -------------------------------------------------------------------


def _no_id(**fields: Any) -> Doc:
    return {"responses": {"200": {"description": "ok"}}, **fields}


class TestDeriveOperationIds:
    def test_named_as_the_generator_would_with_a_warning(self) -> None:
        doc = _spec(paths={"/const/{path}": {"post": _no_id()}, "/streams": {"get": _op("listStreams")}})
        out, log = _run(p.derive_operation_ids, doc)
        assert out["paths"]["/const/{path}"]["post"]["operationId"] == "post_const_path"
        assert _changes(log) == [
            ("/paths/~1const~1{path}/post/operationId", "no operationId: named 'post_const_path' from method and path")
        ]

    def test_a_derived_name_never_takes_an_existing_one(self) -> None:
        doc = _spec(paths={"/pets": {"get": _no_id(), "post": _op("get_pets")}})
        out, _ = _run(p.derive_operation_ids, doc)
        assert out["paths"]["/pets"]["get"]["operationId"] == "get_pets_2"

    def test_nothing_to_do(self) -> None:
        _assert_nothing_to_do(p.derive_operation_ids, _spec(paths={"/pets": {"get": _op("listPets")}}))


def _body(*media: str, schema: Doc | None = None) -> Doc:
    return {"content": {m: {"schema": schema or {"$ref": REF("Pet")}} for m in media}}


PET = {"Pet": _obj(name={"type": "string"})}
RAW = {"type": "string", "format": "binary"}


class TestFillMissingBodySchemas:
    def test_a_body_without_a_schema_is_any_value_of_its_media_type(self) -> None:
        # the generator refuses a body without a schema ("Missing schema") and drops the operation
        body = {"content": {"application/json": {}, "multipart/form-data": {}, "text/csv": {}}}
        out, log = _run(p.fill_missing_body_schemas, _spec(paths={"/x": {"post": _op("upload", requestBody=body)}}))
        content = out["paths"]["/x"]["post"]["requestBody"]["content"]
        assert content == {
            "application/json": {"schema": {}},
            "multipart/form-data": {"schema": {"type": "object"}},
            "text/csv": {"schema": RAW},
        }
        assert [m for _, m in _changes(log)] == [
            "no schema: the body is any JSON value",
            "no schema: the body is any fields",
            "no schema: the body is raw bytes",
        ]

    def test_nothing_to_do(self) -> None:
        doc = _spec(PET, {"/pet": {"put": _op("updatePet", requestBody=_body("application/json"))}})
        _assert_nothing_to_do(p.fill_missing_body_schemas, doc)


class TestPreferJsonMediaTypes:
    def test_a_body_offered_as_json_xml_and_form_is_sent_as_json(self) -> None:
        # the swagger petstore's PUT /pet: one model as JSON, XML and a form (the generator sent it as a form)
        body = _body("application/xml", "application/x-www-form-urlencoded", "application/json")
        out, log = _run(p.prefer_json_media_types, _spec(PET, {"/pet": {"put": _op("updatePet", requestBody=body)}}))
        assert list(out["paths"]["/pet"]["put"]["requestBody"]["content"]) == ["application/json"]
        assert _changes(log) == [
            (
                "/paths/~1pet/put/requestBody/content",
                "request body offered as application/json, application/xml, application/x-www-form-urlencoded: "
                "the SDK sends application/json",
            )
        ]

    def test_without_json_a_form_comes_before_multipart(self) -> None:
        body = _body("multipart/form-data", "application/x-www-form-urlencoded")
        out, _ = _run(p.prefer_json_media_types, _spec(PET, {"/pet": {"post": _op("addPet", requestBody=body)}}))
        assert list(out["paths"]["/pet"]["post"]["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]

    def test_a_response_is_read_as_json_before_text(self) -> None:
        ok = {"description": "ok", **_body("text/plain", "application/problem+json", "application/json")}
        out, _ = _run(p.prefer_json_media_types, _spec(PET, {"/pet": {"get": _op("getPet", responses={"200": ok})}}))
        assert list(out["paths"]["/pet"]["get"]["responses"]["200"]["content"]) == ["application/json"]

    def test_nothing_to_do(self) -> None:
        doc = _spec(PET, {"/pet": {"put": _op("updatePet", requestBody=_body("application/json"))}})
        _assert_nothing_to_do(p.prefer_json_media_types, doc)


class TestTreatOtherMediaAsBytes:
    def test_a_string_body_in_a_custom_media_type_is_sent_raw(self) -> None:
        # the generator's own test document: `openapi/python/client` with a string schema, both ways
        body = _body("openapi/python/client", schema={"type": "string"})
        ok = {"description": "ok", **_body("openapi/python/client", schema={"type": "string"})}
        doc = _spec(paths={"/x": {"post": _op("override", requestBody=body, responses={"200": ok})}})
        out, log = _run(p.treat_other_media_as_bytes, doc)
        op = out["paths"]["/x"]["post"]
        assert op["requestBody"]["content"]["openapi/python/client"]["schema"] == RAW
        assert op["responses"]["200"]["content"]["openapi/python/client"]["schema"] == RAW
        assert [c[0] for c in _changes(log)] == [
            "/paths/~1x/post/requestBody/content/openapi~1python~1client/schema",
            "/paths/~1x/post/responses/200/content/openapi~1python~1client/schema",
        ]

    def test_a_spreadsheet_download_is_read_as_bytes(self) -> None:
        ok = {"description": "ok", **_body("application/vnd.ms-excel", schema=RAW)}
        xml = {"description": "ok", **_body("application/xml")}
        doc = _spec(
            PET, {"/x": {"get": _op("export", responses={"200": ok}), "put": _op("put", responses={"200": xml})}}
        )
        out, log = _run(p.treat_other_media_as_bytes, doc)
        assert out["paths"]["/x"]["put"]["responses"]["200"]["content"]["application/xml"]["schema"] == RAW
        assert [c[0] for c in _changes(log)] == ["/paths/~1x/put/responses/200/content/application~1xml/schema"]

    def test_a_structured_body_in_xml_is_raw_bytes_but_refused_for_a_published_sdk(self) -> None:
        doc = _spec(PET, {"/pet": {"post": _op("addPet", requestBody=_body("application/xml"))}})
        where = "/paths/~1pet/post/requestBody/content/application~1xml/schema"
        with pytest.raises(PipelineError, match="its schema is not used \\(the caller encodes it\\)") as info:
            _run(p.treat_other_media_as_bytes, copy.deepcopy(doc))  # strict, as for an API of the registry
        assert info.value.where == where
        out, log = normalize(doc, NO_OVERRIDES, passes=(p.treat_other_media_as_bytes,), strict=False)
        assert out["paths"]["/pet"]["post"]["requestBody"]["content"]["application/xml"]["schema"] == RAW
        assert [c.lossy for c in log.changes] == [True]

    def test_a_text_request_body_makes_text_responses_bytes_too(self) -> None:
        # the generator handles one media type one way: text/plain is overridden to bytes for the request
        text = {"type": "string"}
        ok = {"description": "ok", **_body("text/plain", schema=text)}
        doc = _spec(
            paths={"/n": {"post": _op("note", requestBody=_body("text/plain", schema=text), responses={"200": ok})}}
        )
        out, _ = _run(p.treat_other_media_as_bytes, doc)
        assert out["paths"]["/n"]["post"]["responses"]["200"]["content"]["text/plain"]["schema"] == RAW


def test_lift_nullable_unions_leaves_an_enum_of_only_null_alone() -> None:
    # `enum: [null]` (the generator's 3.1 test document) once became `enum: []`, which the generator rejects
    doc = _spec({"OnlyNull": {"enum": [None], "description": "only null"}})
    _assert_nothing_to_do(p.lift_nullable_unions, doc)
