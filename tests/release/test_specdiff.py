"""Tests for sdkpipeline.release.specdiff: each case diffs a tiny inline spec against a modified copy."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from sdkpipeline.release.specdiff import Change, Severity, bump_version, diff_specs, format_report, overall_severity

BREAKING, ADDITIVE, PATCH = Severity.BREAKING, Severity.ADDITIVE, Severity.PATCH
SPECS = Path(__file__).resolve().parents[2] / "specs"

Doc = dict[str, Any]


def _json(schema: Any) -> Doc:
    return {"content": {"application/json": {"schema": schema}}}


def _spec(paths: Doc, schemas: Doc | None = None) -> Doc:
    doc: Doc = {"openapi": "3.1.0", "info": {"title": "Shop", "version": "1.0.0"}, "paths": paths}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return doc


def _shop() -> Doc:
    """Two paths, a shared response model (Order) and a request model (OrderInput)."""
    return _spec(
        {
            "/orders": {
                "get": {
                    "operationId": "listOrders",
                    "tags": ["orders"],
                    "summary": "List orders",
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            **_json({"type": "array", "items": {"$ref": "#/components/schemas/Order"}}),
                        },
                        "400": {"description": "bad", **_json({"type": "object"})},
                    },
                },
                "post": {
                    "operationId": "createOrder",
                    "tags": ["orders"],
                    "requestBody": {"required": True, **_json({"$ref": "#/components/schemas/OrderInput"})},
                    "responses": {"201": {"description": "created", **_json({"$ref": "#/components/schemas/Order"})}},
                },
            },
            "/orders/{id}": {
                "delete": {
                    "operationId": "deleteOrder",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "gone"}},
                },
            },
        },
        {
            "Order": {
                "type": "object",
                "required": ["id", "status"],
                "properties": {
                    "id": {"type": "string"},
                    "status": {"type": "string", "enum": ["open", "paid"]},
                    "note": {"type": ["string", "null"]},
                },
            },
            "OrderInput": {
                "type": "object",
                "required": ["amount"],
                "properties": {
                    "amount": {"type": "integer"},
                    "currency": {"type": "string", "enum": ["EUR", "USD"]},
                    "coupon": {"type": "string"},
                },
            },
        },
    )


def _found(changes: list[Change]) -> set[tuple[str, Severity, str, str | None]]:
    return {(c.kind, c.severity, c.location, c.operation) for c in changes}


def _both_order_responses(kind: str, severity: Severity, location: str) -> set[tuple[str, Severity, str, str | None]]:
    """Order is returned by GET /orders and POST /orders: a change in it is reported for each."""
    return {(kind, severity, location, "GET /orders"), (kind, severity, location, "POST /orders")}


ORDER = "/components/schemas/Order/properties"
INPUT = "/components/schemas/OrderInput/properties"


# --- operations ---------------------------------------------------------------------------------------------


def test_identical_specs_report_nothing() -> None:
    """A spec diffed against an equal copy has no changes and no severity."""
    changes = diff_specs(_shop(), _shop())
    assert changes == []
    assert overall_severity(changes) is None


def test_removed_operation_is_breaking_at_its_old_location() -> None:
    """Removing an operation is breaking and located in the old document."""
    new = _shop()
    del new["paths"]["/orders/{id}"]["delete"]
    [change] = diff_specs(_shop(), new)
    assert (change.kind, change.severity) == ("operation-removed", BREAKING)
    assert change.location == "/paths/~1orders~1{id}/delete"
    assert change.operation == "DELETE /orders/{id}"


def test_added_operation_is_additive() -> None:
    """A new operation is an addition located in the new document."""
    new = _shop()
    new["paths"]["/orders/{id}"]["get"] = {"operationId": "getOrder", "responses": {"200": {"description": "ok"}}}
    assert _found(diff_specs(_shop(), new)) == {
        ("operation-added", ADDITIVE, "/paths/~1orders~1{id}/get", "GET /orders/{id}")
    }


def test_changed_operation_id_is_patch() -> None:
    """A new operationId moves nothing users import (the names record keeps the published module): patch."""
    new = _shop()
    new["paths"]["/orders"]["get"]["operationId"] = "getOrders"
    [change] = diff_specs(_shop(), new)
    assert (change.kind, change.severity, change.location) == (
        "operation-id-changed",
        PATCH,
        "/paths/~1orders/get/operationId",
    )
    assert '"listOrders"' in change.detail and '"getOrders"' in change.detail


def test_components_named_after_a_renamed_operation_id_are_no_renamed_models() -> None:
    """express-zod-api renames `<operationId>Response` with its operation: the names record keeps the old one."""
    old = _shop()
    old["components"]["schemas"]["listOrdersResponse"] = old["components"]["schemas"].pop("Order")
    text = json.dumps(old).replace('"#/components/schemas/Order"', '"#/components/schemas/listOrdersResponse"')
    old = json.loads(text)
    new = json.loads(text.replace("listOrders", "getOrders"))
    assert {(c.kind, c.severity) for c in diff_specs(old, new)} == {("operation-id-changed", PATCH)}


def test_changed_tags_are_patch() -> None:
    """The names record keeps the published module of a function whose first tag changed; other tags are prose."""
    new = _shop()
    new["paths"]["/orders"]["get"]["tags"] = ["sales"]
    new["paths"]["/orders"]["post"]["tags"] = ["orders", "sales"]
    assert _found(diff_specs(_shop(), new)) == {
        ("tags-changed", PATCH, "/paths/~1orders/get/tags", "GET /orders"),
        ("tags-changed", PATCH, "/paths/~1orders/post/tags", "POST /orders"),
    }


def test_http_method_change_with_the_operation_id_kept_is_one_moved_operation() -> None:
    """PATCH → PUT with the operationId kept: one patch-level note, and the operation is compared as before."""
    old = _shop()
    old["paths"]["/orders/{id}"]["patch"] = {
        "operationId": "updateOrder",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": _json({"$ref": "#/components/schemas/OrderInput"}),
        "responses": {"200": {"description": "ok", **_json({"$ref": "#/components/schemas/Order"})}},
    }
    new = copy.deepcopy(old)
    new["paths"]["/orders/{id}"]["put"] = new["paths"]["/orders/{id}"].pop("patch")
    new["components"]["schemas"]["Order"]["properties"]["total"] = {"type": "integer"}
    found = _found(diff_specs(old, new))
    assert ("operation-moved", PATCH, "/paths/~1orders~1{id}/put", "PUT /orders/{id}") in found
    assert ("response-field-added", ADDITIVE, f"{ORDER}/total", "PUT /orders/{id}") in found
    assert not {kind for kind, *_ in found} & {"operation-removed", "operation-added"}


def test_renamed_path_parameter_is_one_breaking_rename() -> None:
    """`/orders/{id}` → `/orders/{order_id}`: a rename of the argument, not an operation removed and another added."""
    new = _shop()
    item = new["paths"].pop("/orders/{id}")
    item["delete"]["parameters"][0]["name"] = "order_id"
    new["paths"]["/orders/{order_id}"] = item
    [change] = diff_specs(_shop(), new)
    assert (change.kind, change.severity, change.location, change.operation) == (
        "path-parameter-renamed",
        BREAKING,
        "/paths/~1orders~1{order_id}/delete/parameters/order_id",
        "DELETE /orders/{order_id}",
    )
    assert "path parameter `id` renamed to `order_id`" in change.detail


def test_new_security_requirement_is_breaking() -> None:
    """An operation that starts to need an API key strands callers without one."""
    new = _shop()
    new["paths"]["/orders"]["get"]["security"] = [{"apiKey": []}]
    assert _found(diff_specs(_shop(), new)) == {
        ("security-changed", BREAKING, "/paths/~1orders/get/security", "GET /orders")
    }


def test_dropped_security_requirement_is_patch() -> None:
    """An operation that stops needing a key still works for callers who send one."""
    old = _shop()
    old["paths"]["/orders"]["get"]["security"] = [{"apiKey": []}]
    new = _shop()
    new["paths"]["/orders"]["get"]["security"] = [{"apiKey": []}, {}]
    assert [c.severity for c in diff_specs(old, new)] == [PATCH]


# --- parameters ---------------------------------------------------------------------------------------------


def test_new_required_parameter_is_breaking() -> None:
    """A new required query parameter is a new required argument, addressed by name in the list."""
    new = _shop()
    new["paths"]["/orders"]["get"]["parameters"].append(
        {"name": "cursor", "in": "query", "required": True, "schema": {"type": "string"}}
    )
    assert _found(diff_specs(_shop(), new)) == {
        ("parameter-added", BREAKING, "/paths/~1orders/get/parameters/cursor", "GET /orders")
    }


def test_new_optional_parameter_is_additive() -> None:
    """A new optional parameter is an addition."""
    new = _shop()
    new["paths"]["/orders"]["get"]["parameters"].append({"name": "sort", "in": "query", "schema": {"type": "string"}})
    assert _found(diff_specs(_shop(), new)) == {
        ("parameter-added", ADDITIVE, "/paths/~1orders/get/parameters/sort", "GET /orders")
    }


def test_removed_parameter_is_breaking() -> None:
    """A removed parameter is breaking and located in the old document."""
    new = _shop()
    new["paths"]["/orders"]["get"]["parameters"] = []
    assert _found(diff_specs(_shop(), new)) == {
        ("parameter-removed", BREAKING, "/paths/~1orders/get/parameters/limit", "GET /orders")
    }


def test_parameter_moved_to_another_location_is_breaking() -> None:
    """The same name under another `in` is one move, not a removal plus an addition."""
    new = _shop()
    new["paths"]["/orders"]["get"]["parameters"][0]["in"] = "header"
    [change] = diff_specs(_shop(), new)
    assert (change.kind, change.severity) == ("parameter-location-changed", BREAKING)
    assert change.detail == "GET /orders: parameter `limit` moved from query to header"


def test_parameter_becoming_required_is_breaking() -> None:
    """An optional parameter made required is breaking, located at its `required` keyword."""
    new = _shop()
    new["paths"]["/orders"]["get"]["parameters"][0]["required"] = True
    assert _found(diff_specs(_shop(), new)) == {
        ("required-changed", BREAKING, "/paths/~1orders/get/parameters/limit/required", "GET /orders")
    }


def test_parameter_type_change_is_breaking() -> None:
    """A parameter whose schema changes type is breaking, located at its schema."""
    new = _shop()
    new["paths"]["/orders"]["get"]["parameters"][0]["schema"] = {"type": "string"}
    assert _found(diff_specs(_shop(), new)) == {
        ("type-changed", BREAKING, "/paths/~1orders/get/parameters/limit/schema", "GET /orders")
    }


def test_parameter_style_change_is_patch() -> None:
    """A serialisation keyword (style) changes what goes on the wire, not the SDK surface."""
    new = _shop()
    new["paths"]["/orders"]["get"]["parameters"][0]["style"] = "form"
    assert _found(diff_specs(_shop(), new)) == {
        ("parameter-changed", PATCH, "/paths/~1orders/get/parameters/limit", "GET /orders")
    }


# --- request and response fields ----------------------------------------------------------------------------


def test_new_optional_request_field_is_additive() -> None:
    """A new optional body field is an addition, located in the $ref'd component."""
    new = _shop()
    new["components"]["schemas"]["OrderInput"]["properties"]["memo"] = {"type": "string"}
    assert _found(diff_specs(_shop(), new)) == {("request-field-added", ADDITIVE, f"{INPUT}/memo", "POST /orders")}


