"""Rebuild every read model from the event store, fast: apply the events to rows in memory, exactly as the
projections apply them to the tables, then write each table in bulk.

The projections (`projections.py`) keep the tables current one command at a time; this builder replays a whole
history at once. Tests hold the two to the same result: the tables after live commands equal a rebuild.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, delete, insert

from pos_app.domain.events import (
    CookingStartedEvent,
    DomainEvent,
    LeftOpenOrderClosedEvent,
    MenuUpdatedEvent,
    OrderCancelledEvent,
    OrderDeliveredEvent,
    OrderOutForDeliveryEvent,
    OrderPickedUpEvent,
    OrderPlacedEvent,
    OrderReadyEvent,
    PaymentProcessedEvent,
    PizzaReadyEvent,
)
from pos_app.read_model.projections import (
    _KITCHEN_COUNTERS,
    _SALES_COUNTERS,
    _TYPE_COLUMNS,
    MAX_REMEMBERED_ADDRESSES,
    _item_json,
    as_cancelled,
    dumps,
    elapsed_seconds,
    items_summary,
    refund_day,
)
from pos_app.read_model.tables import (
    READ_MODEL_TABLES,
    customer_items,
    customers,
    item_sales,
    kitchen,
    kitchen_daily,
    order_list,
    sales,
)

WRITE_BATCH = 20_000


class ReadModelBuilder:
    def __init__(self) -> None:
        self.orders: dict[UUID, dict[str, Any]] = {}
        self.items: dict[UUID, list[dict[str, Any]]] = {}
        self.tickets: dict[UUID, dict[str, Any]] = {}
        self.ticket_items: dict[UUID, list[dict[str, Any]]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.addresses: dict[str, list[str]] = {}
        self.customer_items: dict[tuple[str, str], dict[str, Any]] = {}
        self.sales: dict[date, dict[str, Any]] = {}
        self.item_sales: dict[tuple[date, str], dict[str, Any]] = {}
        self.kitchen_days: dict[date, dict[str, Any]] = {}
        self._handlers: dict[type[DomainEvent], Callable[[int, Any], None]] = {
            OrderPlacedEvent: self._placed,
            CookingStartedEvent: self._cooking,
            PizzaReadyEvent: self._pizza_ready,
            OrderReadyEvent: self._order_ready,
            OrderPickedUpEvent: lambda p, e: self._list(p, e, status="picked_up", completed_at=e.occurred_at),
            OrderOutForDeliveryEvent: lambda p, e: self._list(p, e, status="out_for_delivery", driver_id=e.driver_id),
            OrderDeliveredEvent: lambda p, e: self._list(p, e, status="delivered", completed_at=e.occurred_at),
            OrderCancelledEvent: self._cancelled,
            PaymentProcessedEvent: self._payment,
            LeftOpenOrderClosedEvent: self._left_open_closed,
            MenuUpdatedEvent: self._menu_updated,
        }

    def apply(self, position: int, event: DomainEvent) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(position, event)

    # order list and kitchen ----------------------------------------------------------------------------------------
    def _placed(self, position: int, event: OrderPlacedEvent) -> None:
        items = [_item_json(item) for item in event.items]
        self.items[event.order_id] = items
        self.orders[event.order_id] = {
            "order_id": event.order_id,
            "order_number": event.order_number,
            "business_date": event.business_date,
            "placed_at": event.occurred_at,
            "customer_name": event.customer_name,
            "customer_phone": event.customer_phone,
            "customer_address": event.customer_address,
            "order_type": event.order_type,
            "items_summary": items_summary(event.items),
            "items_json": dumps(items),
            "item_count": len(event.items),
            "items_ready": 0,
            "total_cents": event.total_cents,
            "tax_cents": event.tax_cents,
            "delivery_fee_cents": event.delivery_fee_cents,
            "status": "pending",
            "paid": False,
            "payment_method": event.payment_method,
            "estimated_ready_at": event.estimated_ready_at,
            "started_at": None,
            "ready_at": None,
            "completed_at": None,
            "driver_id": None,
            "last_position": position,
        }
        self.ticket_items[event.order_id] = [dict(item) for item in items]
        self.tickets[event.order_id] = {
            "order_id": event.order_id,
            "position": position,
            "order_number": event.order_number,
            "order_type": event.order_type,
            "customer_name": event.customer_name,
            "status": "pending",
            "placed_at": event.occurred_at,
            "started_at": None,
            "estimated_ready_at": event.estimated_ready_at,
            "completed_at": None,
            "items_total": len(event.items),
            "items_ready": 0,
        }
        self._customer_placed(event)
        self._add_to_day(
            event.business_date,
            orders=1,
            items_sold=len(event.items),
            total_cents=event.total_cents,
            tax_cents=event.tax_cents,
            delivery_fee_cents=event.delivery_fee_cents,
            **{_TYPE_COLUMNS[event.order_type]: 1},
        )
        self._add_items_to_day(event.business_date, items, +1)

    def _list(self, position: int, event: Any, **values: Any) -> None:
        row = self.orders[event.order_id]
        row.update(values)
        row["last_position"] = position

    def _cooking(self, position: int, event: CookingStartedEvent) -> None:
        self._list(position, event, status="cooking", started_at=event.occurred_at)
        ticket = self.tickets.get(event.order_id)
        if ticket is not None:
            ticket.update(status="cooking", started_at=event.occurred_at)

    def _pizza_ready(self, position: int, event: PizzaReadyEvent) -> None:
        row = self.orders[event.order_id]
        row["items_ready"] += 1
        row["last_position"] = position
        ticket = self.tickets.get(event.order_id)
        if ticket is not None:
            self.ticket_items[event.order_id][event.pizza_index]["ready"] = True
            ticket["items_ready"] += 1

    def _order_ready(self, position: int, event: OrderReadyEvent) -> None:
        self._list(position, event, status="ready", ready_at=event.occurred_at)
        ticket = self.tickets.get(event.order_id)
        if ticket is not None:
            ticket.update(status="ready", completed_at=event.occurred_at)
        order = self.orders[event.order_id]
        started = order["started_at"] or order["placed_at"]
        on_time = event.occurred_at <= order["estimated_ready_at"]
        self._add(
            self.kitchen_days,
            order["business_date"],
            {"business_date": order["business_date"]},
            _KITCHEN_COUNTERS,
            orders_completed=1,
            items_completed=order["item_count"],
            cooking_seconds=elapsed_seconds(started, event.occurred_at),
            ready_seconds=elapsed_seconds(order["placed_at"], event.occurred_at),
            on_time_orders=1 if on_time else 0,
            late_orders=0 if on_time else 1,
        )

    def _cancelled(self, position: int, event: OrderCancelledEvent) -> None:
        order = self.orders[event.order_id]
        customer = self.customers[order["customer_phone"]]
        customer["total_orders"] -= 1
        customer["total_spent_cents"] -= order["total_cents"]
        items = self.items[event.order_id]
        for item_id, quantity in Counter(item["menu_item_id"] for item in items).items():
            self.customer_items[(order["customer_phone"], item_id)]["quantity"] -= quantity
        self._add_to_day(
            order["business_date"],
            orders=-1,
            cancelled_orders=1,
            items_sold=-order["item_count"],
            total_cents=-order["total_cents"],
            tax_cents=-order["tax_cents"],
            delivery_fee_cents=-order["delivery_fee_cents"],
            **{_TYPE_COLUMNS[order["order_type"]]: -1},
        )
        if event.refund_cents:
            self._add_to_day(refund_day(event, order["business_date"]), refund_cents=event.refund_cents)
        self._add_items_to_day(order["business_date"], items, -1)
        self._list(position, event, status="cancelled")
        self.tickets.pop(event.order_id, None)

    def _left_open_closed(self, position: int, event: LeftOpenOrderClosedEvent) -> None:
        if event.outcome == "cancelled":
            self._cancelled(position, as_cancelled(event))
        else:
            self._list(position, event, status=event.status, completed_at=event.occurred_at)
        self.tickets.pop(event.order_id, None)

    def _menu_updated(self, position: int, event: MenuUpdatedEvent) -> None:
        for rows in (self.item_sales.values(), self.customer_items.values()):
            for row in rows:
                if row["menu_item_id"] == event.item_id:
                    row["category"] = event.category

    def _payment(self, position: int, event: PaymentProcessedEvent) -> None:
        self._list(position, event, paid=True, payment_method=event.payment_method)
        column = "cash_cents" if event.payment_method == "cash" else "card_cents"
        self._add_to_day(self.orders[event.order_id]["business_date"], **{column: event.amount_cents})

    # customers and figures -----------------------------------------------------------------------------------------
    def _customer_placed(self, event: OrderPlacedEvent) -> None:
        phone = event.customer_phone
        existing = self.customers.get(phone)
        addresses = self.addresses.get(phone, [])
        if event.customer_address:
            addresses = [event.customer_address, *(a for a in addresses if a != event.customer_address)]
        addresses = addresses[:MAX_REMEMBERED_ADDRESSES]
        self.addresses[phone] = addresses
        address = event.customer_address or (existing["address"] if existing else None)
        if existing is None:
            self.customers[phone] = {
                "phone": phone,
                "name": event.customer_name,
                "address": address,
                "total_orders": 1,
                "total_spent_cents": event.total_cents,
                "first_order_at": event.occurred_at,
                "last_order_at": event.occurred_at,
                "last_order_id": event.order_id,
            }
        else:
            existing.update(
                name=event.customer_name,
                address=address,
                total_orders=existing["total_orders"] + 1,
                total_spent_cents=existing["total_spent_cents"] + event.total_cents,
                last_order_at=event.occurred_at,
                last_order_id=event.order_id,
            )
        for (item_id, name, category), quantity in Counter(
            (i.menu_item_id, i.name, i.category) for i in event.items
        ).items():
            row = self.customer_items.setdefault(
                (phone, item_id), {"phone": phone, "menu_item_id": item_id, "quantity": 0}
            )
            row.update(name=name, category=category)
            row["quantity"] += quantity

    @staticmethod
    def _add(
        rows: dict[Any, dict[str, Any]], key: Any, identity: dict[str, Any], counters: Iterable[str], **deltas: int
    ) -> dict[str, Any]:
        row = rows.get(key)
        if row is None:
            row = rows[key] = {**identity, **dict.fromkeys(counters, 0)}
        for name, delta in deltas.items():
            row[name] += delta
        return row

    def _add_to_day(self, business_date: date, **deltas: int) -> None:
        self._add(self.sales, business_date, {"business_date": business_date}, _SALES_COUNTERS, **deltas)

    def _add_items_to_day(self, business_date: date, items: Iterable[dict[str, Any]], sign: int) -> None:
        for item in items:
            row = self._add(
                self.item_sales,
                (business_date, item["menu_item_id"]),
                {"business_date": business_date, "menu_item_id": item["menu_item_id"]},
                ("quantity", "revenue_cents"),
                quantity=sign,
                revenue_cents=sign * item["price_cents"],
            )
            if sign > 0:  # taking a sale back leaves the name and category (it may have been re-filed since)
                row.update(name=item["name"], category=item["category"])

    # writing ---------------------------------------------------------------------------------------------------------
    def write(self, connection: Connection) -> None:
        """Replace every read-model table with the rows built."""
        for read_table in READ_MODEL_TABLES:
            connection.execute(delete(read_table))
        for order_id, ticket in self.tickets.items():
            ticket["items_json"] = dumps(self.ticket_items[order_id])
        for phone, customer in self.customers.items():
            customer["addresses_json"] = dumps(self.addresses[phone])
        for target, rows in (
            (order_list, self.orders.values()),
            (kitchen, self.tickets.values()),
            (customers, self.customers.values()),
            (customer_items, self.customer_items.values()),
            (sales, self.sales.values()),
            (item_sales, self.item_sales.values()),
            (kitchen_daily, self.kitchen_days.values()),
        ):
            batch: list[dict[str, Any]] = []
            statement = insert(target)
            for row in rows:
                batch.append(row)
                if len(batch) >= WRITE_BATCH:
                    connection.execute(statement, batch)
                    batch = []
            if batch:
                connection.execute(statement, batch)
