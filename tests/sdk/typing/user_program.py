"""What an application developer writes with the two SDKs, checked by `mypy --strict` (test_user_program.py).

String ids where the spec says uuid, enum values as plain strings, bodies as keyword arguments, the
fields the API always returns read without a check, optional ones narrowed from `X | None` by a None
check, `model_fields_set`, `model_copy` and `dict(model)`, raw and streamed responses parsing to what the
method returns, custom requests typed by their `cast_to`, uploads in every form, and a webhook receiver narrowing
each event by its `type`. Never run: it only has to type-check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, assert_type

import httpx
from cnaught_client import APIResponse, AsyncCNaught, AsyncPage, CNaught, SyncPage
from cnaught_client.models import GenericOrderByAmountParameters, Order
from fungies_client import AsyncFungies, Fungies
from fungies_client.models import Order as FungiesOrder
from fungies_client.webhooks import PaymentSuccessDelivery, UnknownWebhookEvent, unwrap


def place_and_cancel(cn: CNaught) -> str:
    order = cn.orders.create(amount_kg=10, description="On behalf of Jane")
    order_id: str = order.id  # always returned: no Unset to rule out
    kilograms: float = order.amount_kg
    cn.orders.create(total_price_usd_cents=2500)  # the other form of the body
    cn.orders.create(body={"amount_kg": 10})
    cancelled: Order = cn.orders.cancel(order_id, idempotency_key=f"cancel-{order_id}")
    del kilograms, cancelled
    for earlier in cn.orders.list(limit=50):
        print(earlier.id.upper())
    return order_id


def fulfil(fg: Fungies, order_id: str) -> FungiesOrder:
    for order in fg.orders.list(statuses=["PAID", "PARTIALLY_REFUNDED"], currencies=["EUR", "USD"], take=100):
        number: str = order.order_number
        print(number, order.status)
    fg.users.retrieve("5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11")  # the spec says uuid; the docs show a string
    fg.discounts.create(amount=10, amount_type="percentage")  # type="code" is its only value: not needed
    updated = fg.orders.update(order_id, status="PAID", extra_headers={"X-Trace-Id": "t-1"})
    print(updated.id)
    return fg.orders.cancel(order_id)


async def retrieve(cn: AsyncCNaught, order_id: str) -> str:
    order = await cn.orders.retrieve(order_id)
    raw = await cn.orders.with_raw_response.retrieve(order_id)
    same: Order = raw.parse()
    pages = await cn.orders.with_raw_response.list(limit=5)  # an async list's raw view awaits its first page
    assert_type(pages, APIResponse[AsyncPage[Order]])
    print(raw.headers.get("content-type"), same.id)
    return order.id


def optional_fields(cn: CNaught, fg: Fungies, order_id: str) -> str:
    order = cn.orders.retrieve(order_id)
    if order.metadata is not None:  # `str | None`: the check narrows it to str
        print(order.metadata.upper())
    if "metadata" in order.model_fields_set:  # present in the body, null or not
        print("the API sent metadata")
    fields_set: set[str] = order.model_fields_set
    fg_order = fg.orders.cancel(order_id)
    country: str = fg_order.country if fg_order.country is not None else "unknown"
    as_dict: dict[str, Any] = dict(fg_order)
    copied: FungiesOrder = fg_order.model_copy(update={"country": "PL"}, deep=True)
    params = GenericOrderByAmountParameters(amount_kg=10).model_copy(update={"description": "Jane"})
    cn.orders.create(body=params)
    del fields_set, as_dict, copied
    return country


def raw_and_streamed(cn: CNaught) -> int:
    raw: APIResponse[Order] = cn.orders.with_raw_response.create(amount_kg=10)  # an overload, wrapped
    pages: APIResponse[SyncPage[Order]] = cn.orders.with_raw_response.list(limit=5)
    with cn.orders.with_streaming_response.create(total_price_usd_cents=2500) as response:
        size = sum(len(chunk) for chunk in response.iter_bytes())
        created: Order = response.parse()
    with cn.orders.with_streaming_response.list() as listing:
        first: SyncPage[Order] = listing.parse()
    print(raw.parse().id, pages.parse().items, created.id, first.items)
    return size


async def streamed_async(fg: AsyncFungies, order_id: str) -> FungiesOrder:
    async with fg.orders.with_streaming_response.cancel(order_id) as response:
        lines = [line async for line in response.iter_lines()]
        order: FungiesOrder = await response.parse()
    print(len(lines))
    return order


def custom_requests(cn: CNaught, fg: Fungies) -> list[Order]:
    """An endpoint the SDK has no method for yet: `cast_to` is what the call returns."""
    order = cn.get("/orders/o1", cast_to=Order)
    assert_type(order, Order)
    orders = cn.get("/orders", cast_to=list[Order], params={"limit": 5})
    assert_type(orders, list[Order])
    envelope = fg.post("/v0/orders/1001/notes", cast_to=dict, body={"note": "gift"})
    print(envelope.get("status"), order.id)
    response = fg.get("/v0/health", cast_to=httpx.Response)
    assert_type(response, httpx.Response)
    raw: APIResponse[Order] = cn.with_raw_response.get("/orders/o1", cast_to=Order)
    with cn.with_streaming_response.get("/orders/o1", cast_to=Order) as streamed:
        parsed: Order = streamed.parse()
    print(raw.parse().id, parsed.id)
    return orders


async def custom_request_async(cn: AsyncCNaught) -> Order:
    order = await cn.post("/orders", cast_to=Order, body={"amount_kg": 10})
    assert_type(order, Order)
    return order


def uploads(cn: CNaught, logo: Path) -> None:
    """A logo from a path, bytes, an open binary file, or (file name, content, content type)."""
    cn.subaccounts.upload_logo("s1", body=logo)
    cn.subaccounts.upload_logo("s1", body=logo.read_bytes())
    with logo.open("rb") as opened:
        cn.subaccounts.upload_logo("s1", body=opened)
    cn.subaccounts.upload_logo("s1", body=("logo.svg", logo.read_bytes(), "image/svg+xml"))


def on_delivery(body: bytes, signature: str) -> str:
    """A webhook receiver: once an unknown type is ruled out, comparing `type` narrows the event and its `data`."""
    event = unwrap(body, signature, "whsec_test")
    if isinstance(event, UnknownWebhookEvent):
        return event.type
    if event.type == "payment_success":
        assert_type(event, PaymentSuccessDelivery)
        return event.data.order.id
    if event.type == "subscription_cancelled":
        return event.data.subscription.id
    return event.id


def request_ids(cn: CNaught) -> list[str | None]:
    """The request id of a returned model and of a page, for a support ticket."""
    order = cn.orders.retrieve("o1")
    page = cn.orders.list(limit=5)
    return [order._request_id, page._request_id]
