"""The screens show what the domain allows: each order in an answer comes with the actions the logged-in staff
member may take on it now (`OrderDto.actions`; for a page of the order list `OrderPageDto.actions`, by order id),
and the hand-overs waiting for payment; each kitchen ticket what the kitchen may do to it now
(`KitchenTicketDto.actions`: start cooking, mark ready); a session says whether its role takes orders and cooks.

Like role data (see `role_data.py`) this runs right inside authorization, outside idempotency and the query cache:
a cached answer and a retried command's stored answer are shared by every role, and get the actions of whoever is
logged in when the request is sent. Orders with nothing to do (most of a day's orders are finished) add nothing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pos_app.application.ports import TerminalSession
from pos_app.domain.order_actions import (
    KITCHEN_ACTIONS,
    actions_after_payment,
    allowed_actions,
    may_cook,
    may_take_orders,
)
from pos_app.domain.orders import OrderStatus, OrderType
from pos_app.domain.staff import Role
from pos_app.mediation import NextHandler, OperationResult, PipelineBehavior
from pos_app.messages.dtos import (
    KitchenQueueChangesDto,
    KitchenTicketDto,
    OrderActionsDto,
    OrderDto,
    OrderPageDto,
    OrderSummaryDto,
    SessionDto,
)

NO_ACTIONS = OrderActionsDto()


class OrderActionsBehavior(PipelineBehavior[Any, Any]):
    """Applies to every request: a session comes back from `LoginCommand` and `GetSessionQuery`, which need no role."""

    def __init__(self, session: TerminalSession) -> None:
        self._session = session

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        result: OperationResult[Any] = await next_handler()
        if not result.is_success or result.data is None:
            return result
        staff = self._session.current
        data = with_actions(result.data, staff.role if staff is not None else None)
        return result if data is result.data else OperationResult(result.status, data)


def with_actions(data: Any, role: Role | None) -> Any:
    """`data` with the actions `role` may take on each order in it (none when nobody is logged in)."""
    if isinstance(data, OrderDto) and role is not None:
        found = actions_of(data, role) or NO_ACTIONS
        if (found.actions, found.actions_after_payment) == (data.actions, data.actions_after_payment):
            return data
        return data.model_copy(update={"actions": found.actions, "actions_after_payment": found.actions_after_payment})
    if isinstance(data, OrderPageDto) and role is not None:
        listed = {order.order_id: it for order in data.items if (it := actions_of(order, role)) is not None}
        return data.model_copy(update={"actions": listed}) if listed or data.actions else data
    if isinstance(data, KitchenTicketDto) and role is not None:
        return _ticket_with_actions(data, role)
    if isinstance(data, list) and data and isinstance(data[0], KitchenTicketDto) and role is not None:
        return [_ticket_with_actions(ticket, role) for ticket in data]
    if isinstance(data, KitchenQueueChangesDto) and data.tickets and role is not None:
        return data.model_copy(update={"tickets": [_ticket_with_actions(ticket, role) for ticket in data.tickets]})
    if isinstance(data, SessionDto):
        session_role = Role(data.role)
        return data.model_copy(
            update={"may_take_orders": may_take_orders(session_role), "may_cook": may_cook(session_role)}
        )
    return data


def _ticket_with_actions(ticket: KitchenTicketDto, role: Role) -> KitchenTicketDto:
    """A kitchen ticket with what `role` may do to it (whether it is paid does not matter to the kitchen)."""
    actions = _kitchen_actions(OrderStatus(ticket.status), OrderType(ticket.order_type), role)
    return ticket if actions == ticket.actions else ticket.model_copy(update={"actions": actions})


@cache
def _kitchen_actions(status: OrderStatus, order_type: OrderType, role: Role) -> tuple[str, ...]:
    return tuple(sorted(allowed_actions(status, order_type, False, role) & KITCHEN_ACTIONS))


def actions_of(order: OrderDto | OrderSummaryDto, role: Role) -> OrderActionsDto | None:
    """What `role` may do to `order` from the order screens (the kitchen's actions are on its tickets); None when
    nothing."""
    taken = order.paid or (isinstance(order, OrderDto) and order.amount_paid > 0)  # a list row knows `paid` only
    return _actions(OrderStatus(order.status), OrderType(order.order_type), order.paid, role, taken)


@cache
def _actions(
    status: OrderStatus, order_type: OrderType, paid: bool, role: Role, money_taken: bool
) -> OrderActionsDto | None:
    actions = tuple(sorted(allowed_actions(status, order_type, paid, role, money_taken) - KITCHEN_ACTIONS))
    waiting = tuple(sorted(actions_after_payment(status, order_type, paid, role)))
    return OrderActionsDto(actions=actions, actions_after_payment=waiting) if actions or waiting else None
