"""The fake API of `<package>.testing` (templates/runtime/_testing.py), once, on a tiny API given as data.

Requests go through an `httpx.Client` whose transport is the fake, as in a fake client; the generated fake
clients and every operation of both SDKs are tested in tests/sdk/test_testing.py.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import os
from typing import Any

import httpx
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from runtime._testing import (
    DEFAULT_ITEMS,
    KEYWORDS,
    REDACTED,
    FakeAPI,
    InvalidRequestError,
    Validator,
)

PROBLEM = {"title": "Not found", "status": 404}


def _list(name: str, path: str, pagination: dict[str, Any], page: dict[str, Any], params: list[Any]) -> dict[str, Any]:
    """A list operation: the page of its documented example, and how it pages."""
    return {
        "name": name,
        "aliases": [],
        "operation_id": name,
        "method": "GET",
        "path": path,
        "security": [],
        "parameters": params,
        "body": None,
        "success": 200,
        "responses": {"200": {"content_type": "application/json", "body": page}},
        "pagination": {
            "size": None,
            "default_size": None,
            "reverse_cursor": None,
            "total": None,
            "next_cursor": None,
            "has_more": None,
            "pages": None,
            **pagination,
        },
    }


def _query(name: str, schema: dict[str, Any], *, required: bool = False, explode: bool = True) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "style": "form", "explode": explode, "schema": schema}


INTEGER = {"type": "integer", "minimum": 1}
TEXT = {"type": "string"}

DATA: dict[str, Any] = {
    "package": "runtime",
    "base_url": "https://api.test/v1",
    "credentials": {
        "Bearer": {"in": "header", "name": "Authorization"},
        "QueryKey": {"in": "query", "name": "key"},
    },
    "operations": [
        _list(
            "things.list",
            "/things",
            {
                "kind": "cursor",
                "items": ["data"],
                "cursor": "starting_after",
                "size": "limit",
                "default_size": 2,
                "reverse_cursor": "ending_before",
            },
            {"data": [{"id": "t1", "name": "first"}]},
            [
                _query("limit", INTEGER),
                _query("starting_after", TEXT),
                _query("ending_before", TEXT),
                _query("tags", {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}),
                _query("codes", {"type": "array", "items": {"type": "integer"}}, explode=False),
                _query("archived", {"type": "boolean"}),
            ],
        ),
        _list(
            "orders.list",
            "/orders",
            {
                "kind": "offset",
                "items": ["data", "orders"],
                "cursor": "skip",
                "size": "take",
                "total": ["data", "count"],
            },
            {"status": "success", "data": {"orders": [{"id": 7}], "count": 1}},
            [_query("skip", {"type": ["integer", "null"]}), _query("take", {"type": ["integer", "null"]})],
        ),
        _list(
            "subscriptions.list",
            "/subscriptions",
            {
                "kind": "token",
                "items": ["data", "subscriptions"],
                "cursor": "cursor",
                "size": "take",
                "next_cursor": ["data", "cursor"],
                "has_more": ["data", "hasMore"],
            },
            {"data": {"subscriptions": [{"id": "s1"}], "cursor": None, "hasMore": False}},
            [_query("cursor", TEXT), _query("take", INTEGER)],
        ),
        _list(
            "users.inventory",
            "/users/{userId}/inventory",
            {
                "kind": "page",
                "items": ["data", "inventory"],
                "cursor": "page",
                "size": "limit",
                "pages": ["data", "pages"],
            },
            {"data": {"inventory": [], "pages": 1}},
            [
                {"name": "userId", "in": "path", "required": True, "style": "simple", "explode": False, "schema": TEXT},
                _query("page", INTEGER),
                _query("limit", INTEGER),
            ],
        ),
        {
            "name": "things.retrieve",
            "aliases": [],
            "operation_id": "GetThing",
            "method": "GET",
            "path": "/things/{id}",
            "security": [["Bearer"], ["QueryKey"]],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "style": "simple", "explode": False, "schema": TEXT},
                {
                    "name": "X-Trace",
                    "in": "header",
                    "required": False,
                    "style": "simple",
                    "explode": False,
                    "schema": {"type": "integer"},
                },
            ],
            "body": None,
            "success": 200,
            "responses": {
                "200": {"content_type": "application/json", "body": {"id": "t1", "name": "first"}},
                "404": {"content_type": "application/problem+json", "body": PROBLEM},
            },
            "pagination": None,
        },
        {
            "name": "things.special",
            "aliases": ["things.special_"],
            "operation_id": "GetSpecial",
            "method": "GET",
            "path": "/things/special",
            "security": [],
            "parameters": [],
            "body": None,
            "success": 200,
            "responses": {"200": {"content_type": "application/json", "body": {"special": True}}},
            "pagination": None,
        },
        {
            "name": "things.create",
            "aliases": [],
            "operation_id": "CreateThing",
            "method": "POST",
            "path": "/things",
            "security": [],
            "parameters": [],
            "body": {"required": True, "media_types": {"application/json": {"$ref": "#/components/schemas/NewThing"}}},
            "success": 201,
            "responses": {"201": {"content_type": "application/json", "body": {"id": "t9", "name": "new"}}},
            "pagination": None,
        },
        {
            "name": "things.upload",
            "aliases": [],
            "operation_id": "UploadImage",
            "method": "PUT",
            "path": "/things/{id}/image",
            "security": [],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "style": "simple", "explode": False, "schema": TEXT}
            ],
            "body": {"required": False, "media_types": {"image/*": {}}},
            "success": 200,
            "responses": {"200": {"content_type": "application/json", "body": {"id": "t1"}}},
            "pagination": None,
        },
        {
            "name": "things.delete",
            "aliases": [],
            "operation_id": "DeleteThing",
            "method": "DELETE",
            "path": "/things/{id}",
            "security": [],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "style": "simple", "explode": False, "schema": TEXT}
            ],
            "body": None,
            "success": 204,
            "responses": {"204": {"content_type": None, "body": None}},
            "pagination": None,
        },
    ],
    "schemas": {
        "#/components/schemas/Tag": {"type": "string", "enum": ["red", "green"]},
        "#/components/schemas/NewThing": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "weight_kg": {"type": "number"},
                "owner": {"anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]},
            },
        },
        "#/components/schemas/Owner": {
            "type": "object",
            "required": ["email"],
            "properties": {"email": {"type": "string", "format": "email"}},
            "additionalProperties": False,
        },
    },
    "webhooks": {"thing_created": {"id": "evt_1", "type": "thing_created", "data": {"id": "t1"}}},
}


@pytest.fixture
def fake() -> FakeAPI:
    return FakeAPI(copy.deepcopy(DATA))


@pytest.fixture
def http(fake: FakeAPI) -> httpx.Client:
    return httpx.Client(transport=fake.transport, base_url=DATA["base_url"], headers={"Authorization": "Bearer s3cr3t"})


def refused(http: httpx.Client, method: str, url: str, **kwargs: Any) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as caught:
        http.request(method, url, **kwargs)
    return caught.value


# -- routing and answers ------------------------------------------------------------------------------------


def test_each_operation_answers_with_its_documented_body_and_status(http: httpx.Client) -> None:
    """Without programming, an operation answers its documented success status with its example."""
    response = http.get("/things/abc")
    assert (response.status_code, response.json()) == (200, {"id": "t1", "name": "first"})
    created = http.post("/things", json={"name": "new"})
    assert (created.status_code, created.headers["content-type"]) == (201, "application/json")
    deleted = http.delete("/things/abc")
    assert (deleted.status_code, deleted.content) == (204, b"")


def test_a_literal_path_wins_over_a_template_and_paths_are_below_the_base_url(
    http: httpx.Client, fake: FakeAPI
) -> None:
    """`/things/special` is its own operation, not `/things/{id}`; `Call.path` leaves out the base path `/v1`."""
    assert http.get("/things/special").json() == {"special": True}
    assert (fake.calls[-1].operation, fake.calls[-1].path, fake.calls[-1].path_params) == (
        "things.special",
        "/things/special",
        {},
    )
    http.get("/things/a%20b")
    assert fake.calls[-1].path_params == {"id": "a b"}


def test_a_request_no_operation_matches_is_refused(http: httpx.Client) -> None:
    """An unknown method and path raises, naming both (nothing in the spec answers it)."""
    error = refused(http, "PATCH", "/things/abc")
    assert "PATCH /things/abc" in str(error) and "no operation of the API" in str(error)


def test_respond_programs_answers_with_times_in_order_then_the_standing_one(http: httpx.Client, fake: FakeAPI) -> None:
    """Answers with `times` come first in order; then the last one without `times`; then (after reset) the example."""
    fake.respond("things.retrieve", json={"id": "standing"})
    fake.respond("things.retrieve", status=503, times=2)
    fake.respond("things.retrieve", json={"id": "once"}, headers={"X-Request-Id": "r-1"}, times=1)
    answers = [http.get("/things/x") for _ in range(5)]
    assert [r.status_code for r in answers] == [503, 503, 200, 200, 200]
    assert [r.json().get("id") for r in answers[2:]] == ["once", "standing", "standing"]
    assert answers[2].headers["x-request-id"] == "r-1"
    fake.reset()
    assert http.get("/things/x").json() == {"id": "t1", "name": "first"}
    assert len(fake.calls) == 1


def test_an_error_status_answers_the_documented_body_of_that_status_else_a_problem(
    http: httpx.Client, fake: FakeAPI
) -> None:
    """404 is documented for retrieve (its body); for special it is borrowed; 418 nowhere: a problem document."""
    fake.respond("things.retrieve", status=404)
    fake.respond("things.special", status=404)
    fake.respond("things.create", status=418)
    assert http.get("/things/x").json() == PROBLEM
    assert http.get("/things/special").json() == PROBLEM
    teapot = http.post("/things", json={"name": "n"})
    assert teapot.status_code == 418
    assert teapot.headers["content-type"] == "application/problem+json"
    assert teapot.json() == {"type": "about:blank", "title": "I'm a teapot", "status": 418}


def test_an_undocumented_success_status_answers_the_documented_success_body(http: httpx.Client, fake: FakeAPI) -> None:
    """A 202 for an operation that documents 201 answers with the 201 body, not another operation's."""
    fake.respond("things.create", status=202)
    response = http.post("/things", json={"name": "n"})
    assert (response.status_code, response.json()) == (202, {"id": "t9", "name": "new"})


