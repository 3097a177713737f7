"""The main window: the login screen, then the screens the staff member's role allows, and a status bar (which
says DEMO on a demo store)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QByteArray, QRect, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app import PRODUCT_NAME
from pos_app.messages.commands import LogoutCommand
from pos_app.messages.dtos import KitchenDisplayDto, OrderDto, SessionDto, StoreInfoDto
from pos_app.messages.queries import GetStoreInfoQuery
from pos_app.ui.bridge import UiBridge
from pos_app.ui.keymap import keys_text, sequences, show_keys
from pos_app.ui.slots import async_slot, cancel_refreshes, is_alive, spawn, tasks_under
from pos_app.ui.theme import STYLE_SHEET
from pos_app.ui.ui_mediator import UiMediator
from pos_app.ui.views.base import ScreenView, set_error
from pos_app.ui.views.change_pin import ChangePinDialog
from pos_app.ui.views.counter import CounterView
from pos_app.ui.views.kitchen import KitchenView
from pos_app.ui.views.login import LoginView
from pos_app.ui.views.orders import OrdersView
from pos_app.ui.widgets.elided_label import ElidedLabel
from pos_app.ui.widgets.enter_keys import EnterPressesFocusedButton
from pos_app.ui.widgets.help_overlay import HelpOverlay
from pos_app.ui.widgets.store_status import ReconnectBanner, StoreStatusLabel

SCREENS_BY_ROLE = {
    "counter": ("counter", "orders"),
    "kitchen": ("kitchen", "orders"),
    "driver": ("orders",),
    "manager": ("counter", "orders", "kitchen"),
}
TITLES = {"counter": "Counter", "orders": "Orders", "kitchen": "Kitchen"}
ROLE_LABELS = {"counter": "counter", "kitchen": "kitchen", "driver": "driver", "manager": "manager"}


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(
        self,
        mediator: UiMediator,
        bridge: UiBridge,
        store_name: str,
        store_location: str,
        single_view: str | None = None,
        parent: QWidget | None = None,
        *,
        kitchen_display: KitchenDisplayDto | None = None,
    ) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self._single_view = single_view
        self.session: SessionDto | None = None
        self._logout_task: asyncio.Task[object] | None = None
        self._store_info_task: asyncio.Task[None] | None = None
        self.store_info: StoreInfoDto | None = None
        self.change_pin_dialog: ChangePinDialog | None = None
        self.help_overlay: HelpOverlay | None = None
        self.setWindowTitle(f"{PRODUCT_NAME} — {TITLES[single_view]}" if single_view else PRODUCT_NAME)
        self.setStyleSheet(STYLE_SHEET)
        self._enter_keys = EnterPressesFocusedButton(self)

        self.login = LoginView(mediator, title=f"{store_name}: who is working?", parent=self)
        self.counter = CounterView(mediator, self)
        self.orders = OrdersView(mediator, self)
        self.kitchen = KitchenView(mediator, self, display=kitchen_display)
        self.screens: dict[str, ScreenView] = {"counter": self.counter, "orders": self.orders, "kitchen": self.kitchen}
        for screen in self.screens.values():
            screen.hide()  # shown when a login puts it in a tab
        # The only refresh after a command: the bridge's notice after its commit (screens wait for it, see ScreenView).
        self.counter.refresh_on(bridge.menu_changed)
        self.orders.refresh_on(bridge.orders_changed)
        self.kitchen.refresh_on(bridge.kitchen_changed)
        self.orders.edit_requested.connect(self._on_orders_edit_requested)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setAccessibleName(self.tr("Screens"))
        self.staff_label = QLabel(self)
        self.staff_label.setObjectName("heading")
        self.lock_button = QPushButton(self.tr("Lock"), self)
        show_keys(self.lock_button, "counter", "lock", in_text=True)
        self.lock_button.setAccessibleName(self.tr("Lock the terminal"))
        self.lock_button.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_button.clicked.connect(self._on_lock_button_clicked)
        self.change_pin_button = QPushButton(self.tr("Change PIN…"), self)
        self.change_pin_button.clicked.connect(self._on_change_pin_button_clicked)
        self.help_button = QPushButton(self.tr("Keys  ({keys})").format(keys=keys_text("counter", "help")), self)
        self.help_button.setAccessibleName(self.tr("Show the keys of this screen"))
        self.help_button.clicked.connect(self.show_help)
        self.help_shortcut = QShortcut(QKeySequence(Qt.Key.Key_F1), self, self.show_help)
        self.screen_shortcuts = [
            QShortcut(key, self, lambda step=step: self.step_screen(step))
            for action, step in (("next_screen", 1), ("previous_screen", -1))
            for key in sequences("counter", action)
        ]
        self.session_bar = QWidget(self)  # beside the tabs when there are tabs (see _place_session_bar)
        self.session_bar.setStyleSheet("QPushButton { min-height: 28px; padding: 2px 12px; }")  # the tabs' height
        top = QHBoxLayout(self.session_bar)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.staff_label, 1)
        top.addWidget(self.help_button)
        top.addWidget(self.change_pin_button)
        top.addWidget(self.lock_button)
        work = QWidget(self)
        work_layout = QVBoxLayout(work)
        work_layout.setContentsMargins(6, 4, 6, 0)
        work_layout.addWidget(self.session_bar)
        work_layout.addWidget(self.tabs, 1)
        self._work_layout = work_layout
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.login)
        self.pages.addWidget(work)
        self.reconnect_banner = ReconnectBanner(self)
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.reconnect_banner)
        central_layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.login.logged_in.connect(self._on_login_logged_in)

        self.store_status = ElidedLabel(f"{store_name} · {store_location}", self, Qt.TextElideMode.ElideMiddle)
        self.staff_status = QLabel(self.tr("Nobody logged in"), self)
        self.db_status = StoreStatusLabel(self)
        self.busy_status = QLabel("", self)
        self.demo_status = QLabel(self.tr("DEMO"), self)
        self.demo_status.setToolTip(self.tr("A demo store: its staff and PINs are the published demo ones"))
        self.demo_status.setAccessibleName(self.tr("Demo store"))
        self.demo_status.setStyleSheet("color: white; background: #c62828; font-weight: bold; padding: 0 8px;")
        self.demo_status.setVisible(False)
        bar = self.statusBar()
        bar.addWidget(self.demo_status)
        bar.addWidget(self.store_status, 1)
        bar.addPermanentWidget(self.busy_status)
        bar.addPermanentWidget(self.staff_status)
        bar.addPermanentWidget(self.db_status)
        mediator.busy_changed.connect(self._on_mediator_busy_changed)
        mediator.store_state_changed.connect(self._on_mediator_store_state_changed)
        bridge.store_reachable_changed.connect(self._on_bridge_store_reachable_changed)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._restore_geometry()

    # session -------------------------------------------------------------------------------------------------------
    def screens_for(self, role: str) -> tuple[str, ...]:
        allowed = SCREENS_BY_ROLE.get(role, ())
        if self._single_view is not None:
            return (self._single_view,) if self._single_view in allowed or role == "manager" else ()
        return allowed

    def _on_login_logged_in(self, session: SessionDto) -> None:
        names = self.screens_for(session.role)
        if not names:
            self.login.error.setText(
                self.tr("This terminal shows the {view} screen; {name} cannot use it").format(
                    view=TITLES.get(self._single_view or "", ""), name=session.name
                )
            )
            self.login.error.setVisible(True)
            self._spawn_logout()
            return
        self.session = session
        self.tabs.blockSignals(True)
        self.tabs.clear()
        for name in names:
            self.tabs.addTab(self.screens[name], self.tr(TITLES[name]))
        last = QSettings().value("main/last_view", "", str)
        self.tabs.setCurrentIndex(names.index(last) if last in names else 0)
        self.tabs.blockSignals(False)
        for name, screen in self.screens.items():
            screen.set_session(session if name in names else None)
            if name in names:
                screen.request_refresh()
        self.tabs.tabBar().setVisible(len(names) > 1)
        self._place_session_bar(beside_tabs=len(names) > 1)
        self.staff_label.setText(f"{session.name} ({ROLE_LABELS.get(session.role, session.role)})")
        self.staff_status.setText(self.tr("Logged in: ") + session.name)
        self.pages.setCurrentIndex(1)
        current = self.tabs.currentWidget()
        if current is not None:
            current.setFocus()

    @async_slot()
    async def _on_lock_button_clicked(self) -> None:
        await self.lock()

    async def lock(self) -> None:
        """Back to the login screen; the terminal's session ends."""
        if self.change_pin_dialog is not None and self.change_pin_dialog.isVisible():
            self.change_pin_dialog.reject()
        if self.help_overlay is not None and self.help_overlay.isVisible():
            self.help_overlay.reject()
        await self._mediator.execute_async(LogoutCommand())
        self.session = None
        for screen in self.screens.values():
            screen.set_session(None)
        self.staff_label.setText("")
        self.staff_status.setText(self.tr("Nobody logged in"))
        self.login.reset()
        self.pages.setCurrentIndex(0)
        self.login.request_refresh()

    # help -------------------------------------------------------------------------------------------------------------
    def current_screen(self) -> str:
        """The name of the screen in front: "login", or the current tab's ("counter", "orders", "kitchen")."""
        if self.pages.currentIndex() == 0:
            return "login"
        widget = self.tabs.currentWidget()
        return next((name for name, screen in self.screens.items() if screen is widget), "login")

    def show_help(self) -> None:
        """The keys of the screen in front (F1); Escape closes the list and gives the focus back."""
        if self.help_overlay is not None and self.help_overlay.isVisible():
            return
        overlay = HelpOverlay(self.current_screen(), self)
        overlay.finished.connect(self._on_help_overlay_finished)
        self.help_overlay = overlay
        overlay.open()
        overlay.activateWindow()
        overlay.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def step_screen(self, step: int) -> None:
        """Ctrl+PgDown / Ctrl+PgUp: the next or previous screen's tab, the focus in it."""
        if self.pages.currentIndex() != 1 or self.tabs.count() < 2:
            return
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())
        current, focus = self.tabs.currentWidget(), QApplication.focusWidget()
        if current is not None and (focus is None or not current.isAncestorOf(focus)):
            current.setFocus()

    def _on_help_overlay_finished(self, _result: int) -> None:
        if self.help_overlay is not None:
            self.help_overlay.deleteLater()
            self.help_overlay = None
        self.activateWindow()  # the keys go back to the screen (not every window manager does it for us)

    def _on_change_pin_button_clicked(self) -> None:
        if self.session is None:
            return
        dialog = ChangePinDialog(self._mediator, self.session.name, self)
        dialog.finished.connect(self._on_change_pin_dialog_finished)
        self.change_pin_dialog = dialog
        dialog.open()

    def _on_change_pin_dialog_finished(self, result: int) -> None:
        if result == ChangePinDialog.DialogCode.Accepted.value:
            self.statusBar().showMessage(self.tr("PIN changed"), 5000)
        if self.change_pin_dialog is not None:
            self.change_pin_dialog.deleteLater()
            self.change_pin_dialog = None

    def _spawn_logout(self) -> None:
        task = asyncio.get_event_loop().create_task(self._mediator.execute_async(LogoutCommand()))
        self._logout_task = task

    def show_login(self) -> None:
        self.pages.setCurrentIndex(0)
        self.login.request_refresh()
        if self._store_info_task is None:
            self._store_info_task = spawn(self, self._load_store_info(), refresh=True)

    async def _load_store_info(self) -> None:
        result = await self._mediator.execute_async(GetStoreInfoQuery())
        if not is_alive(self):
            return
        info = result.data if result.is_success else None
        self.store_info = info if isinstance(info, StoreInfoDto) else None
        self.demo_status.setVisible(self.store_info is not None and self.store_info.is_demo)

    # status ---------------------------------------------------------------------------------------------------------
    def _on_mediator_busy_changed(self, busy: bool) -> None:
        self.busy_status.setText(self.tr("Working…") if busy else "")
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QGuiApplication.restoreOverrideCursor()

    def _on_mediator_store_state_changed(self, state: str) -> None:
        self.db_status.show_state(state)

    def _on_bridge_store_reachable_changed(self, reachable: bool) -> None:
        """The store server lost: every screen says so and keeps what it holds (the cart, typed text); back: the
        banner goes and the screens read again (the bridge tells them)."""
        self.db_status.show_reachable(reachable)
        self.reconnect_banner.setVisible(not reachable)

    def _on_orders_edit_requested(self, order: OrderDto) -> None:
        """ "Edit order…" in the Orders screen: the order goes into the counter's cart, in its edit mode."""
        if self.tabs.indexOf(self.counter) < 0:
            return
        editing = self.counter.editing
        if self.counter.cart.rowCount() and (editing is None or editing.order_id != order.order_id):
            set_error(  # the order being taken is not thrown away: it is placed or cleared first
                self.orders.error,
                self.tr("The counter holds an order not placed yet: place it or clear it (New order) first"),
            )
            return
        self.tabs.setCurrentWidget(self.counter)
        self.counter.edit_order(order)

    def _on_tabs_current_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        name = next((n for n, screen in self.screens.items() if screen is widget), None)
        if name is not None:
            QSettings().setValue("main/last_view", name)

    def _place_session_bar(self, beside_tabs: bool) -> None:
        """Who is logged in, Change PIN and Lock: in the tab bar's corner when there are tabs (the screens keep
        that height), else in a row above the one screen."""
        in_corner = self.tabs.cornerWidget(Qt.Corner.TopRightCorner) is self.session_bar
        if beside_tabs and not in_corner:
            self.tabs.setCornerWidget(self.session_bar, Qt.Corner.TopRightCorner)
        elif not beside_tabs and in_corner:
            self.tabs.setCornerWidget(None, Qt.Corner.TopRightCorner)  # type: ignore[arg-type]  # Qt takes none
            self._work_layout.insertWidget(0, self.session_bar)
        self.session_bar.show()

    # geometry ---------------------------------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        """The geometry the window had when last closed, brought onto the screen; or, when none is remembered,
        maximized when shown (see `setVisible`)."""
        geometry = QSettings().value("main/geometry")
        self._maximize_when_shown = not (isinstance(geometry, QByteArray) and not geometry.isEmpty())
        if self._maximize_when_shown:
            return
        self.restoreGeometry(geometry)
        if not self.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            self.setGeometry(fit_to_screen(self.geometry(), _available_geometry(self.geometry())))

    def setVisible(self, visible: bool) -> None:
        """Shown for the first time with no remembered geometry: maximized on its screen (at the screen's size
        where no window manager maximizes it), unless whoever shows it gave it a size first."""
        if visible and self._maximize_when_shown:
            self._maximize_when_shown = False
            if not self.testAttribute(Qt.WidgetAttribute.WA_Resized):
                self.setGeometry(_available_geometry(self.geometry()))
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        super().setVisible(visible)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main/geometry", self.saveGeometry())
        super().closeEvent(event)
        if event.isAccepted():
            for screen in (self.login, *self.screens.values()):
                screen.stop_refreshing()
            cancel_refreshes(self)
            for dialog in self.findChildren(QDialog):
                if dialog.isVisible():
                    dialog.reject()  # a slot waiting for its answer ends, and shutdown waits for nothing else
        self.closed.emit()

    async def wait_idle(self) -> None:
        """For shutdown and tests (never from a slot of the window): let every task the window and its screens
        started finish, a command in flight included, so none resumes after the store or the loop is gone."""
        if self._store_info_task is not None and not self._store_info_task.done():
            await asyncio.wait({self._store_info_task})
        for screen in (self.login, *self.screens.values()):
            await screen.wait_idle()
        current = asyncio.current_task()
        while pending := tasks_under(self) - {current}:
            await asyncio.wait(pending)


def _available_geometry(near: QRect) -> QRect:
    """The available geometry (less task bars) of the screen under `near`'s centre, else of the primary screen."""
    screen = QGuiApplication.screenAt(near.center()) or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else near


def fit_to_screen(geometry: QRect, available: QRect) -> QRect:
    """`geometry` shrunk to fit `available` where it is larger, then moved the least that brings it all inside."""
    width, height = min(geometry.width(), available.width()), min(geometry.height(), available.height())
    left = max(available.left(), min(geometry.left(), available.right() + 1 - width))
    top = max(available.top(), min(geometry.top(), available.bottom() + 1 - height))
    return QRect(left, top, width, height)
