"""Queries answered from the write model."""

from __future__ import annotations

from pos_app.application.mapping import menu_item_dto, order_dto
from pos_app.application.ports import TerminalSession, UnitOfWork
from pos_app.mediation import OperationResult, QueryHandler
from pos_app.messages.dtos import MenuItemDto, OrderDto, SessionDto, StaffDto
from pos_app.messages.queries import GetMenuQuery, GetOrderByIdQuery, GetSessionQuery, GetStaffQuery


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
        order = await self._uow.orders.get(request.order_id)
        if order is None:
            return self.not_found(f"There is no order {request.order_id}")
        return self.ok(order_dto(order, await self._uow.timeline(order.id)))


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