def test_respond_refuses_unknown_operations_bad_statuses_and_counts(http: httpx.Client, fake: FakeAPI) -> None:
    """A misspelled name suggests the right one; an alias (how a call spells it) is accepted."""
    with pytest.raises(ValueError, match=r"no operation 'things.retrive'; did you mean things.retrieve"):
        fake.respond("things.retrive")
    with pytest.raises(ValueError, match="HTTP status"):
        fake.respond("things.retrieve", status=1000)
    with pytest.raises(ValueError, match="times must be 1 or more"):
        fake.respond("things.retrieve", times=0)
    fake.respond("things.special_", status=500)
    assert http.get("/things/special").status_code == 500
    assert fake.operations[:2] == ["things.list", "orders.list"]


def test_calls_record_requests_as_sent_with_credentials_redacted(http: httpx.Client, fake: FakeAPI) -> None:
    """Method, path, query (repeated values as a list), lower-case headers, decoded JSON; keys never shown."""
    http.get("/things", params=[("tags", "red"), ("tags", "green"), ("limit", "2"), ("key", "q-s3cr3t")])
    http.post("/things", json={"name": "n"})
    listed, created = fake.calls
    assert (listed.operation, listed.method, listed.path) == ("things.list", "GET", "/things")
    assert listed.query == {"tags": ["red", "green"], "limit": "2", "key": REDACTED}
    assert listed.headers["authorization"] == REDACTED
    assert (listed.json, listed.status) == (None, 200)
    assert (created.json, created.status, created.content) == ({"name": "n"}, 201, b'{"name":"n"}')
    assert "s3cr3t" not in repr(fake.calls)


