"""An in-memory store behind the application's ports, for rule tests that need no SQLite file (as cosmicpython's
`FakeUnitOfWork`).

`FakeStore` holds what is committed: orders, menu, staff, processed commands, order numbers and the event store.
Each `FakeUnitOfWork` (one per request scope, like `SqlUnitOfWork`) reads copies from it and writes nothing until
`commit()`: a rolled-back command leaves the store exactly as it was. The order version is checked on save, as the
SQL repository does. `fake_app()` wires the real mediator, behaviors and command handlers over these fakes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID

from pos_app.application.approvals import ManagerApproval
from pos_app.application.behaviors import PIPELINE, QueryCache
from pos_app.application.behaviors.validation import ValidationContext
from pos_app.application.notifications import ChangeNotifier
from pos_app.application.ports import (
    AuditOutbox,
    Clock,
    MenuRepository,
    OrderRepository,
    PasswordHasher,
    PlacingReads,
    ProcessedCommands,
    RequestContext,
    SignedInStaff,
    StaffRepository,
    StoredResult,
    StoreInfo,
    StoreTime,
    TerminalSession,
    UnitOfWork,
)
from pos_app.application.stored_results import ResultCodec
from pos_app.config import Settings
from pos_app.domain.errors import ConcurrencyError
from pos_app.domain.events import DomainEvent, KitchenNoticeAcknowledgedEvent, OrderCancelledEvent, OrderEvent
from pos_app.domain.kitchen import KitchenLoad
from pos_app.domain.menu import Menu, MenuItem, Size, Topping
from pos_app.domain.money import Money
from pos_app.domain.orders import OPEN_STATUSES, Order
from pos_app.domain.staff import Role, Staff
from pos_app.mediation import Mediator, ServiceCollection, ServiceProvider
from tests.support import PINS, FrozenClock

Change = Callable[["FakeStore"], None]

COMMAND_HANDLER_MODULES = [
    "pos_app.application.behaviors.caching",
    "pos_app.application.commands.staff",
    "pos_app.application.notifications",
    "pos_app.application.commands.orders",
    "pos_app.application.commands.menu",
    "pos_app.application.queries.handlers",
]
"""The handlers that run on the unit of work alone (the read-model query handlers need SQLite)."""


def demo_menu() -> Menu:
    """The part of the demo menu (resources/menu.json) the rule tests order from."""
    pizza_sizes = (Size.SMALL, Size.MEDIUM, Size.LARGE)
    items = [
        MenuItem("margherita", "Margherita", "Tomato, fior di latte", "pizza", Money(1299), 12, sizes=pizza_sizes),
        MenuItem("pepperoni", "Pepperoni", "Tomato, pepperoni", "pizza", Money(1499), 13, sizes=pizza_sizes),
        MenuItem("cola", "Cola", "330 ml can", "drink", Money(250), 0, sizes=(Size.MEDIUM,), takes_toppings=False),
        MenuItem("water", "Water", "500 ml", "drink", Money(199), 0, sizes=(Size.MEDIUM,), takes_toppings=False),
    ]
    toppings = [Topping("ham", "Ham", Money(200)), Topping("basil", "Fresh basil", Money(50))]
    return Menu(items={i.id: i for i in items}, toppings={t.id: t for t in toppings})


def fake_pin_hash(pin: str) -> str:
    return f"fake${pin}"


def demo_staff() -> list[Staff]:
    """The demo staff (README), their PINs 'hashed' by `FakePinHasher`."""
    people = [
        ("mario", "Mario Rossi", Role.MANAGER),
        ("luigi", "Luigi Verdi", Role.COUNTER),
        ("rosa", "Rosa Bianchi", Role.KITCHEN),
        ("toni", "Toni Neri", Role.DRIVER),
    ]
    return [Staff(id=i, name=name, role=role, pin_hash=fake_pin_hash(PINS[i])) for i, name, role in people]


@dataclass
class FakeStore:
    """What is committed, in memory."""

    menu: Menu = field(default_factory=demo_menu)
    staff: dict[str, Staff] = field(default_factory=lambda: {s.id: s for s in demo_staff()})
    orders: dict[UUID, Order] = field(default_factory=dict)
    processed: dict[str, StoredResult] = field(default_factory=dict)
    numbers: dict[date, int] = field(default_factory=dict)
    events: list[DomainEvent] = field(default_factory=list)
    commits: int = 0

    def kitchen_load(self, business_date: date) -> KitchenLoad:
        """The items the kitchen still has to make that day, as the SQL query counts them."""
        waiting = [
            item.preparation_minutes
            for order in self.orders.values()
            if order.status in OPEN_STATUSES and order.business_date == business_date
            for item in order.items
            if item.ready_at is None and item.preparation_minutes > 0
        ]
        return KitchenLoad(items_in_progress=len(waiting), prep_minutes_in_progress=sum(waiting))

    def state(self) -> tuple[object, ...]:
        """Everything committed, to compare before and after a request that must write nothing."""
        return (
            copy.deepcopy(self.orders),
            dict(self.staff),
            dict(self.processed),
            dict(self.numbers),
            list(self.events),
            self.menu,
        )


class FakeOrderRepository(OrderRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def get(self, order_id: UUID) -> Order | None:
        stored = self._uow.store.orders.get(order_id)
        if stored is None:
            return None
        order = copy.deepcopy(stored)
        self._uow.track(order, is_new=False)
        return order

    def add(self, order: Order) -> None:
        self._uow.track(order, is_new=True)

    async def placing_reads(self, business_date: date) -> PlacingReads:
        number = self._uow.next_number(business_date)
        return PlacingReads(self._uow.store.menu, self._uow.store.kitchen_load(business_date), number)

    async def kitchen_notice(self, order_id: UUID) -> str | None:
        """As the kitchen queue keeps it: an order cancelled while open has a notice until it is acknowledged."""
        notice = None
        for event in self._uow.store.events:
            if isinstance(event, OrderCancelledEvent) and event.order_id == order_id:
                notice = "cancelled" if event.kitchen_acknowledges else None
            elif isinstance(event, KitchenNoticeAcknowledgedEvent) and event.order_id == order_id:
                notice = None
        return notice


class FakeMenuRepository(MenuRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def get_menu(self) -> Menu:
        return self._uow.store.menu

    async def save_item(self, item: MenuItem, added: bool) -> None:
        def save(store: FakeStore) -> None:
            store.menu = Menu(items={**store.menu.items, item.id: item}, toppings=dict(store.menu.toppings))

        self._uow.defer(save)


class FakeStaffRepository(StaffRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def get(self, staff_id: str) -> Staff | None:
        stored = self._uow.store.staff.get(staff_id)
        return None if stored is None else replace(stored)

    async def list_active(self) -> Sequence[Staff]:
        return [replace(s) for s in sorted(self._uow.store.staff.values(), key=lambda s: s.name) if s.active]

    async def save(self, staff: Staff) -> None:
        saved = replace(staff)
        self._uow.defer(lambda store: store.staff.__setitem__(saved.id, saved))


class FakeProcessedCommands(ProcessedCommands):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def get(self, key: str) -> StoredResult | None:
        return self._uow.store.processed.get(key)

    async def add(self, key: str, command_type: str, result: StoredResult, at: datetime) -> None:
        stored = replace(result, command_type=command_type)
        self._uow.defer(lambda store: store.processed.__setitem__(key, stored))


class FakeUnitOfWork(UnitOfWork):
    """One transaction over a `FakeStore`: changes wait here until `commit()`, which applies them all at once."""

    def __init__(self, store: FakeStore, outbox: AuditOutbox) -> None:
        self.store = store
        self._outbox = outbox
        self._write = False
        self._keep_failure = False
        self._tracked: dict[UUID, tuple[Order, bool]] = {}
        self._deferred: list[Change] = []
        self._recorded: list[DomainEvent] = []
        self._numbers: dict[date, int] = {}
        self.committed = False
        self.committed_events: list[DomainEvent] = []
        self.orders = FakeOrderRepository(self)
        self.menu = FakeMenuRepository(self)
        self.staff = FakeStaffRepository(self)
        self.processed = FakeProcessedCommands(self)

    # what the repositories use -----------------------------------------------------------------------------------
    def track(self, order: Order, is_new: bool) -> None:
        known = self._tracked.get(order.id)
        self._tracked[order.id] = (order, is_new or (known is not None and known[1]))

    def defer(self, change: Change) -> None:
        self._deferred.append(change)

    def next_number(self, business_date: date) -> int:
        """The day's next order number, given back (not kept) when this transaction rolls back."""
        number = self._numbers.get(business_date, self.store.numbers.get(business_date, 0)) + 1
        self._numbers[business_date] = number
        return number

    # UnitOfWork --------------------------------------------------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return self._write

    async def begin(self, write: bool) -> None:
        if self._write:
            raise RuntimeError("This unit of work has already begun")
        self._write = write

    def record(self, events: Sequence[DomainEvent]) -> None:
        self._recorded.extend(events)

    def keep_changes_of_failure(self) -> None:
        self._keep_failure = True

    @property
    def keeps_changes_of_failure(self) -> bool:
        return self._keep_failure

    async def order_with_timeline(self, order_id: UUID) -> tuple[Order | None, Sequence[tuple[int, DomainEvent]]]:
        stored = self.store.orders.get(order_id)
        if stored is None:
            return None, []
        timeline = [
            (position, event)
            for position, event in enumerate(self.store.events, start=1)
            if isinstance(event, OrderEvent) and event.order_id == order_id
        ]
        return copy.deepcopy(stored), timeline

    async def commit(self) -> None:
        if not self._write:
            raise RuntimeError("Only a begun write unit of work can commit")
        try:
            held = self._outbox.pending()
            events: list[DomainEvent] = list(held)
            saves: list[tuple[Order, bool]] = []
            for order, is_new in self._tracked.values():
                pending = order.pull_events()
                if pending or is_new:
                    self._check_version(order, is_new)
                    saves.append((order, is_new))
                events.extend(pending)
            events.extend(self._recorded)
            for order, is_new in saves:
                order.version = 1 if is_new else order.version + 1
                self.store.orders[order.id] = copy.deepcopy(order)
            for change in self._deferred:
                change(self.store)
            self.store.numbers.update(self._numbers)
            self.store.events.extend(events)
            self.store.commits += 1
            if held:
                self._outbox.written(held)
        finally:
            self._clear()
        self.committed = True
        self.committed_events.extend(events)

    def _check_version(self, order: Order, is_new: bool) -> None:
        stored = self.store.orders.get(order.id)
        if is_new and stored is not None:
            raise ValueError(f"Order {order.id} is already in the store")
        if not is_new and (stored is None or stored.version != order.version):
            raise ConcurrencyError(f"Order #{order.number} was changed on another terminal; look again and retry")

    async def rollback(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self._write = False
        self._keys_to_check = ()
        self._tracked.clear()
        self._deferred.clear()
        self._recorded.clear()
        self._numbers.clear()

    async def aclose(self) -> None:
        """End of the request's scope: whatever was not committed is dropped."""
        if self._write:
            await self.rollback()


class FakePinHasher(PasswordHasher):
    """No scrypt: a 'hash' is the PIN behind a prefix (rule tests need no slow hashing)."""

    async def verify(self, pin: str, stored_hash: str) -> bool:
        return stored_hash == fake_pin_hash(pin)

    async def hash(self, pin: str) -> str:
        return fake_pin_hash(pin)


@dataclass
class FakeApp:
    """The real mediator, behaviors and command handlers over a `FakeStore`."""

    mediator: Mediator
    store: FakeStore
    clock: FrozenClock
    session: TerminalSession
    outbox: AuditOutbox
    provider: ServiceProvider

    def sign_in(self, staff_id: str) -> None:
        """Act as this staff member without a login command (for tests about what comes after)."""
        staff = self.store.staff[staff_id]
        self.session.current = SignedInStaff(staff.id, staff.name, staff.role, self.clock.now())


def fake_app(
    settings: Settings | None = None,
    store: FakeStore | None = None,
    clock: FrozenClock | None = None,
    modules: Iterable[str] = COMMAND_HANDLER_MODULES,
) -> FakeApp:
    settings = settings or Settings(timezone="UTC")
    store = store or FakeStore()
    clock = clock or FrozenClock()
    session = TerminalSession()
    outbox = AuditOutbox()
    services = ServiceCollection()
    services.add_singleton(Settings, settings)
    services.add_singleton(StoreInfo, StoreInfo(is_demo=True))
    services.add_singleton(Clock, clock)
    services.add_singleton(StoreTime, StoreTime(settings.timezone, settings.day_starts_at))
    services.add_singleton(FakeStore, store)
    services.add_singleton(TerminalSession, session)
    services.add_singleton(AuditOutbox, outbox)
    services.add_singleton(QueryCache)
    services.add_singleton(ChangeNotifier)
    services.add_singleton(ResultCodec)
    services.add_singleton(PasswordHasher, FakePinHasher())
    services.add_singleton(ValidationContext)
    services.add_scoped(UnitOfWork, FakeUnitOfWork)
    services.add_scoped(RequestContext)
    services.add_scoped(ManagerApproval)
    Mediator.configure(services, modules)
    for behavior in PIPELINE:
        services.add_pipeline_behavior(behavior)
    provider = services.build()
    return FakeApp(provider.get_required_service(Mediator), store, clock, session, outbox, provider)
