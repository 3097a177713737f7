"""The store server restarts while four terminals work at full speed: each reconnects by itself and goes on, and
nothing any of them had acknowledged is lost.

The test starts a PostgreSQL server of its own (the session's is shared with other tests and never restarted) and
restarts it once the terminals are busy: every connection is cut at once, in the middle of whatever each terminal
was doing. A command refused while the server is down is fine (the terminal was told); each terminal must have its
commands acknowledged again once the server is back. Afterwards every acknowledged change is in the store, order
numbers are unique and gap-free, every order is whole, and the read models equal a rebuild.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pos_app.bootstrap import create_app
from tests.pg_server import ENV_URL, ThrowawayServer
from tests.reliability.conftest import (
    hex_id,
    order_number_trouble,
    partial_orders,
    reached,
    read_models_match_a_rebuild,
    stored_states,
)
from tests.reliability.terminal_worker import TERMINALS
from tests.support import query_store

SECONDS = 25
BUSY_BEFORE_THE_RESTART = 60
"""Orders placed before the server is restarted."""
RECONNECTED_WITHIN_S = 5
"""Once the server is back, no terminal's command is refused after this."""
RESULTS = Path(__file__).with_name("last_server_restart_run.json")


@pytest.fixture
def own_server(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv(ENV_URL, raising=False)  # a server named there is not ours to restart
    server = ThrowawayServer().start()
    try:
        yield server
    finally:
        server.close()


def wait_for_orders(store_url: str, count: int, deadline: float) -> None:
    while query_store(store_url, ["SELECT count(*) FROM orders"])[0][0][0] < count:
        assert time.monotonic() < deadline, f"fewer than {count} orders placed"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.alone
def test_terminals_reconnect_after_a_server_restart_and_lose_nothing_acknowledged(own_server: ThrowawayServer) -> None:
    store_url = own_server.new_database()

    async def create() -> None:
        async with create_app(store_url):
            pass

    asyncio.run(create())
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.terminal_worker", role, store_url, str(SECONDS), str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role, seed in TERMINALS
    ]
    try:
        wait_for_orders(store_url, BUSY_BEFORE_THE_RESTART, time.monotonic() + SECONDS)
        down_at = time.time()
        own_server.restart()
        back_at = time.time()
        outputs = [process.communicate(timeout=SECONDS + 120) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    for process, (_, errors) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, errors
    terminals = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]

    states = stored_states(store_url)
    acknowledged = [(at, order, state) for terminal in terminals for at, order, state in terminal["acked"]]
    lost = [(order, state) for _, order, state in acknowledged if hex_id(order) not in states]
    behind = [
        (order, state, states[hex_id(order)])
        for _, order, state in acknowledged
        if hex_id(order) in states and not reached(states[hex_id(order)][0], state)
    ]
    acknowledged_after = [sum(1 for at, _, _ in t["acked"] if at > back_at) for t in terminals]
    RESULTS.write_text(
        json.dumps(
            {
                "postgresql": {
                    "backend": "postgresql",
                    "seconds": SECONDS,
                    "terminals": [role for role, _ in TERMINALS],
                    "server_down_for_s": back_at - down_at,
                    "acknowledged": len(acknowledged),
                    "acknowledged_after_the_restart": acknowledged_after,
                    "refused": [len(t["locked"]) for t in terminals],
                    "refused_after_back_for_s": [max(t["refused_at"], default=back_at) - back_at for t in terminals],
                    "refusals": sorted({message for t in terminals for message in t["locked"]}),
                    "orders": len(states),
                    "lost": len(lost),
                    "behind": len(behind),
                    "back_to_work_after_s": [
                        min((at for at, _, _ in t["acked"] if at > back_at), default=back_at) - back_at
                        for t in terminals
                    ],
                }
            },
            indent=2,
        )
    )
    refusals = [(at, message) for t in terminals for at, message in zip(t["refused_at"], t["locked"], strict=True)]
    # A command the restart interrupted waits for the server and goes through (the reconnect behavior); one refused
    # is refused with the reconnect message, and none once the server has been back for a moment.
    started = query_store(store_url, ["SELECT extract(epoch FROM pg_postmaster_start_time())"])[0][0][0]
    assert float(started) >= down_at, "the server was not restarted"
    assert {message for _, message in refusals} <= {"503 Reconnecting to the store server…"}
    assert max((at for at, _ in refusals), default=back_at) < back_at + RECONNECTED_WITHIN_S
    assert all(count > 10 for count in acknowledged_after), acknowledged_after
    assert lost == []
    assert behind == []
    assert order_number_trouble(store_url) == []
    assert partial_orders(store_url) == []
    assert read_models_match_a_rebuild(store_url)
