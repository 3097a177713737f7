"""A module that declares a request type and no handler for it (the kernel must refuse to build)."""

from pos_app.mediation import Command, OperationResult


class OrphanCommand(Command[OperationResult[None]]):
    pass
