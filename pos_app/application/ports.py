"""What the application needs from the outside world: clock, unit of work, repositories, the terminal session."""

from __future__ import annotations

import abc
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple
from uuid import UUID
from zoneinfo import ZoneInfo

from pos_app.domain.events import DomainEvent
from pos_app.domain.kitchen import KitchenLoad
from pos_app.domain.menu import Menu, MenuItem
from pos_app.domain.orders import Order
from pos_app.domain.staff import Role, Staff


class Clock(abc.ABC):
    @abc.abstractmethod
    def now(self) -> datetime:
        """The current time, timezone-aware."""


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now().astimezone()


class StoreTime:
    """Turns instants into the store's local time and business date (which begins at `day_starts_at`, so an order
    at half past midnight belongs to the evening's shift)."""

    def __init__(self, timezone: str | None, day_starts_at: time = time(0, 0)) -> None:
        self._zone: tzinfo | None = ZoneInfo(timezone) if timezone else None
        self._day_starts = timedelta(hours=day_starts_at.hour, minutes=day_starts_at.minute)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self._zone) if self._zone else instant.astimezone()

    def business_date(self, instant: datetime) -> date:
        return (self.local(instant) - self._day_starts).date()


class PlacingReads(NamedTuple):
    menu: Menu
    load: KitchenLoad
    number: int


class OrderRepository(abc.ABC):
    @abc.abstractmethod
    async def get(self, order_id: UUID) -> Order | None: ...

    @abc.abstractmethod
    def add(self, order: Order) -> None: ...

    @abc.abstractmethod
    async def placing_reads(self, business_date: date) -> PlacingReads:
        """What placing an order reads, in one trip to the store: the menu, what the kitchen still has to make, and
        the next order number of the day (taken in the write transaction: a refused order's number is given back
        when the transaction rolls back)."""

    @abc.abstractmethod
    async def kitchen_notice(self, order_id: UUID) -> str | None:
        """The notice on the order's kitchen ticket that the kitchen has not acknowledged ("cancelled", "changed"),
        as the kitchen queue holds it in this transaction (its projections run in the same transaction)."""


class MenuRepository(abc.ABC):
    @abc.abstractmethod
    async def get_menu(self) -> Menu: ...

    @abc.abstractmethod
    async def save_item(self, item: MenuItem, added: bool) -> None: ...


class StaffRepository(abc.ABC):
    @abc.abstractmethod
    async def get(self, staff_id: str) -> Staff | None: ...

    @abc.abstractmethod
    async def list_active(self) -> Sequence[Staff]: ...

    @abc.abstractmethod
    async def save(self, staff: Staff) -> None: ...


@dataclass(frozen=True, slots=True)
class StoredResult:
    status: int
    payload: str | None
    digest: str | None = None
    """The digest of the request that got this result (None for a result stored before digests were kept)."""
    command_type: str | None = None


class ProcessedCommands(abc.ABC):
    """The results of commands already handled, by idempotency key."""

    @abc.abstractmethod
    async def get(self, key: str) -> StoredResult | None: ...

    async def get_any(self, keys: Sequence[str]) -> StoredResult | None:
        """The stored result of the first of `keys` that has one (the same id under each command type)."""
        for key in keys:
            stored = await self.get(key)
            if stored is not None:
                return stored
        return None

    @abc.abstractmethod
    async def add(self, key: str, command_type: str, result: StoredResult, at: datetime) -> None: ...


class AlreadyProcessedError(Exception):
    """The command's idempotency key already has a stored result: the transaction stops and that result is replayed."""

    def __init__(self, stored: StoredResult) -> None:
        super().__init__("This command was already handled")
        self.stored = stored


