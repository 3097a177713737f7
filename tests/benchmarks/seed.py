"""Seed a store with history, fast, through the bulk path (identical tables to the real path: tests/integration/
test_history.py).

    python tests/benchmarks/seed.py --orders 100000 --out /tmp/store-100k.db

A year of 100,000 orders is about a million events. The last day holds 1,000 orders, 200 still open in the kitchen;
one regular customer holds 2% of all orders.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import Connection

from pos_app.bootstrap import create_app
from pos_app.config import Settings
from pos_app.read_model.ports import BusinessCalendar
from pos_app.tools.history import BulkHistoryWriter, HistoryShape, generate


async def seed(
    path: Path, orders: int, today: date | None = None, settings: Settings | None = None
) -> dict[str, float]:
    """Create `path` (a new store: the caller checks it does not exist) with `orders` orders ending on `today`."""
    started = time.perf_counter()
    async with create_app(f"sqlite:///{path}", settings=settings) as app:
        day = today or app.provider.get_required_service(BusinessCalendar).today()
        shape = HistoryShape.of(orders)

        def write(connection: Connection) -> dict[str, float]:
            writer = BulkHistoryWriter(connection, app.settings)
            steps = generate(shape, writer.menu, day)
            first = next(steps)
            writer.log_in(first.at)
            writer.apply(first)
            count = 1
            for step in steps:
                writer.apply(step)
                count += 1
            written = time.perf_counter()
            writer.finish()
            return {"commands": count, "events": writer.events_written, "write_s": written - started}

        figures = await app.database.on_writer(app.database.run_sync, write)
    figures["seconds"] = time.perf_counter() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.out.exists():
        parser.error(f"{args.out} exists; seeding makes a new store")
    figures = asyncio.run(seed(args.out, args.orders))
    print(
        f"{args.orders} orders, {figures['commands']:.0f} commands, {figures['events']:.0f} events "
        f"in {figures['seconds']:.1f} s -> {args.out} ({args.out.stat().st_size / 1e6:.0f} MB)"
    )


if __name__ == "__main__":
    main()
