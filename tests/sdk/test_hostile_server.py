"""The public clients against a hostile server on 127.0.0.1: nothing it sends moves a key, a request or the memory.

Each test runs with the blocking client and its async twin, each making its own httpx client (as an
application's does), against real servers.
"""

from __future__ import annotations

from typing import Any

import cnaught_client
import fungies_client
import pytest

from sdkpipeline.testing.faultserver import Reply, running

from .conftest import CN_KEY, FG_PUBLIC, FG_SECRET, SECRETS, resolve

ENGINES = ["sync", "async"]


async def _closed(client: Any, call: Any) -> Any:
    try:
        return await resolve(call(client))
    finally:
        await resolve(client.close())


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
