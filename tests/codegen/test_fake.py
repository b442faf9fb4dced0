"""Tests for sdkpipeline.codegen.fake: what the test double ships of the spec (`<package>/_testing.json`).

A small spec goes through the normalizer and the generator's parser as a real one would (one model for the
module); each test reads one decision from the data. The last tests check the shipped data of both SDKs
against their normalized specs with jsonschema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sdkpipeline.codegen import fake
from sdkpipeline.codegen.fake import example_of, fake_data, validated_keywords, vendor_examples
from sdkpipeline.codegen.model import SdkModel, build_model
from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides, normalize
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.repo import Repo
from sdkpipeline.spec.yamlio import load_document
from sdkpipeline.testing.contract import standalone_schema

from .fragments import parse_fragment

Doc = dict[str, Any]
RUNTIME = Repo.default().runtime
KEYWORDS = validated_keywords(RUNTIME)

ORDER = {
    "type": "object",
    "required": ["id"],
    "description": "An order (annotations are not shipped).",
    "x-internal": True,
    "properties": {
        "id": {"type": "string", "examples": ["ord_1"]},
        "amount": {"type": "number", "exclusiveMinimum": 0},
        "parent": {"anyOf": [{"$ref": "#/components/schemas/Order"}, {"type": "null"}]},
        "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
    },
}
SPEC: Doc = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1.0.0"},
    "servers": [{"url": "https://api.shop.example/v1"}],
    "security": [{"Key": []}],
    "paths": {
        "/orders": {
            "get": {
                "tags": ["orders"],
                "operationId": "ListOrders",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 25, "maximum": 100}},
                    {"name": "after", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "a page",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "data": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}
                                    },
                                }
                            }
                        },
                    }
                },
                "x-sdk-pagination": {"kind": "cursor", "items": ["data"], "cursor": "after", "size": "limit"},
            },
            "post": {
                "tags": ["orders"],
                "operationId": "CreateOrder",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewOrder"}}},
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Order"},
                                "example": {"id": "ord_spec"},
                            }
                        },
                    },
                    "409": {
                        "description": "conflict",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    },
                },
            },
        },
        "/orders/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "tags": ["orders"],
                "operationId": "GetOrder",
                "responses": {
                    "200": {
                        "description": "one",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
                    },
                    "404": {
                        "description": "none",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    },
                },
            },
            "delete": {"tags": ["orders"], "operationId": "DeleteOrder", "responses": {"204": {"description": "gone"}}},
        },
    },
    "components": {
        "securitySchemes": {
            "Key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "Token": {"type": "http", "scheme": "bearer"},
        },
        "schemas": {
            "Order": ORDER,
            "Tag": {"type": "string", "enum": ["gift", "rush"]},
            "NewOrder": {
                "type": "object",
                "required": ["amount"],
                "properties": {"amount": {"type": "number", "minimum": 1}, "note": {"type": "string", "maxLength": 3}},
            },
            "Problem": {"type": "object", "properties": {"title": {"type": "string"}}},
        },
    },
}


def _model(doc: Doc, tmp_path: Path) -> tuple[Doc, SdkModel]:
    # The fragment states its pagination as the pipeline's own decision (a vendor's x-sdk-* is dropped).
    normalized, _ = normalize(doc, Overrides(), keep_decisions=True)
    parsed = parse_fragment(normalized, tmp_path)
    return normalized, build_model(normalized, parsed, package="shop_client", env_prefix="SHOP")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("shop")
    examples = tmp / "examples"
    examples.mkdir()
    (examples / "GetOrder__docs_example.json").write_text('{"id": "ord_file"}', encoding="utf-8")
    (examples / "GetOrder__404_not_found.json").write_text('{"title": "No such order"}', encoding="utf-8")
    (examples / "CreateOrder__201_from_file.json").write_text('{"id": "ord_loses"}', encoding="utf-8")
    normalized, sdk = _model(SPEC, tmp)
    return fake_data(normalized, sdk, examples_dir=examples, runtime=RUNTIME)


def _op(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(op for op in data["operations"] if op["name"] == name)


def test_each_operation_is_named_as_it_is_called_with_its_method_path_and_success_status(data: dict[str, Any]) -> None:
    """`resource.method` from the SDK model, HTTP method and path, the lowest documented 2xx."""
    rows = [(op["name"], op["method"], op["path"], op["success"]) for op in data["operations"]]
    assert rows == [
        ("orders.list", "GET", "/orders", 200),
        ("orders.create", "POST", "/orders", 201),
        ("orders.retrieve", "GET", "/orders/{id}", 200),
        ("orders.delete", "DELETE", "/orders/{id}", 204),
    ]
    assert (data["package"], data["base_url"]) == ("shop_client", "https://api.shop.example/v1")
    assert data["credentials"] == {
        "Key": {"in": "header", "name": "X-Api-Key"},
        "Token": {"in": "header", "name": "Authorization"},
    }
    assert _op(data, "orders.list")["security"] == [["Key"]]


def test_parameters_keep_the_path_item_s_and_their_schemas(data: dict[str, Any]) -> None:
    """A path parameter declared on the path item is the operation's, required; query parameters are form, exploded."""
    assert _op(data, "orders.retrieve")["parameters"] == [
        {
            "name": "id",
            "in": "path",
            "required": True,
            "style": "simple",
            "explode": False,
            "schema": {"type": "string"},
        }
    ]
    limit = _op(data, "orders.list")["parameters"][0]
    assert limit == {
        "name": "limit",
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "schema": {"type": "integer", "maximum": 100},  # `default` is an annotation: not shipped
    }


