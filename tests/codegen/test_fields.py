"""Tests for sdkpipeline.codegen.fields: what each generated model, enum and response table holds.

Each fragment goes through the normalizer and the generator's parser as a real spec would; the test reads
the plan the templates print (annotation, default, the `_fill` expression, imports).
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from ruff import find_ruff_bin

from sdkpipeline.codegen import generator
from sdkpipeline.codegen.fields import (
    INLINE_LITERAL_LIMIT,
    FieldPlan,
    ModelPlan,
    ResponseRow,
    endpoint_responses,
    enum_plan,
    model_plan,
)
from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides, normalize

from .fragments import parse_fragment

Doc = dict[str, Any]


def _parsed(schemas: Doc, tmp_path: Path, *, responses: Doc | None = None) -> generator.Parsed:
    doc: Doc = {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "version": "1.0.0"},
        "paths": {
            "/orders": {
                "post": {
                    "operationId": "CreateOrder",
                    "tags": ["Orders"],
                    "responses": responses
                    or {
                        "201": {
                            "description": "created",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }
    normalized, _ = normalize(doc, Overrides())
    parsed = parse_fragment(normalized, tmp_path)
    assert generator.judge(parsed.problems(), normalized, tmp_path / "shop.yaml") == []
    return parsed


def _plan(schemas: Doc, tmp_path: Path, name: str = "Order") -> ModelPlan:
    parsed = _parsed(schemas, tmp_path)
    (model,) = [m for m in parsed.data.models if str(m.class_info.name) == name]
    return model_plan(model)


def _field(plan: ModelPlan, attr: str) -> FieldPlan:
    (found,) = [f for f in plan.fields if f.attr == attr]
    return found


STATUS = {"type": "string", "enum": ["open", "paid"]}
LINE = {"type": "object", "required": ["sku"], "properties": {"sku": {"type": "string"}}}


def _order(required: list[str], **properties: Any) -> Doc:
    return {"type": "object", "required": required, "properties": properties}


def test_required_field_is_typed_plainly_and_read_by_subscript(tmp_path: Path) -> None:
    """A required field has no `| Unset` and no default; `_fill` reads it with data[...] (a KeyError if missing)."""
    plan = _plan({"Order": _order(["id"], id={"type": "string"})}, tmp_path)
    assert _field(plan, "id") == FieldPlan(
        attr="id", key="id", annotation="str", default=None, read='data["id"]', description=(), present=None
    )
    assert plan.nullable_code is None


def test_optional_field_is_none_by_default_and_read_only_when_present(tmp_path: Path) -> None:
    """An optional field is `X | None = None`, set by `_fill` only when the body has it (an absent one stays
    unset); one the spec lets be null is in the class's `_nullable`, one it does not is not."""
    plan = _plan(
        {"Order": _order([], note={"type": ["string", "null"], "description": "A note."}, tag={"type": "string"})},
        tmp_path,
    )
    note, tag = _field(plan, "note"), _field(plan, "tag")
    assert (note.annotation, note.default, note.read, note.present) == (
        "str | None",
        "None",
        'data["note"]',
        '"note" in data',
    )
    assert (tag.annotation, tag.default, tag.present) == ("str | None", "None", '"tag" in data')
    assert note.description == ("A note.",)
    assert (note.nullable, tag.nullable) == (True, False)
    assert plan.nullable_code == 'frozenset({"note"})'
    assert plan.guarded == (note, tag)  # read after the others, each counted when present
    assert "from .._models import Model" in plan.imports


def test_renamed_keys_become_aliases(tmp_path: Path) -> None:
    """camelCase JSON keys are snake_case attributes; the class records each key that differs."""
    plan = _plan({"Order": _order(["createdAt"], createdAt={"type": "integer"})}, tmp_path)
    assert _field(plan, "created_at").read == 'data["createdAt"]'
    assert plan.aliases == (("created_at", "createdAt"),)
    assert plan.aliases_code == '{"created_at": "createdAt"}'


