"""cnaught_client.CNaught and AsyncCNaught against a mock API: auth, idempotency, retries, errors, pages, raw access.

Each test that takes the `cn` fixture runs twice: with the blocking client and with its async twin.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import cnaught_client
import httpx
import pytest
from cnaught_client.models import Order

from .conftest import CN_KEY, Clock, SeenObjects, Server, cn_order, collect, json_response, resolve

PROBLEM = "application/problem+json"


async def test_orders_cancel_sends_bearer_and_returns_the_order(cn: Any, server: Server) -> None:
    """orders.cancel(id) POSTs to /orders/{id}/cancel with the bearer key and returns the parsed Order."""
    server.reply(json_response(200, cn_order(state="cancelled")))
    order = await resolve(cn().orders.cancel("Gre28Fc35bt3"))
    assert isinstance(order, Order)
    assert order.id == "Gre28Fc35bt3"
    assert order.state.value == "cancelled"
    assert server.last.method == "POST"
    assert str(server.last.url) == "https://api.cnaught.com/v1/orders/Gre28Fc35bt3/cancel"
    assert server.last.headers["authorization"] == f"Bearer {CN_KEY}"


async def test_orders_cancel_same_idempotency_key_on_every_attempt(cn: Any, server: Server, clock: Clock) -> None:
    """A retried POST carries one generated Idempotency-Key on all attempts; backoff doubles from 0.5 s."""
    server.reply(json_response(500, {}), json_response(503, {}), json_response(200, cn_order()))
    await resolve(cn().orders.cancel("Gre28Fc35bt3"))
    keys = [r.headers["idempotency-key"] for r in server.requests]
    assert len(keys) == 3
    assert len(set(keys)) == 1
    uuid.UUID(keys[0])
    assert clock.sleeps == [0.5, 1.0]


async def test_orders_cancel_fresh_idempotency_key_per_call(cn: Any, server: Server) -> None:
    """Two calls get two different Idempotency-Keys."""
    server.reply(json_response(200, cn_order()))
    client = cn()
    await resolve(client.orders.cancel("a"))
    await resolve(client.orders.cancel("b"))
    first, second = (r.headers["idempotency-key"] for r in server.requests)
    assert first != second


async def test_orders_cancel_keeps_the_callers_idempotency_key(cn: Any, server: Server) -> None:
    """An idempotency_key given by the caller is sent as is on every attempt."""
    server.reply(json_response(502, {}), json_response(200, cn_order()))
    await resolve(cn().orders.cancel("a", idempotency_key="order-42-cancel"))
    assert [r.headers["idempotency-key"] for r in server.requests] == ["order-42-cancel", "order-42-cancel"]


async def test_orders_cancel_subaccount_id_goes_in_the_spec_header(cn: Any, server: Server) -> None:
    """subaccount_id is sent as the spec's X-Subaccount-Id header; extra_headers are added."""
    server.reply(json_response(200, cn_order()))
    await resolve(cn().orders.cancel("a", subaccount_id="5nubL0NS", extra_headers={"X-Trace": "t1"}))
    assert server.last.headers["x-subaccount-id"] == "5nubL0NS"
    assert server.last.headers["x-trace"] == "t1"


async def test_orders_retrieve_honours_retry_after(cn: Any, server: Server, clock: Clock) -> None:
    """A 429 with Retry-After: 3 waits 3 s (not the backoff) and then succeeds."""
    server.reply(json_response(429, {}, headers={"Retry-After": "3"}), json_response(200, cn_order()))
    order = await resolve(cn().orders.retrieve("a"))
    assert order.id == "Gre28Fc35bt3"
    assert clock.sleeps == [3.0]
    assert len(server.requests) == 2


async def test_orders_retrieve_ignores_a_retry_after_over_a_minute(cn: Any, server: Server, clock: Clock) -> None:
    """A Retry-After beyond 60 s falls back to the exponential backoff."""
    server.reply(json_response(503, {}, headers={"Retry-After": "3600"}), json_response(200, cn_order()))
    await resolve(cn().orders.retrieve("a"))
    assert clock.sleeps == [0.5]


async def test_orders_retrieve_gives_up_after_max_retries(cn: Any, server: Server, clock: Clock) -> None:
    """max_retries=3 means 4 attempts with delays 0.5, 1 and 2 s between them, then InternalServerError."""
    server.reply(json_response(503, {"title": "Service Unavailable", "status": 503}, ctype=PROBLEM))
    with pytest.raises(cnaught_client.InternalServerError) as info:
        await resolve(cn(max_retries=3).orders.retrieve("a"))
    assert info.value.status_code == 503
    assert len(server.requests) == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]


