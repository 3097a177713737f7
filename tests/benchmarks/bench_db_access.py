"""Why the store runs synchronous SQLAlchemy on worker threads: the cost of reaching SQLite from the event loop.

    python tests/benchmarks/bench_db_access.py

Compares, per call: an aiosqlite round trip through SQLAlchemy's asyncio engine, a hop to a worker thread
(`run_in_executor`) on the default loop and on qasync's loop, and a statement on a local sqlite3 connection; and a
commit with synchronous=FULL in WAL mode. Prints a table and one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

CALLS = 2000


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


async def aiosqlite_round_trip(path: Path) -> float:
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    samples = []
    async with engine.connect() as connection:
        for _ in range(CALLS):
            started = time.perf_counter()
            await connection.execute(text("SELECT 1"))
            samples.append(time.perf_counter() - started)
    await engine.dispose()
    return median_us(samples)


async def thread_hop() -> float:
    executor = ThreadPoolExecutor(1)
    loop = asyncio.get_running_loop()
    samples = []
    for _ in range(CALLS):
        started = time.perf_counter()
        await loop.run_in_executor(executor, int)
        samples.append(time.perf_counter() - started)
    executor.shutdown()
    return median_us(samples)


def local_statement(path: Path) -> float:
    connection = sqlite3.connect(path)
    samples = []
    for _ in range(CALLS):
        started = time.perf_counter()
        connection.execute("SELECT 1").fetchall()
        samples.append(time.perf_counter() - started)
    connection.close()
    return median_us(samples)


def full_sync_commit(path: Path) -> float:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
    samples = []
    for _ in range(300):
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t (v) VALUES ('x')")
        connection.execute("COMMIT")
        samples.append(time.perf_counter() - started)
    connection.close()
    return median_us(samples)


def on_qasync(coroutine_factory: Any) -> float:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        result: float = runner.run(coroutine_factory())
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.db"
        sqlite3.connect(path).close()
        figures = {
            "aiosqlite round trip (SQLAlchemy asyncio)": asyncio.run(aiosqlite_round_trip(path)),
            "thread hop, asyncio loop": asyncio.run(thread_hop()),
            "thread hop, qasync loop": on_qasync(thread_hop),
            "statement on a local sqlite3 connection": local_statement(path),
            "commit, WAL + synchronous=FULL": full_sync_commit(path),
        }
    print(f"{'what':45} {'µs (median)':>12}")
    for name, value in figures.items():
        print(f"{name:45} {value:12.1f}")
    print(json.dumps({"benchmark": "db_access", "us": {k: round(v, 1) for k, v in figures.items()}}))


if __name__ == "__main__":
    main()
