"""`pos-app` / `python -m pos_app`: start the point of sale, or run a headless tool.

pos-app [--database-url URL [--demo | --new-store]] [--view counter|orders|kitchen]
pos-app --self-test                 place → cook → ready → pick up on a scratch store; prints OK
pos-app rebuild-read-models [--database-url URL]
pos-app migrate [--database-url URL]  upgrade the store's schema (SQLite backed up first); prints what it did

A `--database-url` file that does not exist is refused unless `--demo` (make a demo store there) or `--new-store`
(a real store: asks for the manager's name, staff id and PIN, or takes `--manager-name`, `--manager-id` and the
PIN from the environment variable POS_MANAGER_PIN). The default store in the user data folder is made a demo store
on first start. Errors are one line on stderr: exit 2 for a store that cannot be opened or a wrong option, 1 for
a store that fails while working (a full disk), 130 for Ctrl+C.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import math
import os
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

from pos_app import PRODUCT_NAME, __version__
from pos_app.application.errors import StoreUnavailableError
from pos_app.bootstrap import StoreOpenError, create_app
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
from pos_app.tools.store_choice import (  # noqa: F401  (StoreChoice, ask_new_store: names earlier releases had here)
    PIN_VARIABLE,
    StoreChoice,
    UsageError,
    ask_new_store,
    choose_store,
)

VIEWS = ("counter", "orders", "kitchen")
INTERRUPTED = 130
logger = logging.getLogger("pos_app")
_IMPORTED_AT = time.time()


def freeze_long_lived_objects() -> None:
    """Take what start-up (or a login filling the screens) made out of the cycle collector's way: a full
    collection would otherwise walk it all and stall the Qt thread (tests/benchmarks/bench_ui.py measures the stall).
    Frozen objects are still freed by reference counting when they go."""
    gc.collect()
    gc.freeze()


def process_age_seconds() -> float:
    """Seconds since this process started (from /proc where there is one, else since this module loaded). Both
    figures read there count from the machine's boot in hundredths of a second (`btime`, the boot's wall-clock
    time, is rounded to a whole second and would put up to a second of error into the figure)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        since_boot = float(Path("/proc/uptime").read_text().split()[0])
        return since_boot - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time() - _IMPORTED_AT


def parse_args(argv: list[str]) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url", default=argparse.SUPPRESS, help="the store (default: a file in your user data folder)"
    )
    common.add_argument("--log-level", default=argparse.SUPPRESS, help="DEBUG, INFO, WARNING (default) or ERROR")
    common.add_argument(
        "--demo", action="store_true", default=argparse.SUPPRESS, help="where there is no store, make a demo store"
    )
    common.add_argument(
        "--new-store",
        action="store_true",
        default=argparse.SUPPRESS,
        help=f"make a real store (the menu and its manager, no demo staff); PIN asked, or from ${PIN_VARIABLE}",
    )
    common.add_argument("--manager-name", default=argparse.SUPPRESS, help="with --new-store: the manager's name")
    common.add_argument(
        "--manager-id", default=argparse.SUPPRESS, help="with --new-store: the manager's staff id (e.g. anna)"
    )
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
    tools.add_parser(
        "migrate",
        parents=[common],
        help="upgrade the store's schema to this version's (the app also does it on start); SQLite is backed up first",
    )
    simulate = tools.add_parser("simulate", parents=[common], help="drive a realistic rush through the mediator")
    simulate.add_argument("--orders", type=int, default=60, help="how many orders (default 60)")
    simulate.add_argument("--rate", type=float, default=5.0, help="orders per real second (default 5)")
    simulate.add_argument("--seed", type=int, default=7, help="random seed, for a repeatable rush")
    simulate.add_argument(
        "--allow-future",
        action="store_true",
        help="let simulated time run past the real clock when the rate cannot be kept (default: it stops at now)",
    )
    simulate.add_argument(
        "--yes", action="store_true", help="add the rush to a store that has real orders without asking"
    )
    args = parser.parse_args(argv)
    args.database_url = getattr(args, "database_url", None)
    args.log_level = getattr(args, "log_level", "WARNING")
    args.demo = getattr(args, "demo", False)
    args.new_store = getattr(args, "new_store", False)
    args.manager_name = getattr(args, "manager_name", None)
    args.manager_id = getattr(args, "manager_id", None)
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


async def rebuild(store: StoreChoice) -> int:
    async with create_app(store.url, new_store=store.new_store, create=store.create) as app:
        try:
            replayed = await app.rebuild_read_models()
        except StoreUnavailableError as error:  # the rebuild is one transaction: it rolled back whole
            print(f"pos-app rebuild-read-models: {error}; the store is as it was", file=sys.stderr)
            return 1
    print(f"Rebuilt the read models from {replayed} events")
    return 0


def run_ui(store: StoreChoice, view: str | None) -> int:
    """The windowed app on a qasync loop (Qt is imported only here, so the headless tools run without it)."""
    import qasync
    from PySide6.QtWidgets import QApplication

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    qt_app.setOrganizationName("Marios Pizzeria")
    qt_app.setApplicationName(PRODUCT_NAME)
    qt_app.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        return runner.run(run_windows(store, view))


