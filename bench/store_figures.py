"""Search (top 50) and sidebar unread counts on the big cache, in this process."""

from __future__ import annotations

import statistics
import time
import unicodedata
from pathlib import Path

from corpus import CATEGORIES

ACCENTED = (
    "Hà Nội", "Đà Nẵng", "giá vàng", "bão", "học sinh", "bóng đá", "ngân hàng", "lãi suất",
    "chứng khoán", "bất động sản", "công an", "điều tra", "giao thông", "tai nạn", "cao tốc",
    "sân bay", "Thủ tướng", "bệnh viện", "vắc xin", "tuyển sinh", "trí tuệ nhân tạo",
    "hoà bình", "khoẻ", "thuỷ điện", "Cần Thơ",
)


def fold(text: str) -> str:
    """What a user types without diacritics (NFD, marks dropped, đ→d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c)).lower()


def queries() -> list[str]:
    """50 queries: each accented phrase and its folded form."""
    return [q for phrase in ACCENTED for q in (phrase, fold(phrase))]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, -(-95 * len(ordered) // 100) - 1))]


def _matches(store: object, query: str) -> int:
    from tui_news.search import fts_expression, parse_query

    conn = store._conn  # type: ignore[attr-defined]
    return int(conn.execute("SELECT count(*) FROM search WHERE search MATCH ?",
                            (fts_expression(parse_query(query)),)).fetchone()[0])


def measure(db_path: Path, runs: int = 30) -> dict[str, object]:
    from tui_news.models import ArticleQuery
    from tui_news.store import Store

    store = Store.open(db_path)
    try:
        store.page(ArticleQuery(), 0, 50)  # warm the page cache like an open reader
        search_ms, hits = [], []
        for q in queries():
            # What the reader does for a search: every id of the list, then the rows on screen.
            t = time.perf_counter()
            found = store.articles(store.ids(ArticleQuery(search=q))[:50])
            search_ms.append((time.perf_counter() - t) * 1000)
            hits.append(len(found))
        slowest = max(zip(search_ms, queries(), strict=True))
        # Untimed: how many articles match (the list holds the newest SEARCH_CANDIDATES of them).
        matches = [_matches(store, q) for q in queries()]
        counts_ms = []
        for _ in range(runs):
            t = time.perf_counter()
            counts = store.counts(CATEGORIES)
            counts_ms.append((time.perf_counter() - t) * 1000)
    finally:
        store.close()
    return {"search_p95_ms": _p95(search_ms), "search_median_ms": statistics.median(search_ms),
            "search_queries": len(search_ms), "search_zero_hits": sum(h == 0 for h in hits),
            "search_slowest": f"{slowest[1]!r} {slowest[0]:.0f} ms",
            "search_matches_median": statistics.median(matches),
            "search_matches_max": max(matches),
            "counts_median_ms": statistics.median(counts_ms), "total": counts.total,
            "unread": counts.unread}
