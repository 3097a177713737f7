"""Handlers of the commands that place and move orders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from pos_app.application.approvals import Approver, ManagerApproval
from pos_app.application.mapping import amount, order_dto, order_placed_dto
from pos_app.application.ports import Clock, RequestContext, StoreTime, UnitOfWork
from pos_app.config import Settings
from pos_app.domain.cancel_reasons import cancel_reason_text
from pos_app.domain.intake import LineChoice, OrderIntake, StoreTerms
from pos_app.domain.kitchen import KitchenLoad, check_capacity
from pos_app.domain.money import Money
from pos_app.domain.orders import FINAL_STATUSES, Order, OrderStatus, OrderType, PaymentMethod
from pos_app.domain.staff import Role
from pos_app.mediation import Command, CommandHandler, OperationResult
from pos_app.messages.commands import (
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    CloseLeftOpenOrderCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PlaceOrderCommand,
    ProcessPaymentCommand,
    StartCookingCommand,
)
from pos_app.messages.dtos import OrderDto, OrderPlacedDto

TCommand = TypeVar("TCommand", bound=Command[Any])


class PlaceOrderHandler(CommandHandler[PlaceOrderCommand, OperationResult[OrderPlacedDto]]):
    def __init__(
        self, uow: UnitOfWork, clock: Clock, settings: Settings, store_time: StoreTime, context: RequestContext
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._settings = settings
        self._store_time = store_time
        self._context = context

    async def handle_async(self, request: PlaceOrderCommand) -> OperationResult[OrderPlacedDto]:
        now = self._clock.now()
        business_date = self._store_time.business_date(now)
        menu, load, number = await self._uow.orders.placing_reads(business_date)
        allergies = [item.allergies for item in request.pizza_items]
        intake = OrderIntake.of(request.customer_phone, line_choices(request), menu, quantities(request), allergies)
        settings = self._settings
        check_capacity(load, len(intake.kitchen_minutes), settings.kitchen, request.accept_kitchen_wait)
        order = place_from_command(intake, request, number, business_date, load, settings, now, self._context.staff_id)
        self._uow.orders.add(order)
        return self.created(order_placed_dto(order))


def line_choices(request: PlaceOrderCommand) -> list[LineChoice]:
    """The command's lines as the domain's plain `(item id, size, topping ids, notes)`."""
    return [(i.pizza_id, i.size, i.toppings, i.special_instructions) for i in request.pizza_items]


def quantities(request: PlaceOrderCommand) -> list[int]:
    """How many of each line the command asks for."""
    return [i.quantity for i in request.pizza_items]


def place_from_command(
    intake: OrderIntake,
    request: PlaceOrderCommand,
    number: int,
    business_date: date,
    load: KitchenLoad,
    settings: Settings,
    now: datetime,
    staff_id: str | None,
) -> Order:
    """The order `intake` makes from the command's own fields; the handler and the bulk history writer
    (pos_app/tools/history.py) both place orders through it."""
    return intake.make_order(
        order_id=request.order_id,
        number=number,
        business_date=business_date,
        order_type=OrderType(request.order_type),
        customer_name=request.customer_name,
        customer_address=request.customer_address,
        payment_method=PaymentMethod(request.payment_method),
        amount_tendered=amount(request.amount_tendered, "amount_tendered"),
        load=load,
        terms=store_terms(settings),
        now=now,
        staff_id=staff_id,
        table_number=request.table_number,
        covers=request.covers,
    )


def store_terms(settings: Settings) -> StoreTerms:
    """The settings' terms for a new order."""
    return StoreTerms(tax=settings.tax, delivery_fee=Money(settings.delivery_fee_cents), kitchen=settings.kitchen)


class OrderChangeHandler(CommandHandler[TCommand, OperationResult[OrderDto]]):
    """Loads the order, applies one domain change as the request's staff member, returns the order."""

    __abstract_handler__ = True

    def __init__(self, uow: UnitOfWork, clock: Clock, context: RequestContext) -> None:
        self._uow = uow
        self._clock = clock
        self._context = context

    async def _change(
        self, order_id: UUID, change: Callable[[Order, datetime, str | None], None], *, drivers_own_only: bool = False
    ) -> OperationResult[OrderDto]:
        order = await self._uow.orders.get(order_id)
        if order is None:
            return self.not_found(f"There is no order {order_id}")
        if drivers_own_only and self._context.role is Role.DRIVER and not self._is_drivers_own(order):
            return self.forbidden(
                f"Order #{order.number} is not a delivery assigned to you: only its driver, the counter or a manager"
                " may do this"
            )
        change(order, self._clock.now(), self._context.staff_id)
        return self.ok(order_dto(order))

    def _is_drivers_own(self, order: Order) -> bool:
        """A driver acts only on a delivery assigned to them (`AssignOrderToDeliveryCommand`)."""
        return order.order_type is OrderType.DELIVERY and order.driver_id == self._context.staff_id


