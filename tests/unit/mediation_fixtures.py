"""Messages and handlers the kernel tests discover by module name."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.mediation import Command, CommandHandler, EventHandler, OperationResult, Query, QueryHandler


class Clock:
    pass


class AddCommand(Command[OperationResult[int]]):
    a: int
    b: int


class EchoQuery(Query[OperationResult[str]]):
    text: str


class AddHandler(CommandHandler[AddCommand, OperationResult[int]]):
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    async def handle_async(self, request: AddCommand) -> OperationResult[int]:
        return self.created(request.a + request.b)


class EchoHandler(QueryHandler[EchoQuery, OperationResult[str]]):
    async def handle_async(self, request: EchoQuery) -> OperationResult[str]:
        return self.ok(request.text)


@dataclass(frozen=True)
class SomethingHappened:
    what: str


RECEIVED: list[str] = []


class SomethingHappenedHandler(EventHandler[SomethingHappened]):
    async def handle_async(self, event: SomethingHappened) -> None:
        RECEIVED.append(event.what)
