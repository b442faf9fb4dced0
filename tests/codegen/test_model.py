"""Tests for sdkpipeline.codegen.model: the SDK model built from small spec fragments.

Each fragment goes through the normalizer and the generator's parser as a real spec would; the test
then reads the decision from the model: each method's record (the runtime's `Operation`, which the resource
module prints and `_operations.json` serialises) and its signature, and the plans the templates print.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest

from sdkpipeline.codegen.model import (
    OPTION_KEYWORDS,
    Method,
    OperationIndex,
    Resource,
    SdkModel,
    build_model,
    credentials_of,
)
from sdkpipeline.codegen.records import Body, BodyShape, Deprecation, Param
from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides, normalize
from sdkpipeline.normalize.context import Patch

from .fragments import (
    BY_AMOUNT,
    BY_PRICE,
    THING,
    THINGS,
    TWO_VARIANTS,
    Doc,
    document,
    listing,
    obj,
    ok,
    parse_fragment,
    post_operation,
    query_params,
    sdk_model,
)


def _only(model: SdkModel) -> Method:
    (method,) = model.methods
    return method


class TestPagination:
    def test_cursor(self, tmp_path: Path) -> None:
        query = [
            *query_params("limit"),
            *[{"name": n, "in": "query", "schema": {"type": "string"}} for n in ("starting_after", "ending_before")],
        ]
        query[0]["schema"]["default"] = 20
        op = _only(
            sdk_model(
                document({"/things": listing("ListThings", query, obj(data=THINGS))}, schemas={"Thing": THING}),
                tmp_path,
            )
        )
        assert op.operation.pagination is not None
        assert (op.operation.pagination.kind, op.operation.pagination.items, op.operation.pagination.cursor) == (
            "cursor",
            ("data",),
            "starting_after",
        )
        assert (
            op.operation.pagination.size,
            op.operation.pagination.default_size,
            op.operation.pagination.reverse_cursor,
        ) == (
            "limit",
            20,
            "ending_before",
        )
        assert str(op.item_type) == "Thing"

    def test_offset_one_level_down_in_python_names(self, tmp_path: Path) -> None:
        page = obj(status={"type": "string"}, data=obj(thingList=THINGS, totalCount={"type": "integer"}))
        page["properties"]["data"]["properties"]["count"] = {"type": "integer"}
        op = _only(
            sdk_model(
                document(
                    {"/things": listing("ListThings", query_params("skip", "take"), page)}, schemas={"Thing": THING}
                ),
                tmp_path,
            )
        )
        assert op.operation.pagination is not None
        assert op.operation.pagination.kind == "offset"
        assert op.operation.pagination.items == ("data", "thing_list")  # attribute names of the parsed models
        assert (op.operation.pagination.cursor, op.operation.pagination.size, op.operation.pagination.total) == (
            "skip",
            "take",
            ("data", "count"),
        )

    def test_token(self, tmp_path: Path) -> None:
        page = obj(items=THINGS, next_cursor={"type": "string"}, has_more={"type": "boolean"})
        query = [{"name": "cursor", "in": "query", "schema": {"type": "string"}}, *query_params("limit")]
        op = _only(
            sdk_model(document({"/things": listing("ListThings", query, page)}, schemas={"Thing": THING}), tmp_path)
        )
        assert op.operation.pagination is not None
        assert (
            op.operation.pagination.kind,
            op.operation.pagination.next_cursor,
            op.operation.pagination.has_more,
        ) == (
            "token",
            ("next_cursor",),
            ("has_more",),
        )

    def test_page(self, tmp_path: Path) -> None:
        page = obj(results=THINGS, totalPages={"type": "integer"})
        op = _only(
            sdk_model(
                document(
                    {"/things": listing("ListThings", query_params("page", "per_page"), page)}, schemas={"Thing": THING}
                ),
                tmp_path,
            )
        )
        assert op.operation.pagination is not None
        assert (op.operation.pagination.kind, op.operation.pagination.size, op.operation.pagination.pages) == (
            "page",
            "per_page",
            ("total_pages",),
        )

    def test_an_override_turning_it_off(self, tmp_path: Path) -> None:
        paths = {"/things": listing("ListThings", query_params("page"), obj(results=THINGS))}
        off = Patch("/paths/~1things/get/x-sdk-pagination", "set", False, "it does not page", 0)
        model = sdk_model(document(paths, schemas={"Thing": THING}), tmp_path, Overrides(patches=(off,)))
        assert _only(model).operation.pagination is None


def test_an_enveloped_response(tmp_path: Path) -> None:
    """`{status: "success", data}` bodies: the model records the status a success carries."""
    envelope = obj(["status", "data"], status={"type": "string", "const": "success"}, data=obj(thing=THING))
    paths = {
        "/things/{id}": {
            "get": {
                "operationId": "GetThing",
                "tags": ["Things"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": ok(envelope),
            }
        }
    }
    op = _only(sdk_model(document(paths), tmp_path))
    assert op.operation.success_status == "success"
    assert op.operation.success_statuses == (200,)
    assert (op.operation.resource, op.operation.name) == ("things", "retrieve")
    assert [p.keyword for p in op.path_params] == ["id"]
    assert op.operation.params == (Param(keyword="id", location="path", required=True),)


def test_a_body_with_two_variants_takes_either_variants_keywords_or_body(tmp_path: Path) -> None:
    """A oneOf body: one overload per variant (its fields as keywords), one for `body=` (a model or a dict)."""
    schemas = {"ByAmount": BY_AMOUNT, "ByPrice": BY_PRICE, "Thing": THING}
    op = _only(sdk_model(document(post_operation("CreateOrder", TWO_VARIANTS), schemas=schemas), tmp_path))
    assert op.body is not None and op.body.flattened
    assert [(v.name, [(f.keyword, f.required) for f in v.fields]) for v in op.body.variants] == [
        ("ByAmount", [("amount_kg", True), ("note", False)]),
        ("ByPrice", [("price_usd_cents", True), ("note", False)]),
    ]
    assert [v.required_keywords for v in op.body.variants] == [("amount_kg",), ("price_usd_cents",)]
    assert [[(p.keyword, p.default) for p in sig] for sig in op.overloads] == [
        [("amount_kg", None), ("note", "UNSET")],
        [("price_usd_cents", None), ("note", "UNSET")],
        [("body", None)],
    ]
    assert str(op.overloads[2][0].annotation) == "ByAmount | ByPrice | Mapping[str, Any]"
    # The implementation takes everything, each defaulting to UNSET (one sentinel per parameter; NotGiven is
    # only the per-request options'): what was passed picks the variant.
    assert [(p.keyword, str(p.annotation), p.default) for p in op.keyword_params] == [
        ("amount_kg", "float | Unset", "UNSET"),
        ("note", "str | Unset", "UNSET"),
        ("price_usd_cents", "int | Unset", "UNSET"),
        ("body", "ByAmount | ByPrice | Mapping[str, Any] | Unset", "UNSET"),
    ]
    assert op.operation.success_statuses == (201,)
    # The record has each field once, and each shape names its fields: what the runtime builds the body from.
    assert op.operation.body == Body(
        required=True,
        fields=(
            Param(keyword="amount_kg", location="body", required=True),
            Param(keyword="note", location="body"),
            Param(keyword="price_usd_cents", location="body", required=True),
        ),
        shapes=(
            BodyShape(name="ByAmount", fields=("amount_kg", "note"), required=("amount_kg",)),
            BodyShape(name="ByPrice", fields=("price_usd_cents", "note"), required=("price_usd_cents",)),
        ),
    )
    assert [p.keyword for p in op.operation.params] == ["body"]


def test_a_single_model_body_is_keywords_or_body(tmp_path: Path) -> None:
    body = obj(["name"], name={"type": "string"}, size={"type": "integer"})
    op = _only(
        sdk_model(document(post_operation("CreateThing", body, path="/things"), schemas={"Thing": THING}), tmp_path)
    )
    assert op.body is not None and op.body.flattened
    assert [[(p.keyword, p.required, p.default) for p in sig] for sig in op.overloads] == [
        [("name", True, None), ("size", False, "UNSET")],
        [("body", True, None)],
    ]
    assert [p.keyword for p in op.body_fields] == ["name", "size"]


def test_an_empty_body_takes_no_keyword(tmp_path: Path) -> None:
    """`{}` bodies (archive, cancel): nothing to pass, no overloads; the body is still sent."""
    empty = {"type": "object", "properties": {}}
    op = _only(
        sdk_model(document(post_operation("Archive", empty, required=False), schemas={"Thing": THING}), tmp_path)
    )
    assert op.body is not None and op.body.flattened
    assert (op.overloads, op.keyword_params, op.body_param) == ((), (), None)


def test_a_single_value_field_defaults_to_its_value_and_keeps_its_json_name(tmp_path: Path) -> None:
    """`type: {const: code}` (Fungies discounts.create) is not required of the caller; the keyword is `type`."""
    body = obj(["type", "amount", "from"], type={"type": "string", "const": "code"}, amount={"type": "number"})
    body["properties"]["from"] = {"type": "string"}
    op = _only(
        sdk_model(
            document(post_operation("CreateDiscount", body, path="/discounts"), schemas={"Thing": THING}), tmp_path
        )
    )
    fields = {f.keyword: f for f in op.body_fields}
    assert (fields["type"].default, fields["type"].argument, fields["type"].wire_name) == (
        '"code"',
        "type_",
        "type",
    )
    assert "from_" in fields  # a Python keyword keeps the generator's suffix
    assert op.body is not None and op.body.variants[0].required_keywords == ("amount", "from_")
    # The record sends the field's JSON value when the keyword is left out.
    assert op.operation.body is not None and op.operation.body.shapes[0].defaults == {"type": "code"}


def test_enum_and_uuid_parameters_accept_what_a_user_holds(tmp_path: Path) -> None:
    """Enums take their string values too (a Literal, or a named one when long); UUIDs take str."""
    many = [f"C{i:03d}" for i in range(40)]
    statuses = {"type": "array", "items": {"type": "string", "enum": ["PAID", "UNPAID"]}}
    parameters = [
        {"name": "orderId", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}},
        {"name": "statuses", "in": "query", "schema": statuses},
        {"name": "currency", "in": "query", "schema": {"type": "string", "enum": many}},
        {"name": "userId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
    ]
    get = {"operationId": "GetOrder", "tags": ["Orders"], "parameters": parameters, "responses": ok(THING)}
    op = _only(sdk_model(document({"/orders/{orderId}": {"get": get}}, schemas={"Thing": THING}), tmp_path))
    assert [str(p.annotation) for p in op.path_params] == ["str | UUID"]
    annotations = {p.keyword: str(p.annotation) for p in op.query_params}
    statuses_enum = annotations["statuses"].split("[")[1].split(" |")[0]
    assert annotations["statuses"] == f'list[{statuses_enum} | Literal["PAID", "UNPAID"]] | Unset'
    currency_enum = annotations["currency"].split(" |")[0]
    assert annotations["currency"] == f"{currency_enum} | {currency_enum}Literal | Unset"
    assert annotations["user_id"] == "str | UUID | Unset"
    (alias,) = op.literals
    assert (alias.name, alias.values[:2], len(alias.values)) == (f"{currency_enum}Literal", ("C000", "C001"), 40)
    assert f"from ..literals import {currency_enum}Literal" in op.type_imports


def test_a_nullable_query_parameter_keeps_its_description(tmp_path: Path) -> None:
    """The generator loses a nullable parameter's description; the model reads it from the spec."""
    limit = {"name": "limit", "in": "query", "description": "How many", "schema": {"type": ["integer", "null"]}}
    limit["schema"]["default"] = 20
    paths = {"/things": listing("ListThings", [limit], obj(results=THINGS))}
    op = _only(sdk_model(document(paths, schemas={"Thing": THING}), tmp_path))
    assert [p.docstring_line for p in op.query_params] == ["limit: How many. Server default: 20."]


