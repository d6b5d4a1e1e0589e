"""The refresh on three shapes of subscription list, each side by side with newsboat and the
fetch floor in the same run (interleaved, so drift on a shared machine hits all three alike):

- many hosts: 200 feeds spread over 17 loopback addresses, one per outlet;
- one host: the same 200 feeds all on 127.0.0.1 (many sections of one outlet);
- slow network: many hosts, every feed answer held ~100 ms by the server (a real link).

For each: cold refreshes (fresh caches), the fetch floor (bench/fetch_floor.py), and for the
first two all-304 refreshes. After the last cold `tui-news refresh` the first search is timed
in-process on its cache (what the reader's search pays), and as a CLI command.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import cli_refresh
import corpus
import fetch_floor
import newsboat
import server


@dataclass(frozen=True)
class Shape:
    key: str
    name: str
    hosts: int
    delay_ms: int = 0
    not_modified: bool = True  # also time all-304 refreshes


SHAPES = (
    Shape("many", "many hosts", len(corpus.OUTLETS)),
    Shape("one", "one host", 1),
    Shape("slow", "slow network", len(corpus.OUTLETS), delay_ms=100, not_modified=False),
)


@dataclass
class ShapeResult:
    shape: Shape
    newsboat_cold: list[float] = field(default_factory=list)
    tui_summary: list[float] = field(default_factory=list)  # to the summary line
    tui_exit: list[float] = field(default_factory=list)  # to the exit (search indexed)
    floor: list[float] = field(default_factory=list)
    newsboat_304: list[float] = field(default_factory=list)
    tui_304: list[float] = field(default_factory=list)
    first_search_ms: float | None = None
    first_search_cli_s: float | None = None
    summary: str = ""
    connections: dict[str, int] = field(default_factory=dict)  # client → connections, last run
    items: int = 0
    bytes_per_feed: float = 0.0

    def med(self, name: str) -> float | None:
        values = getattr(self, name)
        return statistics.median(values) if values else None


def _expect(srv: server.ServerProcess, what: str, status: str, count: int) -> int:
    """Checks the server's answers; the TCP connections the client opened."""
    stats = srv.stats()
    if stats.get(status, 0) < count:
        raise RuntimeError(f"{what}: expected {count} answers {status}, server saw {stats}")
    return stats.get("connections", 1) - 1  # the /_stats request is one of them


def first_search(db: Path, text: str = "ha noi") -> float:
    """Milliseconds for the first top-50 search on a cache just refreshed (in this process)."""
    from tui_news.models import ArticleQuery
    from tui_news.store import Store

    with Store.open(db) as store:
        store.page(ArticleQuery(), 0, 50)  # the reader has shown its list before a search
        t = time.perf_counter()
        store.page(ArticleQuery(search=text), 0, 50)
        return (time.perf_counter() - t) * 1000


def run_shape(shape: Shape, tmp: Path, *, feeds: int, items: int, runs: int,
              nb_binary: str | None, env: dict[str, str], per_host: int | None = None,
              log: Callable[[str], None] = print) -> ShapeResult:
    from tui_news import paths

    result = ShapeResult(shape)
    hosts = server._listening_hosts(shape.hosts)
    specs = corpus.feed_specs(feeds, len(hosts))
    marker = [f"http://{h}:{server.PORT_MARKER}" for h in hosts]
    work = tmp / f"shape-{shape.key}"
    total = corpus.write_corpus(work / "corpus", specs, items, marker, datetime.now(UTC))
    result.bytes_per_feed = total / feeds
    srv = server.ServerProcess(work / "corpus", hosts, delay_ms=shape.delay_ms)
    try:
        urls = [srv.bases[sp.host_index] + sp.path for sp in specs]
        text = corpus.config_toml(specs, srv.bases, srv.bases[0])
        if per_host is not None:
            text = text.replace("[weather]", f"[network]\nper_host = {per_host}\n\n[weather]", 1)
        cli = cli_refresh.CliRefresh(work / "tui", text)
        nb = newsboat.Newsboat(nb_binary, work / "newsboat", urls) if nb_binary else None
        for n in range(runs):
            if nb is not None:
                nb.fresh()
                srv.reset()
                result.newsboat_cold.append(nb.reload())
                result.connections["newsboat"] = _expect(srv, "newsboat cold", "200", feeds)
            cli.fresh()
            srv.reset()
            to_summary, to_exit = cli.refresh_timed()
            result.connections["tui-news"] = _expect(srv, "tui-news cold", "200", feeds)
            result.tui_summary.append(to_summary)
            result.tui_exit.append(to_exit)
            srv.reset()
            result.floor.append(fetch_floor.measure(urls, work, per_host=per_host or 8, env=env))
            result.connections["fetch floor"] = _expect(srv, "fetch floor", "200", feeds)
            log(f"{shape.name} run {n + 1}: newsboat "
                f"{result.newsboat_cold[-1] if nb else float('nan'):.2f} s, tui-news "
                f"{to_summary:.2f} s (exit {to_exit:.2f} s), floor {result.floor[-1]:.2f} s")
        result.summary = cli.last_summary
        db = paths.database(cli.data)
        result.first_search_ms = first_search(db)
        result.first_search_cli_s = cli.search("ha noi")
        if nb is not None:
            result.items = nb.items()
        if shape.not_modified:
            if nb is not None:
                nb.reload()  # newsboat keeps a feed's validators only from its second fetch on
            for _ in range(runs):
                if nb is not None:
                    srv.reset()
                    result.newsboat_304.append(nb.reload())
                    _expect(srv, "newsboat 304", "304", feeds)
                srv.reset()
                result.tui_304.append(cli.refresh())
                _expect(srv, "tui-news 304", "304", feeds)
    finally:
        srv.stop()
    return result


