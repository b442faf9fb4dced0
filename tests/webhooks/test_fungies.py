"""fungies_client.webhooks: the x-fngs-signature check and typed events for every documented type.

Bodies: the vendor's documented deliveries in specs/fungies/examples/webhooks/
(<event type>__<case>.json). The types with no published body (payment_failed, subscription_interval,
subscription_updated, subscription_cancelled) are checked on a documented body of their family.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fungies_client import models, webhooks
from fungies_client.webhooks import WebhookPayloadError, WebhookSignatureError, parse_event, sign, unwrap, verify

from ..inputs import vendor_file, vendored_files

EXAMPLES = "fungies/examples/webhooks"
EVENT_FILES = [p for p in vendored_files(f"{EXAMPLES}/*.json") if not p.name.startswith("signature_header__")]
SECRET = "whsec_5f1c0ffee_test_secret"
# The event types the vendor documents, and the generated model of each (specs/fungies/webhooks.yaml).
MODELS = {
    "payment_success": "PaymentSuccessEvent",
    "payment_refunded": "PaymentRefundedEvent",
    "payment_failed": "PaymentFailedEvent",
    "subscription_created": "SubscriptionCreatedEvent",
    "subscription_interval": "SubscriptionIntervalEvent",
    "subscription_updated": "SubscriptionUpdatedEvent",
    "subscription_cancelled": "SubscriptionCancelledEvent",
}
# Undocumented bodies are taken to be those of their family (the header of webhooks.yaml says so).
FAMILY_EXAMPLE = {
    "payment_failed": "payment_refunded__help_center_example.json",
    "subscription_interval": "subscription_created__help_center_example.json",
    "subscription_updated": "subscription_created__help_center_example.json",
    "subscription_cancelled": "subscription_created__help_center_example.json",
}


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(vendor_file(f"{EXAMPLES}/{name}").read_text(encoding="utf-8"))
    return data


def _signature(payload: bytes, secret: str = SECRET) -> str:
    # Computed here from the vendor's description, independently of webhooks.sign.
    return "sha256_" + hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def _ids(path: Path) -> str:
    return path.stem


def test_the_documented_examples_are_found() -> None:
    """The vendor's folder holds a body for payment_success, payment_refunded and subscription_created."""
    assert {p.name.split("__")[0] for p in EVENT_FILES} == {
        "payment_success",
        "payment_refunded",
        "subscription_created",
    }


def test_every_documented_type_has_a_typed_model() -> None:
    """EVENT_TYPES is exactly the seven documented types."""
    assert frozenset(MODELS) == webhooks.EVENT_TYPES


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", EVENT_FILES, ids=_ids)
def test_example_parses_into_its_typed_event(path: Path) -> None:
    """A documented delivery parses into the generated model of its type, with its envelope fields."""
    body = json.loads(path.read_text(encoding="utf-8"))
    event = parse_event(path.read_bytes())
    event_type = path.name.split("__")[0]
    assert event.type == event_type
    assert event.id == body["id"]
    assert event.known
    assert type(event.model) is getattr(models, MODELS[event_type])
    assert event.model is not None and event.model.id == body["id"]
    expected_data = models.WebhookPaymentData if event_type.startswith("payment_") else models.WebhookSubscriptionData
    assert type(event.data) is expected_data
    # Each documented type has its own class (its `type` a Literal, for a type checker to narrow on).
    delivery = "".join(word.title() for word in event_type.split("_")) + "Delivery"
    assert type(event) is getattr(webhooks, delivery) and isinstance(event, webhooks.WebhookEvent)
    assert event.data is event.model.data
    assert event.test_mode is True
    assert event.idempotency_key == body["idempotencyKey"]
    assert event.raw == body


@pytest.mark.parametrize("path", EVENT_FILES, ids=_ids)
def test_example_round_trips_to_the_same_json(path: Path) -> None:
    """`data.to_dict()` (and the whole model's) gives back the documented JSON."""
    body = json.loads(path.read_text(encoding="utf-8"))
    event = parse_event(path.read_bytes())
    assert event.model is not None
    assert json.dumps(event.data.to_dict(), sort_keys=True) == json.dumps(body["data"], sort_keys=True)
    assert json.dumps(event.model.to_dict(), sort_keys=True) == json.dumps(body, sort_keys=True)


