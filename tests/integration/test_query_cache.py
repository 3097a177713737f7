"""The query cache stays within its bound and never serves an answer about "today" after the business day rolled
over."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pos_app.application.behaviors.caching import MAX_ENTRIES, QueryCache
from pos_app.bootstrap import App, create_app
from pos_app.config import Settings
from pos_app.mediation import OperationResult
from pos_app.messages.queries import GetOrdersQuery
from tests.support import FrozenClock, login, placed


async def test_nine_hundred_distinct_reads_keep_the_cache_at_its_bound(app: App) -> None:
    await login(app.mediator, "luigi")
    cache = app.provider.get_required_service(QueryCache)

    answers = [await app.mediator.execute_async(GetOrdersQuery(page=page)) for page in range(1, 901)]
    again = await app.mediator.execute_async(GetOrdersQuery(page=900))
    hits = cache.hits

    assert all(answer.is_success for answer in answers)
    assert MAX_ENTRIES == 256
    assert len(cache) == MAX_ENTRIES
    assert again is answers[-1]  # the most recent reads are still served from the cache
    assert hits >= 1


def test_the_least_recently_used_answer_goes_first_and_expired_ones_before_it() -> None:
    now = [0.0]
    cache = QueryCache(monotonic=lambda: now[0], max_entries=3)
    queries = [GetOrdersQuery(page=page) for page in range(1, 6)]
    generation = cache.generation(GetOrdersQuery)
    for query in queries[:3]:
        cache.put(query, OperationResult.ok(None), ttl=60, generation=generation)
    used = cache.get(queries[0])

    cache.put(queries[3], OperationResult.ok(None), ttl=60, generation=generation)
    kept_after_lru = [cache.get(query) is not None for query in queries[:4]]
    now[0] = 61
    cache.put(queries[4], OperationResult.ok(None), ttl=60, generation=generation)
    size_after_expiry = len(cache)

    assert used is not None
    assert kept_after_lru == [True, False, True, True]
    assert size_after_expiry == 1


async def test_a_cached_answer_about_today_is_not_served_after_the_business_day_rolls_over(
    db_path: Path,
) -> None:
    clock = FrozenClock(datetime(2026, 11, 27, 3, 50, tzinfo=UTC))  # 03:50: still the 26th's business day
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=Settings(timezone="UTC")) as app:
        await login(app.mediator, "luigi")
        await placed(app.mediator, accept_kitchen_wait=True)
        late_night = await app.mediator.execute_async(GetOrdersQuery())

        clock.advance(minutes=15)  # 04:05: the 27th's business day has begun
        morning = await app.mediator.execute_async(GetOrdersQuery())

    assert late_night.data.total == 1
    assert morning.data.total == 0
