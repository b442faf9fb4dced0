"""generator.judge: each generator warning refused only when the SDK would lose an operation, parameter or field."""

from __future__ import annotations

from pathlib import Path

import pytest
from openapi_python_client.parser.errors import ParseError, PropertyError

from sdkpipeline.codegen.generator import judge
from sdkpipeline.errors import PipelineError

SPEC = Path("specs/shop/openapi.yaml")
DOC = {
    "paths": {"/orders": {"get": {"responses": {"200": {"$ref": "#/components/responses/Orders"}}}}},
    "components": {
        "responses": {"Orders": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}},
        "schemas": {"Page": {"$ref": "#/components/schemas/Order"}, "Order": {}, "Unused": {}},
    },
}


def _endpoint(detail: str, *, dropped: bool = False) -> ParseError:
    header = "WARNING parsing GET /orders within orders." + (" Endpoint will not be generated." if dropped else "")
    return ParseError(header=header, detail=detail)


@pytest.mark.parametrize(
    ("error", "where", "loses"),
    [
        (
            _endpoint("Parameters MUST NOT contain duplicates.", dropped=True),
            "/paths/~1orders/get",
            "the operation GET /orders",
        ),
        (
            _endpoint("Cannot parse response for status code 200 (x), response will be omitted from generated client"),
            "/paths/~1orders/get/responses/200",
            "the response 200 of GET /orders (its fields)",
        ),
        (  # Order is reached through a shared response and another component
            PropertyError(header="Unable to parse schema /components/schemas/Order", detail="Invalid int value"),
            "/components/schemas/Order",
            "the model Order (its fields)",
        ),
    ],
    ids=["operation", "response", "used_model"],
)
def test_a_loss_is_refused_at_its_pointer(error: ParseError, where: str, loses: str) -> None:
    with pytest.raises(PipelineError) as info:
        judge([error], DOC, SPEC)
    assert info.value.where == where and info.value.file == SPEC
    assert info.value.message.startswith(f"openapi-python-client would drop {loses}: ")


@pytest.mark.parametrize(
    ("error", "warning"),
    [
        (
            _endpoint("Unsupported content type application/xml"),
            "openapi-python-client at #/paths/~1orders/get/requestBody: Unsupported content type application/xml",
        ),
        (
            PropertyError(
                header="Unable to parse schema /components/schemas/Unused",
                detail="Enum values must all be the same type",
            ),
            "openapi-python-client at #/components/schemas/Unused: Enum values must all be the same type",
        ),
    ],
    ids=["media_type_beside_the_one_sent", "unused_component"],
)
def test_what_loses_nothing_is_a_warning(error: ParseError, warning: str) -> None:
    assert judge([error], DOC, SPEC) == [warning]


def test_every_loss_in_one_error() -> None:
    errors = [
        _endpoint("duplicate", dropped=True),
        PropertyError(header="Unable to parse schema /components/schemas/Order"),
    ]
    with pytest.raises(
        PipelineError, match=r"^2 problems; nothing was written:\n  - specs/shop/openapi.yaml#/paths/~1orders/get: "
    ):
        judge(errors, DOC, SPEC)


class _Unwalkable(dict[str, object]):
    """A document whose walk fails: judging no warnings must not walk it."""

    def get(self, key: str, default: object = None) -> object:
        raise AssertionError(f"the document was walked (get {key!r})")


def test_no_warnings_judged_without_walking_the_document() -> None:
    # Both of a run's calls usually have nothing to judge: the components operations reach are found only for a
    # warning to weigh (Kubernetes apps: 0.005 s a call).
    assert judge([], _Unwalkable(DOC), SPEC) == []
    with pytest.raises(AssertionError, match="was walked"):
        judge([_endpoint("Unsupported content type x")], _Unwalkable(DOC), SPEC)