def test_payment_refunded_fields_are_typed() -> None:
    """payment_refunded: the payment's enums are the API's classes, ids are the strings sent, nulls stay None."""
    event = parse_event(_load("payment_refunded__help_center_example.json"))
    payment, order, customer = event.data.payment, event.data.order, event.data.customer
    assert payment.status is models.OrderStatus.PAID
    assert payment.type_ is models.PaymentType.ONE_TIME
    assert payment.currency is models.Currency.USD
    assert payment.order_id == "a0671147-3eee-4e08-885c-66dc436623f2"
    assert order.object_ is models.OrderObject.ORDER
    assert order.created_at == 1732370437156
    assert order.currency_decimals == 2
    assert customer.object_ is models.UserObject.USER
    assert customer.username is None
    assert customer.internal_id is None
    assert event.data.items == []


def test_payment_success_partial_order_parses() -> None:
    """payment_success: the documented short order (id, totalItems, orderNumber) and no payment object."""
    event = parse_event(_load("payment_success__help_center_example.json"))
    assert event.data.order.id == "47f68b70-898e-4dc8-99bd-9f30ce73c2f4"
    assert event.data.order.order_number == "2OJ3DJ0VP0CN"
    assert event.data.order.total_items == 0
    assert event.data.order.status is None and event.data.payment is None  # absent: not set
    assert event.data.order.model_fields_set == {"id", "total_items", "order_number"}
    assert "payment" not in event.data.model_fields_set
    assert event.data.customer.email == "test@Fungies"


def test_subscription_created_fields_are_typed() -> None:
    """subscription_created: the subscription id is an order number; its last payment is a WebhookPayment."""
    event = parse_event(_load("subscription_created__help_center_example.json"))
    subscription = event.data.subscription
    assert subscription.id == "z26yYXQWFMoFsOBa"
    assert subscription.object_ is models.SubscriptionObject.SUBSCRIPTION
    assert subscription.canceled_at is None
    assert subscription.cancel_at_interval_end is False
    assert subscription.current_interval_end == 1734530713000
    assert type(event.data.last_payment) is models.WebhookPayment
    assert event.data.last_payment.type_ is models.PaymentType.SUBSCRIPTION_INITIAL


@pytest.mark.parametrize("event_type", sorted(FAMILY_EXAMPLE))
def test_undocumented_body_types_parse_with_their_family_data(event_type: str) -> None:
    """A type with no published body parses into its own model, with the data of its family."""
    body = _load(FAMILY_EXAMPLE[event_type]) | {"type": event_type}
    event = parse_event(json.dumps(body))
    assert type(event.model) is getattr(models, MODELS[event_type])
    assert event.type == event_type
    assert event.data.to_dict() == body["data"]


def test_parse_accepts_bytes_text_and_mapping() -> None:
    """Raw bytes, decoded text and an already decoded mapping give the same event."""
    path = vendor_file(f"{EXAMPLES}/payment_refunded__help_center_example.json")
    events = [
        parse_event(path.read_bytes()),
        parse_event(path.read_text(encoding="utf-8")),
        parse_event(_load(path.name)),
    ]
    assert events[0] == events[1] == events[2]


def test_parse_leaves_the_mapping_unchanged() -> None:
    """Parsing a decoded body does not consume it (the models pop from copies)."""
    body = _load("subscription_created__help_center_example.json")
    before = json.dumps(body, sort_keys=True)
    event = parse_event(body)
    assert json.dumps(body, sort_keys=True) == before
    assert event.raw == body


def test_unknown_type_gives_a_generic_event() -> None:
    """A type not documented yet is not an error: type, id and the raw data, no model."""
    body = {"id": "0b6b1a0e-5d7e-4b8e-9a51-1f0c0f3f0c11", "type": "product_updated", "data": {"product": {"id": 7}}}
    event = parse_event(json.dumps(body).encode())
    assert event.type == "product_updated"
    assert event.id == body["id"]
    assert not event.known and type(event) is webhooks.UnknownWebhookEvent
    assert event.model is None
    assert event.data == {"product": {"id": 7}}
    assert event.test_mode is None and event.idempotency_key is None
    assert event.raw == body


