"""The SDK surface users call (resources, keywords, models, errors), through the public clients of both SDKs,
blocking and asyncio.

Empty path ids refused before sending; enum values as strings; bodies by keywords (every variant), by a
dict and by a model; extra_query/extra_body on the wire; errors that name the field and the request id;
deprecation warnings naming the replacement; methods returning the resource, the body still raw.
Each test taking `cn` or `fg` runs twice: with the blocking client and with its async twin.
"""

from __future__ import annotations

import inspect
import json
import warnings
from typing import Any

import cnaught_client
import fungies_client
import pytest
from cnaught_client.models import GenericOrderByAmountParameters, Order, Portfolio
from fungies_client.models import DiscountCreateParams
from fungies_client.models import Order as FungiesOrder

from .conftest import Server, cn_order, fg_order, fg_success, json_response, resolve

PROBLEM = "application/problem+json"
FG_ID = "5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11"


def _body(server: Server) -> Any:
    return json.loads(server.last.read())


# -- empty path parameters: ValueError naming the parameter, nothing sent ------------------------------------


@pytest.mark.parametrize("value", ["", None])
async def test_cnaught_empty_order_id_is_refused_before_sending(cn: Any, server: Server, value: Any) -> None:
    """`orders.retrieve("")` would GET /orders/ (the list); `cancel(None)` POST /orders/None/cancel."""
    server.reply(json_response(200, cn_order()))
    client = cn()
    for call in (client.orders.retrieve, client.orders.cancel, client.orders.with_raw_response.retrieve):
        with pytest.raises(ValueError, match=f"Expected a non-empty value for `id` but received {value!r}"):
            await resolve(call(value))
    assert server.requests == []


@pytest.mark.parametrize("value", ["", None])
async def test_fungies_empty_order_id_is_refused_before_sending(fg: Any, server: Server, value: Any) -> None:
    server.reply(json_response(200, fg_success({"order": fg_order()})))
    client = fg()
    for call in (client.orders.retrieve, client.orders.cancel, client.orders.with_raw_response.cancel):
        with pytest.raises(ValueError, match="Expected a non-empty value for `order_id_or_number`"):
            await resolve(call(value))
    with pytest.raises(ValueError, match="`variant_id`"):
        await resolve(client.variants.archive(FG_ID, value))
    assert server.requests == []


# -- enum values as strings, ids as strings -----------------------------------------------------------------


async def test_fungies_enum_values_as_strings_reach_the_wire(fg: Any, server: Server) -> None:
    """`orders.update(id, status="PAID", currency="EUR")` sends the values; no enum import needed."""
    server.reply(json_response(200, fg_success({"order": fg_order(status="PAID")})))
    order = await resolve(fg().orders.update(FG_ID, status="PAID", currency="EUR"))
    assert _body(server) == {"status": "PAID", "currency": "EUR"}
    assert str(server.last.url) == f"https://api.fungies.io/v0/orders/{FG_ID}/update"
    assert isinstance(order, FungiesOrder)


async def test_fungies_single_value_field_defaults_and_enum_string(fg: Any, server: Server) -> None:
    """`discounts.create` needs no `type` (its only value is "code", sent anyway); amount_type as a string."""
    discount = {"id": FG_ID, "amount": "10", "excludedOffers": []}
    server.reply(json_response(200, fg_success({"discount": discount})))
    result = await resolve(fg().discounts.create(amount=10, amount_type="percentage"))
    assert _body(server) == {"type": "code", "amount": 10, "amountType": "percentage"}
    assert result.id is not None


# -- bodies: keywords (every variant), a dict, a model --------------------------------------------------------


async def test_cnaught_order_by_amount_as_keywords(cn: Any, server: Server) -> None:
    """`orders.create(amount_kg=10)`: the first variant of the oneOf body."""
    server.reply(json_response(201, cn_order()))
    order = await resolve(cn().orders.create(amount_kg=10, description="On behalf of Jane"))
    assert _body(server) == {"amount_kg": 10, "description": "On behalf of Jane"}
    assert isinstance(order, Order)


