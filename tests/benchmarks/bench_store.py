"""The store under load: placing orders end to end, the screens' queries at 1k/10k/100k orders, the rebuild.

    python tests/benchmarks/bench_store.py [--sizes 1000,10000,100000] [--orders-to-place 2000]

Each store is seeded through the bulk history writer (tests/benchmarks/seed.py). Query times are medians of
uncached reads through the mediator (the query cache is cleared before each). Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pos_app.application.behaviors.caching import QueryCache
from pos_app.bootstrap import create_app
from pos_app.mediation import Mediator, Request
from pos_app.messages.queries import (
    GetDailySalesQuery,
    GetKitchenQueueQuery,
    GetOrderHistoryQuery,
    GetOrdersQuery,
    GetPopularPizzasQuery,
)
from pos_app.tools.history import LOYAL_PHONE
from tests.benchmarks.seed import seed
from tests.support import LUNCH_ITEMS, login, place_order, serve_lunch_order

ITEMS = LUNCH_ITEMS
TARGETS_MS = {
    "place order p50": 3.0,
    "place order p99": 10.0,
    "kitchen queue, 200 open tickets": 5.0,
    "today's orders, first page of 50": 5.0,
    "today's orders, all 1,000 in one page": 5.0,
    "order history, regular customer": 10.0,
    "popular pizzas, 30 days": 10.0,
    "day close (daily sales)": 50.0,
}


def last_day(path: Path) -> date:
    with sqlite3.connect(path) as connection:
        return date.fromisoformat(connection.execute("SELECT max(business_date) FROM order_list_view").fetchone()[0])


async def place_timed(mediator: Mediator, open_orders: list[Any]) -> float:
    """Place a lunch order (it joins `open_orders`); the seconds `PlaceOrderCommand` took."""
    command = place_order(pizza_items=ITEMS, payment_method="card", amount_tendered=None, accept_kitchen_wait=True)
    before = time.perf_counter()
    result = await mediator.execute_async(command)
    elapsed = time.perf_counter() - before
    assert result.status == 201, result
    open_orders.append(command.order_id)
    return elapsed


async def kitchen_keeps_up(mediator: Mediator, open_orders: list[Any]) -> None:
    """The kitchen cooks and hands over the oldest open orders until five are left, as in a rush."""
    while len(open_orders) > 5:
        await serve_lunch_order(mediator, open_orders.pop(0))


async def place_orders(path: Path, count: int) -> dict[str, float]:
    """End to end through create_app on a file store: validation → commit (synchronous=FULL) → projections.

    Latency: orders placed while the kitchen keeps up (each new order, the oldest open one is cooked and handed
    over), as in a rush; only PlaceOrderCommand is timed. Throughput: orders placed back to back, nobody cooking."""
    async with create_app(f"sqlite:///{path}") as app:
        await login(app.mediator, "mario")
        mediator = app.mediator
        open_orders: list[Any] = []
        for _ in range(50):  # warm up
            await place_timed(mediator, open_orders)
            await kitchen_keeps_up(mediator, open_orders)
        times = []
        for _ in range(count):
            times.append(await place_timed(mediator, open_orders))
            await kitchen_keeps_up(mediator, open_orders)
        started = time.perf_counter()
        burst = max(200, count // 4)
        for _ in range(burst):
            await place_timed(mediator, open_orders)
        elapsed = time.perf_counter() - started
    times.sort()
    return {
        "place order p50": statistics.median(times) * 1000,
        "place order p99": times[int(len(times) * 0.99) - 1] * 1000,
        "place order throughput /s": burst / elapsed,
    }


async def query_times(path: Path, repeats: int = 15) -> dict[str, float]:
    day = last_day(path)
    queries: dict[str, Request[Any]] = {
        "kitchen queue, 200 open tickets": GetKitchenQueueQuery(),
        "today's orders, first page of 50": GetOrdersQuery(date=day),
        "today's orders, all 1,000 in one page": GetOrdersQuery(date=day, page_size=1000),
        "order history, regular customer": GetOrderHistoryQuery(customer_phone=LOYAL_PHONE),
        "popular pizzas, 30 days": GetPopularPizzasQuery(time_period="last_30_days"),
        "day close (daily sales)": GetDailySalesQuery(date=day),
    }
    figures: dict[str, float] = {}
    async with create_app(f"sqlite:///{path}") as app:
        await login(app.mediator, "mario")
        cache = app.provider.get_required_service(QueryCache)
        for name, query in queries.items():
            samples = []
            for _ in range(repeats):
                cache.invalidate_all()
                before = time.perf_counter()
                result = await app.mediator.execute_async(query)
                samples.append(time.perf_counter() - before)
                assert result.is_success, (name, result)
            figures[name] = statistics.median(samples[2:]) * 1000
    return figures


async def rebuild_rate(path: Path) -> dict[str, float]:
    async with create_app(f"sqlite:///{path}") as app:
        started = time.perf_counter()
        events = await app.rebuild_read_models()
        elapsed = time.perf_counter() - started
    return {"rebuild events": events, "rebuild seconds": elapsed, "rebuild events /s": events / elapsed}


async def run(sizes: list[int], orders_to_place: int, work: Path, say: Callable[[str], None]) -> dict[str, Any]:
    results: dict[str, Any] = {"sizes": {}}
    fresh = work / "fresh.db"
    say("placing orders on a new store")
    results["place order, new store"] = await place_orders(fresh, orders_to_place)
    for size in sizes:
        store = work / f"store-{size}.db"
        say(f"seeding {size} orders")
        seeded = await seed(store, size, today=date.today() - timedelta(days=0))
        figures: dict[str, Any] = {"seed seconds": seeded["seconds"], "events": seeded["events"]}
        say(f"queries on {size} orders")
        figures.update(await query_times(store))
        copy = work / f"store-{size}-place.db"
        shutil.copy(store, copy)
        say(f"placing orders on {size} orders")
        figures.update(await place_orders(copy, max(200, orders_to_place // 4)))
        say(f"rebuilding {size} orders")
        figures.update(await rebuild_rate(store))
        results["sizes"][size] = figures
    return results


def print_table(results: dict[str, Any]) -> None:
    sizes = list(results["sizes"])
    print(f"{'what (ms unless stated)':42}" + "".join(f"{f'{s:,} orders':>16}" for s in sizes) + f"{'target':>10}")
    names = list(next(iter(results["sizes"].values())))
    for name in names:
        row = f"{name:42}"
        for size in sizes:
            value = results["sizes"][size][name]
            row += f"{value:16,.2f}" if isinstance(value, float) else f"{value:16,}"
        target = TARGETS_MS.get(name)
        print(row + (f"{'<= ' + str(target):>10}" if target else ""))
    new = results["place order, new store"]
    print("new store: " + ", ".join(f"{k} {v:.2f}" for k, v in new.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--orders-to-place", type=int, default=2000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="pos-bench-") as directory:
        results = asyncio.run(
            run(sizes, args.orders_to_place, Path(directory), lambda s: print(f"... {s}", flush=True))
        )
    print_table(results)
    print(json.dumps({"benchmark": "store", **results}, default=str))


if __name__ == "__main__":
    main()
