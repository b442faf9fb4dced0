"""Tests for the names record (normalize/record.py, normalize/classnames.py) and the passes that consult it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides, PassLog
from sdkpipeline.normalize import passes as p
from sdkpipeline.normalize.classnames import class_of
from sdkpipeline.normalize.context import NamesRecord, PublishedOperation
from sdkpipeline.normalize.record import (
    check_names_record,
    load_record,
    merge_records,
    published_names,
    record_text,
    write_record,
)
from sdkpipeline.spec.registry import load_registry

Doc = dict[str, Any]
FULL = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "price": {"type": "integer"}},
    "required": ["id", "name"],
}
SHORT = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}


def _doc(**holders: Doc) -> Doc:
    """Components named after the keys, each holding one property schema (`offer` unless given as a tuple)."""
    schemas = {}
    for name, value in holders.items():
        prop, schema = value if isinstance(value, tuple) else ("offer", value)
        schemas[name] = {"type": "object", "properties": {prop: copy.deepcopy(schema)}}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}}


def _use(name: str, prop: str = "offer") -> str:
    return f"/components/schemas/{name}/properties/{prop}"


def _hoist(doc: Doc, record: NamesRecord | None = None) -> tuple[Doc, PassLog]:
    log = PassLog(current="hoist_repeated_schemas")
    out = p.hoist_repeated_schemas(copy.deepcopy(doc), Overrides(record=record or NamesRecord()), log)
    return out, log


def _class_at(doc: Doc, holder: str, prop: str = "offer") -> str | None:
    """The component a property refers to (or, for a nullable use, its union's first member), else None."""
    node = doc["components"]["schemas"][holder]["properties"][prop]
    node = node["anyOf"][0] if "anyOf" in node else node
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[1] if isinstance(ref, str) else None


def _generated_class(doc: Doc, holder: str, prop: str = "offer") -> str | None:
    """The class the generator makes for a property's schema, inline or not."""
    return class_of(doc, ("components", "schemas", holder, "properties", prop))


# --- hoisting with and without the record -------------------------------------------------------------------


def test_without_the_record_a_new_majority_takes_the_name() -> None:
    """The behaviour the record exists for: two more uses of the short form, and `Offer` changes hands."""
    before, _ = _hoist(_doc(A=FULL, B=FULL, C=SHORT))
    assert (_class_at(before, "A"), _class_at(before, "C")) == ("Offer", None)
    after, _ = _hoist(_doc(A=FULL, B=FULL, C=SHORT, D=SHORT, E=SHORT))
    assert _class_at(after, "C") == "Offer" and _class_at(after, "A") != "Offer"


def test_published_names_survive_a_new_majority() -> None:
    # published: Offer for the full form (A, B); the short form inline in C, which the generator calls COffer
    record = NamesRecord(schemas={"Offer": frozenset({_use("A"), _use("B")}), "COffer": frozenset({_use("C")})})
    out, log = _hoist(_doc(A=FULL, B=FULL, C=SHORT, D=SHORT, E=SHORT), record)
    assert [_class_at(out, h) for h in "ABCDE"] == ["Offer", "Offer", "COffer", "COffer", "COffer"]
    assert ("/components/schemas/COffer", "new shared object (3 uses; published name kept)") in [
        (c.pointer, c.message) for c in log.changes
    ]


def test_an_optional_field_on_one_use_joins_the_published_class() -> None:
    record = NamesRecord(schemas={"Offer": frozenset({_use("A"), _use("B"), _use("C")})})
    noted = copy.deepcopy(FULL)
    noted["properties"]["note"] = {"type": "string"}
    out, _ = _hoist(_doc(A=FULL, B=FULL, C=noted), record)
    assert [_class_at(out, h) for h in "ABC"] == ["Offer", "Offer", "Offer"]
    assert list(out["components"]["schemas"]["Offer"]["properties"]) == ["id", "name", "price", "note"]
    assert out["components"]["schemas"]["Offer"]["required"] == ["id", "name"], "the new field stays optional"


def test_a_required_field_on_one_use_splits_the_class_and_the_name_stays_with_the_others() -> None:
    record = NamesRecord(schemas={"Offer": frozenset({_use("A"), _use("B"), _use("C")})})
    stricter = copy.deepcopy(FULL)
    stricter["properties"]["note"] = {"type": "string"}
    stricter["required"] = ["id", "name", "note"]
    out, _ = _hoist(_doc(A=FULL, B=FULL, C=stricter), record)
    assert [_class_at(out, h) for h in "AB"] == ["Offer", "Offer"]
    assert _class_at(out, "C") is None and _generated_class(out, "C") == "COffer", "a new class, named inline"


def test_identical_shapes_published_under_two_names_keep_both() -> None:
    # Envelopes kept inline (one class each) that happen to be identical are not merged into one class.
    record = NamesRecord(schemas={"AOffer": frozenset({_use("A")}), "BOffer": frozenset({_use("B")})})
    out, _ = _hoist(_doc(A=SHORT, B=SHORT), record)
    assert (_generated_class(out, "A"), _generated_class(out, "B")) == ("AOffer", "BOffer")
    without, _ = _hoist(_doc(A=SHORT, B=SHORT))
    assert _class_at(without, "A") == _class_at(without, "B") == "Offer", "the rule alone would share one class"


def test_a_published_inline_class_is_left_inline_while_its_name_holds() -> None:
    record = NamesRecord(schemas={"COffer": frozenset({_use("C")})})
    out, _ = _hoist(_doc(A=FULL, B=FULL, C=SHORT), record)
    assert _class_at(out, "C") is None and _generated_class(out, "C") == "COffer", "nothing to pin"
    assert "COffer" not in out["components"]["schemas"]


MODE = {"type": "string", "enum": ["void", "keep"]}


def test_a_request_enum_made_nullable_keeps_its_class() -> None:
    # Published inline as ReqMode; nullable, the generator would make it ReqModeType0: pinned as a component.
    record = NamesRecord(schemas={"ReqMode": frozenset({_use("Req", "mode")})})
    nullable = {"type": ["string", "null"], "enum": ["void", "keep", None]}
    out, _ = _hoist(_doc(Req=("mode", nullable)), record)
    assert out["components"]["schemas"]["Req"]["properties"]["mode"] == {
        "anyOf": [{"$ref": "#/components/schemas/ReqMode"}, {"type": "null"}]
    }
    assert out["components"]["schemas"]["ReqMode"] == {"type": "string", "enum": ["void", "keep"]}


def test_a_published_name_is_not_given_to_another_shape() -> None:
    currency = {"type": "string", "enum": ["USD", "EUR", "GBP"]}
    record = NamesRecord(schemas={"Currency": frozenset({_use("A", "currency"), _use("B", "currency")})})
    other = {"type": "string", "enum": ["USD", "EUR"]}
    out, _ = _hoist(
        _doc(A=("currency", currency), B=("currency", currency), C=("currency", other), D=("currency", other)),
        record,
    )
    assert (_class_at(out, "A", "currency"), _class_at(out, "B", "currency")) == ("Currency", "Currency")
    assert _class_at(out, "C", "currency") not in (None, "Currency")


# --- the generator's class names, mirrored ------------------------------------------------------------------


def test_class_of_mirrors_the_generators_names() -> None:
    doc: Doc = {
        "paths": {
            "/orders": {
                "get": {
                    "operationId": "ListOrders",
                    "responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}}}}},
                }
            }
        },
        "components": {
            "schemas": {
                "Order": {
                    "type": "object",
                    "properties": {
                        "status": {"type": "string", "enum": ["a"]},
                        "lines": {"type": "array", "items": {"type": "object", "properties": {"x": {}}}},
                        "mode": {"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "null"}]},
                        "owner": {"$ref": "#/components/schemas/User"},
                        "titled": {"type": "string", "enum": ["a"], "title": "Kind"},
                    },
                },
                "User": {"type": "object", "properties": {"role": {"type": "string", "enum": ["a"]}}},
            }
        },
    }
    order = ("components", "schemas", "Order", "properties")
    assert class_of(doc, (*order, "status")) == "OrderStatus"
    assert class_of(doc, (*order, "lines", "items")) == "OrderLinesItem"
    assert class_of(doc, (*order, "mode")) == "OrderModeType0"
    assert class_of(doc, (*order, "owner")) == "User"
    assert class_of(doc, (*order, "owner", "properties", "role")) == "UserRole"
    assert class_of(doc, (*order, "titled")) == "OrderKind"
    response = ("paths", "/orders", "get", "responses", "200", "content", "application/json", "schema")
    assert class_of(doc, response) == "ListOrdersResponse200"


# --- the record file ----------------------------------------------------------------------------------------


LIST = PublishedOperation("ListOrders", "Orders", "orders.list")


def test_record_round_trip_and_merge(tmp_path: Path) -> None:
    path = tmp_path / "names.yaml"
    record = NamesRecord(
        schemas={"Offer": frozenset({_use("B"), _use("A")})},
        operations={"GET /orders": LIST},
        merged={"ErrorResponse": frozenset({"GetOrdersNegativeResponse", "PostOrdersNegativeResponse"})},
    )
    assert write_record(record, path) is True
    assert write_record(record, path) is False, "unchanged text is not rewritten"
    loaded = load_record(path)
    assert (loaded.schemas, loaded.operations, loaded.merged) == (record.schemas, record.operations, record.merged)
    assert record_text(record).index(_use("A")) < record_text(record).index(_use("B")), "lists are sorted"
    assert (
        "  GET /orders:\n    operation_id: ListOrders\n    tag: Orders\n    method: orders.list\n" in path.read_text()
    )

    new = NamesRecord(schemas={"Offer": frozenset({_use("C")}), "Item": frozenset({_use("D")})}, operations={})
    grown = merge_records(loaded, new)
    assert grown.schemas == {"Offer": frozenset({_use("A"), _use("B"), _use("C")}), "Item": frozenset({_use("D")})}
    assert grown.operations == {"GET /orders": LIST}, "generate never removes a name"
    assert grown.merged == record.merged
    pruned = merge_records(loaded, new, keep=set(new.schemas))
    assert set(pruned.schemas) == {"Offer", "Item"} and pruned.operations == {}, "a breaking release drops names"
    assert pruned.merged == {}


def test_an_operation_under_another_method_is_one_entry() -> None:
    """PATCH → PUT with the operationId kept: the entry moves to the new key instead of being added twice."""
    old = NamesRecord(operations={"PATCH /orders/{id}": PublishedOperation("UpdateOrder", "Orders", "orders.update")})
    new = NamesRecord(operations={"PUT /orders/{id}": PublishedOperation("UpdateOrder", "Orders", "orders.update")})
    assert merge_records(old, new).operations == new.operations


def test_the_record_before_operations_were_keyed_by_method_and_path_is_read(tmp_path: Path) -> None:
    """`operationId: resource.method` entries are found by their operationId until the next generation."""
    path = tmp_path / "names.yaml"
    path.write_text("operations: {ListOrders: orders.list}\n", encoding="utf-8")
    record = load_record(path)
    assert record.operation_at("get", "/orders", "ListOrders") == PublishedOperation("ListOrders", "", "orders.list")
    assert record.operation_at("get", "/orders", "Other") is None


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("schemas: {Offer: /a}\n", "#/schemas", id="uses-not-a-list"),
        pytest.param("operations: {ListOrders: list}\n", "#/operations/ListOrders", id="method-without-resource"),
        pytest.param(
            "operations: {GET /orders: {operation_id: ListOrders}}\n",
            "#/operations/GET ~1orders",
            id="entry-incomplete",
        ),
    ],
)
def test_a_malformed_record_names_the_file_and_place(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PipelineError) as raised:
        load_record(path)
    assert f"names.yaml{where}" in str(raised.value)


