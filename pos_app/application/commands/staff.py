"""Logging in and out on this terminal, and changing one's own PIN. A wrong PIN is counted, at login as when
changing the PIN; too many lock the account for a while."""

from __future__ import annotations

from datetime import datetime

from pos_app.application.ports import (
    AuditOutbox,
    Clock,
    PasswordHasher,
    RequestContext,
    SignedInStaff,
    StoreTime,
    TerminalSession,
    UnitOfWork,
)
from pos_app.config import Settings
from pos_app.domain.events import (
    StaffLoggedInEvent,
    StaffLoggedOutEvent,
    StaffLoginFailedEvent,
    StaffPinChangedEvent,
)
from pos_app.domain.staff import Role, Staff
from pos_app.mediation import CommandHandler, EventHandler, OperationResult
from pos_app.messages.commands import ChangePinCommand, LoginCommand, LogoutCommand
from pos_app.messages.dtos import SessionDto

WRONG_PIN = "Unknown staff member or wrong PIN"


class LoginHandler(CommandHandler[LoginCommand, OperationResult[SessionDto]]):
    def __init__(
        self, uow: UnitOfWork, clock: Clock, hasher: PasswordHasher, settings: Settings, store_time: StoreTime
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._settings = settings
        self._store_time = store_time

    async def handle_async(self, request: LoginCommand) -> OperationResult[SessionDto]:
        now = self._clock.now()
        staff = await self._uow.staff.get(request.staff_id)
        if staff is None or not staff.active:
            return self.forbidden(WRONG_PIN)
        refusal = await lock_message(self._uow, staff, now, self._settings, self._store_time)
        if refusal is not None:
            return self.forbidden(refusal)
        if not await self._hasher.verify(request.pin, staff.pin_hash):
            locked = await record_wrong_pin(self._uow, staff, now, self._settings)
            if locked:
                minutes = self._settings.lockout.lock_minutes
                return self.forbidden(f"Wrong PIN. {staff.name} is locked for {minutes} minutes")
            return self.forbidden(WRONG_PIN)
        staff.record_successful_login()
        await self._uow.staff.save(staff)
        self._uow.record(
            [StaffLoggedInEvent(occurred_at=now, staff_id=staff.id, name=staff.name, role=staff.role.value)]
        )
        return self.ok(SessionDto(staff_id=staff.id, name=staff.name, role=staff.role.value, logged_in_at=now))


async def lock_message(
    uow: UnitOfWork, staff: Staff, now: datetime, settings: Settings, store_time: StoreTime
) -> str | None:
    """Why `staff` may not try a PIN now, or None. A lock set while the clock was fast is first cut back to its
    length from now (and kept so, although the request fails); the message gives the date when the lock ends on
    another day than today."""
    if staff.bound_lock(now, settings.lockout):
        await uow.staff.save(staff)
        uow.keep_changes_of_failure()
    if not staff.is_locked(now) or staff.locked_until is None:
        return None
    until = store_time.local(staff.locked_until)
    when = f"{until:%H:%M}" if until.date() == store_time.local(now).date() else f"{until:%d %b %Y %H:%M}"
    return f"{staff.name} is locked after too many wrong PINs; try again after {when}"


async def record_wrong_pin(uow: UnitOfWork, staff: Staff, now: datetime, settings: Settings) -> bool:
    """Count a wrong PIN (kept although the command fails: the lock needs it); returns whether it locked the account."""
    locked = staff.record_failed_login(now, settings.lockout)
    await uow.staff.save(staff)
    uow.record(
        [
            StaffLoginFailedEvent(
                occurred_at=now,
                staff_id=staff.id,
                failed_attempts=staff.failed_attempts,
                locked_until=staff.locked_until if locked else None,
            )
        ]
    )
    uow.keep_changes_of_failure()
    return locked


class ChangePinHandler(CommandHandler[ChangePinCommand, OperationResult[None]]):
    """The new PIN's form was checked by the validation behavior; here the current PIN is checked and counted."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        settings: Settings,
        store_time: StoreTime,
        context: RequestContext,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._settings = settings
        self._store_time = store_time
        self._context = context

    async def handle_async(self, request: ChangePinCommand) -> OperationResult[None]:
        now = self._clock.now()
        staff_id = self._context.staff_id
        staff = None if staff_id is None else await self._uow.staff.get(staff_id)
        if staff is None or not staff.active:
            return self.forbidden("Log in first")
        refusal = await lock_message(self._uow, staff, now, self._settings, self._store_time)
        if refusal is not None:
            return self.forbidden(refusal)
        if not await self._hasher.verify(request.current_pin, staff.pin_hash):
            locked = await record_wrong_pin(self._uow, staff, now, self._settings)
            message = "The current PIN is wrong"
            if locked:
                message += f". {staff.name} is locked for {self._settings.lockout.lock_minutes} minutes"
            return OperationResult.failure(403, message, {"current_pin": ["Wrong PIN"]})
        staff.change_pin(await self._hasher.hash(request.new_pin))
        await self._uow.staff.save(staff)
        self._uow.record([StaffPinChangedEvent(occurred_at=now, staff_id=staff.id)])
        return self.ok()


class LogoutHandler(CommandHandler[LogoutCommand, OperationResult[None]]):
    """Locking the till always locks it: the session is cleared in memory first, whatever the store answers, and the
    logout's audit event goes through the outbox (written by this transaction, or by the next one when the store is
    busy now)."""

    def __init__(self, clock: Clock, session: TerminalSession, outbox: AuditOutbox) -> None:
        self._clock = clock
        self._session = session
        self._outbox = outbox

    async def handle_async(self, request: LogoutCommand) -> OperationResult[None]:
        current, self._session.current = self._session.current, None
        if current is not None:
            self._outbox.add([StaffLoggedOutEvent(occurred_at=self._clock.now(), staff_id=current.staff_id)])
        return self.ok()


class StaffLoggedInEventHandler(EventHandler[StaffLoggedInEvent]):
    """Once the login is on record, the terminal acts as that staff member."""

    def __init__(self, session: TerminalSession) -> None:
        self._session = session

    async def handle_async(self, event: StaffLoggedInEvent) -> None:
        staff_id = event.staff_id or ""
        self._session.current = SignedInStaff(staff_id, event.name, Role(event.role), event.occurred_at)


class StaffLoggedOutEventHandler(EventHandler[StaffLoggedOutEvent]):
    def __init__(self, session: TerminalSession) -> None:
        self._session = session

    async def handle_async(self, event: StaffLoggedOutEvent) -> None:
        current = self._session.current
        # a logout written late by the outbox never ends a session that began after it
        if current is not None and current.staff_id == event.staff_id and current.logged_in_at <= event.occurred_at:
            self._session.current = None
