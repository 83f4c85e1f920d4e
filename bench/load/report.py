"""Markdown tables for docs/performance.md from bench/run results (one run, or before and after).

.venv/bin/python -m bench.load.report AFTER.json [BEFORE.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _runs(result: dict[str, Any], group: str, name: str) -> dict[int, dict[str, Any]]:
    entry = result.get(group, {}).get(name)
    return {run["users"]: run for run in entry["runs"]} if entry else {}


def pages_table(after: dict[str, Any], before: dict[str, Any] | None) -> str:
    users = sorted({r["users"] for e in after["pages"].values() for r in e["runs"]})
    head = ["page"]
    for n in users:
        head += [f"{n} users: req/s", "of floor", "p95 ms"]
    if before:
        head += ["of floor before (10 users)", "p95 before (10 users)"]
    head.append("rows written per request")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for group in ("floors", "pages"):
        for name, entry in after[group].items():
            runs = _runs(after, group, name)
            cells = [name]
            for n in users:
                run = runs.get(n)
                if run is None:
                    cells += ["", "", ""]
                    continue
                ratio = run.get("of_signed_in_floor")
                cells += [
                    f"{run['rps']:,.1f}",
                    f"{ratio:.2f}" if ratio is not None else "",
                    f"{run['p95_ms']:,.0f}",
                ]
            if before:
                old = _runs(before, group, name).get(10)
                old_ratio = old.get("of_signed_in_floor") if old else None
                cells += [
                    f"{old_ratio:.2f}" if old_ratio is not None else "",
                    f"{old['p95_ms']:,.0f}" if old else "",
                ]
            written = entry.get("rows_written_per_request")
            cells.append("" if written is None else f"{written:.2f}")
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def figures_table(after: dict[str, Any], before: dict[str, Any] | None) -> str:
    head = ["figure", "app ms", "hand-written SQL ms", "ratio", "same numbers"]
    if before:
        head += ["ratio before"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, entry in after.get("figures", {}).items():
        if not isinstance(entry, dict):
            continue
        cells = [name, f"{entry['app_ms']:.1f}", f"{entry['sql_ms']:.1f}", f"{entry['ratio']:.2f}"]
        cells.append("yes" if entry["same_numbers"] else "NO")
        if before:
            old = before.get("figures", {}).get(name)
            cells.append(f"{old['ratio']:.2f}" if isinstance(old, dict) else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    after = json.loads(Path(argv[0]).read_text())
    before = json.loads(Path(argv[1]).read_text()) if len(argv) > 1 else None
    machine = after["machine"]
    print(
        f"Measured {machine['date']} on {machine['cores']} cores ({machine['cpu']}), "
        f"PostgreSQL {machine['postgresql']}, Python {machine['python']}; data set "
        f"`{after['size']}`, {after['seconds']} s per page and number of users.\n"
    )
    print(pages_table(after, before))
    print()
    print(figures_table(after, before))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
