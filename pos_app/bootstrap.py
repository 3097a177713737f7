"""The composition root: opens the store, wires the mediator, its behaviors and handlers, and the change watcher.

async with create_app(database_url="sqlite+aiosqlite:///store.db") as app:
    result = await app.mediator.execute_async(PlaceOrderCommand(...))
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection

from pos_app.application.behaviors import PIPELINE, QueryCache
from pos_app.application.behaviors.validation import ValidationContext
from pos_app.application.notifications import ALL_TOPICS, ChangeNotifier
from pos_app.application.ports import (
    Clock,
    PasswordHasher,
    RequestContext,
    StoreTime,
    SystemClock,
    TerminalSession,
    UnitOfWork,
)
from pos_app.application.results import ResultCodec
from pos_app.application.security import ScryptPinHasher
from pos_app.config import Settings, default_database_url
from pos_app.infrastructure.db import ChangeWatcher, Database, database_path
from pos_app.infrastructure.migrations import migrate
from pos_app.infrastructure.rebuild import rebuild_read_models
from pos_app.infrastructure.seed import seed_demo_data
from pos_app.infrastructure.unit_of_work import SqlUnitOfWork
from pos_app.mediation import Mediator, ServiceCollection, ServiceProvider
from pos_app.read_model.ports import BusinessCalendar, ReadStore
from pos_app.read_model.projections import Projector, build_projector

logger = logging.getLogger("pos_app")

HANDLER_MODULES = [
    # after-commit handlers run in this order: the cache is cleared before the screens are told to refresh
    "pos_app.application.behaviors.caching",
    "pos_app.application.commands.staff",
    "pos_app.application.notifications",
    "pos_app.application.commands.orders",
    "pos_app.application.commands.menu",
    "pos_app.application.queries.handlers",
    "pos_app.read_model.query_handlers",
    # the request catalogue: every request type declared here must have its handler
    "pos_app.messages.commands",
    "pos_app.messages.queries",
]


class StoreOpenError(Exception):
    """The store cannot be opened (damaged, not a database, no permission). It is never replaced silently."""


class StoreCalendar(BusinessCalendar):
    def __init__(self, clock: Clock, store_time: StoreTime) -> None:
        self._clock = clock
        self._store_time = store_time

    def now(self) -> datetime:
        return self._clock.now()

    def today(self) -> date:
        return self._store_time.business_date(self._clock.now())


@dataclass
class App:
    """A running store: send requests through `mediator`; subscribe to `changes` to hear what changed."""

    mediator: Mediator
    settings: Settings
    database_path: Path
    changes: ChangeNotifier
    provider: ServiceProvider
    database: Database

    async def rebuild_read_models(self) -> int:
        """Replay the event store into fresh read models (in one write transaction). Returns the events replayed."""
        async with self.database.write_lock:
            replayed: int = await self.database.on_writer(self.database.run_sync, rebuild_read_models)
        self.provider.get_required_service(QueryCache).invalidate_all()
        self.changes.notify(ALL_TOPICS)
        return replayed


def prepare_store(database: Database) -> list[int]:
    """Create or upgrade the schema; seed a new store with the demo menu and staff. Returns migrations applied."""

    def work(connection: Connection) -> list[int]:
        applied = migrate(connection)
        if 1 in applied:
            seed_demo_data(connection)
        return applied

    try:
        applied = database.run_sync(work)
        database.remember_file()
        return applied
    except Exception as error:
        raise StoreOpenError(
            f"The store at {database.path} cannot be opened: {getattr(error, 'orig', error)}"
        ) from error


def build_services(database: Database, clock: Clock, settings: Settings) -> ServiceCollection:
    store_time = StoreTime(settings.timezone, settings.day_starts_at)
    services = ServiceCollection()
    services.add_singleton(Settings, settings)
    services.add_singleton(Clock, clock)
    services.add_singleton(StoreTime, store_time)
    services.add_singleton(Database, database)
    services.add_singleton(ReadStore, database)
    services.add_singleton(BusinessCalendar, StoreCalendar(clock, store_time))
    services.add_singleton(Projector, build_projector())
    services.add_singleton(TerminalSession)
    services.add_singleton(QueryCache)
    services.add_singleton(ChangeNotifier)
    services.add_singleton(ResultCodec)
    services.add_singleton(PasswordHasher, ScryptPinHasher)
    services.add_singleton(ValidationContext)
    services.add_scoped(UnitOfWork, SqlUnitOfWork)
    services.add_scoped(RequestContext)
    Mediator.configure(services, HANDLER_MODULES)
    for behavior in PIPELINE:
        services.add_pipeline_behavior(behavior)
    return services


@asynccontextmanager
async def create_app(
    database_url: str | None = None, clock: Clock | None = None, settings: Settings | None = None
) -> AsyncIterator[App]:
    """Open (creating, migrating and seeding if new) the store and yield a ready app; everything is closed after."""
    settings = settings or Settings()
    url = database_url or default_database_url()
    path = database_path(url)
    if path is None:
        raise ValueError("The store must be a file: give a database URL such as sqlite:///store.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    database = Database(path, settings.busy_timeout_ms)
    loop = asyncio.get_running_loop()
    try:
        applied = await loop.run_in_executor(None, prepare_store, database)
    except BaseException:
        await database.aclose()
        raise
    if applied and applied[0] == 1:
        logger.warning("Created a new store at %s with the demo menu and staff", path)
    elif applied:
        logger.info("Upgraded the store at %s to schema version %s", path, applied[-1])
    provider = build_services(database, clock or SystemClock(), settings).build()
    app = App(
        mediator=provider.get_required_service(Mediator),
        settings=settings,
        database_path=path,
        changes=provider.get_required_service(ChangeNotifier),
        provider=provider,
        database=database,
    )
    cache = provider.get_required_service(QueryCache)

    def on_external_change() -> None:
        cache.invalidate_all()
        app.changes.notify(ALL_TOPICS)

    watcher = ChangeWatcher(database, settings.change_poll_seconds, on_external_change)
    watcher.start()
    try:
        yield app
    finally:
        await loop.run_in_executor(None, watcher.stop)
        try:
            await provider.aclose()
        finally:
            await database.aclose()