def test_calls_redact_any_header_named_like_a_credential(http: httpx.Client, fake: FakeAPI) -> None:
    """An extra or default header named like a credential is redacted in the record too; others are kept."""
    http.get("/things", headers={"X-Partner-Token": "tok-9", "X-Team": "blue", "Idempotency-Key": "idem-1"})
    (listed,) = fake.calls
    assert listed.headers["x-partner-token"] == REDACTED and "tok-9" not in repr(listed)
    assert (listed.headers["x-team"], listed.headers["idempotency-key"]) == ("blue", "idem-1")


# -- requests against the spec -----------------------------------------------------------------------------


def test_a_body_field_of_the_wrong_type_names_the_field_and_the_rule(http: httpx.Client, fake: FakeAPI) -> None:
    """The message of the issue: `weight_kg: 'ten' is not of type 'number'`; the call is recorded, unanswered."""
    error = refused(http, "POST", "/things", json={"name": "n", "weight_kg": "ten"})
    assert error.problems == ["request body: weight_kg: 'ten' is not of type 'number'"]
    assert str(error) == (
        "things.create: the request does not fit the API's spec: request body: weight_kg: 'ten' is not of type 'number'"
    )
    assert isinstance(error, AssertionError)
    assert fake.calls[-1].status is None


def test_every_problem_of_a_request_is_listed(http: httpx.Client) -> None:
    """Required members, nested fields through $ref and a nullable union, extra members of a closed object."""
    error = refused(http, "POST", "/things", json={"owner": {"email": "nobody", "x": 1}})
    assert error.problems == [
        "request body: 'name' is a required property",
        "request body: owner.email: 'nobody' is not a 'email'",
        "request body: owner: Additional properties are not allowed ('x' was unexpected)",
    ]


