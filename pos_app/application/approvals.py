"""A manager's approval on the same till: their id and PIN, checked like a login, without logging anyone out.

A wrong PIN counts toward the manager's lock-out exactly as at login; the PIN itself is neither kept nor logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.application.commands.staff import lock_message, record_wrong_pin
from pos_app.application.ports import Clock, PasswordHasher, StoreTime, UnitOfWork
from pos_app.config import Settings
from pos_app.domain.staff import Role
from pos_app.mediation import OperationResult

NEEDS_APPROVAL = "needs a manager's approval: a manager enters their PIN on this till"


@dataclass(frozen=True, slots=True)
class Approver:
    staff_id: str
    name: str


class ManagerApproval:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, hasher: PasswordHasher, settings: Settings, store_time: StoreTime
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._settings = settings
        self._store_time = store_time

    async def check(self, approver_id: str | None, pin: str | None, what: str) -> Approver | OperationResult[object]:
        """The approving manager, or the 403 to answer (`what` names the action, e.g. "Refunding order #4")."""
        if not approver_id or not pin:
            return OperationResult.failure(
                403, f"{what} {NEEDS_APPROVAL}", {"approver_pin": ["A manager's PIN is needed"]}
            )
        now = self._clock.now()
        manager = await self._uow.staff.get(approver_id)
        if manager is None or not manager.active:
            return OperationResult.failure(403, "Unknown manager or wrong PIN", {"approver_pin": ["Wrong PIN"]})
        refusal = await lock_message(self._uow, manager, now, self._settings, self._store_time)
        if refusal is not None:
            return OperationResult.failure(403, refusal, {"approver_pin": ["Locked"]})
        if not await self._hasher.verify(pin, manager.pin_hash):
            message = "Unknown manager or wrong PIN"
            if await record_wrong_pin(self._uow, manager, now, self._settings):
                message = f"Wrong PIN. {manager.name} is locked for {self._settings.lockout.lock_minutes} minutes"
            return OperationResult.failure(403, message, {"approver_pin": ["Wrong PIN"]})
        if manager.role is not Role.MANAGER:
            return OperationResult.failure(
                403, f"{manager.name} is not a manager: {what} {NEEDS_APPROVAL}", {"approver_id": ["Not a manager"]}
            )
        if manager.failed_attempts:
            manager.record_successful_login()
            await self._uow.staff.save(manager)
        return Approver(manager.id, manager.name)