def test_new_required_request_field_is_breaking() -> None:
    """A new required body field is a new required argument."""
    new = _shop()
    schema = new["components"]["schemas"]["OrderInput"]
    schema["properties"]["memo"] = {"type": "string"}
    schema["required"].append("memo")
    [change] = diff_specs(_shop(), new)
    assert (change.kind, change.severity, change.location) == ("request-field-added", BREAKING, f"{INPUT}/memo")
    assert change.detail == "POST /orders: required request field `memo` added"


def test_removed_request_field_is_breaking() -> None:
    """A removed body field is breaking and located in the old document."""
    new = _shop()
    del new["components"]["schemas"]["OrderInput"]["properties"]["coupon"]
    assert _found(diff_specs(_shop(), new)) == {("request-field-removed", BREAKING, f"{INPUT}/coupon", "POST /orders")}


def test_response_field_added_is_additive_and_removed_is_breaking() -> None:
    """In a 2xx response, a new field is an addition and a vanished one breaks attribute access."""
    new = _shop()
    props = new["components"]["schemas"]["Order"]["properties"]
    props["total"] = {"type": "integer"}
    del props["note"]
    changes = diff_specs(_shop(), new)
    assert _found(changes) == _both_order_responses(
        "response-field-added", ADDITIVE, f"{ORDER}/total"
    ) | _both_order_responses("response-field-removed", BREAKING, f"{ORDER}/note")
    # the list response reaches Order through `items`, and the detail says so
    assert "GET /orders: response field `[].note` removed" in {c.detail for c in changes}


