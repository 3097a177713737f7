"""The composition root: opens the store, wires the mediator, its behaviors and handlers, and the change watcher.

async with create_app(database_url="sqlite:///store.db") as app:
    result = await app.mediator.execute_async(PlaceOrderCommand(...))

A missing store file becomes a demo store (the menu and the demo staff with their published PINs), or with
`new_store=NewStore(...)` a real one (the menu and its manager alone, with their own PIN).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import Connection

from pos_app.application.approvals import ManagerApproval
from pos_app.application.behaviors import PIPELINE, QueryCache
from pos_app.application.behaviors.validation import ValidationContext
from pos_app.application.notifications import ALL_TOPICS, ChangeNotifier
from pos_app.application.ports import (
    AuditOutbox,
    Clock,
    PasswordHasher,
    RequestContext,
    StoreConnection,
    StoreInfo,
    StoreTime,
    SystemClock,
    TerminalSession,
    UnitOfWork,
)
from pos_app.application.security import ScryptPinHasher
from pos_app.application.stored_results import ResultCodec
from pos_app.config import Settings, default_database_url
from pos_app.domain.staff import hash_pin, is_valid_pin, is_valid_staff_id
from pos_app.infrastructure.db import Database
from pos_app.infrastructure.event_store_replay import rebuild_read_models
from pos_app.infrastructure.migrations import migrate, upgrade_store
from pos_app.infrastructure.seed import is_demo_pin, read_is_demo, seed_demo_data, seed_real_store
from pos_app.infrastructure.store_file import NotAStoreError, StoreFile, check_store_file, create_store_file
from pos_app.infrastructure.stores import ServerStoreError, open_database, open_server_store
from pos_app.infrastructure.unit_of_work import SqlUnitOfWork
from pos_app.mediation import Mediator, ServiceCollection, ServiceProvider, ServiceScope
from pos_app.read_model.catalog import QUERY_HANDLER_MODULES, build_projector
from pos_app.read_model.ports import BusinessCalendar, ReadStore
from pos_app.read_model.projector import Projector

logger = logging.getLogger("pos_app")

HANDLER_MODULES = [
    # after-commit handlers run in this order: the cache is cleared before the screens are told to refresh
    "pos_app.application.behaviors.caching",
    "pos_app.application.commands.staff",
    "pos_app.application.notifications",
    "pos_app.application.commands.orders",
    "pos_app.application.commands.order_edits",
    "pos_app.application.commands.menu",
    "pos_app.application.commands.kitchen",
    "pos_app.application.queries.handlers",
    *QUERY_HANDLER_MODULES,
    # the request catalogue: every request type declared here must have its handler
    "pos_app.messages.commands",
    "pos_app.messages.queries",
]


class StoreOpenError(Exception):
    """The store cannot be opened (damaged, not a store, no permission, not there). It is never replaced silently."""


MAX_STAFF_NAME = 60


@dataclass(frozen=True, slots=True)
class NewStore:
    """A real store to create: the menu, and its manager as the only staff member, with a PIN of their own."""

    manager_id: str
    manager_name: str
    manager_pin: str = field(repr=False)

    def problems(self) -> dict[str, str]:
        """What is wrong with these details, by field (empty when they make a store)."""
        return new_store_problems(self.manager_id, self.manager_name, self.manager_pin)


def new_store_problems(manager_id: str, manager_name: str, manager_pin: str) -> dict[str, str]:
    """The manager's details for a real store, checked field by field."""
    problems = {
        "manager_id": manager_id_problem(manager_id),
        "manager_name": manager_name_problem(manager_name),
        "manager_pin": manager_pin_problem(manager_pin),
    }
    return {name: problem for name, problem in problems.items() if problem is not None}


def manager_id_problem(manager_id: str) -> str | None:
    if is_valid_staff_id(manager_id):
        return None
    return "a staff id is 1 to 40 lowercase letters, digits, '_', '.' or '-', starting with a letter or digit"


def manager_name_problem(manager_name: str) -> str | None:
    name = manager_name.strip()
    if name and len(name) <= MAX_STAFF_NAME and name.isprintable():
        return None
    return f"give the manager's name (1 to {MAX_STAFF_NAME} characters)"


def manager_pin_problem(manager_pin: str) -> str | None:
    if not is_valid_pin(manager_pin):
        return "a PIN is 4 to 8 digits"
    if is_demo_pin(manager_pin):
        return "that is one of the demo PINs, which anyone can read; choose another"
    return None


