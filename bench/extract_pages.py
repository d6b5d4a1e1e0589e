"""Extraction time on the real article pages of ../shared/corpus/articles (PERFORMANCE: no page
over 50 ms, median ≤ 15 ms).

    .venv/bin/python bench/extract_pages.py [--runs N]

Each page is extracted once to warm up, then N times; a page's figure is the median of its runs
(the machine is shared and noisy, so medians, never single runs). Extraction is pure CPU work in
one thread, so the targets are judged on CPU time (time.process_time), which other processes on a
busy machine do not inflate; wall-clock medians are printed beside it. Prints one line per page,
then the median over the pages and the slowest page; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

from tui_news.extract import extract_article

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "articles"
PAGE_LIMIT_MS = 50.0
MEDIAN_LIMIT_MS = 15.0


def addresses() -> dict[str, str]:
    """Each page's own address, from SOURCES.md (site rules are chosen by host)."""
    text = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^- `(\w+\.html)`: (\S+)$", text, re.M))


def page_median(data: bytes, url: str, runs: int) -> tuple[float, float]:
    """(CPU ms, wall ms), each the median over `runs` extractions after one warm-up."""
    extract_article(data, url)
    cpu, wall = [], []
    for _ in range(runs):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        extract_article(data, url)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start_wall) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    medians: dict[str, float] = {}
    print(f"{'page':<22} {'size':>11} {'cpu':>10} {'wall':>10}")
    for name, url in sorted(addresses().items()):
        data = (CORPUS / name).read_bytes()
        medians[name], wall = page_median(data, url, args.runs)
        print(f"{name:<22} {len(data) / 1024:7.0f} KiB {medians[name]:7.1f} ms {wall:7.1f} ms")
    overall = statistics.median(medians.values())
    slowest = max(medians, key=medians.__getitem__)
    print(f"{'median over pages':<34} {overall:7.1f} ms (target ≤ {MEDIAN_LIMIT_MS:.0f})")
    print(f"{'slowest: ' + slowest:<34} {medians[slowest]:7.1f} ms (target ≤ {PAGE_LIMIT_MS:.0f})")
    met = overall <= MEDIAN_LIMIT_MS and medians[slowest] <= PAGE_LIMIT_MS
    print("targets met" if met else "TARGET MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
