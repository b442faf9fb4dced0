"""Tests for sdkpipeline.normalize.checks, each on a tiny inline spec (the CLI corpus is in test_cli_errors)."""

from __future__ import annotations

from typing import Any

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides, checks, load_overrides, normalize
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import load_document

Doc = dict[str, Any]


def _spec(schemas: Doc | None = None, paths: Doc | None = None) -> Doc:
    doc: Doc = {"openapi": "3.1.0", "info": {"title": "Shop", "version": "1.0.0"}, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return doc


def _obj(**properties: Any) -> Doc:
    return {"type": "object", "properties": properties}


def _op(body: Doc | None = None, responses: Doc | None = None) -> Doc:
    op: Doc = {"operationId": "op", "responses": responses or {"200": {"description": "ok"}}}
    if body is not None:
        op["requestBody"] = body
    return op


def _content(*media: str) -> Doc:
    return {"content": {m: {"schema": {"type": "object"}} for m in media}}


@pytest.mark.parametrize("api", sorted(load_registry()), ids=str)
def test_vendored_specs_pass_every_check(api: str) -> None:
    entry = load_registry()[api]
    normalized, _ = normalize(load_document(entry.spec), load_overrides(entry.overrides), file=entry.spec)
    checks.check_normalized_document(normalized, file=entry.spec)


# check_size


def test_too_deep_names_the_component() -> None:
    deep: Doc = {"type": "string"}
    for _ in range(10):
        deep = _obj(child=deep)
    with pytest.raises(PipelineError, match="nested deeper than 8 levels inside /components/schemas/Deep") as info:
        checks.check_size(_spec({"Deep": deep}), file=None, max_depth=8, max_nodes=1000)
    assert info.value.where == "/components/schemas/Deep"


def test_too_many_nodes() -> None:
    shared = _obj(**{f"p{i}": {"type": "string"} for i in range(10)})
    doc = _spec({"Big": _obj(**{f"p{i}": shared for i in range(10)})})  # one object, used ten times
    with pytest.raises(PipelineError, match="more than 100 nodes once YAML aliases are expanded"):
        checks.check_size(doc, file=None, max_depth=64, max_nodes=100)


def _nodes_and_depth(node: Any, depth: int = 0) -> tuple[int, int]:
    """How many nodes (aliases expanded) and how deep, counted the plain recursive way."""
    values = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else []
    counted = [_nodes_and_depth(v, depth + 1) for v in values]
    return 1 + sum(n for n, _ in counted), max([depth, *(d for _, d in counted)])


def _big_and_deep() -> Doc:
    shared = _obj(**{f"p{i}": {"type": "string", "enum": ["a", "b"]} for i in range(5)})
    return _spec({"Big": _obj(**{f"p{i}": shared for i in range(4)}), "Deep": _obj(child=_obj(child=[[{}]]))})


def test_check_size_lets_a_document_at_both_limits_through() -> None:
    nodes, depth = _nodes_and_depth(_big_and_deep())
    checks.check_size(_big_and_deep(), file=None, max_depth=depth, max_nodes=nodes)


def test_check_size_refuses_one_node_or_one_level_past_a_limit() -> None:
    """The quick count that lets a reasonable document through agrees with the limits at their edge."""
    nodes, depth = _nodes_and_depth(_big_and_deep())
    with pytest.raises(PipelineError, match=f"more than {nodes - 1} nodes"):
        checks.check_size(_big_and_deep(), file=None, max_depth=depth, max_nodes=nodes - 1)
    with pytest.raises(PipelineError, match=f"nested deeper than {depth - 1} levels inside /components/schemas/Deep"):
        checks.check_size(_big_and_deep(), file=None, max_depth=depth - 1, max_nodes=nodes)


# check_reference_depth


def _chain(length: int, link: Any) -> Doc:
    """Components C0 … C<length>, each linking to the next with `link(ref)`; the last is a string."""
    schemas = {f"C{i}": link({"$ref": f"#/components/schemas/C{i + 1}"}) for i in range(length)}
    return _spec({**schemas, f"C{length}": {"type": "string"}})


@pytest.mark.parametrize(
    "link",
    [
        lambda ref: {"type": "array", "items": ref},  # list[list[…]]
        lambda ref: {"anyOf": [{"type": "integer"}, ref]},  # int | (int | …)
        lambda ref: {"allOf": [ref], "properties": {"x": {"type": "string"}}},  # models merged into one
    ],
    ids=["items", "anyOf", "allOf"],
)
def test_inlined_chain_deeper_than_the_limit(link: Any) -> None:
    # The string is one level and each link adds one: C2 heads a chain three levels deep.
    checks.check_reference_depth(_chain(2, link), file=None, max_depth=3)
    with pytest.raises(PipelineError) as info:
        checks.check_reference_depth(_chain(4, link), file=None, max_depth=3)
    assert info.value.message.startswith(
        "nested deeper than 3 levels inside /components/schemas/C1 once its $refs are followed "
        "(4 components: C1 → C2 → C3 → C4)"
    )


def test_named_models_end_the_chain() -> None:
    """A model is written by its class name: a chain of models through properties is not nesting."""
    link = lambda ref: {"type": "object", "properties": {"next": ref}}  # noqa: E731
    checks.check_reference_depth(_chain(500, link), file=None, max_depth=3)


def test_a_cycle_is_left_to_the_generator() -> None:
    doc = _spec({"Tree": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}})
    checks.check_reference_depth(doc, file=None, max_depth=3)