def test_parameters_are_read_as_their_schema_says_before_they_are_checked(http: httpx.Client) -> None:
    """Integers, booleans, exploded and comma-separated arrays of a $ref enum; text that is none of them fails."""
    http.get("/things", params=[("limit", "2"), ("tags", "red"), ("codes", "1,2"), ("archived", "true")])
    error = refused(http, "GET", "/things", params={"limit": "0", "tags": "blue", "codes": "1,x", "archived": "yes"})
    assert error.problems == [
        "query parameter limit: 0 is less than the minimum of 1",
        "query parameter tags: [0]: 'blue' is not one of ['red', 'green']",
        "query parameter codes: [1]: 'x' is not of type 'integer'",
        "query parameter archived: 'yes' is not of type 'boolean'",
    ]
    header = refused(http, "GET", "/things/x", headers={"X-Trace": "abc"})
    assert header.problems == ["header parameter X-Trace: 'abc' is not of type 'integer'"]


def test_credentials_a_body_and_its_content_type_are_checked(fake: FakeAPI) -> None:
    """No key for any security alternative; a missing required body; a body where none is taken; a wrong type."""
    http = httpx.Client(transport=fake.transport, base_url=DATA["base_url"])
    assert refused(http, "GET", "/things/x").problems == ["credentials: the operation needs Authorization or key"]
    assert http.get("/things/x", params={"key": "k"}).status_code == 200  # the other alternative
    assert refused(http, "POST", "/things").problems == ["request body: is required"]
    assert refused(http, "DELETE", "/things/x", content=b"{}").problems == ["request body: the operation takes none"]
    wrong = refused(http, "POST", "/things", content=b"name=n", headers={"Content-Type": "text/plain"})
    assert wrong.problems == ["request body: content type 'text/plain' is not one of ['application/json']"]
    assert (
        refused(http, "POST", "/things", content=b"{", headers={"Content-Type": "application/json"})
        .problems[0]
        .startswith("request body: is not JSON")
    )
    upload = http.put("/things/x/image", content=b"\x89PNG", headers={"Content-Type": "image/png"})
    assert upload.status_code == 200  # `image/*` admits it; bytes are not read against a schema


