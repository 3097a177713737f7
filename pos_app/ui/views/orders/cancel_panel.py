"""Cancelling the selected order, with a reason: one from the short list (`reason_code`) and/or free text (`reason`;
"Other" needs it). The panel is the confirmation: the screen sends the command only when `confirm_button` is clicked
(and asks for a manager's approval when the answer needs one); Keep it or Esc closes the panel (`closed`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos_app.messages.dtos import OrderDto, OrderSummaryDto
from pos_app.ui.views.base import error_label

REASONS = (
    ("changed_mind", "Customer changed their mind"),
    ("waited_too_long", "Waited too long"),
    ("wrong_order", "Wrong order"),
    ("duplicate", "Duplicate order"),
    ("other", "Other (say what)"),
)
"""The reason codes `CancelOrderCommand.reason_code` takes, in the words the counter reads."""


class CancelPanel(QFrame):
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # the order's detail gives way
        self.heading = QLabel(self)
        self.heading.setObjectName("sectionHeading")
        self.heading.setWordWrap(True)  # a long customer name wraps in the narrow detail pane
        self.reason_choice = QComboBox(self)
        self.reason_choice.setAccessibleName(self.tr("Reason"))
        self.reason_choice.addItem(self.tr("Choose a reason…"), None)
        for code, label in REASONS:
            self.reason_choice.addItem(self.tr(label), code)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName(self.tr("Reason details"))
        self.reason.setPlaceholderText(self.tr("Details (needed for Other), e.g. pizza for the wrong table"))
        self.reason.setMaxLength(200)
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
        layout.addWidget(self.reason_choice)
        layout.addWidget(self.reason)
        layout.addWidget(self.reason_error)
        layout.addLayout(buttons)
        self.setVisible(False)

    def set_order(self, order: OrderSummaryDto | OrderDto) -> None:
        self.heading.setText(f"Cancel order #{order.order_number} for {order.customer_name}? Why?")

    @property
    def reason_code(self) -> str | None:
        code = self.reason_choice.currentData()
        return code if isinstance(code, str) else None

    def open(self) -> None:
        self.reason.clear()
        self.reason_choice.setCurrentIndex(0)
        self.setVisible(True)

    def focus_field(self) -> None:
        self.reason_choice.setFocus()

    def set_idle(self, idle: bool) -> None:
        for widget in (self.confirm_button, self.keep_button, self.reason, self.reason_choice):
            widget.setEnabled(idle)

    def _on_keep_button_clicked(self) -> None:
        self.setVisible(False)
        self.closed.emit()
