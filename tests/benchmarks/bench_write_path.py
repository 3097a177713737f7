"""Placing an order against a minimal durable write of the same rows, side by side in one run.

    python tests/benchmarks/bench_write_path.py [--samples 600]

The reference is the least a durable order can cost here: a pydantic model validated on the event loop, one JSON
event, and one transaction (`BEGIN IMMEDIATE` … `COMMIT` with `synchronous=FULL` in WAL mode, as the store runs)
writing the order, its item, the event and two read-model rows (the order list and the kitchen queue) on a worker
thread, awaited from the loop. It writes into a store file of its own made by the app, so the tables and their
indexes are the real ones. Place order runs end to end through `create_app` on another store file while the kitchen
keeps up, as in `bench_store.py`. The two alternate, one sample of each at a time, so a slow phase of the machine
hits both. Prints p50/p99 of each, the ratios against the targets, and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pos_app.bootstrap import create_app
from tests.benchmarks.bench_store import kitchen_keeps_up, place_timed
from tests.support import login

TARGET_P50_RATIO = 4.0
"""Place order p50 at most this many times the reference's p50."""
TARGET_P99_RATIO = 2.5
"""Place order p99 at most this many times its own p50."""


class ReferenceOrder(BaseModel):
    """The reference's message: what a till sends for one pizza, validated as strictly as a command."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    order_id: uuid.UUID
    customer_name: str = Field(min_length=1, max_length=80)
    customer_phone: str
    pizza_id: str
    size: str
    payment_method: str


INSERT_ORDER = (
    "INSERT INTO orders (id, number, business_date, order_type, status, customer_name, customer_phone, placed_at,"
    " estimated_ready_at, subtotal_cents, delivery_fee_cents, tax_cents, total_cents, payment_method, paid,"
    " tendered_cents, change_cents, placed_by, version, paid_cents)"
    " VALUES (?, ?, ?, 'pickup', 'pending', ?, ?, ?, ?, 1500, 0, 120, 1620, ?, 1, 1620, 0, 'mario', 1, 1620)"
)
INSERT_ITEM = (
    "INSERT INTO order_items (order_id, idx, menu_item_id, name, category, size, toppings, topping_names,"
    " special_instructions, price_cents, preparation_minutes) VALUES (?, 0, ?, 'Margherita', 'pizza', ?, '[]', '[]',"
    " '', 1500, 12)"
)
INSERT_EVENT = (
    "INSERT INTO events (position, order_id, event_type, payload, staff_id, occurred_at)"
    " VALUES (?, ?, 'OrderPlacedEvent', ?, 'mario', ?)"
)
INSERT_LIST_ROW = (
    "INSERT INTO order_list_view (order_id, order_number, business_date, placed_at, customer_name, customer_phone,"
    " order_type, items_summary, items_json, item_count, items_ready, total_cents, tax_cents, delivery_fee_cents,"
    " status, paid, payment_method, estimated_ready_at, last_position)"
    " VALUES (?, ?, ?, ?, ?, ?, 'pickup', 'Margherita', '[]', 1, 0, 1620, 120, 0, 'pending', 1, ?, ?, ?)"
)
INSERT_KITCHEN_ROW = (
    "INSERT INTO kitchen_queue_view (order_id, position, order_number, order_type, customer_name, status, placed_at,"
    " estimated_ready_at, items_json, items_total, items_ready)"
    " VALUES (?, ?, ?, 'pickup', ?, 'pending', ?, ?, '[]', 1, 0)"
)


class ReferenceWriter:
    """The reference's store: one connection on one worker thread, WAL and `synchronous=FULL` as the store's."""

    def __init__(self, path: Path) -> None:
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="reference-writer")
        self._connection = self._thread.submit(self._connect, path).result()
        self._position = self._thread.submit(self._last_position).result()
        self._number = 0

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        return connection

    def _last_position(self) -> int:
        return int(self._connection.execute("SELECT coalesce(max(position), 0) FROM events").fetchone()[0])

    async def write(self, fields: dict[str, Any]) -> None:
        """Validate the message, make its event's JSON, and write the five rows in one transaction."""
        order = ReferenceOrder.model_validate(fields)
        now = datetime.now(UTC)
        placed_at = now.isoformat(timespec="microseconds")
        ready_at = (now + timedelta(minutes=12)).isoformat(timespec="microseconds")
        payload = order.model_dump_json()
        self._position += 1
        self._number += 1
        await asyncio.get_running_loop().run_in_executor(
            self._thread, self._write, order, self._position, self._number, placed_at, ready_at, payload
        )

    def _write(
        self, order: ReferenceOrder, position: int, number: int, placed_at: str, ready_at: str, payload: str
    ) -> None:
        connection = self._connection
        order_id = order.order_id.hex
        day = placed_at[:10]
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(
                INSERT_ORDER,
                (
                    order_id,
                    number,
                    day,
                    order.customer_name,
                    order.customer_phone,
                    placed_at,
                    ready_at,
                    order.payment_method,
                ),
            )
            connection.execute(INSERT_ITEM, (order_id, order.pizza_id, order.size))
            connection.execute(INSERT_EVENT, (position, order_id, payload, placed_at))
            connection.execute(
                INSERT_LIST_ROW,
                (
                    order_id,
                    number,
                    day,
                    placed_at,
                    order.customer_name,
                    order.customer_phone,
                    order.payment_method,
                    ready_at,
                    position,
                ),
            )
            connection.execute(
                INSERT_KITCHEN_ROW, (order_id, position, number, order.customer_name, placed_at, ready_at)
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._thread.submit(self._connection.close).result()
        self._thread.shutdown()


def reference_fields() -> dict[str, Any]:
    return {
        "order_id": uuid.uuid4(),
        "customer_name": "Anna Conti",
        "customer_phone": "555 010 2030",
        "pizza_id": "margherita",
        "size": "large",
        "payment_method": "card",
    }


async def make_store(path: Path) -> None:
    async with create_app(f"sqlite:///{path}"):
        pass


async def side_by_side(work: Path, samples: int, warm_up: int = 50) -> dict[str, list[float]]:
    """`samples` of each, alternating: a reference write, then a place order (the kitchen serving between)."""
    await make_store(work / "reference.db")
    reference = ReferenceWriter(work / "reference.db")
    times: dict[str, list[float]] = {"reference": [], "place order": []}
    try:
        async with create_app(f"sqlite:///{work / 'store.db'}") as app:
            await login(app.mediator, "mario")
            mediator = app.mediator
            open_orders: list[Any] = []
            for sample in range(warm_up + samples):
                fields = reference_fields()
                before = time.perf_counter()
                await reference.write(fields)
                reference_time = time.perf_counter() - before
                place_time = await place_timed(mediator, open_orders)
                await kitchen_keeps_up(mediator, open_orders)
                if sample >= warm_up:
                    times["reference"].append(reference_time)
                    times["place order"].append(place_time)
    finally:
        reference.close()
    return times


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 in ms."""
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000


def figures(times: dict[str, list[float]]) -> dict[str, float]:
    reference_p50, reference_p99 = percentiles(times["reference"])
    place_p50, place_p99 = percentiles(times["place order"])
    return {
        "samples": len(times["reference"]),
        "reference p50 ms": reference_p50,
        "reference p99 ms": reference_p99,
        "place order p50 ms": place_p50,
        "place order p99 ms": place_p99,
        "place order p50 / reference p50": place_p50 / reference_p50,
        "place order p99 / its p50": place_p99 / place_p50,
    }


def print_table(result: dict[str, float]) -> None:
    print(f"{'what':34}{'p50 ms':>10}{'p99 ms':>10}")
    for label, name in (("minimal durable write (reference)", "reference"), ("place order end to end", "place order")):
        print(f"{label:34}{result[f'{name} p50 ms']:10.2f}{result[f'{name} p99 ms']:10.2f}")
    for label, name, target in (
        ("place order p50 / reference p50", "place order p50 / reference p50", TARGET_P50_RATIO),
        ("place order p99 / its own p50", "place order p99 / its p50", TARGET_P99_RATIO),
    ):
        ratio = result[name]
        print(f"{label:34}{ratio:9.2f}× (target ≤ {target}×: {'met' if ratio <= target else 'missed'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pos-bench-") as directory:
        result = figures(asyncio.run(side_by_side(Path(directory), args.samples)))
    print_table(result)
    print(json.dumps({"benchmark": "write path", **result}))


if __name__ == "__main__":
    main()