# -- lists -------------------------------------------------------------------------------------------------


def ids(page: httpx.Response, *path: str) -> list[Any]:
    value = page.json()
    for name in path:
        value = value[name]
    return [item["id"] for item in value]


def test_a_cursor_list_pages_forwards_and_backwards_through_its_items(http: httpx.Client, fake: FakeAPI) -> None:
    """The example's item plus copies under new ids; `starting_after` and `ending_before` move; default size 2."""
    assert ids(http.get("/things"), "data") == ["t1", "t1-2"]
    assert DEFAULT_ITEMS == 3
    assert ids(http.get("/things", params={"starting_after": "t1-2"}), "data") == ["t1-3"]
    assert ids(http.get("/things", params={"limit": "1", "ending_before": "t1-3"}), "data") == ["t1-2"]
    assert ids(http.get("/things", params={"starting_after": "unknown"}), "data") == []
    fake.set_items("things.list", [{"id": "a"}, {"id": "b", "name": "bee"}])
    page = http.get("/things", params={"limit": "5"}).json()
    assert page["data"] == [{"id": "a", "name": "first"}, {"id": "b", "name": "bee"}]  # filled from the example


def test_items_set_without_ids_get_ids_of_their_own(http: httpx.Client, fake: FakeAPI) -> None:
    """Items like the example's, each with its own id, page without repeating; given ids must differ."""
    fake.set_items("things.list", [{}, {"name": "two"}, {}])
    walked, after = [], None
    for _ in range(5):  # a cursor loop that never ends would fail here, not hang
        page = http.get("/things", params={"limit": "1", **({"starting_after": after} if after else {})}).json()
        if not page["data"]:
            break
        walked += page["data"]
        after = page["data"][-1]["id"]
    assert [(item["id"], item["name"]) for item in walked] == [("t1-1", "first"), ("t1-2", "two"), ("t1-3", "first")]
    with pytest.raises(ValueError, match="give each item an id of its own"):
        fake.set_items("things.list", [{"id": "a"}, {"id": "a"}])


def test_an_offset_list_sets_its_total(http: httpx.Client, fake: FakeAPI) -> None:
    """`skip`/`take` slice the items; `data.count` is their number; integer ids get new numbers."""
    first = http.get("/orders", params={"take": "2"}).json()
    assert ([o["id"] for o in first["data"]["orders"]], first["data"]["count"]) == ([7, 9], 3)
    assert ids(http.get("/orders", params={"skip": "2", "take": "2"}), "data", "orders") == [10]
    assert first["status"] == "success"  # the rest of the documented page is kept


def test_a_token_list_hands_out_cursors_until_the_last_page(http: httpx.Client) -> None:
    """`hasMore` and `cursor` say where the next page starts; the last page has no cursor."""
    first = http.get("/subscriptions", params={"take": "2"}).json()["data"]
    assert ([s["id"] for s in first["subscriptions"]], first["hasMore"]) == (["s1", "s1-2"], True)
    last = http.get("/subscriptions", params={"take": "2", "cursor": first["cursor"]}).json()["data"]
    assert ([s["id"] for s in last["subscriptions"]], last["hasMore"], last["cursor"]) == (["s1-3"], False, None)