def test_error_responses_are_not_compared() -> None:
    """Only 2xx responses are diffed: a field added to a 400 body is not reported."""
    new = _shop()
    new["paths"]["/orders"]["get"]["responses"]["400"] = {"description": "bad", **_json({"type": "string"})}
    assert diff_specs(_shop(), new) == []


def test_removed_success_response_is_breaking() -> None:
    """A 2xx status that disappears changes the parsed response type."""
    new = _shop()
    new["paths"]["/orders"]["post"]["responses"] = {"200": new["paths"]["/orders"]["post"]["responses"]["201"]}
    assert _found(diff_specs(_shop(), new)) == {
        ("response-removed", BREAKING, "/paths/~1orders/post/responses/201", "POST /orders"),
        ("response-added", BREAKING, "/paths/~1orders/post/responses/200", "POST /orders"),
    }


def test_required_changes_are_judged_by_direction() -> None:
    """Optional->required breaks a request; required->optional breaks a response and relaxes a request."""
    new = _shop()
    new["components"]["schemas"]["OrderInput"]["required"] = ["currency"]  # amount now optional, currency required
    new["components"]["schemas"]["Order"]["required"] = ["id"]  # status now optional
    assert _found(diff_specs(_shop(), new)) == {
        ("required-changed", ADDITIVE, f"{INPUT}/amount", "POST /orders"),
        ("required-changed", BREAKING, f"{INPUT}/currency", "POST /orders"),
    } | _both_order_responses("required-changed", BREAKING, f"{ORDER}/status")


