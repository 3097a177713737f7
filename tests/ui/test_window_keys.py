"""The main window from the keyboard: login keys, the help overlay (F1), Enter on a focused button, and a lock that
leaves nothing of the last user's order on the counter."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import LoginCommand, LogoutCommand
from pos_app.messages.dtos import OrderPageDto
from pos_app.messages.queries import (
    GetKitchenQueueQuery,
    GetMenuQuery,
    GetOrderByIdQuery,
    GetOrdersQuery,
    GetStaffQuery,
    PriceOrderQuery,
)
from pos_app.ui.bridge import UiBridge
from pos_app.ui.keymap import COMMON, KEY_MAP, native
from pos_app.ui.main_window import MainWindow
from pos_app.ui.theme import FOCUS
from pos_app.ui.ui_mediator import UiMediator
from pos_app.ui.widgets.help_overlay import HelpOverlay
from tests.conftest import drain_tasks, wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import MENU, STAFF, order_detail, session, summary, ticket
from tests.ui.test_counter_view import fake_quote


class Terminal:
    """A fake core that knows whether someone is logged in, as the real one does."""

    def __init__(self) -> None:
        self.logged_in = False
        self.mediator = FakeMediator(
            {
                GetStaffQuery: OperationResult.ok(STAFF),
                LoginCommand: self._log_in,
                LogoutCommand: self._log_out,
                GetMenuQuery: self._menu,
                PriceOrderQuery: fake_quote,
                GetKitchenQueueQuery: OperationResult.ok([ticket(1)]),
                GetOrdersQuery: self._orders,
                GetOrderByIdQuery: OperationResult.ok(order_detail(1, paid=False)),
            },
            role="manager",
        )

    def _log_in(self, command: LoginCommand) -> OperationResult[Any]:
        if command.pin != "2000":
            return OperationResult.forbidden("Wrong PIN")
        self.logged_in = True
        member = next(s for s in STAFF if s.id == command.staff_id)
        return OperationResult.ok(session(member.id, member.role, member.name))

    def _log_out(self, _command: LogoutCommand) -> OperationResult[Any]:
        self.logged_in = False
        return OperationResult.ok(None)

    def _orders(self, _query: GetOrdersQuery) -> OperationResult[Any]:
        if not self.logged_in:
            return OperationResult.forbidden("Log in first")
        return OperationResult.ok(OrderPageDto(items=[summary(1)], total=1, page=1, page_size=1000))

    def _menu(self, _query: GetMenuQuery) -> OperationResult[Any]:
        return OperationResult.ok(MENU) if self.logged_in else OperationResult.forbidden("Log in first")


@pytest.fixture
def terminal() -> Terminal:
    return Terminal()


@pytest.fixture
async def window(qtbot: QtBot, terminal: Terminal) -> Any:
    main = MainWindow(UiMediator(terminal.mediator), UiBridge(), "Mario's Pizzeria", "/tmp/store.db")
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    main.activateWindow()
    main.show_login()
    await main.wait_idle()
    await wait_until(main.isActiveWindow)
    await wait_until(lambda: main.login.model.rowCount() > 0)
    yield main
    await main.wait_idle()
    await drain_tasks()


def key(qtbot: QtBot, name: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, name, modifier)


async def log_in_with_keys(qtbot: QtBot, window: MainWindow, staff_id: str, pin: str = "2000") -> None:
    login = window.login
    key(qtbot, Qt.Key.Key_Home)
    for _ in range(login.model.rowCount() + 1):
        if login.selected_staff is not None and login.selected_staff.id == staff_id:
            break
        key(qtbot, Qt.Key.Key_Right)
    qtbot.keyClicks(QApplication.focusWidget(), pin)
    key(qtbot, Qt.Key.Key_Return)
    await window.wait_idle()  # the login's answer, and the screens' first refresh


def to_the_counter(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.counter)  # in front whichever screen was remembered
    window.counter.setFocus()


async def test_on_the_staff_list_the_arrows_move_and_digits_and_backspace_go_to_the_pin(
    qtbot: QtBot, window: MainWindow
) -> None:
    login = window.login
    assert QApplication.focusWidget() is login.staff_list

    key(qtbot, Qt.Key.Key_Right)  # the first arrow chooses the name the focus is on
    first = login.selected_staff
    key(qtbot, Qt.Key.Key_End)
    last = login.selected_staff
    qtbot.keyClicks(login.staff_list, "209")
    key(qtbot, Qt.Key.Key_Backspace)
    qtbot.keyClicks(login.staff_list, "0")

    assert first is not None
    assert first.id == STAFF[0].id
    assert last is not None
    assert last.id == STAFF[-1].id
    assert QApplication.focusWidget() is login.staff_list
    assert login.pin.text() == "200"


async def test_enter_on_the_staff_list_logs_in_and_a_refusal_is_gone_once_logged_in(
    qtbot: QtBot, window: MainWindow
) -> None:
    await log_in_with_keys(qtbot, window, "luigi", pin="1111")
    refused = window.login.error.text()

    await log_in_with_keys(qtbot, window, "luigi")

    assert refused == "Wrong PIN"
    assert window.session is not None
    assert window.session.staff_id == "luigi"
    assert window.login.error.isHidden()


async def test_no_stale_log_in_first_after_logging_in(qtbot: QtBot, window: MainWindow) -> None:
    window.counter.request_refresh()  # e.g. a change noticed just as the terminal was locked
    await window.wait_idle()
    stale = window.counter.form_error.text()

    await log_in_with_keys(qtbot, window, "luigi")

    to_the_counter(window)

    assert stale == "Log in first"
    assert window.counter.form_error.isHidden()
    assert QApplication.focusWidget() is window.counter.menu_search  # the counter starts at the menu search


async def test_lock_leaves_nothing_of_the_last_users_order_on_the_counter(qtbot: QtBot, window: MainWindow) -> None:
    await log_in_with_keys(qtbot, window, "luigi")
    to_the_counter(window)
    counter = window.counter
    qtbot.keyClicks(counter.menu_search, "pep")
    key(qtbot, Qt.Key.Key_Return)  # Pepperoni into the cart
    qtbot.keyClicks(counter.menu_search, "mar")
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)  # Margherita in the item panel
    qtbot.keyClicks(counter.phone, "555 010 2030")
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "co")
    await counter.wait_idle()
    before = (counter.cart.rowCount(), counter.item_panel.current_item is not None, counter.menu_search.text())

    key(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    await wait_until(lambda: window.pages.currentIndex() == 0)
    await log_in_with_keys(qtbot, window, "mario")
    to_the_counter(window)

    assert before == (1, True, "co")
    assert counter.cart.rowCount() == 0
    assert counter.item_panel.current_item is None
    assert counter.menu_search.text() == ""
    assert counter.phone.text() == ""
    assert not counter.menu_grid.selectionModel().hasSelection()
    assert counter.menu_filter.rowCount() == 3  # the first category again, not the last search


@pytest.mark.parametrize("staff_id", [None, "luigi", "rosa"])
async def test_f1_lists_the_keys_of_the_screen_in_front_and_escape_closes_it(
    qtbot: QtBot, window: MainWindow, staff_id: str | None
) -> None:
    if staff_id is not None:
        await log_in_with_keys(qtbot, window, staff_id)
    screen = window.current_screen()

    key(qtbot, Qt.Key.Key_F1)
    await wait_until(lambda: window.help_overlay is not None and window.help_overlay.isVisible())
    overlay = window.help_overlay
    assert isinstance(overlay, HelpOverlay)
    rows = [overlay.model.item(row, 1).text() for row in range(overlay.model.rowCount())]
    first_keys = overlay.model.item(0, 0).text()
    await wait_until(overlay.isActiveWindow)
    focus_in_overlay = QApplication.focusWidget()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    await wait_until(lambda: window.help_overlay is None)

    assert focus_in_overlay is overlay.table
    assert screen == {None: "login", "luigi": "counter", "rosa": "kitchen"}[staff_id]
    assert rows == [b.description for b in (*KEY_MAP[screen], *COMMON)]
    assert first_keys == " or ".join(native(k) for k in KEY_MAP[screen][0].keys)


async def test_enter_on_a_focused_button_presses_it_on_every_screen(qtbot: QtBot, window: MainWindow) -> None:
    await log_in_with_keys(qtbot, window, "mario")
    window.tabs.setCurrentWidget(window.orders)
    await window.wait_idle()
    orders = window.orders
    orders.table.selectRow(0)
    await wait_until(lambda: orders.payment_button.isVisible() and orders.payment_button.isEnabled())

    orders.payment_button.setFocus()
    key(qtbot, Qt.Key.Key_Return)
    await window.wait_idle()
    window.help_button.setFocus()
    key(qtbot, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    await wait_until(lambda: window.help_overlay is not None and window.help_overlay.isActiveWindow())
    assert window.help_overlay is not None
    window.help_overlay.close_button.setFocus()
    key(qtbot, Qt.Key.Key_Return)

    assert orders.payment_panel.isVisible()  # "Take payment…" opened the payment panel
    await wait_until(lambda: window.help_overlay is None)  # "Close" in the overlay closed it


async def test_every_style_sheet_that_draws_borders_keeps_the_focus_ring(qtbot: QtBot, window: MainWindow) -> None:
    await log_in_with_keys(qtbot, window, "mario")

    sheets = {w.styleSheet() for w in [window, *window.findChildren(QWidget)] if "border" in w.styleSheet()}

    # a widget's own sheet wins over its window's: one that sets borders must restate the ring
    assert FOCUS in window.styleSheet()
    assert [sheet[:60] for sheet in sheets if ":focus" not in sheet or FOCUS not in sheet] == []


async def test_no_stale_log_in_first_on_the_orders_screen_either(qtbot: QtBot, window: MainWindow) -> None:
    window.orders.request_refresh()  # e.g. a change noticed just as the terminal was locked
    await window.wait_idle()
    stale = window.orders.error.text()

    await log_in_with_keys(qtbot, window, "luigi")

    assert stale == "Log in first"
    assert window.orders.error.isHidden()


async def test_no_table_of_any_screen_traps_tab_cell_by_cell(qtbot: QtBot, window: MainWindow) -> None:
    await log_in_with_keys(qtbot, window, "mario")

    trapping = [view for view in window.findChildren(QAbstractItemView) if view.tabKeyNavigation()]

    assert [f"{type(view).__name__} {view.accessibleName()!r}" for view in trapping] == []