def test_schemas_keep_validation_keywords_and_every_schema_they_refer_to(data: dict[str, Any]) -> None:
    """Descriptions, examples and x- keys go; `$ref`s stay, and their targets ship once (recursion included)."""
    assert _op(data, "orders.create")["body"] == {
        "required": True,
        "media_types": {"application/json": {"$ref": "#/components/schemas/NewOrder"}},
    }
    assert sorted(data["schemas"]) == ["#/components/schemas/NewOrder"]  # only what requests refer to
    assert data["schemas"]["#/components/schemas/NewOrder"] == SPEC["components"]["schemas"]["NewOrder"]
    assert set(_keywords(data)) <= KEYWORDS


def test_each_documented_status_answers_the_spec_s_example_else_the_vendor_s_else_the_schema_s(
    data: dict[str, Any],
) -> None:
    """The spec's example wins over a vendor file; a vendor file over a body made from the schema; 204 has none."""
    created = _op(data, "orders.create")["responses"]
    assert created["201"] == {"content_type": "application/json", "body": {"id": "ord_spec"}}
    assert created["409"]["body"] == {"title": "example title"}
    retrieved = _op(data, "orders.retrieve")["responses"]
    assert retrieved["200"]["body"] == {"id": "ord_file"}
    assert retrieved["404"]["body"] == {"title": "No such order"}
    assert _op(data, "orders.delete")["responses"] == {"204": {"content_type": None, "body": None}}


def test_a_list_pages_in_wire_names_with_its_spec_s_default_size(data: dict[str, Any]) -> None:
    """`x-sdk-pagination` as the normalizer wrote it, the size parameter's default read from its schema."""
    listed = _op(data, "orders.list")
    assert listed["pagination"] == {
        "kind": "cursor",
        "items": ["data"],
        "cursor": "after",
        "size": "limit",
        "default_size": 25,
        "reverse_cursor": None,
        "total": None,
        "next_cursor": None,
        "has_more": None,
        "pages": None,
    }
    item = listed["responses"]["200"]["body"]["data"][0]
    assert item["id"] == "ord_1" and item["tags"] == ["gift"]
    assert _op(data, "orders.retrieve")["pagination"] is None


