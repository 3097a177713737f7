"""Every till screen at every common screen size: the real main window on a demo store with a lunch's orders in it
(long customer names, many lines, many kitchen tickets), sized as a maximized window on that screen.

The walk is generic (every visible widget of the window, whoever added it): each lies inside the window, is not
clipped by its parents, is at least its minimum size hint (its text fits), and no list scrolls sideways. The
window never grows past the screen, and a remembered geometry that does not fit the screen is brought onto it."""

from __future__ import annotations

import asyncio
import shutil
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QRegion
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pos_app.bootstrap import create_app
from pos_app.mediation import OperationResult
from pos_app.messages.commands import (
    LoginCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    PlaceOrderCommand,
    StartCookingCommand,
)
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.models.orders import OrderColumn
from pos_app.ui.ui_mediator import UiMediator
from tests.conftest import drain_tasks, wait_until
from tests.support import PINS

TILL_SIZES = [(1024, 768), (1280, 800), (1920, 1080)]
KITCHEN_DISPLAY_SIZE = (800, 600)
ROLE_OF = {"luigi": "counter", "mario": "manager", "rosa": "kitchen", "toni": "driver"}
LONG_NAME = "Maria Bartolomea Castellammare-Santangelo di Monteverde"
LONG_ADDRESS = "Via dei Santissimi Apostoli Pietro e Paolo 128, scala B, interno 14, 00187 Roma"
LONG_NOTE = "no onions at all please, well done, cut in eight, gluten free base if you have one"
RETURNING_PHONE = "555 010 7000"
ESSENTIAL_COLUMNS = (OrderColumn.NUMBER, OrderColumn.CUSTOMER, OrderColumn.TOTAL, OrderColumn.STATUS, OrderColumn.ETA)
CHECKED_TYPES = (QAbstractButton, QLineEdit, QLabel, QComboBox, QAbstractSpinBox)
"""Controls whose text must fit: at least their minimum size hint, and not cut by a parent."""
SIZED_TYPES = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox)
"""Controls that must not be squashed below their preferred height."""


# the store ------------------------------------------------------------------------------------------------------------
async def _fill_store(path: Path) -> None:
    async with create_app(f"sqlite:///{path}") as app:
        mediator = app.mediator
        assert (await mediator.execute_async(LoginCommand(staff_id="luigi", pin=PINS["luigi"]))).is_success
        order_ids = []
        for number in range(16):
            lines = [
                PizzaItem(
                    pizza_id=pizza,
                    size="large",
                    toppings=["extra_cheese", "mushrooms", "olives", "ham", "anchovies"],
                    special_instructions=LONG_NOTE,
                )
                for pizza in ("quattro_formaggi", "supreme", "diavola", "margherita")[: 1 + number % 4]
            ]
            delivery = number % 3 == 0
            command = PlaceOrderCommand(
                order_id=uuid.uuid4(),
                customer_name=f"{LONG_NAME} {number}",
                customer_phone=RETURNING_PHONE if number == 0 else f"555 010 {number:04d}",
                customer_address=LONG_ADDRESS if delivery else None,
                pizza_items=lines,
                payment_method="card" if number % 2 else "cash",
                amount_tendered=None if number % 2 or number == 2 else Decimal("500.00"),  # #3 pays later
                order_type="delivery" if delivery else "pickup",
                accept_kitchen_wait=True,
            )
            result = await mediator.execute_async(command)
            assert result.is_success, result.error_message
            order_ids.append(command.order_id)
        assert (await mediator.execute_async(LoginCommand(staff_id="rosa", pin=PINS["rosa"]))).is_success
        for order_id in order_ids[:6]:
            assert (await mediator.execute_async(StartCookingCommand(order_id=order_id))).is_success
        for order_id in (order_ids[0], order_ids[4]):  # #1 a delivery and #5 a pickup, ready
            assert (await mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=0))).is_success


