"""What a request sends through both SDKs' clients (sync and async): what the caller passed, and nothing else.

A spec default describes what the server does when a value is absent; the SDK documents it and never sends it.
Each test that takes the `cn` or `fg` fixture runs twice: with the blocking client and with its async twin.
"""

from __future__ import annotations

import json
from typing import Any

from cnaught_client.models import GenericOrderByAmountParameters
from fungies_client.models import OfferUpdateParams

from .conftest import Server, cn_order, collect, fg_success, json_response, resolve


def _sent(server: Server) -> Any:
    return json.loads(server.last.read())


async def test_fungies_partial_update_sends_only_the_fields_passed(fg: Any, server: Server) -> None:
    """`offers.update(..., name="New")` sends id and name: no description, freeProduct, region or platform."""
    server.reply(json_response(200, fg_success({"offer": {"id": "o1"}})))
    await resolve(fg().offers.update("o1", id="o1", name="New"))
    assert _sent(server) == {"id": "o1", "name": "New"}


async def test_fungies_request_model_sends_only_the_fields_it_was_given(fg: Any, server: Server) -> None:
    """A body model built by the caller sends its fields that are set; a None given is sent as null."""
    server.reply(json_response(200, fg_success({"offer": {"id": "o1"}})))
    await resolve(fg().offers.update("o1", body=OfferUpdateParams(id="o1", name="New", warning_message=None)))
    assert _sent(server) == {"id": "o1", "name": "New", "warningMessage": None}


async def test_fungies_body_dict_is_sent_as_given(fg: Any, server: Server) -> None:
    """`body=` a dict is the body as written, defaults of the spec or not."""
    server.reply(json_response(200, fg_success({"offer": {"id": "o1"}})))
    await resolve(fg().offers.update("o1", body={"id": "o1", "region": "Global", "freeProduct": False}))
    assert _sent(server) == {"id": "o1", "region": "Global", "freeProduct": False}


async def test_fungies_list_sends_only_the_parameters_passed(fg: Any, server: Server) -> None:
    """A list call sends the filters it was given; the next page adds only its offset."""
    server.reply(json_response(200, fg_success({"orders": [{"id": "a"}], "count": 2})))
    await collect(fg().orders.list(statuses=["PAID"]))
    first, second = server.requests
    assert dict(first.url.params) == {"statuses": "PAID"}
    assert dict(second.url.params) == {"statuses": "PAID", "skip": "1"}


async def test_cnaught_create_sends_only_the_keywords_passed(cn: Any, server: Server) -> None:
    """A keyword body and a body model send the same: what was passed."""
    server.reply(json_response(201, cn_order()))
    await resolve(cn().orders.create(amount_kg=10))
    assert _sent(server) == {"amount_kg": 10}
    await resolve(cn().orders.create(body=GenericOrderByAmountParameters(amount_kg=10, description=None)))
    assert _sent(server) == {"amount_kg": 10, "description": None}


async def test_cnaught_list_without_a_limit_sends_none(cn: Any, server: Server) -> None:
    """The spec's `limit` default (20) is the server's: not sent, yet it still tells a short last page."""
    server.reply(json_response(200, {"data": [cn_order(f"o{i}") for i in range(20)]}), json_response(200, {"data": []}))
    orders = await collect(cn().orders.list())
    assert len(orders) == 20
    assert dict(server.requests[0].url.params) == {}
    assert dict(server.requests[1].url.params) == {"starting_after": "o19"}