@dataclass(frozen=True, slots=True)
class OpenedStore:
    """What opening the store did."""

    applied: list[str]
    """Migrations applied (all of them for a store just created): `infrastructure.migrations.Upgrade.applied`."""
    created: bool
    is_demo: bool
    backup: Path | None = None
    """The copy of the store made before it was upgraded (SQLite)."""


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
    database_path: Path | None
    """The store file (None for a store on a PostgreSQL server: see `database.location`)."""
    changes: ChangeNotifier
    provider: ServiceProvider
    database: Database

    async def rebuild_read_models(self) -> int:
        """Replay the event store into fresh read models (in one write transaction). Returns the events replayed."""
        async with self.database.write_lock:
            replayed: int = await self.database.on_writer(self.database.run_sync, self._rebuild)
        self.provider.get_required_service(QueryCache).invalidate_all()
        self.changes.notify(ALL_TOPICS)
        return replayed

    def _rebuild(self, connection: Connection) -> int:
        replayed = rebuild_read_models(connection)
        self.database.announce_rebuild(connection)  # the other terminals read their screens again
        return replayed


AUDIT_OUTBOX_RETRY_SECONDS = 0.5
"""How often the audit events that wait in the outbox (a logout while the store was busy) are tried again."""
UNCONFIRMED_POLLS = 5
MIN_UNCONFIRMED_SECONDS = 0.5
"""A cached answer is read again once the change watcher has not vouched for it for this many polls (at least
half a second): another terminal's commit shows here within that even when the watcher falls behind."""


async def flush_audit_outbox(app: App) -> None:
    """Write the audit events that wait in the outbox, in a transaction of their own, and publish them."""
    async with ServiceScope(app.provider) as scope:
        uow = scope.get_required_service(UnitOfWork)
        await uow.begin(write=True)
        await uow.commit()  # with nothing else to write, a busy store leaves them waiting instead of failing
        for event in uow.committed_events:
            await app.mediator.publish_async(event)


async def keep_flushing_the_audit_outbox(app: App, outbox: AuditOutbox) -> None:
    """While events wait in the outbox (the transaction that added them could not write them), try again; ends when
    the outbox is empty."""
    while True:
        await asyncio.sleep(AUDIT_OUTBOX_RETRY_SECONDS)
        if not len(outbox):
            return
        try:
            await flush_audit_outbox(app)
        except Exception:
            logger.exception("The audit outbox could not be written; trying again")


def prepare_store(database: Database, new_store: NewStore | None = None, *, create: bool = True) -> OpenedStore:
    """Check that the file is a store, or create one where there is none (a demo store, or the real one `new_store`
    describes), and upgrade its schema. A file that is not a store is refused and left exactly as it was."""
    path = database.path
    if path is None:
        return _prepare_server(database, new_store, create=create)
    found = _check(path, new_store)
    created: list[str] = []
    if found is StoreFile.MISSING:
        if not create:
            raise StoreOpenError(f"There is no store at {path}")
        try:
            created = _create_store(path, new_store)
        except FileExistsError:  # another terminal made it meanwhile: open theirs, if it is a store
            if _check(path, new_store) is StoreFile.MISSING:
                raise StoreOpenError(f"The store at {path} came and went while it was being created") from None
    try:
        upgrade, is_demo = database.run_sync(lambda c: (upgrade_store(c), read_is_demo(c)))
        database.remember_file()
    except Exception as error:
        raise StoreOpenError(f"The store at {path} cannot be opened: {getattr(error, 'orig', error)}") from error
    return OpenedStore(
        applied=created or upgrade.applied, created=bool(created), is_demo=is_demo, backup=upgrade.backup
    )


ONLY_WHERE_NONE = "a new store is made only where there is none"


def _prepare_server(database: Database, new_store: NewStore | None, *, create: bool) -> OpenedStore:
    try:
        applied, created, is_demo = database.run_sync(
            lambda connection: open_server_store(
                connection, _manager_of(new_store), create=create, make_new=bool(new_store)
            )
        )
    except ServerStoreError as error:
        raise StoreOpenError(f"{error} in {database.location}") from error
    except Exception as error:
        reason = getattr(error, "orig", error)
        raise StoreOpenError(f"The store in {database.location} cannot be opened: {reason}") from error
    return OpenedStore(applied=applied, created=created, is_demo=is_demo)


def _manager_of(new_store: NewStore | None) -> tuple[str, str, str] | None:
    if new_store is None:
        return None
    problems = new_store.problems()
    if problems:
        raise ValueError("; ".join(problems.values()))
    return (new_store.manager_id, new_store.manager_name.strip(), hash_pin(new_store.manager_pin))


def _check(path: Path, new_store: NewStore | None) -> StoreFile:
    try:
        found = check_store_file(path)
    except NotAStoreError as error:
        raise StoreOpenError(f"The store at {path} cannot be opened: {error}") from error
    if found is StoreFile.STORE and new_store is not None:
        raise StoreOpenError(f"There is already a store at {path}: {ONLY_WHERE_NONE}")
    return found