@pytest.fixture(scope="module")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store with a lunch's orders, made once (on a thread of its own, away from the tests' Qt loop)."""
    path = tmp_path_factory.mktemp("layouts") / "store.db"
    failure: list[BaseException] = []

    def fill() -> None:
        try:
            asyncio.run(_fill_store(path))
        except BaseException as error:  # handed to the test below
            failure.append(error)

    thread = threading.Thread(target=fill)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return path


@pytest.fixture
def settings_in_tmp(tmp_path: Path) -> Iterator[Path]:
    """QSettings under a test organization in a temporary folder: nothing reaches the user's real settings."""
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    organization = QCoreApplication.organizationName()
    QCoreApplication.setOrganizationName("pos-app layout tests")
    assert Path(QSettings().fileName()).is_relative_to(folder)
    yield folder
    QCoreApplication.setOrganizationName(organization)


@pytest.fixture
async def open_window(store_template: Path, tmp_path: Path, qtbot: QtBot, settings_in_tmp: Path) -> AsyncIterator[Any]:
    """`await open_window(size, view=None)`: the real main window on a copy of the store, at `size`, shown."""
    path = tmp_path / "store.db"
    shutil.copy(store_template, path)
    windows: list[MainWindow] = []
    async with create_app(f"sqlite:///{path}") as app:

        async def open_at(size: tuple[int, int], view: str | None = None) -> MainWindow:
            bridge = UiBridge()
            app.changes.subscribe(bridge.notify)
            window = MainWindow(UiMediator(app.mediator), bridge, app.settings.store_name, str(path), view)
            qtbot.addWidget(window)
            windows.append(window)
            window.resize(*size)
            window.show()
            window.show_login()
            await window.wait_idle()
            await wait_until(lambda: window.login.model.rowCount() > 0)
            return window

        yield open_at
        # pytest-qt has closed the windows (and may have deleted them) before this runs: their tasks end here, before
        # the store does
        for window in windows:
            await window.wait_idle()
        await drain_tasks()


async def log_in(qtbot: QtBot, window: MainWindow, staff_id: str) -> None:
    login = window.login
    rect = login.staff_list.visualRect(login.model.index(login.model.row_of(staff_id)))
    qtbot.mouseClick(login.staff_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClicks(login.pin, PINS[staff_id])
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: window.session is not None)
    await settle(window)


async def settle(window: MainWindow) -> None:
    """Let every request finish and the layouts settle (a layout runs on the event loop's next turns)."""
    await window.wait_idle()
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
        await asyncio.sleep(0)
    await window.wait_idle()


# the walk -------------------------------------------------------------------------------------------------------------
def _describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QAbstractButton | QLabel | QLineEdit):
        text = widget.text() or (widget.placeholderText() if isinstance(widget, QLineEdit) else "")
    name = widget.objectName() or widget.accessibleName()
    return f"{type(widget).__name__}{f' #{name}' if name else ''}{f' {text[:40]!r}' if text else ''}"


def _scrolls_with_a_list(widget: QWidget) -> bool:
    """A widget inside an item view's viewport (an editor, an index widget) scrolls with the list's rows."""
    parent = widget.parentWidget()
    while parent is not None:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractItemView) and grand.viewport() is parent:
            return True
        parent = grand
    return False


def _cut_rows(view: QListView, what: str) -> list[str]:
    """Rows of a list whose text is wider than the row's cell (a list that wraps its text wraps instead)."""
    if view.wordWrap() or view.model() is None:
        return []
    cut = []
    cell = view.gridSize().width() if view.gridSize().isValid() else view.viewport().width()
    for row in range(view.model().rowCount()):
        index = view.model().index(row, view.modelColumn())
        needed = view.sizeHintForIndex(index).width()
        if needed > cell:
            cut.append(f"{what}: row {index.data()!r} needs {needed} px, its cell is {cell}")
    return cut


