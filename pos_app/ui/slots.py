"""`async_slot`: qasync's `asyncSlot` with types, so slots keep their signatures under mypy."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec

from qasync import asyncSlot

P = ParamSpec("P")


def async_slot(*types: type) -> Callable[[Callable[P, Coroutine[Any, Any, None]]], Callable[P, None]]:
    """Run the decorated coroutine as a Qt slot on the qasync loop; its exceptions reach `sys.excepthook`."""
    decorator: Callable[[Callable[P, Coroutine[Any, Any, None]]], Callable[P, None]] = asyncSlot(*types)
    return decorator
