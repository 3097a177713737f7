"""Handing work from a database thread back to the event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any


def call_soon_on(loop: asyncio.AbstractEventLoop | None, callback: Callable[..., None], *args: Any) -> None:
    """From a database thread: run `callback(*args)` on the event loop, unless the loop is gone (the app closing)."""
    if loop is not None and not loop.is_closed():
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(callback, *args)
