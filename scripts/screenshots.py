"""Screenshots of the three screens with a realistic lunch rush, for the README and docs/.

    xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Simulates a rush on a scratch store through the mediator, adds a few orders that show what the kitchen must not miss
(a nut allergy, an order changed while cooking, a dine-in table, a line of two), then opens the real main window at
1024×768 and 1920×1080, logs in as counter, kitchen and manager staff by clicking the login screen, and saves each
screen.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos_app.bootstrap import create_app
from pos_app.mediation import Mediator
from pos_app.messages.commands import (
    EditOrderCommand,
    LoginCommand,
    LogoutCommand,
    PizzaItem,
    PlaceOrderCommand,
    StartCookingCommand,
)
from pos_app.tools.simulate import simulate
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ui_mediator import UiMediator

SIZES = {"1024x768": (1024, 768), "1920x1080": (1920, 1080)}
PINS = {"luigi": "2000", "rosa": "3000", "mario": "1000", "toni": "4000"}


async def settle(window: MainWindow, seconds: float = 0.4) -> None:
    await window.wait_idle()
    await asyncio.sleep(seconds)
    QApplication.processEvents()
    await window.wait_idle()


async def log_in(window: MainWindow, staff_id: str) -> None:
    login = window.login
    await login.wait_idle()
    row = login.model.row_of(staff_id)
    rect = login.staff_list.visualRect(login.model.index(row))
    QTest.mouseClick(login.staff_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    for digit in PINS[staff_id]:
        QTest.mouseClick(login.keys[digit], Qt.MouseButton.LeftButton)
    QTest.mouseClick(login.login_button, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    for _ in range(100):
        if window.session is not None:
            break
        await asyncio.sleep(0.05)
    await settle(window)


async def main(out: Path, orders: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'store.db'}"
        await simulate(url, orders=orders, rate=20)
        async with create_app(url) as pos:
            await stage_the_kitchen(pos.mediator)
            bridge = UiBridge()
            pos.changes.subscribe(bridge.notify)
            for size_name, (width, height) in SIZES.items():
                window = MainWindow(UiMediator(pos.mediator), bridge, pos.settings.store_name, "store.db")
                window.resize(width, height)
                window.show()
                window.show_login()
                await settle(window)
                window.grab().save(str(out / f"login-{size_name}.png"))
                for staff_id, shots in (("luigi", ("counter",)), ("rosa", ("kitchen",)), ("mario", ("orders",))):
                    await log_in(window, staff_id)
                    for screen in shots:
                        window.tabs.setCurrentWidget(window.screens[screen])
                        if screen == "kitchen":  # the staged tickets are the newest: show them, the changed one open
                            window.kitchen.select_row(window.kitchen.model.rowCount() - 1)
                        if screen == "orders":
                            window.orders.table.selectRow(2)
                        if screen == "counter":
                            await fill_counter(window)
                        await settle(window, 0.8)
                        window.grab().save(str(out / f"{screen}-{size_name}.png"))
                    await window.lock()
                    await settle(window)
                window.close()
                await settle(window)
    print(f"saved screenshots to {out}")


async def stage_the_kitchen(mediator: Mediator) -> None:
    """A delivery with a nut allergy, and a dine-in table of two pizzas changed after the kitchen started it."""

    async def send(request: Any) -> Any:
        result = await mediator.execute_async(request)
        assert result.is_success, result.error_message
        return result.data

    await send(LoginCommand(staff_id="luigi", pin=PINS["luigi"]))
    await send(
        PlaceOrderCommand(
            order_id=uuid.uuid4(),
            customer_name="Giulia Ferri",
            customer_phone="555 010 4455",
            customer_address="Via Verdi 3",
            order_type="delivery",
            payment_method="card",
            accept_kitchen_wait=True,
            pizza_items=[
                PizzaItem(pizza_id="margherita", size="large", allergies=["nuts"], special_instructions="nut allergy"),
                PizzaItem(pizza_id="cola", quantity=2),
            ],
        )
    )
    table = PlaceOrderCommand(
        order_id=uuid.uuid4(),
        customer_name="Marco Bassi",
        customer_phone="555 010 6677",
        order_type="dine_in",
        table_number=7,
        covers=3,
        payment_method="card",
        accept_kitchen_wait=True,
        pizza_items=[PizzaItem(pizza_id="diavola", quantity=2), PizzaItem(pizza_id="quattro_formaggi")],
    )
    await send(table)
    await send(LogoutCommand())
    await send(LoginCommand(staff_id="rosa", pin=PINS["rosa"]))
    await send(StartCookingCommand(order_id=table.order_id))
    await send(LogoutCommand())
    await send(LoginCommand(staff_id="luigi", pin=PINS["luigi"]))
    edited = [*table.pizza_items[:1], PizzaItem(pizza_id="quattro_formaggi", special_instructions="no blue cheese")]
    await send(
        EditOrderCommand(
            order_id=table.order_id,
            pizza_items=edited,
            order_type="dine_in",
            customer_name=table.customer_name,
            customer_phone=table.customer_phone,
            table_number=7,
            covers=3,
        )
    )
    await send(LogoutCommand())


async def fill_counter(window: MainWindow) -> None:
    counter = window.counter
    await counter.wait_idle()
    counter.choose("margherita")
    QTest.mouseClick(counter.size_buttons["large"], Qt.MouseButton.LeftButton)
    counter.notes.setText("well done")
    QTest.mouseClick(counter.add_button, Qt.MouseButton.LeftButton)
    counter.choose("diavola")
    QTest.mouseClick(counter.add_button, Qt.MouseButton.LeftButton)
    counter.show_category("drink")
    counter.choose("cola")
    QTest.mouseClick(counter.add_button, Qt.MouseButton.LeftButton)
    counter.show_category("pizza")
    counter.choose("pepperoni")
    QTest.keyClicks(counter.phone, "555 010 2030")
    QTest.keyClicks(counter.name, "Anna Conti")
    QTest.keyClicks(counter.tendered, "50")
    await counter.wait_idle()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--orders", type=int, default=45)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        runner.run(main(args.out, args.orders))
