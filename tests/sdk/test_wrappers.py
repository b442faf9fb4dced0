"""`with_raw_response` and `with_streaming_response` through the public clients of both SDKs, blocking and asyncio:
each resource method wrapped by the runtime, a paginated list and an overloaded method (a body of two forms) too.
Each test taking `cn` or `fg` runs twice: with the blocking client and with its async twin.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import cnaught_client
import fungies_client
import pytest
from cnaught_client.models import Order

from .conftest import Server, cn_order, fg_order, fg_success, json_response, resolve

FG_ID = "5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11"


def _is_async(client: Any) -> bool:
    return type(client).__name__.startswith("Async")


async def _streamed(client: Any, call: Any) -> tuple[Any, Any, bytes]:
    """(the streamed response, what `parse()` gives, the bytes `iter_bytes()` gave) of one streamed call, opened
    and closed the way the client's kind says; the bytes are read first, then parsed from what was read."""
    if _is_async(client):
        async with call as response:
            chunks = [chunk async for chunk in response.iter_bytes()]
            parsed = await response.parse()
    else:
        with call as response:
            chunks = list(response.iter_bytes())
            parsed = response.parse()
    return response, parsed, b"".join(chunks)


# -- raw --------------------------------------------------------------------------------------------------------


async def test_raw_create_by_either_form_of_the_body(cn: Any, server: Server) -> None:
    """The overloaded `orders.create` wrapped: keywords of one form or the other, or `body=`, answered raw."""
    server.reply(json_response(201, cn_order()))
    raw_orders = cn().orders.with_raw_response
    for kwargs, sent in [
        ({"amount_kg": 10}, {"amount_kg": 10}),
        ({"total_price_usd_cents": 250}, {"total_price_usd_cents": 250}),
        ({"body": {"amount_kg": 3}}, {"amount_kg": 3}),
    ]:
        raw = await resolve(raw_orders.create(**kwargs))
        assert isinstance(raw, cnaught_client.APIResponse)
        assert (raw.status_code, json.loads(server.last.read())) == (201, sent)
        assert isinstance(raw.parse(), Order)
    with pytest.raises(TypeError, match="fit none of the body's shapes"):
        await resolve(raw_orders.create(amount_kg=1, total_price_usd_cents=2))
    assert len(server.requests) == 3


async def test_raw_list_is_the_first_page_and_walks_on(cn: Any, server: Server) -> None:
    server.reply(
        json_response(200, {"data": [cn_order("a"), cn_order("b")]}),
        json_response(200, {"data": [cn_order("c")]}),
    )
    client = cn()
    raw = await resolve(client.orders.with_raw_response.list(limit=2))
    assert [o["id"] for o in raw.json()["data"]] == ["a", "b"]
    page = raw.parse()
    ids = [o.id async for o in page] if _is_async(client) else [o.id for o in page]
    assert ids == ["a", "b", "c"]


async def test_raw_views_carry_the_published_names(cn: Any) -> None:
    """`OrdersResourceWithRawResponse` (and its async twin) is still what `with_raw_response` is."""
    client = cn()
    kind = "AsyncOrdersResource" if _is_async(client) else "OrdersResource"
    assert type(client.orders.with_raw_response).__name__ == f"{kind}WithRawResponse"
    assert type(client.orders.with_streaming_response).__name__ == f"{kind}WithStreamingResponse"
    # Each method of the view is the resource's, wrapped: its signature and docstring.
    wrapped = client.orders.with_raw_response.cancel
    assert inspect.signature(wrapped) == inspect.signature(client.orders.cancel)
    assert wrapped.__doc__ == client.orders.cancel.__doc__


# -- streaming ---------------------------------------------------------------------------------------------------


async def test_streamed_retrieve_reads_the_body_as_it_is_iterated(cn: Any, server: Server) -> None:
    server.reply(json_response(200, cn_order(), headers={"X-Request-Id": "r1"}))
    client = cn()
    response, order, body = await _streamed(client, client.orders.with_streaming_response.retrieve("Gre28Fc35bt3"))
    assert (response.status_code, response.headers["x-request-id"]) == (200, "r1")
    assert json.loads(body) == cn_order()
    assert isinstance(order, Order) and order.id == "Gre28Fc35bt3"
    assert response.is_closed  # leaving the block closed it


async def test_streamed_create_takes_the_keywords_of_a_body_form(cn: Any, server: Server) -> None:
    server.reply(json_response(201, cn_order()))
    client = cn()
    response, order, _ = await _streamed(client, client.orders.with_streaming_response.create(total_price_usd_cents=5))
    assert json.loads(server.last.read()) == {"total_price_usd_cents": 5}
    assert (response.status_code, type(order)) == (201, Order)


async def test_streamed_list_parses_to_the_first_page(fg: Any, server: Server) -> None:
    """Fungies: the enveloped list (`data.orders`, counted), streamed, then walked page by page."""
    server.reply(
        json_response(200, fg_success({"orders": [fg_order("1"), fg_order("2")], "count": 3})),
        json_response(200, fg_success({"orders": [fg_order("3")], "count": 3})),
    )
    client = fg()
    _, page, body = await _streamed(client, client.orders.with_streaming_response.list(take=2))
    assert json.loads(body)["data"]["count"] == 3
    numbers = [o.number async for o in page] if _is_async(client) else [o.number for o in page]
    assert numbers == ["1", "2", "3"]


async def test_a_streamed_error_raises_when_the_block_starts(fg: Any, server: Server) -> None:
    server.reply(json_response(404, {"status": "error", "error": {"message": "no such order"}}))
    client = fg()
    with pytest.raises(fungies_client.NotFoundError):
        await _streamed(client, client.orders.with_streaming_response.retrieve(FG_ID))


async def test_a_streamed_call_sends_nothing_until_its_block(fg: Any, server: Server) -> None:
    client = fg()
    client.orders.with_streaming_response.cancel(FG_ID)
    assert server.requests == []
