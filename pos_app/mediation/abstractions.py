"""The message and handler base classes of the mediation kernel. Generic: they know no business words."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from pos_app.mediation.results import OperationResult, ResultHelpers

R = TypeVar("R", covariant=True)
TRequest = TypeVar("TRequest", bound="Request[Any]", contravariant=True)
TResult = TypeVar("TResult", bound=OperationResult[Any], covariant=True)
TEvent = TypeVar("TEvent", contravariant=True)


class Request(BaseModel, Generic[R]):
    """A message with exactly one handler. `R` is what the handler returns (an `OperationResult[...]`).

    Frozen, strict and closed: a misspelt field is an error, and `"3"` is not quietly turned into `3`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Command(Request[R], Generic[R]):
    """A request that changes state."""


class Query(Request[R], Generic[R]):
    """A request that only reads."""


NextHandler = Callable[[], Awaitable[Any]]


class RequestHandler(ResultHelpers, Generic[TRequest, TResult]):
    """Handles one request type. Dependencies come in through `__init__`, by type annotation."""

    async def handle_async(self, request: TRequest) -> TResult:
        raise NotImplementedError


class CommandHandler(RequestHandler[TRequest, TResult], Generic[TRequest, TResult]):
    """Handles one command type."""


class QueryHandler(RequestHandler[TRequest, TResult], Generic[TRequest, TResult]):
    """Handles one query type."""


class EventHandler(Generic[TEvent]):
    """Handles an event type, and every subclass of it, after it has happened."""

    async def handle_async(self, event: TEvent) -> None:
        raise NotImplementedError


class PipelineBehavior(ResultHelpers, Generic[TRequest, TResult]):
    """Wraps the handling of requests: call `await next_handler()` to go on, or return a result to stop.

    `applies_to` limits the behavior to requests that are subclasses of one of the types listed: a message kind
    (`Command`, `Query`) or a marker class. `add_pipeline_behavior(..., applies_to=...)` overrides it.
    """

    applies_to: ClassVar[tuple[type[Any], ...]] = (Request,)

    async def handle_async(self, request: TRequest, next_handler: NextHandler) -> TResult:
        raise NotImplementedError
