"""The order's lines at the counter: the cart table with Edit, Remove (Delete) and New order.

The table is one Tab stop: Tab leaves it, the arrow keys move between its lines, Delete removes the selected one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableView, QVBoxLayout, QWidget

from pos_app.ui.keymap import sequences, show_keys
from pos_app.ui.models.cart import CartModel
from pos_app.ui.views.base import error_label


class CartPanel(QWidget):
    """Shows `cart`; asks for a line to be edited or removed, or for a new order, by signals."""

    edit_requested = Signal(int)
    remove_requested = Signal(int)
    new_order_requested = Signal()

    def __init__(self, cart: CartModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cart_view = QTableView(self)
        self.cart_view.setModel(cart)
        self.cart_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cart_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cart_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cart_view.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside it
        self.cart_view.setAccessibleName(self.tr("Order lines"))
        self.cart_view.setAccessibleDescription(self.tr("Arrow keys move between lines; Delete removes the selected"))
        self.cart_view.installEventFilter(self)
        self.cart_view.verticalHeader().setVisible(False)
        header = self.cart_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.cart_view.doubleClicked.connect(self._on_cart_view_double_clicked)
        self.cart_view.setMinimumHeight(104)  # three lines; more scroll on a small screen
        self.delete_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.cart_view, self._remove_selected_line)
        self.delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)  # Delete in a text field edits the text
        self.cart_error = error_label(self)
        # short words, so the three buttons and their keys fit the order side at 1024 px; the names say more
        self.remove_button = QPushButton(self.tr("Remove"), self)
        show_keys(self.remove_button, "counter", "remove_line", in_text=True)
        self.remove_button.setAccessibleName(self.tr("Remove line"))
        self.remove_button.clicked.connect(self._remove_selected_line)
        self.edit_button = QPushButton(self.tr("Edit"), self)
        show_keys(self.edit_button, "counter", "edit_line", in_text=True)
        self.edit_button.setAccessibleName(self.tr("Edit line"))
        self.edit_button.setShortcut(sequences("counter", "edit_line")[0])
        self.edit_button.clicked.connect(self._edit_selected_line)
        self.clear_button = QPushButton(self.tr("New order"), self)
        show_keys(self.clear_button, "counter", "new_order", in_text=True)
        self.clear_button.clicked.connect(self.new_order_requested)

        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cart_view, 1)
        layout.addWidget(self.cart_error)
        layout.addLayout(buttons)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.cart_view and event.type() == QEvent.Type.FocusIn:
            model = self.cart_view.model()
            if not self.cart_view.selectionModel().selectedRows() and model.rowCount() > 0:
                self.cart_view.selectRow(model.rowCount() - 1)  # the arrows start from the last line added
        return super().eventFilter(watched, event)

    def _selected_row(self) -> int | None:
        rows = self.cart_view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _remove_selected_line(self) -> None:
        row = self._selected_row()
        if row is not None:
            self.remove_requested.emit(row)

    def _edit_selected_line(self) -> None:
        row = self._selected_row()
        if row is not None:
            self.edit_requested.emit(row)

    def _on_cart_view_double_clicked(self, index: Any) -> None:
        self.edit_requested.emit(index.row())