def test_a_parameter_default_is_the_servers_not_sent(tmp_path: Path) -> None:
    """A query parameter and a body field with a spec default default to UNSET (not passed: not sent); the
    docstring line says the server's default; a body shape fills in only a required field's only value."""
    limit = {"name": "limit", "in": "query", "description": "How many", "schema": {"type": "integer", "default": 20}}
    paths = {"/things": listing("ListThings", [limit], obj(results=THINGS))}
    listed = _only(sdk_model(document(paths, schemas={"Thing": THING}), tmp_path / "list"))
    assert [(p.default, p.docstring_line) for p in listed.query_params] == [
        ("UNSET", "limit: How many. Server default: 20.")
    ]
    body = obj(["kind"], kind={"type": "string", "const": "box"}, size={"type": "integer", "default": 3})
    paths = post_operation("CreateThing", body, path="/things")
    create = _only(sdk_model(document(paths, schemas={"Thing": THING}), tmp_path))
    assert create.body is not None
    assert [(f.keyword, f.default, f.docstring_line) for f in create.body_fields] == [
        ("kind", '"box"', 'kind: Always "box" (filled in).'),
        ("size", "UNSET", "size: Server default: 3."),
    ]
    assert create.body.variants[0].record.defaults == {"kind": "box"}


@pytest.mark.parametrize(
    ("schema", "sentence"),
    [
        ({"type": "string", "enum": ["ASC", "DESC"]}, "one of 'ASC', 'DESC'"),
        ({"type": ["integer", "null"], "minimum": 0}, "an integer, at least 0"),
        ({"type": ["number", "null"], "minimum": -1.7976931348623157e308}, "a number"),
        ({"type": "boolean"}, "true or false"),
        ({"type": "string", "format": "uuid"}, "a UUID"),
        ({"type": "array", "items": {"$ref": "#/components/schemas/Code"}}, "a list, each a value of Code (9 values)"),
        (
            {"oneOf": [{"type": "string", "format": "uuid"}, {"type": "string", "pattern": "^[0-9]+$"}]},
            "a UUID or a string",
        ),
    ],
    ids=["enum", "bounded-int", "no-bound-at-the-double-limit", "boolean", "uuid", "list-of-a-long-enum", "one-of"],
)
def test_a_placeholder_parameter_doc_becomes_a_sentence(tmp_path: Path, schema: Doc, sentence: str) -> None:
    """`GET /things Parameter` (express-zod-api's placeholder) says nothing: the docstring line names the
    parameter, where it goes, and its type and allowed values instead."""
    param = {"name": "sortBy", "in": "query", "description": "GET /things Parameter", "schema": schema}
    code = {"type": "string", "enum": [f"c{i}" for i in range(9)]}
    paths = {"/things": listing("ListThings", [param], obj(results=THINGS))}
    op = _only(sdk_model(document(paths, schemas={"Thing": THING, "Code": code}), tmp_path))
    assert [p.docstring_line for p in op.query_params] == [f"sort_by: the `sortBy` query parameter: {sentence}."]


