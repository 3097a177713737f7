"""A discount on the selected order: percentage or amount, on the whole order or one line, with a reason. Above the
store's limit the core answers 403 and a manager approves on this till (`ApprovalDialog`), then it is sent again."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from pos_app.mediation import OperationResult
from pos_app.messages.commands import ApplyDiscountCommand
from pos_app.messages.dtos import OrderDto, StaffDto
from pos_app.ui.formatting import format_money
from pos_app.ui.protocols import Sender
from pos_app.ui.views.approval import ApprovalDialog
from pos_app.ui.views.base import error_label, set_error


class DiscountDialog(QDialog):
    """Await `ask()`: the `ApplyDiscountCommand` the fields make, or None when cancelled."""

    def __init__(self, order: OrderDto, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._order = order
        self.setWindowTitle(self.tr("Discount on order #%1").replace("%1", str(order.order_number)))
        self.setModal(True)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(self.tr("Discount kind"))
        self.kind.addItem(self.tr("Percent (%)"), "percent")
        self.kind.addItem(self.tr("Amount"), "amount")
        self.value = QLineEdit(self)
        self.value.setAccessibleName(self.tr("Discount value"))
        self.value.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,5}([.,]\d{0,2})?"), self))
        self.line = QComboBox(self)
        self.line.setAccessibleName(self.tr("Discount on"))
        self.line.addItem(self.tr("Whole order (%1)").replace("%1", format_money(order.subtotal)), None)
        for item in order.items:
            label = f"{item.quantity} × {item.name}" if item.quantity > 1 else item.name
            self.line.addItem(f"{label} ({format_money(item.price)})", item.index)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName(self.tr("Discount reason"))
        self.reason.setPlaceholderText(self.tr("Why, e.g. regular customer, long wait"))
        self.reason.setMaxLength(200)
        self.error = error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Value"), self.value)
        form.addRow(self.tr("On"), self.line)
        form.addRow(self.tr("Reason"), self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.give_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.give_button.setText(self.tr("Give discount"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.value.setFocus()

    def command(self) -> ApplyDiscountCommand | None:
        try:
            value = Decimal(self.value.text().replace(",", ".")).quantize(Decimal("0.01"))
        except InvalidOperation:
            return None
        percent = self.kind.currentData() == "percent"
        if value <= 0 or (percent and value > 100) or not self.reason.text().strip():
            return None
        fields: dict[str, Any] = {"percent": value} if percent else {"amount": value}
        try:
            return ApplyDiscountCommand(
                order_id=self._order.order_id,
                command_id=uuid.uuid4(),
                line_index=self.line.currentData(),
                reason=self.reason.text().strip(),
                **fields,
            )
        except ValidationError:  # e.g. an amount too large for the field
            return None

    def _on_buttons_accepted(self) -> None:
        if self.command() is None:
            set_error(self.error, self.tr("Enter a value above 0 (a percentage up to 100) and a reason"))
            return
        self.accept()

    async def ask(self) -> ApplyDiscountCommand | None:
        """Open the dialog (never `exec()`) and wait until it closes."""
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
        return self.command() if code == QDialog.DialogCode.Accepted else None


async def send_discount(
    mediator: Sender,
    command: ApplyDiscountCommand,
    managers: list[StaffDto],
    parent: QWidget,
    asking: Callable[[ApprovalDialog], None],
) -> OperationResult[Any] | None:
    """Send the discount; when it needs a manager, ask one on this till (`asking(dialog)` as it opens) and send it
    again with their PIN. None when the approval was cancelled."""
    result: OperationResult[Any] = await mediator.execute_async(command)
    if result.status != 403 or "approver_pin" not in result.errors:
        return result
    dialog = ApprovalDialog(result.error_message or "", managers, parent)
    asking(dialog)
    approval = await dialog.ask()
    if approval is None:
        return None
    approved = command.model_copy(update={"approver_id": approval[0], "approver_pin": approval[1]})
    answer: OperationResult[Any] = await mediator.execute_async(approved)
    return answer
