"""Mediator overhead: µs per call, median of 5 repeats, against a direct `await handler.handle_async()`.

    python tests/benchmarks/bench_mediator.py [--calls N]

Prints a table and one JSON line. Targets (issue: foundation): execute_async with 3 behaviors ≤ 1.5 µs,
publish_async to 3 handlers ≤ 2 µs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pos_app.mediation import (
    Command,
    CommandHandler,
    EventHandler,
    Mediator,
    NextHandler,
    OperationResult,
    PipelineBehavior,
    ServiceCollection,
)

TARGETS_US = {"execute_async, 3 behaviors": 1.5, "publish_async, 3 handlers": 2.0}


class Clock:
    pass


class Repository:
    pass


class BenchCommand(Command[OperationResult[int]]):
    value: int


class BenchHandler(CommandHandler[BenchCommand, OperationResult[int]]):
    def __init__(self, clock: Clock, repository: Repository) -> None:
        self._clock, self._repository = clock, repository

    async def handle_async(self, request: BenchCommand) -> OperationResult[int]:
        return self.ok(request.value)


class PassThrough(PipelineBehavior[Any, Any]):
    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        return await next_handler()


class First(PassThrough):
    pass


class Second(PassThrough):
    pass


class Third(PassThrough):
    pass


@dataclass(frozen=True, slots=True)
class BenchEvent:
    value: int


class Listener1(EventHandler[BenchEvent]):
    async def handle_async(self, event: BenchEvent) -> None:
        return None


class Listener2(Listener1):
    pass


class Listener3(Listener1):
    pass


def mediator(behaviors: int, listeners: int) -> Mediator:
    services = ServiceCollection()
    services.add_singleton(Clock, Clock())
    services.add_singleton(Repository)
    Mediator.configure(services)
    services.mediation.add_handler(BenchHandler)
    for behavior in (First, Second, Third)[:behaviors]:
        services.add_pipeline_behavior(behavior)
    for listener in (Listener1, Listener2, Listener3)[:listeners]:
        services.mediation.add_handler(listener)
    return services.build().get_required_service(Mediator)


async def per_call_us(call: Callable[[], Awaitable[Any]], calls: int, repeats: int = 5) -> float:
    for _ in range(calls // 10):
        await call()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            await call()
        samples.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(samples)


async def run(calls: int) -> dict[str, float]:
    request = BenchCommand(value=1)
    event = BenchEvent(value=1)
    handler = BenchHandler(Clock(), Repository())
    bare, three = mediator(0, 1), mediator(3, 3)
    return {
        "direct await handler.handle_async()": await per_call_us(lambda: handler.handle_async(request), calls),
        "execute_async, 0 behaviors": await per_call_us(lambda: bare.execute_async(request), calls),
        "execute_async, 3 behaviors": await per_call_us(lambda: three.execute_async(request), calls),
        "publish_async, 1 handler": await per_call_us(lambda: bare.publish_async(event), calls),
        "publish_async, 3 handlers": await per_call_us(lambda: three.publish_async(event), calls),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200_000)
    args = parser.parse_args()
    figures = asyncio.run(run(args.calls))
    direct = figures["direct await handler.handle_async()"]
    print(f"mediator overhead, {platform.python_implementation()} {platform.python_version()}, {args.calls} calls x 5")
    print(f"{'what':40} {'us/call':>8} {'x direct':>9} {'target':>8}")
    ok = True
    for name, value in figures.items():
        target = TARGETS_US.get(name)
        met = target is None or value <= target
        ok = ok and met
        shown = f"<= {target}" if target else ""
        print(f"{name:40} {value:8.3f} {value / direct:9.1f} {shown:>8} {'' if met else 'MISSED'}")
    print(json.dumps({"benchmark": "mediator", "us_per_call": figures, "targets_met": ok}))


if __name__ == "__main__":
    main()