class TestUnwrap:
    """`x-sdk-unwrap` (the normalizer's decision) becomes the attribute path and the method's return type."""

    def _get(self, tmp_path: Path, data: Doc) -> Method:
        envelope = obj(["status", "data"], status={"type": "string", "const": "success"}, data=data)
        get = {
            "operationId": "GetThing",
            "tags": ["Things"],
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": ok(envelope),
        }
        return _only(sdk_model(document({"/things/{id}": {"get": get}}, schemas={"Thing": THING}), tmp_path))

    def test_one_object_is_returned_itself(self, tmp_path: Path) -> None:
        op = self._get(tmp_path, obj(["thing"], thing={"$ref": "#/components/schemas/Thing"}))
        assert (op.operation.unwrap, str(op.returns)) == (("data", "thing"), "Thing")
        assert "from ..models.thing import Thing" in op.type_imports
        assert (op.envelope, op.beside, op.returns_data) == ("ThingRetrieveEnvelope", (), False)

    def test_the_resource_is_returned_and_the_members_beside_it_are_named(self, tmp_path: Path) -> None:
        """The member named after the resource is returned; the others are what the raw response keeps."""
        data = obj(["thing"], thing={"$ref": "#/components/schemas/Thing"}, relatedItems=THINGS)
        op = self._get(tmp_path, data)
        assert (op.operation.unwrap, str(op.returns)) == (("data", "thing"), "Thing")
        assert (op.envelope, op.beside) == ("ThingRetrieveEnvelope", ("data.related_items",))

    def test_several_members_return_the_data_object(self, tmp_path: Path) -> None:
        # neither member is named after the resource (`thing` would be chosen: passes/test_sdk.py)
        op = self._get(tmp_path, obj(item={"$ref": "#/components/schemas/Thing"}, extra=THINGS))
        assert op.operation.unwrap == ("data",)
        assert str(op.returns) == "ThingRetrieveResponse"  # named by name_sdk_classes
        assert (op.returns_data, op.beside) == (True, ())

    def test_a_list_without_pages_returns_the_list(self, tmp_path: Path) -> None:
        get = {"operationId": "GetThings", "tags": ["Things"], "responses": ok(obj(data=THINGS))}
        op = _only(sdk_model(document({"/things": {"get": get}}, schemas={"Thing": THING}), tmp_path))
        assert (op.operation.unwrap, str(op.returns), op.returns_data) == (("data",), "list[Thing]", False)