def test_openapi_3_0_forms_are_read_as_3_1(tmp_path: Path) -> None:
    """`nullable: true` admits null; a boolean `exclusiveMinimum` bounds by the `minimum` it qualifies."""
    doc = json.loads(json.dumps(SPEC))
    doc["openapi"] = "3.0.3"
    doc["components"]["schemas"]["NewOrder"]["properties"]["amount"] = {
        "type": "number",
        "minimum": 0,
        "exclusiveMinimum": True,
        "nullable": True,
    }
    normalized, sdk = _model(doc, tmp_path)
    shipped = fake_data(normalized, sdk, examples_dir=tmp_path / "none", runtime=RUNTIME)["schemas"][
        "#/components/schemas/NewOrder"
    ]
    amount = shipped["properties"]["amount"]
    validator = jsonschema.Draft202012Validator(amount)
    assert [validator.is_valid(v) for v in (None, 0, 0.5)] == [True, False, True], amount


def test_a_collapsed_upload_takes_the_media_types_the_vendor_listed(tmp_path: Path) -> None:
    """`x-content-types` (collapse_binary_request_bodies) are what the API takes, as bytes."""
    doc = json.loads(json.dumps(SPEC))
    doc["paths"]["/orders/{id}"]["put"] = {
        "tags": ["orders"],
        "operationId": "UploadLabel",
        "requestBody": {
            "required": True,
            "content": {
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        "responses": {"200": {"description": "ok"}},
    }
    normalized, sdk = _model(doc, tmp_path)
    upload = _op(fake_data(normalized, sdk, examples_dir=tmp_path, runtime=RUNTIME), "orders.update")
    assert upload["body"] == {"required": True, "media_types": {"image/png": {}, "image/jpeg": {}}}


def test_vendor_example_files_are_read_by_their_case() -> None:
    """A three-digit prefix is an error status, `request_` a request body, anything else the success body."""
    examples = load_registry()["cnaught"].examples_dir
    cases = {case: status for case, status, _ in vendor_examples(examples, "CancelOrder", success=200)}
    assert cases["docs_example"] == 200
    assert cases["404_not_found_docs_example"] == 404
    fungies = load_registry()["fungies"].examples_dir
    requests = [status for _, status, _ in vendor_examples(fungies, "PostV0UsersCreate", success=200)]
    assert requests == [None]
    assert list(vendor_examples(fungies / "missing", "PostV0UsersCreate", success=200)) == []


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "examples": ["first", "second"]}, "first"),  # the schema's own example
        ({"type": "string", "example": "ex", "default": "d"}, "ex"),
        ({"type": "string", "enum": [None, "b"]}, "b"),
        ({"const": "success"}, "success"),
        ({"type": "integer", "minimum": -9007199254740991}, 1),  # 1 when the bounds admit it
        ({"type": "integer", "exclusiveMinimum": 1, "maximum": 100}, 2),
        ({"type": "number", "maximum": -5}, -5),
        ({"type": "string", "format": "date-time"}, "2024-01-01T12:00:00Z"),
        ({"type": "string", "format": "email"}, "user@example.com"),
        ({"type": "string", "pattern": "^#?[0-9]+$"}, "1001"),  # a stock value that fits the pattern
        ({"type": "string", "maxLength": 3}, "exa"),
        ({"type": ["string", "null"]}, "example value"),
        ({"anyOf": [{"type": "null"}, {"type": "boolean"}]}, False),
        ({"allOf": [{"properties": {"a": {"const": 1}}}, {"properties": {"b": {"const": 2}}}]}, {"a": 1, "b": 2}),
        ({"type": "array", "items": {"type": "integer"}, "minItems": 2}, [1, 1]),
    ],
)
def test_a_made_up_example_is_a_value_of_its_schema(schema: Doc, expected: Any) -> None:
    """Examples first, then const, default, enum; made-up values fit bounds, formats, patterns and lengths."""
    value = example_of({}, schema)
    assert value == expected
    assert jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).is_valid(value)


