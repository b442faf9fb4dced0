"""The public clients against a hostile server on 127.0.0.1: nothing it sends moves a key, a request or the memory.

Each test runs with the blocking client and its async twin, each making its own httpx client (as an
application's does), against real servers: a second origin for redirects, a gzip bomb, a dripping answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import cnaught_client
import fungies_client
import pytest

from sdkpipeline.testing.faultserver import FaultServer, Reply, Seen, gzip_bomb, running

from .conftest import CN_KEY, FG_PUBLIC, FG_SECRET, SECRETS, cn_order, fg_order, fg_success, resolve

ENGINES = ["sync", "async"]


def json_body(value: Any) -> bytes:
    return json.dumps(value).encode()


def _ok(seen: Seen) -> Reply:
    return Reply(body=b'{"status": "success", "data": {"order": {}}}')


@pytest.fixture
def other() -> Iterator[FaultServer]:
    with running(_ok) as server:
        yield server


async def _closed(client: Any, call: Any) -> Any:
    try:
        return await resolve(call(client))
    finally:
        await resolve(client.close())


def _fungies(engine: str, url: str, **options: Any) -> Any:
    cls = fungies_client.AsyncFungies if engine == "async" else fungies_client.Fungies
    return cls(public_key=FG_PUBLIC, secret_key=FG_SECRET, base_url=url, max_retries=0, **options)


def _cnaught(engine: str, url: str, **options: Any) -> Any:
    cls = cnaught_client.AsyncCNaught if engine == "async" else cnaught_client.CNaught
    return cls(api_key=CN_KEY, base_url=url, max_retries=0, **options)


@pytest.mark.parametrize("value", ["..", ".", "%2e%2e", "../orders"])
@pytest.mark.parametrize("engine", ENGINES)
async def test_cnaught_subaccounts_delete_of_a_dot_segment_sends_nothing(engine: str, value: str) -> None:
    """`subaccounts.delete("..")` would send `DELETE /v1` (httpx removes the dot segment)."""
    with running(lambda seen: Reply(status=204)) as api:
        with pytest.raises(ValueError, match=r"Expected an id for `id` but received .* \(subaccounts.delete\)"):
            await _closed(_cnaught(engine, f"{api.url}/v1"), lambda c: c.subaccounts.delete(value))
        assert api.requests == 0


@pytest.mark.parametrize("value", ["..", "%2e%2e"])
def test_the_function_layer_refuses_a_dot_segment_too(value: str) -> None:
    """`<package>.api.<tag>.<operation>` builds its URL with the same check: `DELETE /v1` is never sent."""
    from cnaught_client.api.subaccounts import delete_subaccount
    from cnaught_client.client import AuthenticatedClient

    with running(lambda seen: Reply(status=204)) as api:
        client = AuthenticatedClient(base_url=f"{api.url}/v1", token=CN_KEY)
        with pytest.raises(ValueError, match=r"^Expected an id for `id` but received"):
            delete_subaccount.sync_detailed(value, client=client)
        delete_subaccount.sync_detailed("sub_1", client=client)
        assert [(seen.method, seen.path) for seen in api.seen] == [("DELETE", "/v1/subaccounts/sub_1")]


@pytest.mark.parametrize(
    ("make", "variable", "parameter"),
    [
        (lambda: fungies_client.Fungies(public_key=FG_PUBLIC), "FUNGIES_SECRET_KEY", "secret_key"),
        (lambda: fungies_client.AsyncFungies(secret_key=FG_SECRET), "FUNGIES_PUBLIC_KEY", "public_key"),
        (lambda: cnaught_client.CNaught(), "CNAUGHT_API_KEY", "api_key"),
    ],
    ids=["Fungies secret key", "AsyncFungies public key", "CNaught key"],
)
def test_a_key_read_from_a_file_with_its_newline_is_refused_naming_its_variable(
    make: Any, variable: str, parameter: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`FUNGIES_SECRET_KEY=$(cat key.txt)` keeps no newline, but reading the file in Python does."""
    key = {"FUNGIES_SECRET_KEY": FG_SECRET, "FUNGIES_PUBLIC_KEY": FG_PUBLIC, "CNAUGHT_API_KEY": CN_KEY}[variable]
    monkeypatch.setenv(variable, key + "\n")
    with pytest.raises(ValueError) as info:
        make()
    message = str(info.value)
    assert f"the key given as {parameter}=... (or read from {variable}) contains a line break at its end" in message
    assert [k for k in SECRETS if k in f"{message} {info.value!r}"] == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("engine", ENGINES)
async def test_fungies_update_redirected_to_another_origin_sends_it_neither_keys_nor_body(
    engine: str, status: int, other: FaultServer
) -> None:
    """httpx alone would send x-fngs-public-key and x-fngs-secret-key there (and the body on 307/308)."""
    redirect = Reply(status=status, headers={"Location": f"{other.url}/v0/orders/1001/update"}, content_type=None)
    with running(lambda seen: redirect) as api:
        with pytest.raises(fungies_client.RedirectError) as info:
            await _closed(_fungies(engine, api.url), lambda c: c.orders.update("1001", value=1.0))
        [sent] = api.snapshot()
    assert other.requests == 0
    assert info.value.location == f"{other.url}/v0/orders/1001/update"
    assert (sent.headers["x-fngs-secret-key"], sent.body) == (FG_SECRET, b'{"value":1.0}')  # to the API only


@pytest.mark.parametrize("engine", ENGINES)
async def test_fungies_redirect_on_the_api_origin_is_followed(engine: str) -> None:
    def route(seen: Seen) -> Reply:
        if seen.path == "/old/v0/orders/1001":
            return Reply(status=308, headers={"Location": "/v0/orders/1001"}, content_type=None)
        return Reply(body=json_body(fg_success({"order": fg_order()})))

    with running(route) as api:
        result = await _closed(_fungies(engine, f"{api.url}/old"), lambda c: c.orders.retrieve("1001"))
        assert [s.headers.get("x-fngs-public-key") for s in api.snapshot()] == [FG_PUBLIC, FG_PUBLIC]
    assert result.order_number == "1001"  # the order the envelope carries


@pytest.mark.parametrize("engine", ENGINES)
async def test_cnaught_gzip_bomb_is_refused_at_the_clients_limit(engine: str) -> None:
    """64 KiB that inflate to 64 MiB, against a limit of 1 MiB set with with_options."""
    bomb = Reply(body=gzip_bomb(64 << 20), headers={"Content-Encoding": "gzip"})
    with running(lambda seen: bomb) as api:
        client = _cnaught(engine, api.url)
        limited = client.with_options(max_response_size=1 << 20)
        with pytest.raises(cnaught_client.ResponseTooLargeError) as info:
            await _closed(limited, lambda c: c.orders.retrieve("o-1"))
    assert info.value.limit == 1 << 20
    assert f"raise it: {type(client).__name__}(max_response_size=...)" in str(info.value)
    assert client.max_response_size == 32 << 20  # the default, untouched by with_options


@pytest.mark.parametrize("engine", ENGINES)
async def test_cnaught_answer_dripping_a_byte_at_a_time_ends_at_the_timeout(engine: str) -> None:
    order = json_body(cn_order())
    with running(lambda seen: Reply(body=order, drip=0.05, drip_headers=True)) as api:
        with pytest.raises(cnaught_client.APITimeoutError, match=r"took longer than its timeout \(0.5 s in all"):
            await _closed(_cnaught(engine, api.url, timeout=0.5), lambda c: c.orders.retrieve("o-1"))
        assert api.body_bytes_sent == 0  # it never got past the headers
