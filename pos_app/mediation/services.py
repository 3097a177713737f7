"""A small dependency-injection container: `ServiceCollection` → `ServiceProvider` → `ServiceScope`.

Services are registered by type with a lifetime (singleton, scoped, transient). Constructor dependencies are read
once, from the `__init__` annotations, when the collection is built; every resolution after that runs a
pre-compiled factory, with no reflection. Problems in the graph (a missing dependency, a cycle, a singleton that
would capture a scoped service) are reported by `build()`, not at the first use.
"""

from __future__ import annotations

import enum
import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from pos_app.mediation.errors import ServiceConfigurationError as ServiceConfigurationError
from pos_app.mediation.registry import HandlerRegistry

T = TypeVar("T")

Factory = Callable[["ServiceScope"], Any]


class ServiceLifetime(enum.Enum):
    SINGLETON = "singleton"
    SCOPED = "scoped"
    TRANSIENT = "transient"


class ServiceResolutionError(LookupError):
    """A service was asked for that the provider cannot supply."""


_NO_DEFAULT = inspect.Parameter.empty


@dataclass(slots=True)
class ServiceDescriptor:
    service_type: type[Any]
    lifetime: ServiceLifetime
    implementation_type: type[Any] | None = None
    instance: Any = None
    factory: Callable[[Any], Any] | None = None
    has_instance: bool = False
    dependencies: list[tuple[str, type[Any] | None, Any]] = field(default_factory=list)


def constructor_dependencies(cls: type[Any]) -> list[tuple[str, type[Any] | None, Any]]:
    """The `(name, annotated type, default)` of each `__init__` parameter of `cls`."""
    init = cls.__init__
    if init is object.__init__:
        return []
    try:
        hints = typing.get_type_hints(init)
    except NameError as error:
        raise ServiceConfigurationError(
            f"{cls.__qualname__}.__init__ has an annotation that cannot be resolved: {error}"
        ) from error
    result: list[tuple[str, type[Any] | None, Any]] = []
    for name, parameter in list(inspect.signature(init).parameters.items())[1:]:
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        result.append((name, hints.get(name), parameter.default))
    return result


class ServiceCollection:
    """Registrations, before the provider is built. Also holds the mediator's handler registry."""

    def __init__(self) -> None:
        self._descriptors: dict[type[Any], ServiceDescriptor] = {}
        self._behaviors: list[tuple[type[Any], tuple[type[Any], ...] | None]] = []
        self._mediation: HandlerRegistry | None = None

    # registration -----------------------------------------------------------------------------------------------
    def add_singleton(
        self, service_type: type[T], implementation: Any = None, *, factory: Callable[[Any], Any] | None = None
    ) -> ServiceCollection:
        """`add_singleton(T)`, `add_singleton(T, Impl)`, `add_singleton(T, instance)`, `add_singleton(T, factory=f)`."""
        return self._add(service_type, ServiceLifetime.SINGLETON, implementation, factory)

    def add_scoped(
        self,
        service_type: type[T],
        implementation: type[Any] | None = None,
        *,
        factory: Callable[[Any], Any] | None = None,
    ) -> ServiceCollection:
        """One instance per scope (per `execute_async`), closed with the scope."""
        return self._add(service_type, ServiceLifetime.SCOPED, implementation, factory)

    def add_transient(
        self,
        service_type: type[T],
        implementation: type[Any] | None = None,
        *,
        factory: Callable[[Any], Any] | None = None,
    ) -> ServiceCollection:
        """A new instance on every resolution."""
        return self._add(service_type, ServiceLifetime.TRANSIENT, implementation, factory)

    def add_pipeline_behavior(
        self, behavior_type: type[Any], *, applies_to: type[Any] | tuple[type[Any], ...] | None = None
    ) -> ServiceCollection:
        """Add a pipeline behavior: the first added is the outermost.

        `applies_to` limits it to requests that are subclasses of the given types (`Command`, `Query` or a marker);
        without it the behavior's own `applies_to` class attribute decides.
        """
        limit = (applies_to,) if isinstance(applies_to, type) else applies_to
        self._behaviors.append((behavior_type, limit))
        if behavior_type not in self._descriptors:
            self.add_transient(behavior_type)
        return self

    def _add(
        self,
        service_type: type[Any],
        lifetime: ServiceLifetime,
        implementation: Any,
        factory: Callable[[Any], Any] | None,
    ) -> ServiceCollection:
        descriptor = ServiceDescriptor(service_type, lifetime)
        if factory is not None:
            if implementation is not None:
                raise ServiceConfigurationError(
                    f"{service_type.__qualname__}: give an implementation or a factory, not both"
                )
            descriptor.factory = factory
        elif implementation is None or isinstance(implementation, type):
            descriptor.implementation_type = implementation or service_type
        elif lifetime is ServiceLifetime.SINGLETON:
            descriptor.instance, descriptor.has_instance = implementation, True
        else:
            raise ServiceConfigurationError(
                f"{service_type.__qualname__}: only a singleton can be registered as an instance"
            )
        self._descriptors[service_type] = descriptor
        return self

    def __contains__(self, service_type: object) -> bool:
        return service_type in self._descriptors

    @property
    def mediation(self) -> HandlerRegistry:
        """The handler registry of this collection (created on first use; never shared between collections)."""
        if self._mediation is None:
            self._mediation = HandlerRegistry()
        return self._mediation

    @property
    def behaviors(self) -> list[tuple[type[Any], tuple[type[Any], ...] | None]]:
        return list(self._behaviors)

    # build ------------------------------------------------------------------------------------------------------
    def build(self) -> ServiceProvider:
        """Check the whole graph and return the root provider."""
        descriptors = dict(self._descriptors)
        for descriptor in descriptors.values():
            if descriptor.implementation_type is not None:
                descriptor.dependencies = constructor_dependencies(descriptor.implementation_type)
        provider = ServiceProvider(descriptors, list(self._behaviors))
        provider.validate()
        if self._mediation is not None:
            self._mediation.validate(provider)
        return provider