def test_a_recursive_schema_is_followed_into_itself_once_then_left_out() -> None:
    """`Order.parent` is an Order: the made-up order holds one parent, which has none (no endless body)."""
    order = example_of(SPEC, {"$ref": "#/components/schemas/Order"})
    assert order["parent"] == {"id": "ord_1", "amount": 1, "tags": ["gift"]}


def _answer(schema: Doc) -> Doc:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


# Node refers to itself; Pair holds a Node under the name `parent` too, one level higher than Node's own `parent`.
NODES: Doc = {
    "openapi": "3.1.0",
    "info": {"title": "Nodes", "version": "1.0.0"},
    "paths": {
        "/node": {"get": {"operationId": "GetNode", "responses": _answer({"$ref": "#/components/schemas/Node"})}},
        "/pair": {"get": {"operationId": "GetPair", "responses": _answer({"$ref": "#/components/schemas/Pair"})}},
        "/nodes": {
            "get": {
                "operationId": "ListNodes",
                "responses": _answer({"type": "array", "items": {"$ref": "#/components/schemas/Node"}}),
            }
        },
    },
    "components": {
        "schemas": {
            "Node": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "parent": {"$ref": "#/components/schemas/Node"}},
            },
            "Pair": {"type": "object", "properties": {"parent": {"$ref": "#/components/schemas/Node"}}},
        }
    },
}


def test_a_body_made_once_for_many_responses_is_the_one_each_would_get(tmp_path: Path) -> None:
    """The examples of one run share what they made of a reference (Node in three answers, at several depths of
    its own recursion): each made-up body is the one made for its schema alone."""
    normalized, sdk = _model(NODES, tmp_path)
    shipped = fake_data(normalized, sdk, examples_dir=tmp_path / "none", runtime=RUNTIME)
    bodies = {}
    for op in shipped["operations"]:
        schema = normalized["paths"][op["path"]]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        bodies[op["name"]] = op["responses"]["200"]["body"]
        assert bodies[op["name"]] == example_of(normalized, schema), op["name"]
    node = {"id": "example id", "parent": {"id": "example id"}}  # followed into itself once
    expected = [node, {"parent": node}, [node]]
    assert sorted(json.dumps(b) for b in bodies.values()) == sorted(json.dumps(b) for b in expected)


def test_a_reference_that_cannot_recur_is_made_once_under_every_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kubernetes' object metadata is in every resource of every answer, each time under other references followed
    (0.08 s of its run made it again under each): made once where none of those can be reached from it, while
    Node, which reaches itself, is still made per depth of its own recursion."""
    made: list[str] = []
    referenced = fake._Example._referenced

    def counted(self: Any, schema: Doc, ref: str, *, name: str, stack: tuple[str, ...]) -> Any:
        made.append(ref.rsplit("/", 1)[-1])
        return referenced(self, schema, ref, name=name, stack=stack)

    monkeypatch.setattr(fake._Example, "_referenced", counted)
    spec: Doc = {
        "components": {
            "schemas": {
                **NODES["components"]["schemas"],
                "Meta": {"type": "object", "properties": {"name": {"type": "string"}}},
                **{
                    kind: {"type": "object", "properties": {"metadata": {"$ref": "#/components/schemas/Meta"}}}
                    for kind in ("Deployment", "DaemonSet")
                },
                "List": {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Deployment"}},
                        "metadata": {"$ref": "#/components/schemas/Meta"},
                        "sets": {"type": "array", "items": {"$ref": "#/components/schemas/DaemonSet"}},
                        "node": {"$ref": "#/components/schemas/Node"},
                    },
                },
            }
        }
    }
    example = fake._Example(spec)
    body = example.value({"$ref": "#/components/schemas/List"}, name="value", stack=())
    again = example.value({"$ref": "#/components/schemas/Node"}, name="node", stack=())
    meta = {"name": "example name"}
    node = {"id": "example id", "parent": {"id": "example id"}}
    assert body == {"items": [{"metadata": meta}], "metadata": meta, "sets": [{"metadata": meta}], "node": node}
    assert again == node
    assert sorted(made) == ["DaemonSet", "Deployment", "List", "Meta", "Node", "Node", "Node"]


def test_a_bad_pagination_decision_names_the_operation(tmp_path: Path) -> None:
    """An `x-sdk-pagination` without its items is an error at the operation's pointer."""
    normalized, sdk = _model(SPEC, tmp_path)
    normalized["paths"]["/orders"]["get"]["x-sdk-pagination"] = {"kind": "cursor"}
    with pytest.raises(PipelineError) as caught:
        fake_data(normalized, sdk, examples_dir=tmp_path, runtime=RUNTIME)
    assert caught.value.where == "/paths/~1orders/get"


