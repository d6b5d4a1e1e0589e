"""Parse figures: parse_feed over the bench corpus (200 feeds x 50 items) in one process.

    .venv/bin/python bench/parse_figures.py                       # this tree's tui_news
    .venv/bin/python bench/parse_figures.py --src /tmp/old/src    # another version (A/B)
    .venv/bin/python bench/parse_figures.py --ab /tmp/old/src     # both, alternately

Prints the median of `--runs` timed passes (after one untimed warm-up pass) for the whole corpus
and for the fast RSS path alone (`read_plain_rss`), in milliseconds, and the CPU time of the
whole-corpus pass (`parse_feed_cpu_ms`: steadier than wall time on a loaded machine).
`--content-type` is what the refresh hands parse_feed with the body (the bench server's header;
before #14 the refresh passed none). With `--ab` the two versions run alternately in fresh
processes, so the machine's noise falls on both alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
HEADER = "application/rss+xml; charset=utf-8"


def _bodies(feeds: int, items: int) -> list[tuple[bytes, str]]:
    sys.path.insert(0, str(BENCH))
    import corpus

    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    base = "http://127.0.0.1:8080"
    return [(corpus.feed_xml(spec, items, base, now), base + spec.path)
            for spec in corpus.feed_specs(feeds, len(corpus.OUTLETS))]


def measure(runs: int, content_type: str | None, feeds: int, items: int) -> dict[str, float]:
    from tui_news.feeds import parse_feed
    from tui_news.rss_fast import read_plain_rss

    bodies = _bodies(feeds, items)
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    whole: list[float] = []
    cpu: list[float] = []
    fast: list[float] = []
    entries = 0
    for run in range(runs + 1):
        started, cpu_started = time.perf_counter(), time.process_time()
        entries = sum(len(parse_feed(body, url, now=now, content_type=content_type).entries)
                      for body, url in bodies)
        middle, cpu_ended = time.perf_counter(), time.process_time()
        for body, _ in bodies:
            read_plain_rss(body)
        ended = time.perf_counter()
        if run:  # the first pass warms imports and caches
            whole.append(middle - started)
            cpu.append(cpu_ended - cpu_started)
            fast.append(ended - middle)
    return {"parse_feed_ms": statistics.median(whole) * 1000,
            "parse_feed_cpu_ms": statistics.median(cpu) * 1000,
            "read_plain_rss_ms": statistics.median(fast) * 1000, "entries": entries}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, help="a src/ folder holding another tui_news")
    parser.add_argument("--ab", type=Path, metavar="OLD_SRC", help="A/B against this src/")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds (each one process)")
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--content-type", default=HEADER, help="'' for none")
    args = parser.parse_args(argv)
    if args.ab:
        return _ab(args)
    if args.src:
        sys.path.insert(0, str(args.src.resolve()))
    figures = measure(args.runs, args.content_type or None, args.feeds, args.items)
    print(json.dumps(figures))
    return 0


def _ab(args: argparse.Namespace) -> int:
    here = BENCH.parent / "src"
    sides = {"before": (args.ab, ""), "after": (here, args.content_type)}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    for _ in range(args.rounds):
        for name, (src, content_type) in sides.items():
            out = subprocess.run(
                [sys.executable, __file__, "--src", str(src), "--runs", str(args.runs),
                 "--feeds", str(args.feeds), "--items", str(args.items),
                 "--content-type", content_type],
                check=True, capture_output=True, text=True).stdout
            results[name].append(json.loads(out))
    for name, rows in results.items():
        summary = {key: round(statistics.median(row[key] for row in rows), 1)
                   for key in ("parse_feed_ms", "parse_feed_cpu_ms", "read_plain_rss_ms")}
        print(name, summary, "runs:", [round(r["parse_feed_ms"]) for r in rows],
              "entries:", rows[0]["entries"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
