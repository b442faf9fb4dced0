"""Arbitrary bytes and headers through the webhook parsers: only the webhook error types ever come out."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from cnaught_client import webhooks as cn_webhooks
from fungies_client import webhooks as fg_webhooks
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .conftest import DERANDOMIZE, EXAMPLES, REPORT

SECRET = "whsec-fuzz"
RUNS = settings(
    max_examples=EXAMPLES * 20,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=[HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=25,
)
# Deep nesting is what a hostile sender tries first: json.loads recurses per level.
DEEP = b"[" * 100_000 + b"]" * 100_000


def _event(event_type: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Event-shaped bodies: a documented (or any) type, an id, and arbitrary data."""
    return st.fixed_dictionaries(
        {"type": event_type, "id": st.text(min_size=1, max_size=8)},
        optional={"data": json_values, "testMode": json_values, "idempotencyKey": json_values},
    )


fungies_types = st.sampled_from(sorted(fg_webhooks.EVENT_TYPES)) | st.text(max_size=10)


def _fungies_unwrap(payload: bytes, signature: str) -> None:
    with REPORT.example("webhooks: fungies_client.webhooks.unwrap"), contextlib.suppress(fg_webhooks.WebhookError):
        fg_webhooks.unwrap(payload, signature, SECRET)


@RUNS
@given(payload=st.binary(max_size=300), signature=st.text(max_size=80))
@example(payload=DEEP, signature="sha256_" + "0" * 64)
def test_fungies_unwrap_arbitrary_bytes_and_header(payload: bytes, signature: str) -> None:
    _fungies_unwrap(payload, signature)


@RUNS
@given(
    body=st.one_of(_event(fungies_types), json_values).map(lambda v: json.dumps(v).encode()) | st.binary(max_size=300)
)
@example(body=DEEP)
@example(body=b'{"type": "payment_success", "id": "e1", "data": ' + b"[" * 50_000 + b"]" * 50_000 + b"}")
def test_fungies_unwrap_correctly_signed_arbitrary_bodies(body: bytes) -> None:
    """Signed with the right secret, so the body reaches the parser and the generated event models."""
    _fungies_unwrap(body, fg_webhooks.sign(body, SECRET))


ORDER_FIELDS = ("order_number", "created_on", "amount_kg", "state", "price_usd_cents", "certificate_public_url")
# CNaught's order-status callback: {"order": {...}}, the order's documented fields with arbitrary values.
cnaught_callbacks = st.fixed_dictionaries(
    {
        "order": st.fixed_dictionaries(
            {"id": st.text(min_size=1, max_size=8)}, optional=dict.fromkeys(ORDER_FIELDS, json_values)
        )
    }
)


@RUNS
@given(body=st.one_of(cnaught_callbacks, json_values).map(lambda v: json.dumps(v).encode()) | st.binary(max_size=300))
@example(body=DEEP)
def test_cnaught_parse_event_arbitrary_bodies(body: bytes) -> None:
    with REPORT.example("webhooks: cnaught_client.webhooks.parse_event"), contextlib.suppress(cn_webhooks.WebhookError):
        cn_webhooks.parse_event(body)


def test_deeply_nested_bodies_are_payload_errors() -> None:
    """json.loads recursed past the stack on 100,000 brackets: RecursionError escaped both parsers."""
    with pytest.raises(fg_webhooks.WebhookPayloadError, match="nested too deeply"):
        fg_webhooks.unwrap(DEEP, fg_webhooks.sign(DEEP, SECRET), SECRET)
    with pytest.raises(cn_webhooks.WebhookPayloadError, match="nested too deeply"):
        cn_webhooks.parse_event(DEEP)
