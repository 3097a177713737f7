"""The SQLite unit of work: one transaction for aggregate rows, event-store rows and read-model projections."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Connection, bindparam, func, insert, select

from pos_app.application.errors import StoreUnavailableError, StoreUnreachableError
from pos_app.application.ports import AlreadyProcessedError, AuditOutbox, UnitOfWork
from pos_app.domain.events import DomainEvent, OrderEditedEvent, OrderEvent
from pos_app.domain.orders import Order
from pos_app.infrastructure.db import Database
from pos_app.infrastructure.event_codec import decode, encode
from pos_app.infrastructure.order_repository import SqlOrderRepository, load_order, save_order
from pos_app.infrastructure.records import EventRecord
from pos_app.infrastructure.repositories import (
    SqlMenuRepository,
    SqlProcessedCommands,
    SqlStaffRepository,
    load_any_processed,
)
from pos_app.read_model.projector import Projector
from pos_app.schema import table

T = TypeVar("T")
events_t = table(EventRecord)


LAST_POSITION = select(func.coalesce(func.max(events_t.c.position), 0))
INSERT_EVENTS = insert(events_t)
SELECT_TIMELINE = select(events_t).where(events_t.c.order_id == bindparam("_key")).order_by(events_t.c.position)


def append_events(connection: Connection, events: Sequence[DomainEvent]) -> list[tuple[int, DomainEvent]]:
    """Append to the event store; returns each event with its global position."""
    if not events:
        return []
    last = connection.execute(LAST_POSITION).scalar_one()
    positioned = [(int(last) + offset, event) for offset, event in enumerate(events, start=1)]
    connection.execute(
        INSERT_EVENTS,
        [
            {
                "position": position,
                "order_id": event.order_id if isinstance(event, OrderEvent) else None,
                "event_type": type(event).__name__,
                "payload": encode(event),
                "staff_id": event.staff_id,
                "occurred_at": event.occurred_at,
            }
            for position, event in positioned
        ],
    )
    return positioned


def load_timeline(connection: Connection, order_id: UUID) -> list[tuple[int, DomainEvent]]:
    rows = connection.execute(SELECT_TIMELINE, {"_key": order_id})
    return [(row.position, decode(row.event_type, row.payload, row.occurred_at, row.staff_id)) for row in rows]


class SqlUnitOfWork(UnitOfWork):
    def __init__(self, database: Database, projector: Projector, outbox: AuditOutbox) -> None:
        self._db = database
        self._projector = projector
        self._outbox = outbox
        self._connection: Connection | None = None
        self._write = False
        self._holds_lock = False
        self._tracked: dict[UUID, tuple[Order, bool]] = {}
        self._deferred: list[tuple[Callable[..., None], tuple[Any, ...]]] = []
        self._recorded: list[DomainEvent] = []
        self.committed_events: list[DomainEvent] = []
        self._keep_failure = False
        self.orders = SqlOrderRepository(self)
        self.menu = SqlMenuRepository(self)
        self.staff = SqlStaffRepository(self)
        self.processed = SqlProcessedCommands(self)

    @property
    def in_transaction(self) -> bool:
        return self._write

    async def begin(self, write: bool) -> None:
        """Take this process's write lock; the write transaction itself begins with the first statement (in that
        statement's hop) or at the commit. Reads need no begin: each is a transaction of its own."""
        if self._write:
            raise RuntimeError("This unit of work has already begun")
        if not write:
            return
        await self._db.write_lock.acquire()
        self._holds_lock = True
        self._write = True

    def _open_then(self, fn: Callable[..., T], *args: Any) -> T:
        """On the writer thread: BEGIN IMMEDIATE if not yet begun, the idempotency keys looked up if not yet done,
        then `fn(connection, *args)`."""
        if self._connection is None:
            self._connection = self._open(self._db.write_engine)
        if self._keys_to_check:
            keys, self._keys_to_check = self._keys_to_check, ()
            stored = load_any_processed(self._connection, keys)
            if stored is not None:
                raise AlreadyProcessedError(stored)
        return fn(self._connection, *args)

    @staticmethod
    def _open(engine: Any) -> Connection:
        connection: Connection = engine.connect()
        try:
            connection.begin()
        except BaseException:
            connection.close()
            raise
        return connection

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(connection, *args)`: in the write transaction once begun, else as one read of its own.

        A read opens, reads and closes in one hop, so no connection is held while the event loop waits.
        """
        if self._write:
            return await self._db.on_writer(self._open_then, fn, *args)
        return await self._db.read(lambda connection: fn(connection, *args))

    def track(self, order: Order, is_new: bool) -> None:
        known = self._tracked.get(order.id)
        self._tracked[order.id] = (order, is_new or (known is not None and known[1]))

    def keep_changes_of_failure(self) -> None:
        self._keep_failure = True

    @property
    def keeps_changes_of_failure(self) -> bool:
        return self._keep_failure

    def defer(self, fn: Callable[..., None], *args: Any) -> None:
        self._deferred.append((fn, args))

    def record(self, events: Sequence[DomainEvent]) -> None:
        self._recorded.extend(events)

    async def order_with_timeline(self, order_id: UUID) -> tuple[Order | None, Sequence[tuple[int, DomainEvent]]]:
        def read(connection: Connection) -> tuple[Order | None, list[tuple[int, DomainEvent]]]:
            order = load_order(connection, order_id)
            return order, (load_timeline(connection, order_id) if order is not None else [])

        return await self.run(read)

    async def commit(self) -> None:
        """Commit this transaction, writing the audit outbox's waiting events first. A transaction with nothing of
        its own to write does not fail when the store cannot take the outbox's events: they wait for the next one."""
        if not self._write:
            raise RuntimeError("Only a begun write unit of work can commit")
        carries_only_the_outbox = not (self._tracked or self._deferred or self._recorded)
        try:
            events = await self._db.on_writer(self._commit_sync)
        except StoreUnavailableError as error:
            if isinstance(error, StoreUnreachableError):
                error.while_saving = True
            if not carries_only_the_outbox:
                raise
            events = []
        finally:
            self._connection = None
            self._write = False
            self._keys_to_check = ()
            self._release()
        self.committed_events.extend(events)

    def _commit_sync(self) -> list[DomainEvent]:
        connection = self._connection if self._connection is not None else self._open(self._db.write_engine)
        self._connection = None
        try:
            held = self._outbox.pending()
            events: list[DomainEvent] = list(held)
            for order, is_new in self._tracked.values():
                pending = order.pull_events()
                if pending or is_new:
                    edited = any(isinstance(event, OrderEditedEvent) for event in pending)
                    save_order(connection, order, is_new, items_changed=edited)
                events.extend(pending)
            for fn, args in self._deferred:
                fn(connection, *args)
            events.extend(self._recorded)
            positioned = append_events(connection, events)
            self._projector.project_all(connection, positioned)
            if positioned:
                self._db.announce_commit(connection, positioned[0][0], positioned[-1][0])
            connection.commit()
            if held:
                self._outbox.written(held)
            if positioned:
                self._db.local_commits.add(positioned[0][0], positioned[-1][0])
            return events
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.close()
            self._tracked.clear()
            self._deferred.clear()
            self._recorded.clear()

    async def rollback(self) -> None:
        connection, self._connection = self._connection, None
        self._write = False
        self._keys_to_check = ()
        self._tracked.clear()
        self._deferred.clear()
        self._recorded.clear()
        if connection is None:
            self._release()
            return
        try:
            await self._db.on_writer(self._close, connection)
        finally:
            self._release()

    @staticmethod
    def _close(connection: Connection) -> None:
        try:
            connection.rollback()
        finally:
            connection.close()

    def _release(self) -> None:
        if self._holds_lock:
            self._holds_lock = False
            self._db.write_lock.release()

    async def aclose(self) -> None:
        """End of the request's scope: whatever was not committed is rolled back."""
        if self._connection is not None or self._holds_lock:
            await self.rollback()
