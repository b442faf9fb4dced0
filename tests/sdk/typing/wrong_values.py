"""Mistakes `mypy --strict` must catch (test_user_program.py expects an error on each line marked so)."""

from __future__ import annotations

from cnaught_client import CNaught
from fungies_client import Fungies
from fungies_client.webhooks import UnknownWebhookEvent, parse_event


def mistakes(cn: CNaught, fg: Fungies) -> None:
    fg.orders.list(statuses=["PAYED"])  # error: not a status
    fg.discounts.create(amount=10, amount_type="percent")  # error: not an amount type
    cn.orders.create(description="no amount")  # error: neither amount_kg nor total_price_usd_cents
    fg.orders.list(take=2.5)  # error: take is a count
    print(cn.orders.retrieve("o1").metadata.upper())  # error: metadata may be None (absent or null)
    cn.orders.with_raw_response.create(description="no amount")  # error: the raw view keeps the overloads
    cn.orders.with_streaming_response.create(description="no amount")  # error: so does the streaming view
    cn.orders.with_raw_response.retrieve(42)  # error: the raw view keeps the method's parameters
    cn.orders.with_raw_response.create(amount_kg=10, total_price_usd_cents=2500)  # error: one variant per call
    cn.get("/orders/o1")  # error: a custom request says what it reads the body as (cast_to)
    cn.subaccounts.upload_logo("s1", body="logo.png")  # error: a str is not a file: Path("logo.png") is


def misspelt_event_type(body: bytes) -> None:
    event = parse_event(body)
    if not isinstance(event, UnknownWebhookEvent) and event.type == "payment_sucess":  # error: no such type
        print(event.id)
