"""What a view needs from the core: something that executes requests."""

from __future__ import annotations

from typing import Protocol, TypeVar

from pos_app.mediation import Request

R = TypeVar("R")


class Sender(Protocol):
    async def execute_async(self, request: Request[R]) -> R: ...
