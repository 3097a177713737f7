"""The Orders screen's commands: picked up, out for delivery, delivered, take payment, cancel (with a manager's
approval when the answer asks for one), each about the order the click was for.

A click locks every action at once (`busy_changed(True)`, before its command is sent: no double submit) until the
command is answered and, on success, the screen shows its outcome (`settle`). A failure shows its message next to
the field it names, or under the actions; nothing else changes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from pos_app.mediation import OperationResult, Request
from pos_app.messages.commands import (
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    ProcessPaymentCommand,
)
from pos_app.messages.dtos import OrderDto, OrderSummaryDto, StaffDto
from pos_app.ui.formatting import format_money
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import async_slot
from pos_app.ui.views.approval import ApprovalDialog
from pos_app.ui.views.base import set_error, show_result_error
from pos_app.ui.views.orders.action_bar import OrderActionBar
from pos_app.ui.views.orders.cancel_panel import CancelPanel
from pos_app.ui.views.orders.payment_panel import PaymentPanel

OrderLike = OrderSummaryDto | OrderDto


class OrderCommands(QObject):
    busy_changed = Signal(bool)

    def __init__(
        self,
        mediator: Sender,
        screen: QWidget,
        *,
        actions: OrderActionBar,
        payment: PaymentPanel,
        cancel: CancelPanel,
        error: QLabel,
        change_banner: QLabel,
        target: Callable[[], OrderLike | None],
        settle: Callable[[UUID], Awaitable[None]],
        staff: Callable[[], list[StaffDto]],
    ) -> None:
        super().__init__(screen)
        self._mediator = mediator
        self._screen = screen
        self._actions, self._payment, self._cancel = actions, payment, cancel
        self._error, self._change_banner = error, change_banner
        self._target, self._settle, self._staff = target, settle, staff
        self._command_target: OrderLike | None = None
        self.approval_dialog: ApprovalDialog | None = None
        for button in (*actions.next_step_buttons, payment.confirm_button, cancel.confirm_button):
            button.clicked.connect(self._on_command_button_clicked)  # first: lock the actions (no double submit)
        actions.picked_up_button.clicked.connect(self._on_picked_up_button_clicked)
        actions.out_for_delivery_button.clicked.connect(self._on_out_for_delivery_button_clicked)
        actions.delivered_button.clicked.connect(self._on_delivered_button_clicked)
        payment.confirm_button.clicked.connect(self._on_confirm_payment_button_clicked)
        cancel.confirm_button.clicked.connect(self._on_confirm_cancel_button_clicked)

    def clear_errors(self) -> None:
        for label in (self._error, self._payment.tendered_error, self._cancel.reason_error, self._actions.driver_error):
            set_error(label, None)

    def _on_command_button_clicked(self) -> None:
        """Runs first on every command button's click, before its async slot: lock all actions at once and
        remember which order the click was for, so a second click cannot send the command twice."""
        self._command_target = self._target()
        self.busy_changed.emit(True)

    @asynccontextmanager
    async def _command(self) -> AsyncIterator[OrderLike | None]:
        try:
            yield self._command_target
        finally:
            self._command_target = None
            self.busy_changed.emit(False)

    @async_slot()
    async def _on_picked_up_button_clicked(self) -> None:
        async with self._command() as order:
            if order is not None:
                await self._execute(order.order_id, MarkOrderPickedUpCommand(order_id=order.order_id))

    @async_slot()
    async def _on_out_for_delivery_button_clicked(self) -> None:
        async with self._command() as order:
            driver_id = self._actions.driver_combo.currentData()
            if order is None:
                return
            if not isinstance(driver_id, str):
                set_error(self._actions.driver_error, self.tr("Choose a driver"))
                return
            await self._execute(
                order.order_id, AssignOrderToDeliveryCommand(order_id=order.order_id, driver_id=driver_id)
            )

    @async_slot()
    async def _on_delivered_button_clicked(self) -> None:
        async with self._command() as order:
            if order is not None:
                await self._execute(order.order_id, MarkOrderDeliveredCommand(order_id=order.order_id))

    @async_slot()
    async def _on_confirm_payment_button_clicked(self) -> None:
        async with self._command() as order:
            if order is None:
                return
            cash = self._payment.method == "cash"
            amount = self._payment.tendered()
            if cash and amount is None:
                return
            command = ProcessPaymentCommand(
                order_id=order.order_id, payment_method="cash" if cash else "card", amount_tendered=amount
            )
            result = await self._execute(order.order_id, command)
            if result is not None and result.data is not None:
                self._payment.setVisible(False)
                self._show_change(result.data)

    @async_slot()
    async def _on_confirm_cancel_button_clicked(self) -> None:
        async with self._command() as order:
            if order is None:
                return
            command = CancelOrderCommand(
                order_id=order.order_id,
                reason=self._cancel.reason.text().strip(),
                reason_code=self._cancel.reason_code,  # type: ignore[arg-type]
            )
            result = await self._mediator.execute_async(command)
            if result.status == 403 and "approver_pin" in result.errors:
                self._show_failure(result)
                managers = [member for member in self._staff() if member.role == "manager"]
                self.approval_dialog = ApprovalDialog(result.error_message or "", managers, self._screen)
                approval = await self.approval_dialog.ask()
                if approval is None:
                    return
                approved = command.model_copy(update={"approver_id": approval[0], "approver_pin": approval[1]})
                result = await self._mediator.execute_async(approved)
            if await self._answered(order.order_id, result) is not None:
                self._cancel.setVisible(False)

    async def _execute(
        self, order_id: UUID, request: Request[OperationResult[OrderDto]]
    ) -> OperationResult[OrderDto] | None:
        """Send a command about the order. A failure shows its message (fields next to their field) and changes
        nothing; a success waits until the screen shows it."""
        return await self._answered(order_id, await self._mediator.execute_async(request))

    async def _answered(self, order_id: UUID, result: OperationResult[OrderDto]) -> OperationResult[OrderDto] | None:
        self.clear_errors()
        if not result.is_success:
            self._show_failure(result)
            return None
        await self._settle(order_id)
        return result

    def _show_failure(self, result: OperationResult[Any]) -> None:
        fields: dict[str, tuple[QLabel, QWidget]] = {
            "amount_tendered": (self._payment.tendered_error, self._payment),
            "payment_method": (self._payment.tendered_error, self._payment),
            "reason": (self._cancel.reason_error, self._cancel),
            "reason_code": (self._cancel.reason_error, self._cancel),
            "driver_id": (self._actions.driver_error, self._actions.driver_combo),
        }
        unplaced = False
        for field, messages in result.errors.items():
            label, owner = fields.get(field, (None, None))
            if label is not None and owner is not None and owner.isVisibleTo(self._screen):
                set_error(label, " ".join(messages))
            else:
                unplaced = True
        if unplaced or not result.errors:
            show_result_error(self._error, result)

    def _show_change(self, order: OrderDto) -> None:
        if order.payment_method == "cash" and order.change_due is not None:
            text = f"Paid in cash. Change due: {format_money(order.change_due)}"
        else:
            text = f"Paid by {order.payment_method}."
        self._change_banner.setText(text)
        self._change_banner.setVisible(True)