def test_the_option_keywords_include_extra_query_and_extra_body() -> None:
    assert OPTION_KEYWORDS == ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries")


def test_a_deprecated_operation_and_its_replacement(tmp_path: Path) -> None:
    paths = {
        "/old": {
            "get": {
                "operationId": "Old",
                "tags": ["Things"],
                "deprecated": True,
                "responses": ok(THING),
            }
        },
        "/new": {"get": {"operationId": "New", "tags": ["Things"], "responses": ok(THING)}},
    }
    named = Patch("/paths/~1old/get/x-sdk-replacement", "set", "things.new", "named by the vendor's docs", 0)
    old, new = sdk_model(document(paths, schemas={"Thing": THING}), tmp_path, Overrides(patches=(named,))).operations
    assert old.deprecation == Deprecation(replacement="things.new")
    assert old.deprecation.message(old.qualified_name) == (
        "things.old() is deprecated by the API; use client.things.new() instead"
    )
    assert new.deprecation is None


def test_headers_are_keywords_without_the_x_prefix_and_the_idempotency_header_is_known(tmp_path: Path) -> None:
    headers = [
        {"name": "X-Account-Id", "in": "header", "schema": {"type": "string"}},
        {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}},
    ]
    paths = {
        "/things": {
            "post": {
                "operationId": "CreateThing",
                "tags": ["Things"],
                "parameters": headers,
                "responses": ok(THING, "201"),
            }
        }
    }
    op = _only(sdk_model(document(paths, schemas={"Thing": THING}), tmp_path))
    assert [(h.keyword, h.wire_name, h.argument) for h in op.header_params] == [
        ("account_id", "X-Account-Id", "x_account_id"),
        ("idempotency_key", "Idempotency-Key", "idempotency_key"),
    ]
    assert op.operation.idempotency_header == "Idempotency-Key"
    assert op.operation.params == (
        Param(keyword="account_id", location="header", wire_name="X-Account-Id", argument="x_account_id"),
        Param(keyword="idempotency_key", location="header", wire_name="Idempotency-Key"),
    )


