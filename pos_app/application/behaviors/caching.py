"""Query results are cached per query for a while, and dropped as soon as an event changes what they show.

TTLs as in the pattern: menu 30 min, order status 1 min, kitchen queue 2 min, anything else 5 min. A commit in this
process invalidates the affected queries before the command returns; a commit by another process invalidates
everything when the change watcher notices it. A read that started before an invalidation is not stored.

The cache is bounded (`MAX_ENTRIES`, least recently used out first, expired entries dropped), and every answer is
keyed by the business date it was read on: nothing read before the day's rollover (04:00) is served after it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from pos_app.application.ports import Clock, StoreTime
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


MAX_ENTRIES = 256
"""How many answers the cache keeps at most; past that the least recently used one goes (expired ones first)."""

CacheKey = tuple[type[Any], Any, date | None]
"""The query's type, the query, and the business date it was read on."""


class QueryCache:
    """A bounded LRU of query answers. Each answer is keyed by the business date it was read on, so an answer about
    "today" (a query with no date) is never served once the business day has rolled over."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic, max_entries: int = MAX_ENTRIES) -> None:
        self._now = monotonic
        self._max_entries = max_entries
        self._entries: OrderedDict[CacheKey, tuple[float, OperationResult[Any]]] = OrderedDict()
        self._generations: dict[type[Any], int] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, query: Any, business_date: date | None = None) -> OperationResult[Any] | None:
        key: CacheKey = (type(query), query, business_date)
        entry = self._entries.get(key)
        if entry is not None:
            if entry[0] > self._now():
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]
            del self._entries[key]
        self.misses += 1
        return None

    def generation(self, query_type: type[Any]) -> int:
        """The query type's invalidation count; a read stores its result only if it has not moved since."""
        return self._generations.setdefault(query_type, 0)

    def put(
        self,
        query: Any,
        result: OperationResult[Any],
        ttl: float,
        generation: int,
        business_date: date | None = None,
    ) -> None:
        query_type = type(query)
        if self._generations.get(query_type, 0) != generation:
            return  # invalidated while it was being read
        key: CacheKey = (query_type, query, business_date)
        self._entries[key] = (self._now() + ttl, result)
        self._entries.move_to_end(key)
        if len(self._entries) > self._max_entries:
            self._drop_expired()
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def invalidate_for(self, event: DomainEvent) -> None:
        for query_type in list(self._generations):
            policy = policy_for(query_type)
            if policy is not None and isinstance(event, policy.invalidated_by):
                self._drop(query_type)

    def invalidate_all(self) -> None:
        for query_type in list(self._generations):
            self._drop(query_type)

    def _drop(self, query_type: type[Any]) -> None:
        for key in [key for key in self._entries if key[0] is query_type]:
            del self._entries[key]
        self._generations[query_type] = self._generations.get(query_type, 0) + 1

    def _drop_expired(self) -> None:
        now = self._now()
        for key in [key for key, (expires, _) in self._entries.items() if expires <= now]:
            del self._entries[key]


class QueryCachingBehavior(PipelineBehavior[Any, Any]):
    applies_to: ClassVar[tuple[type[Any], ...]] = (Query,)

    def __init__(self, cache: QueryCache, clock: Clock, store_time: StoreTime) -> None:
        self._cache = cache
        self._clock = clock
        self._store_time = store_time

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        policy = policy_for(type(request))
        if policy is None:
            return await next_handler()
        business_date = self._store_time.business_date(self._clock.now())
        cached = self._cache.get(request, business_date)
        if cached is not None:
            return cached
        generation = self._cache.generation(type(request))
        result: OperationResult[Any] = await next_handler()
        if result.is_success:
            self._cache.put(request, result, policy.ttl_seconds, generation, business_date)
        return result


class QueryCacheInvalidationHandler(EventHandler[DomainEvent]):
    """After each commit: drop the cached reads the event changed."""

    def __init__(self, cache: QueryCache) -> None:
        self._cache = cache

    async def handle_async(self, event: DomainEvent) -> None:
        self._cache.invalidate_for(event)
