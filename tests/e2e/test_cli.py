"""The console entry points, run as a user would."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from pos_app.bootstrap import create_app
from tests.reliability.conftest import integrity
from tests.support import READ_MODELS, fingerprint, login, placed

PIN_VARIABLE = "POS_MANAGER_PIN"


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pos_app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=None if env is None else {**os.environ, **env},
        input=stdin,
    )


def folder_state(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def staff_of(path: Path) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT id, name, role FROM staff ORDER BY id").fetchall()


def is_demo(path: Path) -> bool:
    with closing(sqlite3.connect(path)) as connection:
        return bool(connection.execute("SELECT is_demo FROM store_info").fetchone()[0])


def one_line_error(completed: subprocess.CompletedProcess[str]) -> str:
    """The error the command printed: one line on stderr, no traceback."""
    assert "Traceback" not in completed.stderr, completed.stderr
    lines = [line for line in completed.stderr.splitlines() if " WARNING " not in line]
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("pos-app")
    return lines[0]


def test_self_test_runs_an_order_through_the_real_mediator_and_prints_ok() -> None:
    completed = run("--self-test")

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("OK")


def test_rebuild_read_models_replays_the_event_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"

    completed = run("rebuild-read-models", "--database-url", url, "--demo")

    assert completed.returncode == 0, completed.stderr
    assert "Rebuilt the read models from 0 events" in completed.stdout


def test_a_damaged_store_is_reported_in_one_line_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"not a database" * 1000)

    completed = run("rebuild-read-models", "--database-url", f"sqlite:///{path}")

    assert completed.returncode == 2
    assert "cannot be opened" in completed.stderr
    assert path.read_bytes() == b"not a database" * 1000


# --- which store: a file that is not there, demo stores and real stores ---------------------------------------------


@pytest.mark.parametrize(
    "tool", [[], ["rebuild-read-models"], ["simulate", "--orders", "1"]], ids=["app", "rebuild", "simulate"]
)
def test_a_database_url_naming_no_file_is_refused_in_one_line_and_nothing_is_made(
    tmp_path: Path, tool: list[str]
) -> None:
    path = tmp_path / "shop" / "store.db"

    completed = run(*tool, "--database-url", f"sqlite:///{path}", env={"QT_QPA_PLATFORM": "offscreen"})

    assert completed.returncode == 2
    error = one_line_error(completed)
    assert f"there is no store at {path}" in error
    assert "--demo" in error
    assert "--new-store" in error
    assert list(tmp_path.iterdir()) == []


def test_demo_makes_a_demo_store_where_there_is_none(tmp_path: Path) -> None:
    path = tmp_path / "store.db"

    completed = run("rebuild-read-models", "--database-url", f"sqlite:///{path}", "--demo")

    assert completed.returncode == 0, completed.stderr
    assert [staff_id for staff_id, _, _ in staff_of(path)] == ["luigi", "mario", "rosa", "toni"]
    assert is_demo(path)


def test_new_store_from_flags_and_the_environment_makes_a_real_store_with_only_its_manager(tmp_path: Path) -> None:
    path = tmp_path / "store.db"

    completed = run(
        "rebuild-read-models",
        "--database-url",
        f"sqlite:///{path}",
        "--new-store",
        "--manager-name",
        "Anna Rossi",
        "--manager-id",
        "anna",
        env={PIN_VARIABLE: "482916"},
        stdin="",
    )

    assert completed.returncode == 0, completed.stderr
    assert staff_of(path) == [("anna", "Anna Rossi", "manager")]
    assert not is_demo(path)
    assert "482916" not in completed.stdout + completed.stderr


def test_new_store_asks_for_the_manager_when_no_flags_are_given(tmp_path: Path) -> None:
    path = tmp_path / "store.db"

    completed = run(
        "rebuild-read-models",
        "--database-url",
        f"sqlite:///{path}",
        "--new-store",
        stdin="Anna Rossi\n\n482916\n482916\n",
    )

    assert completed.returncode == 0, completed.stderr
    assert "manager's name" in completed.stderr
    assert "PIN" in completed.stderr
    assert staff_of(path) == [("anna", "Anna Rossi", "manager")]
    assert not is_demo(path)


@pytest.mark.parametrize(
    ("stdin", "env", "problem"),
    [
        ("Anna Rossi\nanna\n1000\n1000\n", {}, "demo PINs"),
        ("Anna Rossi\nanna\n482916\n482917\n", {}, "differ"),
        ("Anna Rossi\nAnna Rossi\n", {}, "staff id"),
        ("Anna Rossi\nanna\n", {PIN_VARIABLE: "12"}, "4 to 8 digits"),
        ("Anna Rossi\n", {}, "input ended"),
    ],
    ids=["a demo PIN", "two different PINs", "a staff id with a space", "a short PIN", "no answer"],
)
def test_new_store_refuses_wrong_details_in_one_line_and_makes_nothing(
    tmp_path: Path, stdin: str, env: dict[str, str], problem: str
) -> None:
    path = tmp_path / "store.db"

    completed = run("rebuild-read-models", "--database-url", f"sqlite:///{path}", "--new-store", env=env, stdin=stdin)

    assert completed.returncode == 2
    assert problem in completed.stderr.splitlines()[-1]
    assert "Traceback" not in completed.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_store_over_an_existing_store_is_refused_and_the_store_is_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    assert run("rebuild-read-models", "--database-url", f"sqlite:///{path}", "--demo").returncode == 0
    before = folder_state(tmp_path)

    completed = run(
        "rebuild-read-models",
        "--database-url",
        f"sqlite:///{path}",
        "--new-store",
        "--manager-name",
        "Anna",
        env={PIN_VARIABLE: "482916"},
    )

    assert completed.returncode == 2
    assert "already a store" in one_line_error(completed)
    assert folder_state(tmp_path) == before


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite+aiosqlite://", "not a url"])
@pytest.mark.parametrize("tool", [[], ["rebuild-read-models"]], ids=["app", "rebuild"])
def test_a_database_url_that_is_no_store_file_is_refused_in_one_line(tmp_path: Path, url: str, tool: list[str]) -> None:
    completed = run(*tool, "--database-url", url, cwd=tmp_path, env={"QT_QPA_PLATFORM": "offscreen"})

    assert completed.returncode == 2
    assert url in one_line_error(completed)
    assert list(tmp_path.iterdir()) == []


# --- the disk fills up during a rebuild ------------------------------------------------------------------------------

FULL_DISK = textwrap.dedent(
    """
    import sqlite3, sys
    from sqlalchemy import Engine, event
    from pos_app.__main__ import main

    pages = int(sys.argv[1])

    @event.listens_for(Engine, "connect")
    def _no_room_to_grow(dbapi_connection, _):
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL past this size

    sys.exit(main(sys.argv[2:]))
    """
)


def test_a_rebuild_on_a_full_disk_ends_in_one_line_and_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "store.db"

    async def make_store() -> None:
        async with create_app(f"sqlite:///{path}") as app:
            await login(app.mediator, "luigi")
            for _ in range(20):
                await placed(app.mediator, accept_kitchen_wait=True)

    asyncio.run(make_store())
    with closing(sqlite3.connect(path)) as connection, connection:
        for table in READ_MODELS:  # lost read models: the reason to rebuild, and room the rebuild needs again
            connection.execute(f"DELETE FROM {table}")
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("VACUUM")
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    before = fingerprint(path)

    completed = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(pages), "rebuild-read-models", "--database-url", f"sqlite:///{path}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    after = fingerprint(path)
    retried = run("rebuild-read-models", "--database-url", f"sqlite:///{path}")

    assert completed.returncode == 1
    error = one_line_error(completed)
    assert "disk is full" in error
    assert "as it was" in error
    assert after == before
    assert integrity(path) == "ok"
    assert retried.returncode == 0, retried.stderr
    assert "Rebuilt the read models from" in retried.stdout
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT count(*) FROM order_list_view").fetchone()[0] == 20


# --- Ctrl+C --------------------------------------------------------------------------------------------------------

WITH_CTRL_C = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'pos-app'; runpy.run_module('pos_app', run_name='__main__')"
)
"""`python -m pos_app` with Ctrl+C raising KeyboardInterrupt, as in a terminal (a test runner in the background
may have started us with SIGINT ignored)."""


class Running:
    """`pos-app …` in the background, its output gathered as it comes."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WITH_CTRL_C, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        )
        self.out = bytearray()
        self.err = bytearray()
        for stream, buffer in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=self._gather, args=(stream, buffer), daemon=True).start()

    @staticmethod
    def _gather(stream: object, buffer: bytearray) -> None:
        while chunk := stream.read1(4096):  # type: ignore[attr-defined]
            buffer.extend(chunk)

    def wait_for_output(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.out + self.err:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no {text!r}: {(self.out + self.err).decode(errors='replace')}")
            time.sleep(0.02)

    def interrupt(self, timeout: float = 60) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout)

    @property
    def stderr(self) -> str:
        return self.err.decode(errors="replace")