def test_shared_schema_change_is_judged_per_direction() -> None:
    """A schema used in a request and a response: a new required field breaks only the request."""
    pet = {"type": "object", "properties": {"name": {"type": "string"}}}
    old = _spec(
        {
            "/pets": {
                "put": {
                    "operationId": "putPet",
                    "requestBody": _json({"$ref": "#/components/schemas/Pet"}),
                    "responses": {"200": {"description": "ok", **_json({"$ref": "#/components/schemas/Pet"})}},
                }
            }
        },
        {"Pet": pet},
    )
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Pet"]["properties"]["age"] = {"type": "integer"}
    new["components"]["schemas"]["Pet"]["required"] = ["age"]
    location = "/components/schemas/Pet/properties/age"
    assert _found(diff_specs(old, new)) == {
        ("request-field-added", BREAKING, location, "PUT /pets"),
        ("response-field-added", ADDITIVE, location, "PUT /pets"),
    }


def test_new_required_request_body_is_breaking() -> None:
    """An operation that starts to require a body needs a new argument."""
    new = _shop()
    new["paths"]["/orders/{id}"]["delete"]["requestBody"] = {"required": True, **_json({"type": "object"})}
    assert _found(diff_specs(_shop(), new)) == {
        ("request-body-added", BREAKING, "/paths/~1orders~1{id}/delete/requestBody", "DELETE /orders/{id}")
    }


# --- types, enums, nullability ------------------------------------------------------------------------------


def test_field_type_change_is_breaking() -> None:
    """A field that changes type is breaking, located at the field."""
    new = _shop()
    new["components"]["schemas"]["OrderInput"]["properties"]["amount"] = {"type": "string"}
    [change] = diff_specs(_shop(), new)
    assert (change.kind, change.severity, change.location) == ("type-changed", BREAKING, f"{INPUT}/amount")
    assert change.detail == "POST /orders: request field `amount` changed type from integer to string"


def test_typed_format_change_is_breaking_other_format_is_patch() -> None:
    """date-time changes the Python type (breaking); int32->int64 does not (patch)."""
    old = _shop()
    old["components"]["schemas"]["OrderInput"]["properties"]["amount"]["format"] = "int32"
    new = copy.deepcopy(old)
    new["components"]["schemas"]["OrderInput"]["properties"]["amount"]["format"] = "int64"
    new["components"]["schemas"]["OrderInput"]["properties"]["coupon"]["format"] = "date-time"
    assert _found(diff_specs(old, new)) == {
        ("constraint-changed", PATCH, f"{INPUT}/amount/format", "POST /orders"),
        ("type-changed", BREAKING, f"{INPUT}/coupon", "POST /orders"),
    }


def test_array_gaining_an_item_schema_is_a_type_change() -> None:
    """An array without `items` (list of anything) that gets an item schema changes the element type."""
    old = _shop()
    old["components"]["schemas"]["Order"]["properties"]["lines"] = {"type": "array"}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Order"]["properties"]["lines"]["items"] = {"type": "string"}
    assert _found(diff_specs(old, new)) == _both_order_responses("type-changed", BREAKING, f"{ORDER}/lines/items")


def test_nullable_ref_is_located_at_the_field() -> None:
    """Wrapping a $ref in `anyOf: [$ref, null]` is a nullability change of the field, not of the component."""
    old = _shop()
    old["components"]["schemas"]["Money"] = {"type": "object", "properties": {"cents": {"type": "integer"}}}
    old["components"]["schemas"]["OrderInput"]["properties"]["total"] = {"$ref": "#/components/schemas/Money"}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["OrderInput"]["properties"]["total"] = {
        "anyOf": [{"$ref": "#/components/schemas/Money"}, {"type": "null"}]
    }
    assert _found(diff_specs(old, new)) == {("nullable-changed", ADDITIVE, f"{INPUT}/total", "POST /orders")}


def test_removed_request_enum_value_is_breaking() -> None:
    """An enum value a request may no longer send is breaking, located at the value in the old document."""
    new = _shop()
    new["components"]["schemas"]["OrderInput"]["properties"]["currency"]["enum"] = ["EUR"]
    [change] = diff_specs(_shop(), new)
    assert (change.kind, change.severity, change.location) == (
        "enum-value-removed",
        BREAKING,
        f"{INPUT}/currency/enum/1",
    )
    assert change.detail == 'POST /orders: request field `currency`: enum value "USD" removed'


def test_added_response_enum_value_is_additive() -> None:
    """A new value in a response enum is additive: the SDK parses unknown values leniently."""
    new = _shop()
    new["components"]["schemas"]["Order"]["properties"]["status"]["enum"].append("refunded")
    assert _found(diff_specs(_shop(), new)) == _both_order_responses(
        "enum-value-added", ADDITIVE, f"{ORDER}/status/enum/2"
    )


