"""Retry decisions: what is sent again, how long the engine waits, and what it raises when it gives up."""

from __future__ import annotations

import email.utils
import io
import uuid

import httpx
import pytest
from runtime import _base_client
from runtime._base_client import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY
from runtime._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
)
from runtime._request import RequestOptions

from .conftest import GET, IDEMPOTENT, POST, Harness, get_kwargs, json_response


def ok() -> httpx.Response:
    # A fresh response per use: httpx binds a response to the request it answered.
    return json_response(200, {"ok": True})


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_safe_request_is_retried_after_a_retryable_status(harness: Harness, status: int) -> None:
    harness.server.reply(json_response(status, {}), ok())
    assert await harness.request(GET) == {"ok": True}
    assert len(harness.server.requests) == 2
    assert harness.clock.sleeps == [INITIAL_RETRY_DELAY]


@pytest.mark.parametrize("status", [400, 401, 404, 409, 422])
async def test_other_errors_are_not_retried(harness: Harness, status: int) -> None:
    harness.server.reply(json_response(status, {}))
    with pytest.raises(APIStatusError) as info:
        await harness.request(GET)
    assert info.value.status_code == status
    assert len(harness.server.requests) == 1 and harness.clock.sleeps == []


async def test_unsafe_write_is_not_retried_after_it_reached_the_server(harness: Harness) -> None:
    """A POST without an idempotency key may have been applied: neither a 5xx nor a read timeout is retried."""
    harness.server.reply(json_response(503, {}))
    with pytest.raises(InternalServerError):
        await harness.request(POST, get_kwargs(method="post"))
    harness.server.reply(httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        await harness.request(POST, get_kwargs(method="post"))
    assert len(harness.server.requests) == 2 and harness.clock.sleeps == []


@pytest.mark.parametrize(
    "error", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy")], ids=repr
)
async def test_unsafe_write_is_retried_when_it_was_never_sent(harness: Harness, error: Exception) -> None:
    """No connection (or none free in the pool): the request never left, so even a plain POST goes again."""
    harness.server.reply(error, ok())
    assert await harness.request(POST, get_kwargs(method="post")) == {"ok": True}
    assert len(harness.server.requests) == 2


async def test_idempotent_write_is_retried_with_the_same_key(harness: Harness) -> None:
    """The declared idempotency header is generated once per call and sent unchanged on every attempt."""
    harness.server.reply(json_response(503, {}), httpx.ReadTimeout("slow"), ok())
    client = harness.client()
    await harness.request(IDEMPOTENT, get_kwargs(method="post"), client=client)
    keys = [r.headers["idempotency-key"] for r in harness.server.requests]
    assert len(keys) == 3 and len(set(keys)) == 1
    uuid.UUID(keys[0])
    harness.server.reply(ok())
    await harness.request(IDEMPOTENT, get_kwargs(method="post"), client=client)
    assert harness.server.last.headers["idempotency-key"] != keys[0]  # a new call, a new key


async def test_callers_idempotency_key_is_kept(harness: Harness) -> None:
    """A key the caller passes (any spelling of the header) is sent as is, and no second one is added."""
    harness.server.reply(ok())
    await harness.request(IDEMPOTENT, get_kwargs(method="post", headers={"idempotency-key": "order-42"}))
    assert harness.server.last.headers.get_list("idempotency-key") == ["order-42"]


async def test_gives_up_after_max_retries_with_growing_capped_delays(harness: Harness) -> None:
    harness.server.reply(json_response(503, {}))
    with pytest.raises(InternalServerError):
        await harness.request(GET, client=harness.client(max_retries=6))
    assert len(harness.server.requests) == 7
    assert harness.clock.sleeps == [0.5, 1.0, 2.0, 4.0, MAX_RETRY_DELAY, MAX_RETRY_DELAY]


async def test_per_request_max_retries_overrides_the_clients(harness: Harness) -> None:
    harness.server.reply(json_response(503, {}))
    with pytest.raises(InternalServerError):
        await harness.request(GET, client=harness.client(max_retries=5), options=RequestOptions(max_retries=0))
    assert len(harness.server.requests) == 1


@pytest.mark.parametrize("draw", [0.0, 0.5, 0.999])
async def test_jitter_takes_off_at_most_a_quarter(harness: Harness, draw: float) -> None:
    harness.server.reply(json_response(500, {}))
    with pytest.raises(InternalServerError):
        await harness.request(GET, client=harness.client(max_retries=3, random_fn=lambda: draw))
    assert harness.clock.sleeps == pytest.approx([d * (1 - 0.25 * draw) for d in (0.5, 1.0, 2.0)])


async def test_real_jitter_stays_within_its_bounds(harness: Harness) -> None:
    """With the real random source every delay lies in (0.75 d, d] of its backoff step d."""
    harness.server.reply(json_response(500, {}))
    with pytest.raises(InternalServerError):
        await harness.request(GET, client=harness.client(max_retries=5, random_fn=None))
    for delay, step in zip(harness.clock.sleeps, (0.5, 1.0, 2.0, 4.0, 8.0), strict=True):
        assert 0.75 * step < delay <= step


@pytest.mark.parametrize(
    ("headers", "waited"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "0"}, 0.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),  # the finer one wins
        ({"retry-after-ms": "soon", "Retry-After": "2"}, 2.0),  # an unreadable one is skipped
        ({"Retry-After": f"{MAX_RETRY_AFTER:.0f}"}, MAX_RETRY_AFTER),
    ],
)
async def test_retry_after_is_waited_for(harness: Harness, headers: dict[str, str], waited: float) -> None:
    harness.server.reply(json_response(429, {}, headers=headers), ok())
    await harness.request(GET)
    assert harness.clock.sleeps == [waited]


