"""Tests for sdkpipeline.codegen.model: the SDK model built from small spec fragments.

Each fragment goes through the normalizer and the generator's parser as a real spec would; the test
then reads the decision from the model (what the templates print and `_operations.json` serialises).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest

from sdkpipeline.codegen import generator
from sdkpipeline.codegen.model import (
    OPTION_KEYWORDS,
    Operation,
    ReadmePlan,
    SdkModel,
    build_model,
    credentials_of,
    union,
)
from sdkpipeline.normalize import Overrides, normalize
from sdkpipeline.normalize.context import Patch
from sdkpipeline.spec.repo import Repo

Doc = dict[str, Any]


def _spec(paths: Doc, *, schemas: Doc | None = None, security: Doc | None = None) -> Doc:
    doc: Doc = {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "version": "1.0.0"},
        "servers": [{"url": "https://api.shop.example/v1"}],
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }
    if security is not None:
        doc["components"]["securitySchemes"] = security
        doc["security"] = [{name: []} for name in security]
    return doc


def _parse(normalized: Doc, tmp_path: Path) -> generator.Parsed:
    return generator.parse(
        normalized,
        document_file=tmp_path / "normalized.yaml",
        output=tmp_path / "out",
        dist_name="shop-client",
        package="shop_client",
        version="1.0.0",
        templates=Repo.default().templates,
        spec_path=tmp_path / "shop.yaml",
    )


def _model(doc: Doc, tmp_path: Path, overrides: Overrides | None = None) -> SdkModel:
    normalized, _ = normalize(doc, overrides or Overrides())
    parsed = _parse(normalized, tmp_path)
    assert parsed.problems() == []  # the generator read every part of the fragment
    return build_model(normalized, parsed, package="shop_client", env_prefix="SHOP")


def _obj(required: list[str] | None = None, **properties: Any) -> Doc:
    schema: Doc = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _ok(schema: Doc, status: str = "200") -> Doc:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _query(*names: str) -> list[Doc]:
    return [{"name": n, "in": "query", "required": False, "schema": {"type": "integer"}} for n in names]


def _list(op_id: str, query: list[Doc], page: Doc) -> Doc:
    return {"get": {"operationId": op_id, "tags": ["Things"], "parameters": query, "responses": _ok(page)}}


THING = _obj(["id"], id={"type": "string"}, name={"type": "string"})
THINGS = {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}


def _only(model: SdkModel) -> Operation:
    (op,) = model.operations
    return op


class TestPagination:
    def test_cursor(self, tmp_path: Path) -> None:
        query = [
            *_query("limit"),
            *[{"name": n, "in": "query", "schema": {"type": "string"}} for n in ("starting_after", "ending_before")],
        ]
        query[0]["schema"]["default"] = 20
        op = _only(
            _model(
                _spec({"/things": _list("ListThings", query, _obj(data=THINGS))}, schemas={"Thing": THING}), tmp_path
            )
        )
        assert op.pagination is not None
        assert (op.pagination.kind, op.pagination.items, op.pagination.cursor) == (
            "cursor",
            ("data",),
            "starting_after",
        )
        assert (op.pagination.size, op.pagination.default_size, op.pagination.reverse_cursor) == (
            "limit",
            20,
            "ending_before",
        )
        assert op.pagination.item_type == "Thing"

    def test_offset_one_level_down_in_python_names(self, tmp_path: Path) -> None:
        page = _obj(status={"type": "string"}, data=_obj(thingList=THINGS, totalCount={"type": "integer"}))
        page["properties"]["data"]["properties"]["count"] = {"type": "integer"}
        op = _only(
            _model(
                _spec({"/things": _list("ListThings", _query("skip", "take"), page)}, schemas={"Thing": THING}),
                tmp_path,
            )
        )
        assert op.pagination is not None
        assert op.pagination.kind == "offset"
        assert op.pagination.items == ("data", "thing_list")  # attribute names of the parsed models
        assert (op.pagination.cursor, op.pagination.size, op.pagination.total) == ("skip", "take", ("data", "count"))

    def test_token(self, tmp_path: Path) -> None:
        page = _obj(items=THINGS, next_cursor={"type": "string"}, has_more={"type": "boolean"})
        query = [{"name": "cursor", "in": "query", "schema": {"type": "string"}}, *_query("limit")]
        op = _only(_model(_spec({"/things": _list("ListThings", query, page)}, schemas={"Thing": THING}), tmp_path))
        assert op.pagination is not None
        assert (op.pagination.kind, op.pagination.next_cursor, op.pagination.has_more) == (
            "token",
            ("next_cursor",),
            ("has_more",),
        )

    def test_page(self, tmp_path: Path) -> None:
        page = _obj(results=THINGS, totalPages={"type": "integer"})
        op = _only(
            _model(
                _spec({"/things": _list("ListThings", _query("page", "per_page"), page)}, schemas={"Thing": THING}),
                tmp_path,
            )
        )
        assert op.pagination is not None
        assert (op.pagination.kind, op.pagination.size, op.pagination.pages) == ("page", "per_page", ("total_pages",))

    def test_an_override_turning_it_off(self, tmp_path: Path) -> None:
        paths = {"/things": _list("ListThings", _query("page"), _obj(results=THINGS))}
        off = Patch("/paths/~1things/get/x-sdk-pagination", "set", False, "it does not page", 0)
        model = _model(_spec(paths, schemas={"Thing": THING}), tmp_path, Overrides(patches=(off,)))
        assert _only(model).pagination is None


def test_an_enveloped_response(tmp_path: Path) -> None:
    """`{status: "success", data}` bodies: the model records the status a success carries."""
    envelope = _obj(["status", "data"], status={"type": "string", "const": "success"}, data=_obj(thing=THING))
    paths = {
        "/things/{id}": {
            "get": {
                "operationId": "GetThing",
                "tags": ["Things"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _ok(envelope),
            }
        }
    }
    op = _only(_model(_spec(paths), tmp_path))
    assert op.success_status == "success"
    assert op.success_statuses == (200,)
    assert (op.resource, op.name) == ("things", "retrieve")
    assert [p.keyword for p in op.path_params] == ["id"]


def _post(op_id: str, body_schema: Doc, *, path: str = "/orders", required: bool = True) -> Doc:
    body = {"required": required, "content": {"application/json": {"schema": body_schema}}}
    post = {"operationId": op_id, "tags": ["Orders"], "requestBody": body, "responses": _ok(THING, "201")}
    return {path: {"post": post}}


BY_AMOUNT = _obj(["amount_kg"], amount_kg={"type": "number"}, note={"type": "string"})
BY_PRICE = _obj(["price_usd_cents"], price_usd_cents={"type": "integer"}, note={"type": "string"})
TWO_VARIANTS = {"oneOf": [{"$ref": "#/components/schemas/ByAmount"}, {"$ref": "#/components/schemas/ByPrice"}]}


def test_a_body_with_two_variants_takes_either_variants_keywords_or_body(tmp_path: Path) -> None:
    """A oneOf body: one overload per variant (its fields as keywords), one for `body=` (a model or a dict)."""
    schemas = {"ByAmount": BY_AMOUNT, "ByPrice": BY_PRICE, "Thing": THING}
    op = _only(_model(_spec(_post("CreateOrder", TWO_VARIANTS), schemas=schemas), tmp_path))
    assert op.body is not None and op.body.flattened
    assert [(v.class_name, [(f.keyword, f.required) for f in v.fields]) for v in op.body.variants] == [
        ("ByAmount", [("amount_kg", True), ("note", False)]),
        ("ByPrice", [("price_usd_cents", True), ("note", False)]),
    ]
    assert [v.required_keywords for v in op.body.variants] == [("amount_kg",), ("price_usd_cents",)]
    assert [[(p.keyword, p.default) for p in sig] for sig in op.overloads] == [
        [("amount_kg", None), ("note", "UNSET")],
        [("price_usd_cents", None), ("note", "UNSET")],
        [("body", None)],
    ]
    assert op.overloads[2][0].annotation == "ByAmount | ByPrice | Mapping[str, Any]"
    # The implementation takes everything, each defaulting to NOT_GIVEN: what was passed picks the variant.
    assert [(p.keyword, p.annotation, p.default) for p in op.keyword_params] == [
        ("amount_kg", "float | NotGiven", "NOT_GIVEN"),
        ("note", "str | Unset | NotGiven", "NOT_GIVEN"),
        ("price_usd_cents", "int | NotGiven", "NOT_GIVEN"),
        ("body", "ByAmount | ByPrice | Mapping[str, Any] | NotGiven", "NOT_GIVEN"),
    ]
    assert op.success_statuses == (201,)


def test_a_single_model_body_is_keywords_or_body(tmp_path: Path) -> None:
    body = _obj(["name"], name={"type": "string"}, size={"type": "integer"})
    op = _only(_model(_spec(_post("CreateThing", body, path="/things"), schemas={"Thing": THING}), tmp_path))
    assert op.body is not None and op.body.flattened
    assert [[(p.keyword, p.required, p.default) for p in sig] for sig in op.overloads] == [
        [("name", True, None), ("size", False, "UNSET")],
        [("body", True, None)],
    ]
    assert [p.keyword for p in op.body_fields] == ["name", "size"]


def test_an_empty_body_takes_no_keyword(tmp_path: Path) -> None:
    """`{}` bodies (archive, cancel): nothing to pass, no overloads; the body is still sent."""
    empty = {"type": "object", "properties": {}}
    op = _only(_model(_spec(_post("Archive", empty, required=False), schemas={"Thing": THING}), tmp_path))
    assert op.body is not None and op.body.flattened
    assert (op.overloads, op.keyword_params, op.body_param) == ((), (), None)


def test_a_single_value_field_defaults_to_its_value_and_keeps_its_json_name(tmp_path: Path) -> None:
    """`type: {const: code}` (Fungies discounts.create) is not required of the caller; the keyword is `type`."""
    body = _obj(["type", "amount", "from"], type={"type": "string", "const": "code"}, amount={"type": "number"})
    body["properties"]["from"] = {"type": "string"}
    op = _only(_model(_spec(_post("CreateDiscount", body, path="/discounts"), schemas={"Thing": THING}), tmp_path))
    fields = {f.keyword: f for f in op.body_fields}
    assert (fields["type"].default, fields["type"].endpoint_argument, fields["type"].wire_name) == (
        '"code"',
        "type_",
        "type",
    )
    assert "from_" in fields  # a Python keyword keeps the generator's suffix
    assert op.body is not None and op.body.variants[0].required_keywords == ("amount", "from_")
    assert op.body.variants[0].defaults == (("type", '"code"'),)


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
    get = {"operationId": "GetOrder", "tags": ["Orders"], "parameters": parameters, "responses": _ok(THING)}
    op = _only(_model(_spec({"/orders/{orderId}": {"get": get}}, schemas={"Thing": THING}), tmp_path))
    assert [p.annotation for p in op.path_params] == ["str | UUID"]
    annotations = {p.keyword: p.annotation for p in op.query_params}
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
    paths = {"/things": _list("ListThings", [limit], _obj(results=THINGS))}
    op = _only(_model(_spec(paths, schemas={"Thing": THING}), tmp_path))
    assert [p.description for p in op.query_params] == ["limit: How many"]


def test_a_parameter_default_is_the_servers_not_sent(tmp_path: Path) -> None:
    """A query parameter and a body field with a spec default default to UNSET (not passed: not sent); the
    docstring line says the server's default; a body shape fills in only a required field's only value."""
    limit = {"name": "limit", "in": "query", "description": "How many", "schema": {"type": "integer", "default": 20}}
    paths = {"/things": _list("ListThings", [limit], _obj(results=THINGS))}
    listing = _only(_model(_spec(paths, schemas={"Thing": THING}), tmp_path / "list"))
    assert [(p.default, p.description) for p in listing.query_params] == [
        ("UNSET", "limit: How many. Server default: 20.")
    ]
    body = _obj(["kind"], kind={"type": "string", "const": "box"}, size={"type": "integer", "default": 3})
    create = _only(_model(_spec(_post("CreateThing", body, path="/things"), schemas={"Thing": THING}), tmp_path))
    assert create.body is not None
    assert [(f.keyword, f.default, f.description) for f in create.body_fields] == [
        ("kind", '"box"', 'kind: Always "box" (filled in).'),
        ("size", "UNSET", "size: Server default: 3."),
    ]
    assert create.body.variants[0].defaults == (("kind", '"box"'),)


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
    paths = {"/things": _list("ListThings", [param], _obj(results=THINGS))}
    op = _only(_model(_spec(paths, schemas={"Thing": THING, "Code": code}), tmp_path))
    assert [p.description for p in op.query_params] == [f"sort_by: the `sortBy` query parameter: {sentence}."]


class TestUnwrap:
    """`x-sdk-unwrap` (the normalizer's decision) becomes the attribute path and the method's return type."""

    def _get(self, tmp_path: Path, data: Doc) -> Operation:
        envelope = _obj(["status", "data"], status={"type": "string", "const": "success"}, data=data)
        get = {
            "operationId": "GetThing",
            "tags": ["Things"],
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": _ok(envelope),
        }
        return _only(_model(_spec({"/things/{id}": {"get": get}}, schemas={"Thing": THING}), tmp_path))

    def test_one_object_is_returned_itself(self, tmp_path: Path) -> None:
        op = self._get(tmp_path, _obj(["thing"], thing={"$ref": "#/components/schemas/Thing"}))
        assert (op.unwrap, op.returns) == (("data", "thing"), "Thing")
        assert "from ..models.thing import Thing" in op.type_imports
        assert (op.envelope, op.beside, op.returns_data) == ("ThingRetrieveEnvelope", (), False)

    def test_the_resource_is_returned_and_the_members_beside_it_are_named(self, tmp_path: Path) -> None:
        """The member named after the resource is returned; the others are what the raw response keeps."""
        data = _obj(["thing"], thing={"$ref": "#/components/schemas/Thing"}, relatedItems=THINGS)
        op = self._get(tmp_path, data)
        assert (op.unwrap, op.returns) == (("data", "thing"), "Thing")
        assert (op.envelope, op.beside) == ("ThingRetrieveEnvelope", ("data.related_items",))

    def test_several_members_return_the_data_object(self, tmp_path: Path) -> None:
        # neither member is named after the resource (`thing` would be chosen: test_passes TestDescribeUnwrap)
        op = self._get(tmp_path, _obj(item={"$ref": "#/components/schemas/Thing"}, extra=THINGS))
        assert op.unwrap == ("data",)
        assert op.returns == "ThingRetrieveResponse"  # named by name_sdk_classes
        assert (op.returns_data, op.beside) == (True, ())

    def test_a_list_without_pages_returns_the_list(self, tmp_path: Path) -> None:
        get = {"operationId": "GetThings", "tags": ["Things"], "responses": _ok(_obj(data=THINGS))}
        op = _only(_model(_spec({"/things": {"get": get}}, schemas={"Thing": THING}), tmp_path))
        assert (op.unwrap, op.returns, op.returns_data) == (("data",), "list[Thing]", False)


def test_the_option_keywords_include_extra_query_and_extra_body() -> None:
    assert OPTION_KEYWORDS == ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries")


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        (("str", "str | UUID"), "str | UUID"),
        (("list[A | B] | None", "None"), "list[A | B] | None"),
        (("Literal['a|b']", "Literal['a|b']"), "Literal['a|b']"),
    ],
)
def test_union_keeps_each_member_once(annotations: tuple[str, ...], expected: str) -> None:
    assert union(*annotations) == expected


def test_a_deprecated_operation_and_its_replacement(tmp_path: Path) -> None:
    paths = {
        "/old": {
            "get": {
                "operationId": "Old",
                "tags": ["Things"],
                "deprecated": True,
                "responses": _ok(THING),
            }
        },
        "/new": {"get": {"operationId": "New", "tags": ["Things"], "responses": _ok(THING)}},
    }
    named = Patch("/paths/~1old/get/x-sdk-replacement", "set", "things.new", "named by the vendor's docs", 0)
    old, new = _model(_spec(paths, schemas={"Thing": THING}), tmp_path, Overrides(patches=(named,))).operations
    assert old.deprecation is not None and old.deprecation.replacement == "things.new"
    assert old.deprecation_message == "things.old() is deprecated by the API; use client.things.new() instead"
    assert new.deprecation is None and new.deprecation_message is None


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
                "responses": _ok(THING, "201"),
            }
        }
    }
    op = _only(_model(_spec(paths, schemas={"Thing": THING}), tmp_path))
    assert [(h.keyword, h.wire_name, h.endpoint_argument) for h in op.header_params] == [
        ("account_id", "X-Account-Id", "x_account_id"),
        ("idempotency_key", "Idempotency-Key", "idempotency_key"),
    ]
    assert op.idempotency_header == "Idempotency-Key"


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

    def test_operations_name_the_headers_they_may_send(self, tmp_path: Path) -> None:
        paths = {"/things": {"get": {"operationId": "ListThings", "tags": ["Things"], "responses": _ok(THING)}}}
        model = _model(_spec(paths, schemas={"Thing": THING}, security={"Public": self.SCHEMES["Public"]}), tmp_path)
        assert _only(model).api_key_headers == ("x-shop-public-key",)
        assert _only(model).security == (("Public",),)


def test_the_serialisation_reads_back_as_the_same_model(tmp_path: Path) -> None:
    """`_operations.json` is the model: what the contract tests read is what the templates printed."""
    query = _query("skip", "take")
    paths = {
        "/things": _list("ListThings", query, _obj(data=_obj(things=THINGS, count={"type": "integer"}))),
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
    paths.update(_post("CreateOrder", TWO_VARIANTS))
    schemas = {"Thing": THING, "ByAmount": BY_AMOUNT, "ByPrice": BY_PRICE}
    model = _model(_spec(paths, schemas=schemas, security={"Bearer": {"type": "http", "scheme": "bearer"}}), tmp_path)
    back = SdkModel.from_json(json.loads(model.dumps()))
    assert back.dumps() == model.dumps()
    assert back.operations[0].pagination == model.operations[0].pagination
    create = model.operations[2]
    assert [[p.keyword for p in sig] for sig in back.operations[2].overloads] == [
        [p.keyword for p in sig] for sig in create.overloads
    ]
    assert len(create.overloads) == 3
    assert back.credentials == model.credentials


def test_readme_examples_are_picked_from_the_model(tmp_path: Path) -> None:
    get_one = {
        "get": {
            "operationId": "GetThing",
            "tags": ["Things"],
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": _ok(THING),
        }
    }
    paths = {"/things": _list("ListThings", _query("page"), _obj(results=THINGS)), "/things/{id}": get_one}
    plan = ReadmePlan.of(_model(_spec(paths, schemas={"Thing": THING}), tmp_path))
    assert plan.resource is not None and plan.resource.name == "things"
    assert (plan.item, plan.paginated, plan.idempotent, plan.write) == ("thing", True, False, None)


def test_an_operation_the_generator_dropped_is_an_error(tmp_path: Path) -> None:
    doc = _spec({"/things": _list("ListThings", [], _obj(data=THINGS))}, schemas={"Thing": THING})
    normalized, _ = normalize(doc, Overrides())
    parsed = _parse(normalized, tmp_path)
    normalized["paths"]["/extra"] = {"get": {"operationId": "NotParsed", "responses": _ok(THING)}}
    with pytest.raises(Exception, match="produced no function for GET /extra"):
        build_model(normalized, parsed, package="shop_client", env_prefix="SHOP")


def test_readme_shows_a_body_by_keywords_in_each_form_and_as_a_dict(tmp_path: Path) -> None:
    """The README's request examples come from the model: the create call of each variant, then `body=`."""
    schemas = {"ByAmount": BY_AMOUNT, "ByPrice": BY_PRICE, "Thing": THING}
    statuses = {"type": "array", "items": {"type": "string", "enum": ["PAID", "UNPAID"]}}
    listing = _list("ListOrders", [{"name": "statuses", "in": "query", "schema": statuses}], _obj(data=THINGS))
    paths = {**_post("CreateOrder", TWO_VARIANTS), "/orders/list": listing}
    plan = ReadmePlan.of(_model(_spec(paths, schemas=schemas), tmp_path))
    assert plan.create == "orders.create(amount_kg=10)"
    assert plan.variants == ("orders.create(price_usd_cents=10)",)
    assert plan.body_dict == 'orders.create(body={"amount_kg": 10})'
    assert plan.enum_call == 'things.list(statuses=["PAID"])'
    assert (plan.envelope, plan.unwrapped, plan.deprecated) == (None, None, ())
