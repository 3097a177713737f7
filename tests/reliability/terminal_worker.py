"""A counter or a kitchen terminal working at full speed on a shared store. Run by the tests, not by pytest.

    python -m tests.reliability.terminal_worker counter|kitchen STORE_PATH SECONDS

Prints one JSON line at the end: status counts, any 'locked' answers, and the times (time.time()) at which it
acknowledged its own writes and first saw the other terminal's.
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
    CancelOrderCommand,
    LoginCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    PlaceOrderCommand,
    StartCookingCommand,
)
from pos_app.messages.queries import GetKitchenQueueQuery, GetOrdersQuery

statuses: Counter[int] = Counter()
locked: list[str] = []


def record(result: Any) -> Any:
    statuses[result.status] += 1
    if "locked" in (result.error_message or "").lower() or result.status >= 500:
        locked.append(f"{result.status} {result.error_message}")
    return result


async def counter(mediator: Any, seconds: float) -> dict[str, Any]:
    rng = random.Random(1)
    placed: dict[str, float] = {}
    ready_seen: dict[str, float] = {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        order_id = uuid.uuid4()
        result = record(
            await mediator.execute_async(
                PlaceOrderCommand(
                    order_id=order_id,
                    customer_name="Two Tills",
                    customer_phone="555 010 2030",
                    pizza_items=[PizzaItem(pizza_id="margherita")] * rng.randint(1, 2),
                    payment_method="card",
                    accept_kitchen_wait=True,
                )
            )
        )
        if result.is_success:
            placed[str(order_id)] = time.time()
        page = record(await mediator.execute_async(GetOrdersQuery(page_size=1000))).data
        now = time.time()
        for order in page.items if page else []:
            if order.status == "ready":
                ready_seen.setdefault(str(order.order_id), now)
                record(await mediator.execute_async(MarkOrderPickedUpCommand(order_id=order.order_id)))
            elif order.status == "pending" and rng.random() < 0.03:
                record(await mediator.execute_async(CancelOrderCommand(order_id=order.order_id, reason="changed mind")))
    return {"placed": placed, "ready_seen": ready_seen}


async def kitchen(mediator: Any, seconds: float) -> dict[str, Any]:
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
                record(await mediator.execute_async(StartCookingCommand(order_id=ticket.order_id)))
            elif ticket.next_item_index is not None:
                result = record(
                    await mediator.execute_async(
                        MarkPizzaReadyCommand(order_id=ticket.order_id, pizza_index=ticket.next_item_index)
                    )
                )
                if result.is_success and result.data.status == "ready":
                    ready_acked[str(ticket.order_id)] = time.time()
        await asyncio.sleep(0)
    return {"seen": seen, "ready_acked": ready_acked}


async def main(role: str, path: str, seconds: float) -> None:
    async with create_app(f"sqlite:///{path}") as app:
        staff, pin = ("luigi", "2000") if role == "counter" else ("rosa", "3000")
        assert (await app.mediator.execute_async(LoginCommand(staff_id=staff, pin=pin))).is_success
        work = counter if role == "counter" else kitchen
        times = await work(app.mediator, seconds)
    print(json.dumps({"role": role, "statuses": dict(statuses), "locked": locked, **times}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
