"""A reduced soak in CI (the full size: `python -m tests.reliability.soak`, see docs/RELIABILITY.md)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from pos_app.infrastructure.db import PAGE_CACHE_KB, READER_THREADS
from tests.reliability.soak import soak

RESULTS = Path(__file__).with_name("last_soak_run.json")


@pytest.mark.slow
@pytest.mark.alone
def test_memory_and_latency_stay_flat_over_a_long_day() -> None:
    figures = asyncio.run(soak(requests=20_000, orders=1_500, traced_orders=150))
    RESULTS.write_text(json.dumps(figures, indent=2))

    # latency at the end of the day within 20% of the start: the soaked store against a fresh one, alternating
    assert figures["place_order_soaked_vs_fresh"] <= 1.2
    assert figures["request_end_vs_start"] <= 1.2
    # RSS may grow by what SQLite's page caches may hold (they fill as the store grows), and by no more;
    # a leak of Python objects shows in tracemalloc
    page_caches_mb = PAGE_CACHE_KB / 1024 * (READER_THREADS + 1)
    assert figures["rss_mb_at_end"] - figures["rss_mb_after_warm_up"] < page_caches_mb + 5
    assert figures["tracemalloc_growth_kb"] < 512