class TestCredentials:
    SCHEMES: ClassVar[Doc] = {
        "Bearer": {"type": "http", "scheme": "bearer"},
        "Public": {"type": "apiKey", "in": "header", "name": "x-shop-public-key"},
        "Query": {"type": "apiKey", "in": "query", "name": "api_token"},
        "Session": {"type": "apiKey", "in": "cookie", "name": "session"},
        "Basic": {"type": "http", "scheme": "basic"},
    }

    def test_each_style(self) -> None:
        found = credentials_of({"components": {"securitySchemes": self.SCHEMES}}, env_prefix="SHOP")
        assert [(c.scheme, c.parameter, c.style, c.name, c.prefix, c.env) for c in found] == [
            ("Bearer", "api_key", "bearer", "Authorization", "Bearer ", "SHOP_API_KEY"),
            ("Public", "public_key", "header", "x-shop-public-key", "", "SHOP_PUBLIC_KEY"),
            ("Query", "api_token", "query", "api_token", "", "SHOP_API_TOKEN"),
            ("Session", "session", "cookie", "session", "", "SHOP_SESSION"),
        ]  # http basic is not a scheme the SDK can send: no argument for it

    def test_a_taken_argument_name_falls_back_to_the_scheme_name(self) -> None:
        schemes = {
            "Bearer": {"type": "http", "scheme": "bearer"},
            "Key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        }
        found = credentials_of({"components": {"securitySchemes": schemes}}, env_prefix="SHOP")
        assert [c.parameter for c in found] == ["api_key", "key"]

    def test_operations_name_the_schemes_they_may_send(self, tmp_path: Path) -> None:
        paths = {"/things": {"get": {"operationId": "ListThings", "tags": ["Things"], "responses": ok(THING)}}}
        model = sdk_model(
            document(paths, schemas={"Thing": THING}, security={"Public": self.SCHEMES["Public"]}), tmp_path
        )
        assert _only(model).operation.security == (("Public",),)

    def test_the_client_is_built_with_the_runtimes_credential_records(self) -> None:
        """A bearer token is a header with a prefix; the others are sent where the scheme says."""
        found = credentials_of({"components": {"securitySchemes": self.SCHEMES}}, env_prefix="SHOP")
        records = [(c.record.name, c.record.location, c.record.prefix) for c in found]
        assert records == [
            ("Authorization", "header", "Bearer "),
            ("x-shop-public-key", "header", ""),
            ("api_token", "query", ""),
            ("session", "cookie", ""),
        ]


def test_the_serialisation_reads_back_as_the_same_records(tmp_path: Path) -> None:
    """`_operations.json` is the records: what the contract tests and the release surface read is what the
    resource modules printed."""
    query = query_params("skip", "take")
    paths = {
        "/things": listing("ListThings", query, obj(data=obj(things=THINGS, count={"type": "integer"}))),
        "/things/{id}": {
            "delete": {
                "operationId": "DeleteThing",
                "tags": ["Things"],
                "deprecated": True,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "gone"}},
            }
        },
    }
    paths.update(post_operation("CreateOrder", TWO_VARIANTS))
    schemas = {"Thing": THING, "ByAmount": BY_AMOUNT, "ByPrice": BY_PRICE}
    model = sdk_model(
        document(paths, schemas=schemas, security={"Bearer": {"type": "http", "scheme": "bearer"}}), tmp_path
    )
    back = OperationIndex.from_json(json.loads(json.dumps(model.index.to_json())))  # as _operations.json holds it
    assert back == model.index
    assert back.operations[0].pagination is not None and back.operations[0].pagination.kind == "offset"
    assert back.operations[2].body is not None and len(back.operations[2].body.shapes) == 2
    assert back.operations[1].deprecation == Deprecation()
    assert {"resource", "name"} <= set(model.index.to_json()["operations"][0])


