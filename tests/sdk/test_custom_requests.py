"""Custom requests of both SDKs (`client.get/post/...(path, cast_to=...)`), blocking and asyncio, against real
servers on 127.0.0.1: the API's keys and idempotency key on the wire, the body read as a generated model, the API's
error envelope raised, raw and streamed answers, and nothing sent for a path that leaves base_url.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import cnaught_client
import fungies_client
import pytest
from cnaught_client.models import Order
from fungies_client.models import OrderRetrieveEnvelope

from sdkpipeline.testing.faultserver import Reply, running

from .conftest import CN_KEY, FG_PUBLIC, FG_SECRET, cn_order, fg_order, fg_success, resolve


@dataclass(frozen=True)
class Api:
    """One SDK: its clients, the keys as they go on the wire, and one read of an order it answers."""

    package: Any
    client_class: str
    keys: dict[str, str]
    sent: dict[str, str]  # header → value the keys go out as
    path: str
    body: dict[str, Any]
    cast_to: Any
    # The API's writes carry this idempotency header (None: the API uses none).
    idempotency_header: str | None

    def client(self, engine: str, url: str) -> Any:
        cls = getattr(self.package, ("Async" if engine == "async" else "") + self.client_class)
        return cls(**{**self.keys, "base_url": url, "max_retries": 0})


APIS = {
    "cnaught": Api(
        cnaught_client,
        "CNaught",
        {"api_key": CN_KEY},
        {"authorization": f"Bearer {CN_KEY}"},
        "/orders/o1",
        cn_order("o1"),
        Order,
        "idempotency-key",
    ),
    "fungies": Api(
        fungies_client,
        "Fungies",
        {"public_key": FG_PUBLIC, "secret_key": FG_SECRET},
        {"x-fngs-public-key": FG_PUBLIC, "x-fngs-secret-key": FG_SECRET},
        "/v0/orders/1001",
        fg_success({"order": fg_order()}),
        OrderRetrieveEnvelope,
        None,
    ),
}


@pytest.fixture(params=sorted(APIS))
def api(request: pytest.FixtureRequest) -> Api:
    return APIS[request.param]


async def test_a_custom_read_goes_under_base_url_with_the_apis_keys(api: Api, engine: str) -> None:
    with running(lambda seen: Reply(body=json.dumps(api.body).encode())) as server:
        client = api.client(engine, f"{server.url}/base")
        parsed = await resolve(client.get(api.path, cast_to=api.cast_to, params={"expand": "items"}))
        assert isinstance(parsed, api.cast_to) and parsed.to_dict() == api.body
        as_dict = await resolve(client.get(api.path, cast_to=dict))
        assert as_dict == api.body
        await resolve(client.close())
    seen = server.snapshot()
    assert [(s.method, s.path, s.query) for s in seen] == [
        ("GET", f"/base{api.path}", {"expand": "items"}),
        ("GET", f"/base{api.path}", {}),
    ]
    for header, value in api.sent.items():
        assert seen[0].headers[header] == value


async def test_a_custom_write_carries_an_idempotency_key_where_the_api_uses_them(api: Api, engine: str) -> None:
    with running(lambda seen: Reply(body=json.dumps(api.body).encode())) as server:
        client = api.client(engine, server.url)
        await resolve(client.post("/things", cast_to=object, body={"size": 1}))
        await resolve(client.close())
    (seen,) = server.snapshot()
    assert json.loads(seen.body) == {"size": 1}
    if api.idempotency_header is None:
        assert not any("idempotency" in name for name in seen.headers)
    else:
        assert len(seen.headers[api.idempotency_header]) == 36  # a UUID, one per call


async def test_an_error_answer_raises_the_sdks_typed_error(api: Api, engine: str) -> None:
    with running(lambda seen: Reply(status=404, body=b'{"title": "Not Found", "message": "No such order"}')) as server:
        client = api.client(engine, server.url)
        with pytest.raises(api.package.NotFoundError):
            await resolve(client.get(api.path, cast_to=api.cast_to))
        await resolve(client.close())


async def test_a_fungies_error_envelope_in_a_2xx_raises(engine: str) -> None:
    """Fungies answers some errors as HTTP 200 with `status: error`: a custom request raises on it as methods do."""
    api = APIS["fungies"]
    answer = b'{"status": "error", "error": {"message": "Order not found"}}'
    with running(lambda seen: Reply(body=answer)) as server:
        client = api.client(engine, server.url)
        with pytest.raises(fungies_client.APIStatusError, match="Order not found"):
            await resolve(client.get(api.path, cast_to=dict))
        await resolve(client.close())


async def test_raw_and_streamed_custom_requests(api: Api, engine: str) -> None:
    body = json.dumps(api.body).encode()
    with running(lambda seen: Reply(body=body, headers={"X-Request-Id": "req-7"})) as server:
        client = api.client(engine, server.url)
        raw = await resolve(client.with_raw_response.get(api.path, cast_to=api.cast_to))
        assert raw.headers["x-request-id"] == "req-7" and raw.status_code == 200
        assert (await resolve(raw.parse())).to_dict() == api.body
        streamed = client.with_streaming_response.get(api.path, cast_to=api.cast_to)
        if engine == "async":
            async with streamed as response:
                chunks = [chunk async for chunk in response.iter_bytes()]
        else:
            with streamed as response:
                chunks = list(response.iter_bytes())
        assert b"".join(chunks) == body
        await resolve(client.close())
    assert len(server.snapshot()) == 2


async def test_a_path_that_leaves_base_url_sends_nothing_anywhere(api: Api, engine: str) -> None:
    with running(lambda seen: Reply(body=b"{}")) as server, running(lambda seen: Reply(body=b"{}")) as other:
        client = api.client(engine, f"{server.url}/v1")
        host = other.url.split("://", 1)[1]
        for path in (f"{other.url}/v1/orders", f"//{host}/v1/orders", "/../admin", "/orders/%2E%2E/admin"):
            with pytest.raises(ValueError, match="Expected a path relative to base_url"):
                await resolve(client.delete(path, cast_to=object))
        await resolve(client.close())
    assert server.snapshot() == [] and other.snapshot() == []
