"""Redirects from a real server: followed on the origin with every key, refused (nothing sent) to any other origin.

Two servers on 127.0.0.1 (two ports, so two origins). The first answers `/v1/to/<origin>/<status>/...` with
that redirect: to the second server (another origin) or to `/v1/landed` on itself; every redirect status,
every credential style (bearer, API-key header, query, cookie), a GET without a body and a POST with one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
from runtime._exceptions import APIStatusError, RedirectError
from runtime._request import Operation

from sdkpipeline.testing.faultserver import FaultServer, Reply, Seen, running

from .conftest import BEARER, QUERY, SECRET, SESSION, Harness, get_kwargs
from .conftest import operation as record

STATUSES = (301, 302, 303, 307, 308)
BODY = {"amount": 1}


@dataclass(frozen=True)
class Style:
    """A credential style: the scheme an operation names, and whether a request the server saw carried its key."""

    scheme: str
    carries: Callable[[Seen], bool]


STYLES = {
    "bearer": Style("Bearer", lambda seen: seen.headers.get("authorization") == f"Bearer {BEARER}"),
    "header": Style("SecretKey", lambda seen: seen.headers.get("x-secret-key") == SECRET),
    "query": Style("QueryKey", lambda seen: seen.query.get("key") == QUERY),
    "cookie": Style("CookieKey", lambda seen: f"session={SESSION}" in seen.headers.get("cookie", "")),
}


@dataclass
class Origins:
    first: FaultServer  # the API's origin (base_url)
    other: FaultServer  # another port: another origin

    @property
    def base_url(self) -> str:
        return f"{self.first.url}/v1"


def _first_origin(other: FaultServer) -> Callable[[Seen], Reply]:
    def route(seen: Seen) -> Reply:
        parts = seen.path.strip("/").split("/")
        if parts[:2] == ["v1", "to"]:
            where, status = parts[2], int(parts[3])
            targets = {"other": f"{other.url}/v1/landed", "same": "/v1/landed", "loop": seen.path}
            location = targets.get(where, unquote(where))  # anything else: the Location itself, URL-encoded
            return Reply(status=status, headers={"Location": location}, content_type=None)
        return Reply(body=b'{"ok": true}')

    return route


@pytest.fixture(scope="module")
def origins() -> Iterator[Origins]:
    with running(lambda seen: Reply(body=b'{"ok": true}')) as other, running(_first_origin(other)) as first:
        yield Origins(first, other)


@pytest.fixture
def fresh(origins: Origins) -> Origins:
    origins.first.forget_requests()
    origins.other.forget_requests()
    return origins


def _call(style: str, *, with_body: bool, path: str) -> tuple[Operation, dict[str, Any]]:
    method = "POST" if with_body else "GET"
    operation = record(name="things.move", operation_id="MoveThing", method=method, security=((STYLES[style].scheme,),))
    kwargs = get_kwargs(path, method=method.lower(), **({"json": BODY} if with_body else {}))
    return operation, kwargs


async def _request(
    harness: Harness, origins: Origins, operation: Operation, kwargs: dict[str, Any], **options: Any
) -> Any:
    client = harness.live_client(origins.base_url, **options)
    try:
        return await harness.request(operation, kwargs, client=client)
    finally:
        await harness.close(client)


@pytest.mark.parametrize("with_body", [False, True], ids=["GET", "POST with a body"])
@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("status", STATUSES)
async def test_a_redirect_to_another_origin_is_refused_and_nothing_goes_there(
    harness: Harness, fresh: Origins, status: int, style: str, with_body: bool
) -> None:
    """RedirectError naming the Location; the other origin never sees a request, so neither the key nor the body."""
    operation, kwargs = _call(style, with_body=with_body, path=f"/to/other/{status}")
    with pytest.raises(RedirectError) as info:
        await _request(harness, fresh, operation, kwargs)
    error = info.value
    assert fresh.other.requests == 0
    assert (error.status_code, error.location) == (status, f"{fresh.other.url}/v1/landed")
    assert str(error).startswith(f"things.move: HTTP {status} redirects to {fresh.other.url}/v1/landed, another origin")
    assert "neither a key nor the request body was sent there" in str(error)
    assert isinstance(error, APIStatusError)  # caught by whoever catches an error answer
    [sent] = fresh.first.snapshot()
    assert STYLES[style].carries(sent)  # the key did go to the API's own origin


@pytest.mark.parametrize("with_body", [False, True], ids=["GET", "POST with a body"])
@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("status", STATUSES)
async def test_a_redirect_on_the_origin_is_followed_with_the_key(
    harness: Harness, fresh: Origins, status: int, style: str, with_body: bool
) -> None:
    """The landing request carries the key (query and cookie ones put back); 307/308 keep method and body."""
    operation, kwargs = _call(style, with_body=with_body, path=f"/to/same/{status}")
    assert await _request(harness, fresh, operation, kwargs) == {"ok": True}
    first, landed = fresh.first.snapshot()
    assert (first.path, landed.path) == (f"/v1/to/same/{status}", "/v1/landed")
    assert STYLES[style].carries(landed)
    keeps_method = status in (307, 308) or not with_body  # 301/302/303 turn a POST into a GET, as browsers do
    assert landed.method == (operation.method if keeps_method else "GET")
    assert landed.body == (first.body if keeps_method else b"")
    assert fresh.other.requests == 0


@pytest.mark.parametrize(
    "location",
    ["http://localhost:{port}/v1/landed", "https://127.0.0.1:{port}/v1/landed"],
    ids=["another host name", "another scheme"],
)
async def test_the_same_port_under_another_host_or_scheme_is_another_origin(
    harness: Harness, fresh: Origins, location: str
) -> None:
    """Origin is scheme, host and port: `localhost` is not `127.0.0.1`, and https is not http."""
    target = location.format(port=httpx.URL(fresh.first.url).port)
    operation, kwargs = _call("header", with_body=True, path=f"/to/{quote(target, safe='')}/307")
    with pytest.raises(RedirectError) as info:
        await _request(harness, fresh, operation, kwargs)
    assert info.value.location == target
    assert fresh.first.requests == 1  # nothing followed, not even to the same port


async def test_the_location_in_the_error_shows_no_key(harness: Harness, fresh: Origins) -> None:
    """A Location carrying the query key, a password and the header key (echoed) is shown with each masked."""
    echoed = f"{fresh.other.url.replace('http://', 'http://user:pw@')}/x?key={QUERY}&note={SECRET}"
    operation, kwargs = _call("query", with_body=False, path=f"/to/{quote(echoed, safe='')}/302")
    with pytest.raises(RedirectError) as info:
        await _request(harness, fresh, operation, kwargs)
    shown = f"{info.value} {info.value!r} {info.value.location}"
    assert QUERY not in shown and SECRET not in shown and ":pw@" not in shown
    location = info.value.location
    assert "user:%3Credacted%3E@" in location and "key=%3Credacted%3E" in location and "note=<redacted>" in location
    assert location in str(info.value)
    assert fresh.other.requests == 0


async def test_a_redirect_loop_stops_at_the_clients_max_redirects(harness: Harness, fresh: Origins) -> None:
    operation, kwargs = _call("bearer", with_body=False, path="/to/loop/302")
    with pytest.raises(RedirectError, match=r"things.move: more than 20 redirects \(the last, HTTP 302"):
        await _request(harness, fresh, operation, kwargs)
    assert fresh.first.requests == 21  # the first request and 20 redirects followed


async def test_a_client_that_does_not_follow_redirects_gets_the_redirect_as_an_error(
    harness: Harness, fresh: Origins
) -> None:
    """An http_client of the caller's with follow_redirects=False (httpx's default): the 307 is the answer."""
    http: httpx.Client | httpx.AsyncClient = (
        httpx.AsyncClient(follow_redirects=False) if harness.engine == "async" else httpx.Client(follow_redirects=False)
    )
    operation, kwargs = _call("header", with_body=True, path="/to/other/307")
    client = harness.client(base_url=fresh.base_url, http_client=http)
    with pytest.raises(APIStatusError) as info:
        await harness.request(operation, kwargs, client=client)
    assert type(info.value) is APIStatusError and info.value.status_code == 307
    assert fresh.other.requests == 0