def test_a_page_numbered_list_counts_its_pages(http: httpx.Client, fake: FakeAPI) -> None:
    """`page`/`limit` slice the items and `pages` counts them; an empty example list gets made-up items."""
    fake.set_items("users.inventory", [{"id": n} for n in range(5)])
    second = http.get("/users/u1/inventory", params={"page": "2", "limit": "2"}).json()["data"]
    assert ([i["id"] for i in second["inventory"]], second["pages"]) == ([2, 3], 3)
    with pytest.raises(ValueError, match="does not page"):
        fake.set_items("things.retrieve", [])


# -- webhooks ----------------------------------------------------------------------------------------------


def _sign(payload: bytes, secret: str) -> str:
    return "sha256_" + hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def test_a_webhook_delivery_is_the_documented_body_signed(fake: FakeAPI) -> None:
    """The body is the documented delivery (`data` replaced when given), the header its signature."""
    delivery = fake.webhook("thing_created", data={"id": "t2"}, secret="whsec", sign=_sign, header="x-signature")
    assert delivery.json() == {"id": "evt_1", "type": "thing_created", "data": {"id": "t2"}}
    assert delivery.headers == {"content-type": "application/json", "x-signature": _sign(delivery.body, "whsec")}
    unknown = fake.webhook("thing_melted", data={"x": 1}, secret="s", sign=_sign, header="x-signature")
    assert json.loads(unknown.body)["type"] == "thing_melted"
    with pytest.raises(ValueError, match="'thing_melted' is no documented event type"):
        fake.webhook("thing_melted", data=None, secret="s", sign=_sign, header="x-signature")


# -- the validator -----------------------------------------------------------------------------------------

# One schema per keyword group the validator checks (together they use every one of KEYWORDS), as the
# codegen ships them: `$ref`s into the schemas map, 3.1 type lists for nullable values.
SCHEMAS: dict[str, Any] = {
    "#/s/Item": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "minLength": 1}}},
    "#/s/Self": {"type": "object", "properties": {"child": {"$ref": "#/s/Self"}, "n": {"type": "integer"}}},
}
CASES: list[dict[str, Any]] = [
    {"type": "integer"},
    {"type": ["number", "null"], "minimum": 0, "maximum": 10, "multipleOf": 0.5},
    {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    {"type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[a-z]+$"},
    {"type": "string", "format": "uuid"},
    {"type": "string", "format": "email"},
    {"type": "string", "format": "date"},
    {"enum": ["a", 1, None, True]},
    {"const": 0},
    {"type": "array", "items": {"$ref": "#/s/Item"}, "minItems": 1, "maxItems": 2, "uniqueItems": True},
    {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "boolean"}, "b": {"type": "array"}},
        "additionalProperties": False,
        "minProperties": 1,
        "maxProperties": 2,
    },
    {"type": "object", "additionalProperties": {"type": "integer"}},
    {"anyOf": [{"$ref": "#/s/Item"}, {"type": "null"}]},
    {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 5}]},
    {"allOf": [{"type": "object", "required": ["a"]}, {"required": ["b"]}]},
    {"not": {"type": "string"}},
    {"$ref": "#/s/Self"},
    True,
    False,
]

VALID_STRINGS = ["ab", "abcd", "a@b", "2024-02-29", "2023-02-29", "6f1f7ad2-3c55-4c3e-8d43-0b7c1e2f9a10", "x"]
# Values at the edges of the cases, checked every run; hypothesis draws more (FUZZ_EXAMPLES per case, as in
# tests/fuzz: the same ones every run unless it is set).
EDGES: list[Any] = [
    *(None, True, False, 0, 1, -1, 0.5, 0.25, 1.0, 5, 10, 10.5, 11),
    *("", "Ab", "abcde", "6f1f7ad2-3c55-4c3e-8d43-0b7c1e2f9a1", *VALID_STRINGS),
    *([], [{"id": "x"}], [{"id": "x"}, {"id": "x"}], [{"id": ""}], [{"id": "x"}, {"id": "y"}, {"id": "z"}], [1]),
    *({}, {"a": True}, {"a": 1}, {"a": True, "b": [], "c": 1}, {"b": []}, {"a": False, "b": [1]}, {"id": "x"}),
    *({"child": {"n": 1.0}}, {"child": {"child": {"n": "x"}}}, {"x": 1, "y": "2"}, {"a": True, "b": "no"}),
]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


