"""Mistakes `mypy --strict` must catch (test_user_program.py expects an error on each line marked so)."""

from __future__ import annotations

from cnaught_client import CNaught
from fungies_client import Fungies


def mistakes(cn: CNaught, fg: Fungies) -> None:
    fg.orders.list(statuses=["PAYED"])  # error: not a status
    fg.discounts.create(amount=10, amount_type="percent")  # error: not an amount type
    cn.orders.create(description="no amount")  # error: neither amount_kg nor total_price_usd_cents
    fg.orders.list(take=2.5)  # error: take is a count
    print(cn.orders.retrieve("o1").metadata.upper())  # error: metadata may be None (absent or null)
    cn.orders.with_raw_response.create(description="no amount")  # error: the raw view keeps the overloads
    cn.orders.with_streaming_response.create(description="no amount")  # error: so does the streaming view
    cn.orders.with_raw_response.retrieve(42)  # error: the raw view keeps the method's parameters
