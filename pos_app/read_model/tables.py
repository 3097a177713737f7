"""Read-model tables (`…_view`): kept by projections in the command's transaction, rebuildable from the events."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Boolean, Index, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.schema import Base, Day, Instant, table


class OrderListRecord(Base):
    """One row per order: the order list, delivery board and customer history read it."""

    __tablename__ = "order_list_view"

    order_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    order_number: Mapped[int] = mapped_column(Integer)
    business_date: Mapped[date] = mapped_column(Day)
    placed_at: Mapped[datetime] = mapped_column(Instant)
    customer_name: Mapped[str] = mapped_column(String(80))
    customer_phone: Mapped[str] = mapped_column(String(20))
    customer_address: Mapped[str | None] = mapped_column(String(200))
    order_type: Mapped[str] = mapped_column(String(12))
    items_summary: Mapped[str] = mapped_column(Text)
    items_json: Mapped[str] = mapped_column(Text)
    item_count: Mapped[int] = mapped_column(Integer)
    items_ready: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    delivery_fee_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    paid: Mapped[bool] = mapped_column(Boolean)
    payment_method: Mapped[str] = mapped_column(String(8))
    estimated_ready_at: Mapped[datetime] = mapped_column(Instant)
    started_at: Mapped[datetime | None] = mapped_column(Instant)
    ready_at: Mapped[datetime | None] = mapped_column(Instant)
    completed_at: Mapped[datetime | None] = mapped_column(Instant)
    driver_id: Mapped[str | None] = mapped_column(String(40))
    last_position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_order_list_day", "business_date", "placed_at", "order_number"),
        Index("ix_order_list_phone", "customer_phone", "placed_at"),
        Index(
            "ix_order_list_delivery",
            "status",
            sqlite_where=text("order_type = 'delivery' AND status IN ('ready', 'out_for_delivery')"),
        ),
        Index(
            "ix_order_list_open",
            "business_date",
            "placed_at",
            sqlite_where=text("status IN ('pending', 'cooking', 'ready', 'out_for_delivery')"),
        ),
    )


class KitchenTicketRecord(Base):
    """One row per order the kitchen has seen; open while `completed_at` is null (FIFO by `position`)."""

    __tablename__ = "kitchen_queue_view"

    order_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    order_number: Mapped[int] = mapped_column(Integer)
    order_type: Mapped[str] = mapped_column(String(12))
    customer_name: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))
    placed_at: Mapped[datetime] = mapped_column(Instant)
    started_at: Mapped[datetime | None] = mapped_column(Instant)
    estimated_ready_at: Mapped[datetime] = mapped_column(Instant)
    completed_at: Mapped[datetime | None] = mapped_column(Instant)
    items_json: Mapped[str] = mapped_column(Text)
    items_total: Mapped[int] = mapped_column(Integer)
    items_ready: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_kitchen_open", "position", sqlite_where=text("completed_at IS NULL")),
        Index("ix_kitchen_completed", "completed_at", sqlite_where=text("completed_at IS NOT NULL")),
    )


class CustomerRecord(Base):
    __tablename__ = "customer_view"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    address: Mapped[str | None] = mapped_column(String(200))
    addresses_json: Mapped[str] = mapped_column(Text)
    total_orders: Mapped[int] = mapped_column(Integer)
    total_spent_cents: Mapped[int] = mapped_column(Integer)
    first_order_at: Mapped[datetime] = mapped_column(Instant)
    last_order_at: Mapped[datetime] = mapped_column(Instant)
    last_order_id: Mapped[UUID] = mapped_column(Uuid)


class CustomerItemRecord(Base):
    """How many of each menu item a customer has ordered (favourites)."""

    __tablename__ = "customer_item_view"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    menu_item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)


class DailySalesRecord(Base):
    __tablename__ = "sales_daily_view"

    business_date: Mapped[date] = mapped_column(Day, primary_key=True)
    orders: Mapped[int] = mapped_column(Integer)
    cancelled_orders: Mapped[int] = mapped_column(Integer)
    items_sold: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    delivery_fee_cents: Mapped[int] = mapped_column(Integer)
    cash_cents: Mapped[int] = mapped_column(Integer)
    card_cents: Mapped[int] = mapped_column(Integer)
    refund_cents: Mapped[int] = mapped_column(Integer)
    pickup_orders: Mapped[int] = mapped_column(Integer)
    delivery_orders: Mapped[int] = mapped_column(Integer)
    dine_in_orders: Mapped[int] = mapped_column(Integer)


class DailyItemSalesRecord(Base):
    __tablename__ = "sales_item_daily_view"

    business_date: Mapped[date] = mapped_column(Day, primary_key=True)
    menu_item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    revenue_cents: Mapped[int] = mapped_column(Integer)


class KitchenDailyRecord(Base):
    __tablename__ = "kitchen_daily_view"

    business_date: Mapped[date] = mapped_column(Day, primary_key=True)
    orders_completed: Mapped[int] = mapped_column(Integer)
    items_completed: Mapped[int] = mapped_column(Integer)
    cooking_seconds: Mapped[int] = mapped_column(Integer)
    ready_seconds: Mapped[int] = mapped_column(Integer)
    on_time_orders: Mapped[int] = mapped_column(Integer)
    late_orders: Mapped[int] = mapped_column(Integer)


order_list = table(OrderListRecord)
kitchen = table(KitchenTicketRecord)
customers = table(CustomerRecord)
customer_items = table(CustomerItemRecord)
sales = table(DailySalesRecord)
item_sales = table(DailyItemSalesRecord)
kitchen_daily = table(KitchenDailyRecord)

READ_MODEL_TABLES = (order_list, kitchen, customers, customer_items, sales, item_sales, kitchen_daily)
