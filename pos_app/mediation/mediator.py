"""The mediator: routes each request through its pipeline behaviors to its one handler, and events to theirs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterable
from functools import partial
from typing import Any, TypeVar, cast

from pos_app.mediation.abstractions import PipelineBehavior, Request
from pos_app.mediation.registry import HandlerRegistry
from pos_app.mediation.results import OperationResult
from pos_app.mediation.services import ServiceCollection, ServiceLifetime, ServiceProvider, ServiceScope

__all__ = ["HandlerRegistry", "Mediator", "MissingHandlerError"]

R = TypeVar("R")
logger = logging.getLogger("pos_app.mediation")

Stage = Callable[[Any], Coroutine[Any, Any, Any]]


class MissingHandlerError(LookupError):
    """A request was sent that no handler is registered for (a bug: `build()` checks the known request types)."""


class _Component:
    """A handler or behavior class ready to use: one shared instance, or a factory run in each call's scope.

    A class registered as a service is resolved as registered (a singleton instance or factory is used as it is);
    otherwise, and for transients of the class itself, it is built from its `__init__`, once if everything it needs
    is a singleton."""

    __slots__ = ("factory", "instance")

    def __init__(self, provider: ServiceProvider, cls: type[Any]) -> None:
        self.factory: Callable[[ServiceScope], Any] | None = None
        self.instance: Any = None
        descriptor = provider.descriptor(cls)
        if descriptor is not None and descriptor.lifetime is ServiceLifetime.SINGLETON:
            self.instance = provider.get_required_service(cls)
        elif descriptor is not None and not (
            descriptor.lifetime is ServiceLifetime.TRANSIENT and descriptor.implementation_type is cls
        ):
            self.factory = lambda scope: scope.get_required_service(cls)
        elif provider.is_static(cls):
            self.instance = provider.compile_constructor(cls)(provider)
        else:
            self.factory = provider.compile_constructor(cls)


def _stage(behavior_call: Callable[..., Coroutine[Any, Any, Any]], inner: Stage) -> Stage:
    def stage(request: Any) -> Coroutine[Any, Any, Any]:
        return behavior_call(request, partial(inner, request))

    return stage


class Mediator:
    """Sends a request to its one handler through the pipeline behaviors; publishes events to every handler."""

    def __init__(self, provider: ServiceProvider, registry: HandlerRegistry) -> None:
        self._provider = provider
        self._registry = registry
        self._pipelines: dict[type[Any], Stage] = {}
        self._event_pipelines: dict[
            type[Any], tuple[list[Callable[[Any], Coroutine[Any, Any, None]]], list[_Component]]
        ] = {}

    @staticmethod
    def configure(services: ServiceCollection, module_names: Iterable[str] = ()) -> ServiceCollection:
        """Discover the handler classes defined in these modules and register the mediator itself."""
        services.mediation.scan(module_names)
        if Mediator not in services:
            registry = services.mediation
            services.add_singleton(Mediator, factory=lambda provider: Mediator(provider, registry))
        return services

    # requests -----------------------------------------------------------------------------------------------------
    async def execute_async(self, request: Request[R]) -> R:
        """Run `request` through its pipeline; an exception from the handler becomes a 500 result."""
        pipeline = self._pipelines.get(request.__class__)
        if pipeline is None:
            pipeline = self._build_pipeline(request.__class__)
        try:
            return cast(R, await pipeline(request))
        except Exception as error:
            logger.exception("Unhandled error while handling %s", request.__class__.__name__)
            return cast(R, OperationResult.internal_server_error(f"{request.__class__.__name__} failed: {error}"))

    def _build_pipeline(self, request_type: type[Any]) -> Stage:
        handler_type = self._registry.request_handlers.get(request_type)
        if handler_type is None:
            raise MissingHandlerError(f"No handler is registered for {request_type.__qualname__}")
        behaviors: list[type[PipelineBehavior[Any, Any]]] = []
        for behavior_type, limit in self._provider.pipeline_behaviors:
            applies_to = limit if limit is not None else behavior_type.applies_to
            if issubclass(request_type, applies_to):
                behaviors.append(behavior_type)
        components = [_Component(self._provider, cls) for cls in (*behaviors, handler_type)]
        pipeline: Stage
        if all(component.factory is None for component in components):
            pipeline = components[-1].instance.handle_async
            for component in reversed(components[:-1]):
                pipeline = _stage(component.instance.handle_async, pipeline)
        else:
            pipeline = partial(self._run_in_scope, components)
        self._pipelines[request_type] = pipeline
        return pipeline

    async def _run_in_scope(self, components: list[_Component], request: Any) -> Any:
        scope = ServiceScope(self._provider)
        try:
            instances = [c.instance if c.factory is None else c.factory(scope) for c in components]
            call = partial(instances[-1].handle_async, request)
            for behavior in reversed(instances[:-1]):
                call = partial(behavior.handle_async, request, call)
            return await call()
        finally:
            await scope.aclose()

    # events -------------------------------------------------------------------------------------------------------
    async def publish_async(self, event: object) -> int:
        """Run every handler of the event's type and of its base classes, in registration order.

        One handler's exception is logged and does not stop the others. Returns how many handlers failed.
        """
        entry = self._event_pipelines.get(event.__class__)
        if entry is None:
            entry = self._build_event_pipeline(event.__class__)
        calls, scoped = entry
        failures = 0
        for call in calls:
            try:
                await call(event)
            except Exception:
                failures += 1
                logger.exception("Event handler failed for %s", event.__class__.__name__)
        if scoped:
            failures += await self._publish_scoped(scoped, event)
        return failures

    async def _publish_scoped(self, components: list[_Component], event: object) -> int:
        failures = 0
        async with ServiceScope(self._provider) as scope:
            for component in components:
                try:
                    handler = component.instance if component.factory is None else component.factory(scope)
                    await handler.handle_async(event)
                except Exception:
                    failures += 1
                    logger.exception("Event handler failed for %s", event.__class__.__name__)
        return failures

    def _build_event_pipeline(
        self, event_type: type[Any]
    ) -> tuple[list[Callable[[Any], Coroutine[Any, Any, None]]], list[_Component]]:
        matching = [
            handler for registered, handler in self._registry.event_handlers if issubclass(event_type, registered)
        ]
        components = [_Component(self._provider, handler) for handler in matching]
        if all(c.factory is None for c in components):
            entry: tuple[list[Callable[[Any], Coroutine[Any, Any, None]]], list[_Component]] = (
                [c.instance.handle_async for c in components],
                [],
            )
        else:
            # Order matters across shared and scoped handlers: run them all in a scope, in registration order.
            entry = ([], components)
        self._event_pipelines[event_type] = entry
        return entry