async def test_orders_retrieve_backoff_is_capped_and_jittered(cn: Any, server: Server, clock: Clock) -> None:
    """Delays stop growing at 8 s and jitter takes off up to a quarter (random()=1.0 → ×0.75)."""
    server.reply(json_response(500, {}))
    with pytest.raises(cnaught_client.InternalServerError):
        await resolve(cn(max_retries=6, _random=lambda: 1.0).orders.retrieve("a"))
    assert clock.sleeps == [0.375, 0.75, 1.5, 3.0, 6.0, 6.0]


async def test_orders_retrieve_per_request_max_retries(cn: Any, server: Server, clock: Clock) -> None:
    """max_retries passed to one call overrides the client's."""
    server.reply(json_response(500, {}))
    with pytest.raises(cnaught_client.InternalServerError):
        await resolve(cn(max_retries=5).orders.retrieve("a", max_retries=1))
    assert len(server.requests) == 2


async def test_orders_retrieve_retried_after_read_timeout(cn: Any, server: Server, clock: Clock) -> None:
    """A GET is safe: a read timeout is retried."""
    server.reply(httpx.ReadTimeout("slow"), json_response(200, cn_order()))
    await resolve(cn().orders.retrieve("a"))
    assert len(server.requests) == 2
    assert clock.sleeps == [0.5]


async def test_orders_retrieve_timeout_raises_api_timeout_error(cn: Any, server: Server) -> None:
    """When the retries are used up a timeout surfaces as APITimeoutError (an APIConnectionError)."""
    server.reply(httpx.ReadTimeout("slow"))
    with pytest.raises(cnaught_client.APITimeoutError) as info:
        await resolve(cn(max_retries=1).orders.retrieve("a"))
    assert isinstance(info.value, cnaught_client.APIConnectionError)
    assert len(server.requests) == 2


async def test_orders_retrieve_connection_error(cn: Any, server: Server) -> None:
    """A refused connection surfaces as APIConnectionError after the retries."""
    server.reply(httpx.ConnectError("refused"))
    with pytest.raises(cnaught_client.APIConnectionError) as info:
        await resolve(cn(max_retries=2).orders.retrieve("a"))
    assert not isinstance(info.value, cnaught_client.APITimeoutError)
    assert len(server.requests) == 3


async def test_quotes_flight_not_retried_after_a_server_error(cn: Any, server: Server, clock: Clock) -> None:
    """A POST the spec gives no Idempotency-Key may have been applied: a 5xx is not retried."""
    server.reply(json_response(503, {}))
    with pytest.raises(cnaught_client.InternalServerError):
        await resolve(cn().quotes.flight(distance_km=100.0))
    assert len(server.requests) == 1
    assert clock.sleeps == []


async def test_orders_retrieve_per_request_timeout(cn: Any, server: Server) -> None:
    """timeout= on one call becomes that request's httpx timeout."""
    server.reply(json_response(200, cn_order()))
    await resolve(cn().orders.retrieve("a", timeout=1.5))
    assert server.last.extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}


ERRORS = [
    (400, cnaught_client.BadRequestError),
    (401, cnaught_client.AuthenticationError),
    (403, cnaught_client.PermissionDeniedError),
    (404, cnaught_client.NotFoundError),
    (409, cnaught_client.ConflictError),
    (422, cnaught_client.UnprocessableEntityError),
    (429, cnaught_client.RateLimitError),
    (500, cnaught_client.InternalServerError),
    (503, cnaught_client.InternalServerError),
    (418, cnaught_client.APIStatusError),
]


@pytest.mark.parametrize(("status", "error"), ERRORS, ids=[str(s) for s, _ in ERRORS])
async def test_orders_cancel_error_status_raises_typed_problem(
    cn: Any, server: Server, status: int, error: type[Exception]
) -> None:
    """Each error status raises its class carrying status, headers, raw body and the parsed problem."""
    problem = {
        "type": f"https://api.cnaught.com/v1/errors/e{status}",
        "title": f"Problem {status}",
        "detail": "what went wrong",
        "status": status,
    }
    response = json_response(status, problem, headers={"X-Request-Id": "req-1"}, ctype=PROBLEM)
    server.reply(response)
    with pytest.raises(error) as info:
        await resolve(cn(max_retries=0).orders.cancel("a"))
    exc = info.value
    assert type(exc) is error
    assert isinstance(exc, cnaught_client.APIError)
    assert exc.status_code == status
    assert exc.headers["x-request-id"] == "req-1"
    assert exc.body == response.content
    assert exc.problem == problem
    assert exc.title == f"Problem {status}"
    assert exc.detail == "what went wrong"
    assert exc.type == f"https://api.cnaught.com/v1/errors/e{status}"
    assert str(exc) == f"orders.cancel: HTTP {status}: Problem {status}: what went wrong (request id: req-1)"


