"""The engine's own surface: raw responses, per-request options, default headers, and who closes the pool."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from runtime._base_client import NOT_GIVEN, NotGiven
from runtime._exceptions import ClientClosedError, NotFoundError
from runtime._models import Model
from runtime._request import RequestOptions
from runtime._response import APIResponse

from sdkpipeline.testing.faultserver import Reply, running

from .conftest import GET, IDEMPOTENT, AsyncClient, Client, Harness, get_kwargs, json_response


async def test_raw_response_parses_once_on_demand(harness: Harness) -> None:
    calls: list[int] = []

    class Parsed(Model):
        id: str

        def _fill(self, data: dict[str, Any]) -> int:
            calls.append(200)
            self.id = data["id"]
            return 1

    harness.server.reply(json_response(503, {}), json_response(200, {"id": "1"}, headers={"X-Request-Id": "r1"}))
    raw = await harness.request_raw(GET, responses=((200, 200, "json", Parsed),))
    assert isinstance(raw, APIResponse) and calls == []  # nothing parsed until asked
    assert (raw.status_code, raw.headers["x-request-id"], raw.retries_taken) == (200, "r1", 1)
    assert (raw.content, raw.text, raw.json()) == (b'{"id":"1"}', '{"id":"1"}', {"id": "1"})
    assert raw.request.url == "https://api.test/v1/things/1"
    assert raw.operation is GET and repr(raw) == "<APIResponse [200] things.retrieve>"
    assert raw.parse() == Parsed(id="1")
    assert raw.parse() is raw.parse() and calls == [200]


async def test_raw_response_still_raises_on_an_error_status(harness: Harness) -> None:
    harness.server.reply(json_response(404, {"title": "Not Found"}))
    with pytest.raises(NotFoundError, match=r"things\.retrieve: HTTP 404: Not Found"):
        await harness.request_raw(GET)


async def test_headers_options_and_defaults_are_combined(harness: Harness) -> None:
    """User agent and default headers, the operation's headers, the key, then extra_headers over them all."""
    harness.server.reply(json_response(200, {}))
    client = harness.client(default_headers={"X-Team": "a", "X-Trace": "default"})
    options = RequestOptions(extra_headers={"X-Trace": "t1", "X-Op": "extra"})
    await harness.request(GET, get_kwargs(headers={"X-Op": "op", "X-Count": 3}), client=client, options=options)
    sent = harness.server.last.headers
    assert sent["user-agent"] == "runtime-tests/1.0" and sent["x-team"] == "a"
    assert (sent["x-trace"], sent["x-op"], sent["x-count"]) == ("t1", "extra", "3")
    assert str(harness.server.last.url) == "https://api.test/v1/things/1"  # the base URL's slash is not doubled


async def test_extra_headers_can_set_the_idempotency_key(harness: Harness) -> None:
    harness.server.reply(json_response(200, {}))
    await harness.request(
        IDEMPOTENT, get_kwargs(method="post"), options=RequestOptions(extra_headers={"Idempotency-Key": "k1"})
    )
    assert harness.server.last.headers.get_list("idempotency-key") == ["k1"]


async def test_per_request_timeout_overrides_the_clients(harness: Harness) -> None:
    harness.server.reply(json_response(200, {}))
    client = harness.client(timeout=20.0)
    await harness.request(GET, client=client)
    assert harness.server.last.extensions["timeout"]["read"] == 20.0
    await harness.request(GET, client=client, options=RequestOptions(timeout=1.5))
    assert harness.server.last.extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}


def test_negative_max_retries_is_refused(harness: Harness) -> None:
    with pytest.raises(ValueError, match="max_retries must be 0 or more, not -1"):
        harness.client(max_retries=-1)


def _engine(cls: type[Client] | type[AsyncClient], http_client: Any = None) -> Any:
    sleep: Any = (lambda s: None) if cls is Client else None
    return cls(
        keys={},
        base_url="https://api.test",
        timeout=NOT_GIVEN,
        max_retries=0,
        default_headers=None,
        user_agent="ua",
        random_fn=None,
        http_client=http_client,
        sleep=sleep,
    )


