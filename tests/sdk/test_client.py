"""The clients' own surface, both SDKs, blocking and asyncio, against real servers on 127.0.0.1: `with_options()`
(every key argument, base_url, http_client, timeout, max_retries, default_headers; the pool shared or not, seen as
connections on the server) and a closed client, which raises `ClientClosedError` and sends nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cnaught_client
import fungies_client
import httpx
import pytest

from sdkpipeline.testing.faultserver import Reply, Seen, running

from .conftest import CN_KEY, FG_PUBLIC, FG_SECRET, cn_order, fg_order, fg_success, resolve


@dataclass(frozen=True)
class Api:
    """One SDK as these tests drive it: its clients, its keys, one read and the body the server answers it with."""

    package: Any
    client_class: str
    keys: dict[str, str]
    # The header each key goes out as, and how its value reads there.
    sent_as: dict[str, Callable[[str], str]]
    read: Callable[[Any], Any]
    body: bytes

    def client(self, engine: str, url: str, **options: Any) -> Any:
        cls = getattr(self.package, ("Async" if engine == "async" else "") + self.client_class)
        return cls(**{**self.keys, "base_url": url, "max_retries": 0, **options})


APIS = {
    "cnaught": Api(
        cnaught_client,
        "CNaught",
        {"api_key": CN_KEY},
        {"api_key": lambda key: f"Bearer {key}"},
        lambda client: client.orders.retrieve("o1"),
        json.dumps(cn_order()).encode(),
    ),
    "fungies": Api(
        fungies_client,
        "Fungies",
        {"public_key": FG_PUBLIC, "secret_key": FG_SECRET},
        {"public_key": lambda key: key, "secret_key": lambda key: key},
        lambda client: client.orders.cancel("1001"),
        json.dumps(fg_success({"order": fg_order()})).encode(),
    ),
}
HEADERS = {"api_key": "authorization", "public_key": "x-fngs-public-key", "secret_key": "x-fngs-secret-key"}


@pytest.fixture(params=sorted(APIS))
def api(request: pytest.FixtureRequest) -> Api:
    return APIS[request.param]


def _answer(api: Api) -> Callable[[Seen], Reply]:
    return lambda seen: Reply(body=api.body)


async def _close(*clients: Any) -> None:
    for client in clients:
        await resolve(client.close())


async def test_with_options_replaces_every_key_and_keeps_the_rest(api: Api, engine: str) -> None:
    """Each key argument of the API changes only that key; the copy keeps the base URL and the other keys."""
    with running(_answer(api)) as server:
        client = api.client(engine, f"{server.url}/v1", default_headers={"X-Team": "a"})
        for parameter in api.keys:
            copy = client.with_options(**{parameter: f"rotated-{parameter}"})
            await resolve(api.read(copy))
            sent = server.snapshot()[-1].headers
            for other, header in ((p, HEADERS[p]) for p in api.keys):
                value = f"rotated-{other}" if other == parameter else api.keys[other]
                assert sent[header] == api.sent_as[other](value)
            assert sent["x-team"] == "a"
            assert repr(copy) == repr(client)  # the repr says which keys are set, never their values
        await _close(client)


async def test_a_copy_shares_the_pool_unless_base_url_or_http_client_changes(api: Api, engine: str) -> None:
    """One keep-alive connection serves the client and its copy (the server accepts one); a copy on another
    base_url or given its own http_client connects on its own, and closing a copy leaves the shared pool open."""
    with running(_answer(api)) as server, running(_answer(api)) as elsewhere:
        client = api.client(engine, f"{server.url}/v1")
        copy = client.with_options(timeout=20.0, max_retries=3, default_headers={"X-Env": "test"})
        await resolve(api.read(client))
        await resolve(api.read(copy))
        assert copy.http_client is client.http_client
        assert (copy.timeout, copy.max_retries, server.accepted) == (20.0, 3, 1)
        assert server.snapshot()[-1].headers["x-env"] == "test"
        await _close(copy)
        await resolve(api.read(client))
        assert server.accepted == 1

        moved = client.with_options(base_url=f"{elsewhere.url}/v2")
        await resolve(api.read(moved))
        assert moved.http_client is not client.http_client
        assert elsewhere.snapshot()[-1].path.startswith("/v2/") and elsewhere.accepted == 1
        await _close(moved)
        assert not client.http_client.is_closed  # the moved copy made, and closed, its own pool

        own = (httpx.AsyncClient if engine == "async" else httpx.Client)(headers={"X-Own": "1"})
        given = client.with_options(http_client=own)
        await resolve(api.read(given))
        assert given.http_client is own and server.snapshot()[-1].headers["x-own"] == "1"
        assert server.accepted == 2  # the caller's httpx client opened a connection of its own
        await _close(given, client)
        assert not own.is_closed
        await resolve(own.aclose() if engine == "async" else own.close())


async def test_closing_the_client_closes_its_copies_too(api: Api, engine: str) -> None:
    with running(_answer(api)) as server:
        client = api.client(engine, f"{server.url}/v1")
        copy = client.with_options(max_retries=1)
        await resolve(api.read(copy))
        await _close(client)
        with pytest.raises(api.package.ClientClosedError, match=r"made from with with_options\(\) is closed"):
            await resolve(api.read(copy))
        assert len(server.snapshot()) == 1


async def test_a_closed_client_raises_and_sends_nothing(api: Api, engine: str) -> None:
    """close() (or leaving the `with` block) ends the client: a call raises ClientClosedError, nothing is sent, no
    pool is opened behind the caller's back."""
    with running(_answer(api)) as server:
        client = api.client(engine, f"{server.url}/v1")
        if engine == "async":
            async with client:
                await api.read(client)
        else:
            with client:
                api.read(client)
        with pytest.raises(api.package.ClientClosedError, match=f"^(Async)?{api.client_class} is closed"):
            await resolve(api.read(client))
        with pytest.raises(api.package.ClientClosedError):
            await resolve(client.orders.with_raw_response.retrieve("1"))
        assert len(server.snapshot()) == 1
        assert server.wait_until_closed() == 0


async def test_a_client_given_an_http_client_follows_that_clients_state(api: Api, engine: str) -> None:
    with running(_answer(api)) as server:
        own = httpx.AsyncClient() if engine == "async" else httpx.Client()
        client = api.client(engine, f"{server.url}/v1", http_client=own)
        await _close(client)
        await resolve(api.read(client))  # close() left the caller's client, and so this one, open
        await resolve(own.aclose() if engine == "async" else own.close())
        with pytest.raises(api.package.ClientClosedError, match=r"the http_client given to .* is closed"):
            await resolve(api.read(client))
        assert len(server.snapshot()) == 1


def test_with_options_takes_every_key_argument_of_the_constructor(api: Api) -> None:
    """The signature of with_options names each key argument the client takes, base_url and http_client."""
    import inspect

    for name in ("", "Async"):
        cls = getattr(api.package, name + api.client_class)
        constructor = set(inspect.signature(cls).parameters)
        options = set(inspect.signature(cls.with_options).parameters)
        assert set(api.keys) <= options
        assert {"base_url", "http_client", "timeout", "max_retries", "default_headers"} <= options
        assert options - {"self"} <= constructor
