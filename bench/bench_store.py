"""Time the store on 100,000 articles: page(), counts(), count(), search top 50. Prints only.

Run: .venv/bin/python bench/bench_store.py [n_articles]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui_news.models import ArticleQuery, FeedConfig, ParsedEntry
from tui_news.store import Store

# Common words (each picked often) over a long tail of made-up syllables, so that a query like
# "ha noi" matches a share of articles close to real news rather than half of them.
COMMON = ["Hà Nội", "Đà Nẵng", "thành phố", "Hồ Chí Minh", "kinh tế", "xã hội", "sức khỏe",
          "khoẻ", "hòa bình", "hoà giải", "chính phủ", "người dân", "giá vàng", "ngân hàng",
          "học sinh", "bóng đá", "Việt Nam", "giao thông", "tai nạn", "bão lũ"]
_INITIALS = ["b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t",
             "th", "tr", "v", "x"]
_RIMES = ["a", "à", "á", "ả", "ã", "ạ", "ăn", "ân", "ê", "ết", "i", "ình", "o", "ồ", "ơi", "u",
          "ư", "ươn", "uy", "yên"]
TAIL = [i + r for i in _INITIALS for r in _RIMES]
CATEGORIES = ("Thời sự", "Kinh doanh", "Thể thao", "Giáo dục", "Sức khỏe", "Pháp luật",
              "Thế giới", "Giải trí")


def words(rng: random.Random, k: int) -> list[str]:
    """k words, about one in twelve from COMMON."""
    return [rng.choice(COMMON) if rng.random() < 0.08 else rng.choice(TAIL) for _ in range(k)]


def build(path: Path, n: int) -> Store:
    """Fill a cache with `n` articles over 40 feeds; a fifth also arrive from a second feed."""
    rng = random.Random(1)
    store = Store.open(path)
    feeds = [FeedConfig(f"https://example.vn/{i}.rss", CATEGORIES[i % len(CATEGORIES)], f"F{i}")
             for i in range(40)]
    store.sync_feeds(feeds)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    batch = 50
    for base in range(0, n, batch):
        feed = feeds[(base // batch) % len(feeds)].url
        entries = []
        for i in range(base, min(n, base + batch)):
            title = " ".join(words(rng, 10))
            summary = " ".join(words(rng, 40))
            entries.append(ParsedEntry(f"k{i}", title, f"https://example.vn/a/{i}", summary,
                                       start + timedelta(minutes=i)))
        store.ingest(feed, entries)
        if base % 250 == 0:
            store.ingest(feeds[(base // batch + 7) % len(feeds)].url, entries[:10])
    ids = store.ids(ArticleQuery())
    store.set_read(ids[: len(ids) // 2])
    store.set_starred(ids[::97])
    store.index_pending()  # as the reader's refresh process leaves it
    return store


def timed(label: str, fn: Callable[[], object], runs: int = 30) -> None:
    """Print median and p95 of `runs` calls."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{label:<40} median {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    """Build the cache in a temp dir and print the timings."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        store = build(Path(tmp) / "cache.sqlite3", n)
        print(f"built {n} articles in {time.perf_counter() - t:.1f} s; "
              f"file {(Path(tmp) / 'cache.sqlite3').stat().st_size / 1e6:.0f} MB")
        store.close()
        t = time.perf_counter()
        store = Store.open(Path(tmp) / "cache.sqlite3")
        print(f"open: {(time.perf_counter() - t) * 1000:.1f} ms")
        cats = list(CATEGORIES)
        timed("page(all, 0, 200)", lambda: store.page(ArticleQuery(), 0, 200))
        timed("page(all, 50000, 200)", lambda: store.page(ArticleQuery(), 50_000, 200))
        timed("page(category unread, 0, 200)",
              lambda: store.page(ArticleQuery("Thể thao", unread_only=True), 0, 200))
        timed("count(category)", lambda: store.count(ArticleQuery("Thể thao")))
        timed("ids(all)", lambda: store.ids(ArticleQuery()))
        timed("counts(8 categories)", lambda: store.counts(cats))
        for q in ("ha noi", "Hà Nội", "hòa bình", '"giá vàng" ngân', "khoẻ", "zzz"):
            timed(f"search top 50: {q}", lambda q=q: store.page(ArticleQuery(search=q), 0, 50))
        timed("count(search ha noi)", lambda: store.count(ArticleQuery(search="ha noi")))
        t = time.perf_counter()
        ok = store.integrity_ok()
        print(f"quick_check: {ok} in {(time.perf_counter() - t) * 1000:.0f} ms")
        store.close()


if __name__ == "__main__":
    main()