def layout_problems(window: MainWindow) -> list[str]:
    """What on the window's screen is outside it, cut off, squashed or scrolled sideways."""
    problems: list[str] = []
    bounds = window.rect()
    for widget in window.findChildren(QWidget):
        if widget.isWindow() or not widget.isVisible() or _scrolls_with_a_list(widget):
            continue
        what = _describe(widget)
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not bounds.contains(rect):
            problems.append(f"{what} at {rect.getRect()} is outside the window {bounds.getRect()}")
        if isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().isVisible():
            problems.append(f"{what} scrolls sideways")
        if isinstance(widget, QListView):
            problems.extend(_cut_rows(widget, what))
        if not isinstance(widget, CHECKED_TYPES):
            continue
        if widget.visibleRegion() != QRegion(widget.rect()):
            problems.append(f"{what} is cut off: only {widget.visibleRegion().boundingRect().getRect()} shows")
        hint = widget.minimumSizeHint()
        if widget.width() < hint.width() or widget.height() < hint.height():
            problems.append(f"{what} is {widget.width()}×{widget.height()}, below its minimum {hint.toTuple()}")
        if isinstance(widget, SIZED_TYPES) and widget.height() < widget.sizeHint().height():
            problems.append(f"{what} is {widget.height()} px high, squashed below {widget.sizeHint().height()}")
        in_spin_box = isinstance(widget.parentWidget(), QAbstractSpinBox)  # its box is as wide as its values need
        if isinstance(widget, QLineEdit) and not in_spin_box and widget.width() < widget.sizeHint().width():
            problems.append(f"{what} is {widget.width()} px wide, squashed below {widget.sizeHint().width()}")
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(widget.width())
            if widget.height() < needed:
                problems.append(f"{what} is {widget.height()} px high; its wrapped text needs {needed}")
    return problems


def assert_fits(window: MainWindow, size: tuple[int, int], state: str) -> None:
    assert window.size() == QSize(*size), f"{state}: the window grew from {size} to {window.size().toTuple()}"
    problems = layout_problems(window)
    assert not problems, f"{state} at {size[0]}×{size[1]}:\n" + "\n".join(problems)


async def show_screen(window: MainWindow, name: str) -> None:
    window.tabs.setCurrentWidget(window.screens[name])
    await settle(window)