def test_an_operation_the_generator_dropped_is_an_error(tmp_path: Path) -> None:
    doc = document({"/things": listing("ListThings", [], obj(data=THINGS))}, schemas={"Thing": THING})
    normalized, _ = normalize(doc, Overrides())
    parsed = parse_fragment(normalized, tmp_path)
    normalized["paths"]["/extra"] = {"get": {"operationId": "NotParsed", "responses": ok(THING)}}
    with pytest.raises(Exception, match="produced no function for GET /extra"):
        build_model(normalized, parsed, package="shop_client", env_prefix="SHOP")


class TestResourcePlan:
    """What a resource module prints: per class, each method's signature, return types and its one call."""

    def _resource(self, tmp_path: Path) -> Resource:
        schemas = {"ByAmount": BY_AMOUNT, "ByPrice": BY_PRICE, "Thing": THING}
        page = obj(data=obj(things=THINGS, count={"type": "integer"}))
        orders = listing("ListOrders", query_params("skip", "take"), page)["get"]
        paths = {
            "/orders": {
                **post_operation("CreateOrder", TWO_VARIANTS)["/orders"],
                "get": {**orders, "tags": ["Orders"]},
            }
        }
        (resource,) = sdk_model(document(paths, schemas=schemas), tmp_path).resources
        return resource

    def test_blocking_and_async_classes_with_their_raw_and_streaming_views(self, tmp_path: Path) -> None:
        sync, asyncio = self._resource(tmp_path).classes
        assert (sync.name, sync.raw_name, sync.streaming_name, sync.engine) == (
            "OrdersResource",
            "OrdersResourceWithRawResponse",
            "OrdersResourceWithStreamingResponse",
            "SyncAPIClient",
        )
        assert (sync.raw_wrapper, sync.streaming_wrapper) == ("to_raw_response_wrapper", "to_streamed_response_wrapper")
        assert (asyncio.name, asyncio.raw_wrapper) == ("AsyncOrdersResource", "async_to_raw_response_wrapper")

    def test_the_module_exports_each_class_and_the_views_it_names(self, tmp_path: Path) -> None:
        resource = self._resource(tmp_path)
        named = {n for c in resource.classes for n in (c.name, c.raw_name, c.streaming_name)}
        assert set(resource.exports) == named and len(resource.exports) == len(named)
        assert resource.exports == (
            "AsyncOrdersResource",
            "AsyncOrdersResourceWithRawResponse",
            "AsyncOrdersResourceWithStreamingResponse",
            "OrdersResource",
            "OrdersResourceWithRawResponse",
            "OrdersResourceWithStreamingResponse",
        )

    def test_a_list_returns_pages_and_an_async_list_is_no_coroutine(self, tmp_path: Path) -> None:
        """`await` the AsyncPaginator or `async for` over it (its raw view awaits it: an APIResponse of the page)."""
        sync, asyncio = self._resource(tmp_path).classes
        sync_list = next(m for m in sync.methods if m.name == "list")
        async_list = next(m for m in asyncio.methods if m.name == "list")
        assert (sync_list.prefix, sync_list.returns) == ("", "SyncPage[Thing]")
        assert (async_list.prefix, async_list.returns) == ("", "AsyncPaginator[Thing]")
        assert async_list.call == 'cast("AsyncPaginator[Thing]", call_async(self._client, _OP_LIST, locals()))'

    def test_a_method_is_one_call_of_the_runtime_with_its_record(self, tmp_path: Path) -> None:
        sync, asyncio = self._resource(tmp_path).classes
        create = next(m for m in sync.methods if m.name == "create")
        async_create = next(m for m in asyncio.methods if m.name == "create")
        returns = "CreateOrderResponse201"  # the 201 body's class, as the normalizer names it
        assert create.call == f'cast("{returns}", call(self._client, _OP_CREATE, locals()))'
        assert async_create.call == f'cast("{returns}", await call_async(self._client, _OP_CREATE, locals()))'
        assert async_create.prefix == "async "

    def test_an_overloaded_method_has_a_signature_per_body_form(self, tmp_path: Path) -> None:
        (sync, _) = self._resource(tmp_path).classes
        create = next(m for m in sync.methods if m.name == "create")
        assert [o.split(", *, ")[1].split(" = ")[0] for o in create.overloads] == [
            "amount_kg: float, note: str | Unset",
            "price_usd_cents: int, note: str | Unset",
            "body: ByAmount | ByPrice | Mapping[str, Any], extra_headers: Mapping[str, str] | None",
        ]
        assert create.parameters.startswith("self, *, amount_kg: float | Unset = UNSET, ")
        assert create.parameters.endswith("max_retries: int | NotGiven = NOT_GIVEN")

    def test_the_records_are_printed_in_method_order(self, tmp_path: Path) -> None:
        resource = self._resource(tmp_path)
        assert [(constant, record.name) for constant, record in resource.records] == [
            ("_OP_LIST", "list"),
            ("_OP_CREATE", "create"),
        ]


