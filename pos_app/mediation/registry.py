"""The handler registry: which handler class serves which request type and which event types.

Each `ServiceCollection` owns one (`services.mediation`); the mediator reads it. It knows neither of them: it checks
the handlers' dependencies through the small `ConstructorSource` protocol that the service provider satisfies.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import typing
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from pos_app.mediation.abstractions import CommandHandler, EventHandler, QueryHandler, Request, RequestHandler
from pos_app.mediation.errors import ServiceConfigurationError

T = TypeVar("T")


class ConstructorSource(Protocol):
    """What the registry needs from the service provider to check that every handler can be built."""

    @property
    def pipeline_behaviors(self) -> list[tuple[type[Any], tuple[type[Any], ...] | None]]: ...

    def is_registered(self, service_type: type[Any]) -> bool: ...

    def compile_constructor(self, cls: type[T]) -> Callable[[Any], T]: ...


def _message_type(handler_type: type[Any], generic_bases: tuple[type[Any], ...]) -> type[Any] | None:
    """The concrete message type a handler class is parameterised with, e.g. `X` for `CommandHandler[X, ...]`,
    followed through generic intermediate classes (`class Base(CommandHandler[T, R])`, `class H(Base[X])`)."""

    def walk(klass: Any, substitutions: dict[Any, Any]) -> type[Any] | None:
        for base in getattr(klass, "__orig_bases__", ()):
            origin = typing.get_origin(base) or base
            arguments = tuple(substitutions.get(a, a) for a in typing.get_args(base))
            if origin in generic_bases and arguments and isinstance(arguments[0], type):
                return arguments[0]
            parameters = getattr(origin, "__parameters__", ())
            found = walk(origin, dict(zip(parameters, arguments, strict=False)))
            if found is not None:
                return found
        return None

    return walk(handler_type, {})


def _is_abstract_request(cls: type[Any]) -> bool:
    if cls in (Request,) or cls.__dict__.get("__abstract_request__", False):
        return True
    metadata = getattr(cls, "__pydantic_generic_metadata__", None)
    return bool(metadata and (metadata.get("parameters") or metadata.get("origin") is not None))


class HandlerRegistry:
    """Which handler class serves which request type and which event types. Belongs to one `ServiceCollection`."""

    def __init__(self) -> None:
        self.request_handlers: dict[type[Any], type[Any]] = {}
        self.event_handlers: list[tuple[type[Any], type[Any]]] = []
        self.known_requests: set[type[Any]] = set()

    def add_handler(self, handler_type: type[Any]) -> None:
        """Register one handler class; its message type is read from its generic base."""
        if issubclass(handler_type, RequestHandler):
            request_type = _message_type(handler_type, (CommandHandler, QueryHandler, RequestHandler))
            if request_type is None:
                raise ServiceConfigurationError(
                    f"{handler_type.__qualname__} must name its request type, e.g. CommandHandler[MyCommand, ...]"
                )
            existing = self.request_handlers.get(request_type)
            if existing is not None and existing is not handler_type:
                raise ServiceConfigurationError(
                    f"{request_type.__qualname__} has two handlers: {existing.__qualname__} and "
                    f"{handler_type.__qualname__}; a request has exactly one"
                )
            self.request_handlers[request_type] = handler_type
            self.known_requests.add(request_type)
        elif issubclass(handler_type, EventHandler):
            event_type = _message_type(handler_type, (EventHandler,))
            if event_type is None:
                raise ServiceConfigurationError(
                    f"{handler_type.__qualname__} must name its event type, e.g. EventHandler[MyEvent]"
                )
            if (event_type, handler_type) not in self.event_handlers:
                self.event_handlers.append((event_type, handler_type))
        else:
            raise ServiceConfigurationError(f"{handler_type.__qualname__} is not a request or event handler")

    def scan(self, module_names: Iterable[str]) -> None:
        """Register the handler classes defined in these modules, and note the request types defined there."""
        for module_name in module_names:
            module = importlib.import_module(module_name)
            for value in list(vars(module).values()):
                if not isinstance(value, type) or value.__module__ != module.__name__ or inspect.isabstract(value):
                    continue
                if issubclass(value, Request) and not _is_abstract_request(value):
                    self.known_requests.add(value)
                elif issubclass(value, (RequestHandler, EventHandler)) and value not in (
                    RequestHandler,
                    CommandHandler,
                    QueryHandler,
                    EventHandler,
                ):
                    if value.__dict__.get("__abstract_handler__", False):
                        continue
                    self.add_handler(value)

    def validate(self, provider: ConstructorSource) -> None:
        """Every known request has exactly one handler, and every handler's dependencies can be built."""
        missing = sorted(t.__qualname__ for t in self.known_requests if t not in self.request_handlers)
        if missing:
            raise ServiceConfigurationError(f"No handler is registered for: {', '.join(missing)}")
        for handler_type in itertools.chain(self.request_handlers.values(), (h for _, h in self.event_handlers)):
            provider.compile_constructor(handler_type)
        for behavior_type, _ in provider.pipeline_behaviors:
            if not provider.is_registered(behavior_type):
                provider.compile_constructor(behavior_type)
