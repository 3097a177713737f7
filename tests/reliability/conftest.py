"""Helpers for the reliability tests: checking a store file for consistency after it was abused."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

from pos_app.bootstrap import create_app
from tests.support import dump_tables

PATH = ("pending", "cooking", "ready", "picked_up")


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def partial_orders(path: Path) -> list[str]:
    """Every order must be whole: its rows, its events and its read-model rows agree."""
    problems: list[str] = []
    with sqlite3.connect(path) as connection:
        orders = connection.execute("SELECT id, status FROM orders").fetchall()
        for order_id, status in orders:
            items = connection.execute(
                "SELECT count(*), count(ready_at) FROM order_items WHERE order_id = ?", (order_id,)
            ).fetchone()
            events = [
                row[0]
                for row in connection.execute(
                    "SELECT event_type FROM events WHERE order_id = ? ORDER BY position", (order_id,)
                )
            ]
            placed = connection.execute(
                "SELECT payload FROM events WHERE order_id = ? AND event_type = 'OrderPlacedEvent'", (order_id,)
            ).fetchall()
            listed = connection.execute(
                "SELECT status, items_ready FROM order_list_view WHERE order_id = ?", (order_id,)
            ).fetchone()
            ticket = connection.execute(
                "SELECT items_ready, completed_at FROM kitchen_queue_view WHERE order_id = ?", (order_id,)
            ).fetchone()
            if len(placed) != 1:
                problems.append(f"{order_id}: {len(placed)} OrderPlacedEvents")
                continue
            if len(json.loads(placed[0][0])["items"]) != items[0]:
                problems.append(f"{order_id}: {items[0]} item rows for {len(json.loads(placed[0][0])['items'])} placed")
            if events.count("PizzaReadyEvent") != items[1]:
                problems.append(
                    f"{order_id}: {items[1]} ready items but {events.count('PizzaReadyEvent')} ready events"
                )
            cancelled = status == "cancelled"
            if cancelled != ("OrderCancelledEvent" in events):
                problems.append(f"{order_id}: status {status} with events {events}")
            if not cancelled and ("CookingStartedEvent" in events) != (status != "pending"):
                problems.append(f"{order_id}: status {status} with events {events}")
            if listed is None or listed[0] != status or listed[1] != items[1]:
                problems.append(f"{order_id}: order list shows {listed}, the order is {status} with {items[1]} ready")
            if cancelled:
                if ticket is not None:
                    problems.append(f"{order_id}: a cancelled order still has a kitchen ticket")
            elif ticket is None or ticket[0] != items[1] or (ticket[1] is None) != (status in ("pending", "cooking")):
                problems.append(f"{order_id}: kitchen ticket {ticket} for a {status} order")
        tickets = connection.execute("SELECT count(*) FROM kitchen_queue_view").fetchone()[0]
        live = sum(1 for _, status in orders if status != "cancelled")
        if tickets != live:
            problems.append(f"{tickets} kitchen tickets for {live} orders not cancelled")
    return problems


def read_models_match_a_rebuild(path: Path) -> bool:
    live = dump_tables(path)

    async def rebuild() -> None:
        async with create_app(f"sqlite:///{path}") as app:
            await app.rebuild_read_models()

    asyncio.run(rebuild())
    return dump_tables(path) == live


def stored_states(path: Path) -> dict[str, tuple[str, int]]:
    """order id (str) → (status, ready items)."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT o.id, o.status, (SELECT count(ready_at) FROM order_items i WHERE i.order_id = o.id) FROM orders o"
        ).fetchall()
    return {order_id: (status, ready) for order_id, status, ready in rows}


def hex_id(order_id: str) -> str:
    """The order id as stored (32 hex digits)."""
    return order_id.replace("-", "")


def reached(stored: str, acknowledged: str) -> bool:
    return PATH.index(stored) >= PATH.index(acknowledged)
