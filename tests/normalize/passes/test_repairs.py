"""The repairs of vendor defects (normalize/passes/repairs.py), each reported to the maintainer.

Each pass on a tiny inline spec, one class per pass (`TestLiftNullableUnions` for lift_nullable_unions): at least
one exact output, and the runner's "found nothing to change" warning when the pass has nothing to do.
"""

from __future__ import annotations

from typing import Any

import pytest

from sdkpipeline.normalize import passes as p
from sdkpipeline.spec.pointer import pointer
from tests.normalize.passes.fragments import (
    CURRENCY,
    REF,
    Doc,
    assert_nothing_to_do,
    changes_of,
    json_content,
    make_obj,
    make_op,
    make_spec,
    run_pass,
    run_repair,
    schemas_of,
)


class TestRenameDuplicateOperationIds:
    def test_the_head_beside_the_get_is_renamed(self) -> None:
        item = {"get": make_op("getThing"), "head": make_op("getThing")}
        out, log = run_repair(p.rename_duplicate_operation_ids, make_spec(paths={"/thing": item}))
        assert out["paths"]["/thing"]["head"]["operationId"] == "getThing_head"
        assert changes_of(log) == [
            (
                "/paths/~1thing/head/operationId",
                "operationId 'getThing' is also /paths/~1thing/get/operationId: renamed 'getThing_head'",
            )
        ]

    def test_a_taken_new_name_gets_a_number(self) -> None:
        paths = {
            "/a": {"get": make_op("x"), "head": make_op("x")},
            "/b": {"get": make_op("x_head")},
            "/c": {"head": make_op("x")},
        }
        out, _ = run_repair(p.rename_duplicate_operation_ids, make_spec(paths=paths))
        assert [out["paths"][k][m]["operationId"] for k, m in [("/a", "head"), ("/c", "head")]] == [
            "x_head_2",
            "x_head_3",
        ]

    def test_nothing_to_do(self) -> None:
        assert_nothing_to_do(
            p.rename_duplicate_operation_ids, make_spec(paths={"/a": {"get": make_op("a"), "head": make_op("b")}})
        )


def _no_id(**fields: Any) -> Doc:
    return {"responses": {"200": {"description": "ok"}}, **fields}


class TestDeriveOperationIds:
    def test_named_as_the_generator_would_with_a_warning(self) -> None:
        doc = make_spec(paths={"/const/{path}": {"post": _no_id()}, "/streams": {"get": make_op("listStreams")}})
        out, log = run_pass(p.derive_operation_ids, doc)
        assert out["paths"]["/const/{path}"]["post"]["operationId"] == "post_const_path"
        assert changes_of(log) == [
            ("/paths/~1const~1{path}/post/operationId", "no operationId: named 'post_const_path' from method and path")
        ]

    def test_a_derived_name_never_takes_an_existing_one(self) -> None:
        doc = make_spec(paths={"/pets": {"get": _no_id(), "post": make_op("get_pets")}})
        out, _ = run_pass(p.derive_operation_ids, doc)
        assert out["paths"]["/pets"]["get"]["operationId"] == "get_pets_2"

    def test_nothing_to_do(self) -> None:
        assert_nothing_to_do(p.derive_operation_ids, make_spec(paths={"/pets": {"get": make_op("listPets")}}))


class TestDeclarePathParameters:
    def test_declares_what_the_template_names(self) -> None:
        declared = {"name": "orderId", "in": "path", "required": True, "schema": {"type": "string"}}
        doc = make_spec(
            paths={"/orders/{orderId}/items/{itemId}": {"parameters": [declared], "patch": make_op("updateItem")}}
        )
        out, log = run_pass(p.declare_path_parameters, doc)
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
        assert changes_of(log) == [(where, "declared missing path parameter 'itemId'")]

    def test_nothing_to_do(self) -> None:
        ref = {"$ref": "#/components/parameters/OrderId"}
        doc = make_spec(paths={"/orders/{orderId}": {"get": make_op("getOrder", parameters=[ref])}})
        doc["components"] = {"parameters": {"OrderId": {"name": "orderId", "in": "path", "required": True}}}
        assert_nothing_to_do(p.declare_path_parameters, doc)