def test_a_docstring_says_what_the_method_does_and_each_argument(tmp_path: Path) -> None:
    """Summary, deprecation, description, the HTTP call, what it returns, the body's forms, then `Args:`."""
    schemas = {"ByAmount": BY_AMOUNT, "ByPrice": BY_PRICE, "Thing": THING}
    paths = post_operation("CreateOrder", TWO_VARIANTS)
    post = paths["/orders"]["post"]
    post.update(summary="Create an order", description="Places an order.", deprecated=True)
    named = Patch("/paths/~1orders/post/x-sdk-replacement", "set", "orders.submit", "named by the vendor's docs", 0)
    method = _only(sdk_model(document(paths, schemas=schemas), tmp_path, Overrides(patches=(named,))))
    assert method.docstring == (
        "Create an order\n\n"
        "Deprecated by the API: use `client.orders.submit()` instead;\na call warns (DeprecationWarning).\n\n"
        "Places an order.\n\n"
        "`POST /orders` (CreateOrder).\n"
        "The body is given as keyword arguments (one per field, of one of its 2 forms: ByAmount or ByPrice)\n"
        "or as `body=` (a model or a dict).\n\n"
        "Args:\n"
        "    amount_kg:\n"
        "    note:\n"
        "    price_usd_cents:\n"
        "    body: the whole request body instead of its fields."
    )


