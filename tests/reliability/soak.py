"""Soak: many requests through the mediator and many orders through create_app; memory and latency stay flat.

    python -m tests.reliability.soak [--requests 100000] [--orders 10000]

Latency and RSS are measured on a plain run; a second, shorter run under `tracemalloc` shows where Python memory
grows. Whether latency grows with the store's history is measured against a fresh store in the same process,
alternating blocks of orders between the two, so that the machine's own ups and downs hit both alike (this machine
has slow phases of minutes; a start-versus-end comparison alone reads them as growth). Prints a table and one JSON
line. The test suite runs a reduced size (tests/reliability/test_soak.py).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pos_app.bootstrap import create_app
from pos_app.mediation import Mediator
from pos_app.messages.queries import GetKitchenQueueQuery, GetMenuQuery, GetOrderStatusQuery
from tests.support import LUNCH_ITEMS, FrozenClock, login, place_order, serve_lunch_order

ITEMS = LUNCH_ITEMS


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Day:
    """Places orders while a kitchen keeps up: the five newest are open, older ones are cooked and handed over."""

    def __init__(self, mediator: Mediator, clock: FrozenClock) -> None:
        self.mediator = mediator
        self.clock = clock
        self.open: list[uuid.UUID] = []

    async def one_order(self) -> float:
        self.clock.advance(minutes=4)  # about 300 orders a business day
        command = place_order(pizza_items=ITEMS, payment_method="card", amount_tendered=None)
        started = time.perf_counter()
        result = await self.mediator.execute_async(command)
        elapsed = time.perf_counter() - started
        assert result.status == 201, result
        self.open.append(command.order_id)
        if len(self.open) > 5:
            await serve_lunch_order(self.mediator, self.open.pop(0))
        return elapsed


async def run_phase(
    day: Day, orders: int, requests: int, sample: Callable[[], None] | None = None
) -> tuple[list[float], list[float]]:
    place_times = []
    for number in range(orders):
        place_times.append(await day.one_order())
        if sample is not None and number % max(1, orders // 20) == 0:
            sample()
    queries = [GetKitchenQueueQuery(), GetMenuQuery(), GetOrderStatusQuery(order_id=day.open[-1])]
    request_times = []
    for index in range(requests):
        started = time.perf_counter()
        assert (await day.mediator.execute_async(queries[index % 3])).is_success
        request_times.append(time.perf_counter() - started)
    return place_times, request_times


async def soaked_versus_fresh(soaked: Day, directory: Path, blocks: int = 10, block: int = 40) -> tuple[float, float]:
    """Median place-order time on the soaked store and on a fresh one, placing alternately, block by block."""
    clock = FrozenClock(soaked.clock.now())
    async with create_app(f"sqlite:///{directory / 'fresh.db'}", clock=clock) as app:
        await login(app.mediator, "mario")
        fresh = Day(app.mediator, clock)
        await run_phase(fresh, 50, 0)
        times: dict[str, list[float]] = {"soaked": [], "fresh": []}
        for _ in range(blocks):
            for name, day in (("soaked", soaked), ("fresh", fresh)):
                for _ in range(block):
                    times[name].append(await day.one_order())
    return statistics.median(times["soaked"]) * 1000, statistics.median(times["fresh"]) * 1000


async def soak(requests: int, orders: int, traced_orders: int | None = None) -> dict[str, Any]:
    traced_orders = traced_orders if traced_orders is not None else max(100, orders // 10)
    clock = FrozenClock()
    with tempfile.TemporaryDirectory() as directory:
        async with create_app(f"sqlite:///{Path(directory) / 'store.db'}", clock=clock) as app:
            await login(app.mediator, "mario")
            day = Day(app.mediator, clock)
            await run_phase(day, max(50, orders // 20), 1000)  # warm-up
            gc.collect()
            rss: list[float] = [rss_mb()]
            place_times, request_times = await run_phase(day, orders, requests, lambda: rss.append(rss_mb()))
            gc.collect()
            rss.append(rss_mb())
            tracemalloc.start(5)
            gc.collect()
            before = tracemalloc.take_snapshot()
            await run_phase(day, traced_orders, requests // 10)
            gc.collect()
            after = tracemalloc.take_snapshot()
            tracemalloc.stop()
            soaked_ms, fresh_ms = await soaked_versus_fresh(day, Path(directory))
    tenth = max(1, orders // 10)
    slice_ = max(1, requests // 10)
    growth = sorted(after.compare_to(before, "lineno"), key=lambda s: -s.size_diff)[:5]
    return {
        "orders": orders,
        "requests": requests,
        "place_order_ms_start": round(statistics.median(place_times[:tenth]) * 1000, 3),
        "place_order_ms_end": round(statistics.median(place_times[-tenth:]) * 1000, 3),
        "place_order_end_vs_start": round(
            statistics.median(place_times[-tenth:]) / statistics.median(place_times[:tenth]), 3
        ),
        "place_order_ms_soaked_store": round(soaked_ms, 3),
        "place_order_ms_fresh_store": round(fresh_ms, 3),
        "place_order_soaked_vs_fresh": round(soaked_ms / fresh_ms, 3),
        "request_us_start": round(statistics.median(request_times[:slice_]) * 1e6, 1),
        "request_us_end": round(statistics.median(request_times[-slice_:]) * 1e6, 1),
        "request_end_vs_start": round(
            statistics.median(request_times[-slice_:]) / statistics.median(request_times[:slice_]), 3
        ),
        "rss_mb_after_warm_up": round(rss[0], 1),
        "rss_mb_at_end": round(rss[-1], 1),
        "rss_mb_max": round(max(rss), 1),
        "traced_orders": traced_orders,
        "tracemalloc_growth_kb": round(sum(s.size_diff for s in after.compare_to(before, "filename")) / 1024, 1),
        "tracemalloc_top": [
            f"{s.traceback[0].filename.split('site-packages/')[-1].split('/work/main/')[-1]}:{s.traceback[0].lineno} "
            f"{s.size_diff / 1024:+.1f} kB"
            for s in growth
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=10_000)
    args = parser.parse_args()
    figures = asyncio.run(soak(args.requests, args.orders))
    for key, value in figures.items():
        print(f"{key:28} {value}")
    print(json.dumps({"benchmark": "soak", **figures}))


if __name__ == "__main__":
    main()
