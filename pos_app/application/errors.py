"""Errors of the application layer that are not business rules."""

from __future__ import annotations


class StoreUnavailableError(Exception):
    """The database cannot serve the request right now (busy, read-only, full, damaged). Becomes a 503."""
