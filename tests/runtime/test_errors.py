"""Error mapping: the exception class and message per status, the success envelope, the documented statuses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from runtime._exceptions import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    make_status_error,
)
from runtime._models import Model, Responses, as_model

from .conftest import Harness, get_kwargs, json_response, operation

PROBLEM = "application/problem+json"
# The package README's table: status → exception class.
BY_STATUS = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (503, InternalServerError),
    (418, APIStatusError),
    (402, APIStatusError),
]
ENVELOPED = operation(name="orders.list", operation_id="ListOrders", method="GET", success_status="success")


def _response(status: int, content: bytes = b"", content_type: str = "application/json") -> httpx.Response:
    request = httpx.Request("GET", "https://api.test/v1/things/1")
    return httpx.Response(status, content=content, headers={"Content-Type": content_type}, request=request)


@pytest.mark.parametrize(("status", "cls"), BY_STATUS)
def test_each_status_has_its_class(status: int, cls: type[APIStatusError]) -> None:
    error = make_status_error(_response(status, b'{"title": "T"}'), operation="things.retrieve")
    assert type(error) is cls
    assert error.status_code == status and error.body == b'{"title": "T"}'
    assert error.request is not None and error.request.url.path == "/v1/things/1"


def test_problem_details_make_the_message_and_properties() -> None:
    body = b'{"type": "https://err/invalid", "title": "Invalid", "detail": "amount_kg", "errors": {"amount_kg": ["x"]}}'
    error = make_status_error(_response(422, body, PROBLEM), operation="orders.create")
    assert str(error) == "orders.create: HTTP 422: Invalid: amount_kg; amount_kg: x"
    assert (error.title, error.detail, error.type) == ("Invalid", "amount_kg", "https://err/invalid")
    assert error.errors == {"amount_kg": ["x"]}
    assert (
        repr(error) == "UnprocessableEntityError(status_code=422, "
        "message='orders.create: HTTP 422: Invalid: amount_kg; amount_kg: x')"
    )


@pytest.mark.parametrize(
    ("body", "message", "detail"),
    [
        (b'{"status": "error", "error": {"message": "No such order"}}', "No such order", "No such order"),
        (b'{"title": "Gone", "details": "since May"}', "Gone: since May", "since May"),
        (b'{"message": "plain"}', "plain", None),
        (b"<html>oops</html>", "Not Found", None),  # not JSON: the reason phrase
        (b"", "Not Found", None),
        (b'["a", "list"]', "Not Found", None),
    ],
)
def test_message_from_any_error_shape(body: bytes, message: str, detail: str | None) -> None:
    error = make_status_error(_response(404, body), operation="orders.retrieve")
    assert str(error) == f"orders.retrieve: HTTP 404: {message}"
    assert error.detail == detail
    assert error.errors is None


class Thing(Model):
    """A model as the templates write it, that records each body it reads."""

    id: str
    amount: int | None = None
    detail: Detail | None = None

    def _fill(self, data: dict[str, Any]) -> int:
        READ.append(data)
        self.id = data["id"]
        read = 1
        if "amount" in data:
            self.amount = data["amount"]
            read += 1
        if "detail" in data:
            self.detail = as_model(Detail, data["detail"])
            read += 1
        return read


class Detail(Model):
    note: str | None = None

    def _fill(self, data: dict[str, Any]) -> int:
        read = 0
        if "note" in data:
            self.note = data["note"]
            read += 1
        return read


READ: list[Any] = []
THING: Responses = ((200, 200, "json", Thing),)


async def test_error_status_raises_before_parsing(harness: Harness) -> None:
    READ.clear()
    harness.server.reply(json_response(409, {"title": "Conflict"}))
    with pytest.raises(ConflictError):
        await harness.request(ENVELOPED, responses=THING)
    assert READ == []


@pytest.mark.parametrize("status", ["error", "failed", None])
async def test_success_status_with_an_error_envelope_raises(harness: Harness, status: str | None) -> None:
    """A 200 whose envelope says anything but the operation's success value is an error."""
    harness.server.reply(json_response(200, {"status": status, "error": {"message": "Invalid filter"}}))
    with pytest.raises(APIStatusError) as info:
        await harness.request(ENVELOPED)
    assert info.value.status_code == 200 and info.value.detail == "Invalid filter"
    assert str(info.value) == "orders.list: HTTP 200: Invalid filter"


@pytest.mark.parametrize("body", [{"status": "success", "data": []}, {"data": []}, ["no", "envelope"], None])
async def test_success_envelope_or_none_passes(harness: Harness, body: Any) -> None:
    harness.server.reply(json_response(200, body))
    assert await harness.request(ENVELOPED) == body


async def test_without_a_success_value_the_status_field_is_data(harness: Harness) -> None:
    """An operation with no envelope may return a `status` field of its own (an order's state)."""
    plain = operation(name="orders.retrieve", operation_id="GetOrder", method="GET")
    harness.server.reply(json_response(200, {"status": "cancelled"}))
    assert await harness.request(plain) == {"status": "cancelled"}


async def test_undocumented_success_status_reads_as_the_documented_success(harness: Harness) -> None:
    """A 202 to a write documented as 201 is the write accepted: its body reads as the 201 type."""
    documented: Responses = ((201, 201, "json", Any),)
    create = operation(name="orders.create", operation_id="CreateOrder", method="POST")
    harness.server.reply(json_response(202, {"id": "1"}))
    assert await harness.request(create, get_kwargs(method="post"), responses=documented) == {"id": "1"}


async def test_no_documented_statuses_means_any_success(harness: Harness) -> None:
    harness.server.reply(json_response(202, {"id": "1"}))
    assert await harness.request(operation(name="o.c", operation_id="C", method="POST")) == {"id": "1"}


async def test_parser_errors_name_the_operation_and_the_path(harness: Harness) -> None:
    """A read whose body cannot be represented, and (strict) one that lacks a required field, are validation
    errors naming the operation and the JSON path; lenient, the missing field is left unset."""
    harness.server.reply(json_response(200, {"id": "1", "detail": ["not", "an", "object"]}))
    with pytest.raises(APIResponseValidationError) as info:
        await harness.request(ENVELOPED, responses=THING)
    assert (info.value.path, info.value.field) == ("detail", "detail")
    assert str(info.value) == (
        "orders.list (ListOrders): the HTTP 200 body does not fit Thing: "
        "detail: expected an object (Detail), got a list"
    )
    harness.server.reply(json_response(200, {"amount": "ten"}))
    thing = await harness.request(ENVELOPED, responses=THING)
    assert thing.amount == "ten" and "id" not in thing.to_dict()
    with pytest.raises(APIResponseValidationError) as info:
        await harness.request(ENVELOPED, responses=THING, client=harness.client(strict_response_validation=True))
    assert info.value.path == "id"
    assert "id: a required field is missing; amount: expected an integer, got a string" in str(info.value)
