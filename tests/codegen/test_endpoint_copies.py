"""The generator's copy of an endpoint as a copy of what its methods change (codegen/generator.py), not a deep copy:
the same endpoints, the same refusals, parameters no two endpoints share, copies that share no container the
generator changes, and the same package as with the generator's deep copy."""

from __future__ import annotations

import contextlib
import filecmp
import io
from pathlib import Path
from typing import Any

import pytest

from sdkpipeline.cli import main
from sdkpipeline.codegen import generator
from sdkpipeline.upstream import Endpoint, endpoint_parser

from .fragments import Doc, document, parse_fragment

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def _parameter(name: str, where: str, schema: Doc | None = None) -> Doc:
    return {"name": name, "in": where, "required": where == "path", "schema": schema or {"type": "string"}}


def _answer() -> Doc:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}}


# Two operations of one path share a path-level parameter, a parameter component and an enum component; their own
# parameters are declared in another order than the path's, and one is a query parameter named `body` beside a body.
SHARING = document(
    {
        "/shops/{shopId}/items/{item-id}": {
            "parameters": [_parameter("shopId", "path")],
            "get": {
                "operationId": "getItem",
                "parameters": [{"$ref": "#/components/parameters/Colour"}, _parameter("item-id", "path")],
                "responses": _answer(),
            },
            "put": {
                "operationId": "putItem",
                "parameters": [
                    _parameter("item-id", "path"),
                    {"$ref": "#/components/parameters/Colour"},
                    _parameter("body", "query"),
                ],
                "requestBody": {"content": {"application/json": {"schema": {"type": "string"}}}},
                "responses": _answer(),
            },
        }
    },
    schemas={"Colour": {"type": "string", "enum": ["red", "blue"]}},
)
SHARING["components"]["parameters"] = {"Colour": _parameter("colour", "query", {"$ref": "#/components/schemas/Colour"})}


def _endpoints(doc: Doc, tmp_path: Path) -> dict[str, Endpoint]:
    parsed = parse_fragment(doc, tmp_path)
    return {str(endpoint.name): endpoint for _, endpoint in parsed.endpoints()}


def _path_shape(endpoint: Endpoint) -> tuple[str, list[str], list[str]]:
    """What the sort decides: the path with Python names, the path parameters' wire and Python names in order."""
    names = [generator.untrusted_text(p.name) for p in endpoint.path_parameters]
    return generator.untrusted_text(endpoint.path), names, [str(p.python_name) for p in endpoint.path_parameters]


def _shape(endpoint: Endpoint) -> tuple[Any, ...]:
    """What parsing made of an operation: its path, every parameter, its answers, bodies and imports."""
    parameters = [(str(where), str(p.python_name)) for where, p in endpoint.iter_all_parameters()]
    answers = [str(r.status_code) for r in endpoint.responses]
    return _path_shape(endpoint), parameters, answers, len(endpoint.bodies), sorted(endpoint.relative_imports)


def test_path_parameters_in_the_paths_order_with_python_names_in_the_path(tmp_path: Path) -> None:
    """Declared out of order and partly on the path item: sorted as in the path, and the path names them in Python."""
    endpoints = _endpoints(SHARING, tmp_path)
    assert _path_shape(endpoints["get_item"]) == (
        "/shops/{shop_id}/items/{item_id}",
        ["shopId", "item-id"],
        ["shop_id", "item_id"],
    )
    assert _path_shape(endpoints["put_item"]) == _path_shape(endpoints["get_item"])


def test_the_same_endpoints_as_with_the_generators_deep_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every endpoint's path and parameters are what the generator makes of them with its deep copies."""
    ours = {name: _shape(e) for name, e in _endpoints(SHARING, tmp_path / "ours").items()}
    monkeypatch.setattr(endpoint_parser, "deepcopy", generator.GENERATORS_ENDPOINT_COPY)
    theirs = {name: _shape(e) for name, e in _endpoints(SHARING, tmp_path / "theirs").items()}
    assert ours == theirs
    assert len(ours) == 2


def _problems(doc: Doc, tmp_path: Path) -> list[str]:
    return [generator.readable(p.detail) for p in parse_fragment(doc, tmp_path).problems()]