@pytest.mark.parametrize(
    "value", [f"{MAX_RETRY_AFTER + 1:.0f}", "3600", "-5", "soon", "nan", "inf"], ids=lambda v: f"Retry-After={v}"
)
async def test_unusable_retry_after_falls_back_to_the_backoff(harness: Harness, value: str) -> None:
    """Too long, negative or unreadable: the engine waits its own backoff instead (and still retries)."""
    harness.server.reply(json_response(503, {}, headers={"Retry-After": value}), ok())
    await harness.request(GET)
    assert harness.clock.sleeps == [INITIAL_RETRY_DELAY]


@pytest.mark.parametrize(("ahead", "waited"), [(30, 30.0), (3600, INITIAL_RETRY_DELAY), (-30, INITIAL_RETRY_DELAY)])
async def test_retry_after_as_an_http_date(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, ahead: int, waited: float
) -> None:
    """An HTTP date is waited for until then; one past the cap or in the past gets the backoff."""
    now = 1_700_000_000.0
    monkeypatch.setattr(_base_client.time, "time", lambda: now)
    date = email.utils.formatdate(now + ahead, usegmt=True)
    harness.server.reply(json_response(503, {}, headers={"Retry-After": date}), ok())
    await harness.request(GET)
    assert harness.clock.sleeps == [waited]


async def test_rate_limit_error_when_the_retries_run_out(harness: Harness) -> None:
    harness.server.reply(json_response(429, {"title": "Slow down"}, headers={"Retry-After": "1"}))
    with pytest.raises(RateLimitError) as info:
        await harness.request(GET, client=harness.client(max_retries=1))
    assert info.value.status_code == 429 and harness.clock.sleeps == [1.0]


async def test_transport_failures_surface_as_connection_errors(harness: Harness) -> None:
    harness.server.reply(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as info:
        await harness.request(GET, client=harness.client(max_retries=1))
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.request is not None and info.value.request.url.path == "/v1/things/1"
    harness.server.reply(httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        await harness.request(GET, client=harness.client(max_retries=0))


async def test_a_raw_upload_is_sent_whole_on_every_attempt(harness: Harness) -> None:
    """A file object body is read once into bytes: the async engine can send it, and a retry resends it."""
    harness.server.reply(httpx.ConnectError("refused"), ok())
    payload = io.BytesIO(b"\x89PNG image bytes")
    await harness.request(POST, get_kwargs(method="post", content=payload))
    assert [r.content for r in harness.server.requests] == [b"\x89PNG image bytes"] * 2
