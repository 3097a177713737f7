"""The store's schema as it stood when migrations moved to Alembic (schema version 10 of the steps before it).

Frozen: it spells out every table and index as they were, and never reads the models (`pos_app.schema.Base`),
which move on. A store made before Alembic reached this schema through the SQL steps in
`infrastructure/migrations/` and is stamped at this revision; a new store, on SQLite or PostgreSQL, starts here.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

CASEFOLD_FUNCTION = """
CREATE FUNCTION pos_casefold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT replace(lower($1), 'ß', 'ss') $$
"""
"""PostgreSQL's `pos_casefold(x)`, the case-insensitive search key (SQLite's is registered on each connection)."""

TABLES = (
    "customer_item_view",
    "customer_view",
    "events",
    "kitchen_daily_view",
    "kitchen_queue_view",
    "menu_items",
    "order_list_view",
    "order_numbers",
    "orders",
    "processed_commands",
    "sales_daily_view",
    "sales_item_daily_view",
    "staff",
    "store_info",
    "toppings",
    "order_items",
)
"""In the order they are created (order_items refers to orders)."""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CASEFOLD_FUNCTION)
    op.create_table(
        "customer_item_view",
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("menu_item_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("phone", "menu_item_id"),
    )
    op.create_table(
        "customer_view",
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("addresses_json", sa.Text(), nullable=False),
        sa.Column("total_orders", sa.Integer(), nullable=False),
        sa.Column("total_spent_cents", sa.Integer(), nullable=False),
        sa.Column("first_order_at", sa.String(length=32), nullable=False),
        sa.Column("last_order_at", sa.String(length=32), nullable=False),
        sa.Column("last_order_id", sa.Uuid(as_uuid=True, native_uuid=False), nullable=False),
        sa.PrimaryKeyConstraint("phone"),
    )
    op.create_table(
        "events",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Uuid(as_uuid=True, native_uuid=False), nullable=True),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.String(length=40), nullable=True),
        sa.Column("occurred_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("position"),
    )
    op.create_index(op.f("ix_events_order_id"), "events", ["order_id"], unique=False)
    op.create_table(
        "kitchen_daily_view",
        sa.Column("business_date", sa.String(length=10), nullable=False),
        sa.Column("orders_completed", sa.Integer(), nullable=False),
        sa.Column("items_completed", sa.Integer(), nullable=False),
        sa.Column("cooking_seconds", sa.Integer(), nullable=False),
        sa.Column("ready_seconds", sa.Integer(), nullable=False),
        sa.Column("on_time_orders", sa.Integer(), nullable=False),
        sa.Column("late_orders", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("business_date"),
    )
    op.create_table(
        "kitchen_queue_view",
        sa.Column("order_id", sa.Uuid(as_uuid=True, native_uuid=False), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.Integer(), nullable=False),
        sa.Column("order_type", sa.String(length=12), nullable=False),
        sa.Column("customer_name", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("placed_at", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=True),
        sa.Column("estimated_ready_at", sa.String(length=32), nullable=False),
        sa.Column("completed_at", sa.String(length=32), nullable=True),
        sa.Column("items_json", sa.Text(), nullable=False),
        sa.Column("items_total", sa.Integer(), nullable=False),
        sa.Column("items_ready", sa.Integer(), nullable=False),
        sa.Column("prepared_total", sa.Integer(), server_default="0", nullable=False),
        sa.Column("notice_kind", sa.String(length=12), nullable=True),
        sa.Column("notice_details", sa.Text(), nullable=True),
        sa.Column("notice_at", sa.String(length=32), nullable=True),
        sa.Column("table_number", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_index(
        "ix_kitchen_completed",
        "kitchen_queue_view",
        ["completed_at"],
        unique=False,
        sqlite_where=sa.text("completed_at IS NOT NULL"),
        postgresql_where=sa.text("completed_at IS NOT NULL"),
    )
    op.create_index(
        "ix_kitchen_open",
        "kitchen_queue_view",
        ["position"],
        unique=False,
        sqlite_where=sa.text("completed_at IS NULL"),
        postgresql_where=sa.text("completed_at IS NULL"),
    )
    op.create_table(
        "menu_items",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("base_price_cents", sa.Integer(), nullable=False),
        sa.Column("preparation_minutes", sa.Integer(), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("seasonal", sa.Boolean(), nullable=False),
        sa.Column("sizes", sa.String(length=40), nullable=False),
        sa.Column("takes_toppings", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("allergens", sa.String(length=200), server_default="", nullable=False),
        sa.Column("needs_preparation", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "order_list_view",
        sa.Column("order_id", sa.Uuid(as_uuid=True, native_uuid=False), nullable=False),
        sa.Column("order_number", sa.Integer(), nullable=False),
        sa.Column("business_date", sa.String(length=10), nullable=False),
        sa.Column("placed_at", sa.String(length=32), nullable=False),
        sa.Column("customer_name", sa.String(length=80), nullable=False),
        sa.Column("customer_phone", sa.String(length=20), nullable=False),
        sa.Column("customer_address", sa.String(length=200), nullable=True),
        sa.Column("order_type", sa.String(length=12), nullable=False),
        sa.Column("items_summary", sa.Text(), nullable=False),
        sa.Column("items_json", sa.Text(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("items_ready", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.Column("delivery_fee_cents", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("payment_method", sa.String(length=8), nullable=False),
        sa.Column("estimated_ready_at", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=True),
        sa.Column("ready_at", sa.String(length=32), nullable=True),
        sa.Column("completed_at", sa.String(length=32), nullable=True),
        sa.Column("driver_id", sa.String(length=40), nullable=True),
        sa.Column("last_position", sa.Integer(), nullable=False),
        sa.Column("table_number", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_index(
        "ix_order_list_day", "order_list_view", ["business_date", "placed_at", "order_number"], unique=False
    )
    op.create_index(
        "ix_order_list_delivery",
        "order_list_view",
        ["status"],
        unique=False,
        sqlite_where=sa.text("order_type = 'delivery' AND status IN ('ready', 'out_for_delivery')"),
        postgresql_where=sa.text("order_type = 'delivery' AND status IN ('ready', 'out_for_delivery')"),
    )
    op.create_index(
        "ix_order_list_open",
        "order_list_view",
        ["business_date", "placed_at"],
        unique=False,
        sqlite_where=sa.text("status IN ('pending', 'cooking', 'ready', 'out_for_delivery')"),
        postgresql_where=sa.text("status IN ('pending', 'cooking', 'ready', 'out_for_delivery')"),
    )
    op.create_index("ix_order_list_phone", "order_list_view", ["customer_phone", "placed_at"], unique=False)
    op.create_table(
        "order_numbers",
        sa.Column("business_date", sa.String(length=10), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("business_date"),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Uuid(as_uuid=True, native_uuid=False), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("business_date", sa.String(length=10), nullable=False),
        sa.Column("order_type", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("customer_name", sa.String(length=80), nullable=False),
        sa.Column("customer_phone", sa.String(length=20), nullable=False),
        sa.Column("customer_address", sa.String(length=200), nullable=True),
        sa.Column("placed_at", sa.String(length=32), nullable=False),
        sa.Column("estimated_ready_at", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=True),
        sa.Column("ready_at", sa.String(length=32), nullable=True),
        sa.Column("completed_at", sa.String(length=32), nullable=True),
        sa.Column("cancelled_at", sa.String(length=32), nullable=True),
        sa.Column("cancel_reason", sa.String(length=200), nullable=True),
        sa.Column("subtotal_cents", sa.Integer(), nullable=False),
        sa.Column("delivery_fee_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("payment_method", sa.String(length=8), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("tendered_cents", sa.Integer(), nullable=False),
        sa.Column("change_cents", sa.Integer(), nullable=False),
        sa.Column("driver_id", sa.String(length=40), nullable=True),
        sa.Column("placed_by", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("table_number", sa.Integer(), nullable=True),
        sa.Column("covers", sa.Integer(), nullable=True),
        sa.Column("paid_cents", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("discount_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_orders_day_number", "orders", ["business_date", "number"], unique=True)
    op.create_index(
        "ix_orders_open",
        "orders",
        ["status"],
        unique=False,
        sqlite_where=sa.text("status IN ('pending', 'cooking')"),
        postgresql_where=sa.text("status IN ('pending', 'cooking')"),
    )
    op.create_index(
        "ix_orders_open_day",
        "orders",
        ["business_date"],
        unique=False,
        sqlite_where=sa.text("status IN ('pending', 'cooking')"),
        postgresql_where=sa.text("status IN ('pending', 'cooking')"),
    )
    op.create_table(
        "processed_commands",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("command_type", sa.String(length=60), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("processed_at", sa.String(length=32), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "sales_daily_view",
        sa.Column("business_date", sa.String(length=10), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("cancelled_orders", sa.Integer(), nullable=False),
        sa.Column("items_sold", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.Column("delivery_fee_cents", sa.Integer(), nullable=False),
        sa.Column("cash_cents", sa.Integer(), nullable=False),
        sa.Column("card_cents", sa.Integer(), nullable=False),
        sa.Column("refund_cents", sa.Integer(), nullable=False),
        sa.Column("pickup_orders", sa.Integer(), nullable=False),
        sa.Column("delivery_orders", sa.Integer(), nullable=False),
        sa.Column("dine_in_orders", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("business_date"),
    )
    op.create_table(
        "sales_item_daily_view",
        sa.Column("business_date", sa.String(length=10), nullable=False),
        sa.Column("menu_item_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("revenue_cents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("business_date", "menu_item_id"),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "store_info",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "toppings",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("allergens", sa.String(length=200), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "order_items",
        sa.Column("order_id", sa.Uuid(as_uuid=True, native_uuid=False), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("menu_item_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("size", sa.String(length=8), nullable=False),
        sa.Column("toppings", sa.Text(), nullable=False),
        sa.Column("topping_names", sa.Text(), nullable=False),
        sa.Column("special_instructions", sa.String(length=200), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("preparation_minutes", sa.Integer(), nullable=False),
        sa.Column("ready_at", sa.String(length=32), nullable=True),
        sa.Column("allergies", sa.String(length=200), server_default="", nullable=False),
        sa.Column("allergens", sa.String(length=200), server_default="", nullable=False),
        sa.Column("needs_preparation", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("quantity", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("order_id", "idx"),
    )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION pos_casefold(text)")