# check_unknown_keywords


@pytest.mark.parametrize("keyword", ["not", "if", "patternProperties", "dependentSchemas", "unevaluatedProperties"])
def test_unsupported_keyword(keyword: str) -> None:
    doc = _spec({"Order": {**_obj(id={"type": "string"}), keyword: {"required": ["id"]}}})
    with pytest.raises(PipelineError, match=f"schema keyword '{keyword}' .* is not supported") as info:
        checks.check_unknown_keywords(doc, file=None)
    assert info.value.where == f"/components/schemas/Order/{keyword}"


def test_typo_keyword() -> None:
    doc = _spec({"Order": {"type": "object", "propertes": {"id": {"type": "string"}}}})
    with pytest.raises(PipelineError, match="unknown schema keyword 'propertes'"):
        checks.check_unknown_keywords(doc, file=None)


def test_extensions_annotations_and_closed_objects_pass() -> None:
    order = {**_obj(id={"type": "string", "pattern": "^o_"}), "x-internal": True, "unevaluatedProperties": False}
    checks.check_unknown_keywords(_spec({"Order": order}), file=None)


# check_content_types (after the passes: prefer_json_media_types, treat_other_media_as_bytes)


@pytest.mark.parametrize(
    "media",
    ["application/json", "application/json; charset=utf-8", "application/merge-patch+json", "multipart/form-data"],
)
def test_request_media_the_generator_sends(media: str) -> None:
    checks.check_content_types(_spec(paths={"/o": {"post": _op(_content(media))}}), file=None)


def test_request_media_it_cannot_send_names_the_operation() -> None:
    doc = _spec(paths={"/o": {"post": _op(_content("application/json", "text/csv"))}})
    with pytest.raises(
        PipelineError, match=r"operation op \(POST /o\): its request body comes only as 'text/csv'"
    ) as info:
        checks.check_content_types(doc, file=None)
    assert info.value.where == "/paths/~1o/post/requestBody/content/text~1csv"


def test_raw_body_in_any_media_type_is_sent() -> None:
    body = {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}
    checks.check_content_types(_spec(paths={"/logo": {"put": _op(body)}}), file=None)


def test_response_needs_one_readable_media_type() -> None:
    readable = {"200": {"description": "ok", **_content("application/xml", "text/plain")}}
    checks.check_content_types(_spec(paths={"/o": {"get": _op(responses=readable)}}), file=None)
    doc = _spec(paths={"/o": {"get": _op(responses={"200": {"$ref": "#/components/responses/Xml"}})}})
    doc["components"] = {"responses": {"Xml": {"description": "xml", **_content("application/xml")}}}
    with pytest.raises(
        PipelineError, match=r"operation op \(GET /o\): response 200 comes only as application/xml"
    ) as info:
        checks.check_content_types(doc, file=None)
    assert info.value.where == "/components/responses/Xml/content"


def test_every_problem_in_one_error() -> None:
    doc = _spec(
        paths={
            "/a": {"post": {**_op(_content("text/csv")), "operationId": "a"}},
            "/b": {"post": {**_op(_content("application/xml")), "operationId": "b"}},
        }
    )
    with pytest.raises(PipelineError) as info:
        checks.check_content_types(doc, file=None)
    assert info.value.message.startswith("2 problems; nothing was written:")
    assert "operation a (POST /a)" in info.value.message and "operation b (POST /b)" in info.value.message


# operation_id_problems


def test_a_repeated_operation_id_is_left_to_its_repair() -> None:
    paths = {f"/{p}": {"get": {**_op(), "operationId": "same"}} for p in "abc"}
    assert list(checks.operation_id_problems(_spec(paths=paths), file=None)) == []


def test_missing_operation_id_is_no_problem_but_an_empty_one_is() -> None:
    missing = {k: v for k, v in _op().items() if k != "operationId"}
    assert list(checks.operation_id_problems(_spec(paths={"/a": {"get": missing}}), file=None)) == []
    (problem,) = checks.operation_id_problems(_spec(paths={"/a": {"get": {**_op(), "operationId": " "}}}), file=None)
    assert "is not a name" in problem.message


# check_class_name_collisions (on the normalized document)