def test_the_client_plan_prints_one_argument_per_credential(tmp_path: Path) -> None:
    schemes = {"Public": {"type": "apiKey", "in": "header", "name": "x-shop-public-key"}}
    paths = {"/things": {"get": {"operationId": "ListThings", "tags": ["Things"], "responses": ok(THING)}}}
    model = sdk_model(document(paths, schemas={"Thing": THING}, security=schemes), tmp_path)
    plan = model.client_plan(client_class="Shop", display_name="Shop", env_prefix="SHOP")
    assert plan.schemes == "Public → `public_key`"
    assert [(r.parameter, r.name, r.location, r.env) for r in plan.records] == [
        ("public_key", "x-shop-public-key", "header", "SHOP_PUBLIC_KEY")
    ]
    sync, asyncio = plan.classes
    assert (sync.name, sync.prefix, sync.async_, asyncio.name, asyncio.prefix, asyncio.await_) == (
        "Shop",
        "",
        "",
        "AsyncShop",
        "Async",
        "await ",
    )
    assert (plan.base_url_env, plan.base_url_note) == ("SHOP_BASE_URL", " (https://api.shop.example/v1)")


def test_the_webhook_plan_reads_the_event_schemas_through_the_model(tmp_path: Path) -> None:
    """Schemas marked `x-webhook-event` with a `type` const: the event table, imports and union of the module."""
    event = obj(["type", "data"], type={"type": "string", "const": "thing_made"}, data=THING)
    event["x-webhook-event"] = True
    paths = {"/things": {"get": {"operationId": "ListThings", "tags": ["Things"], "responses": ok(THING)}}}
    plan = sdk_model(
        document(paths, schemas={"Thing": THING, "ThingMade": event}), tmp_path, keep_decisions=True
    ).webhooks
    assert plan.table == {"thing_made": ("thing_made", "ThingMade")}
    assert (plan.imports, plan.union) == (("from .models.thing_made import ThingMade",), "ThingMade")
    assert plan.types_text == "  `thing_made`;"


def test_the_test_double_signs_deliveries_only_with_events_and_a_webhooks_module(tmp_path: Path) -> None:
    event = obj(["type", "data"], type={"type": "string", "const": "thing_made"}, data=THING)
    event["x-webhook-event"] = True
    paths = {"/things": {"get": {"operationId": "ListThings", "tags": ["Things"], "responses": ok(THING)}}}
    with_events = sdk_model(
        document(paths, schemas={"Thing": THING, "ThingMade": event}), tmp_path / "a", keep_decisions=True
    )
    without = sdk_model(document(paths, schemas={"Thing": THING}), tmp_path / "b")
    signs = [
        m.client_plan(
            client_class="Shop", display_name="Shop", env_prefix="SHOP", webhooks_module=module
        ).signed_webhooks
        for m, module in [(with_events, True), (with_events, False), (without, True)]
    ]
    assert signs == [True, False, False]


def test_a_webhook_event_without_its_type_is_an_error_naming_the_schema(tmp_path: Path) -> None:
    event = obj(["data"], data=THING)
    event["x-webhook-event"] = True
    paths = {"/things": {"get": {"operationId": "ListThings", "tags": ["Things"], "responses": ok(THING)}}}
    with pytest.raises(PipelineError) as info:
        sdk_model(document(paths, schemas={"Thing": THING, "Odd": event}), tmp_path, keep_decisions=True)
    assert info.value.where == "/components/schemas/Odd"
