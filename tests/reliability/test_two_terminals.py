"""A counter and a kitchen process at full speed on one store file for 30 seconds."""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.bootstrap import create_app
from tests.reliability.conftest import integrity, partial_orders, read_models_match_a_rebuild

SECONDS = 30
RESULTS = Path(__file__).with_name("last_two_terminals_run.json")


@pytest.mark.slow
@pytest.mark.alone
def test_two_terminals_at_full_speed_never_see_locked_and_see_each_other_within_a_second(tmp_path: Path) -> None:
    store = tmp_path / "store.db"

    async def create() -> None:
        async with create_app(f"sqlite:///{store}"):
            pass

    asyncio.run(create())
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.terminal_worker", role, str(store), str(SECONDS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in ("counter", "kitchen")
    ]
    outputs = [process.communicate(timeout=SECONDS + 120) for process in processes]
    for process, (_, errors) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, errors
    counter, kitchen = (json.loads(out.strip().splitlines()[-1]) for out, _ in outputs)

    kitchen_lag = [kitchen["seen"][o] - t for o, t in counter["placed"].items() if o in kitchen["seen"]]
    counter_lag = [
        counter["ready_seen"][o] - t for o, t in kitchen["ready_acked"].items() if o in counter["ready_seen"]
    ]
    conflicts = sum(n for s, n in {**counter["statuses"], **kitchen["statuses"]}.items() if s in ("403", "409"))
    figures = {
        "seconds": SECONDS,
        "orders_placed": len(counter["placed"]),
        "requests": sum(counter["statuses"].values()) + sum(kitchen["statuses"].values()),
        "counter_statuses": counter["statuses"],
        "kitchen_statuses": kitchen["statuses"],
        "refused_as_stale_or_not_allowed": conflicts,
        "kitchen_saw_new_orders_after_s": {"median": statistics.median(kitchen_lag), "max": max(kitchen_lag)},
        "counter_saw_ready_orders_after_s": {"median": statistics.median(counter_lag), "max": max(counter_lag)},
    }
    RESULTS.write_text(json.dumps(figures, indent=2))

    assert counter["locked"] == []
    assert kitchen["locked"] == []
    assert len(counter["placed"]) > 100
    assert len(kitchen_lag) > 100
    assert len(counter_lag) > 50
    assert max(kitchen_lag) < 1.0
    assert max(counter_lag) < 1.0
    assert partial_orders(store) == []
    assert integrity(store) == "ok"
    assert read_models_match_a_rebuild(store)