def test_removed_response_enum_value_is_breaking() -> None:
    """A value dropped from a response enum removes a member of the generated Enum class."""
    new = _shop()
    new["components"]["schemas"]["Order"]["properties"]["status"]["enum"] = ["open"]
    assert _found(diff_specs(_shop(), new)) == _both_order_responses(
        "enum-value-removed", BREAKING, f"{ORDER}/status/enum/1"
    )


def test_plain_string_becoming_enum_is_a_type_change() -> None:
    """A free string that becomes an enum changes the generated type."""
    new = _shop()
    new["components"]["schemas"]["OrderInput"]["properties"]["coupon"]["enum"] = ["SPRING"]
    assert _found(diff_specs(_shop(), new)) == {("type-changed", BREAKING, f"{INPUT}/coupon", "POST /orders")}


def test_nullable_enum_written_as_type_list() -> None:
    """`type: [string, 'null']` with `enum`: values are diffed, null is not an enum value."""
    old = _shop()
    old["components"]["schemas"]["Order"]["properties"]["currency"] = {
        "type": ["string", "null"],
        "enum": ["EUR", "USD"],
    }
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Order"]["properties"]["currency"]["enum"] = ["EUR", "GBP", None]
    assert _found(diff_specs(old, new)) == _both_order_responses(
        "enum-value-removed", BREAKING, f"{ORDER}/currency/enum/1"
    ) | _both_order_responses("enum-value-added", ADDITIVE, f"{ORDER}/currency/enum/1")


def test_nullable_enum_written_as_anyof_null() -> None:
    """`anyOf: [{enum}, {type: 'null'}]` is unwrapped: the value is located inside the anyOf member."""
    old = _shop()
    old["components"]["schemas"]["OrderInput"]["properties"]["currency"] = {
        "anyOf": [{"type": "string", "enum": ["EUR", "USD"]}, {"type": "null"}]
    }
    new = copy.deepcopy(old)
    new["components"]["schemas"]["OrderInput"]["properties"]["currency"]["anyOf"][0]["enum"].append("GBP")
    assert _found(diff_specs(old, new)) == {
        ("enum-value-added", ADDITIVE, f"{INPUT}/currency/anyOf/0/enum/2", "POST /orders")
    }


def test_nullable_spellings_are_equivalent() -> None:
    """Rewriting `type: [string, 'null']` as `anyOf: [string, null]` changes nothing for the SDK."""
    new = _shop()
    new["components"]["schemas"]["Order"]["properties"]["note"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert diff_specs(_shop(), new) == []


def test_response_field_becoming_nullable_is_breaking() -> None:
    """A response field that may now be null must be handled by the user."""
    new = _shop()
    new["components"]["schemas"]["Order"]["properties"]["id"]["type"] = ["string", "null"]
    changes = diff_specs(_shop(), new)
    assert _found(changes) == _both_order_responses("nullable-changed", BREAKING, f"{ORDER}/id")
    assert "POST /orders: response field `id` is now nullable" in {c.detail for c in changes}


def test_request_field_becoming_nullable_is_additive() -> None:
    """OpenAPI 3.0 `nullable: true` on a request field accepts more: an addition."""
    new = _shop()
    new["components"]["schemas"]["OrderInput"]["properties"]["amount"]["nullable"] = True
    assert _found(diff_specs(_shop(), new)) == {("nullable-changed", ADDITIVE, f"{INPUT}/amount", "POST /orders")}


def test_oneof_variant_added_breaks_a_response_and_extends_a_request() -> None:
    """A new union member is a new shape to handle in a response, a new accepted shape in a request."""
    union = {"oneOf": [{"type": "string"}, {"type": "integer"}]}
    old = _shop()
    old["components"]["schemas"]["Order"]["properties"]["ref"] = copy.deepcopy(union)
    old["components"]["schemas"]["OrderInput"]["properties"]["ref"] = copy.deepcopy(union)
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Order"]["properties"]["ref"]["oneOf"].append({"type": "boolean"})
    new["components"]["schemas"]["OrderInput"]["properties"]["ref"]["oneOf"].append({"type": "boolean"})
    assert _found(diff_specs(old, new)) == {
        ("variant-added", ADDITIVE, f"{INPUT}/ref/oneOf/2", "POST /orders")
    } | _both_order_responses("variant-added", BREAKING, f"{ORDER}/ref/oneOf/2")


# --- $ref, allOf, cycles, pointers --------------------------------------------------------------------------


def test_change_in_a_referenced_schema_surfaces_in_components() -> None:
    """A change two $refs deep is located where it is defined, once per operation that reaches it."""
    old = _shop()
    old["components"]["schemas"]["Money"] = {"type": "object", "properties": {"cents": {"type": "integer"}}}
    old["components"]["schemas"]["Order"]["properties"]["total"] = {"$ref": "#/components/schemas/Money"}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Money"]["properties"]["cents"] = {"type": "number"}
    changes = diff_specs(old, new)
    assert _found(changes) == _both_order_responses(
        "type-changed", BREAKING, "/components/schemas/Money/properties/cents"
    )
    assert {c.detail for c in changes} == {
        "GET /orders: response field `[].total.cents` changed type from integer to number",
        "POST /orders: response field `total.cents` changed type from integer to number",
    }


def test_ref_to_another_component_renames_the_model() -> None:
    """The same shape under another component name renames the generated model class."""
    new = _shop()
    new["components"]["schemas"]["Purchase"] = new["components"]["schemas"]["Order"]
    new["paths"]["/orders"]["post"]["responses"]["201"] = {
        "description": "created",
        **_json({"$ref": "#/components/schemas/Purchase"}),
    }
    assert _found(diff_specs(_shop(), new)) == {
        ("model-renamed", BREAKING, "/components/schemas/Purchase", "POST /orders")
    }


def test_field_removed_from_an_allof_member() -> None:
    """allOf members are merged: a field removed from the base is reported at the base."""
    old = _shop()
    schemas = old["components"]["schemas"]
    schemas["Base"] = {"type": "object", "properties": {"created": {"type": "string"}}}
    schemas["Order"] = {"allOf": [{"$ref": "#/components/schemas/Base"}, schemas["Order"]]}
    new = copy.deepcopy(old)
    del new["components"]["schemas"]["Base"]["properties"]["created"]
    assert _found(diff_specs(old, new)) == _both_order_responses(
        "response-field-removed", BREAKING, "/components/schemas/Base/properties/created"
    )


def test_recursive_schema_terminates() -> None:
    """A self-referencing schema is walked once: the change is reported once, no recursion error."""
    node = {
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}},
    }
    old = _spec(
        {
            "/tree": {
                "get": {"responses": {"200": {"description": "ok", **_json({"$ref": "#/components/schemas/Node"})}}}
            }
        },
        {"Node": node},
    )
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Node"]["properties"]["name"] = {"type": "string"}
    assert _found(diff_specs(old, new)) == {
        ("response-field-added", ADDITIVE, "/components/schemas/Node/properties/name", "GET /tree")
    }