# -- the shipped data of both SDKs ---------------------------------------------------------------------------


def _keywords(data: dict[str, Any]) -> Iterator[str]:
    stack: list[Any] = [
        *data["schemas"].values(),
        *(p["schema"] for op in data["operations"] for p in op["parameters"]),
        *(s for op in data["operations"] if op["body"] for s in op["body"]["media_types"].values()),
    ]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield from node
            for key, value in node.items():
                if key == "properties":
                    stack.extend(value.values())
                elif key in ("items", "not", "additionalProperties", "anyOf", "oneOf", "allOf"):
                    stack.extend(value if isinstance(value, list) else [value])


def _shipped(api: str) -> dict[str, Any]:
    entry = load_registry()[api]
    data: dict[str, Any] = json.loads((entry.output_dir / entry.package / "_testing.json").read_text("utf-8"))
    return data


def test_the_shipped_keywords_are_the_ones_the_runtime_validator_checks(tmp_path: Path) -> None:
    """The set read from the runtime's source is the one it imports with; nothing else is shipped."""
    from cnaught_client import _testing

    assert KEYWORDS == _testing.KEYWORDS
    assert {"$ref", "type", "properties", "anyOf"} <= KEYWORDS
    for api in load_registry():
        assert set(_keywords(_shipped(api))) <= KEYWORDS
    (tmp_path / "_testing.py").write_text("KEYWORDS = compute()\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="names no KEYWORDS"):
        validated_keywords(tmp_path)


@pytest.mark.parametrize(
    "statement",
    [
        'KEYWORDS: Final = frozenset({"type", "enum"})',  # on one line: the whole module is read
        'KEYWORDS: Final = frozenset(\n    {\n        "type",\n\n        "enum",\n    }\n)',  # the statement alone
    ],
    ids=["one line", "over lines"],
)
def test_the_keywords_are_read_however_the_statement_is_laid_out(tmp_path: Path, statement: str) -> None:
    source = f'"""The validator."""\n\nfrom typing import Final\n\n{statement}\n\n\ndef check() -> None:\n    pass\n'
    (tmp_path / "_testing.py").write_text(source, encoding="utf-8")
    assert validated_keywords(tmp_path) == {"type", "enum"}


@pytest.mark.parametrize("api", sorted(load_registry()))
def test_every_shipped_answer_is_valid_for_its_status(api: str) -> None:
    """Each operation's body for each documented status fits that status's schema in the normalized spec."""
    spec = load_document(load_registry()[api].normalized_spec)
    checked = 0
    for op in _shipped(api)["operations"]:
        responses = spec["paths"][op["path"]][op["method"].lower()]["responses"]
        for status, answer in op["responses"].items():
            response = responses[status]
            if "$ref" in response:
                response = spec["components"]["responses"][response["$ref"].rpartition("/")[2]]
            if answer["body"] is None:
                assert not response.get("content"), f"{op['name']} {status}: a documented body is missing"
                continue
            schema = standalone_schema(spec, response["content"][answer["content_type"]]["schema"])
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
            problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(answer["body"])]
            assert not problems, f"{op['name']} {status}: {problems[:3]}"
            checked += 1
    assert checked > len(_shipped(api)["operations"])  # success and error bodies alike
