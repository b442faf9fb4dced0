"""fungies_client.Fungies and AsyncFungies against a mock API: keys per operation, envelopes, write safety, pages.

Each test that takes the `fg` fixture runs twice: with the blocking client and with its async twin.
"""

from __future__ import annotations

import json
from typing import Any

import fungies_client
import httpx
import pytest

from .conftest import FG_PUBLIC, FG_SECRET, Clock, Server, collect, fg_order, fg_success, json_response, resolve

ERROR_ENVELOPE = {"status": "error", "error": {"message": "Order not found"}}


async def test_orders_retrieve_sends_only_the_public_key(fg: Any, server: Server) -> None:
    """A read sends x-fngs-public-key and no secret key; the order the envelope carries is returned."""
    server.reply(json_response(200, fg_success({"order": fg_order()})))
    result = await resolve(fg().orders.retrieve("1001"))
    assert isinstance(result, fungies_client.models.Order) and result.order_number == "1001"
    assert server.last.headers["x-fngs-public-key"] == FG_PUBLIC
    assert "x-fngs-secret-key" not in server.last.headers
    assert str(server.last.url) == "https://api.fungies.io/v0/orders/1001"


@pytest.mark.parametrize(
    ("call", "data", "resource", "beside"),
    [
        ("orders", {"order": fg_order(), "subscription": {"id": "s1"}}, "Order", "subscription"),
        ("products", {"product": {"id": "p1"}, "offers": [{"id": "f1"}]}, "Product", "offers"),
        ("subscriptions", {"subscription": {"id": "s1"}, "items": [], "lastPayment": None}, "Subscription", "items"),
    ],
)
async def test_retrieve_returns_the_resource_and_the_raw_response_keeps_what_is_beside_it(
    fg: Any, server: Server, call: str, data: dict[str, Any], resource: str, beside: str
) -> None:
    """orders, products and subscriptions.retrieve return the resource, as discounts.retrieve does; the related
    objects the answer carries beside it are read from the raw response, typed by the envelope model."""
    server.reply(json_response(200, fg_success(data)))
    returned = await resolve(getattr(fg(), call).retrieve("x1"))
    assert type(returned) is getattr(fungies_client.models, resource)
    raw = await resolve(getattr(fg(), call).with_raw_response.retrieve("x1"))
    assert raw.parse() == returned
    envelope_class = getattr(fungies_client.models, f"{resource}RetrieveEnvelope")
    whole = envelope_class.from_dict(raw.json())
    assert beside in whole.data.model_fields_set
    assert whole.data.to_dict() == data


async def test_orders_cancel_sends_both_keys_and_an_empty_json_body(fg: Any, server: Server) -> None:
    """A write sends both keys; cancel's empty request body is sent as {}."""
    server.reply(json_response(200, fg_success({"order": fg_order(status="CANCELLED")})))
    result = await resolve(fg().orders.cancel("1001"))
    assert result.status == "CANCELLED"
    request = server.last
    assert request.method == "PATCH"
    assert request.headers["x-fngs-public-key"] == FG_PUBLIC
    assert request.headers["x-fngs-secret-key"] == FG_SECRET
    assert json.loads(request.read()) == {}


async def test_orders_cancel_without_secret_key_raises_before_sending(fg: Any, server: Server) -> None:
    """A write without the secret key raises MissingCredentialsError naming FUNGIES_SECRET_KEY; nothing is sent."""
    server.reply(json_response(200, fg_success({"order": fg_order()})))
    client = fg(secret_key=None)
    with pytest.raises(fungies_client.MissingCredentialsError) as info:
        await resolve(client.orders.cancel("1001"))
    assert "secret_key" in str(info.value)
    assert "FUNGIES_SECRET_KEY" in str(info.value)
    assert server.requests == []
    await resolve(client.orders.retrieve("1001"))  # reads need only the public key
    assert len(server.requests) == 1


async def test_orders_list_without_public_key_raises_before_sending(fg: Any, server: Server) -> None:
    """Every operation needs the public key."""
    server.reply(json_response(200, fg_success({"orders": []})))
    with pytest.raises(fungies_client.MissingCredentialsError, match="FUNGIES_PUBLIC_KEY"):
        await resolve(fg(public_key=None).orders.list())
    assert server.requests == []