def test_malformed_json_is_a_payload_error() -> None:
    """A body that is not JSON raises WebhookPayloadError naming the position."""
    with pytest.raises(WebhookPayloadError, match=r"not valid JSON: .*\(line 1, column 10\)"):
        parse_event(b'{"type": payment_success}')


def test_invalid_utf8_is_a_payload_error() -> None:
    """Bytes that are not UTF-8 raise WebhookPayloadError, not UnicodeDecodeError."""
    with pytest.raises(WebhookPayloadError, match="not UTF-8"):
        parse_event(b'{"type": "\xff"}')


def test_non_object_json_is_a_payload_error() -> None:
    """A JSON array is not an event."""
    with pytest.raises(WebhookPayloadError, match="must be a JSON object, not list"):
        parse_event(b"[1, 2]")


def test_missing_type_is_a_payload_error() -> None:
    """A body without a 'type' string is not a Fungies event."""
    with pytest.raises(WebhookPayloadError, match="no 'type' string"):
        parse_event({"id": "x", "data": {}})


def test_missing_id_is_a_payload_error() -> None:
    """A body without an 'id' string is rejected, naming its type."""
    with pytest.raises(WebhookPayloadError, match="the payment_success event has no 'id' string"):
        parse_event({"type": "payment_success", "data": {}})


def test_known_type_without_its_subject_parses_and_reading_it_says_so() -> None:
    """A payment event whose data has no order parses (lenient); reading `order` raises naming the field."""
    body = _load("payment_success__help_center_example.json")
    del body["data"]["order"]
    event = parse_event(body)
    with pytest.raises(AttributeError, match=r"WebhookPaymentData\.order is not set: the body left out this field"):
        _ = event.data.order


def test_known_type_with_an_unknown_status_parses_and_keeps_it() -> None:
    """A status Fungies adds later (not in the spec) is kept as a pseudo-member: the delivery is acknowledged."""
    body = _load("payment_refunded__help_center_example.json")
    body["data"]["payment"]["status"] = "TELEPORTED"
    event = parse_event(body)
    status = event.data.payment.status
    assert isinstance(status, models.OrderStatus)
    assert status == "TELEPORTED"
    assert not status.known
    assert event.data.to_dict()["payment"]["status"] == "TELEPORTED"


def test_known_type_with_a_value_that_cannot_be_represented_is_a_payload_error() -> None:
    """A string where the order object is cannot be parsed: WebhookPayloadError names the JSON path."""
    body = _load("payment_refunded__help_center_example.json")
    body["data"]["order"] = "a0671147"
    with pytest.raises(
        WebhookPayloadError, match=r"payment_refunded event .* does not have its documented form at data\.order: "
    ):
        parse_event(body)


# --------------------------------------------------------------------------- signatures


@pytest.mark.parametrize("path", EVENT_FILES, ids=_ids)
def test_signature_over_the_example_verifies(path: Path) -> None:
    """A signature computed as the vendor describes verifies, and sign() computes the same value."""
    payload = path.read_bytes()
    assert verify(payload, _signature(payload), SECRET) is None
    assert sign(payload, SECRET) == _signature(payload)


@pytest.mark.parametrize("path", EVENT_FILES, ids=_ids)
def test_one_changed_byte_fails(path: Path) -> None:
    """Changing one byte of the body after signing makes verification fail."""
    payload = path.read_bytes()
    signature = _signature(payload)
    middle = len(payload) // 2
    changed = payload[:middle] + bytes([payload[middle] ^ 0x01]) + payload[middle + 1 :]
    with pytest.raises(WebhookSignatureError, match="does not match the body"):
        verify(changed, signature, SECRET)


@pytest.mark.parametrize("path", EVENT_FILES, ids=_ids)
def test_wrong_secret_fails(path: Path) -> None:
    """A signature made with another secret fails."""
    payload = path.read_bytes()
    with pytest.raises(WebhookSignatureError, match="does not match the body"):
        verify(payload, _signature(payload, "whsec_someone_else"), SECRET)


@pytest.mark.parametrize("path", EVENT_FILES, ids=_ids)
def test_missing_prefix_fails(path: Path) -> None:
    """The bare hex digest, without 'sha256_', fails even though the digest is right."""
    payload = path.read_bytes()
    bare = _signature(payload).removeprefix("sha256_")
    with pytest.raises(WebhookSignatureError, match="does not start with 'sha256_'"):
        verify(payload, bare, SECRET)