async def test_cnaught_order_by_price_as_keywords(cn: Any, server: Server) -> None:
    """`orders.create(total_price_usd_cents=2500)`: the second variant."""
    server.reply(json_response(201, cn_order()))
    await resolve(cn().orders.create(total_price_usd_cents=2500, metadata="m-1"))
    assert _body(server) == {"total_price_usd_cents": 2500, "metadata": "m-1"}


async def test_cnaught_order_as_a_dict_and_as_a_model(cn: Any, server: Server) -> None:
    server.reply(json_response(201, cn_order()))
    client = cn()
    await resolve(client.orders.create(body={"amount_kg": 10, "portfolio_id": "p-1"}))
    assert _body(server) == {"amount_kg": 10, "portfolio_id": "p-1"}
    await resolve(client.orders.create(body=GenericOrderByAmountParameters(amount_kg=12)))
    assert _body(server) == {"amount_kg": 12}


async def test_cnaught_order_keywords_of_both_variants_are_refused_before_sending(cn: Any, server: Server) -> None:
    server.reply(json_response(201, cn_order()))
    client = cn()
    with pytest.raises(TypeError, match="pass the required fields of exactly one of"):
        await resolve(client.orders.create(amount_kg=1, total_price_usd_cents=2))
    with pytest.raises(TypeError, match="not both"):
        await resolve(client.orders.create(amount_kg=1, body={"amount_kg": 1}))
    assert server.requests == []


async def test_fungies_body_as_keywords_dict_and_model(fg: Any, server: Server) -> None:
    discount = {"id": FG_ID, "amount": "5", "excludedOffers": []}
    server.reply(json_response(200, fg_success({"discount": discount})))
    client = fg()
    await resolve(client.discounts.create(body={"type": "code", "amount": 5, "amountType": "fixed"}))
    assert _body(server) == {"type": "code", "amount": 5, "amountType": "fixed"}
    model = DiscountCreateParams(type_="code", amount=5, amount_type=fungies_client.models.AmountType.FIXED)
    await resolve(client.discounts.create(body=model))
    assert _body(server) == {"type": "code", "amount": 5, "amountType": "fixed"}


# -- extra_query / extra_body ---------------------------------------------------------------------------------


async def test_cnaught_extra_query_and_extra_body_on_the_wire(cn: Any, server: Server) -> None:
    server.reply(json_response(201, cn_order()))
    await resolve(cn().orders.create(amount_kg=1, extra_query={"dry_run": "1"}, extra_body={"source": "web"}))
    assert server.last.url.params["dry_run"] == "1"
    assert _body(server) == {"amount_kg": 1, "source": "web"}


async def test_fungies_extra_query_on_a_list_and_extra_body_on_a_write(fg: Any, server: Server) -> None:
    server.reply(
        json_response(200, fg_success({"orders": [], "count": 0})),
        json_response(200, fg_success({"order": fg_order()})),
    )
    client = fg()
    await resolve(client.orders.with_raw_response.list(take=5, extra_query={"createdFrom": "1700000000"}))
    assert dict(server.last.url.params) == {"take": "5", "createdFrom": "1700000000"}
    await resolve(client.orders.cancel(FG_ID, extra_body={"reason": "duplicate"}))
    assert _body(server) == {"reason": "duplicate"}


# -- errors: the field, the request id ------------------------------------------------------------------------

VALIDATION = {
    "type": "https://api.cnaught.com/v1/errors/invalid-parameters",
    "title": "Your request parameters didn't validate",
    "status": 400,
    "errors": {"amount_kg": ["The field amount_kg must be a positive number."]},
}


async def test_cnaught_400_names_the_field_and_the_request_id(cn: Any, server: Server) -> None:
    server.reply(json_response(400, VALIDATION, headers={"X-Request-Id": "req_7f3"}, ctype=PROBLEM))
    with pytest.raises(cnaught_client.BadRequestError) as info:
        await resolve(cn().orders.create(amount_kg=-1))
    assert str(info.value) == (
        "orders.create: HTTP 400: Your request parameters didn't validate; "
        "amount_kg: The field amount_kg must be a positive number. (request id: req_7f3)"
    )
    assert info.value.request_id == "req_7f3"


