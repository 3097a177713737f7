"""Queries answered from the write model."""

from __future__ import annotations

from pos_app.application.mapping import amount, menu_item_dto, money, order_dto
from pos_app.application.ports import StoreInfo, TerminalSession, UnitOfWork
from pos_app.config import Settings
from pos_app.domain.intake import price_lines
from pos_app.domain.money import Money, order_totals
from pos_app.mediation import OperationResult, QueryHandler
from pos_app.messages.dtos import (
    MenuItemDto,
    OrderDto,
    OrderQuoteDto,
    QuoteLineDto,
    SessionDto,
    StaffDto,
    StoreInfoDto,
)
from pos_app.messages.queries import (
    GetMenuQuery,
    GetOrderByIdQuery,
    GetSessionQuery,
    GetStaffQuery,
    GetStoreInfoQuery,
    PriceOrderQuery,
)


class GetMenuHandler(QueryHandler[GetMenuQuery, OperationResult[list[MenuItemDto]]]):
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def handle_async(self, request: GetMenuQuery) -> OperationResult[list[MenuItemDto]]:
        menu = await self._uow.menu.get_menu()
        return self.ok(
            [
                menu_item_dto(item, menu.toppings)
                for item in menu.items.values()
                if (request.category is None or item.category == request.category)
                and (request.include_unavailable or item.available)
                and (request.include_seasonal or not item.seasonal)
            ]
        )


class GetOrderByIdHandler(QueryHandler[GetOrderByIdQuery, OperationResult[OrderDto]]):
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def handle_async(self, request: GetOrderByIdQuery) -> OperationResult[OrderDto]:
        order, timeline = await self._uow.order_with_timeline(request.order_id)
        if order is None:
            return self.not_found(f"There is no order {request.order_id}")
        return self.ok(order_dto(order, timeline))


class GetStaffHandler(QueryHandler[GetStaffQuery, OperationResult[list[StaffDto]]]):
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def handle_async(self, request: GetStaffQuery) -> OperationResult[list[StaffDto]]:
        staff = await self._uow.staff.list_active()
        return self.ok([StaffDto(id=s.id, name=s.name, role=s.role.value) for s in staff])


class GetSessionHandler(QueryHandler[GetSessionQuery, OperationResult[SessionDto | None]]):
    def __init__(self, session: TerminalSession) -> None:
        self._session = session

    async def handle_async(self, request: GetSessionQuery) -> OperationResult[SessionDto | None]:
        current = self._session.current
        if current is None:
            return self.ok(None)
        return self.ok(
            SessionDto(
                staff_id=current.staff_id,
                name=current.name,
                role=current.role.value,
                logged_in_at=current.logged_in_at,
            )
        )


class GetStoreInfoHandler(QueryHandler[GetStoreInfoQuery, OperationResult[StoreInfoDto]]):
    def __init__(self, settings: Settings, info: StoreInfo) -> None:
        self._settings = settings
        self._info = info

    async def handle_async(self, request: GetStoreInfoQuery) -> OperationResult[StoreInfoDto]:
        return self.ok(StoreInfoDto(name=self._settings.store_name, is_demo=self._info.is_demo))


class PriceOrderHandler(QueryHandler[PriceOrderQuery, OperationResult[OrderQuoteDto]]):
    def __init__(self, uow: UnitOfWork, settings: Settings) -> None:
        self._uow = uow
        self._settings = settings

    async def handle_async(self, request: PriceOrderQuery) -> OperationResult[OrderQuoteDto]:
        menu = await self._uow.menu.get_menu()
        lines = (
            price_lines(
                [(i.pizza_id, i.size, i.toppings, i.special_instructions) for i in request.pizza_items],
                menu,
                [i.quantity for i in request.pizza_items],
            )
            if request.pizza_items
            else []
        )
        fee = Money(self._settings.delivery_fee_cents if request.order_type == "delivery" else 0)
        totals = order_totals([line.price for line in lines], fee, self._settings.tax)
        tendered = amount(request.amount_tendered, "amount_tendered")
        return self.ok(
            OrderQuoteDto(
                lines=[
                    QuoteLineDto(
                        pizza_id=line.item.id,
                        name=line.item.name,
                        size=line.size.value,
                        topping_names=[t.name for t in line.toppings],
                        price=line.price.to_decimal(),
                        quantity=line.quantity,
                    )
                    for line in lines
                ],
                subtotal=money(totals.subtotal.cents),
                delivery_fee=money(totals.delivery_fee.cents),
                tax=money(totals.tax.cents),
                total_amount=money(totals.total.cents),
                change_due=(tendered - totals.total).to_decimal() if tendered and tendered >= totals.total else None,
                short_by=(totals.total - tendered).to_decimal()
                if tendered is not None and tendered < totals.total
                else None,
            )
        )
