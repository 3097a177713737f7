"""The two backends side by side in one run: a SQLite file and a PostgreSQL server on loopback.

    python tests/benchmarks/bench_server.py [--orders 300] [--seconds 8]

For each backend: place-order p50/p99 through create_app with one till; orders a second with one till and with
four tills (four processes placing back to back against the one store); the kitchen queue with 200 open tickets
(median of uncached reads); cross-terminal wake-up (commit on one till → the other till's screens told, two
terminals in two processes). The PostgreSQL server is a throwaway one (tests/pg_server.py), started and removed by
this script. Targets (issue 12) are ratios within the run. Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pos_app.application.behaviors.caching import QueryCache
from pos_app.bootstrap import create_app
from pos_app.config import KitchenPolicy, Settings
from pos_app.messages.queries import GetKitchenQueueQuery
from tests.pg_server import ThrowawayServer
from tests.support import LUNCH_ITEMS, login, place_order

BIG_KITCHEN = Settings(kitchen=KitchenPolicy(capacity_items=1_000_000, stations=8))


def order() -> Any:
    return place_order(pizza_items=LUNCH_ITEMS, payment_method="card", amount_tendered=None, accept_kitchen_wait=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


async def latency(url: str, count: int) -> dict[str, float]:
    async with create_app(url, settings=BIG_KITCHEN) as app:
        await login(app.mediator, "luigi")
        for _ in range(30):  # warm up
            assert (await app.mediator.execute_async(order())).status == 201
        times = []
        for _ in range(count):
            started = time.perf_counter()
            result = await app.mediator.execute_async(order())
            times.append(time.perf_counter() - started)
            assert result.status == 201, result
    return {"place p50 ms": statistics.median(times) * 1000, "place p99 ms": percentile(times, 0.99) * 1000}


def _till(url: str, seconds: float, start_at: float, queue: Any) -> None:
    async def run() -> tuple[int, int]:
        async with create_app(url, settings=BIG_KITCHEN) as app:
            await login(app.mediator, "luigi")
            await asyncio.sleep(max(0.0, start_at - time.time()))  # every till starts at the same instant
            placed = errors = 0
            while time.time() < start_at + seconds:
                result = await app.mediator.execute_async(order())
                placed += result.status == 201
                errors += result.status != 201
            return placed, errors

    queue.put(asyncio.run(run()))


def throughput(url: str, tills: int, seconds: float) -> tuple[float, int]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    start_at = time.time() + 6  # every till has opened the store by then
    workers = [context.Process(target=_till, args=(url, seconds, start_at, queue)) for _ in range(tills)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return sum(placed for placed, _ in results) / seconds, sum(errors for _, errors in results)


async def kitchen_queue(url: str, tickets: int = 200, repeats: int = 30) -> float:
    async with create_app(url, settings=BIG_KITCHEN) as app:
        await login(app.mediator, "luigi")
        for _ in range(tickets):
            assert (await app.mediator.execute_async(order())).status == 201
        await login(app.mediator, "rosa")
        cache = app.provider.get_required_service(QueryCache)
        times = []
        for _ in range(repeats):
            cache.invalidate_all()
            started = time.perf_counter()
            result = await app.mediator.execute_async(GetKitchenQueueQuery())
            times.append(time.perf_counter() - started)
            assert len(result.data) == tickets
    return statistics.median(times) * 1000


def _listener(url: str, ready: Any, heard: Any, stop: Any) -> None:
    async def run() -> None:
        async with create_app(url, settings=BIG_KITCHEN) as app:
            app.changes.subscribe(lambda topics: heard.put(time.time()))
            ready.set()
            await asyncio.get_running_loop().run_in_executor(None, stop.wait)

    asyncio.run(run())


async def wake_up(url: str, rounds: int = 40) -> dict[str, float]:
    """Commit on this till → the other process's app told (its screens then read again)."""
    context = multiprocessing.get_context("spawn")
    ready, stop, heard = context.Event(), context.Event(), context.Queue()
    other = context.Process(target=_listener, args=(url, ready, heard, stop))
    other.start()
    ready.wait(60)
    latencies = []
    async with create_app(url, settings=BIG_KITCHEN) as app:
        await login(app.mediator, "luigi")
        await asyncio.sleep(0.5)
        while not heard.empty():
            heard.get()
        for _ in range(rounds):
            result = await app.mediator.execute_async(order())
            committed = time.time()
            assert result.status == 201
            told = heard.get(timeout=10)
            latencies.append(max(0.0, told - committed))
            await asyncio.sleep(0.05)
            while not heard.empty():
                heard.get()
    stop.set()
    other.join(timeout=30)
    return {"wake p50 ms": statistics.median(latencies) * 1000, "wake p99 ms": percentile(latencies, 0.99) * 1000}


def measure(name: str, new_url: Any, orders: int, seconds: float) -> dict[str, float]:
    figures = asyncio.run(latency(new_url(), orders))
    one, errors_one = throughput(new_url(), 1, seconds)
    url = new_url()
    asyncio.run(kitchen_queue(url, 1))  # make the store before four tills open it at once
    four, errors_four = throughput(url, 4, seconds)
    figures.update({"1 till /s": one, "4 tills /s": four, "errors": errors_one + errors_four})
    figures["kitchen 200 ms"] = asyncio.run(kitchen_queue(new_url()))
    figures.update(asyncio.run(wake_up(new_url())))
    print(name, {key: round(value, 2) for key, value in figures.items()}, flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pos-bench-"))
    files = iter(range(1000))
    server = ThrowawayServer().start()
    try:
        results = {
            "sqlite": measure(
                "sqlite", lambda: f"sqlite:///{work / f'store{next(files)}.db'}", args.orders, args.seconds
            ),
            "postgresql": measure("postgresql", server.new_database, args.orders, args.seconds),
        }
    finally:
        server.close()
    lite, pg = results["sqlite"], results["postgresql"]
    checks = {
        "pg place p50 <= 2x sqlite": pg["place p50 ms"] <= 2 * lite["place p50 ms"],
        "pg place p99 <= 2.5x its p50": pg["place p99 ms"] <= 2.5 * pg["place p50 ms"],
        "pg 4 tills >= 1.5x one, no errors": pg["4 tills /s"] >= 1.5 * pg["1 till /s"] and pg["errors"] == 0,
        "wake p99 <= 100 ms (sqlite)": lite["wake p99 ms"] <= 100,
        "wake p99 <= 100 ms (postgresql)": pg["wake p99 ms"] <= 100,
    }
    print(f"{'':34}{'sqlite':>12}{'postgresql':>12}")
    for key in lite:
        print(f"{key:34}{lite[key]:12.2f}{pg[key]:12.2f}")
    for check, met in checks.items():
        print(f"{'met ' if met else 'MISSED'} {check}")
    print(json.dumps({"results": results, "checks": checks}))


if __name__ == "__main__":
    main()