async def test_orders_create_validation_problem_lists_field_errors(cn: Any, server: Server) -> None:
    """A 400 validation problem exposes `errors` by field and the vendor's `details` as detail."""
    problem = {
        "type": "https://api.cnaught.com/v1/errors/invalid-parameters",
        "title": "Your request parameters didn't validate",
        "details": "amount_kg is invalid",
        "status": 400,
        "errors": {"amount_kg": ["The field amount_kg must be a positive number."]},
    }
    server.reply(json_response(400, problem, ctype=PROBLEM))
    body = cnaught_client.models.GenericOrderByAmountParameters(amount_kg=-1)
    with pytest.raises(cnaught_client.BadRequestError) as info:
        await resolve(cn().orders.create(body=body))
    assert info.value.errors == {"amount_kg": ["The field amount_kg must be a positive number."]}
    assert info.value.detail == "amount_kg is invalid"
    assert json.loads(server.last.read()) == {"amount_kg": -1}


async def test_orders_retrieve_strict_body_not_matching_schema_names_operation_and_value(
    cn: Any, server: Server
) -> None:
    """Strict: a 200 body with a value outside its enum raises APIResponseValidationError, not a bare ValueError."""
    server.reply(json_response(200, cn_order(state="exploded")))
    with pytest.raises(cnaught_client.APIResponseValidationError) as info:
        await resolve(cn(strict_response_validation=True).orders.retrieve("a"))
    assert not isinstance(info.value, ValueError)
    assert info.value.operation == "orders.retrieve"
    assert info.value.path == "state"
    assert "orders.retrieve (GetOrderById)" in str(info.value)
    assert "'exploded'" in str(info.value)


async def test_orders_retrieve_undocumented_status_without_a_body_is_a_validation_error(
    cn: Any, server: Server
) -> None:
    """A read answered 2xx with no body is reported (the body, not the status, is what does not fit)."""
    server.reply(httpx.Response(202))
    with pytest.raises(
        cnaught_client.APIResponseValidationError,
        match=r"HTTP 202 body does not fit Order: the body: expected an object, got nothing",
    ):
        await resolve(cn().orders.retrieve("a"))


async def test_orders_cancel_raw_response_shows_replay_header(cn: Any, server: Server) -> None:
    """with_raw_response gives status, headers (X-Idempotent-Replay), body and the parsed model on demand."""
    server.reply(
        json_response(503, {}), json_response(200, cn_order(state="cancelled"), headers={"X-Idempotent-Replay": "true"})
    )
    raw = await resolve(cn().orders.with_raw_response.cancel("a"))
    assert isinstance(raw, cnaught_client.APIResponse)
    assert raw.status_code == 200
    assert raw.headers["X-Idempotent-Replay"] == "true"
    assert raw.json()["state"] == "cancelled"
    assert raw.retries_taken == 1
    assert raw.parse().state.value == "cancelled"
    assert repr(raw) == "<APIResponse [200] orders.cancel>"


async def test_orders_raw_response_still_raises_on_errors(cn: Any, server: Server) -> None:
    """Raw access does not swallow errors."""
    server.reply(json_response(404, {"title": "Could not find order", "status": 404}, ctype=PROBLEM))
    with pytest.raises(cnaught_client.NotFoundError):
        await resolve(cn().orders.with_raw_response.retrieve("a"))


def _page(*ids: str) -> httpx.Response:
    return json_response(200, {"data": [cn_order(i) for i in ids]})


async def test_orders_list_walks_three_pages(cn: Any, server: Server) -> None:
    """Iterating orders.list(limit=2) follows starting_after over three pages and stops at the short one."""
    server.reply(_page("o1", "o2"), _page("o3", "o4"), _page("o5"))
    orders = await collect(cn().orders.list(limit=2))
    assert [o.id for o in orders] == ["o1", "o2", "o3", "o4", "o5"]
    assert [dict(r.url.params) for r in server.requests] == [
        {"limit": "2"},
        {"limit": "2", "starting_after": "o2"},
        {"limit": "2", "starting_after": "o4"},
    ]


async def test_orders_list_stops_on_an_empty_page(cn: Any, server: Server) -> None:
    """A full last page is followed by one empty page, and iteration ends there."""
    server.reply(_page("o1", "o2"), _page())
    orders = await collect(cn().orders.list(limit=2))
    assert [o.id for o in orders] == ["o1", "o2"]
    assert len(server.requests) == 2


async def test_orders_list_default_page_size_comes_from_the_spec(cn: Any, server: Server) -> None:
    """Without limit the spec's default (20) decides: a page of 20 asks for more, one of 3 ends the walk."""
    server.reply(_page(*[f"a{i}" for i in range(20)]), _page("b1", "b2", "b3"))
    orders = await collect(cn().orders.list())
    assert len(orders) == 23
    assert dict(server.requests[1].url.params)["starting_after"] == "a19"


