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
async def app(db_path: Path, clock: FrozenClock) -> AsyncIterator[App]:
    async with create_app(f"sqlite:///{db_path}", clock=clock) as running:
        yield running
