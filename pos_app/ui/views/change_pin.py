"""Change PIN: the logged-in staff member gives their current PIN and the new one twice."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos_app.messages.commands import ChangePinCommand
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import async_slot
from pos_app.ui.views.base import error_label, set_error


class ChangePinDialog(QDialog):
    """Open it with `open()`. It sends `ChangePinCommand` and closes (accepted) only once the PIN was changed;
    a refusal shows its message under the field it concerns."""

    def __init__(self, mediator: Sender, staff_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self._busy = False
        self.setWindowTitle(self.tr("Change PIN"))
        self.setModal(True)
        heading = QLabel(self.tr("New PIN for {name}").format(name=staff_name), self)
        heading.setObjectName("heading")
        self.current_pin = self._pin_field(self.tr("Current PIN"))
        self.new_pin = self._pin_field(self.tr("New PIN (4 to 8 digits)"))
        self.repeat_pin = self._pin_field(self.tr("New PIN again"))
        self.current_pin_error = error_label(self)
        self.new_pin_error = error_label(self)
        self.repeat_pin_error = error_label(self)
        self.error = error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("Current PIN"), self.current_pin)
        form.addRow("", self.current_pin_error)
        form.addRow(self.tr("New PIN"), self.new_pin)
        form.addRow("", self.new_pin_error)
        form.addRow(self.tr("New PIN again"), self.repeat_pin)
        form.addRow("", self.repeat_pin_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.change_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.change_button.setText(self.tr("Change PIN"))
        self.change_button.setObjectName("primary")
        self.change_button.clicked.connect(self._on_change_button_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.current_pin.setFocus()

    def _pin_field(self, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMaxLength(8)
        field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), field))
        field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        field.setAccessibleName(name)
        return field

    def _clear_errors(self) -> None:
        for label in (self.current_pin_error, self.new_pin_error, self.repeat_pin_error, self.error):
            set_error(label, None)

    @async_slot()
    async def _on_change_button_clicked(self) -> None:
        if self._busy:
            return
        self._clear_errors()
        if self.new_pin.text() != self.repeat_pin.text():
            set_error(self.repeat_pin_error, self.tr("The two new PINs differ"))
            return
        self._busy = True
        self.change_button.setEnabled(False)
        try:
            result = await self._mediator.execute_async(
                ChangePinCommand(current_pin=self.current_pin.text(), new_pin=self.new_pin.text())
            )
        finally:
            self._busy = False
            self.change_button.setEnabled(True)
        if result.is_success:
            self.accept()
            return
        labels = {"current_pin": self.current_pin_error, "new_pin": self.new_pin_error}
        shown = False
        for field, texts in result.errors.items():
            label = labels.get(field)
            if label is not None:
                set_error(label, " ".join(texts))
                shown = True
        if "current_pin" in result.errors or not shown:
            set_error(self.error, result.error_message)
        self.current_pin.clear()
