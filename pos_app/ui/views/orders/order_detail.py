"""The selected order as the Orders screen shows it: customer, items, totals, payment and the event timeline."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.messages.dtos import OrderDto, OrderItemDto, OrderSummaryDto, StaffDto
from pos_app.ui.formatting import format_money, format_time
from pos_app.ui.models.orders import ORDER_TYPE_TEXT, STATUS_TEXT, is_late

OrderLike = OrderSummaryDto | OrderDto
FINAL_STATUSES = frozenset({"picked_up", "delivered", "cancelled"})


class OrderDetail(QWidget):
    """A placeholder until an order is shown; then its row (`OrderSummaryDto`) or its full detail (`OrderDto`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = QLabel(self.tr("Select an order to see its details."), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.body = QWidget(self)
        self.title = QLabel(self.body)
        self.title.setObjectName("heading")
        self.status = QLabel(self.body)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.customer = QLabel(self.body)
        self.customer.setTextFormat(Qt.TextFormat.PlainText)
        self.customer.setWordWrap(True)
        self.customer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.items = _read_only_tree(self.body, [self.tr("Item"), self.tr("Price")])
        self.items.setAccessibleName(self.tr("Items of the order"))
        self.items.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.items.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.totals = QLabel(self.body)
        self.totals.setTextFormat(Qt.TextFormat.PlainText)
        self.totals.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.total = QLabel(self.body)
        self.total.setObjectName("total")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.payment = QLabel(self.body)
        self.payment.setTextFormat(Qt.TextFormat.PlainText)
        self.payment.setWordWrap(True)
        self.timeline = _read_only_tree(self.body, [self.tr("Time"), self.tr("Event"), self.tr("By")])
        self.timeline.setAccessibleName(self.tr("Timeline of the order"))
        self.timeline.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.timeline.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.timeline.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        totals_row = QHBoxLayout()
        totals_row.addWidget(self.totals, 1)
        totals_row.addWidget(self.total)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(6)
        body.addWidget(self.title)
        body.addWidget(self.status)
        body.addWidget(self.customer)
        body.addWidget(_section_label(self.tr("Items"), self.body))
        body.addWidget(self.items, 3)
        body.addLayout(totals_row)
        body.addWidget(self.payment)
        body.addWidget(_section_label(self.tr("Timeline"), self.body))
        body.addWidget(self.timeline, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.body, 1)

    def show_order(self, order: OrderLike | None, now: datetime, staff: list[StaffDto]) -> None:
        self.placeholder.setVisible(order is None)
        self.body.setVisible(order is not None)
        if order is None:
            return
        self.title.setText(f"Order #{order.order_number}")
        self.show_status_line(order, now)
        customer = [f"{order.customer_name}  ·  {order.customer_phone}"]
        if order.customer_address:
            customer.append(order.customer_address)
        self.customer.setText("\n".join(customer))
        self.items.clear()
        self.timeline.clear()
        if isinstance(order, OrderDto):
            self._fill_items(order)
            self._fill_timeline(order, staff)
            self._fill_totals(order)
        else:
            self.totals.setText("")
            self.total.setText(format_money(order.total_amount))
        self.payment.setText(_payment_text(order))
        self.payment.setObjectName("paid" if order.paid or order.status == "cancelled" else "unpaid")
        self.payment.style().unpolish(self.payment)
        self.payment.style().polish(self.payment)

    def show_status_line(self, order: OrderLike, now: datetime) -> None:
        status = STATUS_TEXT.get(order.status, order.status)
        late = " · LATE" if is_late(order, now) else ""
        eta = f" · ready by {format_time(order.estimated_ready_time)}" if order.status not in FINAL_STATUSES else ""
        self.status.setText(
            f"{ORDER_TYPE_TEXT.get(order.order_type, order.order_type)}{table_text(order)} · {status}{late}"
            f" · placed {format_time(order.placed_at)}{eta}"
        )

    def _fill_items(self, order: OrderDto) -> None:
        for item in order.items:
            row = QTreeWidgetItem([_item_text(item), format_money(item.price)])
            row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            row.setToolTip(0, _item_text(item))
            self.items.addTopLevelItem(row)

    def _fill_timeline(self, order: OrderDto, staff: list[StaffDto]) -> None:
        names = {member.id: member.name for member in staff}
        for entry in order.timeline:
            by = names.get(entry.staff_id, entry.staff_id) if entry.staff_id else ""
            row = QTreeWidgetItem([format_time(entry.occurred_at), entry.description, by])
            row.setToolTip(1, entry.description)
            self.timeline.addTopLevelItem(row)
        self.timeline.scrollToBottom()

    def _fill_totals(self, order: OrderDto) -> None:
        first = f"Subtotal {format_money(order.subtotal)}"
        if order.discount:
            on = f"line {order.discount_line + 1}" if order.discount_line is not None else "order"
            first += f"  ·  Discount −{format_money(order.discount)} ({on}: {order.discount_reason})"
        if order.delivery_fee:
            first += f"  ·  Delivery {format_money(order.delivery_fee)}"
        included = order.total_amount == order.subtotal - order.discount + order.delivery_fee
        self.totals.setText(f"{first}\n{'incl. tax' if included else 'Tax'} {format_money(order.tax)}")
        self.total.setText(format_money(order.total_amount))


def _read_only_tree(parent: QWidget, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    tree.setUniformRowHeights(False)
    tree.setAlternatingRowColors(True)
    tree.setMinimumHeight(76)
    tree.header().setStretchLastSection(False)
    return tree


def _section_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def table_text(order: OrderLike) -> str:
    """ " · Table 7" (with " · 4 covers" when known) for a dine-in order, else nothing."""
    if order.table_number is None:
        return ""
    covers = getattr(order, "covers", None)
    return f" · Table {order.table_number}" + (f" · {covers} covers" if covers else "")


def _item_text(item: OrderItemDto) -> str:
    name = f"{item.quantity} × {item.name}" if item.quantity > 1 else item.name
    lines = [f"{name} ({item.size})" + ("  ✓ ready" if item.ready else "")]
    if item.topping_names:
        lines.append("+ " + ", ".join(item.topping_names))
    if item.special_instructions:
        lines.append(f"Note: {item.special_instructions}")
    return "\n".join(lines)


def _payment_text(order: OrderLike) -> str:
    method = "cash" if order.payment_method == "cash" else "card"
    if isinstance(order, OrderDto) and order.status == "cancelled" and order.cancel_reason:
        prefix = f"Cancelled: {order.cancel_reason}\n"
    else:
        prefix = ""
    if not order.paid:
        return f"{prefix}Not paid yet ({method})"
    if isinstance(order, OrderDto) and order.amount_tendered is not None:
        change = f", change {format_money(order.change_due)}" if order.change_due is not None else ""
        return f"{prefix}Paid by {method}: tendered {format_money(order.amount_tendered)}{change}"
    return f"{prefix}Paid by {method}"
