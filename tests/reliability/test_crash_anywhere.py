"""Kill the till with SIGKILL at random moments, many times, some in the middle of a commit: nothing acknowledged
is lost, nothing is half-written, the read models equal a rebuild, and the file passes `PRAGMA integrity_check`."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.conftest import (
    hex_id,
    integrity,
    partial_orders,
    reached,
    read_models_match_a_rebuild,
    stored_states,
)

KILLS = 24
COMMANDS = 1000
RESULTS = Path(__file__).with_name("last_crash_run.json")


class Till:
    """One run of the worker: its output is read on threads; `kill()` ends it with SIGKILL."""

    def __init__(self, store: Path, seed: int, resend: str | None) -> None:
        args = [sys.executable, "-m", "tests.reliability.crash_worker", str(store), str(seed)]
        self.process = subprocess.Popen(
            [*args, resend] if resend else args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.lines: list[str] = []
        self.commits = 0
        self.in_commit = False
        self.errors: list[str] = []
        self.commit_started = threading.Event()
        self.first_ack = threading.Event()
        threading.Thread(target=self._read_out, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read_out(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("ACK"):
                self.first_ack.set()

    def _read_err(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if line.startswith("COMMIT+"):
                self.in_commit = True
                self.commits += 1
                self.commit_started.set()
            elif line.startswith("COMMIT-"):
                self.in_commit = False
            else:
                self.errors.append(line)

    def kill(self) -> bool:
        """SIGKILL now; returns whether a commit was under way."""
        mid_commit = self.in_commit
        self.process.kill()
        self.process.wait(timeout=30)
        time.sleep(0.05)  # let the reader threads drain the pipes
        return mid_commit


@pytest.mark.slow
def test_killing_the_till_at_any_moment_loses_no_acknowledged_order(tmp_path: Path) -> None:
    store = tmp_path / "store.db"
    rng = random.Random(20261129)
    acknowledged: dict[str, tuple[str, int]] = {}  # order id → (state, items ready) as last acknowledged
    resend: str | None = None
    kills = mid_commit_kills = commands = retries = 0
    while kills < KILLS or commands < COMMANDS:
        retries += resend is not None
        till = Till(store, kills, resend)
        mode = kills % 3
        if mode == 0:  # in the middle of a commit
            assert till.first_ack.wait(60), till.errors
            target = till.commits + rng.randint(1, 25)
            while till.commits < target and till.process.poll() is None:
                till.commit_started.wait(5)
                till.commit_started.clear()
            time.sleep(rng.random() * 0.002)
        elif mode == 1:  # at a random moment while working
            assert till.first_ack.wait(60), till.errors
            time.sleep(rng.uniform(0.05, 0.6))
        else:  # at a random moment, start-up included
            time.sleep(rng.uniform(0.0, 1.2))
        mid_commit_kills += till.kill()
        kills += 1
        assert not [e for e in till.errors if "Traceback" in e], "".join(till.errors)
        resend = None
        for line in till.lines:
            tag, _, body = line.partition(" ")
            spec: dict[str, Any] = json.loads(body)
            if tag == "SEND":
                resend = body
                continue
            resend = None
            commands += 1
            assert spec["status"] in (200, 201), spec
            order, state = spec["order_id"], spec["state"]
            ready = acknowledged.get(order, ("pending", 0))[1] + (1 if spec["kind"] == "ready" else 0)
            acknowledged[order] = (state, ready)

    states = stored_states(store)
    lost = [o for o in acknowledged if hex_id(o) not in states]
    behind = [
        (o, a, states[hex_id(o)])
        for o, a in acknowledged.items()
        if hex_id(o) in states and not (reached(states[hex_id(o)][0], a[0]) and states[hex_id(o)][1] >= a[1])
    ]
    RESULTS.write_text(
        json.dumps(
            {
                "kills": kills,
                "mid_commit_kills": mid_commit_kills,
                "commands_acknowledged": commands,
                "orders": len(states),
                "retried_after_a_kill": retries,
                "lost": len(lost),
                "behind": len(behind),
            },
            indent=2,
        )
    )
    assert kills >= 20
    assert mid_commit_kills >= 5
    assert retries >= 5
    assert commands >= COMMANDS
    assert lost == []
    assert behind == []
    assert partial_orders(store) == []
    assert integrity(store) == "ok"
    assert read_models_match_a_rebuild(store)
