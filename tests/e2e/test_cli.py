"""The console entry points, run as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pos_app", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_self_test_runs_an_order_through_the_real_mediator_and_prints_ok() -> None:
    completed = run("--self-test")

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("OK")


def test_rebuild_read_models_replays_the_event_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"

    completed = run("rebuild-read-models", "--database-url", url)

    assert completed.returncode == 0, completed.stderr
    assert "Rebuilt the read models from 0 events" in completed.stdout


def test_a_damaged_store_is_reported_in_one_line_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"not a database" * 1000)

    completed = run("rebuild-read-models", "--database-url", f"sqlite:///{path}")

    assert completed.returncode == 2
    assert "cannot be opened" in completed.stderr
    assert path.read_bytes() == b"not a database" * 1000
