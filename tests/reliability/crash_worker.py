"""A till that works orders in a loop until it is killed. Run by the crash tests, never by pytest directly.

    python -m tests.reliability.crash_worker STORE_URL SEED [RESEND_JSON]
    python -m tests.reliability.crash_worker --forks

`--forks` imports the app once and then, for each JSON line on stdin (`store`, `seed`, `resend`, and the named
pipes `stdout` and `stderr` to write to), forks a till and prints its pid: a till starts in the time it takes to
open the store, not to start Python, so the crash test spends its time on tills, not on imports. A forked till is
a process like any other: SIGKILL ends it at whatever it was doing.

Protocol on stdout, one line each, flushed:
    SEND <json>     a command is about to be sent (its kind, order id, fields)
    ACK <json>      the command was acknowledged (status and the order's state after it)
and on stderr `COMMIT+` / `COMMIT-` around every commit, so the test can kill in the middle of one.
RESEND_JSON is a SEND line whose ACK never came: it is sent again first, exactly as before (a retry).
Then, as staff at the next till would, it finishes what a till killed before it left open: every order still
pending, cooking or ready is worked through the kitchen and handed over (SEND/ACK lines as for its own orders), so
the kitchen never fills up with the orders of dead tills.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sys
import traceback
import uuid
from typing import Any

from pos_app.bootstrap import create_app
from pos_app.infrastructure.unit_of_work import SqlUnitOfWork
from pos_app.messages.commands import (
    LoginCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    PlaceOrderCommand,
    StartCookingCommand,
)
from pos_app.messages.queries import GetKitchenQueueQuery, GetOrderByIdQuery, GetOrdersQuery

_original_commit = SqlUnitOfWork._commit_sync


def _marked_commit(self: SqlUnitOfWork, *args: Any) -> Any:
    sys.stderr.write("COMMIT+\n")
    sys.stderr.flush()
    try:
        return _original_commit(self, *args)
    finally:
        sys.stderr.write("COMMIT-\n")
        sys.stderr.flush()


SqlUnitOfWork._commit_sync = _marked_commit  # type: ignore[method-assign]


def emit(tag: str, body: dict[str, Any]) -> None:
    sys.stdout.write(f"{tag} {json.dumps(body, sort_keys=True)}\n")
    sys.stdout.flush()


def build(spec: dict[str, Any]) -> Any:
    order_id = uuid.UUID(spec["order_id"])
    command_id = uuid.UUID(spec["command_id"]) if spec.get("command_id") else None
    match spec["kind"]:
        case "place":
            return PlaceOrderCommand(
                order_id=order_id,
                customer_name=spec["name"],
                customer_phone="555 010 2030",
                pizza_items=[PizzaItem(pizza_id=p, size="medium") for p in spec["pizzas"]],
                payment_method="card",
            )
        case "cook":
            return StartCookingCommand(order_id=order_id, command_id=command_id)
        case "ready":
            return MarkPizzaReadyCommand(order_id=order_id, pizza_index=spec["index"], command_id=command_id)
    return MarkOrderPickedUpCommand(order_id=order_id, command_id=command_id)


async def send(mediator: Any, spec: dict[str, Any]) -> dict[str, Any]:
    emit("SEND", spec)
    result = await mediator.execute_async(build(spec))
    ack = {**spec, "status": result.status}
    if result.is_success and result.data is not None:
        ack["state"] = getattr(result.data, "status", "pending")
    emit("ACK", ack)
    return ack


def remaining_steps(order: Any) -> list[dict[str, Any]]:
    """What is left to do to hand an order over, from its current state."""
    steps: list[dict[str, Any]] = [{"kind": "cook"}] if order.status == "pending" else []
    steps += [{"kind": "ready", "index": item.index} for item in order.items if not item.ready]
    return [*steps, {"kind": "pickup"}]


async def finish_what_was_left_open(mediator: Any) -> None:
    """Work every order a dead till left open through the kitchen and hand it over."""
    queue = await mediator.execute_async(GetKitchenQueueQuery())
    ready = await mediator.execute_async(GetOrdersQuery(status="ready", page_size=200))
    assert queue.is_success, queue
    assert ready.is_success, ready
    for order_id in [*(t.order_id for t in queue.data), *(o.order_id for o in ready.data.items)]:
        found = await mediator.execute_async(GetOrderByIdQuery(order_id=order_id))
        assert found.is_success, found
        if found.data.status not in ("pending", "cooking", "ready"):
            continue
        for step in remaining_steps(found.data):
            await send(mediator, {**step, "order_id": str(order_id), "command_id": str(uuid.uuid4())})


async def main(url: str, seed: int, resend: str | None) -> None:
    rng = random.Random(seed)
    async with create_app(url) as app:
        login = await app.mediator.execute_async(LoginCommand(staff_id="mario", pin="1000"))
        assert login.is_success, login
        if resend:
            await send(app.mediator, json.loads(resend))
        await finish_what_was_left_open(app.mediator)
        while True:
            order_id = str(uuid.uuid4())
            pizzas = rng.sample(["margherita", "pepperoni", "diavola", "veggie", "supreme"], k=rng.randint(1, 3))
            await send(app.mediator, {"kind": "place", "order_id": order_id, "name": f"Till {seed}", "pizzas": pizzas})
            steps = [{"kind": "cook"}, *({"kind": "ready", "index": i} for i in range(len(pizzas))), {"kind": "pickup"}]
            for step in steps:
                await send(app.mediator, {**step, "order_id": order_id, "command_id": str(uuid.uuid4())})


def serve_forks() -> None:
    """For each request line on stdin, fork a till writing to the request's named pipes; print its pid."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the tills: a killed one leaves no zombie
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _run_forked_till(request)
        print(pid, flush=True)


def _run_forked_till(request: dict[str, Any]) -> None:
    status = 0
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd, key in ((1, "stdout"), (2, "stderr")):
            pipe = os.open(request[key], os.O_WRONLY)
            os.dup2(pipe, fd)
            os.close(pipe)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        asyncio.run(main(request["store"], request["seed"], request["resend"]))
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        status = 1
    finally:
        os._exit(status)


if __name__ == "__main__":
    if sys.argv[1:] == ["--forks"]:
        serve_forks()
    else:
        asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None))