def test_component_and_inline_enum_with_one_class_name() -> None:
    doc = _spec(
        {
            "OrderStatus": {"type": "string", "enum": ["pending", "paid"]},
            "Order": _obj(status={"type": "string", "enum": ["open", "closed"]}),
        }
    )
    with pytest.raises(PipelineError, match="would both name class OrderStatus") as info:
        checks.check_class_name_collisions(doc, file=None)
    assert info.value.where == "/components/schemas/Order/properties/status"


def test_titles_and_spelling_count() -> None:
    doc = _spec(
        {
            "order_kind": {"type": "string", "enum": ["a"]},
            "Kind": {"type": "string", "enum": ["b"], "title": "OrderKind"},
        }
    )
    with pytest.raises(PipelineError, match=r"enums with different values .* class OrderKind"):
        checks.check_class_name_collisions(doc, file=None)


def test_enum_and_model_with_one_class_name() -> None:
    doc = _spec({"OrderItem": {"type": "string", "enum": ["x"]}, "Order": _obj(item=_obj(id={"type": "string"}))})
    with pytest.raises(PipelineError, match=r"an enum and a model .* class OrderItem"):
        checks.check_class_name_collisions(doc, file=None)


def test_union_members_are_named_as_the_generator_names_them() -> None:
    """A member's own title names it, even an empty one (`title is not None`, openapi-python-client's
    union.py); untitled members are `_type_<i>`. Two members titled "" are one class name."""
    untitled = _spec({"Pick": {"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b"]}]}})
    checks.check_class_name_collisions(untitled, file=None)  # Pick_type_0, Pick_type_1
    empty = [{"title": "", "type": "string", "enum": ["a"]}, {"title": "", "type": "string", "enum": ["b"]}]
    with pytest.raises(PipelineError, match=r"enums with different values .* class Pick"):
        checks.check_class_name_collisions(_spec({"Pick": {"anyOf": empty}}), file=None)


def test_identical_enums_share_their_class() -> None:
    doc = _spec(
        {
            "OrderStatus": {"type": "string", "enum": ["open", "closed"]},
            "Order": _obj(status={"type": "string", "enum": ["closed", "open"]}),
            "Cart": _obj(items={"type": "array", "items": _obj(status={"$ref": "#/components/schemas/OrderStatus"})}),
        }
    )
    checks.check_class_name_collisions(doc, file=None)


def test_hoisting_resolves_a_raw_collision() -> None:
    """Why the check runs after the passes: repeated enums move into their own component first."""
    status = {"type": "string", "enum": ["open", "closed"]}
    raw = _spec(
        {"OrderStatus": {"type": "string", "enum": ["x"]}, "Order": _obj(status=status), "Cart": _obj(status=status)}
    )
    with pytest.raises(PipelineError):
        checks.check_class_name_collisions(raw, file=None)
    normalized, _ = normalize(raw, Overrides())
    checks.check_class_name_collisions(normalized, file=None)


# shape_problems: the containers the passes walk


def test_containers_of_the_wrong_kind_are_each_named_at_their_pointer() -> None:
    """A string where `components/schemas` belongs, a list for a response, a number for a media type's schema:
    every one reported in one error (the fuzzing of mutated specs found passes failing on them)."""
    doc = _spec(paths={"/o": {"get": _op(responses={"200": ["ok"], "201": {"content": {"a/json": {"schema": 5}}}})}})
    doc["components"] = {"schemas": "none", "responses": {"E": {"content": "x"}}}
    doc["paths"]["/p"] = "gone"
    with pytest.raises(PipelineError) as info:
        normalize(doc, Overrides())
    text = str(info.value)
    for where, kind in [
        ("/components/schemas", "a mapping, not str 'none'"),
        ("/components/responses/E/content", "a mapping, not str 'x'"),
        ("/paths/~1o/get/responses/200", "a mapping, not list ['ok']"),
        ("/paths/~1o/get/responses/201/content/a~1json/schema", "a mapping, not int 5"),
        ("/paths/~1p", "a mapping, not str 'gone'"),
    ]:
        assert f"{where} must be {kind}" in text


def test_a_boolean_schema_is_a_schema() -> None:
    doc = _spec(
        {"Anything": True}, paths={"/o": {"get": _op(responses={"200": {"content": {"a/json": {"schema": True}}}})}}
    )
    assert list(checks.shape_problems(doc, file=None)) == []


def test_schema_keywords_with_values_of_the_wrong_kind_are_named() -> None:
    """`properties: 1.5` or `required: [1]` would fail a pass; they are reported at their pointer."""
    doc = _spec(
        {"Order": {"type": "object", "properties": 1.5}, "Line": {**_obj(id={"type": "string"}), "required": [1]}}
    )
    with pytest.raises(PipelineError) as info:
        normalize(doc, Overrides())
    text = str(info.value)
    assert "schema keyword 'properties' must be a mapping, not float 1.5" in text
    assert "schema keyword 'required' must list property names (strings)" in text
