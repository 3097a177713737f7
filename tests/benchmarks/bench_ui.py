"""The screens under load: refresh cost per frame, event-loop lag during a rush, memory, cold start.

    python tests/benchmarks/bench_ui.py --store STORE.db [--rush-seconds 20]

- refresh: the kitchen view and the order list on a store whose day has 20 orders and on STORE (1,000 orders, 200
  open tickets), each refreshed after one new order, from the changes since its last read (as the screens do) and,
  as the reference, as a whole read; query, merge and the view's events processed;
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
from datetime import UTC, datetime
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
from pos_app.messages.queries import GetSessionQuery
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ui_mediator import UiMediator
from pos_app.ui.views.base import ScreenView
from pos_app.ui.views.kitchen import KitchenView
from pos_app.ui.views.orders import OrdersView
from tests.benchmarks.seed import seed
from tests.support import LUNCH_ITEMS, login, place_order

SMALL_DAY = 20
"""The orders of the small store's day (and its open tickets), against the seeded store's 1,000 and 200."""
READS = ("from changes", "whole read")
FRAME_MS = 16.0
"""A screen's refresh from changes fits in one frame, whatever the size of the day (issue target)."""
TARGETS = {
    "loop lag max": 50.0,
    "rss with every screen open": 250.0,
    "cold start to first paint": 1500.0,
}
NOW = datetime.now(UTC)


async def one_order_refreshes(store: Path, samples: int = 15) -> dict[str, float]:
    """The kitchen view and the order list on `store`, each refreshed after another till places one order: from the
    changes since its last read (what the screens do), and as a whole read (the reference). Each figure runs from
    the refresh's start to its answer applied and the view's events processed: query, merge, repaint."""
    async with create_app(f"sqlite:///{store}") as pos:
        await login(pos.mediator, "mario")
        manager = (await pos.mediator.execute_async(GetSessionQuery())).data
        kitchen, orders = KitchenView(UiMediator(pos.mediator)), OrdersView(UiMediator(pos.mediator))
        for view in (kitchen, orders):
            view.set_session(manager)
            view.resize(1366, 720)
            view.show()
            await timed_refresh(view)
        screens: dict[str, ScreenView] = {
            f"kitchen refresh, {kitchen.model.rowCount()} tickets": kitchen,
            f"order list refresh, {orders.model.rowCount()} rows": orders,
        }
        times: dict[str, list[float]] = {f"{name}, {how}": [] for name in screens for how in READS}
        for n in range(samples * len(READS)):
            order = place_order(pizza_items=LUNCH_ITEMS, payment_method="card", amount_tendered=None)
            result = await pos.mediator.execute_async(order.model_copy(update={"accept_kitchen_wait": True}))
            assert result.status == 201, result
            how = READS[n % len(READS)]
            for name, screen in screens.items():
                if how == "whole read":
                    screen.read_everything_next()
                times[f"{name}, {how}"].append(await timed_refresh(screen))
        for screen in screens.values():
            screen.close()
            await screen.wait_idle()
            screen.deleteLater()
        QApplication.processEvents()
    return {name: statistics.median(samples_ms) for name, samples_ms in times.items()}


async def timed_refresh(view: Any) -> float:
    started = time.perf_counter()
    view.request_refresh()
    await view.wait_idle()
    QApplication.processEvents()
    return (time.perf_counter() - started) * 1000


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


def cold_starts(store: Path, runs: int = 5) -> dict[str, float]:
    """`pos-app` on `store` to its first painted window: the figure it logs (its own age then), and, to check it,
    the time from launching it to reading that line here."""
    logged, seen = [], []
    for _ in range(runs):
        launched = time.perf_counter()
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
                seen.append((time.perf_counter() - launched) * 1000)
                logged.append(float(match.group(1)))
                break
        process.kill()
        process.wait()
    return {
        "cold start to first paint": statistics.median(logged),
        "cold start, launch to that log line here": statistics.median(seen),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True, help="a seeded store (tests/benchmarks/seed.py)")
    parser.add_argument("--rush-seconds", type=float, default=20)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="pos-bench-ui-") as directory:
        small, copy = Path(directory) / "small.db", Path(directory) / "store.db"
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            runner.run(seed(small, SMALL_DAY))
            figures.update(runner.run(one_order_refreshes(small)))
            shutil.copy(args.store, copy)
            figures.update(runner.run(one_order_refreshes(copy)))
            shutil.copy(args.store, copy)
            figures.update(runner.run(rush_with_every_screen_open(copy, args.rush_seconds)))
        figures.update(cold_starts(copy))
    print(f"{'what (ms, MB for memory)':52} {'measured':>10} {'target':>10}")
    for name, value in figures.items():
        target = FRAME_MS if name.endswith("from changes") else TARGETS.get(name)
        print(f"{name:52} {value:10.1f} {('<= ' + str(target)) if target else '':>10}")
    print(json.dumps({"benchmark": "ui", "figures": figures}))


if __name__ == "__main__":
    main()
