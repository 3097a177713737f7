from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pos_app.bootstrap import App, create_app
from tests.support import FrozenClock


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
async def app(store_url: str, clock: FrozenClock) -> AsyncIterator[App]:
    """A running store on each backend (SQLite alone when the test also looks into the file through `db_path`)."""
    async with create_app(store_url, clock=clock) as running:
        yield running