async def run_windows(store: StoreChoice, view: str | None) -> int:
    from PySide6.QtCore import QTimer

    from pos_app.messages.dtos import KitchenDisplayDto
    from pos_app.ui.bridge import UiBridge
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.ui_mediator import UiMediator

    async with create_app(store.url, new_store=store.new_store, create=store.create) as pos:
        bridge = UiBridge()
        unsubscribe = pos.changes.subscribe(bridge.notify)
        bridge.set_store_reachable(pos.database.reachable)
        pos.database.on_reachable = bridge.set_store_reachable
        settings = pos.settings
        display = KitchenDisplayDto(
            alert=settings.kitchen_alert,
            notice_sound=settings.kitchen_notice_sound,
            near_minutes=settings.kitchen_age.near_minutes,
            late_minutes=settings.kitchen_age.late_minutes,
        )
        window = MainWindow(
            UiMediator(pos.mediator), bridge, settings.store_name, pos.database.location, view, kitchen_display=display
        )
        closed = asyncio.Event()
        window.closed.connect(closed.set)
        window.show()
        window.show_login()
        QTimer.singleShot(0, lambda: logger.info("Window painted %.0f ms after start", process_age_seconds() * 1000))
        QTimer.singleShot(0, freeze_long_lived_objects)
        window.login.logged_in.connect(lambda _: QTimer.singleShot(3000, freeze_long_lived_objects))
        try:
            await closed.wait()
            await window.wait_idle()
        finally:
            pos.database.on_reachable = None
            unsubscribe()
    return 0


def confirm_real_orders(found: int, assume_yes: bool) -> bool:
    """Whether to add simulated orders to a store that has `found` real ones: `--yes`, or the user says so."""
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(
            f"the store has {found} real order{'s' if found != 1 else ''}: "
            "give --yes to add simulated orders to it (nothing written)"
        )
    sys.stderr.write(f"The store has {found} real order{'s' if found != 1 else ''}. Add simulated orders to it? [y/N] ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


async def run_simulation(
    database_url: str, orders: int, rate: float, seed: int, allow_future: bool = False, assume_yes: bool = False
) -> int:
    from pos_app.tools.simulate import MAX_RATE, simulate

    if orders < 1 or not math.isfinite(rate) or not 0 < rate <= MAX_RATE:
        print(
            f"pos-app simulate: --orders must be at least 1 and --rate a number above 0 and at most {MAX_RATE:g}",
            file=sys.stderr,
        )
        return 2
    try:
        tally = await simulate(
            database_url,
            orders,
            rate,
            seed=seed,
            progress=lambda text: print(text, flush=True),
            allow_future=allow_future,
            confirm=lambda found: confirm_real_orders(found, assume_yes),
        )
    except UsageError as error:
        print(f"pos-app simulate: {error}", file=sys.stderr)
        return 2
    except RuntimeError as error:  # the demo staff could not log in: not a demo store
        print(f"pos-app simulate: {error} (the simulation needs a demo store)", file=sys.stderr)
        return 1
    if tally is None:
        print("pos-app simulate: not confirmed, nothing written", file=sys.stderr)
        return 1
    latencies = sorted(tally.placed_latency_ms)
    median = latencies[len(latencies) // 2] if latencies else 0.0
    print(
        f"Placed {tally.placed} orders ({tally.refused} refused), {tally.cooked} items cooked, "
        f"{tally.handed_over} picked up, {tally.delivered} delivered; place order median {median:.1f} ms"
    )
    if not tally.rate_kept:
        achieved = len(tally.placed_latency_ms) / tally.seconds if tally.seconds else 0.0
        print(
            f"Could not keep --rate {rate:g}: {len(tally.placed_latency_ms)} orders took {tally.seconds:.1f} s "
            f"({achieved:.1f} a second); "
            + ("simulated time ran past the real clock" if allow_future else "simulated time stopped at the real clock")
        )
    return 0


def run_migrate(database_url: str | None) -> int:
    from pos_app.tools.migrate_store import migrate_store

    try:
        lines = migrate_store(database_url)
    except UsageError as error:
        print(f"pos-app migrate: {error}", file=sys.stderr)
        return 2
    except StoreOpenError as error:
        print(f"pos-app migrate: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        print("pos-app: interrupted", file=sys.stderr)
        return INTERRUPTED


def _main(argv: list[str]) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.self_test:
        return asyncio.run(self_test())
    if args.tool == "migrate":
        return run_migrate(args.database_url)
    try:
        store = choose_store(args)
        if args.tool == "simulate" and store.new_store is not None:
            raise UsageError("simulate works the demo staff: give it a demo store, not --new-store")
    except UsageError as error:
        print(f"pos-app: {error}", file=sys.stderr)
        return 2
    try:
        if args.tool == "rebuild-read-models":
            return asyncio.run(rebuild(store))
        if args.tool == "simulate":
            return asyncio.run(
                run_simulation(store.url, args.orders, args.rate, args.seed, args.allow_future, args.yes)
            )
        return run_ui(store, args.view)
    except StoreOpenError as error:
        print(f"pos-app: {error}", file=sys.stderr)
        return 2
    except StoreUnavailableError as error:
        print(f"pos-app: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
