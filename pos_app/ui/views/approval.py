"""A manager's approval on this till: a small dialog asks for the manager and their PIN, without logging anyone out.

The dialog only collects them; the view sends the command with `approver_id` and `approver_pin` and shows the answer.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.messages.dtos import StaffDto


class ApprovalDialog(QDialog):
    """Await `ask()`: the chosen manager's id and the PIN typed, or None when cancelled."""

    def __init__(self, what: str, managers: list[StaffDto], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Manager approval"))
        self.setModal(True)
        heading = QLabel(what, self)
        heading.setObjectName("heading")
        heading.setWordWrap(True)
        self.manager = QComboBox(self)
        self.manager.setAccessibleName(self.tr("Manager"))
        for member in managers:
            self.manager.addItem(member.name, member.id)
        self.pin = QLineEdit(self)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), self.pin))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.setAccessibleName(self.tr("Manager's PIN"))
        form = QFormLayout()
        form.addRow(self.tr("Manager"), self.manager)
        form.addRow(self.tr("PIN"), self.pin)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.approve_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.approve_button.setText(self.tr("Approve"))
        self.approve_button.setObjectName("primary")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.pin.returnPressed.connect(self.approve_button.click)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.pin.setFocus()

    async def ask(self) -> tuple[str, str] | None:
        """Open the dialog (never `exec()`: the event loop keeps running) and wait until it closes."""
        answer: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def closed(code: int) -> None:
            if not answer.done():
                answer.set_result(code)

        self.finished.connect(closed)
        self.open()
        try:
            code = await answer
        finally:
            self.finished.disconnect(closed)
        manager_id = self.manager.currentData()
        pin = self.pin.text()
        self.pin.clear()
        if code != QDialog.DialogCode.Accepted or not isinstance(manager_id, str) or not pin:
            return None
        return manager_id, pin
