"""The application under test: a shop that sells on Fungies and offsets each paid order with CNaught.

Written as an SDK user writes code (it is tested in test_offsets.py with the fakes of `<package>.testing`):
a webhook endpoint places one carbon-credit order per paid Fungies order, idempotently, so a delivery
Fungies repeats buys nothing twice; a nightly check lists the paid orders that have no offset yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cnaught_client import CNaught
from fungies_client import Fungies, webhooks

KG_PER_ORDER = 12.5


@dataclass
class Offsetter:
    """Buys the carbon credits of paid Fungies orders from CNaught."""

    cnaught: CNaught
    fungies: Fungies
    webhook_secret: str
    kg_per_order: float = KG_PER_ORDER

    def receive(self, body: bytes, headers: Mapping[str, str]) -> int:
        """The webhook endpoint: the HTTP status to answer the delivery with."""
        try:
            event = webhooks.unwrap(body, headers.get(webhooks.SIGNATURE_HEADER, ""), self.webhook_secret)
        except webhooks.WebhookSignatureError:
            return 401
        except webhooks.WebhookPayloadError:
            return 400
        if isinstance(event, webhooks.UnknownWebhookEvent):
            return 200  # a type this SDK does not know yet: acknowledged, nothing to do
        if event.type == "payment_success":
            self.offset(str(event.data.order.id))
        return 200

    def offset(self, fungies_order_id: str) -> str:
        """Buy the credits of one Fungies order (the same order never buys twice: one idempotency key per order)."""
        order = self.cnaught.orders.create(
            amount_kg=self.kg_per_order,
            metadata=f"fungies:{fungies_order_id}",
            idempotency_key=f"offset-{fungies_order_id}",
        )
        return order.id

    def missing_offsets(self) -> list[str]:
        """The paid Fungies orders without a CNaught order yet (every page of both lists)."""
        offset = {order.metadata for order in self.cnaught.orders.list(limit=100)}
        paid = self.fungies.orders.list(statuses=["PAID"], take=50)
        return [str(order.id) for order in paid if f"fungies:{order.id}" not in offset]
