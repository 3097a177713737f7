"""`pos-app simulate`, run as a user would: its times, its options, and the store it writes into."""

from __future__ import annotations

import asyncio
import os
import pty
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.bootstrap import create_app
from tests.e2e.test_cli import one_line_error, run
from tests.support import fingerprint, login, placed

TIMES = [
    "SELECT max(occurred_at) FROM events",
    "SELECT max(placed_at) FROM orders",
    "SELECT max(started_at) FROM orders",
    "SELECT max(ready_at) FROM orders",
    "SELECT max(completed_at) FROM orders",
    "SELECT max(ready_at) FROM order_items",
]


def latest_time(path: Path) -> datetime:
    """The latest moment anything in the store says happened (an order's estimated ready time is not a fact)."""
    with closing(sqlite3.connect(path)) as connection:
        found = [connection.execute(sql).fetchone()[0] for sql in TIMES]
    return max(datetime.fromisoformat(value) for value in found if value is not None)


def order_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM orders").fetchone()[0])


def store_with_a_real_order(path: Path) -> None:
    async def make() -> None:
        async with create_app(f"sqlite:///{path}") as app:
            await login(app.mediator, "luigi")
            await placed(app.mediator)

    asyncio.run(make())


def simulate_on_a_terminal(path: Path, answer: str) -> tuple[int, str]:
    """Run the simulation with a terminal as stdin, answer its question; returns the exit code and stderr."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "pos_app", "simulate", "--database-url", f"sqlite:///{path}", "--orders", "2"],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.write(controller, answer.encode() + b"\n")
        _, errors = process.communicate(timeout=120)
    finally:
        os.close(controller)
        os.close(terminal)
    return process.returncode, errors


def test_a_rate_the_machine_cannot_keep_never_writes_times_ahead_of_the_real_clock(tmp_path: Path) -> None:
    path = tmp_path / "store.db"

    completed = run("simulate", "--database-url", f"sqlite:///{path}", "--demo", "--orders", "40", "--rate", "1000")
    finished = datetime.now(UTC)

    assert completed.returncode == 0, completed.stderr
    assert order_count(path) == 40
    assert latest_time(path) <= finished
    assert "Could not keep --rate 1000" in completed.stdout
    assert "simulated time stopped at the real clock" in completed.stdout


def test_allow_future_lets_simulated_time_run_past_the_real_clock(tmp_path: Path) -> None:
    path = tmp_path / "store.db"

    completed = run(
        "simulate",
        "--database-url",
        f"sqlite:///{path}",
        "--demo",
        "--orders",
        "40",
        "--rate",
        "1000",
        "--allow-future",
    )
    finished = datetime.now(UTC)

    assert completed.returncode == 0, completed.stderr
    assert latest_time(path) > finished
    assert "simulated time ran past the real clock" in completed.stdout


@pytest.mark.parametrize("rate", ["nan", "inf", "-inf", "0", "-5", "1e300"])
def test_a_rate_that_is_not_a_usable_number_is_refused_in_one_line(tmp_path: Path, rate: str) -> None:
    path = tmp_path / "store.db"
    store_with_a_real_order(path)
    before = fingerprint(path)

    completed = run("simulate", "--database-url", f"sqlite:///{path}", f"--rate={rate}", "--yes")

    assert completed.returncode == 2
    assert "--rate" in one_line_error(completed)
    assert fingerprint(path) == before


def test_a_store_with_real_orders_and_no_terminal_is_refused_without_yes(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store_with_a_real_order(path)
    before = fingerprint(path)

    completed = run("simulate", "--database-url", f"sqlite:///{path}", "--orders", "2", stdin="")

    assert completed.returncode == 2
    error = one_line_error(completed)
    assert "1 real order" in error
    assert "--yes" in error
    assert fingerprint(path) == before


def test_yes_adds_the_rush_to_a_store_with_real_orders(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store_with_a_real_order(path)

    completed = run("simulate", "--database-url", f"sqlite:///{path}", "--orders", "2", "--yes", stdin="")

    assert completed.returncode == 0, completed.stderr
    assert order_count(path) == 3


def test_on_a_terminal_the_simulation_asks_and_writes_nothing_unless_told_yes(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store_with_a_real_order(path)
    before = fingerprint(path)

    refused, refused_errors = simulate_on_a_terminal(path, "n")
    unchanged = fingerprint(path)
    accepted, accepted_errors = simulate_on_a_terminal(path, "y")

    assert "The store has 1 real order. Add simulated orders to it? [y/N]" in refused_errors
    assert refused == 1
    assert "nothing written" in refused_errors
    assert unchanged == before
    assert accepted == 0, accepted_errors
    assert order_count(path) == 3


def test_a_store_holding_only_simulated_orders_is_not_asked_about(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"

    first = run("simulate", "--database-url", url, "--demo", "--orders", "2", stdin="")
    second = run("simulate", "--database-url", url, "--orders", "2", stdin="")

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert order_count(path) == 4
