"""`Transaction`: what a repository needs from the unit of work it belongs to (and nothing else of it).

The repositories take this protocol, not `SqlUnitOfWork`, so the unit of work can build them without the two
modules importing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from pos_app.domain.orders import Order

T = TypeVar("T")


class Transaction(Protocol):
    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(connection, *args)` on the database thread: in the write transaction once begun, else as one
        read of its own."""
        ...

    def track(self, order: Order, is_new: bool) -> None:
        """Save this order (insert it when new) at the commit, with the events it recorded."""
        ...

    def defer(self, fn: Callable[..., None], *args: Any) -> None:
        """Run `fn(connection, *args)` at the commit, in the write transaction."""
        ...
