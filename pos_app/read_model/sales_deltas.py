"""How an edit or a discount changes a day's sales figures (pos_app/read_model/sales.py applies them, live and in
a rebuild)."""

from __future__ import annotations

from pos_app.domain.events import OrderDiscountedEvent, OrderEditedEvent

TYPE_COLUMNS = {"pickup": "pickup_orders", "delivery": "delivery_orders", "dine_in": "dine_in_orders"}
"""The day's counter of orders of each type."""


def edited_deltas(event: OrderEditedEvent) -> dict[str, int]:
    """The sale of the order as it was, replaced by the order as edited (its refund is booked apart)."""
    deltas = {
        "items_sold": sum(i.quantity for i in event.items) - sum(i.quantity for i in event.previous_items),
        "total_cents": event.total_cents - event.previous_total_cents,
        "tax_cents": event.tax_cents - event.previous_tax_cents,
        "delivery_fee_cents": event.delivery_fee_cents - event.previous_delivery_fee_cents,
    }
    if event.order_type != event.previous_order_type:
        deltas[TYPE_COLUMNS[event.previous_order_type]] = -1
        deltas[TYPE_COLUMNS[event.order_type]] = 1
    return deltas


def discounted_deltas(event: OrderDiscountedEvent) -> dict[str, int]:
    return {
        "total_cents": event.total_cents - event.previous_total_cents,
        "tax_cents": event.tax_cents - event.previous_tax_cents,
    }
