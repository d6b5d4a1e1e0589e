"""The store's side of a cold refresh, alone: the 200 corpus feeds (50 items each) parsed once,
then stored into a new cache 5 feeds a `batch()` as the refresh's writer does (foreign keys
unchecked, when the version does that); then the same
feeds again (every article known), a mark-all-read of everything and 2,000 marked unread.
CPU and wall time of this process; prints only.

    .venv/bin/python bench/store_ingest.py [--runs 3]

To compare two versions, run it alternately with PYTHONPATH pointing at the other's `src`.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402


def parsed_feeds() -> list[tuple[str, str, list]]:
    """(url, category, entries) of the 200 corpus feeds, parsed in this process."""
    from tui_news.feeds import parse_feed

    now = datetime(2026, 12, 7, tzinfo=UTC)
    out = []
    for spec in corpus.feed_specs(200, 17):
        url = "http://127.0.0.1:8000" + spec.path
        body = corpus.feed_xml(spec, 50, "http://127.0.0.1:8000", now)
        out.append((url, spec.category, list(parse_feed(body, url).entries)))
    return out


def one_run(feeds: list[tuple[str, str, list]]) -> dict[str, float]:
    from tui_news.models import ArticleQuery, FeedConfig
    from tui_news.store import Store

    def timed(fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        cpu, wall = time.process_time(), time.perf_counter()
        fn()
        return time.perf_counter() - wall, time.process_time() - cpu

    def store_all() -> None:
        # As the writer: foreign keys unchecked (when this version does so).
        unchecked = getattr(store, "references_unchecked", contextlib.nullcontext)
        with unchecked():
            for i in range(0, len(feeds), 5):
                with store.batch():
                    for url, _, entries in feeds[i:i + 5]:
                        store.ingest(url, entries)

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "cache.sqlite3")
        try:
            store.sync_feeds([FeedConfig(url, category) for url, category, _ in feeds])
            cold = timed(store_all)
            again = timed(store_all)
            ids = store.ids(ArticleQuery())
            mark_all = timed(lambda: store.mark_all_read(ArticleQuery()))
            unread = timed(lambda: store.set_read(ids[:2000], read=False))
        finally:
            store.close()
    return {"articles": len(ids), "cold_s": cold[0], "cold_cpu_s": cold[1],
            "again_s": again[0], "again_cpu_s": again[1], "mark_all_s": mark_all[0],
            "mark_all_cpu_s": mark_all[1], "unread_2000_s": unread[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    feeds = parsed_feeds()
    runs = [one_run(feeds) for _ in range(args.runs)]
    print(f"{runs[0]['articles']:.0f} articles from {len(feeds)} feeds, {args.runs} runs, medians:")
    for key in ("cold_s", "cold_cpu_s", "again_s", "again_cpu_s", "mark_all_s",
                "mark_all_cpu_s", "unread_2000_s"):
        values = [r[key] for r in runs]
        print(f"  {key:<15} {statistics.median(values) * 1000:7.0f} ms   "
              f"({', '.join(f'{v * 1000:.0f}' for v in values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
