"""The configuration error of the mediation kernel, shared by the container and the handler registry."""

from __future__ import annotations


class ServiceConfigurationError(Exception):
    """The service graph cannot work: raised by `build()` (or by `configure`), never at the first call."""
