"""The benchmark harness runs end to end at smoke sizes (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"

ROWS = (
    "start-up to first paint",
    "cold refresh, many hosts",
    "cold refresh, one host",
    "cold refresh, slow network (100 ms an answer), against the fetch floor",
    "refresh, all",
    "first search after a cron refresh",
    "key press p50",
    "key press p99, first press included",
    "key press p99 during",
    "search top 50 p95",
    "sidebar unread counts",
    "resident memory",
    "start-up to first paint at 1,000,000 articles",  # n/a at smoke sizes: a full run only
    "search top 50 p95 at 1,000,000 articles",
    "resident memory at 1,000,000 articles",
)


def test_bench_quick_prints_every_row() -> None:
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--no-write"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    header = [line for line in lines if line.split()[:1] == ["figure"]]
    assert header and all(word in header[0] for word in
                          ("tui-news", "reference", "ratio", "target", "met"))
    for row in ROWS:
        assert any(line.startswith(row) for line in lines), f"missing row {row!r}:\n{proc.stdout}"
