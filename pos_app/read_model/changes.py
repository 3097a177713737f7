"""What changed since a screen last read: the orders that the events after a position in the event store touched.

A screen that lists read-model rows keeps the event position its rows reflect (the `position` of its last answer)
and asks for `changed_since=` that position. The answer reads the store's last position and the rows of the orders
touched since in one read transaction (one snapshot on both backends), so the screen merges exactly what the new
position covers, and a refresh costs what changed, not the size of the day. Positions are gap-free and in commit
order on both backends (`infrastructure/postgres.py`), so nothing committed before the last position can appear
later below it.

When more than `CHANGES_LIMIT` events came since (a screen that slept through a rush), or the position is one this
store has not reached (a store restored from a backup, another store), the answer is the whole list instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from pos_app.schema.dialects import driver_sql

CHANGES_LIMIT = 500
"""Past this many events since a screen's position, reading its whole list again is as cheap as the changes."""

LAST_POSITION_SQL = "SELECT coalesce(max(position), 0) FROM events"
CHANGED_ORDERS_SQL = "SELECT order_id FROM events WHERE position > ? AND order_id IS NOT NULL"
"""A range of the event store's key. (With DISTINCT, SQLite walks the whole order-id index instead: 60 ms on a
year of history, against a few microseconds.)"""


@dataclass(frozen=True, slots=True)
class Changes:
    position: int
    """The store's last event position in this read's snapshot."""
    order_ids: tuple[str, ...] | None
    """The stored (hex) ids of the orders changed after the asked position; None: read the whole list."""

    def id_list(self) -> str:
        """`?, ?, …` for the changed ids in an `IN (…)`; pass `order_ids` as its parameters."""
        return ", ".join("?" for _ in self.order_ids or ())


def changes_since(connection: Connection, since: int | None) -> Changes:
    """The last position, and the orders changed after `since` (None when the caller must read everything)."""
    position = int(driver_sql(connection, LAST_POSITION_SQL).scalar_one())
    if since is None or since > position or position - since > CHANGES_LIMIT:
        return Changes(position, None)
    if since == position:
        return Changes(position, ())
    rows = driver_sql(connection, CHANGED_ORDERS_SQL, (since,)).fetchall()
    return Changes(position, tuple(dict.fromkeys(row[0] for row in rows)))