def test_a_path_parameter_the_path_lacks_is_refused_as_the_generator_refuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A declared path parameter the template does not name: the endpoint is dropped with the generator's message."""
    doc = document(
        {
            "/items/{id}": {
                "get": {
                    "operationId": "getItem",
                    "parameters": [_parameter("id", "path"), _parameter("other", "path")],
                    "responses": _answer(),
                }
            }
        }
    )
    ours = _problems(doc, tmp_path / "ours")
    monkeypatch.setattr(endpoint_parser, "deepcopy", generator.GENERATORS_ENDPOINT_COPY)
    assert ours == _problems(doc, tmp_path / "theirs")
    assert ours == ["Incorrect path templating for /items/{id} (Path parameters do not match with path)"]


def _all_parameters(endpoint: Endpoint) -> list[Any]:
    return [prop for _, prop in endpoint.iter_all_parameters()]


def test_a_copy_shares_no_container_the_generator_changes(tmp_path: Path) -> None:
    """The generator appends to, sorts and assigns the parameter lists, imports, responses, bodies and errors of the
    copy it makes: none of that reaches the endpoint it was made from."""
    endpoint = _endpoints(SHARING, tmp_path)["put_item"]
    before = _shape(endpoint)
    copied = generator._copy_endpoint(endpoint)
    containers = ("query_parameters", "path_parameters", "header_parameters", "cookie_parameters", "bodies", "errors")
    for name in containers:
        getattr(copied, name).append(getattr(copied, name)[0] if getattr(copied, name) else None)
    copied.path_parameters.reverse()
    copied.relative_imports.add("from . import elsewhere")
    copied.responses.patterns.append(copied.responses.patterns[0])
    copied.responses.default = copied.responses.patterns[0]
    assert _shape(endpoint) == before
    assert endpoint.errors == [] and endpoint.responses.default is None
    assert generator._copy_endpoint({"a": [1]}) == {"a": [1]}  # anything else: deep-copied as before


def test_no_two_endpoints_hold_one_parameter(tmp_path: Path) -> None:
    """What the deep copy protected: a parameter renamed for one endpoint (`body` → `body_query`) is that
    endpoint's own object, also when both take it from one component, so no rename reaches another endpoint."""
    endpoints = _endpoints(SHARING, tmp_path)
    held = [id(prop) for endpoint in endpoints.values() for prop in _all_parameters(endpoint)]
    assert len(held) == 7  # shopId, item-id and colour on each; body on putItem
    assert len(set(held)) == len(held)
    renamed = {str(p.python_name) for p in _all_parameters(endpoints["put_item"])}
    assert "body_query" in renamed
    assert "body_query" not in {str(p.python_name) for p in _all_parameters(endpoints["get_item"])}


def _generate(spec: Path, output: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["generate", "--spec", str(spec), "--output", str(output)]) == 0


def _differences(left: Path, right: Path) -> list[str]:
    """Files only one tree has, or that differ (filecmp.dircmp, recursively)."""
    found: list[str] = []
    stack = [filecmp.dircmp(left, right)]
    while stack:
        compared = stack.pop()
        found += [f"{compared.left}/{name}" for name in compared.left_only + compared.right_only]
        _, mismatch, errors = filecmp.cmpfiles(compared.left, compared.right, compared.common_files, shallow=False)
        found += [f"{compared.left}/{name}" for name in mismatch + errors]
        stack.extend(compared.subdirs.values())
    return sorted(found)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["opc-baseline-3.0.json", "swagger-petstore3.yaml"])
def test_the_package_is_the_one_made_with_the_generators_deep_copy(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole package (every later rename and template included) is byte for byte the one made with the
    generator's deep copies of endpoints: the generator's end-to-end document and the Swagger Petstore."""
    spec = CORPUS / name
    _generate(spec, tmp_path / "ours")
    monkeypatch.setattr(endpoint_parser, "deepcopy", generator.GENERATORS_ENDPOINT_COPY)
    _generate(spec, tmp_path / "theirs")
    assert sorted(p.name for p in (tmp_path / "ours").iterdir()) == sorted(
        p.name for p in (tmp_path / "theirs").iterdir()
    )
    assert _differences(tmp_path / "ours", tmp_path / "theirs") == []
