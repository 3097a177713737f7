"""A store's history, made to order: a time-ordered script of commands (the counter, the kitchen, the drivers), and
a bulk writer that applies that script through the same domain objects the handlers use and writes the rows in
bulk. A year of history (100,000 orders, about a million events) takes minutes instead of hours through the
mediator; `tests/integration/test_history.py` holds the bulk writer to identical tables with the real path.
"""

from __future__ import annotations

import heapq
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select

from pos_app.application.behaviors.idempotency import request_digest
from pos_app.application.commands.orders import line_choices, place_from_command, quantities
from pos_app.application.mapping import order_placed_dto
from pos_app.application.ports import StoreTime
from pos_app.application.stored_results import ResultCodec
from pos_app.config import Settings
from pos_app.domain.events import DomainEvent, StaffLoggedInEvent
from pos_app.domain.intake import OrderIntake
from pos_app.domain.kitchen import KitchenLoad
from pos_app.domain.menu import Menu
from pos_app.domain.money import Money
from pos_app.domain.orders import Order, OrderStatus, PaymentMethod
from pos_app.domain.staff import Role
from pos_app.infrastructure.event_codec import encode
from pos_app.infrastructure.order_repository import order_item_rows, order_values
from pos_app.infrastructure.records import (
    OrderItemRecord,
    OrderNumberRecord,
    OrderRecord,
    ProcessedCommandRecord,
)
from pos_app.infrastructure.repositories import load_menu
from pos_app.infrastructure.unit_of_work import events_t
from pos_app.mediation import Command, OperationResult
from pos_app.messages.commands import (
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    PlaceOrderCommand,
    ProcessPaymentCommand,
    StartCookingCommand,
)
from pos_app.schema import table
from pos_app.tools.simulate import FIRST_NAMES, LAST_NAMES

STAFF_ID, STAFF_NAME = "mario", "Mario Rossi"
OPENS, CLOSES = time(11, 0), time(23, 0)

LOYAL_PHONE = "555 000 0001"


@dataclass(frozen=True)
class Step:
    at: datetime
    command: Command[Any]


