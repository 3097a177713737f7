"""The lock after five wrong PINs lasts its length whatever the wall clock did, and says the date when it ends on
another day."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pos_app.bootstrap import App, create_app
from pos_app.config import Settings
from pos_app.messages.commands import ChangePinCommand, LoginCommand
from tests.support import PINS, FrozenClock, login

WRONG = LoginCommand(staff_id="mario", pin="9999")
RIGHT = LoginCommand(staff_id="mario", pin=PINS["mario"])


async def test_a_lock_set_while_the_clock_was_a_day_fast_lasts_its_length_after_the_clock_is_corrected(
    app: App, clock: FrozenClock
) -> None:
    length = app.settings.lockout.lock_minutes
    clock.advance(days=1)
    wrong = [await app.mediator.execute_async(WRONG) for _ in range(5)]

    clock.advance(days=-1)  # the clock is put right
    right_at_once = await app.mediator.execute_async(RIGHT)
    clock.advance(minutes=length + 1)
    right_after_the_lock = await app.mediator.execute_async(RIGHT)

    assert [answer.status for answer in wrong] == [403] * 5
    assert "locked" in (wrong[-1].error_message or "")
    assert right_at_once.status == 403
    assert "try again after 12:0" in (right_at_once.error_message or "")  # within its length of 12:00, not tomorrow
    assert right_after_the_lock.is_success, right_after_the_lock


async def test_changing_the_pin_is_not_locked_longer_than_the_lock_after_the_clock_is_corrected(
    app: App, clock: FrozenClock
) -> None:
    await login(app.mediator, "mario")
    clock.advance(days=1)
    for _ in range(5):
        await app.mediator.execute_async(ChangePinCommand(current_pin="9999", new_pin="70707"))
    clock.advance(days=-1)
    refused = await app.mediator.execute_async(ChangePinCommand(current_pin=PINS["mario"], new_pin="70707"))

    clock.advance(minutes=app.settings.lockout.lock_minutes + 1)
    changed = await app.mediator.execute_async(ChangePinCommand(current_pin=PINS["mario"], new_pin="70707"))

    assert refused.status == 403
    assert "locked" in (refused.error_message or "")
    assert changed.is_success, changed


async def test_a_lock_that_ends_tomorrow_says_the_date(db_path: Path) -> None:
    clock = FrozenClock(datetime(2026, 11, 27, 23, 58, tzinfo=UTC))
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=Settings(timezone="UTC")) as app:
        for _ in range(5):
            await app.mediator.execute_async(WRONG)
        locked = await app.mediator.execute_async(RIGHT)

    assert locked.status == 403
    assert "try again after 28 Nov 2026 00:03" in (locked.error_message or "")
