"""tui-news benchmark: one command, one machine, one run; prints one table, writes RESULTS.md.

    .venv/bin/python bench/run.py            # full: 200 feeds x 50 items, 100,000 cached, N=3
    .venv/bin/python bench/run.py --quick    # smoke sizes, well under a minute
    .venv/bin/python bench/run.py --only startup,keys   # some figures only (RESULTS.md untouched)

Everything is served from 127.0.0.x loopback addresses by bench/server.py; nothing leaves the
machine. Targets are PERFORMANCE.md's. The refresh runs on three shapes of subscription list
(bench/refresh_shapes.py: many hosts, one host, a slow network), each side by side with newsboat
and the fetch floor; the full run also measures a cache of 1,000,000 articles (bench/million.py,
built once under bench/out/). Run it under `flock /work/bench.lock` on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import corpus
import million
import newsboat
import refresh_shapes
import report
import server
import startup
import store_figures
import ui_latency
import ui_reference
from report import Row

BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sizes:
    feeds: int
    items: int
    cached: int  # articles in the start-up / search / memory cache
    listed: int  # articles in the key-press cache
    presses: int
    runs: int
    # Start-ups per app, interleaved: one costs ~1 s, and the minimal app's own first frame
    # moves between 0.30 and 0.52 s on this machine (a median of 3 moved the ratio by 0.4).
    startups: int


FULL = Sizes(feeds=200, items=50, cached=100_000, listed=10_000, presses=200, runs=3,
             startups=7)
QUICK = Sizes(feeds=10, items=10, cached=2_000, listed=1_000, presses=20, runs=1, startups=1)
REFRESH_RUNS = 5  # refresh runs per shape in a full run (each a few seconds)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


class Bench:
    def __init__(self, args: argparse.Namespace, sizes: Sizes, tmp: Path) -> None:
        self.args, self.sizes, self.tmp = args, sizes, tmp
        self.rows: dict[str, Row] = {}
        self.notes: list[str] = []
        self.failures: list[str] = []
        self.info: dict[str, str] = {}
        self.env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        self.env.update(TERM="xterm-256color", no_proxy="*", HOME=str(tmp / "home"),
                        XDG_CONFIG_HOME=str(tmp / "home/.config"),
                        XDG_DATA_HOME=str(tmp / "home/.data"),
                        XDG_CACHE_HOME=str(tmp / "home/.cache"))
        (tmp / "home").mkdir()

    def step(self, name: str, fn: Callable[[], None]) -> None:
        log(name)
        t = time.perf_counter()
        try:
            fn()
        except Exception as exc:  # one failed step leaves its rows n/a; the run goes on
            self.failures.append(f"{name}: {exc}")
            traceback.print_exc(file=sys.stderr)
        log(f"{name}: {time.perf_counter() - t:.1f} s")

    # --- corpus and server -------------------------------------------------------------------
    def serve(self) -> None:
        s = self.sizes
        hosts = server._listening_hosts(1 if self.args.single_host else self.args.hosts)
        self.specs = corpus.feed_specs(s.feeds, len(hosts))
        now = datetime.now(UTC)
        marker = [f"http://{h}:{server.PORT_MARKER}" for h in hosts]
        total = corpus.write_corpus(self.tmp / "corpus", self.specs, s.items, marker, now)
        self.server = server.ServerProcess(self.tmp / "corpus", hosts)
        self.bases = self.server.bases
        self.urls = [self.bases[sp.host_index] + sp.path for sp in self.specs]
        self.config_text = corpus.config_toml(self.specs, self.bases, self.bases[0])
        self.notes.append(
            f"Corpus: {s.feeds} feeds x {s.items} items, {total / s.feeds / 1024:.0f} KiB per "
            f"feed on average ({total / 1e6:.1f} MB), {len(hosts)} loopback address"
            f"{'es' if len(hosts) > 1 else ''} (127.0.0.1-{len(hosts)}, one per outlet), "
            "ETag + Last-Modified, 304 on a match; /v1/forecast answers 3 cities.")

    def _expect(self, what: str, status: str, count: int) -> None:
        stats = self.server.stats()
        got = stats.get(status, 0)
        if got < count:
            raise RuntimeError(f"{what}: expected {count} answers {status}, server saw {stats}")

    # --- refresh ------------------------------------------------------------------------------
    def refresh(self) -> None:
        s = self.sizes
        binary = newsboat.ensure_newsboat(install=not self.args.quick)
        if binary is None:
            self.info["newsboat"] = "unavailable"
            self.notes.append("newsboat is not installed (and could not be installed): its "
                              "figures are n/a.")
        else:
            self.info["newsboat"] = newsboat.version(binary)
        runs = self.args.runs or (REFRESH_RUNS if not self.args.quick else 1)
        self.shapes: dict[str, refresh_shapes.ShapeResult] = {}
        for shape in refresh_shapes.SHAPES:
            self.shapes[shape.key] = refresh_shapes.run_shape(
                shape, self.tmp, feeds=s.feeds, items=s.items, runs=runs, nb_binary=binary,
                env=self.env, log=log)
            self.notes.append(refresh_shapes.describe(self.shapes[shape.key]))
        self.notes.append(
            f"Refresh: {runs} runs per shape, interleaved (newsboat `reload-threads 8`, then "
            "`tui-news refresh` through its console script with a fresh data dir, then the "
            "fetch floor: bench/fetch_floor.py, a fresh Python process GETting the same URLs "
            "with httpx at the refresh's limits, 16 in all and 8 to a host, bodies dropped). "
            "tui-news is timed to its summary line; after it the process indexes the new "
            "articles for search and exits (both times are listed). newsboat 2.21 sends no "
            "validators on its second fetch of a new feed, so one untimed reload sits between "
            "its cold and its 304 runs; the server counted a 200 (a 304) for every feed in "
            "each timed run.")

    def refresh_rows(self) -> None:
        shapes = getattr(self, "shapes", {})

        def med(key: str, name: str) -> float | None:
            return shapes[key].med(name) if key in shapes else None

        n = self.sizes.feeds
        hosts = shapes["many"].shape.hosts if "many" in shapes else len(corpus.OUTLETS)
        self.rows["cold"] = Row(f"cold refresh, many hosts ({n} feeds, {hosts} hosts)", "s",
                                med("many", "tui_summary"), med("many", "newsboat_cold"),
                                "newsboat", "≤ 0.5× newsboat", 0.5, True)
        self.rows["cold_one"] = Row(f"cold refresh, one host ({n} feeds)", "s",
                                    med("one", "tui_summary"), med("one", "newsboat_cold"),
                                    "newsboat", "≤ 0.5× newsboat", 0.5, True)
        self.rows["slow"] = Row("cold refresh, slow network (100 ms an answer), against the "
                                "fetch floor", "s", med("slow", "tui_summary"),
                                med("slow", "floor"), "fetch floor", "≤ 1.5× fetch floor",
                                1.5, True)
        self.rows["304"] = Row(f"refresh, all {n} feeds 304 (many hosts)", "s",
                               med("many", "tui_304"), med("many", "newsboat_304"), "newsboat",
                               "≤ 0.4× newsboat", 0.4, True)
        many = shapes.get("many")
        self.rows["cron_search"] = Row(
            "first search after a cron refresh", "ms",
            many.first_search_ms if many else None, None, "", "≤ 100 ms", 100.0,
            reference_text=(f"{_new(many.summary)} new articles, in-process" if many else "—"))

    # --- caches ------------------------------------------------------------------------------
    def _feeds(self) -> list:
        from tui_news.models import FeedConfig

        return [FeedConfig(url, sp.category) for url, sp in zip(self.urls, self.specs, strict=True)]

    def big_cache(self) -> None:
        from tui_news import paths

        self.big_dir = self.args.big_cache or self.tmp / "big"
        self.big_db = paths.database(self.big_dir)
        self.big_dir.mkdir(parents=True, exist_ok=True)
        (self.big_dir / "config.toml").write_text(self.config_text, encoding="utf-8")
        if self.args.big_cache and self.big_db.exists():
            self.notes.append(f"Cache of {self.sizes.cached:,} articles reused from "
                              f"{self.big_dir} ({self.big_db.stat().st_size / 1e6:.0f} MB).")
            return
        took = corpus.build_cache(self.big_db, self.sizes.cached, self._feeds())
        self.notes.append(f"Cache of {self.sizes.cached:,} articles over the 12 default "
                          f"categories built through Store.ingest in {took:.0f} s "
                          f"({self.big_db.stat().st_size / 1e6:.0f} MB); half of them read.")

    def startup(self) -> None:
        work = self.tmp / "startup"
        work.mkdir()
        extra = ["--config", str(self.big_dir / "config.toml"), "--data-dir", str(self.big_dir)]
        minimal, reader = [], []
        for _ in range(self.sizes.startups):  # interleaved, so drift hits both alike
            minimal.append(startup.measure("minimal", 1, work, env=self.env))
            reader.append(startup.measure("reader", 1, work, extra, env=self.env))
        m = median([r["first_paint_s"] for r in minimal])
        t = median([r["first_paint_s"] for r in reader])
        self.rows["startup"] = Row(f"start-up to first paint, {self.sizes.cached:,} cached", "s",
                                   t, m, "minimal Textual app", "≤ 2× minimal app", 2.0, True)
        last = reader[-1]
        self.rows["memory"] = Row(f"resident memory, {self.sizes.cached:,} cached", "MiB",
                                  last["rss_mib"], minimal[-1]["rss_mib"], "minimal Textual app",
                                  "≤ 120 MiB", 120.0)
        rows_paint = [r["rows_paint_s"] for r in reader if r["rows_paint_s"] is not None]
        self.notes.append(
            f"Start-up (headless, {startup.SIZE[0]}x{startup.SIZE[1]}, process spawn to the first "
            f"composited frame): reader {_list([r['first_paint_s'] for r in reader])} s, minimal "
            f"app {_list([r['first_paint_s'] for r in minimal])} s; the reader's list showed "
            f"{last['rows']:,} rows at "
            + (f"{median(rows_paint):.2f} s." if rows_paint else "no frame (never filled).")
            + f" Memory: VmRSS {last['rss_mib']:.0f} MiB {SETTLE_NOTE} (at the paint itself "
            f"{last['rss_paint_mib']:.0f} MiB, peak {last['hwm_mib']:.0f} MiB).")

    def store(self) -> None:
        from tui_news.store import SEARCH_CANDIDATES

        r = store_figures.measure(self.big_db)
        self.rows["search"] = Row(f"search top 50 p95, {self.sizes.cached:,} articles", "ms",
                                  r["search_p95_ms"], None, "", "≤ 100 ms", 100.0,
                                  reference_text="50 ms (doc: FTS5 `ha noi`)")
        self.rows["counts"] = Row(f"sidebar unread counts, {self.sizes.cached:,} articles", "ms",
                                  r["counts_median_ms"], None, "", "≤ 10 ms", 10.0,
                                  reference_text="6 ms (doc: covering index)")
        self.notes.append(
            f"Search: {r['search_queries']} queries (25 phrases with diacritics and the same "
            "without), as the reader searches: Store.ids(ArticleQuery(search=q)), then the "
            f"first 50 rows; median "
            f"{r['search_median_ms']:.1f} ms, slowest {r['search_slowest']}, "
            f"{r['search_zero_hits']} without hits; matches per query: median "
            f"{r['search_matches_median']:,.0f}, most {r['search_matches_max']:,} (the newest "
            f"{SEARCH_CANDIDATES:,} are ranked and listed). Text is Zipf-distributed over ~7,000 "
            "syllables (function words first, then the news words queried). Counts: "
            "Store.counts(12 categories), median of 30.")

    def million(self) -> None:
        r = million.measure(self.tmp / "million", self.env, runs=self.sizes.startups,
                            presses=self.sizes.presses)
        m, t = median(r["minimal_s"]), median(r["paint_s"])
        size = f"{r['total']:,}"
        self.rows["m_paint"] = Row(f"start-up to first paint at {size} articles", "s", t, m,
                                   "minimal Textual app", "≤ 2× minimal app", 2.0, True)
        self.rows["m_keys"] = Row(f"key press p99 at {size} articles", "ms", r["keys"]["p99"],
                                  None, "", "≤ 33 ms", 33.0, reference_text="—")
        st = r["store"]
        self.rows["m_search"] = Row(f"search top 50 p95 at {size} articles", "ms",
                                    st["search_p95_ms"], None, "", "≤ 150 ms", 150.0,
                                    reference_text="—")
        self.rows["m_counts"] = Row(f"sidebar unread counts at {size} articles", "ms",
                                    st["counts_median_ms"], None, "", "— (measured)", None,
                                    reference_text="—")
        self.rows["m_memory"] = Row(f"resident memory at {size} articles", "MiB", r["rss_mib"],
                                    r["minimal_rss_mib"], "minimal Textual app", "≤ 150 MiB",
                                    150.0)
        k = r["keys"]
        self.notes.append(
            f"{size} articles (bench/million.py: {million.SEED:,} through Store.ingest, copied "
            f"nine times in SQL with new ids, keys and older dates; {r['mb']:.0f} MB"
            + (f", built in {r['built_s']:.0f} s" if r["built_s"] else ", reused from "
               "bench/out/million") + "): first paint reader "
            f"{_list(r['paint_s'])} s against the minimal app {_list(r['minimal_s'])} s; the "
            f"list showed {r['rows']:,} rows; memory {r['rss_mib']:.0f} MiB {SETTLE_NOTE} (at "
            f"the paint {r['rss_paint_mib']:.0f}, peak {r['hwm_mib']:.0f}); key presses "
            f"{k['n']}, first {k['first']:.1f} ms, p50 {k['p50']:.1f}, p99 {k['p99']:.1f}, max "
            f"{k['max']:.1f} ms (CPU p50 {k.get('cpu_p50', float('nan')):.1f}, p99 "
            f"{k.get('cpu_p99', float('nan')):.1f}); search median "
            f"{st['search_median_ms']:.1f} ms, slowest "
            f"{st['search_slowest']}, matches per query median "
            f"{st['search_matches_median']:,.0f}, most {st['search_matches_max']:,}; counts "
            f"median {st['counts_median_ms']:.1f} ms ({st['unread']:,} unread).")

    def keys(self) -> None:
        from tui_news import paths

        s = self.sizes
        work = self.tmp / "keys"
        base = self.tmp / "list-base"
        base.mkdir()
        took = corpus.build_cache(paths.database(base), s.listed, self._feeds())
        config = work / "config.toml"
        work.mkdir()
        config.write_text(self.config_text, encoding="utf-8")

        def copy(name: str) -> Path:
            target = self.tmp / name
            shutil.copytree(base, target)
            return target

        idle = ui_latency.measure(config, copy("list-idle"), s.presses, work, env=self.env)
        ref = ui_reference.measure(s.presses, work, env=self.env)
        # A refresh lasts a few seconds (~200 presses): its p99 is the second-slowest press and
        # moves a lot from run to run on a shared machine, so the figure is a median of runs.
        runs = []
        for n in range(s.runs):
            self.server.reset()
            runs.append(ui_latency.measure(config, copy(f"list-refresh-{n}"), s.presses * 10,
                                           work, during_refresh=True, env=self.env))
            stats = self.server.stats()
            refreshed = _feed_outcome(paths.database(self.tmp / f"list-refresh-{n}"))
            if not runs[-1]["refresh_seen"]:
                raise RuntimeError("the reader never started its refresh worker")
            if "ok" not in refreshed:
                raise RuntimeError(f"the reader's refresh did not store the feeds: {refreshed}")
        busy = sorted(runs, key=lambda r: r["p99"])[len(runs) // 2]  # the median run
        minimal = "minimal Line-API list, same run"
        self.rows["p50"] = Row(f"key press p50, {s.listed:,}-article list", "ms", idle["p50"],
                               ref["p50"], minimal, "≤ 10 ms", 10.0)
        self.rows["p99"] = Row("key press p99, first press included", "ms", idle["p99"],
                               ref["p99"], minimal, "≤ 33 ms", 33.0)
        self.rows["busy"] = Row(f"key press p99 during a {s.feeds}-feed refresh", "ms",
                                busy["p99"], None, "", "≤ 50 ms", 50.0)
        each = ", ".join(f"{r['p99']:.1f}/{r['max']:.1f}" for r in runs)
        self.notes.append(
            f"Key presses ({s.listed:,} articles, built in {took:.0f} s; headless "
            f"{ui_latency.SIZE[0]}x{ui_latency.SIZE[1]}; key event to composited frame, "
            f"{ui_latency.GAP_S * 1000:.0f} ms between presses): {idle['n']} presses, first "
            f"{idle['first']:.1f} ms, p50 {idle['p50']:.1f}, p99 {idle['p99']:.1f}, max "
            f"{idle['max']:.1f} ms (CPU p50 {idle.get('cpu_p50', float('nan')):.1f}, p99 "
            f"{idle.get('cpu_p99', float('nan')):.1f}); cursor {idle['start_cursor']} → "
            f"{idle['end_cursor']}. "
            f"Pilot's own press+pause gives p50 {idle.get('pilot_p50', float('nan')):.0f} ms, "
            "its idle-polling sleeps included. The reference (bench/ui_reference.py): "
            f"Textual's `ScrollView` + `render_line` alone, {ui_reference.ARTICLES:,} articles "
            f"of two lines in a bordered list, no database, driven the same way: p50 "
            f"{ref['p50']:.1f}, p99 {ref['p99']:.1f} ms (CPU p50 {ref['cpu_p50']:.1f}, p99 "
            f"{ref['cpu_p99']:.1f}); PERFORMANCE.md's 5–6 ms for such a list was measured "
            "elsewhere.")
        self.notes.append(
            f"During the reader's own refresh worker (started after the first paint, app "
            f"online), {len(runs)} runs, p99/max of each {each} ms; the median run: "
            f"{busy['n']} presses in {busy['refresh_s'] or 0:.1f} s of refresh, p50 "
            f"{busy['p50']:.1f}, p99 {busy['p99']:.1f}, max {busy['max']:.1f} ms (CPU p50 "
            f"{busy.get('cpu_p50', float('nan')):.1f}, p99 "
            f"{busy.get('cpu_p99', float('nan')):.1f}; first {busy['first']:.1f} ms); server "
            f"answered {stats}; after it: {refreshed}.")

    # --- output ------------------------------------------------------------------------------
    ORDER = ("startup", "cold", "cold_one", "slow", "304", "cron_search", "p50", "p99", "busy",
             "search", "counts", "memory", "m_paint", "m_keys", "m_search", "m_counts",
             "m_memory")
    NAMES = {"startup": "start-up to first paint", "cold": "cold refresh, many hosts",
             "cold_one": "cold refresh, one host",
             "slow": "cold refresh, slow network, against the fetch floor",
             "304": "refresh, all feeds 304", "cron_search": "first search after a cron refresh",
             "p50": "key press p50",
             "p99": "key press p99, first press included", "busy": "key press p99 during refresh",
             "search": "search top 50 p95", "counts": "sidebar unread counts",
             "memory": "resident memory",
             "m_paint": "start-up to first paint at 1,000,000 articles",
             "m_keys": "key press p99 at 1,000,000 articles",
             "m_search": "search top 50 p95 at 1,000,000 articles",
             "m_counts": "sidebar unread counts at 1,000,000 articles",
             "m_memory": "resident memory at 1,000,000 articles"}
    TARGETS = {"startup": "≤ 2× minimal app", "cold": "≤ 0.5× newsboat",
               "cold_one": "≤ 0.5× newsboat", "slow": "≤ 1.5× fetch floor",
               "304": "≤ 0.4× newsboat", "cron_search": "≤ 100 ms",
               "p50": "≤ 10 ms", "p99": "≤ 33 ms", "busy": "≤ 50 ms",
               "search": "≤ 100 ms", "counts": "≤ 10 ms", "memory": "≤ 120 MiB",
               "m_paint": "≤ 2× minimal app", "m_keys": "≤ 33 ms", "m_search": "≤ 150 ms",
               "m_counts": "— (measured)", "m_memory": "≤ 150 MiB"}

    def table_rows(self) -> list[Row]:
        rows = []
        for key in self.ORDER:
            row = self.rows.get(key) or Row(self.NAMES[key], "", None, target=self.TARGETS[key],
                                            limit=0.0)
            rows.append(row)
        return rows


SETTLE_NOTE = f"{startup.SETTLE_S:g} s after the first paint"


def _feed_outcome(db: Path) -> str:
    """Articles and feed outcomes in a cache, e.g. `19,915 articles, 200 feeds ok`."""
    from collections import Counter

    from tui_news.models import ArticleQuery
    from tui_news.store import Store

    with Store.open(db) as store:
        total = store.count(ArticleQuery())
        outcomes = Counter(f.last_status or "never" for f in store.feeds())
    return f"{total:,} articles, " + ", ".join(f"{n} feeds {s}" for s, n in outcomes.items())


def _new(summary: str) -> str:
    """The new-article count of a refresh summary line (`… 9915 new articles, …`)."""
    words = summary.split()
    return f"{int(words[words.index('new') - 1]):,}" if "new" in words else "?"


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def versions(info: dict[str, str]) -> None:
    import textual

    from tui_news import __version__

    info["textual"] = textual.__version__
    info["tui-news"] = __version__
    try:
        import feedparser
        import httpx

        info["feedparser"] = feedparser.__version__
        info["httpx"] = httpx.__version__
    except ImportError:
        pass
    import sqlite3

    info["sqlite"] = sqlite3.sqlite_version


def byte_compile() -> str:
    """Byte-compile tui_news as `pip install` of a wheel does, so no timed run compiles source.

    An editable install run with PYTHONDONTWRITEBYTECODE set (as in some CI images) otherwise
    compiles every module of the project on every start (~30 ms), which a user never pays.
    """
    import compileall

    import tui_news

    package = Path(tui_news.__file__).resolve().parent
    compileall.compile_dir(package, quiet=1)
    return "tui_news byte-compiled before timing, as a wheel install does."


STEPS = ("refresh", "startup", "store", "keys", "million")


def _steps(value: str) -> list[str]:
    steps = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in steps if v not in STEPS]
    if unknown or not steps:
        raise argparse.ArgumentTypeError(f"unknown step {unknown[0] if unknown else value!r}; "
                                         "steps: " + ",".join(STEPS))
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke-test sizes (CI)")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument("--runs", type=int, help="runs per median (default 3, quick 1)")
    parser.add_argument("--hosts", type=int, default=len(corpus.OUTLETS),
                        help="loopback addresses serving the feeds (default: one per outlet)")
    parser.add_argument("--single-host", action="store_true",
                        help="serve every feed from 127.0.0.1 alone")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (printed)")
    parser.add_argument("--only", type=_steps, metavar="STEPS",
                        help="comma-separated subset of " + ",".join(STEPS)
                        + " (implies --no-write)")
    parser.add_argument("--big-cache", type=Path, metavar="DIR",
                        help="build the 100,000-article cache in DIR once and reuse it after")
    args = parser.parse_args(argv)
    only = set(args.only or STEPS)
    if args.only:
        args.no_write = True
    sizes = QUICK if args.quick else FULL
    if args.runs:
        sizes = Sizes(**{**sizes.__dict__, "runs": args.runs})
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="tui-news-bench-"))
    bench = Bench(args, sizes, tmp)
    bench.notes.append(byte_compile())
    report_info = report.machine()
    try:
        bench.step("corpus and server", bench.serve)
        if hasattr(bench, "server") and "refresh" in only:
            bench.step("refresh shapes", bench.refresh)
        bench.refresh_rows()
        if hasattr(bench, "urls"):
            if only & {"startup", "store"}:
                bench.step(f"cache of {sizes.cached:,} articles", bench.big_cache)
            if hasattr(bench, "big_db"):
                if "startup" in only:
                    bench.step("start-up and memory", bench.startup)
                if "store" in only:
                    bench.step("search and counts", bench.store)
            if hasattr(bench, "server") and "keys" in only:
                bench.step("key presses", bench.keys)
        if "million" in only and not args.quick:  # a full run only: it builds a 4 GB cache
            bench.step("1,000,000 articles", bench.million)
    finally:
        if hasattr(bench, "server"):
            bench.server.stop()
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    versions(report_info)
    report_info.update(bench.info)
    report_info.setdefault("newsboat", "not run")
    load_after = os.getloadavg()
    bench.notes.append(
        "Load average (1/5/15 min) before the run "
        f"{'/'.join(f'{x:.1f}' for x in load_before)}, after "
        f"{'/'.join(f'{x:.1f}' for x in load_after)}: other work on the machine shows here "
        "and moves every figure.")
    rows = bench.table_rows()
    print(f"tui-news benchmark ({'quick' if args.quick else 'full'}): {sizes.feeds} feeds x "
          f"{sizes.items} items, {sizes.cached:,} cached, {sizes.listed:,}-article list, "
          f"{sizes.presses} presses, median of {sizes.runs}")
    print(report.console_table(rows))
    for failure in bench.failures:
        print(f"FAILED {failure}")
    if args.no_write:
        for note in bench.notes:
            print(f"- {note}")
    command = ".venv/bin/python bench/run.py" + (" " + shlex.join(sys.argv[1:])
                                                if sys.argv[1:] else "")
    if not args.no_write:
        notes = [*bench.notes, *(f"FAILED {f}" for f in bench.failures)]
        report.write_results(BENCH / "RESULTS.md", rows=rows, info=report_info,
                             command=command, notes=notes,
                             date=started.strftime("%Y-%m-%d %H:%M UTC"))
        log(f"wrote {BENCH / 'RESULTS.md'}")
    return 1 if bench.failures else 0


if __name__ == "__main__":
    sys.exit(main())
