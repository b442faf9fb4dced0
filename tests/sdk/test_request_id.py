"""`_request_id` on what a method returns, both SDKs, blocking and asyncio: the value of the response's
`x-request-id` (else `request-id`) header on a model and on a page, None when the server sent neither; never part
of `to_dict()`, `model_fields_set` or equality.
"""

from __future__ import annotations

from typing import Any

from ..mock_api import Server
from .conftest import cn_order, fg_order, fg_success, json_response, resolve


async def test_a_returned_model_carries_the_request_id(cn: Any, server: Server) -> None:
    server.reply(json_response(200, cn_order("o1"), headers={"X-Request-Id": "req-cn-1"}))
    order = await resolve(cn().orders.retrieve("o1"))
    assert order._request_id == "req-cn-1"
    assert "_request_id" not in order.model_fields_set and "req-cn-1" not in str(order.to_dict())
    server.reply(json_response(200, cn_order("o1")))
    again = await resolve(cn().orders.retrieve("o1"))
    assert again._request_id is None and again == order  # the id is not part of equality


async def test_a_model_unwrapped_from_an_envelope_carries_it_from_request_id(fg: Any, server: Server) -> None:
    """Fungies wraps its answers: the order the method returns from `data.order` carries the response's id."""
    server.reply(json_response(200, fg_success({"order": fg_order()}), headers={"Request-Id": "req-fg-2"}))
    order = await resolve(fg().orders.retrieve("1001"))
    assert order._request_id == "req-fg-2"


async def test_a_page_carries_the_request_id_of_its_own_response(cn: Any, server: Server) -> None:
    first = {"data": [cn_order("o1")], "has_more": True}
    second = {"data": [cn_order("o2")], "has_more": False}
    server.reply(
        json_response(200, first, headers={"X-Request-Id": "page-1"}),
        json_response(200, second, headers={"X-Request-Id": "page-2"}),
    )
    page = await resolve(cn().orders.list(limit=1))
    assert page._request_id == "page-1" and page.items[0]._request_id == "page-1"


async def test_a_raw_responses_parse_carries_it(cn: Any, server: Server) -> None:
    server.reply(json_response(200, cn_order("o1"), headers={"X-Request-Id": "req-raw-3"}))
    raw = await resolve(cn().orders.with_raw_response.retrieve("o1"))
    assert (await resolve(raw.parse()))._request_id == "req-raw-3"
