"""judge() names the exact place of what openapi-python-client could not read: the pointer with the status code,
the parameter or property, the enum and the default (its own messages print them as object reprs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sdkpipeline.codegen import generator
from sdkpipeline.errors import PipelineError

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _judged(doc: dict[str, Any], tmp_path: Path, pending: list[PipelineError] | None = None) -> str:
    spec = tmp_path / "spec.yaml"
    parsed = generator.parse(
        doc,
        document_file=spec,
        output=tmp_path / "out",
        dist_name="shop",
        package="shop",
        version="0",
        templates=TEMPLATES,
        spec_path=spec,
    )
    with pytest.raises(PipelineError) as info:
        generator.judge(parsed.problems(), doc, spec, pending=pending or [])
    return str(info.value)


def _doc(**operation: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Shop", "version": "1"},
        "paths": {"/orders": {"get": {"operationId": "listOrders", **operation}}},
        "components": {"schemas": {"Meta": {"type": "object", "properties": {"a": {"type": "string"}}}}},
    }


def test_an_enum_default_names_parameter_enum_and_value(tmp_path: Path) -> None:
    sort = {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["a", "b"], "default": ""}}
    said = _judged(_doc(parameters=[sort], responses={"200": {"description": "ok"}}), tmp_path)
    assert "spec.yaml#/paths/~1orders/get/parameters/0/schema:" in said
    assert "parameter 'sort', enum ['a', 'b'], default ''" in said


def test_a_response_names_its_status_code_and_property(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"meta": {"allOf": [{"$ref": "#/components/schemas/Meta"}], "default": {}}},
    }
    responses = {"404": {"description": "gone", "content": {"application/json": {"schema": schema}}}}
    said = _judged(_doc(responses=responses), tmp_path)
    assert "#/paths/~1orders/get/responses/404/content/application~1json/schema/properties/meta:" in said
    assert "would drop the response 404 of GET /orders" in said
    assert "response 404, property 'meta', default {}: Cannot parse response for status code 404" in said


def test_the_normalizers_problems_come_first_in_the_same_error(tmp_path: Path) -> None:
    sort = {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["a"], "default": "z"}}
    earlier = PipelineError("a problem the checks found", where="/components/schemas/X")
    said = _judged(_doc(parameters=[sort], responses={"200": {"description": "ok"}}), tmp_path, [earlier])
    assert said.startswith("2 problems; nothing was written:")
    assert said.index("a problem the checks found") < said.index("parameter 'sort'")