def test_unresolvable_ref_is_compared_by_its_text() -> None:
    """An external $ref is not followed; pointing it elsewhere is reported as a type change."""
    old = _shop()
    old["components"]["schemas"]["OrderInput"]["properties"]["coupon"] = {"$ref": "coupons.yaml#/Coupon"}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["OrderInput"]["properties"]["coupon"] = {"$ref": "coupons.yaml#/Voucher"}
    assert _found(diff_specs(old, new)) == {("type-changed", BREAKING, f"{INPUT}/coupon", "POST /orders")}


def test_pointer_tokens_are_escaped() -> None:
    """`/` and `~` in a path or a field name are escaped as ~1 and ~0 (RFC 6901)."""
    response = {"description": "ok", **_json({"type": "object", "properties": {"a/b": {"type": "string"}}})}
    old = _spec({"/files/~{name}": {"get": {"responses": {"200": response}}}})
    new = copy.deepcopy(old)
    new["paths"]["/files/~{name}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"][
        "a/b"
    ] = {"type": "integer"}
    [change] = diff_specs(old, new)
    assert change.location == (
        "/paths/~1files~1~0{name}/get/responses/200/content/application~1json/schema/properties/a~1b"
    )


# --- documentation-only changes -----------------------------------------------------------------------------


def test_description_and_summary_changes_are_patch() -> None:
    """Summary and description edits are patch-level, located at the changed keyword."""
    new = _shop()
    new["paths"]["/orders"]["get"]["summary"] = "List all orders"
    new["components"]["schemas"]["OrderInput"]["properties"]["amount"]["description"] = "In cents."
    changes = diff_specs(_shop(), new)
    assert _found(changes) == {
        ("description-changed", PATCH, "/paths/~1orders/get/summary", "GET /orders"),
        ("description-changed", PATCH, f"{INPUT}/amount/description", "POST /orders"),
    }
    assert overall_severity(changes) is PATCH


def test_example_change_is_patch() -> None:
    """An edited example changes nothing for the SDK."""
    old = _shop()
    old["components"]["schemas"]["OrderInput"]["properties"]["coupon"]["examples"] = ["SPRING"]
    new = copy.deepcopy(old)
    new["components"]["schemas"]["OrderInput"]["properties"]["coupon"]["examples"] = ["AUTUMN"]
    assert _found(diff_specs(old, new)) == {("example-changed", PATCH, f"{INPUT}/coupon/examples", "POST /orders")}


def test_constraint_change_is_patch() -> None:
    """A tighter maxLength is server behaviour, not SDK surface: patch."""
    new = _shop()
    new["components"]["schemas"]["OrderInput"]["properties"]["coupon"]["maxLength"] = 12
    [change] = diff_specs(_shop(), new)
    assert (change.kind, change.severity, change.location) == ("constraint-changed", PATCH, f"{INPUT}/coupon/maxLength")