def test_enum_field_takes_its_values_and_is_read_through_its_lookup(tmp_path: Path) -> None:
    """An enum field is `Enum | Literal[values]`; `_fill` reads it through the enum's module-level lookup."""
    plan = _plan(
        {"Status": STATUS, "Order": _order(["status"], status={"$ref": "#/components/schemas/Status"})}, tmp_path
    )
    status = _field(plan, "status")
    assert status.annotation == 'Status | Literal["open", "paid"]'
    assert status.read == '_Status[data["status"]]'
    assert plan.lookups == (("_Status", "Status"),)
    assert "from .status import Status" in plan.imports
    assert "from typing import Any, Literal" in plan.imports


def test_long_enum_is_named_by_its_literal_alias(tmp_path: Path) -> None:
    """An enum with more values than the inline limit is annotated with its `<Enum>Literal`, imported beside it."""
    values = [f"v{i}" for i in range(INLINE_LITERAL_LIMIT + 1)]
    schemas = {
        "Code": {"type": "string", "enum": values},
        "Order": _order([], code={"$ref": "#/components/schemas/Code"}),
    }
    plan = _plan(schemas, tmp_path)
    assert _field(plan, "code").annotation == "Code | CodeLiteral | None"
    assert "from .code import Code, CodeLiteral" in plan.imports


def test_nested_models_are_converted_and_imported_after_the_class(tmp_path: Path) -> None:
    """A nested object and a list of objects are read by the runtime's helpers; their classes import late."""
    schemas = {
        "Line": LINE,
        "Shop": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Order": _order(
            ["lines"],
            lines={"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
            shop={"anyOf": [{"$ref": "#/components/schemas/Shop"}, {"type": "null"}]},
        ),
    }
    plan = _plan(schemas, tmp_path)
    assert _field(plan, "lines").read == 'as_models(Line, data["lines"])'
    assert _field(plan, "lines").annotation == "list[Line]"
    assert _field(plan, "shop").read == 'as_model(Shop, data["shop"])'
    assert _field(plan, "shop").present == '"shop" in data'
    assert _field(plan, "shop").annotation == "Shop | None"
    assert plan.late_imports == ("from .line import Line", "from .shop import Shop")


def test_list_of_enum_values_is_read_through_the_lookup(tmp_path: Path) -> None:
    """A list of enum values: each item through the enum's lookup."""
    schemas = {
        "Status": STATUS,
        "Order": _order([], history={"type": "array", "items": {"$ref": "#/components/schemas/Status"}}),
    }
    assert _field(_plan(schemas, tmp_path), "history").read == 'as_enums(_Status, data["history"])'


def test_uuid_is_the_string_the_api_sent(tmp_path: Path) -> None:
    """A uuid-format field is `str`: kept as sent (any spelling round-trips, a non-UUID id does not fail)."""
    plan = _plan({"Order": _order(["id"], id={"type": "string", "format": "uuid"})}, tmp_path)
    assert _field(plan, "id").annotation == "str"
    assert _field(plan, "id").read == 'data["id"]'


def test_required_one_value_fields_default_to_that_value(tmp_path: Path) -> None:
    """A required const or one-value enum needs nothing from the caller; it is read from the body when there."""
    schemas = {
        "Kind": {"type": "string", "enum": ["order"]},
        "Order": _order(
            ["type", "kind"], type={"type": "string", "const": "code"}, kind={"$ref": "#/components/schemas/Kind"}
        ),
    }
    plan = _plan(schemas, tmp_path)
    assert _field(plan, "type_").default == '"code"'
    assert (_field(plan, "type_").read, _field(plan, "type_").present) == ('data["type"]', '"type" in data')
    assert _field(plan, "kind").default == "Kind.ORDER"


def test_spec_default_is_documented_not_filled_in(tmp_path: Path) -> None:
    """A spec default is what the server does when the field is absent: the field defaults to None (unset, not
    sent) and its docstring says the server's default."""
    plan = _plan({"Order": _order([], count={"type": "integer", "default": 0, "description": "How many"})}, tmp_path)
    assert _field(plan, "count").default == "None"
    assert _field(plan, "count").description == ("How many. Server default: 0.",)


def test_union_of_two_converted_shapes_is_read_by_its_annotation(tmp_path: Path) -> None:
    """One expression cannot read `Line | Status` without guessing: the runtime's read_field tries each member."""
    schemas = {
        "Line": LINE,
        "Status": STATUS,
        "Order": _order(
            [], item={"anyOf": [{"$ref": "#/components/schemas/Line"}, {"$ref": "#/components/schemas/Status"}]}
        ),
    }
    plan = _plan(schemas, tmp_path)
    assert _field(plan, "item").read == 'read_field(Order, "item", data["item"])'
    assert "from .._models import Model, members, read_field" in plan.imports


