"""cnaught_client.webhooks: the order-status callback (`{"order": {...}}`) typed with the SDK's Order.

Bodies (fixtures/order_status__<case>.json): CNaught publishes no callback example, only that the
callback POSTs `{"order": {...}}` (specs/cnaught/SOURCES.md, INTRO). `fulfilled` is an order built from the
examples of the spec's Order, ProjectAllocation, Project and Retirement schemas, with the
`subaccount_id` the live API sends; `cancelled` wraps the vendor's CancelOrder docs example.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cnaught_client.models import Order, OrderState, ProjectAllocation
from cnaught_client.webhooks import OrderStatusEvent, WebhookPayloadError, parse_event

from ..inputs import vendor_file

FIXTURES = Path(__file__).parent / "fixtures"
CANCEL_ORDER_DOCS_EXAMPLE = vendor_file("cnaught/examples/CancelOrder__docs_example.json")


def _fixture(case: str) -> Path:
    return FIXTURES / f"order_status__{case}.json"


def _load(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_fixture(case).read_text(encoding="utf-8"))
    return data


def test_fulfilled_callback_parses_into_an_order() -> None:
    """The fulfilled callback gives the SDK's Order with its state, subaccount and allocations typed."""
    event = parse_event(_fixture("fulfilled").read_bytes())
    assert type(event) is OrderStatusEvent
    assert type(event.order) is Order
    assert event.order.id == "Gre28Fc35bt3"
    assert event.order.state is OrderState.FULFILLED
    assert event.order.subaccount_id == "Xh7fPq2R"
    assert event.order.amount_kg == 10.5
    assert event.order.checkout_session_id is None
    allocation = event.order.project_allocations[0]
    assert type(allocation) is ProjectAllocation
    assert allocation.project.name == "Liling Landfill Gas Project"
    assert allocation.retirements[0].serial_number_range == "GS1-1-KE-GS5642-16-2018-20671-12345-12350"


@pytest.mark.parametrize("case", ["fulfilled", "cancelled"])
def test_callback_order_round_trips_to_the_same_json(case: str) -> None:
    """`order.to_dict()` gives back the order of the body, and `raw` is the whole body."""
    body = _load(case)
    event = parse_event(json.dumps(body))
    assert json.dumps(event.order.to_dict(), sort_keys=True) == json.dumps(body["order"], sort_keys=True)
    assert event.raw == body


def test_cancelled_callback_is_the_docs_cancel_order_example() -> None:
    """The cancelled fixture is the vendor's CancelOrder example; it parses with null certificate URLs."""
    docs = json.loads(CANCEL_ORDER_DOCS_EXAMPLE.read_text(encoding="utf-8"))
    assert _load("cancelled") == {"order": docs}
    event = parse_event(_load("cancelled"))
    assert event.order.state is OrderState.CANCELLED
    assert event.order.certificate_public_url is None
    assert event.order.subaccount_id is None and "subaccount_id" not in event.order.model_fields_set


def test_parse_accepts_bytes_text_and_mapping() -> None:
    """Raw bytes, decoded text and a decoded mapping give the same event."""
    path = _fixture("fulfilled")
    events = [
        parse_event(path.read_bytes()),
        parse_event(path.read_text(encoding="utf-8")),
        parse_event(_load("fulfilled")),
    ]
    assert events[0] == events[1] == events[2]


def test_body_without_order_is_a_payload_error() -> None:
    """A body without an 'order' object is not an order-status callback."""
    with pytest.raises(WebhookPayloadError, match="no 'order' object"):
        parse_event(b'{"id": "Gre28Fc35bt3", "state": "fulfilled"}')


def test_order_without_id_is_a_payload_error() -> None:
    """An order with no id cannot be acted on."""
    with pytest.raises(WebhookPayloadError, match="order has no 'id' string"):
        parse_event({"order": {"state": "fulfilled"}})


def test_unknown_state_is_kept() -> None:
    """A state CNaught adds later (not in the spec) parses into a pseudo-member of OrderState: acknowledged."""
    body = _load("fulfilled")
    body["order"]["state"] = "refunded"
    event = parse_event(body)
    assert isinstance(event.order.state, OrderState)
    assert event.order.state == "refunded"
    assert not event.order.state.known
    assert event.order.to_dict() == body["order"]


def test_order_that_cannot_be_represented_is_a_payload_error() -> None:
    """A list where the allocations' project object is cannot be parsed: the error names the JSON path."""
    body = _load("fulfilled")
    body["order"]["project_allocations"] = [{"project": ["not", "an", "object"]}]
    with pytest.raises(
        WebhookPayloadError,
        match=r"order Gre28Fc35bt3 does not have the documented form at order\.project_allocations\[0\]\.project",
    ):
        parse_event(body)


def test_malformed_json_is_a_payload_error() -> None:
    """A body that is not JSON raises WebhookPayloadError naming the position."""
    with pytest.raises(WebhookPayloadError, match=r"not valid JSON: .*\(line 1, column 11\)"):
        parse_event(b'{"order": }')


def test_importing_webhooks_loads_no_model() -> None:
    """`import cnaught_client.webhooks` imports no model module (Order loads on the first parse)."""
    code = (
        "import sys, cnaught_client; before = set(sys.modules); import cnaught_client.webhooks; "
        "print(sorted(m for m in set(sys.modules) - before if m.startswith('cnaught_client.models')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
