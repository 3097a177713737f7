"""The Orders screen: today's orders, filtered and searched; the selected order's detail and timeline; and the
actions its answer says the user's role may take (picked up, out for delivery, delivered, take payment, cancel).

The panels each do one job (`order_list`, `order_detail` in `detail_pane`, `action_bar`, `payment_panel`,
`cancel_panel`) and `commands` sends what they ask for; this view wires them, refreshes the list and follows the
selection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from pos_app.messages.dtos import OrderActionsDto, OrderDto, OrderSummaryDto, SessionDto, StaffDto
from pos_app.messages.queries import GetOrderByIdQuery, GetOrdersQuery, GetStaffQuery
from pos_app.ui.models.orders import utc_now
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import async_slot
from pos_app.ui.views.approval import ApprovalDialog
from pos_app.ui.views.base import ScreenView, set_error, show_result_error
from pos_app.ui.views.left_open import LeftOpenPanel
from pos_app.ui.views.orders.cancel_panel import CancelPanel
from pos_app.ui.views.orders.commands import OrderCommands
from pos_app.ui.views.orders.detail_pane import OrderDetailPane
from pos_app.ui.views.orders.discount_dialog import DiscountDialog, send_discount
from pos_app.ui.views.orders.order_list import OrdersFilterBar, OrdersTable
from pos_app.ui.views.orders.payment_panel import PaymentPanel

TICK_MS = 15_000
PAGE_SIZE = 1000
OrderLike = OrderSummaryDto | OrderDto
NO_ACTIONS = OrderActionsDto()


class OrdersView(ScreenView):
    """Today's orders. A refresh asks `GetOrdersQuery` for the orders changed since the last one and merges them into
    the table in place (the whole day on a first read, a new business day or another session). Every request is
    awaited on the Qt thread's loop."""

    detail_loaded = Signal()
    """Emitted after the detail pane was filled from `GetOrderByIdQuery`."""
    edit_requested = Signal(object)
    """"Edit order…": the selected order's `OrderDto`, for the counter to open in its edit mode."""

    def __init__(
        self, mediator: Sender, parent: QWidget | None = None, *, now: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(mediator, parent)
        self._now = now
        self._staff: list[StaffDto] | None = None
        self._selected: OrderSummaryDto | None = None
        self._detail: OrderDto | None = None
        self._detail_stale = False
        self._busy = False
        self._row_actions: dict[UUID, OrderActionsDto] = {}  # what the role may do to each listed order
        self._listed_day: date | None = None  # the business day the list shows
        self.discount_dialog: DiscountDialog | None = None
        self.discount_approval: ApprovalDialog | None = None

        self.table = OrdersTable(self, now=now)
        self.model, self.proxy = self.table.orders_model, self.table.proxy
        self.filter_bar = OrdersFilterBar(self.table, self)
        self.detail_pane = OrderDetailPane(self)
        pane = self.detail_pane
        self.detail, self.error, self.change_banner = pane.detail, pane.error, pane.change_banner
        self.actions_box, self.payment_panel, self.cancel_panel = pane.action_bar, pane.payment_panel, pane.cancel_panel
        # a manager's orders left open on an earlier day: re-read with the list, after the bridge's notice of a close
        self.left_open = LeftOpenPanel(mediator, self, after_close=self._refreshed_after_command)
        self.commands = OrderCommands(
            mediator,
            self,
            actions=self.actions_box,
            payment=self.payment_panel,
            cancel=self.cancel_panel,
            error=self.error,
            change_banner=self.change_banner,
            target=self._acting_on,
            settle=self._settle,
            staff=self._known_staff,
        )
        self._expose_widgets()
        self._lay_out()
        self.setFocusProxy(self.table)  # the screen in front: the arrows move in the orders
        self._connect()

        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self._on_timer_timeout)
        self.tick_timer.start()
        self.find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self.find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_shortcut.activated.connect(self.filter_bar.focus_search)
        self._show_order(None)

    def _expose_widgets(self) -> None:
        """The panels' widgets under the names the screen has always had (tests and tools reach them so)."""
        bar, detail, actions, payment, cancel = (
            self.filter_bar,
            self.detail,
            self.actions_box,
            self.payment_panel,
            self.cancel_panel,
        )
        self.heading, self.status_filter, self.search, self.count_label = (
            bar.heading,
            bar.status_filter,
            bar.search,
            bar.count_label,
        )
        self.detail_placeholder, self.detail_body, self.detail_title = detail.placeholder, detail.body, detail.title
        self.detail_status, self.detail_customer, self.detail_items = detail.status, detail.customer, detail.items
        self.detail_totals, self.detail_total, self.detail_payment = detail.totals, detail.total, detail.payment
        self.detail_timeline = detail.timeline
        self.picked_up_button, self.driver_combo = actions.picked_up_button, actions.driver_combo
        self.out_for_delivery_button, self.delivered_button = actions.out_for_delivery_button, actions.delivered_button
        self.payment_button, self.cancel_button = actions.payment_button, actions.cancel_button
        self.driver_error = actions.driver_error
        self.payment_heading, self.cash_button, self.card_button = (
            payment.heading,
            payment.cash_button,
            payment.card_button,
        )
        self.tendered_label, self.tendered_edit = payment.tendered_label, payment.tendered_edit
        self.tendered_error = payment.tendered_error
        self.confirm_payment_button, self.close_payment_button = payment.confirm_button, payment.close_button
        self.cancel_heading, self.cancel_reason, self.cancel_reason_error = (
            cancel.heading,
            cancel.reason,
            cancel.reason_error,
        )
        self.confirm_cancel_button, self.keep_order_button = cancel.confirm_button, cancel.keep_button

    def _lay_out(self) -> None:
        self.filter_bar.row.addWidget(self.left_open.toggle_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail_pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.left_open)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self.commands.busy_changed.connect(self._set_busy)
        self.payment_button.clicked.connect(self._on_payment_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.actions_box.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.actions_box.discount_button.clicked.connect(self._on_discount_button_clicked)
        self.driver_combo.currentIndexChanged.connect(self._on_driver_combo_current_index_changed)
        self.payment_panel.closed.connect(self._update_actions)
        self.cancel_panel.closed.connect(self._update_actions)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

    # session and refresh ----------------------------------------------------------------------------------------
    def set_session(self, session: SessionDto | None) -> None:
        if (session.role if session else None) != self.role:  # what the last role could do is not the new one's
            self._row_actions = {}
            self._detail_stale = True
        if session is None or self.session is None or session.staff_id != self.session.staff_id:
            set_error(self.error, None)  # a message for the last user (or a refresh while locked) is no news
        super().set_session(session)
        self.left_open.set_role(self.role)
        self._select_own_driver()
        self._update_actions()

    async def refresh(self) -> None:
        if self._staff is None:
            await self._load_staff()
        query = GetOrdersQuery(page_size=PAGE_SIZE, changed_since=self.changes_position())
        result = await self._mediator.execute_async(query)
        if not result.is_success or result.data is None:
            show_result_error(self.error, result)
            return
        page = result.data
        with self.table.keeping_selection():
            if page.changes_only and page.business_date == self._listed_day:
                for order in page.items:  # what the role may do to each changed order, now
                    self._row_actions.pop(order.order_id, None)
                self._row_actions.update(page.actions)
                self.model.merge(page.items)
            else:
                self._row_actions = dict(page.actions)
                self.model.apply(page.items)
        self._listed_day = page.business_date
        self.keep_position(page.position, whole=not page.changes_only)
        await self.left_open.refresh()
        await self._follow_selection()

    async def _load_staff(self) -> None:
        result = await self._mediator.execute_async(GetStaffQuery())
        if not result.is_success or result.data is None:
            return
        self._staff = list(result.data)
        self.actions_box.set_drivers(self._staff)
        self._select_own_driver()
        self._update_actions()

    def _known_staff(self) -> list[StaffDto]:
        return self._staff or []

    def _select_own_driver(self) -> None:
        if self.session is not None and self.session.role == "driver":
            self.actions_box.select_driver(self.session.staff_id)

    # selection and detail ---------------------------------------------------------------------------------------
    def selected_order(self) -> OrderSummaryDto | None:
        """The order of the selected row, as the table shows it now."""
        return self.table.selected_order()

    @async_slot(QItemSelection, QItemSelection)
    async def _on_table_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        await self._follow_selection()

    @async_slot(QModelIndex)
    async def _on_table_activated(self, index: QModelIndex) -> None:
        """Enter (or a double click) on a row: open its detail afresh and move to its actions."""
        order = self.proxy.order_at(index.row())
        if order is None:
            return
        if self.selected_order() != order:
            self.table.selectRow(index.row())
            await self._follow_selection()  # the selection's own slot then finds nothing new to do
        else:
            await self._load_detail(order.order_id)
        first = next((b for b in self.actions_box.buttons if b.isVisible() and b.isEnabled()), None)
        if first is not None:
            first.setFocus()

    async def _follow_selection(self) -> None:
        """Show what is selected now: a new order loads its detail; a changed one reloads it."""
        order = self.selected_order()
        previous = self._selected
        if order is None:
            if previous is not None:
                self._selected = None
                self._detail = None
                self._show_order(None)
            return
        if previous is not None and previous.order_id == order.order_id:
            if previous != order:
                self._selected = order
                self._detail_stale = True
                self._update_actions()
                await self._load_detail(order.order_id)
            return
        self._selected = order
        self._detail = None
        set_error(self.error, None)
        self.change_banner.setVisible(False)
        self.payment_panel.setVisible(False)
        self.cancel_panel.setVisible(False)
        self._show_order(order)
        await self._load_detail(order.order_id)

    async def _load_detail(self, order_id: UUID) -> None:
        result = await self._mediator.execute_async(GetOrderByIdQuery(order_id=order_id))
        if self._selected is None or self._selected.order_id != order_id:
            return  # the user moved on while it loaded
        if not result.is_success or result.data is None:
            show_result_error(self.error, result)
            return
        self._detail = result.data
        self._detail_stale = False
        self._show_order(result.data)
        self.detail_loaded.emit()

    def _acting_on(self) -> OrderLike | None:
        """The selected order as last read: its detail when loaded, else its row."""
        if self._selected is None:
            return None
        if not self._detail_stale and self._detail is not None and self._detail.order_id == self._selected.order_id:
            return self._detail
        return self._selected

    def _show_order(self, order: OrderLike | None) -> None:
        self.detail.show_order(order, self._now(), self._staff or [])
        if order is not None:
            self.payment_panel.set_order(order)
            self.cancel_panel.set_order(order)
        self._update_actions()

    # actions: what is shown, what is enabled --------------------------------------------------------------------
    def _allowed(self, order: OrderLike | None) -> OrderActionsDto:
        """What the logged-in role may do to `order`, as the core said with the order (its detail or its row)."""
        if order is None or self.role is None:
            return NO_ACTIONS
        if isinstance(order, OrderDto):
            return OrderActionsDto(actions=order.actions, actions_after_payment=order.actions_after_payment)
        return self._row_actions.get(order.order_id, NO_ACTIONS)

    def _update_actions(self) -> None:
        """Show the actions the order's answer says the logged-in role may take (the core decides)."""
        idle = not self._busy
        offered = self.actions_box.show_allowed(self._allowed(self._acting_on()), idle)
        if "take_payment" not in offered:
            self.payment_panel.setVisible(False)
        if not {"cancel", "cancel_with_approval"} & offered:
            self.cancel_panel.setVisible(False)
        self.payment_panel.set_idle(idle)
        self.cancel_panel.set_idle(idle)
        self.detail_pane.show_actions(bool(offered))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_actions()

    async def _refreshed_after_command(self) -> None:
        await self.refreshed_since(self.refresh_mark())

    async def _settle(self, order_id: UUID) -> None:
        """After a command about `order_id` succeeded: wait for the refresh its commit brings (see ScreenView),
        then reload the order's detail unless that refresh already did."""
        self._detail_stale = True
        await self.refreshed_since(self.refresh_mark())
        if self._selected is not None and self._selected.order_id == order_id and self._detail_stale:
            await self._load_detail(order_id)

    @property
    def approval_dialog(self) -> ApprovalDialog | None:
        """The manager's approval asked for while cancelling, once asked."""
        return self.commands.approval_dialog

    # panels, time ---------------------------------------------------------------------------------------------------
    def _on_payment_button_clicked(self) -> None:
        self._open_panel(self.payment_panel)

    def _on_cancel_button_clicked(self) -> None:
        self._open_panel(self.cancel_panel)

    @async_slot()
    async def _on_edit_button_clicked(self) -> None:
        """The order as it is now (read again: the counter edits what the store holds) goes to the counter."""
        if self._selected is None:
            return
        result = await self._mediator.execute_async(GetOrderByIdQuery(order_id=self._selected.order_id))
        if not result.is_success or result.data is None:
            show_result_error(self.error, result)
            return
        self.edit_requested.emit(result.data)

    @async_slot()
    async def _on_discount_button_clicked(self) -> None:
        """Ask for the discount, send it (with a manager's approval when the core asks), show the order after it."""
        order = self._selected
        if order is None:
            return
        current = await self._mediator.execute_async(GetOrderByIdQuery(order_id=order.order_id))
        if not current.is_success or current.data is None:
            show_result_error(self.error, current)
            return
        self.discount_dialog = DiscountDialog(current.data, self)
        command = await self.discount_dialog.ask()
        if command is None:
            return
        managers = [member for member in self._staff or [] if member.role == "manager"]
        result = await send_discount(self._mediator, command, managers, self, self._keep_discount_approval)
        if result is None:
            return
        if not result.is_success:
            show_result_error(self.error, result)
            return
        await self._settle(order.order_id)

    def _keep_discount_approval(self, dialog: ApprovalDialog) -> None:
        self.discount_approval = dialog

    def _open_panel(self, panel: PaymentPanel | CancelPanel) -> None:
        self.commands.clear_errors()
        self.change_banner.setVisible(False)
        other = self.cancel_panel if panel is self.payment_panel else self.payment_panel
        other.setVisible(False)
        panel.open()
        self._update_actions()
        panel.focus_field()

    def _on_driver_combo_current_index_changed(self, _row: int) -> None:
        set_error(self.driver_error, None)
        self._update_actions()

    def _on_timer_timeout(self) -> None:
        self.model.tick()
        order = self._acting_on()
        if order is not None:
            self.detail.show_status_line(order, self._now())
