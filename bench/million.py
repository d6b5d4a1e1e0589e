"""1,000,000 cached articles: first paint against a minimal Textual app, resident memory, key
p99, search p95 and sidebar counts (PERFORMANCE.md's "1,000,000 cached articles" row).

    .venv/bin/python bench/million.py build     # once: bench/out/million/ (several minutes)
    .venv/bin/python bench/million.py measure   # prints JSON (run.py --only million calls it)

The cache: 100,000 articles built through Store.ingest like bench/run.py's (same generator, same
feeds), then copied nine times in SQL with new keys, ids and dates (each copy older than the
last), article_feeds through the schema's own trigger, the search indexes copied row by row
(tokenized again): 1,000,000 articles in ~10 minutes where ingest alone took an hour on the
shared machine. A copy's text repeats its original, so a search matches ten times as many
articles as at 100,000, as it would with ten times the news. Kept under bench/out/ (gitignored).
Its feeds point at a loopback port nothing listens on, and the config turns the refresh on start
off: the figures are the cache's alone.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

SIZE = 1_000_000
DIR = BENCH / "out" / "million"
DEAD_BASE = "http://127.0.0.1:9"  # the discard port: refused at once, never served


def _specs() -> list[corpus.FeedSpec]:
    return corpus.feed_specs(200, 1)


def config_text() -> str:
    text = corpus.config_toml(_specs(), [DEAD_BASE], DEAD_BASE)
    return text.replace("[general]\n", "[general]\nrefresh_on_start = false\n", 1)


def paths() -> tuple[Path, Path]:
    from tui_news import paths as tp

    return DIR / "config.toml", tp.database(DIR)


def build() -> float:
    from tui_news.models import FeedConfig

    config, db = paths()
    DIR.mkdir(parents=True, exist_ok=True)
    config.write_text(config_text(), encoding="utf-8")
    if db.exists():
        return 0.0
    partial = db.with_name(db.name + ".building")
    for p in partial.parent.glob(partial.name + "*"):
        p.unlink()
    feeds = [FeedConfig(DEAD_BASE + s.path, s.category) for s in _specs()]
    t = time.perf_counter()
    corpus.build_cache(partial, SEED, feeds)
    _copies(partial, SIZE // SEED - 1)
    partial.rename(db)
    return time.perf_counter() - t


SEED = 100_000
STEP = 10_000_000  # id offset between copies (the seed's ids stay far below)


def _copies(db: Path, n: int) -> None:
    import sqlite3

    from tui_news.store_schema import recount

    conn = sqlite3.connect(db, isolation_level=None)
    try:
        span = conn.execute("SELECT max(sort_time) - min(sort_time) + 60 "
                            "FROM articles").fetchone()[0]
        for c in range(1, n + 1):
            off, back = c * STEP, c * span
            conn.execute("BEGIN")
            conn.execute(
                "INSERT INTO articles (id, key, title, link, summary, author, published, "
                "first_seen, sort_time, read, starred) SELECT id + ?, key || '#' || ?, title, "
                "link, summary, author, published - ?, first_seen - ?, sort_time - ?, read, "
                "starred FROM articles WHERE id < ?", (off, c, back, back, back, STEP))
            conn.execute("INSERT INTO article_feeds (article_id, feed_id) SELECT article_id + ?, "
                         "feed_id FROM article_feeds WHERE article_id < ?", (off, STEP))
            conn.execute("INSERT INTO search (rowid, title, summary, body) SELECT rowid + ?, "
                         "title, summary, body FROM search WHERE rowid < ?", (off, STEP))
            conn.execute("INSERT INTO search_exact (rowid, words) SELECT rowid + ?, words "
                         "FROM search_exact WHERE rowid < ?", (off, STEP))
            conn.execute("COMMIT")
            print(f"copy {c}/{n}", file=sys.stderr, flush=True)
        # The copies went in by SQL, not Store.ingest: the unread tallies are counted again.
        conn.execute("BEGIN")
        recount(conn)
        conn.execute("COMMIT")
        conn.execute("PRAGMA optimize")
    finally:
        conn.close()


def measure(workdir: Path, env: dict[str, str], *, runs: int = 3,
            presses: int = 200) -> dict[str, object]:
    """Every 1,000,000 figure on the cache in bench/out/million (built first when missing)."""
    import startup
    import store_figures
    import ui_latency

    built = build()
    config, db = paths()
    workdir.mkdir(parents=True, exist_ok=True)
    extra = ["--config", str(config), "--data-dir", str(DIR)]
    minimal, reader = [], []
    for _ in range(runs):  # interleaved, so drift hits both alike
        minimal.append(startup.measure("minimal", 1, workdir, env=env))
        reader.append(startup.measure("reader", 1, workdir, extra, env=env))
    keys = ui_latency.measure(config, DIR, presses, workdir, env=env)
    figures = store_figures.measure(db)
    return {
        "built_s": built, "mb": db.stat().st_size / 1e6, "total": figures["total"],
        "paint_s": [r["first_paint_s"] for r in reader],
        "minimal_s": [r["first_paint_s"] for r in minimal],
        "rows_paint_s": [r["rows_paint_s"] for r in reader],
        "rows": reader[-1]["rows"], "rss_mib": reader[-1]["rss_mib"],
        "rss_paint_mib": reader[-1]["rss_paint_mib"], "hwm_mib": reader[-1]["hwm_mib"],
        "minimal_rss_mib": minimal[-1]["rss_mib"],
        "keys": {k: keys.get(k, float("nan"))
                 for k in ("n", "p50", "p99", "max", "first", "cpu_p50", "cpu_p99")},
        "store": figures,
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["measure"]:
        import os
        import tempfile

        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update(TERM="xterm-256color", no_proxy="*")
        with tempfile.TemporaryDirectory(prefix="tui-news-million-") as tmp:
            print(json.dumps(measure(Path(tmp), env), indent=1, default=str))
    if sys.argv[1:] == ["build"]:
        t = build()
        print(json.dumps({"built_s": round(t, 1), "db": str(paths()[1]),
                          "mb": round(paths()[1].stat().st_size / 1e6)}))