@pytest.mark.parametrize(
    ("args", "started"),
    [
        (["--log-level", "INFO"], "Window painted"),
        (["simulate", "--orders", "100000", "--rate", "5"], "/100000 orders"),
    ],
    ids=["app", "simulate"],
)
def test_ctrl_c_ends_the_app_or_a_tool_with_exit_130_and_no_traceback(
    tmp_path: Path, args: list[str], started: str
) -> None:
    path = tmp_path / "store.db"
    running = Running(*args, "--database-url", f"sqlite:///{path}", "--demo")
    running.wait_for_output(started)

    code = running.interrupt()

    assert code == 130, running.stderr
    assert "Traceback" not in running.stderr
    assert running.stderr.rstrip().splitlines()[-1] == "pos-app: interrupted"
    assert integrity(path) == "ok"


def test_ctrl_c_at_the_new_store_questions_ends_with_exit_130_and_makes_nothing(tmp_path: Path) -> None:
    running = Running("rebuild-read-models", "--database-url", f"sqlite:///{tmp_path / 'store.db'}", "--new-store")
    running.wait_for_output("The manager's name: ")

    code = running.interrupt()

    assert code == 130, running.stderr
    assert "Traceback" not in running.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("tool", [[], ["rebuild-read-models"]], ids=["app", "rebuild"])
def test_a_store_server_that_cannot_be_reached_is_refused_in_one_line(tmp_path: Path, tool: list[str]) -> None:
    completed = run(*tool, "--database-url", "postgresql://pos@till.invalid/store", cwd=tmp_path)

    assert completed.returncode == 2
    assert "The store in store on till.invalid cannot be opened" in one_line_error(completed)
    assert list(tmp_path.iterdir()) == []


def test_the_start_up_time_a_process_reports_is_its_own_age() -> None:
    """The "Window painted N ms after start" figure: a process asking at once how long it has run gets about the
    time since it was launched, not a figure off by the rounding of the machine's boot time."""
    code = "from pos_app.__main__ import process_age_seconds; print(process_age_seconds())"
    launched = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    elapsed = time.perf_counter() - launched
    age = float(output)
    assert 0 <= age <= elapsed + 0.02, (age, elapsed)  # /proc counts in hundredths of a second