def test_published_names_of_a_fragment() -> None:
    raw = _doc(A=FULL, B=FULL, C=SHORT)
    normalized, _ = _hoist(raw)
    found = published_names(raw, normalized, {"A", "B", "C", "Offer", "COffer"})
    assert found.schemas == {"Offer": frozenset({_use("A"), _use("B")}), "COffer": frozenset({_use("C")})}
    assert published_names(raw, normalized, {"Offer"}).schemas == {"Offer": frozenset({_use("A"), _use("B")})}


@pytest.mark.parametrize("api", sorted(load_registry().values(), key=lambda a: a.name), ids=lambda a: a.name)
def test_the_committed_records_match_the_committed_packages(api: Any) -> None:
    """What the drift check adds: every published name is recorded, every recorded name still published."""
    assert check_names_record(api) == []
    assert load_record(api.overrides.with_name("names.yaml")).operations, "every operation is recorded"


def test_a_use_pinned_where_it_was_inline_keeps_its_default() -> None:
    # The published inline enum ReqMode (default 'void') gets a second use elsewhere: shared now, under its name,
    # and its first use keeps the default the keyword argument had (a bare $ref would drop it).
    record = NamesRecord(schemas={"ReqMode": frozenset({_use("Req", "mode")})})
    with_default = {**MODE, "default": "void"}
    out, _ = _hoist(_doc(Req=("mode", with_default), Other=("mode", MODE)), record)
    schemas = out["components"]["schemas"]
    assert schemas["Req"]["properties"]["mode"] == {
        "allOf": [{"$ref": "#/components/schemas/ReqMode"}],
        "default": "void",
    }
    assert schemas["Other"]["properties"]["mode"] == {"$ref": "#/components/schemas/ReqMode"}
