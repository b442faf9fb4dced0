"""What an error says (templates/runtime/_exceptions.py): title, detail, each field's errors and the request id."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .surface_runtime import runtime_module

exceptions = runtime_module("_exceptions")

VALIDATION = {
    "type": "https://api.cnaught.com/v1/errors/invalid-parameters",
    "title": "Your request parameters didn't validate",
    "status": 400,
    "errors": {
        "amount_kg": ["The field amount_kg must be a positive number."],
        "portfolio_id": ["Unknown portfolio.", "Or not yours."],
    },
}


def _error(status: int, body: Any, headers: dict[str, str] | None = None) -> Any:
    response = httpx.Response(status, json=body, headers=headers, request=httpx.Request("POST", "https://x/orders"))
    return exceptions.make_status_error(response, operation="orders.create")


def test_a_validation_problem_names_each_field_and_its_errors() -> None:
    err = _error(400, VALIDATION)
    assert str(err) == (
        "orders.create: HTTP 400: Your request parameters didn't validate; "
        "amount_kg: The field amount_kg must be a positive number.; portfolio_id: Unknown portfolio. Or not yours."
    )
    assert err.errors == VALIDATION["errors"]
    assert err.request_id is None


@pytest.mark.parametrize("header", ["X-Request-Id", "request-id"])
def test_the_request_id_header_is_an_attribute_and_in_the_message(header: str) -> None:
    err = _error(404, {"title": "Could not find order", "status": 404}, {header: "req_123"})
    assert err.request_id == "req_123"
    assert str(err) == "orders.create: HTTP 404: Could not find order (request id: req_123)"


def test_a_trace_id_in_the_problem_is_the_request_id_when_no_header_says() -> None:
    """ASP.NET Core (CNaught's problem details have its shape) puts `traceId` in every problem."""
    err = _error(400, {**VALIDATION, "errors": {}, "traceId": "00-abc-01"})
    assert err.request_id == "00-abc-01"
    assert str(err).endswith("didn't validate (request id: 00-abc-01)")


def test_an_error_envelope_says_its_message() -> None:
    """Fungies `{status: error, error: {message}}`: the message names the field itself."""
    err = _error(400, {"status": "error", "error": {"message": "body.amount: Expected number, received string"}})
    assert str(err) == "orders.create: HTTP 400: body.amount: Expected number, received string"
