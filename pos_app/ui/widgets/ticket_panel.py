"""The kitchen screen's side panel: the selected ticket's heading and items (one can be marked ready on its own),
and the last completed ticket when recalled."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLabel, QListView, QPushButton, QVBoxLayout, QWidget

from pos_app.messages.dtos import KitchenItemDto, KitchenTicketDto
from pos_app.ui.formatting import format_time
from pos_app.ui.models.kitchen_queue import STATUS_LABELS, TicketItemsModel, item_text, ticket_type_text

SIDE_PANEL_WIDTH = 270


def kitchen_button(text: str, parent: QWidget) -> QPushButton:
    """A big button that leaves the keyboard focus with the ticket list."""
    button = QPushButton(text, parent)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumSize(QSize(150, 56))
    return button


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
        self.items.setModel(self.items_model)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items.setWordWrap(True)
        self.items.setSpacing(2)
        self.item_ready_button = kitchen_button(self.tr("Mark this item ready"), self)
        self.recalled = QLabel(self)
        self.recalled.setObjectName("banner")
        self.recalled.setWordWrap(True)
        self.recalled.setTextFormat(Qt.TextFormat.RichText)
        self.recalled.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.item_ready_button)
        layout.addWidget(self.recalled)

    def show_ticket(self, ticket: KitchenTicketDto | None) -> None:
        self.items_model.set_ticket(ticket)
        self.heading.setText(_ticket_heading(ticket) if ticket is not None else self.tr("Select a ticket"))

    def selected_item(self) -> KitchenItemDto | None:
        rows = self.items.selectionModel().selectedRows()
        return self.items_model.item_at(rows[0].row()) if rows else None

    def show_recalled(self, ticket: KitchenTicketDto | None) -> None:
        self.recalled.setText(_recalled_text(ticket) if ticket is not None else self.tr("No ticket completed yet"))
        self.recalled.setVisible(True)


def _ticket_heading(ticket: KitchenTicketDto) -> str:
    order_type = ticket_type_text(ticket)
    status = STATUS_LABELS.get(ticket.status, ticket.status)
    due = format_time(ticket.estimated_ready_time)
    return (
        f"<div style='font-size: 22px; font-weight: bold'>#{ticket.order_number} · {status}</div>"
        f"<div>{order_type} · {html.escape(ticket.customer_name)}</div><div>Due {due}</div>"
    )


def _recalled_text(ticket: KitchenTicketDto) -> str:
    order_type = ticket_type_text(ticket)
    heading = f"<b>Recalled #{ticket.order_number}</b> · {order_type} · {html.escape(ticket.customer_name)}"
    items = [html.escape("• " + item_text(item).replace("\n", "  ")) for item in ticket.items]
    return "<br>".join([heading, *items])