class UnitOfWork(abc.ABC):
    """One transaction: aggregate rows, event-store rows and read-model projections commit together or not at all.

    `TransactionBehavior` begins it for every command and commits it when the handler succeeds; query handlers use
    it read-only.
    """

    orders: OrderRepository
    menu: MenuRepository
    staff: StaffRepository
    processed: ProcessedCommands
    committed_events: list[DomainEvent]
    _keys_to_check: tuple[str, ...] = ()

    def check_processed_first(self, keys: Sequence[str]) -> None:
        """Look these idempotency keys up before anything else this transaction reads. A store that can fold the
        lookup into the transaction's first read (one trip to the database fewer per command) does it there and
        raises `AlreadyProcessedError`; otherwise `check_processed_now` looks them up."""
        self._keys_to_check = tuple(keys)

    async def check_processed_now(self) -> None:
        """Raise `AlreadyProcessedError` if the keys given to `check_processed_first` have a stored result and no read
        has looked them up yet."""
        keys, self._keys_to_check = self._keys_to_check, ()
        if keys:
            stored = await self.processed.get_any(keys)
            if stored is not None:
                raise AlreadyProcessedError(stored)

    @abc.abstractmethod
    async def begin(self, write: bool) -> None:
        """Start the write transaction (it takes the database's write lock at once). Reads need no begin."""

    @abc.abstractmethod
    def record(self, events: Sequence[DomainEvent]) -> None:
        """Events that belong to no loaded aggregate (menu, staff) to store with this transaction."""

    @abc.abstractmethod
    def keep_changes_of_failure(self) -> None:
        """Commit this transaction even though the command fails (an audit record such as a wrong PIN)."""

    @property
    @abc.abstractmethod
    def keeps_changes_of_failure(self) -> bool: ...

    @abc.abstractmethod
    async def commit(self) -> None: ...

    @abc.abstractmethod
    async def rollback(self) -> None: ...

    @abc.abstractmethod
    async def order_with_timeline(self, order_id: UUID) -> tuple[Order | None, Sequence[tuple[int, DomainEvent]]]:
        """One order and its stored events (oldest first, with positions), read together."""

    @property
    @abc.abstractmethod
    def in_transaction(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class SignedInStaff:
    staff_id: str
    name: str
    role: Role
    logged_in_at: datetime


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """What kind of store the app runs on, read when it opens: a demo store holds the demo staff and their
    published PINs."""

    is_demo: bool


class TerminalSession:
    """Who is logged in on this terminal (one per app). `AuthorizationBehavior` reads it for every request."""

    def __init__(self) -> None:
        self.current: SignedInStaff | None = None


class AuditOutbox:
    """Audit events that must reach the event store but must not wait for it (one per app).

    Locking the till is done in memory at once, whatever the store answers; its `StaffLoggedOutEvent` waits here.
    Every transaction that commits writes the waiting events first, in the order they happened, and they leave the
    outbox only once that transaction has committed; while the store is busy, the app retries on its own
    (`bootstrap`), and once more when it closes. The outbox lives in memory: a store that stays unwritable until the
    app is closed loses those events, and the log says so."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the writer thread takes the events while the loop may add more
        self._pending: list[DomainEvent] = []
        self.on_added: Callable[[], None] | None = None
        """Called (on the event loop) after events were added: the app starts its retries."""

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)

    def add(self, events: Sequence[DomainEvent]) -> None:
        with self._lock:
            self._pending.extend(events)
        if self.on_added is not None:
            self.on_added()

    def pending(self) -> list[DomainEvent]:
        """The waiting events, oldest first (they stay until `written`)."""
        with self._lock:
            return list(self._pending)

    def written(self, events: Sequence[DomainEvent]) -> None:
        """`events` (taken from `pending`) are committed to the event store."""
        with self._lock:
            done = {id(event) for event in events}
            self._pending = [event for event in self._pending if id(event) not in done]


class RequestContext:
    """Per request: the staff member the request runs as, fixed when authorization passed."""

    def __init__(self) -> None:
        self.staff: SignedInStaff | None = None

    @property
    def staff_id(self) -> str | None:
        return self.staff.staff_id if self.staff else None

    @property
    def role(self) -> Role | None:
        return self.staff.role if self.staff else None


class PasswordHasher(abc.ABC):
    """Checks PINs off the event loop (scrypt is deliberately slow)."""

    @abc.abstractmethod
    async def verify(self, pin: str, stored_hash: str) -> bool: ...

    @abc.abstractmethod
    async def hash(self, pin: str) -> str:
        """A new salted hash of `pin`, to store instead of it."""


class StoreConnection(abc.ABC):
    """Whether the store server answers (a store file always does)."""

    @abc.abstractmethod
    async def wait_until_reachable(self, timeout: float) -> bool:
        """Wait until the store server answers again, at most `timeout` seconds; whether it does."""
