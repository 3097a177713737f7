"""A counter, kitchen or driver terminal working at full speed on a shared store. Run by the tests, not by pytest.

    python -m tests.reliability.terminal_worker counter|kitchen|driver STORE_URL SECONDS [SEED]

Prints one JSON line at the end: status counts, any 'locked' or server-error answers, every acknowledged write
(time.time(), order id, the order's state after it), and the times at which it acknowledged its own writes and
first saw the other terminals'. A refused command (the store server gone for a moment) is counted, not fatal: the
terminal goes on with its next command, as staff would.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
import uuid
from collections import Counter
from typing import Any

from pos_app.bootstrap import create_app
from pos_app.messages.commands import (
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    LoginCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    PlaceOrderCommand,
    StartCookingCommand,
)
from pos_app.messages.queries import GetKitchenQueueQuery, GetOrdersQuery

TERMINALS = (("counter", 1), ("counter", 2), ("kitchen", 3), ("driver", 4))
"""The terminals of a busy store, each run as a process of its own (role, seed): two tills, a kitchen, a driver."""
STAFF = {"counter": ("luigi", "2000"), "kitchen": ("rosa", "3000"), "driver": ("toni", "4000")}

statuses: Counter[int] = Counter()
locked: list[str] = []
refused_at: list[float] = []
acked: list[tuple[float, str, str]] = []


def record(result: Any, order_id: Any = None) -> Any:
    statuses[result.status] += 1
    if "locked" in (result.error_message or "").lower() or result.status >= 500:
        locked.append(f"{result.status} {result.error_message}")
        refused_at.append(time.time())
    elif order_id is not None and result.is_success:
        acked.append((time.time(), str(order_id), str(getattr(result.data, "status", "pending"))))
    return result


async def counter(mediator: Any, seconds: float, rng: random.Random) -> dict[str, Any]:
    placed: dict[str, float] = {}
    seen: dict[str, float] = {}
    ready_seen: dict[str, float] = {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        order_id = uuid.uuid4()
        delivery = rng.random() < 0.3
        result = record(
            await mediator.execute_async(
                PlaceOrderCommand(
                    order_id=order_id,
                    customer_name="Two Tills",
                    customer_phone="555 010 2030",
                    customer_address="12 Via Roma" if delivery else None,
                    order_type="delivery" if delivery else "pickup",
                    pizza_items=[PizzaItem(pizza_id="margherita")] * rng.randint(1, 2),
                    payment_method="card",
                    accept_kitchen_wait=True,
                )
            ),
            order_id,
        )
        if result.is_success:
            placed[str(order_id)] = time.time()
        page = record(await mediator.execute_async(GetOrdersQuery(page_size=1000))).data
        now = time.time()
        for order in page.items if page else []:
            seen.setdefault(str(order.order_id), now)
            if order.status == "ready" and order.order_type == "pickup":
                ready_seen.setdefault(str(order.order_id), now)
                record(await mediator.execute_async(MarkOrderPickedUpCommand(order_id=order.order_id)), order.order_id)
            elif order.status == "pending" and rng.random() < 0.03:
                cancel = CancelOrderCommand(order_id=order.order_id, reason="changed mind")
                record(await mediator.execute_async(cancel), order.order_id)
    return {"placed": placed, "seen": seen, "ready_seen": ready_seen}


async def kitchen(mediator: Any, seconds: float, rng: random.Random) -> dict[str, Any]:
    seen: dict[str, float] = {}
    ready_acked: dict[str, float] = {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        queue = record(await mediator.execute_async(GetKitchenQueueQuery())).data or []
        now = time.time()
        for ticket in queue:
            seen.setdefault(str(ticket.order_id), now)
        for ticket in queue[:3]:
            if ticket.status == "pending":
                record(await mediator.execute_async(StartCookingCommand(order_id=ticket.order_id)), ticket.order_id)
            elif ticket.next_item_index is not None:
                ready = MarkPizzaReadyCommand(order_id=ticket.order_id, pizza_index=ticket.next_item_index)
                result = record(await mediator.execute_async(ready), ticket.order_id)
                if result.is_success and result.data.status == "ready":
                    ready_acked[str(ticket.order_id)] = time.time()
        await asyncio.sleep(0)
    return {"seen": seen, "ready_acked": ready_acked}


async def driver(mediator: Any, seconds: float, rng: random.Random) -> dict[str, Any]:
    ready_seen: dict[str, float] = {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        page = record(await mediator.execute_async(GetOrdersQuery(page_size=1000))).data
        now = time.time()
        for order in page.items if page else []:
            if order.order_type != "delivery":
                continue
            if order.status == "ready":
                ready_seen.setdefault(str(order.order_id), now)
                send_out = AssignOrderToDeliveryCommand(order_id=order.order_id, driver_id="toni")
                record(await mediator.execute_async(send_out), order.order_id)
            elif order.status == "out_for_delivery":
                delivered = MarkOrderDeliveredCommand(order_id=order.order_id)
                record(await mediator.execute_async(delivered), order.order_id)
        await asyncio.sleep(0)
    return {"ready_seen": ready_seen}


async def main(role: str, url: str, seconds: float, seed: int) -> None:
    work = {"counter": counter, "kitchen": kitchen, "driver": driver}[role]
    async with create_app(url) as app:
        staff, pin = STAFF[role]
        assert (await app.mediator.execute_async(LoginCommand(staff_id=staff, pin=pin))).is_success
        times = await work(app.mediator, seconds, random.Random(seed))
    print(
        json.dumps(
            {
                "role": role,
                "statuses": dict(statuses),
                "locked": locked,
                "refused_at": refused_at,
                "acked": acked,
                **times,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 1))
