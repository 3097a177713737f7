"""Every control of every screen has a name of its own for a screen reader, found generically: the test walks every
widget of the real main window logged in as each role, and of each dialog, so controls added later are covered too.

The name checked is the one the accessibility layer reports (`QAccessibleInterface.text(Name)`), which is what a
screen reader reads on Linux, Windows and macOS: the accessible name, or the button's text, or the buddy label's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import LoginCommand
from pos_app.messages.dtos import OrderPageDto
from pos_app.messages.queries import (
    GetKitchenQueueQuery,
    GetLeftOpenOrdersQuery,
    GetMenuQuery,
    GetOrderByIdQuery,
    GetOrdersQuery,
    GetStaffQuery,
)
from pos_app.ui.bridge import UiBridge
from pos_app.ui.keymap import KEY_MAP
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ui_mediator import UiMediator
from pos_app.ui.views.approval import ApprovalDialog
from pos_app.ui.views.change_pin import ChangePinDialog
from pos_app.ui.views.orders.discount_dialog import DiscountDialog
from pos_app.ui.widgets.help_overlay import HelpOverlay
from tests.conftest import drain_tasks, wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import MENU, STAFF, order_detail, session, summary, ticket

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractSlider,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QTabBar,
)
COMPOUND = (QComboBox, QAbstractSpinBox, QLineEdit, QTabBar, QAbstractItemView)
"""Controls whose inner widgets (a combo's line edit, a line edit's clear button, a tab bar's scroll arrows, a view's
viewport) are read as part of them."""


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def controls(root: QWidget) -> Iterator[QWidget]:
    """The interactive widgets under `root` (and `root` itself), without the inner parts of compound controls."""
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QHeaderView):
            continue
        parent = widget.parentWidget()
        inner = False
        while parent is not None and parent is not root.parentWidget():
            if isinstance(parent, COMPOUND):
                inner = True
                break
            parent = parent.parentWidget()
        if not inner:
            yield widget


def group_titles(widget: QWidget) -> set[str]:
    titles = set()
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QGroupBox) and parent.title():
            titles.add(parent.title().replace("&", "").strip())
        parent = parent.parentWidget()
    return titles


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLineEdit) else ""
    return f"{type(widget).__name__} {widget.objectName()!r} {text!r} in {type(widget.parentWidget()).__name__}"


def unnamed_items(view: QAbstractItemView) -> list[str]:
    """Rows of an item view with nothing to read: no display text and no accessible text in any column."""
    model: QAbstractItemModel | None = view.model()
    if model is None:
        return []
    missing = []
    for row in range(model.rowCount(QModelIndex())):
        cells = []
        while (index := model.index(row, len(cells))).isValid():
            cells.append(index)
        texts = [
            cell.data(role)
            for cell in cells
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
        ]
        if not any(isinstance(text, str) and text.strip() for text in texts):
            missing.append(f"row {row} of {describe(view)}")
    return missing


def problems(root: QWidget) -> list[str]:
    found = []
    for widget in controls(root):
        if isinstance(widget, QTabBar):
            # a tab bar reads as its current tab; with no tab (nobody logged in) there is nothing to reach
            found.extend(
                f"tab {t} has no title: {describe(widget)}" for t in range(widget.count()) if not widget.tabText(t)
            )
            continue
        name = accessible_name(widget)
        if not any(character.isalnum() for character in name):
            found.append(f"no name (reads {name!r}): {describe(widget)}")
        elif name in group_titles(widget):
            found.append(f"only its group's title {name!r}: {describe(widget)}")
        if isinstance(widget, QAbstractItemView):
            found.extend(unnamed_items(widget))
    return found


def fake() -> FakeMediator:
    orders = OrderPageDto(items=[summary(1), summary(2, status="ready")], total=2, page=1, page_size=1000)
    left_open = OrderPageDto(items=[summary(3)], total=1, page=1, page_size=200)
    return FakeMediator(
        {
            GetStaffQuery: OperationResult.ok(STAFF),
            LoginCommand: lambda command: OperationResult.ok(
                next(session(s.id, s.role, s.name) for s in STAFF if s.id == command.staff_id)
            ),
            GetMenuQuery: OperationResult.ok(MENU),
            GetKitchenQueueQuery: OperationResult.ok([ticket(1), ticket(2)]),
            GetOrdersQuery: OperationResult.ok(orders),
            GetOrderByIdQuery: OperationResult.ok(order_detail(1)),
            GetLeftOpenOrdersQuery: OperationResult.ok(left_open),
        }
    )


@pytest.fixture
def mediator() -> FakeMediator:
    return fake()


@pytest.fixture
async def window(qtbot: QtBot, mediator: FakeMediator) -> Any:
    main = MainWindow(UiMediator(mediator), UiBridge(), "Mario's Pizzeria", "/tmp/store.db")
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    main.show_login()
    await main.wait_idle()
    yield main
    await main.wait_idle()
    await drain_tasks()


async def log_in(window: MainWindow, staff_id: str) -> None:
    window.login.select_staff(staff_id)
    window.login.pin.setText("1234")
    window.login.login_button.click()
    await wait_until(lambda: window.session is not None)
    await window.wait_idle()


@pytest.mark.asyncio
async def test_every_control_of_the_login_screen_has_a_name(window: MainWindow) -> None:
    await wait_until(lambda: window.login.model.rowCount() > 0)

    found = problems(window)

    assert not found, "\n".join(found)


@pytest.mark.parametrize("staff_id", [s.id for s in STAFF])
@pytest.mark.asyncio
async def test_every_control_of_every_screen_of_each_role_has_a_name(window: MainWindow, staff_id: str) -> None:
    await wait_until(lambda: window.login.model.rowCount() > 0)
    await log_in(window, staff_id)

    found = []
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        await window.wait_idle()
        orders = window.orders
        if window.tabs.currentWidget() is orders and orders.proxy.rowCount() > 0:
            orders.table.selectRow(0)  # the detail pane and its actions
            await window.wait_idle()
        found.extend(problems(window))

    assert not found, "\n".join(sorted(set(found)))


@pytest.mark.asyncio
async def test_every_control_of_the_dialogs_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    managers = [s for s in STAFF if s.role == "manager"]
    dialogs: list[QDialog] = [
        ApprovalDialog("Approve a refund of $12.00", managers, window),
        ChangePinDialog(FakeMediator(), "Luigi Verdi", window),
        DiscountDialog(order_detail(1), window),
        *(HelpOverlay(screen, window) for screen in ("login", *KEY_MAP)),
    ]

    found = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        found.extend(problems(dialog))
        dialog.reject()

    assert not found, "\n".join(found)


@pytest.mark.asyncio
async def test_every_control_of_the_counter_has_a_name_for_a_dine_in_order_and_while_editing_one(
    window: MainWindow,
) -> None:
    await wait_until(lambda: window.login.model.rowCount() > 0)
    await log_in(window, "luigi")
    counter = window.counter
    window.tabs.setCurrentWidget(counter)
    await window.wait_idle()

    counter.type_buttons["dine_in"].click()
    await window.wait_idle()
    table_shown = counter.table_panel.table.isVisible() and counter.table_panel.covers.isVisible()
    dine_in = problems(window)
    counter.edit_order(order_detail(1).model_copy(update={"order_type": "dine_in", "table_number": 4, "covers": 2}))
    await window.wait_idle()
    counter.cart_view.selectRow(0)
    counter.cart_panel.edit_requested.emit(0)  # a line being changed: Update line, Cancel change
    await window.wait_idle()
    editing = (counter.edit_banner.isVisible(), counter.item_panel.cancel_edit_button.isVisible())
    in_edit_mode = problems(window)

    assert table_shown
    assert editing == (True, True)
    assert not dine_in, "\n".join(dine_in)
    assert not in_edit_mode, "\n".join(in_edit_mode)


@pytest.mark.asyncio
async def test_every_control_of_the_orders_cancel_panel_has_a_name(window: MainWindow, mediator: FakeMediator) -> None:
    mediator.role = "manager"  # the orders come with what a manager may do to them, as from the core
    await wait_until(lambda: window.login.model.rowCount() > 0)
    await log_in(window, "mario")
    orders = window.orders
    window.tabs.setCurrentWidget(orders)
    await window.wait_idle()
    orders.table.selectRow(0)
    await window.wait_idle()

    orders.cancel_button.click()
    await window.wait_idle()
    reasons = [orders.cancel_panel.reason_choice.itemText(i) for i in range(orders.cancel_panel.reason_choice.count())]
    found = problems(window)

    assert orders.cancel_panel.isVisible()
    assert orders.cancel_panel.reason_choice.isVisible()
    assert all(reason.strip() for reason in reasons)
    assert len(reasons) > 1
    assert not found, "\n".join(found)


def test_a_control_without_a_name_or_with_only_a_symbol_is_found(qtbot: QtBot) -> None:
    box = QGroupBox("Payment")
    qtbot.addWidget(box)
    QLineEdit(box)
    from PySide6.QtWidgets import QPushButton

    QPushButton("⌫", box)
    named = QLineEdit(box)
    named.setAccessibleName("Payment")

    found = problems(box)

    assert len(found) == 3