@dataclass(frozen=True)
class HistoryShape:
    orders: int
    days: int
    today_orders: int
    open_tickets: int
    loyal_share: float = 0.02
    cancel_share: float = 0.03
    seed: int = 2026

    @classmethod
    def of(cls, orders: int) -> HistoryShape:
        """`orders` over up to a year, the last day with up to 1,000 orders of which the last 200 are still open."""
        today = min(1000, orders)
        earlier = orders - today
        days = 1 + min(364, max(0, -(-earlier // 274)))  # about 274 orders a day before today
        return cls(orders=orders, days=days, today_orders=today, open_tickets=min(200, today))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def generate(shape: HistoryShape, menu: Menu, today: date, zone: Any = None) -> Iterator[Step]:
    """The script, day by day, in time order. `zone` is the store's time zone (None: the machine's)."""
    rng = random.Random(shape.seed)
    pizzas = [item for item in menu.items.values() if item.category == "pizza" and item.available]
    others = [item for item in menu.items.values() if item.category != "pizza" and item.available]
    toppings = list(menu.toppings)
    phones = [f"555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}" for _ in range(max(10, shape.orders // 4))]
    names = {phone: f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for phone in phones}
    names[LOYAL_PHONE] = "Giovanni Fedele"
    earlier = shape.orders - shape.today_orders
    per_day = (
        [
            earlier // max(1, shape.days - 1) + (1 if i < earlier % max(1, shape.days - 1) else 0)
            for i in range(shape.days - 1)
        ]
        if shape.days > 1
        else []
    )
    per_day.append(shape.today_orders)
    for offset, count in enumerate(per_day):
        day = today - timedelta(days=len(per_day) - 1 - offset)
        opens = datetime.combine(day, OPENS).astimezone(zone) if zone is None else datetime.combine(day, OPENS, zone)
        span = (datetime.combine(day, CLOSES) - datetime.combine(day, OPENS)).total_seconds()
        heap: list[tuple[datetime, int, Command[Any]]] = []
        sequence = 0
        for number in range(count):
            placed_at = opens + timedelta(seconds=span * number / max(1, count))
            is_open = offset == len(per_day) - 1 and number >= count - shape.open_tickets
            for at, command in _order_steps(rng, placed_at, pizzas, others, toppings, phones, names, shape, is_open):
                heapq.heappush(heap, (at, sequence, command))
                sequence += 1
        while heap:
            at, _, command = heapq.heappop(heap)
            yield Step(at, command)


def _order_steps(
    rng: random.Random,
    placed_at: datetime,
    pizzas: list[Any],
    others: list[Any],
    toppings: list[str],
    phones: list[str],
    names: dict[str, str],
    shape: HistoryShape,
    is_open: bool,
) -> list[tuple[datetime, Command[Any]]]:
    order_id = _uuid(rng)
    phone = LOYAL_PHONE if rng.random() < shape.loyal_share else rng.choice(phones)
    items: list[PizzaItem] = []
    prepared: list[int] = []  # the indexes of the items the kitchen makes (the others are ready when placed)
    for _ in range(rng.choices([1, 2, 3, 4], weights=[20, 35, 30, 15])[0]):
        pizza = rng.choice(pizzas)
        chosen = rng.sample(toppings, k=rng.choices([0, 1, 2], weights=[60, 30, 10])[0])
        size = rng.choice([s.value for s in pizza.sizes])
        if pizza.needs_preparation:
            prepared.append(len(items))
        items.append(PizzaItem(pizza_id=pizza.id, size=size, toppings=chosen))
    for _ in range(rng.choices([0, 1, 2], weights=[45, 40, 15])[0]):
        other = rng.choice(others)
        if other.needs_preparation:
            prepared.append(len(items))
        items.append(PizzaItem(pizza_id=other.id))
    delivery = rng.random() < 0.3
    payment = rng.choices(["card", "cash", "later"], weights=[50, 25, 25])[0]
    steps: list[tuple[datetime, Command[Any]]] = [
        (
            placed_at,
            PlaceOrderCommand(
                order_id=order_id,
                customer_name=names[phone],
                customer_phone=phone,
                customer_address=f"Via Roma {rng.randint(1, 200)}" if delivery else None,
                pizza_items=items,
                payment_method="card" if payment == "card" else "cash",
                order_type="delivery" if delivery else rng.choice(["pickup", "pickup", "dine_in"]),
                amount_tendered=Decimal("200.00") if payment == "cash" else None,
                accept_kitchen_wait=True,
                table_number=1 + order_id.int % 20,  # used only when dine-in
            ),
        )
    ]
    if not is_open and rng.random() < shape.cancel_share:
        steps.append((placed_at + timedelta(minutes=1), CancelOrderCommand(order_id=order_id, reason="changed mind")))
        return steps
    if is_open and rng.random() < 0.5:
        return steps  # still waiting for the oven
    started = placed_at + timedelta(minutes=rng.uniform(1, 5))
    steps.append((started, StartCookingCommand(order_id=order_id)))
    ready_at = started
    for index in prepared:
        if is_open and index == prepared[-1]:
            return steps  # the last item is still in the oven
        ready_at = started + timedelta(minutes=8 + 2 * index + rng.uniform(0, 4))
        steps.append((ready_at, MarkPizzaReadyCommand(order_id=order_id, pizza_index=index)))
    if payment == "later":
        pay = (
            ProcessPaymentCommand(order_id=order_id, payment_method="cash", amount_tendered=Decimal("200.00"))
            if delivery
            else ProcessPaymentCommand(order_id=order_id, payment_method="card")
        )
        steps.append((ready_at + timedelta(minutes=20 if delivery else 3), pay))
    if delivery:
        steps.append(
            (ready_at + timedelta(minutes=2), AssignOrderToDeliveryCommand(order_id=order_id, driver_id="toni"))
        )
        steps.append((ready_at + timedelta(minutes=21), MarkOrderDeliveredCommand(order_id=order_id)))
    else:
        steps.append((ready_at + timedelta(minutes=4), MarkOrderPickedUpCommand(order_id=order_id)))
    return steps


class BulkHistoryWriter:
    """Applies a script through the domain objects, exactly as the handlers do, and writes the rows in bulk.

    Runs in one write transaction on `connection`; call `finish()` at the end (it writes the read models too)."""

    FLUSH_EVENTS = 50_000

    def __init__(self, connection: Connection, settings: Settings) -> None:
        self._connection = connection
        self._settings = settings
        self._store_time = StoreTime(settings.timezone, settings.day_starts_at)
        self.menu = load_menu(connection)
        self._codec = ResultCodec()
        self._position = int(connection.execute(select(func.coalesce(func.max(events_t.c.position), 0))).scalar_one())
        self._numbers: dict[date, int] = {}
        self._orders: dict[uuid.UUID, Order] = {}
        self._versions: dict[uuid.UUID, int] = {}
        self._load_items = 0
        self._load_minutes = 0
        self._event_rows: list[dict[str, Any]] = []
        self._order_rows: list[dict[str, Any]] = []
        self._item_rows: list[dict[str, Any]] = []
        self._processed_rows: list[dict[str, Any]] = []
        self.events_written = 0

    def log_in(self, at: datetime) -> None:
        self._record([StaffLoggedInEvent(occurred_at=at, staff_id=STAFF_ID, name=STAFF_NAME, role="manager")])

    def apply(self, step: Step) -> None:
        command, now = step.command, step.at
        if isinstance(command, PlaceOrderCommand):
            self._place(command, now)
            return
        order = self._orders[getattr(command, "order_id")]  # noqa: B009  (every other command names its order)
        before = order.status
        match command:
            case StartCookingCommand():
                order.start_cooking(now, STAFF_ID)
            case MarkPizzaReadyCommand():
                order.mark_item_ready(command.pizza_index, now, STAFF_ID)
                if order.items[command.pizza_index].preparation_minutes > 0:
                    self._load_items -= 1
                    self._load_minutes -= order.items[command.pizza_index].preparation_minutes
            case MarkOrderPickedUpCommand():
                order.mark_picked_up(now, STAFF_ID)
            case AssignOrderToDeliveryCommand():
                order.assign_to_delivery(command.driver_id, now, STAFF_ID)
            case MarkOrderDeliveredCommand():
                order.mark_delivered(now, STAFF_ID)
            case ProcessPaymentCommand():
                tendered = Money.from_decimal(command.amount_tendered) if command.amount_tendered is not None else None
                order.process_payment(PaymentMethod(command.payment_method), tendered, now, STAFF_ID)
            case CancelOrderCommand():
                if before in (OrderStatus.PENDING, OrderStatus.COOKING):
                    waiting = [i for i in order.items if i.ready_at is None and i.preparation_minutes > 0]
                    self._load_items -= len(waiting)
                    self._load_minutes -= sum(i.preparation_minutes for i in waiting)
                order.cancel(
                    command.reason.strip(),
                    Role.MANAGER,
                    now,
                    STAFF_ID,
                    business_date=self._store_time.business_date(now),
                    staff_name=STAFF_NAME,
                )
            case _:
                raise TypeError(f"The history has no {type(command).__name__}")
        self._versions[order.id] += 1
        self._record(order.pull_events())
        if order.status in (OrderStatus.PICKED_UP, OrderStatus.DELIVERED, OrderStatus.CANCELLED):
            self._retire(order)

    def _place(self, command: PlaceOrderCommand, now: datetime) -> None:
        allergies = [item.allergies for item in command.pizza_items]
        intake = OrderIntake.of(
            command.customer_phone, line_choices(command), self.menu, quantities(command), allergies
        )
        kitchen_items = intake.kitchen_minutes
        load = KitchenLoad(self._load_items, self._load_minutes)
        business_date = self._store_time.business_date(now)
        number = self._numbers[business_date] = self._numbers.get(business_date, 0) + 1
        order = place_from_command(intake, command, number, business_date, load, self._settings, now, STAFF_ID)
        self._load_items += len(kitchen_items)
        self._load_minutes += sum(kitchen_items)
        self._orders[order.id] = order
        self._versions[order.id] = 1
        self._processed_rows.append(
            {
                "key": f"PlaceOrderCommand:{order.id}",
                "command_type": "PlaceOrderCommand",
                "status": 201,
                "payload": self._codec.encode(OperationResult(201, order_placed_dto(order))),
                "processed_at": now,
                "digest": request_digest(command),
            }
        )
        self._record(order.pull_events())

    def _record(self, events: list[DomainEvent]) -> None:
        for event in events:
            self._position += 1
            self._event_rows.append(
                {
                    "position": self._position,
                    "order_id": getattr(event, "order_id", None),
                    "event_type": type(event).__name__,
                    "payload": encode(event),
                    "staff_id": event.staff_id,
                    "occurred_at": event.occurred_at,
                }
            )
        if len(self._event_rows) >= self.FLUSH_EVENTS:
            self._flush()

    def _retire(self, order: Order) -> None:
        del self._orders[order.id]
        self._order_rows.append({"id": order.id, "version": self._versions.pop(order.id), **order_values(order)})
        self._item_rows.extend(order_item_rows(order))

    def _flush(self) -> None:
        connection = self._connection
        for record, rows in (
            (table(OrderRecord), self._order_rows),
            (table(OrderItemRecord), self._item_rows),
            (events_t, self._event_rows),
            (table(ProcessedCommandRecord), self._processed_rows),
        ):
            if rows:
                connection.execute(insert(record), rows)
        self.events_written += len(self._event_rows)
        self._order_rows, self._item_rows, self._event_rows, self._processed_rows = [], [], [], []

    def finish(self) -> None:
        """Write the orders still open, the order numbers and the events left; then rebuild the read models."""
        from pos_app.infrastructure.event_store_replay import rebuild_read_models

        for order in list(self._orders.values()):
            self._retire(order)
        self._flush()
        if self._numbers:
            self._connection.execute(
                insert(table(OrderNumberRecord)),
                [{"business_date": day, "last_number": number} for day, number in self._numbers.items()],
            )
        rebuild_read_models(self._connection)
