"""The user's tests of offsets.py: both SDKs replaced by their fakes, nothing else (no mock, no network)."""

from __future__ import annotations

import uuid

import cnaught_client
import pytest
from cnaught_client.testing import FakeCNaught, InvalidRequestError
from fungies_client.testing import FakeFungies

from .offsets import Offsetter

PAID_ORDER = "8b9d2c4e-1f3a-4b5c-9d6e-7f8091a2b3c4"


@pytest.fixture
def cnaught() -> FakeCNaught:
    return FakeCNaught()


@pytest.fixture
def fungies() -> FakeFungies:
    return FakeFungies()


@pytest.fixture
def app(cnaught: FakeCNaught, fungies: FakeFungies) -> Offsetter:
    return Offsetter(cnaught=cnaught, fungies=fungies, webhook_secret=fungies.webhook_secret)


def paid(fungies: FakeFungies, order_id: str = PAID_ORDER) -> tuple[bytes, dict[str, str]]:
    delivery = fungies.webhook("payment_success", data={"order": {"id": order_id}})
    return delivery.body, delivery.headers


def test_a_paid_order_buys_its_credits(app: Offsetter, cnaught: FakeCNaught, fungies: FakeFungies) -> None:
    """One CNaught order, for the configured weight, labelled with the Fungies order."""
    assert app.receive(*paid(fungies)) == 200
    [call] = cnaught.calls
    assert (call.operation, call.status) == ("orders.create", 201)
    assert call.json == {"amount_kg": 12.5, "metadata": f"fungies:{PAID_ORDER}"}
    assert call.headers["idempotency-key"] == f"offset-{PAID_ORDER}"


def test_a_repeated_delivery_sends_the_same_idempotency_key(
    app: Offsetter, cnaught: FakeCNaught, fungies: FakeFungies
) -> None:
    """Fungies retries deliveries: CNaught sees the same key, so it applies the order once."""
    app.receive(*paid(fungies))
    app.receive(*paid(fungies))
    assert len({call.headers["idempotency-key"] for call in cnaught.calls}) == 1


def test_a_forged_delivery_is_refused_and_buys_nothing(
    app: Offsetter, cnaught: FakeCNaught, fungies: FakeFungies
) -> None:
    """Signed with another secret: 401, no call to CNaught."""
    delivery = fungies.webhook("payment_success", secret="not-the-shop-s-secret")
    assert app.receive(delivery.body, delivery.headers) == 401
    assert cnaught.calls == []


def test_other_events_are_acknowledged_and_ignored(app: Offsetter, cnaught: FakeCNaught, fungies: FakeFungies) -> None:
    """A refund is answered 200 (or Fungies would retry it) and buys nothing."""
    delivery = fungies.webhook("payment_refunded")
    assert app.receive(delivery.body, delivery.headers) == 200
    assert cnaught.calls == []


def test_a_cnaught_hiccup_is_retried_by_the_sdk(app: Offsetter, cnaught: FakeCNaught, fungies: FakeFungies) -> None:
    """A 503 is retried (the idempotency key makes the write safe to repeat); the delivery succeeds."""
    cnaught.respond("orders.create", status=503, times=1)
    assert app.receive(*paid(fungies)) == 200
    assert [call.status for call in cnaught.calls] == [503, 201]


def test_a_refused_order_fails_the_delivery(app: Offsetter, cnaught: FakeCNaught, fungies: FakeFungies) -> None:
    """CNaught's 422 reaches the endpoint as the SDK's typed error (Fungies then delivers again later)."""
    cnaught.respond("orders.create", status=422)
    with pytest.raises(cnaught_client.UnprocessableEntityError) as caught:
        app.receive(*paid(fungies))
    assert caught.value.status_code == 422
    assert len(cnaught.calls) == 1  # a 422 is not retried


def test_the_nightly_check_reads_every_page_of_both_lists(
    app: Offsetter, cnaught: FakeCNaught, fungies: FakeFungies
) -> None:
    """120 paid orders in pages of 50, three of them offset (CNaught, pages of 100): 117 missing."""
    ids = [str(uuid.UUID(int=n + 1)) for n in range(120)]
    fungies.set_items("orders.list", [{"id": order_id, "status": "PAID"} for order_id in ids])
    cnaught.set_items("orders.list", [{"id": f"cn-{n}", "metadata": f"fungies:{ids[n]}"} for n in range(3)])
    missing = app.missing_offsets()
    assert missing == ids[3:]
    fungies_pages = [call.query for call in fungies.calls]
    assert fungies_pages == [
        {"statuses": "PAID", "take": "50"},
        {"statuses": "PAID", "take": "50", "skip": "50"},
        {"statuses": "PAID", "take": "50", "skip": "100"},
    ]


def test_a_configuration_typo_is_caught_by_the_api_s_spec(cnaught: FakeCNaught, fungies: FakeFungies) -> None:
    """A weight read from settings as text is refused where the SDK sends it, naming the field."""
    app = Offsetter(cnaught=cnaught, fungies=fungies, webhook_secret=fungies.webhook_secret, kg_per_order="12.5")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match=r"amount_kg: '12.5' is not of type 'number'"):
        app.receive(*paid(fungies))