@pytest.mark.parametrize("header", ["", "   "], ids=["empty", "blank"])
def test_empty_header_fails(header: str) -> None:
    """An empty or blank header value fails as missing."""
    payload = EVENT_FILES[0].read_bytes()
    with pytest.raises(WebhookSignatureError, match="missing or empty"):
        verify(payload, header, SECRET)


@pytest.mark.parametrize(
    "digest",
    ["zz" * 32, "ab" * 31, "ab" * 33, "ab " * 32],
    ids=["not-hex", "too-short", "too-long", "spaced"],
)
def test_malformed_hex_fails(digest: str) -> None:
    """A prefix followed by anything but 64 hex digits fails before any comparison."""
    with pytest.raises(WebhookSignatureError, match="64 hex digits"):
        verify(b"{}", "sha256_" + digest, SECRET)


def test_uppercase_hex_and_surrounding_space_verify() -> None:
    """Hex case and whitespace around the header value do not matter."""
    payload = EVENT_FILES[0].read_bytes()
    value = "sha256_" + _signature(payload).removeprefix("sha256_").upper()
    assert verify(payload, f"  {value}\r\n", SECRET) is None


def test_documented_header_value_has_the_format_verify_reads() -> None:
    """The vendor's published header value passes the format checks (only the digest comparison fails)."""
    documented = json.loads(vendor_file(f"{EXAMPLES}/signature_header__docs_example.json").read_text(encoding="utf-8"))
    assert documented["header"] == webhooks.SIGNATURE_HEADER
    with pytest.raises(WebhookSignatureError, match="does not match the body"):
        verify(b"{}", documented["value"], SECRET)


def test_errors_never_show_the_secret() -> None:
    """No signature error message contains the secret."""
    payload = EVENT_FILES[0].read_bytes()
    messages = []
    for signature in ["", "abc", "sha256_xyz", _signature(payload, "other"), _signature(payload + b" ")]:
        with pytest.raises(WebhookSignatureError) as info:
            verify(payload, signature, SECRET)
        messages.append(str(info.value))
    assert len(set(messages)) == 4
    assert not [m for m in messages if SECRET in m]


def test_empty_secret_is_refused() -> None:
    """An empty secret is a misconfiguration (anyone can sign with it): ValueError, not a pass."""
    with pytest.raises(ValueError, match="secret is empty"):
        verify(b"{}", _signature(b"{}", ""), "")


def test_text_payload_is_refused() -> None:
    """verify() needs the raw bytes: decoded text is a TypeError."""
    with pytest.raises(TypeError, match="raw request body as bytes, not str"):
        verify("{}", _signature(b"{}"), SECRET)  # type: ignore[arg-type]


def test_unwrap_verifies_then_parses() -> None:
    """unwrap returns the typed event for a signed body and checks the signature before parsing."""
    payload = vendor_file(f"{EXAMPLES}/subscription_created__help_center_example.json").read_bytes()
    event = unwrap(payload, _signature(payload), SECRET)
    assert type(event.model) is models.SubscriptionCreatedEvent
    with pytest.raises(WebhookSignatureError):
        unwrap(b"not json", _signature(b"other body"), SECRET)


def test_signed_delivery_whose_order_has_a_new_status_is_acknowledged() -> None:
    """A signed payment_success whose order carries a status Fungies added later verifies and parses: the
    receiver can answer 200 instead of 400 (which the vendor would retry forever)."""
    body = _load("payment_refunded__help_center_example.json")
    body["data"]["order"]["status"] = "CHARGEBACK_OPEN"
    body["data"]["order"]["riskLevel"] = "low"
    payload = json.dumps(body).encode()
    event = unwrap(payload, _signature(payload), SECRET)
    order = event.data.order
    assert isinstance(order.status, models.OrderStatus)
    assert order.status == "CHARGEBACK_OPEN" and not order.status.known
    assert order["riskLevel"] == "low"
    assert event.model is not None and event.model.to_dict() == body


def test_importing_webhooks_loads_no_model() -> None:
    """`import fungies_client.webhooks` imports no model module (they load on the first parse)."""
    code = (
        "import sys, fungies_client; before = set(sys.modules); import fungies_client.webhooks; "
        "print(sorted(m for m in set(sys.modules) - before if m.startswith('fungies_client.models')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