def test_sync_client_closes_only_the_pool_it_made() -> None:
    given = httpx.Client()
    client = _engine(Client, given)
    client.close()
    assert not given.is_closed and client.http_client is given
    given.close()
    own = _engine(Client)
    made = own.http_client
    assert own.http_client is made  # created once, on first use
    assert made.timeout == httpx.Timeout(60.0, connect=5.0)  # the default for a pool the SDK makes
    own.close()
    assert made.is_closed
    own.close()  # closing twice is harmless


async def test_async_client_closes_only_the_pool_it_made() -> None:
    given = httpx.AsyncClient()
    client = _engine(AsyncClient, given)
    await client.close()
    assert not given.is_closed and client.http_client is given
    await given.aclose()
    own = _engine(AsyncClient)
    made = own.http_client
    await own.close()
    assert made.is_closed


async def test_a_closed_client_raises_before_sending_and_opens_no_new_pool(harness: Harness) -> None:
    """After close() every call, and `http_client`, raise ClientClosedError: no request, no pool made behind it."""
    with running(lambda seen: Reply(body=b"{}")) as api:
        client = harness.live_client(f"{api.url}/v1")
        await harness.request(GET, client=client)
        made = client.http_client
        await harness.close(client)
        assert made.is_closed
        closed = r"^(Async)?Client is closed \(close\(\) or the end of its `with` block\)"
        with pytest.raises(ClientClosedError, match=closed):
            await harness.request(GET, client=client)
        with pytest.raises(ClientClosedError):
            client.http_client  # noqa: B018 (the property is what raises)
        assert client._pool.made is None and len(api.snapshot()) == 1
    assert isinstance(ClientClosedError("x"), RuntimeError)  # what httpx raises for a closed client, too


async def test_a_client_given_an_http_client_follows_its_state(harness: Harness) -> None:
    """close() leaves the caller's httpx client open and the SDK client usable; once the caller closes theirs, a
    call raises ClientClosedError naming it (not httpx's RuntimeError)."""
    harness.server.reply(json_response(200, {}))
    client = harness.client()
    given = client.http_client
    await harness.close(client)
    await harness.request(GET, client=client)
    assert len(harness.server.requests) == 1
    if isinstance(given, httpx.AsyncClient):
        await given.aclose()
    else:
        given.close()
    with pytest.raises(ClientClosedError, match=r"the http_client given to (Async)?Client is closed"):
        await harness.request(GET, client=client)
    assert len(harness.server.requests) == 1


async def test_a_copy_shares_the_pool_and_closes_only_itself(harness: Harness) -> None:
    """`_share_pool` (what with_options does): one pool; the copy's close() ends the copy, the parent's ends both."""
    harness.server.reply(json_response(200, {}))
    parent = harness.client(http_client=None)
    copy = harness.client(http_client=None)
    copy._share_pool(parent)
    assert copy.http_client is parent.http_client  # made once, by whichever asks first, in the shared pool
    await harness.close(copy)
    assert not parent.http_client.is_closed
    with pytest.raises(ClientClosedError, match=r"^(Async)?Client is closed"):
        copy.http_client  # noqa: B018
    second = harness.client(http_client=None)
    second._share_pool(parent)
    pool = parent.http_client
    await harness.close(parent)
    assert pool.is_closed
    with pytest.raises(ClientClosedError, match=r"made from with with_options\(\) is closed"):
        second.http_client  # noqa: B018


async def test_a_copy_on_another_base_url_makes_its_own_pool_but_keeps_a_given_one(harness: Harness) -> None:
    parent = harness.client(http_client=None)
    elsewhere = harness.client(http_client=None, base_url="https://other.test/v1")
    elsewhere._share_pool(parent)
    assert elsewhere.http_client is not parent.http_client
    given = harness.client()
    moved = harness.client(http_client=None, base_url="https://other.test/v1")
    moved._share_pool(given)
    assert moved.http_client is given.http_client  # the caller's configuration (proxies, certificates) stays
    for client in (parent, elsewhere, given):
        await harness.close(client)


def test_not_given_is_falsy_and_named() -> None:
    assert not NOT_GIVEN and repr(NOT_GIVEN) == "NOT_GIVEN" and isinstance(NOT_GIVEN, NotGiven)
    assert RequestOptions().timeout is NOT_GIVEN and RequestOptions().max_retries is NOT_GIVEN