def describe(r: ShapeResult) -> str:
    s = r.shape

    def lst(values: list[float]) -> str:
        return ", ".join(f"{v:.2f}" for v in values) or "n/a"

    text = (f"Shape '{s.name}' ({s.hosts} loopback address{'es' if s.hosts > 1 else ''}"
            + (f", every feed answer held {s.delay_ms} ms" if s.delay_ms else "")
            + f", {r.bytes_per_feed / 1024:.0f} KiB a feed): cold runs newsboat "
            f"{lst(r.newsboat_cold)} s; tui-news to its summary line {lst(r.tui_summary)} s, "
            f"to its exit (new articles indexed for search) {lst(r.tui_exit)} s; fetch floor "
            f"{lst(r.floor)} s.")
    if r.tui_304:
        text += f" All-304 runs newsboat {lst(r.newsboat_304)} s, tui-news {lst(r.tui_304)} s."
    conns = ", ".join(f"{k} {v}" for k, v in r.connections.items())
    text += (" TCP connections in a cold run (keep-alive: fewer than requests): "
             f"{conns}.")
    text += (f" Last summary: `{r.summary}`; newsboat's cache {r.items} items. First search "
             f"after the last cold refresh: {r.first_search_ms:.1f} ms in-process, "
             f"{r.first_search_cli_s:.2f} s as `tui-news articles --search` (process start "
             "included).")
    return text


def main(argv: list[str] | None = None) -> int:
    """Standalone: `python bench/refresh_shapes.py [--shapes one,many] [--per-host N] …`."""
    import argparse
    import os
    import shutil
    import tempfile

    parser = argparse.ArgumentParser(description="refresh shapes side by side with newsboat")
    parser.add_argument("--shapes", default=",".join(s.key for s in SHAPES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--per-host", type=int, action="append",
                        help="tui-news [network] per_host (repeat for an A/B in one run)")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["no_proxy"] = "*"
    nb_binary = newsboat.ensure_newsboat(install=False)
    tmp = Path(tempfile.mkdtemp(prefix="tui-news-shapes-"))
    try:
        for key in args.shapes.split(","):
            shape = next(s for s in SHAPES if s.key == key)
            for per_host in args.per_host or [None]:
                r = run_shape(shape, tmp / f"p{per_host}", feeds=args.feeds, items=args.items,
                              runs=args.runs, nb_binary=nb_binary, env=env, per_host=per_host)
                nb, tui, floor = r.med("newsboat_cold"), r.med("tui_summary"), r.med("floor")
                line = (f"{shape.name} per_host={per_host or 'default'}: tui {tui:.2f} s "
                        f"(exit {r.med('tui_exit'):.2f}), floor {floor:.2f} s "
                        f"({tui / floor:.2f}x)")
                if nb:
                    line += f", newsboat {nb:.2f} s ({tui / nb:.2f}x)"
                if r.tui_304:
                    line += f"; 304 tui {r.med('tui_304'):.2f} s"
                    if r.newsboat_304:
                        line += f" newsboat {r.med('newsboat_304'):.2f} s"
                print(line, flush=True)
                print("  " + describe(r), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