async def test_keys_from_environment(fg: Any, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """FUNGIES_PUBLIC_KEY and FUNGIES_SECRET_KEY are read when the arguments are not given."""
    monkeypatch.setenv("FUNGIES_PUBLIC_KEY", FG_PUBLIC)
    monkeypatch.setenv("FUNGIES_SECRET_KEY", FG_SECRET)
    server.reply(json_response(200, fg_success({"order": fg_order()})))
    await resolve(fg(public_key=None, secret_key=None).orders.cancel("1001"))
    assert server.last.headers["x-fngs-secret-key"] == FG_SECRET


async def test_orders_list_error_envelope_with_200_raises(fg: Any, server: Server) -> None:
    """HTTP 200 carrying {status: "error"} raises APIStatusError with the envelope's message."""
    server.reply(json_response(200, ERROR_ENVELOPE))
    with pytest.raises(fungies_client.APIStatusError) as info:
        await resolve(fg().orders.list())
    assert info.value.status_code == 200
    assert info.value.detail == "Order not found"
    assert info.value.problem == ERROR_ENVELOPE
    assert str(info.value) == "orders.list: HTTP 200: Order not found"


ERRORS = [
    (400, fungies_client.BadRequestError),
    (401, fungies_client.AuthenticationError),
    (403, fungies_client.PermissionDeniedError),
    (404, fungies_client.NotFoundError),
    (409, fungies_client.ConflictError),
    (422, fungies_client.UnprocessableEntityError),
    (429, fungies_client.RateLimitError),
    (500, fungies_client.InternalServerError),
    (502, fungies_client.InternalServerError),
]


@pytest.mark.parametrize(("status", "error"), ERRORS, ids=[str(s) for s, _ in ERRORS])
async def test_orders_retrieve_error_status_raises_typed_envelope(
    fg: Any, server: Server, status: int, error: type[Exception]
) -> None:
    """Each error status raises its class with the envelope's message as detail."""
    response = json_response(status, ERROR_ENVELOPE, headers={"X-Request-Id": "r-9"})
    server.reply(response)
    with pytest.raises(error) as info:
        await resolve(fg(max_retries=0).orders.retrieve("1001"))
    exc = info.value
    assert type(exc) is error
    assert exc.status_code == status
    assert exc.headers["x-request-id"] == "r-9"
    assert exc.body == response.content
    assert exc.problem == ERROR_ENVELOPE
    assert exc.detail == "Order not found"
    assert exc.title is None


async def test_orders_cancel_not_retried_after_read_timeout(fg: Any, server: Server, clock: Clock) -> None:
    """A write that may have reached the server (read timeout) is not sent again."""
    server.reply(httpx.ReadTimeout("slow"), json_response(200, fg_success({"order": fg_order()})))
    with pytest.raises(fungies_client.APITimeoutError):
        await resolve(fg(max_retries=5).orders.cancel("1001"))
    assert len(server.requests) == 1
    assert clock.sleeps == []


async def test_orders_cancel_not_retried_after_server_error(fg: Any, server: Server, clock: Clock) -> None:
    """A write answered with 503 is not sent again."""
    server.reply(json_response(503, ERROR_ENVELOPE))
    with pytest.raises(fungies_client.InternalServerError):
        await resolve(fg(max_retries=5).orders.cancel("1001"))
    assert len(server.requests) == 1


async def test_orders_cancel_retried_after_connect_error(fg: Any, server: Server, clock: Clock) -> None:
    """A write whose connection was refused never left: it is retried, with backoff."""
    server.reply(
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("no route"),
        json_response(200, fg_success({"order": fg_order()})),
    )
    await resolve(fg().orders.cancel("1001"))
    assert len(server.requests) == 3
    assert clock.sleeps == [0.5, 1.0]


async def test_orders_retrieve_retried_after_read_timeout(fg: Any, server: Server, clock: Clock) -> None:
    """A read is safe to repeat: a read timeout is retried."""
    server.reply(httpx.ReadTimeout("slow"), json_response(200, fg_success({"order": fg_order()})))
    await resolve(fg().orders.retrieve("1001"))
    assert len(server.requests) == 2


async def test_orders_retrieve_retry_after_ms(fg: Any, server: Server, clock: Clock) -> None:
    """retry-after-ms takes precedence and is honoured in seconds."""
    server.reply(
        json_response(429, ERROR_ENVELOPE, headers={"retry-after-ms": "250", "Retry-After": "9"}),
        json_response(200, fg_success({"order": fg_order()})),
    )
    await resolve(fg().orders.retrieve("1001"))
    assert clock.sleeps == [0.25]


async def test_orders_retrieve_strict_body_missing_required_field_names_it(fg: Any, server: Server) -> None:
    """Strict: a success body lacking a required field raises APIResponseValidationError naming path and operation."""
    order = fg_order()
    del order["orderNumber"]
    server.reply(json_response(200, fg_success({"order": order})))
    with pytest.raises(fungies_client.APIResponseValidationError) as info:
        await resolve(fg(strict_response_validation=True).orders.retrieve("1001"))
    assert not isinstance(info.value, KeyError)
    assert info.value.field == "orderNumber"
    assert info.value.path == "data.order.orderNumber"
    assert str(info.value) == (
        "orders.retrieve (GetV0OrdersOrderIdOrNumber): the HTTP 200 body does not fit "
        "OrderRetrieveEnvelope: data.order.orderNumber: a required field is missing"
    )


def _orders_page(numbers: list[str], count: int | None) -> httpx.Response:
    return json_response(200, fg_success({"orders": [fg_order(n) for n in numbers], "count": count}))


async def test_orders_list_walks_three_pages_by_count(fg: Any, server: Server) -> None:
    """orders.list(take=2) pages with skip until `count` items were seen: three requests for five orders."""
    server.reply(_orders_page(["1", "2"], 5), _orders_page(["3", "4"], 5), _orders_page(["5"], 5))
    orders = await collect(fg().orders.list(take=2, return_count=True))
    assert [o.order_number for o in orders] == ["1", "2", "3", "4", "5"]
    assert [r.url.params.get("skip") for r in server.requests] == [None, "2", "4"]
    assert {r.url.params["take"] for r in server.requests} == {"2"}


async def test_orders_list_stops_at_count_even_on_a_full_page(fg: Any, server: Server) -> None:
    """When the last page is full but `count` is reached, no further request is made."""
    server.reply(_orders_page(["1", "2"], 4), _orders_page(["3", "4"], 4), _orders_page(["never"], 4))
    orders = await collect(fg().orders.list(take=2))
    assert len(orders) == 4
    assert len(server.requests) == 2


async def test_orders_list_without_count_stops_on_a_short_page(fg: Any, server: Server) -> None:
    """Without a count, a page shorter than `take` is the last."""
    server.reply(_orders_page(["1", "2"], None), _orders_page(["3", "4"], None), _orders_page(["5"], None))
    orders = await collect(fg().orders.list(take=2))
    assert len(orders) == 5
    assert len(server.requests) == 3


def _subscription(sub_id: str) -> dict[str, Any]:
    return {"id": sub_id}


async def test_subscriptions_list_follows_the_next_cursor(fg: Any, server: Server) -> None:
    """subscriptions.list pages with the returned cursor until hasMore is false."""
    pages = [
        fg_success({"subscriptions": [], "cursor": "c2", "hasMore": True}),
        fg_success({"subscriptions": [], "cursor": "c3", "hasMore": True}),
        fg_success({"subscriptions": [], "cursor": None, "hasMore": False}),
    ]
    server.reply(*(json_response(200, p) for p in pages))
    items = await collect(fg().subscriptions.list(take=10))
    assert items == []
    assert [r.url.params.get("cursor") for r in server.requests] == [None, "c2", "c3"]


async def test_orders_list_raw_response_is_the_first_page(fg: Any, server: Server) -> None:
    """with_raw_response.list makes one request; parse() is the first page (as the method returns), json() the body."""
    server.reply(_orders_page(["1", "2"], 9))
    raw = await resolve(fg().orders.with_raw_response.list(take=2))
    assert raw.status_code == 200
    assert raw.json()["data"]["count"] == 9
    page = raw.parse()
    assert [o.order_number for o in page.items] == ["1", "2"]
    assert page.has_next_page()
    assert len(server.requests) == 1


def test_client_repr_and_defaults() -> None:
    """base_url comes from the spec's server; the repr says which keys are set, never their values."""
    client = fungies_client.Fungies(public_key=FG_PUBLIC)
    assert client.base_url == "https://api.fungies.io"
    assert repr(client) == "Fungies(base_url='https://api.fungies.io', public_key=<set>, secret_key=None)"