class TestRequirePathParameters:
    def test_an_optional_nullable_path_parameter_is_required_and_not_null(self) -> None:
        param = {"name": "id", "in": "path", "schema": {"type": ["string", "null"]}}
        out, log = run_repair(
            p.require_path_parameters, make_spec(paths={"/o/{id}": {"get": make_op("o", parameters=[param])}})
        )
        fixed = out["paths"]["/o/{id}"]["get"]["parameters"][0]
        assert fixed == {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        assert [m for _, m in changes_of(log)] == [
            "path parameter 'id' made required",
            "path parameter 'id' made non-nullable",
        ]

    def test_nothing_to_do(self) -> None:
        param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        query = {"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}
        assert_nothing_to_do(
            p.require_path_parameters, make_spec(paths={"/o/{id}": {"get": make_op("o", parameters=[param, query])}})
        )


class TestStripIgnoredHeaderParameters:
    def test_drops_accept_content_type_authorization(self) -> None:
        limit = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        headers = [{"name": n, "in": "header", "schema": {"type": "string"}} for n in ("Accept", "authorization")]
        doc = make_spec(
            paths={
                "/orders": {
                    "get": make_op("listOrders", parameters=[headers[0], limit, headers[1]]),
                    "post": make_op("createOrder", parameters=[{"name": "Content-Type", "in": "header"}]),
                }
            }
        )
        out, log = run_pass(p.strip_ignored_header_parameters, doc)
        assert out["paths"]["/orders"]["get"]["parameters"] == [limit]
        assert "parameters" not in out["paths"]["/orders"]["post"]
        assert [m for _, m in changes_of(log)] == [
            "dropped ignored header parameter Accept",
            "dropped ignored header parameter authorization",
            "dropped ignored header parameter Content-Type",
        ]

    def test_drops_them_from_the_path_item_too(self) -> None:
        doc = make_spec(
            paths={"/orders": {"parameters": [{"name": "Accept", "in": "header"}], "get": make_op("listOrders")}}
        )
        out, _ = run_pass(p.strip_ignored_header_parameters, doc)
        assert "parameters" not in out["paths"]["/orders"]

    def test_nothing_to_do(self) -> None:
        other = {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}}
        assert_nothing_to_do(
            p.strip_ignored_header_parameters,
            make_spec(paths={"/orders": {"get": make_op("listOrders", parameters=[other])}}),
        )


class TestStripHtmlFromDescriptions:
    def test_tags_become_plain_text(self) -> None:
        """CNaught's `<b>[Deprecated]</b> ... <br/><br/>` prose reads as plain text in a docstring."""
        description = "<b>[Deprecated]</b> Use `/quotes/x`.\n\n<br/><br/>\n\nPlaces an <code>order</code> &amp; more.\n"
        doc = make_spec(paths={"/o": {"post": make_op("O", description=description, summary="<i>Make</i> one")}})
        out, log = run_pass(p.strip_html_from_descriptions, doc)
        op = out["paths"]["/o"]["post"]
        assert op["description"] == "[Deprecated] Use `/quotes/x`.\n\nPlaces an `order` & more.\n"
        assert op["summary"] == "Make one"
        assert changes_of(log) == [
            ("/paths/~1o/post/description", "HTML in prose made plain text"),
            ("/paths/~1o/post/summary", "HTML in prose made plain text"),
        ]

    def test_examples_and_comparisons_are_left_alone(self) -> None:
        """A `description` inside an example is data; `1 < x < 100` is no tag."""
        schema = make_obj(description={"type": "string", "description": "between 1 < x < 100"})
        schema["example"] = {"description": "<b>kept</b>"}
        assert_nothing_to_do(p.strip_html_from_descriptions, make_spec({"Thing": schema}))


class TestMoveRequiredFlags:
    def test_a_property_flag_moves_to_the_parent_list(self) -> None:
        doc = make_spec(
            {"Pet": {**make_obj(name={"type": "string", "required": True}, tag={"type": "string", "required": False})}}
        )
        out, log = run_repair(p.move_required_flags, doc)
        assert out["components"]["schemas"]["Pet"] == {
            "type": "object",
            "properties": {"name": {"type": "string"}, "tag": {"type": "string"}},
            "required": ["name"],
        }
        assert changes_of(log)[0] == (
            "/components/schemas/Pet/properties/name/required",
            "`required: true` on property 'name' moved to its parent's list",
        )

    def test_on_a_body_schema_it_makes_the_body_required(self) -> None:
        body = {"content": {"application/octet-stream": {"schema": {"type": "string", "required": True}}}}
        out, log = run_repair(
            p.move_required_flags, make_spec(paths={"/img": {"put": make_op("up", requestBody=body)}})
        )
        assert out["paths"]["/img"]["put"]["requestBody"] == {
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            "required": True,
        }
        assert changes_of(log)[0][1] == "`required: true` on the request body's schema: the request body is required"

    def test_nothing_to_do(self) -> None:
        assert_nothing_to_do(
            p.move_required_flags, make_spec({"Pet": {**make_obj(name={"type": "string"}), "required": ["name"]}})
        )


class TestFixUntypedSchemas:
    def test_types_preprocessed_formats_and_bare_properties(self) -> None:
        doc = make_spec(
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
        out, log = run_pass(p.fix_untyped_schemas, doc)
        assert schemas_of(out) == {
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
        assert changes_of(log) == [
            ("/components/schemas/Filter", "typed schema with properties as object"),
            ("/components/schemas/Filter/properties/active", "typed 'boolean (preprocessed)' as boolean"),
            ("/components/schemas/Filter/properties/anything", "dropped 'format: any' (any value)"),
            ("/components/schemas/Filter/properties/range", "typed schema with properties as object"),
        ]

    def test_nothing_to_do(self) -> None:
        assert_nothing_to_do(p.fix_untyped_schemas, make_spec({"Order": make_obj(ref={"$ref": REF("Order")})}))


class TestFixDefaultsOutsideBounds:
    def test_exclusive_bound_on_the_default_becomes_inclusive(self) -> None:
        doc = make_spec(
            {
                "Page": make_obj(
                    offset={"type": "integer", "exclusiveMinimum": 0, "default": 0, "exclusiveMaximum": 100},
                    limit={"type": "integer", "exclusiveMaximum": 50, "default": 50},
                    size={"type": "integer", "exclusiveMinimum": 0, "default": 5},
                )
            }
        )
        out, log = run_pass(p.fix_defaults_outside_bounds, doc)
        assert schemas_of(out)["Page"]["properties"] == {
            "offset": {"type": "integer", "default": 0, "exclusiveMaximum": 100, "minimum": 0},
            "limit": {"type": "integer", "default": 50, "maximum": 50},
            "size": {"type": "integer", "exclusiveMinimum": 0, "default": 5},
        }
        assert [m for _, m in changes_of(log)] == [
            "exclusiveMinimum 0 excluded the default; made it minimum",
            "exclusiveMaximum 50 excluded the default; made it maximum",
        ]

    def test_nothing_to_do(self) -> None:
        flag = {"type": "boolean", "default": False, "exclusiveMinimum": False}
        assert_nothing_to_do(p.fix_defaults_outside_bounds, make_spec({"Page": make_obj(flag=flag)}))


class TestFixNullDefaults:
    @pytest.mark.parametrize("extra", [{}, {"default": None}], ids=["no_default", "default_null"])
    def test_nullable_enum_gets_null_among_its_values(self, extra: Doc) -> None:
        doc = make_spec({"Order": make_obj(currency={"type": ["string", "null"], "enum": ["USD", "EUR"], **extra})})
        out, log = run_pass(p.fix_null_defaults, doc)
        assert schemas_of(out)["Order"]["properties"]["currency"] == {
            "type": ["string", "null"],
            "enum": ["USD", "EUR", None],
            **extra,
        }
        assert changes_of(log) == [
            ("/components/schemas/Order/properties/currency", "nullable enum: added null to its values")
        ]

    def test_nothing_to_do(self) -> None:
        done = {"type": ["string", "null"], "enum": ["USD", None]}
        assert_nothing_to_do(p.fix_null_defaults, make_spec({"Order": make_obj(currency=done, status=CURRENCY)}))


class TestCollapseBinaryRequestBodies:
    def test_image_bodies_become_one_octet_stream_body(self) -> None:
        binary = {"schema": {"type": "string", "format": "binary"}}
        body = {"required": True, "content": {"image/png": binary, "image/svg+xml": binary}}
        doc = make_spec(paths={"/logo": {"put": make_op("uploadLogo", requestBody=body)}})
        out, log = run_pass(p.collapse_binary_request_bodies, doc)
        assert out["paths"]["/logo"]["put"]["requestBody"] == {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            "x-content-types": ["image/png", "image/svg+xml"],
        }
        assert changes_of(log) == [
            (
                "/paths/~1logo/put/requestBody",
                "raw binary body (image/png, image/svg+xml) sent as one octet-stream body; the caller picks the type",
            )
        ]

    def test_nothing_to_do(self) -> None:
        body = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
        assert_nothing_to_do(
            p.collapse_binary_request_bodies,
            make_spec(paths={"/logo": {"put": make_op("uploadLogo", requestBody=body)}}),
        )


class TestHoistResponseSchemas:
    def test_shared_response_schema_becomes_a_component(self) -> None:
        error = make_obj(message={"type": "string"})
        doc = make_spec(
            {},
            {
                "/orders": {
                    "get": make_op("listOrders", responses={"401": {"$ref": "#/components/responses/Unauthorized"}})
                }
            },
        )
        doc["components"]["responses"] = {"Unauthorized": {"description": "no key", **json_content(error)}}
        out, log = run_pass(p.hoist_response_schemas, doc)
        assert out["components"] == {
            "schemas": {"Unauthorized": error},
            "responses": {"Unauthorized": {"description": "no key", **json_content({"$ref": REF("Unauthorized")})}},
        }
        assert changes_of(log) == [
            ("/components/responses/Unauthorized/content/application~1json/schema", "hoisted into Unauthorized")
        ]

    def test_name_taken_gets_a_number(self) -> None:
        doc = make_spec({"Unauthorized": {"type": "string"}})
        doc["components"]["responses"] = {
            "Unauthorized": {"description": "x", **json_content(make_obj(m={"type": "string"}))}
        }
        out, _ = run_pass(p.hoist_response_schemas, doc)
        assert list(schemas_of(out)) == ["Unauthorized", "Unauthorized2"]

    def test_nothing_to_do(self) -> None:
        doc = make_spec({"Error": make_obj(m={"type": "string"})})
        doc["components"]["responses"] = {"Unauthorized": {"description": "x", **json_content({"$ref": REF("Error")})}}
        assert_nothing_to_do(p.hoist_response_schemas, doc)


class TestMarkDeprecatedOperations:
    @staticmethod
    def _doc(description: str, **fields: Any) -> Doc:
        named = {"x-sdk-resource": "quotes", "x-sdk-method": "ground_transport"}
        return make_spec(
            paths={
                "/orders/ride": {"post": make_op("Ride", description=description, **fields)},
                "/quotes/ground-transport": {"post": make_op("Ground", **named)},
            }
        )

    def test_the_marker_flags_it_and_the_named_path_is_its_replacement(self) -> None:
        out, log = run_pass(
            p.mark_deprecated_operations, self._doc("[Deprecated] Use `/quotes/ground-transport` then `/orders`.")
        )
        op = out["paths"]["/orders/ride"]["post"]
        assert (op["deprecated"], op["x-sdk-replacement"]) == (True, "quotes.ground_transport")
        assert changes_of(log) == [
            ("/paths/~1orders~1ride/post/deprecated", "description starts with [Deprecated]"),
            (
                "/paths/~1orders~1ride/post/x-sdk-replacement",
                "replacement named in the description: quotes.ground_transport",
            ),
        ]

    def test_a_path_the_document_lacks_is_reported_for_an_override(self) -> None:
        out, log = run_pass(
            p.mark_deprecated_operations, self._doc("[Deprecated] Use `/orders/ground-transportation`.")
        )
        assert out["paths"]["/orders/ride"]["post"]["deprecated"] is True
        assert "x-sdk-replacement" not in out["paths"]["/orders/ride"]["post"]
        assert log.warnings == [
            "mark_deprecated_operations: /paths/~1orders~1ride/post: deprecated; the description names "
            "/orders/ground-transportation, which is no operation of the document: "
            "set x-sdk-replacement with an override"
        ]

    def test_a_replacement_set_by_an_override_is_kept(self) -> None:
        doc = self._doc("Old.", deprecated=True, **{"x-sdk-replacement": "quotes.ground_transport"})
        assert_nothing_to_do(p.mark_deprecated_operations, doc)

    def test_no_marker_no_change(self) -> None:
        assert_nothing_to_do(p.mark_deprecated_operations, self._doc("Use it, [Deprecated] is a word here."))
