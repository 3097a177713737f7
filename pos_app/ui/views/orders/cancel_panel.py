"""Cancelling the selected order, with a reason. The screen sends the command when `confirm_button` is clicked (and
asks for a manager's approval when the answer needs one); Keep it or Esc closes the panel (`closed`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from pos_app.messages.dtos import OrderDto, OrderSummaryDto
from pos_app.ui.views.base import error_label


class CancelPanel(QFrame):
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # the order's detail gives way
        self.heading = QLabel(self)
        self.heading.setObjectName("sectionHeading")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Reason, e.g. customer changed their mind"))
        self.reason.setMaxLength(200)
        self.reason.setAccessibleName(self.tr("Reason for cancelling"))
        self.reason_error = error_label(self)
        self.confirm_button = QPushButton(self.tr("Cancel the order"), self)
        self.confirm_button.setObjectName("primary")
        self.keep_button = QPushButton(self.tr("Keep it"), self)
        self.keep_button.clicked.connect(self._on_keep_button_clicked)
        self.reason.returnPressed.connect(self.confirm_button.click)
        self.keep_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.keep_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.keep_shortcut.activated.connect(self.keep_button.click)

        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button, 1)
        buttons.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.reason)
        layout.addWidget(self.reason_error)
        layout.addLayout(buttons)
        self.setVisible(False)

    def set_order(self, order: OrderSummaryDto | OrderDto) -> None:
        self.heading.setText(f"Why cancel order #{order.order_number}?")

    def open(self) -> None:
        self.reason.clear()
        self.setVisible(True)

    def focus_field(self) -> None:
        self.reason.setFocus()

    def set_idle(self, idle: bool) -> None:
        for widget in (self.confirm_button, self.keep_button, self.reason):
            widget.setEnabled(idle)

    def _on_keep_button_clicked(self) -> None:
        self.setVisible(False)
        self.closed.emit()
