"""The kitchen's own commands: acknowledging a ticket's notice (CANCELLED, CHANGED)."""

from __future__ import annotations

from pos_app.application.ports import Clock, RequestContext, UnitOfWork
from pos_app.domain.kitchen import acknowledge_notice
from pos_app.mediation import CommandHandler, OperationResult
from pos_app.messages.commands import AcknowledgeKitchenNoticeCommand


class AcknowledgeKitchenNoticeHandler(CommandHandler[AcknowledgeKitchenNoticeCommand, OperationResult[None]]):
    """The kitchen saw the notice: records `KitchenNoticeAcknowledgedEvent` (the kitchen queue then lets a cancelled
    ticket go, or clears a changed one's notice). A ticket without a notice is a 409, nothing written."""

    def __init__(self, uow: UnitOfWork, clock: Clock, context: RequestContext) -> None:
        self._uow = uow
        self._clock = clock
        self._context = context

    async def handle_async(self, request: AcknowledgeKitchenNoticeCommand) -> OperationResult[None]:
        order = await self._uow.orders.get(request.order_id)
        if order is None:
            return self.not_found(f"There is no order {request.order_id}")
        notice = await self._uow.orders.kitchen_notice(order.id)
        event = acknowledge_notice(order.id, order.number, notice, self._clock.now(), self._context.staff_id)
        self._uow.record([event])
        return self.ok(None)
