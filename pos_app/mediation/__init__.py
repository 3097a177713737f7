"""The generic CQRS mediation kernel: messages, handlers, pipeline behaviors, the mediator and its container.

It knows nothing of the product and imports nothing of ours.
"""

from pos_app.mediation.abstractions import (
    Command,
    CommandHandler,
    EventHandler,
    NextHandler,
    PipelineBehavior,
    Query,
    QueryHandler,
    Request,
    RequestHandler,
)
from pos_app.mediation.mediator import Mediator, MissingHandlerError
from pos_app.mediation.registry import HandlerRegistry
from pos_app.mediation.results import OperationResult
from pos_app.mediation.services import (
    ServiceCollection,
    ServiceConfigurationError,
    ServiceLifetime,
    ServiceProvider,
    ServiceResolutionError,
    ServiceScope,
)

__all__ = [
    "Command",
    "CommandHandler",
    "EventHandler",
    "HandlerRegistry",
    "Mediator",
    "MissingHandlerError",
    "NextHandler",
    "OperationResult",
    "PipelineBehavior",
    "Query",
    "QueryHandler",
    "Request",
    "RequestHandler",
    "ServiceCollection",
    "ServiceConfigurationError",
    "ServiceLifetime",
    "ServiceProvider",
    "ServiceResolutionError",
    "ServiceScope",
]