def test_request_default_change_is_breaking_and_says_what_calls_send() -> None:
    """A changed default of a request field or query parameter changes what an unchanged call sends: breaking."""
    old = _shop()
    old["components"]["schemas"]["OrderInput"]["properties"]["coupon"]["default"] = "NONE"
    old["paths"]["/orders"]["get"]["parameters"][0]["schema"]["default"] = 20
    new = copy.deepcopy(old)
    new["components"]["schemas"]["OrderInput"]["properties"]["coupon"]["default"] = "SPRING"
    new["paths"]["/orders"]["get"]["parameters"][0]["schema"]["default"] = 50
    changes = {c.location: c for c in diff_specs(old, new)}
    body, query = changes[f"{INPUT}/coupon/default"], changes["/paths/~1orders/get/parameters/limit/schema/default"]
    assert (body.kind, body.severity, query.kind, query.severity) == (
        "default-changed",
        BREAKING,
        "default-changed",
        BREAKING,
    )
    sdk = " from the server (the SDK sends nothing for it)"
    assert body.detail.endswith(
        f'default changed from "NONE" to "SPRING": calls that leave it out now get "SPRING"{sdk}'
    )
    assert query.detail.endswith(f"default changed from 20 to 50: calls that leave it out now get 50{sdk}")


def test_request_default_added_or_removed_is_breaking() -> None:
    """A default that appears or goes changes what the server applies to a call that leaves the value out."""
    new = _shop()
    new["components"]["schemas"]["OrderInput"]["properties"]["coupon"]["default"] = "SPRING"
    [change] = diff_specs(_shop(), new)
    assert (change.kind, change.severity) == ("default-changed", BREAKING)
    assert change.detail.endswith(
        'default changed from none to "SPRING": calls that leave it out now get "SPRING" from the server '
        "(the SDK sends nothing for it)"
    )
    [back] = diff_specs(new, _shop())
    assert back.severity is BREAKING
    assert back.detail.endswith("now get no default from the server (the SDK sends nothing for it)")


def test_response_default_change_is_patch() -> None:
    """A default in a response only fills in what the server left out: patch."""
    old = _shop()
    old["components"]["schemas"]["Order"]["properties"]["id"]["default"] = "x"
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Order"]["properties"]["id"]["default"] = "y"
    assert {(c.kind, c.severity) for c in diff_specs(old, new)} == {("default-changed", PATCH)}


# --- property-based -----------------------------------------------------------------------------------------

_NAMES = st.sets(st.text(alphabet="ab/~_", min_size=1, max_size=4), max_size=6)


@given(before=_NAMES, after=_NAMES)
def test_response_field_changes_are_the_set_differences(before: set[str], after: set[str]) -> None:
    """For any two sets of response fields, exactly the removed and added names are reported."""

    def spec(names: set[str]) -> Doc:
        schema = {"type": "object", "properties": {n: {"type": "string"} for n in sorted(names)}}
        return _spec({"/x": {"get": {"responses": {"200": {"description": "ok", **_json(schema)}}}}})

    changes = diff_specs(spec(before), spec(after))
    prefix = "/paths/~1x/get/responses/200/content/application~1json/schema/properties/"

    def named(kind: str) -> set[str]:
        tokens = {c.location.removeprefix(prefix) for c in changes if c.kind == kind}
        return {t.replace("~1", "/").replace("~0", "~") for t in tokens}

    assert named("response-field-removed") == before - after
    assert named("response-field-added") == after - before
    assert len(changes) == len(before ^ after)


# --- severity and versions ----------------------------------------------------------------------------------


def _change(severity: Severity, location: str = "/paths/~1x/get", detail: str = "GET /x: something") -> Change:
    return Change("kind", location, "GET /x", detail, severity)


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        ([], None),  # nothing changed: no bump
        ([PATCH, PATCH], PATCH),  # documentation only
        ([PATCH, ADDITIVE], ADDITIVE),  # an addition outweighs a patch
        ([ADDITIVE, BREAKING, PATCH], BREAKING),  # one breaking change decides
    ],
)
def test_overall_severity(severities: list[Severity], expected: Severity | None) -> None:
    """The overall severity is the most severe change's."""
    assert overall_severity([_change(s) for s in severities]) is expected


@pytest.mark.parametrize(
    ("version", "severity", "expected"),
    [
        ("1.4.2", BREAKING, "2.0.0"),  # 1.x: breaking bumps major
        ("1.4.2", ADDITIVE, "1.5.0"),  # 1.x: additive bumps minor
        ("1.4.2", PATCH, "1.4.3"),  # 1.x: patch bumps patch
        ("1.4.2", None, "1.4.2"),  # no change: unchanged
        ("0.3.5", BREAKING, "0.4.0"),  # 0.x: breaking bumps minor
        ("0.3.5", ADDITIVE, "0.3.6"),  # 0.x: additive bumps patch
        ("0.3.5", PATCH, "0.3.6"),  # 0.x: patch bumps patch
        ("0.0.0", BREAKING, "0.1.0"),  # the very first version
        ("10.19.99", ADDITIVE, "10.20.0"),  # numbers, not digits
    ],
)
def test_bump_version(version: str, severity: Severity | None, expected: str) -> None:
    """Semver bump from the severity, with the 0.x convention."""
    assert bump_version(version, severity) == expected


