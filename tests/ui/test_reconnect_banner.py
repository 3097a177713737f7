"""A lost store server: every screen says "Reconnecting to the store server…" (the status bar and a banner) and keeps
what it holds; once the server is back the banner goes and the screens read again."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import PlaceOrderCommand
from pos_app.messages.queries import GetMenuQuery
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ui_mediator import UiMediator
from tests.conftest import drain_tasks, wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.test_counter_view import build_two_pizza_order
from tests.ui.test_main_window import fake, log_in

RECONNECTING = "Reconnecting to the store server…"


@pytest.fixture
async def parts(qtbot: QtBot) -> Any:
    mediator = fake()
    bridge = UiBridge()
    main = MainWindow(UiMediator(mediator), bridge, "Mario's Pizzeria", "store on 10.0.0.2")
    qtbot.addWidget(main)
    main.resize(1024, 768)
    main.show()
    main.show_login()
    await main.wait_idle()
    yield main, bridge, mediator
    await main.wait_idle()
    await drain_tasks()


async def test_a_lost_store_server_shows_the_banner_and_status_and_keeps_the_cart_and_typed_text(
    qtbot: QtBot, parts: tuple[MainWindow, UiBridge, FakeMediator]
) -> None:
    window, bridge, mediator = parts
    await log_in(qtbot, window, "luigi")
    counter = window.counter
    await build_two_pizza_order(qtbot, counter)
    qtbot.keyClicks(counter.name, "Anna Conti")
    assert not window.reconnect_banner.isVisible()

    bridge.set_store_reachable(False)
    await wait_until(lambda: window.reconnect_banner.isVisible())

    assert window.db_status.text() == RECONNECTING
    assert window.reconnect_banner.text().startswith(RECONNECTING)
    assert window.reconnect_banner.accessibleName()
    assert counter.cart.rowCount() == 2
    assert counter.name.text() == "Anna Conti"

    # a refusal while it is lost does not replace "Reconnecting…"; the cart stays for sending again
    mediator.responses[PlaceOrderCommand] = OperationResult.service_unavailable(
        "The store server cannot be reached; nothing was saved — try again when it is back"
    )
    qtbot.keyClicks(counter.phone, "555 010 2030")
    qtbot.mouseClick(counter.card_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: len(mediator.sent_of(PlaceOrderCommand)) == 1)
    await window.wait_idle()
    assert window.db_status.text() == RECONNECTING
    assert counter.cart.rowCount() == 2
    mediator.responses.pop(PlaceOrderCommand)
    menu_reads = len(mediator.sent_of(GetMenuQuery))

    bridge.set_store_reachable(True)
    await wait_until(lambda: not window.reconnect_banner.isVisible())
    await wait_until(lambda: len(mediator.sent_of(GetMenuQuery)) > menu_reads)  # the screens read again
    await window.wait_idle()

    assert window.db_status.text() == "Store: OK"
    assert counter.cart.rowCount() == 2
    assert counter.name.text() == "Anna Conti"


async def test_the_banner_fits_the_window_at_1024_by_768(
    qtbot: QtBot, parts: tuple[MainWindow, UiBridge, FakeMediator]
) -> None:
    window, bridge, _ = parts
    await log_in(qtbot, window, "luigi")
    bridge.set_store_reachable(False)
    await wait_until(lambda: window.reconnect_banner.isVisible())

    needed = window.minimumSizeHint()
    assert needed.width() <= 1024
    assert needed.height() <= 768
    assert window.reconnect_banner.geometry().right() <= window.centralWidget().width()
