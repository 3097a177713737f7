"""The screens under load: refresh cost per frame, event-loop lag during a rush, memory, cold start.

    python tests/benchmarks/bench_ui.py --store STORE.db [--rush-seconds 20]

- refresh: the kitchen view applying 200 tickets and the order list applying 1,000 rows (first fill, then a
  refresh where one ticket or row changed and one arrived), each followed by processing the view's events;
- lag: the main window with every screen open (a manager logged in) on a copy of STORE while another process
  places 10 orders a second (`pos-app simulate --rate 10`); a 10 ms Qt timer measures how late it fires;
- memory: the RSS of this process with every screen open on STORE;
- cold start: `pos-app` on STORE to its first painted window (its own log line), three runs.
Runs offscreen. Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import qasync
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pos_app.__main__ import freeze_long_lived_objects
from pos_app.bootstrap import create_app
from pos_app.messages.dtos import KitchenItemDto, KitchenTicketDto, OrderSummaryDto
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ui_mediator import UiMediator
from pos_app.ui.views.kitchen import KitchenView
from pos_app.ui.views.orders import OrdersView
from tests.ui.conftest import FakeMediator

TARGETS = {
    "kitchen refresh, 200 tickets": 16.0,
    "order list refresh, 1,000 rows": 16.0,
    "loop lag max": 50.0,
    "rss with every screen open": 250.0,
    "cold start to first paint": 1500.0,
}
NOW = datetime.now(UTC)


def tickets(count: int, offset: int = 0) -> list[KitchenTicketDto]:
    return [
        KitchenTicketDto(
            order_id=uuid.UUID(int=n + 1),
            order_number=n + 1,
            order_type="pickup",
            customer_name=f"Guest {n}",
            status="cooking" if n % 2 else "pending",
            placed_at=NOW - timedelta(minutes=count - n),
            started_at=None,
            estimated_ready_time=NOW + timedelta(minutes=n % 20),
            completed_at=None,
            items=[
                KitchenItemDto(
                    index=i,
                    name="Margherita",
                    category="pizza",
                    size="large",
                    toppings=["Ham"],
                    special_instructions="well done" if i == 0 else "",
                    ready=i < (n % 3),
                )
                for i in range(3)
            ],
        )
        for n in range(offset, offset + count)
    ]


def summaries(count: int, offset: int = 0) -> list[OrderSummaryDto]:
    return [
        OrderSummaryDto(
            order_id=uuid.UUID(int=n + 1),
            order_number=n + 1,
            business_date=NOW.date(),
            placed_at=NOW - timedelta(seconds=40 * (count - n)),
            customer_name=f"Guest {n}",
            customer_phone=f"555{n:07d}",
            customer_address=None,
            order_type="pickup",
            items_summary="2× Margherita L, Cola",
            item_count=3,
            total_amount=Decimal("41.48"),
            status=("pending", "cooking", "ready", "picked_up")[n % 4],
            paid=bool(n % 2),
            payment_method="card",
            estimated_ready_time=NOW + timedelta(minutes=n % 30),
            ready_at=None,
            completed_at=None,
            driver_id=None,
        )
        for n in range(offset, offset + count)
    ][::-1]


def timed_apply(apply: Any, items: Any) -> float:
    started = time.perf_counter()
    apply(items)
    QApplication.processEvents()
    return (time.perf_counter() - started) * 1000


def refresh_costs() -> dict[str, float]:
    kitchen, orders = KitchenView(FakeMediator()), OrdersView(FakeMediator())
    for view in (kitchen, orders):
        view.resize(1366, 720)
        view.show()
    QApplication.processEvents()
    figures: dict[str, float] = {}
    first, later = tickets(200), tickets(200, offset=1)
    figures["kitchen first fill, 200 tickets"] = timed_apply(kitchen.model.apply, first)
    figures["kitchen refresh, 200 tickets"] = statistics.median(
        timed_apply(kitchen.model.apply, items) for items in [later, first] * 5
    )
    first_rows, later_rows = summaries(1000), summaries(1000, offset=1)
    figures["order list first fill, 1,000 rows"] = timed_apply(orders.model.apply, first_rows)
    figures["order list refresh, 1,000 rows"] = statistics.median(
        timed_apply(orders.model.apply, rows) for rows in [later_rows, first_rows] * 5
    )
    kitchen.close()
    orders.close()
    return figures


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def settle(window: MainWindow, seconds: float = 0.5) -> None:
    await window.wait_idle()
    await asyncio.sleep(seconds)
    await window.wait_idle()


async def log_in(window: MainWindow, staff_id: str, pin: str) -> None:
    login = window.login
    await login.wait_idle()
    rect = login.staff_list.visualRect(login.model.index(login.model.row_of(staff_id)))
    QTest.mouseClick(login.staff_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    for digit in pin:
        QTest.mouseClick(login.keys[digit], Qt.MouseButton.LeftButton)
    QTest.mouseClick(login.login_button, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    for _ in range(500):
        if window.session is not None:
            return
        await asyncio.sleep(0.02)
    raise RuntimeError(f"{staff_id} could not log in")


async def rush_with_every_screen_open(store: Path, seconds: float) -> dict[str, float]:
    async with create_app(f"sqlite:///{store}") as pos:
        bridge = UiBridge()
        pos.changes.subscribe(bridge.notify)
        window = MainWindow(UiMediator(pos.mediator), bridge, pos.settings.store_name, str(store))
        window.resize(1920, 1080)
        window.show()
        window.show_login()
        await settle(window)
        await log_in(window, "mario", "1000")
        for screen in ("counter", "orders", "kitchen"):
            window.tabs.setCurrentWidget(window.screens[screen])
            await settle(window, 0.3)
        window.tabs.setCurrentWidget(window.orders)
        await settle(window)
        rss = rss_mb()
        late: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            late.append(max(0.0, (now - last[0]) * 1000 - 10))
            last[0] = now

        gc_pauses: list[float] = []
        gc_started = [0.0]

        def on_gc(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                gc_started[0] = time.perf_counter()
            elif info["generation"] == 2:
                gc_pauses.append((time.perf_counter() - gc_started[0]) * 1000)

        freeze_long_lived_objects()  # as pos-app does after start-up and after a login
        gc.callbacks.append(on_gc)
        timer = QTimer()
        timer.setInterval(10)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(tick)
        rush = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "pos_app",
            "simulate",
            "--orders",
            str(int(seconds * 10)),
            "--rate",
            "10",
            "--database-url",
            f"sqlite:///{store}",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        last[0] = time.perf_counter()
        timer.start()
        await rush.wait()
        timer.stop()
        await settle(window)
        shown = window.orders.model.rowCount()
        window.close()
        await settle(window, 0.1)
    late.sort()
    gc.callbacks.remove(on_gc)
    return {
        "loop lag max": late[-1],
        "loop lag p99": late[int(len(late) * 0.99)],
        "loop lag median": statistics.median(late),
        "rss with every screen open": rss,
        "rss after the rush": rss_mb(),
        "orders listed after the rush": float(shown),
        "longest full collection during the rush": max(gc_pauses, default=0.0),
    }


def cold_starts(store: Path, runs: int = 3) -> dict[str, float]:
    figures = []
    for _ in range(runs):
        process = subprocess.Popen(
            [sys.executable, "-m", "pos_app", "--database-url", f"sqlite:///{store}", "--log-level", "INFO"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        for line in process.stdout:
            match = re.search(r"Window painted (\d+) ms after start", line)
            if match:
                figures.append(float(match.group(1)))
                break
        process.kill()
        process.wait()
    return {"cold start to first paint": statistics.median(figures)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True, help="a seeded store (tests/benchmarks/seed.py)")
    parser.add_argument("--rush-seconds", type=float, default=20)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    figures: dict[str, float] = {}
    figures.update(refresh_costs())
    with tempfile.TemporaryDirectory(prefix="pos-bench-ui-") as directory:
        copy = Path(directory) / "store.db"
        shutil.copy(args.store, copy)
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            figures.update(runner.run(rush_with_every_screen_open(copy, args.rush_seconds)))
        figures.update(cold_starts(copy))
    print(f"{'what (ms, MB for memory)':40} {'measured':>10} {'target':>10}")
    for name, value in figures.items():
        target = TARGETS.get(name)
        print(f"{name:40} {value:10.1f} {('<= ' + str(target)) if target else '':>10}")
    print(json.dumps({"benchmark": "ui", "figures": figures}))


if __name__ == "__main__":
    main()
