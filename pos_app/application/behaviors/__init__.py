"""Pipeline behaviors, outermost first: role data ▸ idempotency ▸ validation ▸ authorization ▸ logging ▸ caching ▸
domain errors ▸ transaction."""

from pos_app.application.behaviors.authorization import AuthorizationBehavior
from pos_app.application.behaviors.caching import QueryCache, QueryCachingBehavior
from pos_app.application.behaviors.domain_errors import DomainErrorBehavior
from pos_app.application.behaviors.idempotency import IdempotencyBehavior
from pos_app.application.behaviors.logging import LoggingBehavior
from pos_app.application.behaviors.role_data import RoleDataBehavior
from pos_app.application.behaviors.transaction import TransactionBehavior
from pos_app.application.behaviors.validation import ValidationBehavior

PIPELINE = (
    RoleDataBehavior,
    IdempotencyBehavior,
    ValidationBehavior,
    AuthorizationBehavior,
    LoggingBehavior,
    QueryCachingBehavior,
    DomainErrorBehavior,
    TransactionBehavior,
)

__all__ = [
    "PIPELINE",
    "AuthorizationBehavior",
    "DomainErrorBehavior",
    "IdempotencyBehavior",
    "LoggingBehavior",
    "QueryCache",
    "QueryCachingBehavior",
    "RoleDataBehavior",
    "TransactionBehavior",
    "ValidationBehavior",
]
