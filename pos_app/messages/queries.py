"""Queries: the reads a screen can ask for. Each returns an `OperationResult`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import Field

from pos_app.mediation import OperationResult, Query
from pos_app.messages.commands import PizzaItem
from pos_app.messages.dtos import (
    CustomerDto,
    DailySalesDto,
    KitchenPerformanceDto,
    KitchenQueueChangesDto,
    KitchenTicketDto,
    MenuItemDto,
    OrderDto,
    OrderHistoryDto,
    OrderPageDto,
    OrderQuoteDto,
    OrderStatusDto,
    OrderSummaryDto,
    PopularPizzaDto,
    SessionDto,
    StaffDto,
    StoreInfoDto,
)
from pos_app.messages.types import Amount, OrderStatusName, OrderTypeName, RequiresRole, RoleName, TimePeriod

MANAGER: frozenset[RoleName] = frozenset({"manager"})
COUNTER: frozenset[RoleName] = frozenset({"counter", "manager"})
"""Customers' spending is sales data: not the kitchen's or the drivers' (see behaviors/role_data.py)."""
Page = Annotated[int, Field(ge=1, le=1_000_000)]
PageSize = Annotated[int, Field(ge=1, le=1000)]
Phone = Annotated[str, Field(min_length=1, max_length=30)]
Position = Annotated[int, Field(ge=0)]
"""A position in the event store (0: before the first event)."""


class GetMenuQuery(Query[OperationResult[list[MenuItemDto]]], RequiresRole):
    category: Annotated[str | None, Field(max_length=20)] = None
    include_unavailable: bool = False
    include_seasonal: bool = True


class PriceOrderQuery(Query[OperationResult[OrderQuoteDto]], RequiresRole):
    """Price a cart (and the change for cash tendered) before it is placed; unknown items answer 400 by field."""

    pizza_items: Annotated[list[PizzaItem], Field(max_length=50)]
    order_type: OrderTypeName = "pickup"
    amount_tendered: Amount | None = None


class GetOrderByIdQuery(Query[OperationResult[OrderDto]], RequiresRole):
    order_id: UUID


class GetOrderStatusQuery(Query[OperationResult[OrderStatusDto]], RequiresRole):
    order_id: UUID


class GetOrdersQuery(Query[OperationResult[OrderPageDto]], RequiresRole):
    """A page of one business day's orders (today by default), newest first."""

    status: OrderStatusName | None = None
    customer_phone: Annotated[str | None, Field(max_length=30)] = None
    date: dt.date | None = None
    search: Annotated[str | None, Field(max_length=80)] = None
    page: Page = 1
    page_size: PageSize = 50
    changed_since: Position | None = None
    """Only the day's orders that events after this event-store position changed (an earlier answer's `position`):
    all of them, newest first, whatever the page. A screen keeps its rows and merges these in, so a refresh costs
    what changed. Too many changes, or a position this store has not reached, answer the page itself
    (`changes_only` false). Not with `status`, `customer_phone` or `search`: a row that stops matching would not be
    reported."""


class GetLeftOpenOrdersQuery(Query[OperationResult[OrderPageDto]], RequiresRole):
    """A page of the orders left open on an earlier business day (not handed over, not cancelled), oldest first:
    the manager closes them with `CloseLeftOpenOrderCommand`."""

    allowed_roles: ClassVar[frozenset[RoleName]] = MANAGER
    page: Page = 1
    page_size: PageSize = 50


class GetOrderHistoryQuery(Query[OperationResult[OrderHistoryDto]], RequiresRole):
    allowed_roles: ClassVar[frozenset[RoleName]] = COUNTER
    customer_phone: Phone
    page: Page = 1
    page_size: PageSize = 20


class GetKitchenQueueQuery(Query[OperationResult[list[KitchenTicketDto]]], RequiresRole):
    """Open tickets, oldest first."""


class GetKitchenQueueChangesQuery(Query[OperationResult[KitchenQueueChangesDto]], RequiresRole):
    """The kitchen queue as `GetKitchenQueueQuery` gives it, or, with `changed_since` (an earlier answer's
    `position`), only the tickets changed since and those that left the queue: what the kitchen screen refreshes
    from."""

    changed_since: Position | None = None


class GetLastCompletedTicketQuery(Query[OperationResult[KitchenTicketDto | None]], RequiresRole):
    """The ticket the kitchen finished last (to recall it)."""


class GetDeliveryOrdersQuery(Query[OperationResult[list[OrderSummaryDto]]], RequiresRole):
    """Deliveries ready to go out, and those on the road."""

    include_out_for_delivery: bool = True


class GetPopularPizzasQuery(Query[OperationResult[list[PopularPizzaDto]]], RequiresRole):
    time_period: TimePeriod = "last_30_days"
    limit: Annotated[int, Field(ge=1, le=100)] = 10


class GetDailySalesQuery(Query[OperationResult[DailySalesDto]], RequiresRole):
    allowed_roles: ClassVar[frozenset[RoleName]] = MANAGER
    date: dt.date | None = None


class GetKitchenPerformanceQuery(Query[OperationResult[KitchenPerformanceDto]], RequiresRole):
    allowed_roles: ClassVar[frozenset[RoleName]] = MANAGER
    start: dt.date
    end: dt.date


class GetCustomerQuery(Query[OperationResult[CustomerDto]], RequiresRole):
    allowed_roles: ClassVar[frozenset[RoleName]] = COUNTER
    phone: Phone


class GetStaffQuery(Query[OperationResult[list[StaffDto]]]):
    """Who can log in on this terminal (names and roles; open to all)."""


class GetSessionQuery(Query[OperationResult[SessionDto | None]]):
    """Who is logged in on this terminal, if anyone."""


class GetStoreInfoQuery(Query[OperationResult[StoreInfoDto]]):
    """The store's name and whether it is a demo store (open to all: the status bar shows it before a login)."""