def test_a_uuid_default_is_documented_as_the_text(tmp_path: Path) -> None:
    """A uuid field holds the text the API sent; its server default is shown as that text, not `UUID(...)`."""
    ref = {"type": "string", "format": "uuid", "default": "07ef8b4d-aa09-4ffa-898d-c710796aff41"}
    plan = _plan({"Order": _order([], ref=ref)}, tmp_path)
    assert _field(plan, "ref").description == ('Server default: "07ef8b4d-aa09-4ffa-898d-c710796aff41".',)


def test_enum_plan_lists_members_and_the_values_alias(tmp_path: Path) -> None:
    """An enum's class is an OpenStrEnum with its members by name; its Literal keeps the spec's order."""
    parsed = _parsed({"Status": {"type": "string", "enum": ["paid", "open"]}, "Order": _order([])}, tmp_path)
    (enum,) = parsed.data.enums
    plan = enum_plan(enum)  # type: ignore[arg-type]
    assert plan.base == "OpenStrEnum"
    assert plan.members == (("OPEN", '"open"'), ("PAID", '"paid"'))
    assert (plan.alias, plan.literal) == ("StatusLiteral", 'Literal["paid", "open"]')
    with pytest.raises(PipelineError, match="its values alias StatusLiteral has the name of a generated class"):
        enum_plan(enum, taken={"StatusLiteral"})  # type: ignore[arg-type]


def test_endpoint_responses_list_each_documented_status(tmp_path: Path) -> None:
    """The rows of `_RESPONSES`: each documented status, how its body is sent and its type."""
    responses = {
        "201": {
            "description": "created",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
        },
        "204": {"description": "nothing"},
        "206": {
            "description": "some",
            "content": {
                "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}}
            },
        },
        "207": {"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}},
    }
    parsed = _parsed({"Order": _order([])}, tmp_path, responses=responses)
    ((_, endpoint),) = list(parsed.endpoints())
    assert endpoint_responses(endpoint) == (
        ResponseRow(201, 201, "json", "Order"),
        ResponseRow(204, 204, "none", "None"),
        ResponseRow(206, 206, "json", "list[Order]"),
        ResponseRow(207, 207, "text", "str"),
    )


def _class_body_plan(count: int, width: int) -> ModelPlan:
    """A plan of `count` optional, nullable fields whose names are `width` letters long, each aliased."""
    fields = tuple(
        FieldPlan(
            attr=f"{chr(97 + i % 26)}{i:02}".ljust(width, "x"),
            key=f"K{i}",
            annotation="str | None",
            default="None",
            read="data['k']",
            description=(),
            nullable=True,
        )
        for i in range(count)
    )
    aliases = tuple((f.attr, f.key) for f in fields)
    return ModelPlan(
        class_name="A", docstring=(), fields=fields, aliases=aliases, imports=(), lookups=(), late_imports=()
    )


@pytest.mark.parametrize(
    ("count", "width"),
    [(1, 3), (4, 12), (5, 12), (6, 12), (8, 10), (9, 10), (12, 10), (30, 20)],
    ids=["one", "fits", "just over", "next line", "set on its line", "set just over", "both long", "many"],
)
def test_aliases_and_nullable_are_printed_as_ruff_formats_them(count: int, width: int) -> None:
    """The post-hooks leave a model as printed, so that the import check's interpreter compiles it while the rest of
    the package is made: a literal on its line where it fits, else laid out as ruff lays it out."""
    plan = _class_body_plan(count, width)
    printed = f"class A:\n    _aliases = {plan.aliases_code}\n    _nullable = {plan.nullable_code}\n"
    formatted = subprocess.run(
        [find_ruff_bin(), "format", "--no-cache", "--line-length", "120", "--stdin-filename", "a.py", "-"],
        input=printed,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert formatted == printed


def test_a_class_docstrings_blank_lines_are_left_empty() -> None:
    plan = replace(_class_body_plan(1, 3), docstring=("Orders.", "", "More about them."))
    assert plan.docstring_text == "Orders.\n\n    More about them."