def _create_store(path: Path, new_store: NewStore | None) -> list[str]:
    """Make the store; `FileExistsError` if a file appeared at `path` meanwhile. Returns the migrations applied."""
    manager = _manager_of(new_store)
    applied: list[str] = []

    def build(connection: Connection) -> None:
        applied.extend(migrate(connection))
        if manager is None:
            seed_demo_data(connection)
        else:
            seed_real_store(connection, *manager)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        create_store_file(path, build)
    except FileExistsError:
        raise
    except Exception as error:
        raise StoreOpenError(f"The store at {path} cannot be created: {getattr(error, 'orig', error)}") from error
    return applied


def build_services(
    database: Database, clock: Clock, settings: Settings, store_info: StoreInfo | None = None
) -> ServiceCollection:
    store_time = StoreTime(settings.timezone, settings.day_starts_at)
    services = ServiceCollection()
    services.add_singleton(Settings, settings)
    services.add_singleton(StoreInfo, store_info or StoreInfo(is_demo=True))
    services.add_singleton(Clock, clock)
    services.add_singleton(StoreTime, store_time)
    services.add_singleton(Database, database)
    services.add_singleton(ReadStore, database)
    services.add_singleton(StoreConnection, database)
    services.add_singleton(BusinessCalendar, StoreCalendar(clock, store_time))
    services.add_singleton(Projector, build_projector())
    services.add_singleton(TerminalSession)
    services.add_singleton(AuditOutbox)
    services.add_singleton(QueryCache)
    services.add_singleton(ChangeNotifier)
    services.add_singleton(ResultCodec)
    services.add_singleton(PasswordHasher, ScryptPinHasher)
    services.add_singleton(ValidationContext)
    services.add_scoped(UnitOfWork, SqlUnitOfWork)
    services.add_scoped(RequestContext)
    services.add_scoped(ManagerApproval)
    Mediator.configure(services, HANDLER_MODULES)
    for behavior in PIPELINE:
        services.add_pipeline_behavior(behavior)
    return services


@asynccontextmanager
async def create_app(
    database_url: str | None = None,
    clock: Clock | None = None,
    settings: Settings | None = None,
    *,
    new_store: NewStore | None = None,
    create: bool = True,
) -> AsyncIterator[App]:
    """Open the store (creating it if there is none: a demo store, or the real one `new_store` describes; with
    `create=False` a missing store is a `StoreOpenError`), migrate it, and yield a ready app; everything is closed
    after. A file that is not a store raises `StoreOpenError` and is left as it was."""
    settings = settings or Settings()
    url = database_url or default_database_url()
    database = open_database(url, settings.busy_timeout_ms)
    path = database.path
    loop = asyncio.get_running_loop()
    try:
        opened = await loop.run_in_executor(None, partial(prepare_store, database, new_store, create=create))
    except BaseException:
        await database.aclose()
        raise
    if opened.created:
        kind = "the demo menu and staff" if opened.is_demo else "the menu and its manager"
        logger.warning("Created a new store at %s with %s", database.location, kind)
    elif opened.applied:
        logger.info("Upgraded the store at %s to schema revision %s", database.location, opened.applied[-1])
        if opened.backup is not None:
            logger.info("The store as it was before is kept in %s", opened.backup)
    store_info = StoreInfo(is_demo=opened.is_demo)
    provider = build_services(database, clock or SystemClock(), settings, store_info).build()
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

    cache.watch_other_terminals(max(MIN_UNCONFIRMED_SECONDS, UNCONFIRMED_POLLS * settings.change_poll_seconds))
    watcher = database.watch_changes(settings.change_poll_seconds, on_external_change, cache.confirm_unchanged)
    watcher.start()
    outbox = provider.get_required_service(AuditOutbox)
    flushers: list[asyncio.Task[None]] = []

    def start_flushing() -> None:
        if not any(not task.done() for task in flushers):
            flushers[:] = [asyncio.create_task(keep_flushing_the_audit_outbox(app, outbox), name="pos-audit-outbox")]

    outbox.on_added = start_flushing
    try:
        yield app
    finally:
        outbox.on_added = None
        for task in flushers:
            task.cancel()
        await asyncio.gather(*flushers, return_exceptions=True)
        if len(outbox):
            await flush_audit_outbox(app)
        if len(outbox):
            logger.error("%d audit event(s) could not be written: the store stayed unavailable", len(outbox))
        await loop.run_in_executor(None, watcher.stop)
        try:
            await provider.aclose()
        finally:
            await database.aclose()
