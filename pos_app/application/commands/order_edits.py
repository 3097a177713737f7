"""Handlers of the commands that change what a placed order is: editing it (and, later, its discounts)."""

from __future__ import annotations

from pos_app.application.approvals import Approver, ManagerApproval
from pos_app.application.commands.orders import OrderChangeHandler, store_terms
from pos_app.application.mapping import amount, order_dto
from pos_app.application.ports import Clock, RequestContext, StoreTime, UnitOfWork
from pos_app.config import Settings
from pos_app.domain.customers import normalize_phone
from pos_app.domain.discount_rules import kept_after_edit
from pos_app.domain.discounts import apply_discount, discount_for, over_limit
from pos_app.domain.intake import price_lines
from pos_app.domain.money import Money
from pos_app.domain.order_edits import OrderChanges, edit_order, may_edit
from pos_app.domain.orders import OrderItem, OrderType
from pos_app.domain.staff import Role
from pos_app.mediation import OperationResult
from pos_app.messages.commands import ApplyDiscountCommand, EditOrderCommand
from pos_app.messages.dtos import OrderDto


class EditOrderHandler(OrderChangeHandler[EditOrderCommand]):
    """Prices the new lines on today's menu as placing does, then lets the order settle the difference."""

    def __init__(
        self, uow: UnitOfWork, clock: Clock, context: RequestContext, settings: Settings, store_time: StoreTime
    ) -> None:
        super().__init__(uow, clock, context)
        self._settings = settings
        self._store_time = store_time

    async def handle_async(self, request: EditOrderCommand) -> OperationResult[OrderDto]:
        order = await self._uow.orders.get(request.order_id)
        if order is None:
            return self.not_found(f"There is no order {request.order_id}")
        if request.expected_version is not None and request.expected_version != order.version:
            return self.conflict(f"Order #{order.number} was changed meanwhile: look at it again, then edit it")
        if normalize_phone(request.customer_phone) != order.customer.phone:
            return self.validation_error(
                {"customer_phone": ["The phone is who the customer is: cancel and place a new order to change it"]}
            )
        menu = await self._uow.menu.get_menu()
        choices = [(i.pizza_id, i.size, i.toppings, i.special_instructions) for i in request.pizza_items]
        quantities = [i.quantity for i in request.pizza_items]
        allergies = [i.allergies for i in request.pizza_items]
        lines = price_lines(choices, menu, quantities, allergies) if choices else []
        changes = OrderChanges(
            lines=lines,
            order_type=OrderType(request.order_type),
            customer_name=request.customer_name,
            customer_address=request.customer_address,
            table_number=request.table_number,
            covers=request.covers,
        )
        kept = kept_after_edit(order.discount, [OrderItem.from_line(line) for line in lines])
        limit = self._settings.discount_limit_percent
        subtotal = sum(line.price.cents for line in lines)
        before = order.discount
        if kept is not None and before is not None and over_limit(kept, subtotal, limit):
            # within the limit on the order before, it may be past it on a smaller order; a manager's approval
            # stands for the share of the order approved, not more
            grew = kept.cents * order.subtotal_cents > before.cents * subtotal
            if (kept.approver_id is None or grew) and self._context.role is not Role.MANAGER:
                return self.forbidden(
                    f"With these changes the discount of {Money(kept.cents)} is over {limit}% of order "
                    f"#{order.number}: only a manager can make this change"
                )
        now = self._clock.now()
        terms = store_terms(self._settings)
        edit_order(
            order,
            changes,
            tax=terms.tax,
            delivery_fee=terms.delivery_fee,
            business_date=self._store_time.business_date(now),
            now=now,
            staff_id=self._context.staff_id,
        )
        return self.ok(order_dto(order))


class ApplyDiscountHandler(OrderChangeHandler[ApplyDiscountCommand]):
    """A discount within the store's limit by counter staff; above it, a manager or a manager's approval."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        context: RequestContext,
        settings: Settings,
        store_time: StoreTime,
        approval: ManagerApproval,
    ) -> None:
        super().__init__(uow, clock, context)
        self._settings = settings
        self._store_time = store_time
        self._approval = approval

    async def handle_async(self, request: ApplyDiscountCommand) -> OperationResult[OrderDto]:
        order = await self._uow.orders.get(request.order_id)
        if order is None:
            return self.not_found(f"There is no order {request.order_id}")
        if not may_edit(order.status):
            return self.conflict(f"Order #{order.number} is {order.status.value}: it can no longer be discounted")
        fixed = amount(request.amount, "amount")
        percent = None if request.percent is None else int(request.percent * 100)
        discount = discount_for(
            order.items,
            reason=request.reason,
            percent_basis_points=percent,
            fixed_cents=fixed.cents if fixed is not None else None,
            line_index=request.line_index,
        )
        approver: tuple[str, str] | None = None
        limit = self._settings.discount_limit_percent
        if over_limit(discount, order.subtotal_cents, limit) and self._context.role is not Role.MANAGER:
            what = f"A discount of {Money(discount.cents)} (over {limit}% of order #{order.number})"
            checked = await self._approval.check(request.approver_id, request.approver_pin, what)
            if not isinstance(checked, Approver):
                return OperationResult.failure(checked.status, checked.error_message or "", checked.errors)
            approver = (checked.staff_id, checked.name)
        now = self._clock.now()
        terms = store_terms(self._settings)
        apply_discount(
            order,
            discount,
            tax=terms.tax,
            delivery_fee=terms.delivery_fee,
            business_date=self._store_time.business_date(now),
            now=now,
            staff_id=self._context.staff_id,
            approver=approver,
        )
        return self.ok(order_dto(order))
