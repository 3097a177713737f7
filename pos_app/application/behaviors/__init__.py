"""Pipeline behaviors, outermost first: authorization ▸ role data ▸ order actions ▸ idempotency ▸ validation ▸
logging ▸ caching ▸ domain errors ▸ reconnect ▸ transaction.

Authorization comes first: a terminal nobody is logged in on, or a role not allowed, gets 403 before a stored result
is replayed and before validation could describe the request's fields. Role data comes next, so a replayed answer is
stripped of sales money for the kitchen and drivers exactly as a fresh one is, and gets the order actions of whoever
is logged in. Reconnect sits just outside the transaction, so a request the lost store server interrupted is tried
again as a transaction of its own that looks its idempotency key up first."""

from pos_app.application.behaviors.authorization import AuthorizationBehavior
from pos_app.application.behaviors.caching import QueryCache, QueryCachingBehavior
from pos_app.application.behaviors.domain_errors import DomainErrorBehavior
from pos_app.application.behaviors.idempotency import IdempotencyBehavior
from pos_app.application.behaviors.logging import LoggingBehavior
from pos_app.application.behaviors.order_actions import OrderActionsBehavior
from pos_app.application.behaviors.reconnect import ReconnectBehavior
from pos_app.application.behaviors.role_data import RoleDataBehavior
from pos_app.application.behaviors.transaction import TransactionBehavior
from pos_app.application.behaviors.validation import ValidationBehavior

PIPELINE = (
    AuthorizationBehavior,
    RoleDataBehavior,
    OrderActionsBehavior,
    IdempotencyBehavior,
    ValidationBehavior,
    LoggingBehavior,
    QueryCachingBehavior,
    DomainErrorBehavior,
    ReconnectBehavior,
    TransactionBehavior,
)

__all__ = [
    "PIPELINE",
    "AuthorizationBehavior",
    "DomainErrorBehavior",
    "IdempotencyBehavior",
    "LoggingBehavior",
    "OrderActionsBehavior",
    "QueryCache",
    "QueryCachingBehavior",
    "ReconnectBehavior",
    "RoleDataBehavior",
    "TransactionBehavior",
    "ValidationBehavior",
]
