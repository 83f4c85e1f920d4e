"""Benchmark: the kill test at length (issue 15): 20 cycles of killing a web worker, the
whole gunicorn or PostgreSQL (immediate stop) under write load, then the full check.

Usage (from the repository root, as root or as a user who may run PostgreSQL's initdb;
the server binaries of Debian's postgresql package are needed, no running server):

    .venv/bin/python bench/durability.py                # 20 cycles, 3 client threads
    .venv/bin/python bench/durability.py --cycles 50 --threads 4 --seed 7

Prints the set-up time (private cluster, migrations, world, gunicorn), each kind's recovery
time (from the kill until writes are acknowledged again), the answers the clients got, the
acknowledged writes and every problem the check found. Exit status 1 if there is one.
Timings live here, never in tests (tests/durability/test_kill.py runs 3 cycles in CI).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.durability.chaos import KINDS, kill_run  # noqa: E402
from tests.durability.stack import Stack, why_not_runnable  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description="Kill test at length.")
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--threads", type=int, default=3)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    reason = why_not_runnable(in_pytest=False)
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    started = time.monotonic()
    stack = Stack.up(usernames=("officer",), people=5)
    set_up = time.monotonic() - started
    try:
        outcome = kill_run(stack, args.cycles, threads=args.threads, seed=args.seed)
    finally:
        stack.down()
    print(f"set-up (initdb, migrate, seed, gunicorn): {set_up:.1f} s")
    print(f"{len(outcome.cycles)} cycles in {outcome.seconds:.1f} s (load, kills, final check)")
    for kind in KINDS:
        times = [c.recovered_in for c in outcome.cycles if c.kind == kind]
        if times:
            print(
                f"  {kind:9} x{len(times):<3} back to acknowledged writes in "
                f"min {min(times):.2f} s, median {statistics.median(times):.2f} s, "
                f"max {max(times):.2f} s"
            )
    answers = ", ".join(f"{code}: {n}" for code, n in sorted(outcome.answers.items()))
    print(f"answers: {answers}")
    acks = outcome.acks
    print(
        f"acknowledged: {len(acks.created)} referrals, {len(acks.amended)} amendments, "
        f"{len(acks.noted)} notes; in the database: {outcome.report['counts']}"
    )
    problems = outcome.report["problems"] + [f"unexpected answer: {u}" for u in outcome.unexpected]
    print(f"problems: {len(problems)}")
    for problem in problems[:50]:
        print(f"  {problem}")
    print(f"total {time.monotonic() - started:.1f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
