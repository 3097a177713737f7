"""Query results are cached per query for a while, and dropped as soon as an event changes what they show.

TTLs as in the pattern: menu 30 min, order status 1 min, kitchen queue 2 min, anything else 5 min. A commit in this
process invalidates the affected queries before the command returns; a commit by another process invalidates
everything when the change watcher notices it. A read that started before an invalidation is not stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from pos_app.domain.events import (
    DomainEvent,
    MenuUpdatedEvent,
    OrderEvent,
    StaffLoggedInEvent,
    StaffLoggedOutEvent,
    StaffLoginFailedEvent,
    StaffPinChangedEvent,
)
from pos_app.mediation import EventHandler, NextHandler, OperationResult, PipelineBehavior, Query
from pos_app.messages.queries import (
    GetKitchenQueueQuery,
    GetLastCompletedTicketQuery,
    GetMenuQuery,
    GetOrderStatusQuery,
    GetSessionQuery,
    GetStaffQuery,
    GetStoreInfoQuery,
    PriceOrderQuery,
)


@dataclass(frozen=True, slots=True)
class CachePolicy:
    ttl_seconds: float
    invalidated_by: tuple[type[DomainEvent], ...]


DEFAULT_POLICY = CachePolicy(300, (OrderEvent, MenuUpdatedEvent))
POLICIES: dict[type[Any], CachePolicy | None] = {
    GetMenuQuery: CachePolicy(1800, (MenuUpdatedEvent,)),
    GetOrderStatusQuery: CachePolicy(60, (OrderEvent,)),
    GetKitchenQueueQuery: CachePolicy(120, (OrderEvent,)),
    GetLastCompletedTicketQuery: CachePolicy(120, (OrderEvent,)),
    GetStaffQuery: CachePolicy(
        300, (StaffLoggedInEvent, StaffLoggedOutEvent, StaffLoginFailedEvent, StaffPinChangedEvent)
    ),
    GetSessionQuery: None,  # the terminal's session is not in the store
    GetStoreInfoQuery: None,  # read once when the store opens
    PriceOrderQuery: None,  # carts change with every tap; pricing is cheap
}


def policy_for(query_type: type[Any]) -> CachePolicy | None:
    return POLICIES.get(query_type, DEFAULT_POLICY)


class QueryCache:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._now = monotonic
        self._entries: dict[type[Any], dict[Any, tuple[float, OperationResult[Any]]]] = {}
        self._generations: dict[type[Any], int] = {}
        self.hits = 0
        self.misses = 0

    def get(self, query: Any) -> OperationResult[Any] | None:
        entries = self._entries.get(type(query))
        if entries:
            entry = entries.get(query)
            if entry is not None:
                if entry[0] > self._now():
                    self.hits += 1
                    return entry[1]
                del entries[query]
        self.misses += 1
        return None

    def generation(self, query_type: type[Any]) -> int:
        """The query type's invalidation count; a read stores its result only if it has not moved since."""
        return self._generations.setdefault(query_type, 0)

    def put(self, query: Any, result: OperationResult[Any], ttl: float, generation: int) -> None:
        query_type = type(query)
        if self._generations.get(query_type, 0) != generation:
            return  # invalidated while it was being read
        self._entries.setdefault(query_type, {})[query] = (self._now() + ttl, result)

    def invalidate_for(self, event: DomainEvent) -> None:
        for query_type in list(self._generations):
            policy = policy_for(query_type)
            if policy is not None and isinstance(event, policy.invalidated_by):
                self._drop(query_type)

    def invalidate_all(self) -> None:
        for query_type in list(self._generations):
            self._drop(query_type)

    def _drop(self, query_type: type[Any]) -> None:
        self._entries.pop(query_type, None)
        self._generations[query_type] = self._generations.get(query_type, 0) + 1


class QueryCachingBehavior(PipelineBehavior[Any, Any]):
    applies_to: ClassVar[tuple[type[Any], ...]] = (Query,)

    def __init__(self, cache: QueryCache) -> None:
        self._cache = cache

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        policy = policy_for(type(request))
        if policy is None:
            return await next_handler()
        cached = self._cache.get(request)
        if cached is not None:
            return cached
        generation = self._cache.generation(type(request))
        result: OperationResult[Any] = await next_handler()
        if result.is_success:
            self._cache.put(request, result, policy.ttl_seconds, generation)
        return result


class QueryCacheInvalidationHandler(EventHandler[DomainEvent]):
    """After each commit: drop the cached reads the event changed."""

    def __init__(self, cache: QueryCache) -> None:
        self._cache = cache

    async def handle_async(self, event: DomainEvent) -> None:
        self._cache.invalidate_for(event)
