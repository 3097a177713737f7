"""Query results are cached per query for a while, and dropped as soon as an event changes what they show.

TTLs as in the pattern: menu 30 min, order status 1 min, kitchen queue 2 min, anything else 5 min. A commit in this
process invalidates the affected queries before the command returns; a commit by another process invalidates
everything when the change watcher notices it. A read that started before an invalidation is not stored.

When other terminals share the store, their commits reach this cache only through the change watcher, which can
fall behind on a busy machine. So an answer is served only while the watcher has confirmed, at most
`unconfirmed_limit` seconds ago, that no other terminal changed anything since the answer was read; past that the
query reads the store again. Another terminal's order reaches this one within that limit even if the watcher stalls.

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
    GetKitchenQueueChangesQuery,
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
    GetKitchenQueueChangesQuery: CachePolicy(120, (OrderEvent,)),
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
        self._entries: OrderedDict[CacheKey, _Entry] = OrderedDict()
        self._generations: dict[type[Any], int] = {}
        self._confirmed_at: float | None = None
        """None while no other terminal can write the store; else when the watcher last confirmed nothing changed."""
        self._unconfirmed_limit = float("inf")
        self.hits = 0
        self.misses = 0

    def monotonic(self) -> float:
        """The cache's clock: when a read starts, for `put`, and the time `confirm_unchanged` is given."""
        return self._now()

    def watch_other_terminals(self, unconfirmed_limit: float) -> None:
        """Other terminals may write the store: from now on serve an answer only while `confirm_unchanged` vouched
        for it within the last `unconfirmed_limit` seconds (or it was read that recently)."""
        self._confirmed_at = self._now()
        self._unconfirmed_limit = unconfirmed_limit

    def confirm_unchanged(self, as_of: float) -> None:
        """No other terminal committed anything up to `as_of` that has not already been invalidated here.

        The change watcher calls it on the event loop after each poll, in order with its invalidations."""
        if self._confirmed_at is not None:
            self._confirmed_at = max(self._confirmed_at, as_of)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, query: Any, business_date: date | None = None) -> OperationResult[Any] | None:
        key: CacheKey = (type(query), query, business_date)
        entry = self._entries.get(key)
        if entry is not None:
            now = self._now()
            if entry.expires > now and not self._unconfirmed(entry, now):
                self._entries.move_to_end(key)
                self.hits += 1
                return entry.result
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
        read_at: float | None = None,
    ) -> None:
        """Store an answer whose read started at `read_at` (now if not given) and at `generation`."""
        query_type = type(query)
        if self._generations.get(query_type, 0) != generation:
            return  # invalidated while it was being read
        now = self._now()
        key: CacheKey = (query_type, query, business_date)
        self._entries[key] = _Entry(now + ttl, now if read_at is None else read_at, result)
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

    def _unconfirmed(self, entry: _Entry, now: float) -> bool:
        if self._confirmed_at is None:
            return False
        return now - max(entry.read_at, self._confirmed_at) > self._unconfirmed_limit

    def _drop_expired(self) -> None:
        now = self._now()
        for key in [key for key, entry in self._entries.items() if entry.expires <= now]:
            del self._entries[key]


@dataclass(frozen=True, slots=True)
class _Entry:
    expires: float
    read_at: float
    """When the read that produced it started: it shows the store as of then, or later."""
    result: OperationResult[Any]


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
        read_at = self._cache.monotonic()
        result: OperationResult[Any] = await next_handler()
        if result.is_success:
            self._cache.put(request, result, policy.ttl_seconds, generation, business_date, read_at)
        return result


class QueryCacheInvalidationHandler(EventHandler[DomainEvent]):
    """After each commit: drop the cached reads the event changed."""

    def __init__(self, cache: QueryCache) -> None:
        self._cache = cache

    async def handle_async(self, event: DomainEvent) -> None:
        self._cache.invalidate_for(event)
