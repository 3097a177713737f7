"""A staff member changes their own PIN, with the current one; a wrong current PIN counts toward the lock."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from pos_app.bootstrap import App, create_app
from pos_app.messages.commands import ChangePinCommand, LoginCommand, LogoutCommand
from tests.support import PINS, FrozenClock, changed, fingerprint, login


def staff_row(path: Path, staff_id: str) -> tuple[str, int, str | None]:
    """(pin_hash, failed_attempts, locked_until)."""
    with closing(sqlite3.connect(path)) as connection:
        row = connection.execute(
            "SELECT pin_hash, failed_attempts, locked_until FROM staff WHERE id = ?", (staff_id,)
        ).fetchone()
    return row[0], row[1], row[2]


def events(path: Path) -> list[tuple[str, str | None, str]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT event_type, staff_id, payload FROM events ORDER BY position").fetchall()


async def test_a_staff_member_changes_their_own_pin_and_logs_in_with_the_new_one_only(
    app: App, db_path: Path, clock: FrozenClock
) -> None:
    await login(app.mediator, "rosa")
    old_hash = staff_row(db_path, "rosa")[0]

    changed_pin = await app.mediator.execute_async(ChangePinCommand(current_pin=PINS["rosa"], new_pin="246810"))
    await app.mediator.execute_async(LogoutCommand())
    with_old = await app.mediator.execute_async(LoginCommand(staff_id="rosa", pin=PINS["rosa"]))
    with_new = await app.mediator.execute_async(LoginCommand(staff_id="rosa", pin="246810"))

    assert changed_pin.status == 200
    assert with_old.status == 403
    assert with_new.is_success
    new_hash = staff_row(db_path, "rosa")[0]
    assert new_hash.startswith("scrypt$")
    assert new_hash != old_hash
    assert ("StaffPinChangedEvent", "rosa", "{}") in events(db_path)
    for other, pin in PINS.items():
        if other != "rosa":
            assert (await app.mediator.execute_async(LoginCommand(staff_id=other, pin=pin))).is_success


async def test_the_new_pin_is_kept_when_the_store_is_opened_again(db_path: Path, clock: FrozenClock) -> None:
    async with create_app(f"sqlite:///{db_path}", clock=clock) as first:
        await login(first.mediator, "toni")
        assert (await first.mediator.execute_async(ChangePinCommand(current_pin="4000", new_pin="13579"))).is_success

    async with create_app(f"sqlite:///{db_path}", clock=clock) as second:
        result = await second.mediator.execute_async(LoginCommand(staff_id="toni", pin="13579"))

    assert result.is_success


async def test_a_wrong_current_pin_is_refused_and_counts_toward_the_lock_like_a_wrong_login(
    app: App, db_path: Path, clock: FrozenClock
) -> None:
    await login(app.mediator, "luigi")
    wrong = ChangePinCommand(current_pin="9999", new_pin="246810")

    first_four = [await app.mediator.execute_async(wrong) for _ in range(4)]
    counted = staff_row(db_path, "luigi")[1]
    fifth = await app.mediator.execute_async(wrong)
    right_while_locked = await app.mediator.execute_async(ChangePinCommand(current_pin="2000", new_pin="246810"))
    login_while_locked = await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="2000"))

    assert [r.status for r in first_four] == [403] * 4
    assert all(r.errors == {"current_pin": ["Wrong PIN"]} for r in first_four)
    assert counted == 4
    assert fifth.status == 403
    assert "locked" in (fifth.error_message or "")
    assert right_while_locked.status == 403
    assert "locked" in (right_while_locked.error_message or "")
    assert login_while_locked.status == 403
    assert [e[0] for e in events(db_path)].count("StaffLoginFailedEvent") == 5
    assert "StaffPinChangedEvent" not in [e[0] for e in events(db_path)]
    assert staff_row(db_path, "luigi")[0].startswith("scrypt$")


@pytest.mark.parametrize(
    ("new_pin", "message"),
    [
        ("12", "4 to 8 digits"),
        ("123456789", "4 to 8 digits"),
        ("12a4", "4 to 8 digits"),
        ("", "4 to 8 digits"),
        ("١٢٣٤", "4 to 8 digits"),
        ("2000", "different from the current"),
    ],
)
async def test_a_new_pin_that_is_no_pin_or_the_current_one_is_refused_by_field_and_writes_nothing(
    app: App, db_path: Path, new_pin: str, message: str
) -> None:
    await login(app.mediator, "luigi")
    before = fingerprint(db_path)

    result = await app.mediator.execute_async(ChangePinCommand(current_pin="2000", new_pin=new_pin))

    assert result.status == 400
    assert message in " ".join(result.errors["new_pin"])
    assert changed(before, fingerprint(db_path)) == []


async def test_nobody_logged_in_cannot_change_a_pin_and_nothing_is_written(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    await app.mediator.execute_async(LogoutCommand())
    before = fingerprint(db_path)

    result = await app.mediator.execute_async(ChangePinCommand(current_pin="2000", new_pin="246810"))

    assert result.status == 403
    assert changed(before, fingerprint(db_path)) == []


async def test_neither_pin_appears_in_the_store_the_log_or_the_command_repr(
    app: App, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await login(app.mediator, "mario")
    right = ChangePinCommand(current_pin="1000", new_pin="73915")
    wrong = ChangePinCommand(current_pin="73914", new_pin="86420")

    with caplog.at_level(logging.DEBUG):
        refused = await app.mediator.execute_async(wrong)
        accepted = await app.mediator.execute_async(right)

    assert (refused.status, accepted.status) == (403, 200)
    with closing(sqlite3.connect(db_path)) as connection:
        stored = repr(connection.execute("SELECT * FROM staff").fetchall())
        stored += repr(connection.execute("SELECT * FROM events").fetchall())
        stored += repr(connection.execute("SELECT * FROM processed_commands").fetchall())
    for pin in ("73915", "73914", "86420"):
        assert pin not in stored
        assert pin not in caplog.text
        assert pin not in repr(right) + repr(wrong)
