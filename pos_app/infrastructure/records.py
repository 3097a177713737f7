"""The write model: ORM rows of orders, menu, staff, order numbers and processed commands; and the event store."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text, true
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.schema import Base, Day, HexUuid, Instant, partial_index


class OrderRecord(Base):
    __tablename__ = "orders"

    id: Mapped[UUID] = mapped_column(HexUuid, primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    business_date: Mapped[date] = mapped_column(Day)
    order_type: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(20))
    customer_name: Mapped[str] = mapped_column(String(80))
    customer_phone: Mapped[str] = mapped_column(String(20))
    customer_address: Mapped[str | None] = mapped_column(String(200))
    placed_at: Mapped[datetime] = mapped_column(Instant)
    estimated_ready_at: Mapped[datetime] = mapped_column(Instant)
    started_at: Mapped[datetime | None] = mapped_column(Instant)
    ready_at: Mapped[datetime | None] = mapped_column(Instant)
    completed_at: Mapped[datetime | None] = mapped_column(Instant)
    cancelled_at: Mapped[datetime | None] = mapped_column(Instant)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    subtotal_cents: Mapped[int] = mapped_column(Integer)
    delivery_fee_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    payment_method: Mapped[str] = mapped_column(String(8))
    paid: Mapped[bool] = mapped_column(Boolean)
    tendered_cents: Mapped[int] = mapped_column(Integer)
    change_cents: Mapped[int] = mapped_column(Integer)
    driver_id: Mapped[str | None] = mapped_column(String(40))
    placed_by: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    table_number: Mapped[int | None] = mapped_column(Integer)
    covers: Mapped[int | None] = mapped_column(Integer)
    paid_cents: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    discount_json: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_orders_day_number", "business_date", "number", unique=True),
        partial_index("ix_orders_open", "status", where="status IN ('pending', 'cooking')"),
        partial_index("ix_orders_open_day", "business_date", where="status IN ('pending', 'cooking')"),
    )


class OrderItemRecord(Base):
    __tablename__ = "order_items"

    order_id: Mapped[UUID] = mapped_column(HexUuid, ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    menu_item_id: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(20))
    size: Mapped[str] = mapped_column(String(8))
    toppings: Mapped[str] = mapped_column(Text)
    topping_names: Mapped[str] = mapped_column(Text)
    special_instructions: Mapped[str] = mapped_column(String(200))
    price_cents: Mapped[int] = mapped_column(Integer)
    preparation_minutes: Mapped[int] = mapped_column(Integer)
    ready_at: Mapped[datetime | None] = mapped_column(Instant)
    allergies: Mapped[str] = mapped_column(String(200), server_default="")
    allergens: Mapped[str] = mapped_column(String(200), server_default="")
    needs_preparation: Mapped[bool] = mapped_column(Boolean, server_default=true())
    quantity: Mapped[int] = mapped_column(Integer, server_default=text("1"))


class MenuItemRecord(Base):
    __tablename__ = "menu_items"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    base_price_cents: Mapped[int] = mapped_column(Integer)
    preparation_minutes: Mapped[int] = mapped_column(Integer)
    available: Mapped[bool] = mapped_column(Boolean)
    seasonal: Mapped[bool] = mapped_column(Boolean)
    sizes: Mapped[str] = mapped_column(String(40))
    takes_toppings: Mapped[bool] = mapped_column(Boolean)
    sort_order: Mapped[int] = mapped_column(Integer)
    allergens: Mapped[str] = mapped_column(String(200), server_default="")
    needs_preparation: Mapped[bool] = mapped_column(Boolean, server_default=true())


class ToppingRecord(Base):
    __tablename__ = "toppings"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    price_cents: Mapped[int] = mapped_column(Integer)
    available: Mapped[bool] = mapped_column(Boolean)
    sort_order: Mapped[int] = mapped_column(Integer)
    allergens: Mapped[str] = mapped_column(String(200), server_default="")


class StaffRecord(Base):
    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(10))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    failed_attempts: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(Instant)


class OrderNumberRecord(Base):
    """The last order number given out on each business day."""

    __tablename__ = "order_numbers"

    business_date: Mapped[date] = mapped_column(Day, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class ProcessedCommandRecord(Base):
    """The first result of each command that carried an id, returned again to a retry."""

    __tablename__ = "processed_commands"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    command_type: Mapped[str] = mapped_column(String(60))
    status: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime] = mapped_column(Instant)
    digest: Mapped[str | None] = mapped_column(String(64))
    """sha256 of the request (`behaviors.idempotency.request_digest`); None for commands processed before schema 7."""


class StoreInfoRecord(Base):
    """One row: what kind of store this is (a demo store holds the demo staff and their published PINs)."""

    __tablename__ = "store_info"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    is_demo: Mapped[bool] = mapped_column(Boolean)


class EventRecord(Base):
    """The event store: every domain event, in commit order, with who did it and when."""

    __tablename__ = "events"

    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[UUID | None] = mapped_column(HexUuid, index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[str | None] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(Instant)