# the screens in their fullest states ----------------------------------------------------------------------------------
async def fill_counter(qtbot: QtBot, window: MainWindow) -> None:
    """A returning delivery customer with a long name and address, a cart of many lines, cash tendered."""
    counter = window.counter
    counter.phone.setFocus()
    qtbot.keyClicks(counter.phone, RETURNING_PHONE)
    await counter.look_up_customer()
    await wait_until(lambda: counter.repeat_button.isVisible())
    counter.name.setText(LONG_NAME)
    qtbot.mouseClick(counter.type_buttons["delivery"], Qt.MouseButton.LeftButton)
    counter.address.setText(LONG_ADDRESS)
    for item_id in ("supreme", "quattro_formaggi", "diavola", "margherita", "zucca", "veggie") * 2:
        counter.choose(item_id)
        counter.notes.setText(LONG_NOTE)
        counter.toppings_model.setData(
            counter.toppings_model.index(0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
        )
        qtbot.mouseClick(counter.add_button, Qt.MouseButton.LeftButton)
    counter.choose("supreme")
    qtbot.keyClicks(counter.tendered, "500")
    await counter.wait_idle()
    await wait_until(lambda: counter.cart.rowCount() == 12 and counter.change.text() != "")


async def refuse_the_order(qtbot: QtBot, window: MainWindow) -> None:
    """A delivery with no phone, name or address: the core refuses it, and each message shows under its field."""
    counter = window.counter
    for field in (counter.phone, counter.name, counter.address):
        field.clear()
    qtbot.mouseClick(counter.place_button, Qt.MouseButton.LeftButton)
    # the item panel still holds a Supreme not added: the counter asks before placing anything
    pending = counter.place_panel
    await wait_until(lambda: pending.pending_panel.isVisible())
    await settle(window)
    assert_fits(window, window.size().toTuple(), "counter asking about an item not added")
    qtbot.mouseClick(pending.place_without_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: counter.customer_panel.name_error.isVisible())
    await settle(window)


async def place_the_order(qtbot: QtBot, window: MainWindow) -> None:
    counter = window.counter
    qtbot.mouseClick(counter.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: counter.place_panel.pending_panel.isVisible())  # the Supreme still not added
    qtbot.mouseClick(counter.place_panel.add_and_place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: counter.banner.isVisible() or counter.wait_panel.isVisible())
    if counter.wait_panel.isVisible():  # the kitchen is full: the counter asks whether the customer waits
        await settle(window)
        assert_fits(window, window.size().toTuple(), "counter asking whether the customer accepts the wait")
        qtbot.mouseClick(counter.accept_wait_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: counter.banner.isVisible())
    await settle(window)


def assert_banner_shows(window: MainWindow) -> None:
    banner = window.counter.banner
    assert banner.text().startswith("Order #")
    assert banner.visibleRegion() == QRegion(banner.rect())
    assert window.rect().contains(QRect(banner.mapTo(window, QPoint(0, 0)), banner.size()))
    assert banner.height() >= banner.heightForWidth(banner.width())


def assert_orders_columns_show(window: MainWindow) -> None:
    table = window.orders.table
    header = table.horizontalHeader()
    viewport = table.viewport().width()
    for column in ESSENTIAL_COLUMNS:
        name = table.model().headerData(column, Qt.Orientation.Horizontal)
        start, width = header.sectionViewportPosition(column), header.sectionSize(column)
        assert not header.isSectionHidden(column), f"the {name} column is hidden"
        assert width >= header.sectionSizeHint(column), f"the {name} column is {width} px, too narrow for its title"
        assert start >= 0, f"the {name} column starts left of the view"
        assert start + width <= viewport, f"the {name} column ends right of the view"


async def select_order(window: MainWindow, number: int) -> None:
    orders = window.orders
    row = next(row for row in range(orders.proxy.rowCount()) if orders.proxy.order_at(row).order_number == number)
    orders.table.selectRow(row)
    await wait_until(lambda: orders._detail is not None and orders._detail.order_number == number)
    await settle(window)


async def check_orders(window: MainWindow, size: tuple[int, int]) -> None:
    """Orders in each state the detail shows differently: ready for delivery (a driver to choose), ready for pickup,
    to be paid (the payment panel), pending (the cancel panel), with the list's main columns in view."""
    orders = window.orders
    assert_orders_columns_show(window)
    for number, state in ((1, "a delivery ready"), (5, "a pickup ready"), (3, "an unpaid order"), (16, "the newest")):
        await select_order(window, number)
        assert_fits(window, size, f"orders with {state} selected")
        for button, panel in ((orders.payment_button, "payment"), (orders.cancel_button, "cancel")):
            if button.isVisible() and button.isEnabled():
                button.click()
                await settle(window)
                assert_fits(window, size, f"orders with {state} and its {panel} panel open")


async def check_screens(qtbot: QtBot, window: MainWindow, size: tuple[int, int], staff_id: str) -> None:
    for name in window.screens_for(ROLE_OF[staff_id]):
        await show_screen(window, name)
        assert_fits(window, size, name)
        if name == "orders":
            await check_orders(window, size)
        if name == "kitchen":
            window.kitchen.select_row(0)
            window.kitchen.recall_button.click()
            await wait_until(lambda: window.kitchen.recalled.isVisible() or not window.kitchen.can_act)
            await settle(window)
            assert_fits(window, size, "kitchen with a ticket selected and the last one recalled")
        if name == "counter":
            await fill_counter(qtbot, window)
            await settle(window)
            assert_fits(window, size, "counter with a full order")
            await refuse_the_order(qtbot, window)
            assert_fits(window, size, "counter with a message under every field")
            qtbot.keyClicks(window.counter.phone, RETURNING_PHONE)
            window.counter.name.setText(LONG_NAME)
            window.counter.address.setText(LONG_ADDRESS)
            await place_the_order(qtbot, window)
            assert_fits(window, size, "counter after placing an order")
            assert_banner_shows(window)


# the tests ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [*TILL_SIZES, KITCHEN_DISPLAY_SIZE], ids=lambda size: f"{size[0]}x{size[1]}")
async def test_the_login_screen_fits(open_window: Any, size: tuple[int, int]) -> None:
    window = await open_window(size)
    await settle(window)

    assert_fits(window, size, "login")


@pytest.mark.parametrize("staff_id", list(ROLE_OF))
@pytest.mark.parametrize("size", TILL_SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_every_screen_of_the_role_fits_the_till(
    qtbot: QtBot, open_window: Any, size: tuple[int, int], staff_id: str
) -> None:
    window = await open_window(size)

    await log_in(qtbot, window, staff_id)

    await check_screens(qtbot, window, size, staff_id)


@pytest.mark.parametrize("staff_id", ["rosa", "mario"])
async def test_the_kitchen_display_fits_a_small_screen(qtbot: QtBot, open_window: Any, staff_id: str) -> None:
    window = await open_window(KITCHEN_DISPLAY_SIZE, view="kitchen")

    await log_in(qtbot, window, staff_id)

    await check_screens(qtbot, window, KITCHEN_DISPLAY_SIZE, staff_id)


async def test_the_window_opens_maximized_when_no_geometry_is_remembered(qtbot: QtBot, settings_in_tmp: Path) -> None:
    window = MainWindow(UiMediator(_NoMediator()), UiBridge(), "Mario's Pizzeria", "store.db")
    qtbot.addWidget(window)

    window.show()

    available = window.screen().availableGeometry()
    await wait_until(lambda: window.isMaximized() and available.contains(window.frameGeometry()))
    assert window.frameGeometry().size() == available.size()


@pytest.mark.parametrize(
    "remembered",
    [QRect(0, 0, 4000, 3000), QRect(5000, 4000, 900, 600), QRect(-3000, -2000, 700, 500)],
    ids=["larger than the screen", "off the screen", "off the screen's top left"],
)
async def test_a_remembered_geometry_is_brought_onto_the_screen(
    qtbot: QtBot, settings_in_tmp: Path, remembered: QRect
) -> None:
    earlier = QWidget()
    earlier.setGeometry(remembered)
    QSettings().setValue("main/geometry", earlier.saveGeometry())
    earlier.deleteLater()

    window = MainWindow(UiMediator(_NoMediator()), UiBridge(), "Mario's Pizzeria", "store.db")
    qtbot.addWidget(window)
    window.show()
    await wait_until(lambda: window.isVisible())

    available = (QGuiApplication.screenAt(window.geometry().center()) or window.screen()).availableGeometry()
    assert available.contains(window.geometry()), f"{window.geometry()} is not inside {available}"
    assert window.width() <= min(remembered.width(), available.width())


async def test_the_geometry_is_remembered_on_close(qtbot: QtBot, settings_in_tmp: Path) -> None:
    window = MainWindow(UiMediator(_NoMediator()), UiBridge(), "Mario's Pizzeria", "store.db")
    qtbot.addWidget(window)
    window.show()
    window.showNormal()
    window.setGeometry(QRect(20, 30, 760, 700))
    await wait_until(lambda: window.geometry() == QRect(20, 30, 760, 700))

    window.close()

    again = QWidget()
    assert again.restoreGeometry(QSettings().value("main/geometry"))
    assert again.geometry() == QRect(20, 30, 760, 700)
    again.deleteLater()


class _NoMediator:
    async def execute_async(self, request: Any) -> Any:
        return OperationResult.ok(None)


async def test_who_is_logged_in_shows_beside_the_tabs_or_above_the_one_screen(qtbot: QtBot, open_window: Any) -> None:
    window = await open_window((1024, 768))
    await log_in(qtbot, window, "mario")
    beside_tabs = window.tabs.cornerWidget(Qt.Corner.TopRightCorner) is window.session_bar
    await window.lock()

    await log_in(qtbot, window, "toni")

    assert beside_tabs
    assert window.tabs.cornerWidget(Qt.Corner.TopRightCorner) is None
    assert window.lock_button.isVisible()
    assert window.session_bar.geometry().bottom() < window.tabs.geometry().top()
    assert_fits(window, (1024, 768), "orders alone")


async def test_the_orders_list_refits_its_columns_when_the_window_is_resized(qtbot: QtBot, open_window: Any) -> None:
    window = await open_window((1024, 768))
    await log_in(qtbot, window, "mario")
    await show_screen(window, "orders")

    for size in [(1920, 1080), (1024, 768), (1280, 800), (1920, 1080)]:
        window.resize(*size)
        await settle(window)

        assert_fits(window, size, "orders after a resize")
        assert_orders_columns_show(window)
    assert not window.orders.table.isColumnHidden(OrderColumn.ITEMS)