async def test_fungies_400_says_its_message_and_the_request_id(fg: Any, server: Server) -> None:
    envelope = {"status": "error", "error": {"message": "amount: Expected number, received string"}}
    server.reply(json_response(400, envelope, headers={"request-id": "fg-42"}))
    with pytest.raises(fungies_client.BadRequestError) as info:
        await resolve(fg().discounts.create(body={"amount": "ten", "amountType": "fixed"}))
    assert str(info.value) == (
        "discounts.create: HTTP 400: amount: Expected number, received string (request id: fg-42)"
    )
    assert info.value.request_id == "fg-42"


# -- deprecation ------------------------------------------------------------------------------------------------


def test_cnaught_deprecated_operation_warns_naming_the_replacement(make_cn: Any, server: Server) -> None:
    """The warning points at the caller's line, so Python's default filters show it in a script."""
    server.reply(json_response(201, cn_order()))
    client = make_cn()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
        client.orders.create_ride(distance_km=12.5)
    (warning,) = caught
    assert warning.category is DeprecationWarning
    assert str(warning.message) == (
        "orders.create_ride() is deprecated by the API; use client.quotes.ground_transport() instead"
    )
    assert (warning.filename, warning.lineno) == (__file__, line)
    assert len(server.requests) == 1  # it still works


async def test_cnaught_deprecated_operation_warns_from_the_async_client(make_acn: Any, server: Server) -> None:
    server.reply(json_response(200, {"amount_kg": 1.0, "price_usd_cents": 10}))
    client = make_acn()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
        await client.quotes.ride(distance_km=3)
    assert [(str(w.message).split(";")[1], w.filename, w.lineno) for w in caught] == [
        (" use client.quotes.ground_transport() instead", __file__, line)
    ]


def test_operations_that_are_not_deprecated_do_not_warn(make_cn: Any, make_fg: Any, server: Server) -> None:
    """Fungies marks no operation deprecated: none of its calls warns, nor CNaught's current ones."""
    server.reply(json_response(200, cn_order()), json_response(200, fg_success({"order": fg_order()})))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_cn().orders.retrieve("a")
        make_fg().orders.cancel(FG_ID)
    assert len(server.requests) == 2


# -- what methods return: the resource; the body through with_raw_response ------------------------------------


async def test_fungies_cancel_returns_the_order_and_raw_keeps_the_envelope(fg: Any, server: Server) -> None:
    server.reply(json_response(200, fg_success({"order": fg_order(status="CANCELLED")})))
    client = fg()
    order = await resolve(client.orders.cancel(FG_ID))
    assert isinstance(order, FungiesOrder)
    assert order.id is not None
    raw = await resolve(client.orders.with_raw_response.cancel(FG_ID))
    assert raw.json() == fg_success({"order": fg_order(status="CANCELLED")})
    parsed = raw.parse()  # the same type as the method returns (openai-python's choice)
    assert isinstance(parsed, FungiesOrder)
    assert parsed.order_number == order.order_number


async def test_fungies_list_pages_are_items(fg: Any, server: Server) -> None:
    server.reply(json_response(200, fg_success({"orders": [fg_order("1"), fg_order("2")], "count": 2})))
    listing = fg().orders.list()
    orders = [o async for o in listing] if hasattr(listing, "__aiter__") else list(listing)
    assert [type(o) for o in orders] == [FungiesOrder, FungiesOrder]


async def test_cnaught_a_list_in_data_is_returned_as_the_list(cn: Any, server: Server) -> None:
    portfolio = {"id": "p-1", "name": "Climate", "description": "d"}
    server.reply(json_response(200, {"data": [portfolio]}))
    client = cn()
    portfolios = await resolve(client.portfolios.list())
    assert [type(p) for p in portfolios] == [Portfolio]
    raw = await resolve(client.portfolios.with_raw_response.list())
    assert raw.json() == {"data": [portfolio]}
    assert [p.id for p in raw.parse()] == ["p-1"]