@pytest.mark.parametrize("version", ["1.2", "v1.2.3", "1.2.3rc1", "1.2.3.4", "01.2.3", "1.2.3 ", ""])
def test_bump_version_rejects_other_forms(version: str) -> None:
    """Anything but a plain X.Y.Z is refused with the version in the message (even with nothing to bump)."""
    with pytest.raises(ValueError, match=f"version {version!r} is not of the form X.Y.Z"):
        bump_version(version, None)


# --- report -------------------------------------------------------------------------------------------------


def test_format_report_groups_and_orders_changes() -> None:
    """Sections in severity order, entries sorted by location, empty sections left out."""
    changes = [
        _change(PATCH, "/paths/~1b/get/summary", "GET /b: operation: summary changed"),
        _change(BREAKING, "/paths/~1z/get", "GET /z: operation removed"),
        _change(PATCH, "/paths/~1a/get/summary", "GET /a: operation: summary changed"),
        _change(BREAKING, "/paths/~1a/get", "GET /a: operation removed"),
    ]
    assert format_report(changes, api="shop", old_version="1.4.2", new_version="2.0.0") == (
        "## 2.0.0 (shop)\n"
        "\n"
        "Changes to the shop API description since 1.4.2.\n"
        "\n"
        "### Breaking changes\n"
        "\n"
        "- GET /a: operation removed (`/paths/~1a/get`)\n"
        "- GET /z: operation removed (`/paths/~1z/get`)\n"
        "\n"
        "### Other changes\n"
        "\n"
        "- GET /a: operation: summary changed (`/paths/~1a/get/summary`)\n"
        "- GET /b: operation: summary changed (`/paths/~1b/get/summary`)\n"
    )


def test_format_report_of_a_real_diff_is_deterministic() -> None:
    """The same changes in any order give the same report, with an Additions section."""
    new = _shop()
    new["paths"]["/orders"]["get"]["parameters"].append({"name": "sort", "in": "query", "schema": {"type": "string"}})
    del new["paths"]["/orders/{id}"]
    changes = diff_specs(_shop(), new)
    report = format_report(changes, api="shop", old_version="1.0.0", new_version="2.0.0")
    assert report == format_report(changes[::-1], api="shop", old_version="1.0.0", new_version="2.0.0")
    assert "### Additions\n\n- GET /orders: optional parameter `sort` (query) added" in report
    assert report.index("### Breaking changes") < report.index("### Additions")


def test_format_report_without_changes() -> None:
    """An empty diff still gives a heading and says nothing changed."""
    report = format_report([], api="shop", old_version="1.0.0", new_version="1.0.0")
    assert report.endswith("No changes to the API description.\n")


# --- the vendored specs -------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["cnaught/openapi.yaml", "fungies/api-docs.yaml"])
def vendored(request: pytest.FixtureRequest) -> Doc:
    loaded: Doc = YAML(typ="safe").load((SPECS / str(request.param)).read_text(encoding="utf-8"))
    return loaded


def test_vendored_spec_against_itself(vendored: Doc) -> None:
    """A real vendor document diffed against a copy of itself reports nothing."""
    assert diff_specs(vendored, copy.deepcopy(vendored)) == []


def test_vendored_spec_without_one_operation(vendored: Doc) -> None:
    """Deleting one operation from a real vendor document is the only change, and breaking."""
    new = copy.deepcopy(vendored)
    path = next(iter(new["paths"]))
    method = next(m for m in ("get", "put", "post", "delete", "patch") if m in new["paths"][path])
    del new["paths"][path][method]
    changes = diff_specs(vendored, new)
    assert [(c.kind, c.severity, c.operation) for c in changes] == [
        ("operation-removed", BREAKING, f"{method.upper()} {path}")
    ]
    assert overall_severity(changes) is BREAKING


def test_a_chain_of_two_thousand_models_is_followed_to_its_end() -> None:
    """Models nest through $ref'd properties to any length: the diff walks them without recursing."""

    def chain(leaf_type: str) -> Doc:
        schemas: Doc = {
            f"M{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/M{i + 1}"}}}
            for i in range(2_000)
        }
        schemas["M2000"] = {"type": "object", "properties": {"id": {"type": leaf_type}}}
        op = {
            "operationId": "getChain",
            "responses": {"200": {"description": "ok", **_json({"$ref": "#/components/schemas/M0"})}},
        }
        return _spec({"/chain": {"get": op}}, schemas)

    changes = diff_specs(chain("string"), chain("integer"))
    assert [(c.kind, c.location, c.severity) for c in changes] == [
        ("type-changed", "/components/schemas/M2000/properties/id", BREAKING)
    ]
    assert changes[0].detail == f"GET /chain: response field `{'next.' * 2_000}id` changed type from string to integer"
