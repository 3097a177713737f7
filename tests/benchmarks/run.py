"""Every benchmark in one command.

    python tests/benchmarks/run.py            # quick: stores of 1,000 and 10,000 orders, under a couple of minutes
    python tests/benchmarks/run.py --full     # the issue's sizes: up to a year of 100,000 orders (~10 minutes)

Runs each benchmark script in its own process (so one's memory and threads do not colour another's), prints
their tables, and ends with one JSON line holding every figure. The machine is noisy: compare ratios within one
run and quote medians. docs/PERFORMANCE.md holds the figures of the last full run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.benchmarks.seed import seed  # noqa: E402


def run_script(name: str, *args: str) -> dict[str, object]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, str(HERE / name), *args], capture_output=True, text=True, check=False, cwd=HERE.parents[1]
    )
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    table = [line for line in lines if not line.startswith("{") and not line.startswith("...")]
    print(f"\n== {name} {' '.join(args)}  ({time.perf_counter() - started:.0f} s)")
    print("\n".join(table))
    if completed.returncode != 0:
        print(completed.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"{name} failed")
    return json.loads(next(line for line in reversed(lines) if line.startswith("{")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="the issue's sizes (about ten minutes)")
    args = parser.parse_args()
    largest = 100_000 if args.full else 10_000
    results: dict[str, object] = {
        "mode": "full" if args.full else "quick",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
    }
    results["mediator"] = run_script("bench_mediator.py", "--calls", "200000" if args.full else "50000")
    results["db_access"] = run_script("bench_db_access.py")
    sizes = "1000,10000,100000" if args.full else "1000,10000"
    results["store"] = run_script(
        "bench_store.py", "--sizes", sizes, "--orders-to-place", "2000" if args.full else "300"
    )
    results["write_path"] = run_script("bench_write_path.py", "--samples", "1000" if args.full else "400")
    with tempfile.TemporaryDirectory(prefix="pos-bench-") as directory:
        store = Path(directory) / f"store-{largest}.db"
        asyncio.run(seed(store, largest))
        results["ui"] = run_script("bench_ui.py", "--store", str(store), "--rush-seconds", "20" if args.full else "8")
    print(json.dumps({"benchmark": "all", **results}))


if __name__ == "__main__":
    main()