def test_orders_list_first_page_and_next_page(make_cn: Any, server: Server) -> None:
    """The returned page holds the first page's items; next_page() fetches exactly one more."""
    server.reply(_page("o1", "o2"), _page("o3"))
    page = make_cn().orders.list(limit=2)
    assert [o.id for o in page.items] == ["o1", "o2"]
    assert page.has_next_page()
    following = page.next_page()
    assert following is not None
    assert [o.id for o in following.items] == ["o3"]
    assert following.next_page() is None
    assert len(server.requests) == 2


async def test_async_orders_list_await_gives_first_page(make_acn: Any, server: Server) -> None:
    """Awaiting the async list gives the first page; its next_page() is awaitable."""
    server.reply(_page("o1", "o2"), _page("o3"))
    page = await make_acn().orders.list(limit=2)
    assert [o.id for o in page.items] == ["o1", "o2"]
    following = await page.next_page()
    assert [o.id for o in following.items] == ["o3"]
    assert await following.next_page() is None


async def test_missing_api_key_raises_before_sending(cn: Any, server: Server) -> None:
    """Without api_key or CNAUGHT_API_KEY a call raises MissingCredentialsError and sends nothing."""
    server.reply(json_response(200, cn_order()))
    with pytest.raises(cnaught_client.MissingCredentialsError, match="CNAUGHT_API_KEY"):
        await resolve(cn(api_key=None).orders.retrieve("a"))
    assert server.requests == []


async def test_api_key_and_base_url_from_environment(cn: Any, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """CNAUGHT_API_KEY and CNAUGHT_BASE_URL are read when the arguments are not given."""
    monkeypatch.setenv("CNAUGHT_API_KEY", CN_KEY)
    monkeypatch.setenv("CNAUGHT_BASE_URL", "https://sandbox.test/v1")
    server.reply(json_response(200, cn_order()))
    await resolve(cn(api_key=None).orders.retrieve("a"))
    assert server.last.headers["authorization"] == f"Bearer {CN_KEY}"
    assert str(server.last.url) == "https://sandbox.test/v1/orders/a"


def test_client_defaults_come_from_the_spec() -> None:
    """base_url defaults to the spec's server; the repr shows no key."""
    client = cnaught_client.CNaught(api_key=CN_KEY)
    assert client.base_url == "https://api.cnaught.com/v1"
    assert repr(client) == "CNaught(base_url='https://api.cnaught.com/v1', api_key=<set>)"
    assert client.max_retries == 2
    client.close()


def test_close_leaves_a_given_http_client_open_and_closes_its_own() -> None:
    """close() closes the pool the client made, never one passed in as http_client."""
    given = httpx.Client()
    with cnaught_client.CNaught(api_key=CN_KEY, http_client=given) as client:
        assert client.http_client is given
    assert not given.is_closed
    own = cnaught_client.CNaught(api_key=CN_KEY)
    pool = own.http_client
    own.close()
    assert pool.is_closed
    given.close()


def test_with_options_shares_keys_and_pool(make_cn: Any, server: Server) -> None:
    """with_options() returns a client with the same key and pool and other defaults."""
    server.reply(json_response(500, {}))
    client = make_cn(max_retries=4)
    other = client.with_options(max_retries=0, default_headers={"X-Env": "test"})
    assert other.http_client is client.http_client
    with pytest.raises(cnaught_client.InternalServerError):
        other.orders.retrieve("a")
    assert len(server.requests) == 1
    assert server.last.headers["x-env"] == "test"
    assert server.last.headers["authorization"] == f"Bearer {CN_KEY}"


async def test_requests_and_retries_are_logged_at_debug_with_keys_redacted(
    cn: Any, server: Server, secret_scan: SeenObjects
) -> None:
    """The package logger records each attempt at DEBUG and each retry at INFO; the Authorization value is redacted."""
    server.reply(json_response(503, {}), json_response(200, cn_order()))
    await resolve(cn().orders.retrieve("a"))
    records = [r for r in secret_scan.records if r.name == "cnaught_client"]
    messages = [r.getMessage() for r in records]
    levels = {r.levelno for r in records if r.getMessage().startswith("retrying")}
    assert levels == {logging.INFO}
    assert all(r.levelno == logging.DEBUG for r in records if not r.getMessage().startswith("retrying"))
    assert any(m.startswith("request GET https://api.cnaught.com/v1/orders/a attempt 1") for m in messages)
    assert any(m.startswith("retrying orders.retrieve in 0.500s after HTTP 503") for m in messages)
    assert any("'authorization': '<redacted>'" in m for m in messages)