class ServiceScope:
    """Instances of scoped services live here; `aclose()` disposes them (and transients it made) in reverse order."""

    __slots__ = ("_closed", "_disposables", "_instances", "_root")

    def __init__(self, root: ServiceProvider) -> None:
        self._root = root
        self._instances: dict[type[Any], Any] = {}
        self._disposables: list[Any] = []
        self._closed = False

    @property
    def is_root(self) -> bool:
        return self is self._root

    @property
    def provider(self) -> ServiceProvider:
        return self._root

    def get_service(self, service_type: type[T]) -> T | None:
        factory = self._root._factories.get(service_type)
        return None if factory is None else cast(T, factory(self))

    def get_required_service(self, service_type: type[T]) -> T:
        factory = self._root._factories.get(service_type)
        if factory is None:
            raise ServiceResolutionError(f"No service is registered for {service_type.__qualname__}")
        return cast(T, factory(self))

    def _track(self, instance: Any) -> None:
        if hasattr(instance, "aclose") or hasattr(instance, "close"):
            self._disposables.append(instance)

    async def aclose(self) -> None:
        """Dispose what this scope created, newest first; awaits `aclose()`, calls `close()`."""
        if self._closed:
            return
        self._closed = True
        disposables, self._disposables = self._disposables, []
        self._instances.clear()
        first_error: BaseException | None = None
        for instance in reversed(disposables):
            try:
                closer = getattr(instance, "aclose", None)
                if closer is not None:
                    await closer()
                else:
                    instance.close()
            except Exception as error:  # every instance gets its chance to close
                first_error = first_error or error
        if first_error is not None:
            raise first_error

    async def __aenter__(self) -> ServiceScope:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class ServiceProvider(ServiceScope):
    """The root provider: owns singletons, creates scopes."""

    __slots__ = ("_descriptors", "_factories", "_needs_scope", "_pipeline_behaviors")

    def __init__(
        self,
        descriptors: dict[type[Any], ServiceDescriptor],
        behaviors: list[tuple[type[Any], tuple[type[Any], ...] | None]],
    ) -> None:
        super().__init__(self)
        self._descriptors = descriptors
        self._pipeline_behaviors = behaviors
        self._needs_scope: dict[type[Any], bool] = {}
        self._factories: dict[type[Any], Factory] = {}
        for service_type, descriptor in descriptors.items():
            self._factories[service_type] = self._compile(descriptor)

    @property
    def pipeline_behaviors(self) -> list[tuple[type[Any], tuple[type[Any], ...] | None]]:
        return self._pipeline_behaviors

    def create_scope(self) -> ServiceScope:
        return ServiceScope(self)

    def descriptor(self, service_type: type[Any]) -> ServiceDescriptor | None:
        return self._descriptors.get(service_type)

    def is_registered(self, service_type: type[Any]) -> bool:
        return service_type in self._descriptors

    # compilation --------------------------------------------------------------------------------------------------
    def compile_constructor(self, cls: type[T]) -> Callable[[ServiceScope], T]:
        """A factory that builds `cls` with its `__init__` dependencies resolved in the given scope."""
        dependencies = constructor_dependencies(cls)
        self._check_dependencies(cls.__qualname__, dependencies)
        factories = self._factories
        positional: list[tuple[str, type[Any] | None, Any]] = [
            (name, annotation, default)
            for name, annotation, default in dependencies
            if annotation in self._descriptors or default is _NO_DEFAULT
        ]
        names = [name for name, _, _ in positional]
        types = [annotation for _, annotation, _ in positional]
        if not positional:
            return lambda scope: cls()
        if len(positional) == 1:
            (only,) = types
            only_name = names[0]

            def build_one(scope: ServiceScope) -> T:
                return cls(**{only_name: factories[only](scope)})  # type: ignore[index]

            return build_one

        def build(scope: ServiceScope) -> T:
            return cls(**{name: factories[t](scope) for name, t in zip(names, types, strict=False)})  # type: ignore[index]

        return build

    def _compile(self, descriptor: ServiceDescriptor) -> Factory:
        if descriptor.has_instance:
            instance = descriptor.instance
            return lambda scope: instance
        make: Factory
        if descriptor.factory is not None:
            make = descriptor.factory
        else:
            make = self.compile_constructor(cast(type[Any], descriptor.implementation_type))
        if descriptor.lifetime is ServiceLifetime.SINGLETON:
            return self._singleton(make)
        if descriptor.lifetime is ServiceLifetime.SCOPED:
            return self._scoped(descriptor.service_type, make)
        return self._transient(make)

    def _singleton(self, make: Factory) -> Factory:
        root = self
        cell: list[Any] = []

        def resolve(scope: ServiceScope) -> Any:
            if cell:
                return cell[0]
            instance = make(root)
            cell.append(instance)
            root._track(instance)
            return instance

        return resolve

    def _scoped(self, service_type: type[Any], make: Factory) -> Factory:
        def resolve(scope: ServiceScope) -> Any:
            if scope._root is scope:
                raise ServiceResolutionError(
                    f"{service_type.__qualname__} is scoped: resolve it from a scope, not from the root provider"
                )
            instances = scope._instances
            try:
                return instances[service_type]
            except KeyError:
                instance = instances[service_type] = make(scope)
                scope._track(instance)
                return instance

        return resolve

    def _transient(self, make: Factory) -> Factory:
        def resolve(scope: ServiceScope) -> Any:
            instance = make(scope)
            scope._track(instance)
            return instance

        return resolve

    # validation ---------------------------------------------------------------------------------------------------
    def _check_dependencies(self, owner: str, dependencies: list[tuple[str, type[Any] | None, Any]]) -> None:
        for name, annotation, default in dependencies:
            if annotation in self._descriptors or default is not _NO_DEFAULT:
                continue
            shown = getattr(annotation, "__qualname__", repr(annotation))
            raise ServiceConfigurationError(f"{owner} needs '{name}: {shown}', and no service is registered for it")

    def validate(self) -> None:
        """Check the lifetimes: no cycles, no singleton capturing a service that lives only in a scope."""
        for service_type, descriptor in self._descriptors.items():
            for _, annotation, _ in descriptor.dependencies:
                singleton = descriptor.lifetime is ServiceLifetime.SINGLETON
                if singleton and annotation in self._descriptors and self.needs_scope(annotation):
                    raise ServiceConfigurationError(
                        f"Singleton {service_type.__qualname__} depends on "
                        f"{annotation.__qualname__}, which lives only in a scope"
                    )
            self.needs_scope(service_type)

    def needs_scope(self, service_type: type[Any], path: tuple[type[Any], ...] = ()) -> bool:
        """True when building `service_type` needs a scoped service somewhere in its graph. Raises on cycles."""
        if service_type in path:
            cycle = " -> ".join(t.__qualname__ for t in (*path, service_type))
            raise ServiceConfigurationError(f"Dependency cycle: {cycle}")
        cached = self._needs_scope.get(service_type)
        if cached is not None:
            return cached
        descriptor = self._descriptors[service_type]
        result = descriptor.lifetime is ServiceLifetime.SCOPED
        for _, annotation, _ in descriptor.dependencies:
            if annotation in self._descriptors and self.needs_scope(annotation, (*path, service_type)):
                result = True
        self._needs_scope[service_type] = result
        return result

    def is_static(self, cls: type[Any]) -> bool:
        """True when every dependency of `cls`, all the way down, is a singleton: one instance can serve every call."""
        for _, annotation, default in constructor_dependencies(cls):
            if annotation not in self._descriptors:
                if default is _NO_DEFAULT:
                    return False
                continue
            descriptor = self._descriptors[annotation]
            if descriptor.lifetime is not ServiceLifetime.SINGLETON:
                return False
        return True
