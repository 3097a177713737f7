"""A realistic rush: orders arrive, the kitchen cooks, counter and driver hand them over; all through the mediator.

The store's clock runs faster than real time (`speed` simulated seconds per real second) and is set so that the
rush ends now: a screen opened afterwards shows the tail of a lunch rush, some orders still in the oven. When the
machine cannot keep the rate, simulated time would run past the real clock; it stops at the real clock instead
(unless `allow_future`), and the tally says the rate was not kept.

Simulated orders carry ids of their own (`simulated_order_id`), so a store's real orders can be told from them:
`real_orders(app)` counts the others, and the command line asks before adding a rush to a store that has some.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from pos_app.application.ports import Clock
from pos_app.bootstrap import App, create_app
from pos_app.infrastructure.records import OrderRecord
from pos_app.mediation import Mediator
from pos_app.messages.commands import (
    AcknowledgeKitchenNoticeCommand,
    AssignOrderToDeliveryCommand,
    LoginCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    PlaceOrderCommand,
    ProcessPaymentCommand,
    StartCookingCommand,
)
from pos_app.messages.queries import GetKitchenQueueQuery, GetMenuQuery, GetOrderStatusQuery

FIRST_NAMES = [
    "Anna",
    "Bruno",
    "Carla",
    "Dario",
    "Elena",
    "Fabio",
    "Giulia",
    "Luca",
    "Marta",
    "Nico",
    "Paola",
    "Sara",
    "Tommaso",
    "Valeria",
    "Marco",
    "Chiara",
    "Pietro",
    "Irene",
    "Davide",
    "Silvia",
]
LAST_NAMES = ["Conti", "Ricci", "Greco", "Bruno", "Gallo", "Costa", "Fontana", "Moretti", "Barbieri", "Lombardi"]
STREETS = ["Via Roma", "Via Garibaldi", "Corso Italia", "Via Dante", "Via Verdi", "Piazza Duomo", "Via Manzoni"]
NOTES = ["", "", "", "", "well done", "extra crispy", "cut in 8", "no basil", "light on the cheese", "allergy: nuts"]


MAX_RATE = 1000.0
"""Orders a real second the simulation accepts at most."""
SIMULATED_MARK = 0x51_3D_0D_E5
"""The first 32 bits of every simulated order's id (an RFC 9562 version-8 UUID); real orders' ids are version 4."""


def simulated_order_id() -> uuid.UUID:
    """A fresh id that says the order was simulated (random like `uuid4`, so runs with the same seed never share
    one)."""
    value = (SIMULATED_MARK << 96) | (uuid.uuid4().int & ((1 << 96) - 1))
    value = (value & ~(0xF << 76)) | (0x8 << 76)  # version 8
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 9562 variant
    return uuid.UUID(int=value)


def is_simulated(order_id: uuid.UUID) -> bool:
    return order_id.version == 8 and order_id.int >> 96 == SIMULATED_MARK


async def real_orders(app: App) -> int:
    """How many orders in the store were not made by the simulation."""
    ids = await app.database.read(lambda connection: list(connection.execute(select(OrderRecord.id)).scalars()))
    return sum(1 for order_id in ids if not is_simulated(order_id))


class FastClock(Clock):
    """Simulated time: `start` plus real elapsed time × `speed`, never past the real clock unless `allow_future`.
    `ran_ahead` tells whether it ever reached past the real clock (and, without `allow_future`, stopped there)."""

    def __init__(self, start: datetime, speed: float, allow_future: bool = False) -> None:
        self._start = start
        self._speed = speed
        self._allow_future = allow_future
        self._real_start = time.monotonic()
        self.ran_ahead = False

    def now(self) -> datetime:
        simulated = self._start + timedelta(seconds=(time.monotonic() - self._real_start) * self._speed)
        real = datetime.now(self._start.tzinfo)
        if simulated <= real:
            return simulated
        self.ran_ahead = True
        return simulated if self._allow_future else real


@dataclass
class Tally:
    placed: int = 0
    refused: int = 0
    cooked: int = 0
    handed_over: int = 0
    delivered: int = 0
    placed_latency_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    """How long the rush took, in real seconds."""
    rate_kept: bool = True
    """False when the machine could not place the orders as fast as asked (simulated time then stopped at the real
    clock, or, with `allow_future`, ran past it)."""


async def _login(app: App, staff_id: str, pin: str) -> None:
    result = await app.mediator.execute_async(LoginCommand(staff_id=staff_id, pin=pin))
    if not result.is_success:
        raise RuntimeError(f"{staff_id} could not log in: {result.error_message}")


def random_order(rng: random.Random, menu: dict[str, Any], customers: list[tuple[str, str, str]]) -> PlaceOrderCommand:
    name, phone, address = rng.choice(customers)
    pizzas = [item for item in menu.values() if item.category == "pizza" and item.available]
    others = [item for item in menu.values() if item.category != "pizza" and item.available]
    items = []
    for _ in range(rng.choices([1, 2, 3, 4], weights=[35, 40, 15, 10])[0]):
        pizza = rng.choice(pizzas)
        toppings = [t.id for t in rng.sample(pizza.available_toppings, k=rng.choices([0, 1, 2], [60, 30, 10])[0])]
        size = rng.choice(pizza.available_sizes)
        items.append(PizzaItem(pizza_id=pizza.id, size=size, toppings=toppings, special_instructions=rng.choice(NOTES)))
    for _ in range(rng.choices([0, 1, 2], weights=[50, 35, 15])[0]):
        items.append(PizzaItem(pizza_id=rng.choice(others).id))
    delivery = rng.random() < 0.35
    payment = rng.choice(["card", "card", "cash", "cash", "later"])
    return PlaceOrderCommand(
        order_id=simulated_order_id(),
        customer_name=name,
        customer_phone=phone,
        customer_address=address if delivery else None,
        pizza_items=items,
        payment_method="card" if payment == "card" else "cash",
        order_type="delivery" if delivery else rng.choice(["pickup", "pickup", "dine_in"]),
        amount_tendered=Decimal("100.00") if payment == "cash" else None,
        accept_kitchen_wait=True,
        table_number=1 + sum(map(ord, phone)) % 20,  # used only when dine-in
    )


async def run_kitchen(kitchen: Mediator, clock: Clock, rng: random.Random, tally: Tally, oven_places: int = 12) -> None:
    """One pass of the kitchen: start the oldest waiting tickets when stations free up, finish what is cooked."""
    queue = (await kitchen.execute_async(GetKitchenQueueQuery())).data or []
    now = clock.now()
    cooking = [t for t in queue if t.status == "cooking"]
    busy = sum(1 for t in cooking for item in t.items if not item.ready)
    for ticket in queue:
        if ticket.notice is not None:  # the kitchen saw the cancellation or change
            await kitchen.execute_async(AcknowledgeKitchenNoticeCommand(order_id=ticket.order_id))
            continue
        if ticket.status == "pending" and busy < oven_places:
            await kitchen.execute_async(StartCookingCommand(order_id=ticket.order_id))
            busy += len(ticket.items)
    for ticket in cooking:
        started = ticket.started_at or ticket.placed_at
        for item in ticket.items:
            minutes = 0 if item.category in ("drink", "dessert") else 7 + item.index + rng.random() * 5
            if not item.ready and now >= started + timedelta(minutes=minutes):
                result = await kitchen.execute_async(
                    MarkPizzaReadyCommand(order_id=ticket.order_id, pizza_index=item.index)
                )
                if result.is_success:
                    tally.cooked += 1


async def hand_over(
    counter: Mediator, driver: Mediator, clock: Clock, ready: dict[uuid.UUID, tuple[str, datetime]], tally: Tally
) -> None:
    """Collect ready orders a few minutes after they are ready; deliveries come back 15 minutes later."""
    now = clock.now()
    for order_id, (order_type, since) in list(ready.items()):
        status = (await counter.execute_async(GetOrderStatusQuery(order_id=order_id))).data
        if status is None:
            continue
        if status.status == "ready" and now >= since + timedelta(minutes=3):
            if order_type == "delivery":
                await driver.execute_async(AssignOrderToDeliveryCommand(order_id=order_id, driver_id="toni"))
                ready[order_id] = (order_type, now)
                continue
            await counter.execute_async(ProcessPaymentCommand(order_id=order_id, payment_method="card"))
            if (await counter.execute_async(MarkOrderPickedUpCommand(order_id=order_id))).is_success:
                tally.handed_over += 1
                del ready[order_id]
        elif status.status == "out_for_delivery" and now >= since + timedelta(minutes=15):
            await driver.execute_async(
                ProcessPaymentCommand(order_id=order_id, payment_method="cash", amount_tendered=Decimal("100.00"))
            )
            if (await driver.execute_async(MarkOrderDeliveredCommand(order_id=order_id))).is_success:
                tally.delivered += 1
                del ready[order_id]
        elif status.status in ("pending", "cooking"):
            ready[order_id] = (order_type, now)


async def simulate(
    database_url: str,
    orders: int,
    rate: float,
    minutes_between_orders: float = 2.0,
    seed: int = 7,
    progress: Callable[[str], None] | None = None,
    allow_future: bool = False,
    confirm: Callable[[int], bool] | None = None,
) -> Tally | None:
    """Place `orders` orders at `rate` a second (real time) while the kitchen and the counter work them.

    With `confirm`, a store that has real orders is written to only if `confirm(number of real orders)` says yes;
    otherwise nothing is written and the answer is None."""
    rng = random.Random(seed)
    speed = minutes_between_orders * 60 * rate
    duration = timedelta(minutes=orders * minutes_between_orders)
    clock = FastClock(datetime.now().astimezone() - duration, speed, allow_future)
    customers = [
        (
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            f"555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        )
        for _ in range(max(5, orders // 3))
    ]
    tally = Tally()
    async with (
        create_app(database_url, clock=clock) as counter_app,
        create_app(database_url, clock=clock) as kitchen_app,
        create_app(database_url, clock=clock) as driver_app,
    ):
        if confirm is not None:
            found = await real_orders(counter_app)
            if found and not confirm(found):
                return None
        real_start = time.monotonic()
        await _login(counter_app, "luigi", "2000")
        await _login(kitchen_app, "rosa", "3000")
        await _login(driver_app, "toni", "4000")
        counter, kitchen, driver = counter_app.mediator, kitchen_app.mediator, driver_app.mediator
        menu = {m.id: m for m in (await counter.execute_async(GetMenuQuery())).data or []}
        ready: dict[uuid.UUID, tuple[str, datetime]] = {}
        interval = 1 / rate
        next_at = time.monotonic()
        for number in range(orders):
            command = random_order(rng, menu, customers)
            started = time.perf_counter()
            result = await counter.execute_async(command)
            tally.placed_latency_ms.append((time.perf_counter() - started) * 1000)
            if result.is_success:
                tally.placed += 1
                ready[command.order_id] = (command.order_type, clock.now())
            else:
                tally.refused += 1
            await run_kitchen(kitchen, clock, rng, tally)
            await hand_over(counter, driver, clock, ready, tally)
            if progress is not None and (number + 1) % 10 == 0:
                progress(f"{number + 1}/{orders} orders")
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        tally.seconds = time.monotonic() - real_start
        tally.rate_kept = not clock.ran_ahead
    return tally