def _jsonschema(schema: Any) -> Any:
    """jsonschema 4 (the reference implementation) on the same schema: SCHEMAS are where its `$ref`s point."""
    checker = jsonschema.FormatChecker(formats=["uuid", "email", "date"])
    if not isinstance(schema, dict):
        return jsonschema.Draft202012Validator(schema, format_checker=checker)
    root = {**schema, "s": {ref.rpartition("/")[2]: body for ref, body in SCHEMAS.items()}}
    return jsonschema.Draft202012Validator(root, format_checker=checker)


def test_every_keyword_the_validator_checks_is_among_the_cases() -> None:
    """The differential test below covers each keyword of KEYWORDS (a new keyword needs a case)."""
    used: set[str] = set()
    stack: list[Any] = [*CASES, *SCHEMAS.values()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            used.update(node)
            stack.extend(v for k, v in node.items() if k not in ("enum", "const", "required"))
            stack.extend(node.get("properties", {}).values())
        elif isinstance(node, list):
            stack.extend(node)
    assert used >= KEYWORDS, sorted(KEYWORDS - used)


def _json_values() -> Any:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-3, 12)
        | st.floats(-2, 12, allow_nan=False).map(lambda f: round(f * 2) / 2)
        | st.sampled_from(VALID_STRINGS)
        | st.text(max_size=5)
    )
    keys = st.sampled_from(["a", "b", "id", "child", "n"]) | st.text(max_size=2)
    return st.recursive(
        scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3), max_leaves=8
    )


@pytest.mark.parametrize("schema", CASES, ids=[json.dumps(c)[:60] for c in CASES])
def test_the_validator_agrees_with_jsonschema(schema: Any) -> None:
    """Valid or not, as jsonschema 4 (Draft 2020-12, formats uuid, email, date) says, on drawn JSON values."""
    ours, reference = Validator(SCHEMAS), _jsonschema(schema)
    seen = {True: 0, False: 0}

    def agree(value: Any) -> None:
        expected = reference.is_valid(value)
        seen[expected] += 1
        assert ours.is_valid(schema, value) == expected, (value, ours.errors(schema, value))
        assert bool(ours.errors(schema, value)) == (not expected)

    for value in EDGES:
        agree(value)
    assert seen[False] > 0 or schema is True, "no edge value breaks the schema: the case checks nothing"
    assert seen[True] > 0 or schema is False, "no edge value fits the schema: the case checks nothing"
    settings(max_examples=EXAMPLES, derandomize="FUZZ_EXAMPLES" not in os.environ, deadline=None, database=None)(
        given(_json_values())(agree)
    )()


def test_the_messages_are_jsonschema_s_with_the_field_in_front() -> None:
    """Type, enum, bounds, lengths, pattern and format read as jsonschema words them, prefixed by the field."""
    validator = Validator(SCHEMAS)
    for schema, value in [
        ({"type": "integer"}, "7"),
        ({"enum": ["a", 1]}, "b"),
        ({"type": "number", "minimum": 0}, -1),
        ({"type": "number", "maximum": 3}, 4),
        ({"type": "string", "maxLength": 2}, "abc"),
        ({"type": "string", "pattern": "^a"}, "b"),
        ({"type": "string", "format": "uuid"}, "nope"),
        ({"const": "x"}, "y"),
        ({"type": "object", "required": ["id"]}, {}),
    ]:
        expected = [error.message for error in _jsonschema(schema).iter_errors(value)]
        assert validator.errors(schema, value) == expected
    nested = {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/s/Item"}}}}
    assert validator.errors(nested, {"items": [{"id": "ok"}, {"id": 3}]}) == ["items[1].id: 3 is not of type 'string'"]
