"""`pos-app` / `python -m pos_app`: start the point of sale, or run a headless tool.

pos-app [--database-url URL] [--view counter|orders|kitchen]
pos-app --self-test                 place → cook → ready → pick up on a scratch store; prints OK
pos-app rebuild-read-models [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

from pos_app import PRODUCT_NAME, __version__
from pos_app.bootstrap import StoreOpenError, create_app
from pos_app.config import default_database_url
from pos_app.mediation import Mediator, OperationResult
from pos_app.messages.commands import (
    LoginCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    PlaceOrderCommand,
    StartCookingCommand,
)
from pos_app.messages.queries import GetOrderByIdQuery

VIEWS = ("counter", "orders", "kitchen")
logger = logging.getLogger("pos_app")
_IMPORTED_AT = time.time()


def freeze_long_lived_objects() -> None:
    """Take what start-up (or a login filling the screens) made out of the cycle collector's way: a full
    collection would otherwise walk it all and stall the Qt thread for 60–80 ms (tests/benchmarks/bench_ui.py).
    Frozen objects are still freed by reference counting when they go."""
    gc.collect()
    gc.freeze()


def process_age_seconds() -> float:
    """Seconds since this process started (from /proc where there is one, else since this module loaded)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(
            int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime")
        )
        return time.time() - (boot + ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, StopIteration):
        return time.time() - _IMPORTED_AT


def parse_args(argv: list[str]) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url", default=argparse.SUPPRESS, help="the store (default: a file in your user data folder)"
    )
    common.add_argument("--log-level", default=argparse.SUPPRESS, help="DEBUG, INFO, WARNING (default) or ERROR")
    parser = argparse.ArgumentParser(prog="pos-app", description=PRODUCT_NAME, parents=[common])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--view", choices=VIEWS, default=None, help="open one screen alone (e.g. a kitchen display)")
    parser.add_argument("--self-test", action="store_true", help="run one order through the real mediator headless")
    tools = parser.add_subparsers(dest="tool", metavar="TOOL")
    tools.add_parser(
        "rebuild-read-models",
        parents=[common],
        help="rebuild the order list, kitchen queue and reports from the events",
    )
    simulate = tools.add_parser("simulate", parents=[common], help="drive a realistic rush through the mediator")
    simulate.add_argument("--orders", type=int, default=60, help="how many orders (default 60)")
    simulate.add_argument("--rate", type=float, default=5.0, help="orders per real second (default 5)")
    simulate.add_argument("--seed", type=int, default=7, help="random seed, for a repeatable rush")
    args = parser.parse_args(argv)
    args.database_url = getattr(args, "database_url", None)
    args.log_level = getattr(args, "log_level", "WARNING")
    return args


async def _expect(mediator: Mediator, request: object, status: int = 200) -> OperationResult[object]:
    result: OperationResult[object] = await mediator.execute_async(request)  # type: ignore[arg-type]
    if result.status != status:
        raise RuntimeError(f"{type(request).__name__} answered {result.status}: {result.error_message}")
    return result


async def self_test() -> int:
    """Place an order at the counter, cook it, hand it over; every step through the real mediator."""
    with tempfile.TemporaryDirectory(prefix="pos-self-test-") as directory:
        async with create_app(f"sqlite:///{Path(directory) / 'store.db'}") as app:
            mediator = app.mediator
            await _expect(mediator, LoginCommand(staff_id="luigi", pin="2000"))
            order = PlaceOrderCommand(
                order_id=uuid.uuid4(),
                customer_name="Self Test",
                customer_phone="555 010 0000",
                pizza_items=[PizzaItem(pizza_id="margherita", size="large", toppings=["basil"])],
                payment_method="cash",
                amount_tendered=Decimal("20.00"),
            )
            placed = await _expect(mediator, order, 201)
            await _expect(mediator, LoginCommand(staff_id="rosa", pin="3000"))
            await _expect(mediator, StartCookingCommand(order_id=order.order_id))
            await _expect(mediator, MarkPizzaReadyCommand(order_id=order.order_id, pizza_index=0))
            await _expect(mediator, LoginCommand(staff_id="luigi", pin="2000"))
            await _expect(mediator, MarkOrderPickedUpCommand(order_id=order.order_id))
            final = await _expect(mediator, GetOrderByIdQuery(order_id=order.order_id))
            status = getattr(final.data, "status", None)
            if status != "picked_up":
                raise RuntimeError(f"the order ended {status}, not picked up")
    print(f"OK: order #{getattr(placed.data, 'order_number', '?')} placed, cooked and picked up")
    return 0


async def rebuild(database_url: str) -> int:
    async with create_app(database_url) as app:
        replayed = await app.rebuild_read_models()
    print(f"Rebuilt the read models from {replayed} events")
    return 0


def run_ui(database_url: str, view: str | None) -> int:
    """The windowed app on a qasync loop (Qt is imported only here, so the headless tools run without it)."""
    import qasync
    from PySide6.QtWidgets import QApplication

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    qt_app.setOrganizationName("Marios Pizzeria")
    qt_app.setApplicationName(PRODUCT_NAME)
    qt_app.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        return runner.run(run_windows(database_url, view))


async def run_windows(database_url: str, view: str | None) -> int:
    from PySide6.QtCore import QTimer

    from pos_app.ui.bridge import UiBridge
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.requests import UiMediator

    async with create_app(database_url) as pos:
        bridge = UiBridge()
        unsubscribe = pos.changes.subscribe(bridge.notify)
        window = MainWindow(UiMediator(pos.mediator), bridge, pos.settings.store_name, str(pos.database_path), view)
        closed = asyncio.Event()
        window.closed.connect(closed.set)
        window.show()
        window.show_login()
        QTimer.singleShot(0, lambda: logger.info("Window painted %.0f ms after start", process_age_seconds() * 1000))
        QTimer.singleShot(0, freeze_long_lived_objects)
        window.login.logged_in.connect(lambda _: QTimer.singleShot(3000, freeze_long_lived_objects))
        await closed.wait()
        await window.wait_idle()
        unsubscribe()
    return 0


async def run_simulation(database_url: str, orders: int, rate: float, seed: int) -> int:
    from pos_app.tools.simulate import simulate

    if orders < 1 or rate <= 0:
        print("pos-app simulate: --orders must be at least 1 and --rate above 0", file=sys.stderr)
        return 2
    tally = await simulate(database_url, orders, rate, seed=seed, progress=lambda text: print(text, flush=True))
    latencies = sorted(tally.placed_latency_ms)
    median = latencies[len(latencies) // 2] if latencies else 0.0
    print(
        f"Placed {tally.placed} orders ({tally.refused} refused), {tally.cooked} items cooked, "
        f"{tally.handed_over} picked up, {tally.delivered} delivered; place order median {median:.1f} ms"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    database_url = args.database_url or default_database_url()
    try:
        if args.self_test:
            return asyncio.run(self_test())
        if args.tool == "rebuild-read-models":
            return asyncio.run(rebuild(database_url))
        if args.tool == "simulate":
            return asyncio.run(run_simulation(database_url, args.orders, args.rate, args.seed))
        return run_ui(database_url, args.view)
    except StoreOpenError as error:
        print(f"pos-app: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
