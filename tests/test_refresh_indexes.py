"""`tui-news refresh` (from cron or a shell) leaves nothing for the first search to index: it
indexes its new articles after its summary line, and a kill meanwhile loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from conftest import Cli, Site
from safety_helpers import big_feed

from tui_news import paths
from tui_news.models import ArticleQuery
from tui_news.store import SEARCH_CANDIDATES, Store


def _configure(cli: Cli, site: Site, feeds: int, items: int) -> None:
    urls = [site.add(f"/f{i}.rss", big_feed(f"f{i}", items)) for i in range(feeds)]
    cli.write_config([(u, "Thời sự") for u in urls], weather_url=site.url("/v1/forecast"))


def test_refresh_leaves_nothing_waiting_for_search(site: Site, cli: Cli) -> None:
    _configure(cli, site, feeds=3, items=40)
    run = cli("refresh")
    assert run.status == 0, run.err
    assert run.out.splitlines()[-1].startswith("3/3 feeds refreshed: 120 new articles")
    with Store.open(paths.database(cli.data_dir)) as store:
        assert not store.pending_search()
        indexed = store._conn.execute("SELECT count(*) FROM search").fetchone()[0]
        assert indexed == store.count(ArticleQuery()) == 120
        # Found without the search having to index anything first.
        assert store.count(ArticleQuery(search="bài")) == 120


def test_a_refresh_killed_after_its_summary_loses_nothing_for_search(site: Site,
                                                                    cli: Cli) -> None:
    _configure(cli, site, feeds=6, items=1000)  # the most a feed keeps
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_news", "--config", str(cli.config), "--data-dir",
         str(cli.data_dir), "refresh"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
        env={**env, "no_proxy": "*"})
    assert proc.stdout is not None
    summary = proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of indexing, or just after it
    proc.wait(30)
    assert summary.startswith("6/6 feeds refreshed: 6000 new articles"), summary
    with Store.open(paths.database(cli.data_dir)) as store:
        assert store.count(ArticleQuery()) == 6000
        # A search indexes what was left first (it lists the newest SEARCH_CANDIDATES).
        assert store.count(ArticleQuery(search="bài")) == min(6000, SEARCH_CANDIDATES)
        assert not store.pending_search()
        matches = "SELECT count(*) FROM search WHERE search MATCH 'bai'"
        assert store._conn.execute(matches).fetchone()[0] == 6000
