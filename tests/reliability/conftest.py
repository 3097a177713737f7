"""Helpers for the reliability tests: checking a store (a SQLite file or a database on a PostgreSQL server) for
consistency after it was abused. Each takes the store's URL; a SQLite file may be given as a path."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict

from pos_app.bootstrap import create_app
from tests.support import StoreRef, dump_tables, query_store

LEGAL_STATES = frozenset({"pending", "cooking", "ready", "picked_up", "out_for_delivery", "delivered", "cancelled"})
_RANK = {"pending": 0, "cooking": 1, "ready": 2, "picked_up": 3, "out_for_delivery": 3, "delivered": 4}


def url_of(store: StoreRef) -> str:
    return store if isinstance(store, str) else f"sqlite:///{store}"


def is_sqlite(store: StoreRef) -> bool:
    return url_of(store).startswith("sqlite")


def integrity(store: StoreRef) -> str:
    """`PRAGMA integrity_check` of a SQLite file (a PostgreSQL server checks its own pages; call it on SQLite only)."""
    assert is_sqlite(store), "PRAGMA integrity_check is SQLite's"
    return str(query_store(store, ["PRAGMA integrity_check"])[0][0][0])


def partial_orders(store: StoreRef) -> list[str]:
    """Every order must be whole and in a legal state: its rows, its events and its read-model rows agree."""
    orders, item_rows, event_rows, listed_rows, ticket_rows = query_store(
        url_of(store),
        [
            "SELECT id, status FROM orders",
            "SELECT order_id, count(*), count(ready_at) FROM order_items GROUP BY order_id",
            "SELECT order_id, event_type, payload FROM events WHERE order_id IS NOT NULL ORDER BY position",
            "SELECT order_id, status, items_ready FROM order_list_view",
            "SELECT order_id, items_ready, completed_at FROM kitchen_queue_view",
        ],
    )
    items = {row[0]: (row[1], row[2]) for row in item_rows}
    events: dict[str, list[str]] = defaultdict(list)
    placed: dict[str, list[str]] = defaultdict(list)
    for order_id, event_type, payload in event_rows:
        events[order_id].append(event_type)
        if event_type == "OrderPlacedEvent":
            placed[order_id].append(payload if isinstance(payload, str) else json.dumps(payload))
    listings = {row[0]: (row[1], row[2]) for row in listed_rows}
    tickets = {row[0]: (row[1], row[2]) for row in ticket_rows}
    problems: list[str] = []
    for order_id, status in orders:
        count, ready = items.get(order_id, (0, 0))
        timeline = events[order_id]
        if status not in LEGAL_STATES:
            problems.append(f"{order_id}: unknown status {status}")
        if len(placed[order_id]) != 1:
            problems.append(f"{order_id}: {len(placed[order_id])} OrderPlacedEvents")
            continue
        placed_items = len(json.loads(placed[order_id][0])["items"])
        if placed_items != count:
            problems.append(f"{order_id}: {count} item rows for {placed_items} placed")
        if timeline.count("PizzaReadyEvent") != ready:
            problems.append(f"{order_id}: {ready} ready items but {timeline.count('PizzaReadyEvent')} ready events")
        cancelled = status == "cancelled"
        if cancelled != ("OrderCancelledEvent" in timeline):
            problems.append(f"{order_id}: status {status} with events {timeline}")
        if not cancelled and ("CookingStartedEvent" in timeline) != (status != "pending"):
            problems.append(f"{order_id}: status {status} with events {timeline}")
        if status in ("ready", "picked_up", "out_for_delivery", "delivered") and ready != count:
            problems.append(f"{order_id}: {status} with {ready} of {count} items ready")
        listed = listings.get(order_id)
        if listed is None or listed[0] != status or listed[1] != ready:
            problems.append(f"{order_id}: order list shows {listed}, the order is {status} with {ready} ready")
        ticket = tickets.get(order_id)
        if cancelled:
            if ticket is not None:
                problems.append(f"{order_id}: a cancelled order still has a kitchen ticket")
        elif ticket is None or ticket[0] != ready or (ticket[1] is None) != (status in ("pending", "cooking")):
            problems.append(f"{order_id}: kitchen ticket {ticket} for a {status} order")
    live = sum(1 for _, status in orders if status != "cancelled")
    if len(tickets) != live:
        problems.append(f"{len(tickets)} kitchen tickets for {live} orders not cancelled")
    return problems


def order_number_trouble(store: StoreRef) -> list[str]:
    """Order numbers are unique and gap-free on each business day (1, 2, 3, … in the order they were given)."""
    rows, last = query_store(
        url_of(store),
        ["SELECT business_date, number FROM orders", "SELECT business_date, last_number FROM order_numbers"],
    )
    days: dict[object, list[int]] = defaultdict(list)
    for day, number in rows:
        days[day].append(number)
    given = {day: number for day, number in last}
    problems = []
    for day, numbers in days.items():
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
            duplicates = len(numbers) - len(set(numbers))
            problems.append(f"{day}: {duplicates} duplicate numbers, missing {missing[:20]}")
        if given.get(day) != len(numbers):
            problems.append(f"{day}: {len(numbers)} orders but the last number given out is {given.get(day)}")
    return problems


def read_models_match_a_rebuild(store: StoreRef) -> bool:
    url = url_of(store)
    live = dump_tables(url)

    async def rebuild() -> None:
        async with create_app(url) as app:
            await app.rebuild_read_models()

    asyncio.run(rebuild())
    return dump_tables(url) == live


def stored_states(store: StoreRef) -> dict[str, tuple[str, int]]:
    """order id (str) → (status, ready items)."""
    (rows,) = query_store(
        url_of(store),
        ["SELECT o.id, o.status, (SELECT count(ready_at) FROM order_items i WHERE i.order_id = o.id) FROM orders o"],
    )
    return {order_id: (status, ready) for order_id, status, ready in rows}


def hex_id(order_id: str) -> str:
    """The order id as stored (32 hex digits)."""
    return order_id.replace("-", "")


def reached(stored: str, acknowledged: str) -> bool:
    """The stored state is the acknowledged one or later on the order's way (pick-up or delivery); an order
    acknowledged pending may have been cancelled since."""
    if stored == "cancelled" or acknowledged == "cancelled":
        return stored == acknowledged or acknowledged == "pending"
    if {stored, acknowledged} == {"picked_up", "out_for_delivery"} or (stored, acknowledged) == (
        "picked_up",
        "delivered",
    ):
        return False
    return _RANK[stored] >= _RANK[acknowledged]