class StartCookingHandler(OrderChangeHandler[StartCookingCommand]):
    async def handle_async(self, request: StartCookingCommand) -> OperationResult[OrderDto]:
        return await self._change(request.order_id, Order.start_cooking)


class MarkPizzaReadyHandler(OrderChangeHandler[MarkPizzaReadyCommand]):
    async def handle_async(self, request: MarkPizzaReadyCommand) -> OperationResult[OrderDto]:
        return await self._change(
            request.order_id, lambda order, now, staff: order.mark_item_ready(request.pizza_index, now, staff)
        )


class MarkOrderPickedUpHandler(OrderChangeHandler[MarkOrderPickedUpCommand]):
    async def handle_async(self, request: MarkOrderPickedUpCommand) -> OperationResult[OrderDto]:
        return await self._change(request.order_id, Order.mark_picked_up)


class AssignOrderToDeliveryHandler(OrderChangeHandler[AssignOrderToDeliveryCommand]):
    async def handle_async(self, request: AssignOrderToDeliveryCommand) -> OperationResult[OrderDto]:
        driver = await self._uow.staff.get(request.driver_id)
        if driver is None or not driver.active or driver.role not in (Role.DRIVER, Role.MANAGER):
            return self.validation_error({"driver_id": [f"'{request.driver_id}' is not one of our drivers"]})
        return await self._change(
            request.order_id, lambda order, now, staff: order.assign_to_delivery(driver.id, now, staff)
        )


class MarkOrderDeliveredHandler(OrderChangeHandler[MarkOrderDeliveredCommand]):
    async def handle_async(self, request: MarkOrderDeliveredCommand) -> OperationResult[OrderDto]:
        return await self._change(request.order_id, Order.mark_delivered, drivers_own_only=True)


class CancelOrderHandler(OrderChangeHandler[CancelOrderCommand]):
    """Counter staff cancel a pending unpaid order; a refund (a paid order) or a later cancel needs a manager, or a
    manager's approval on this till (`approver_id`, `approver_pin`). The event names both."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        context: RequestContext,
        store_time: StoreTime,
        approval: ManagerApproval,
    ) -> None:
        super().__init__(uow, clock, context)
        self._store_time = store_time
        self._approval = approval

    async def handle_async(self, request: CancelOrderCommand) -> OperationResult[OrderDto]:
        role = self._context.role or Role.COUNTER
        order = await self._uow.orders.get(request.order_id)
        if order is None:
            return self.not_found(f"There is no order {request.order_id}")
        reason = cancel_reason_text(
            request.reason_code, request.reason
        )  # before a PIN is checked: a 400 writes nothing
        approver: tuple[str, str] | None = None
        refunds = order.paid_cents > 0  # money taken (an edit may have left a paid order with a balance due)
        needs_manager = refunds or order.status is not OrderStatus.PENDING
        asks_approval = request.approver_id is not None or request.approver_pin is not None
        if role is not Role.MANAGER and needs_manager and asks_approval and order.status not in FINAL_STATUSES:
            action = f"Refunding order #{order.number}" if refunds else f"Cancelling order #{order.number}"
            checked = await self._approval.check(request.approver_id, request.approver_pin, action)
            if not isinstance(checked, Approver):
                return OperationResult.failure(checked.status, checked.error_message or "", checked.errors)
            approver = (checked.staff_id, checked.name)
        now = self._clock.now()
        staff = self._context.staff
        order.cancel(
            reason,
            role,
            now,
            self._context.staff_id,
            business_date=self._store_time.business_date(now),
            staff_name=staff.name if staff else None,
            approver=approver,
            reason_code=request.reason_code,
        )
        return self.ok(order_dto(order))


class ProcessPaymentHandler(OrderChangeHandler[ProcessPaymentCommand]):
    async def handle_async(self, request: ProcessPaymentCommand) -> OperationResult[OrderDto]:
        tendered = amount(request.amount_tendered, "amount_tendered")
        method = PaymentMethod(request.payment_method)
        return await self._change(
            request.order_id,
            lambda order, now, staff: order.process_payment(method, tendered, now, staff),
            drivers_own_only=True,
        )


class CloseLeftOpenOrderHandler(OrderChangeHandler[CloseLeftOpenOrderCommand]):
    def __init__(self, uow: UnitOfWork, clock: Clock, context: RequestContext, store_time: StoreTime) -> None:
        super().__init__(uow, clock, context)
        self._store_time = store_time

    async def handle_async(self, request: CloseLeftOpenOrderCommand) -> OperationResult[OrderDto]:
        today = self._store_time.business_date(self._clock.now())
        return await self._change(
            request.order_id,
            lambda order, now, staff: order.close_left_open(request.outcome, request.reason, today, now, staff),
        )
