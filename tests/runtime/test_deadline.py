"""The timeout bounds each attempt as a whole: an answer dripping one byte at a time cannot outlive it.

A real server on 127.0.0.1 drips its body (or its status line and headers too) a byte every 0.1 s; each
socket read returns in time, so only a deadline over the whole attempt stops it. What is checked is the
outcome and how little of the answer the server got to send, never how long anything took.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from runtime._base_client import _budget
from runtime._exceptions import APITimeoutError
from runtime._request import RequestOptions

from sdkpipeline.testing.faultserver import Reply, running

from .conftest import GET, Harness, get_kwargs

TIMEOUT = 0.5
DRIP = 0.1  # seconds a byte: the 60-byte body alone takes 6 s, twelve times the timeout
BODY = b'{"id": "' + b"x" * 50 + b'"}'


async def _call(harness: Harness, reply: Reply, *, options: RequestOptions | None = None, **kwargs: Any) -> int:
    """The body bytes the server sent before the call ended (it must end in APITimeoutError)."""
    with running(lambda seen: reply) as server:
        client = harness.live_client(server.url, **{"timeout": TIMEOUT, "max_retries": 0, **kwargs})
        try:
            with pytest.raises(APITimeoutError) as info:
                await harness.request(GET, get_kwargs(), client=client, options=options)
        finally:
            await harness.close(client)
        assert str(info.value) == (
            f"Request timed out: the attempt took longer than its timeout ({TIMEOUT:g} s in all, however slowly "
            "the server sent its answer)"
        )
        return server.body_bytes_sent


@pytest.mark.parametrize("headers", [False, True], ids=["body", "status line and headers"])
async def test_a_dripping_answer_ends_at_the_timeout(harness: Harness, headers: bool) -> None:
    sent = await _call(harness, Reply(body=BODY, drip=DRIP, drip_headers=headers))
    assert sent < len(BODY)


async def test_a_per_call_timeout_is_the_deadline_too(harness: Harness) -> None:
    options = RequestOptions(timeout=TIMEOUT)
    assert await _call(harness, Reply(body=BODY, drip=DRIP), options=options, timeout=60.0) < len(BODY)


async def test_each_retried_attempt_has_a_deadline_of_its_own(harness: Harness) -> None:
    """A read is retried after the deadline, as after any timeout; each attempt gets the whole timeout."""
    with running(lambda seen: Reply(body=BODY, drip=DRIP)) as server:
        client = harness.live_client(server.url, timeout=TIMEOUT, max_retries=1)
        try:
            with pytest.raises(APITimeoutError):
                await harness.request(GET, get_kwargs(), client=client)
        finally:
            await harness.close(client)
        assert server.requests == 2
        assert harness.clock.sleeps == [0.5]  # the backoff between the two attempts


async def test_a_callers_http_client_has_the_deadline_checked_between_chunks(harness: Harness) -> None:
    """An http_client of the caller's keeps its own transport: the body is still cut off at the deadline."""
    http: httpx.Client | httpx.AsyncClient = (
        httpx.AsyncClient(timeout=TIMEOUT) if harness.engine == "async" else httpx.Client(timeout=TIMEOUT)
    )
    try:
        assert await _call(harness, Reply(body=BODY, drip=DRIP), http_client=http) < len(BODY)
    finally:
        if isinstance(http, httpx.AsyncClient):
            await http.aclose()
        else:
            http.close()


@pytest.mark.parametrize(
    ("timeout", "budget"),
    [
        (5.0, 5.0),
        (httpx.Timeout(60.0, connect=5.0), 60.0),  # the SDK's default: the largest part
        (httpx.Timeout(10.0, connect=30.0), 30.0),
        (None, None),
        (httpx.Timeout(None), None),
    ],
)
def test_the_budget_of_an_attempt_is_the_timeout_or_its_largest_part(
    timeout: float | httpx.Timeout | None, budget: float | None
) -> None:
    assert _budget(timeout) == budget
