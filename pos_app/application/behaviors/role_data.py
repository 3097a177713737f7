"""Sales figures are the manager's: kitchen and driver sessions get no money in what they read.

Decided per answer type, so every request that returns orders is covered: order totals, line prices, tax, tendered
cash and change, customers' spending and pizzas' revenue become 0 (or None where the field may be empty) for the
kitchen and drivers. A driver keeps the money of a delivery assigned to them: the amount due is what they collect
at the door. Menu prices (`GetMenuQuery`) and a cart's quote (`PriceOrderQuery`, priced from the menu alone) are the
prices on the printed menu and stay. Customers' lifetime spending (`GetCustomerQuery`, `GetOrderHistoryQuery`) is
refused to those roles by the role rules; the daily sales and kitchen reports are the manager's alone.

This runs right inside authorization, outside idempotency and the query cache: a cached answer and a retried
command's stored answer are shared by every role, and are filtered on each request by the role of whoever is logged
in when it is sent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from pos_app.application.ports import SignedInStaff, TerminalSession
from pos_app.domain.staff import Role
from pos_app.mediation import NextHandler, OperationResult, PipelineBehavior
from pos_app.messages.dtos import (
    CustomerDto,
    OrderDto,
    OrderHistoryDto,
    OrderItemDto,
    OrderPageDto,
    OrderPlacedDto,
    OrderSummaryDto,
    PopularPizzaDto,
)
from pos_app.messages.types import RequiresRole

NO_MONEY = Decimal("0.00")
WITHOUT_SALES_DATA = frozenset({Role.KITCHEN, Role.DRIVER})


class RoleDataBehavior(PipelineBehavior[Any, Any]):
    applies_to: ClassVar[tuple[type[Any], ...]] = (RequiresRole,)

    def __init__(self, session: TerminalSession) -> None:
        self._session = session

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        staff = self._session.current
        result: OperationResult[Any] = await next_handler()
        if staff is None or staff.role not in WITHOUT_SALES_DATA or not result.is_success or result.data is None:
            return result
        data = without_money(result.data, staff)
        return result if data is result.data else OperationResult(result.status, data)


def without_money(data: Any, staff: SignedInStaff) -> Any:
    """`data` as a kitchen or driver session may see it."""
    if isinstance(data, list):
        items = [without_money(item, staff) for item in data]
        return data if all(new is old for new, old in zip(items, data, strict=True)) else items
    if isinstance(data, OrderDto):
        if _drivers_own(data.driver_id, data.order_type, staff):
            return data
        return data.model_copy(
            update={
                "items": [_item_without_money(item) for item in data.items],
                "subtotal": NO_MONEY,
                "delivery_fee": NO_MONEY,
                "tax": NO_MONEY,
                "total_amount": NO_MONEY,
                "amount_tendered": None,
                "change_due": None,
                "amount_paid": NO_MONEY,
                "balance_due": NO_MONEY,
            }
        )
    if isinstance(data, OrderSummaryDto):
        if _drivers_own(data.driver_id, data.order_type, staff):
            return data
        return data.model_copy(update={"total_amount": NO_MONEY})
    if isinstance(data, OrderPageDto):
        return data.model_copy(update={"items": without_money(data.items, staff)})
    if isinstance(data, PopularPizzaDto):
        return data.model_copy(update={"revenue": NO_MONEY})
    if isinstance(data, OrderPlacedDto):
        return data.model_copy(update={"total_amount": NO_MONEY, "tax_amount": NO_MONEY, "change_due": None})
    if isinstance(data, CustomerDto):
        return data.model_copy(update={"total_spent": NO_MONEY})
    if isinstance(data, OrderHistoryDto):
        return data.model_copy(update={"total_spent": NO_MONEY, "orders": without_money(data.orders, staff)})
    return data


def _item_without_money(item: OrderItemDto) -> OrderItemDto:
    return item.model_copy(update={"price": NO_MONEY})


def _drivers_own(driver_id: str | None, order_type: str, staff: SignedInStaff) -> bool:
    return staff.role is Role.DRIVER and order_type == "delivery" and driver_id == staff.staff_id
