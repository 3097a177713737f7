"""Errors of the application layer that are not business rules."""

from __future__ import annotations


class StoreUnavailableError(Exception):
    """The database cannot serve the request right now (busy, read-only, full, damaged). Becomes a 503."""


class StoreUnreachableError(StoreUnavailableError):
    """The store server cannot be reached (connection lost, server restarting): the request may be sent again, with
    the same idempotency key, once it is back (see `behaviors/reconnect.py`)."""

    def __init__(self, message: str, *, while_saving: bool = False) -> None:
        super().__init__(message)
        self.while_saving = while_saving
        """Lost during the commit: the server may have saved it (sending it again with its key is still safe)."""
