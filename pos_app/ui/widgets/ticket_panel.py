"""The kitchen screen's side panel: the selected ticket's heading and items (one can be marked ready on its own),
and the last completed ticket when recalled."""

from __future__ import annotations

import html
from uuid import UUID

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.messages.dtos import KitchenItemDto, KitchenTicketDto
from pos_app.ui.formatting import format_time
from pos_app.ui.models.kitchen_queue import (
    STATUS_LABELS,
    TicketItemsModel,
    allergy_lines,
    item_text,
    no_preparation_text,
    notice_text,
    ticket_type_text,
)

SIDE_PANEL_WIDTH = 270
ITEM_PADDING = 16
"""Room beside an item's text in the items list: its padding in the kitchen's style sheet, and a margin."""


def kitchen_button(text: str, parent: QWidget) -> QPushButton:
    """A big button that leaves the keyboard focus with the ticket list."""
    button = QPushButton(text, parent)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumSize(QSize(150, 56))
    return button


class WrappingDelegate(QStyledItemDelegate):
    """Rows as high as their text wrapped to the list's width (a list view in list mode would not wrap it)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        view = self.parent()
        if isinstance(view, QListView):
            option = QStyleOptionViewItem(option)
            width = view.viewport().width() - 2 * view.spacing() - ITEM_PADDING  # as wide as the text is drawn
            option.rect = QRect(0, 0, max(1, width), 1)
        return super().sizeHint(option, index)


class TicketPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(SIDE_PANEL_WIDTH)
        self.heading = QLabel(self.tr("Select a ticket"), self)
        self.heading.setObjectName("detailHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.items_model = TicketItemsModel(self)
        self.items = QListView(self)
        self.items.setObjectName("items")
        self.items.setAccessibleName(self.tr("Items of the ticket"))
        self.items.setModel(self.items_model)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items.setWordWrap(True)
        self.items.setSpacing(2)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items.setItemDelegate(WrappingDelegate(self.items))
        self.item_ready_button = kitchen_button(self.tr("Mark this item ready"), self)
        self.acknowledge_button = kitchen_button(self.tr("Acknowledge"), self)
        """Beside the ticket whose CANCELLED or CHANGED notice it clears (the kitchen view wires it)."""
        self.acknowledge_button.setObjectName("acknowledge")
        self.recalled = QLabel(self)
        self.recalled.setObjectName("banner")
        self.recalled.setWordWrap(True)
        self.recalled.setTextFormat(Qt.TextFormat.RichText)
        self.recalled.setVisible(False)
        self._shown_order_id: UUID | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.acknowledge_button)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.item_ready_button)
        layout.addWidget(self.recalled)

    def show_ticket(self, ticket: KitchenTicketDto | None) -> None:
        """The selected ticket; another ticket selected puts a recalled one away (a refresh of the same keeps it)."""
        order_id = ticket.order_id if ticket is not None else None
        if order_id != self._shown_order_id:
            self._shown_order_id = order_id
            self._show_recalled_instead(False)
        self.items_model.set_ticket(ticket)
        self.heading.setText(_ticket_heading(ticket) if ticket is not None else self.tr("Select a ticket"))
        alerts = [notice_text(ticket)] if ticket is not None and ticket.notice is not None else []
        if ticket is not None and ticket.allergy_alert:
            alerts.append("ALLERGY: " + "; ".join(allergy_lines(ticket)))
        self.heading.setAccessibleDescription(". ".join(alerts))

    def selected_item(self) -> KitchenItemDto | None:
        rows = self.items.selectionModel().selectedRows()
        return self.items_model.item_at(rows[0].row()) if rows else None

    def show_recalled(self, ticket: KitchenTicketDto | None) -> None:
        self.recalled.setText(_recalled_text(ticket) if ticket is not None else self.tr("No ticket completed yet"))
        self._show_recalled_instead(True)

    def _show_recalled_instead(self, recalled: bool) -> None:
        """The recalled ticket takes the place of the selected one's items, so both fit a small kitchen screen."""
        self.recalled.setVisible(recalled)
        self.items.setVisible(not recalled)
        self.item_ready_button.setVisible(not recalled)


def _ticket_heading(ticket: KitchenTicketDto) -> str:
    order_type = ticket_type_text(ticket)
    status = STATUS_LABELS.get(ticket.status, ticket.status)
    due = format_time(ticket.estimated_ready_time)
    parts = [
        f"<div style='font-size: 22px; font-weight: bold'>#{ticket.order_number} · {status}</div>"
        f"<div>{order_type} · {html.escape(ticket.customer_name)}</div><div>Due {due}</div>"
    ]
    if ticket.notice is not None:
        parts.append(
            "<div style='background: #212121; color: white; font-weight: bold; padding: 4px'>"
            f"{html.escape(notice_text(ticket))} · press A to acknowledge</div>"
        )
    if ticket.allergy_alert:
        lines = "<br>".join(html.escape(line) for line in allergy_lines(ticket))
        parts.append(
            "<div style='background: #b71c1c; color: white; font-weight: bold; padding: 4px'>"
            f"⚠ ALLERGY<br>{lines}</div>"
        )
    if no_preparation_text(ticket):
        parts.append(f"<div><i>No preparation: {html.escape(no_preparation_text(ticket))}</i></div>")
    return "".join(parts)


def _recalled_text(ticket: KitchenTicketDto) -> str:
    order_type = ticket_type_text(ticket)
    heading = f"<b>Recalled #{ticket.order_number}</b> · {order_type} · {html.escape(ticket.customer_name)}"
    items = [html.escape("• " + item_text(item).replace("\n", "  ")) for item in ticket.items]
    return "<br>".join([heading, *items])
