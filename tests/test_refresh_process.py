"""The reader's refresh runs in a child process: progress and the summary come back, faults too."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Site
from ui_fixtures import SEED_CATEGORY

from tui_news.config import Config
from tui_news.models import FeedConfig
from tui_news.refresh_process import REFRESH_NICE, RefreshProcessError, run_refresh_process
from tui_news.store import Store


def _config(tmp_path: Path, site: Site, *paths: str) -> Config:
    return Config(
        path=tmp_path / "config.toml",
        timeout=5,
        weather_url=site.url("/v1/forecast"),
        feeds_configured=True,
        feeds=tuple(FeedConfig(site.url(p), SEED_CATEGORY, "Hà Nội Mới") for p in paths),
    )


async def test_progress_and_summary_come_back_from_the_child(tmp_path: Path, site: Site) -> None:
    site.add_file("/feed.xml", "feeds/sontay-feed.xml")
    db = tmp_path / "cache.sqlite"
    seen: list[tuple[int, int]] = []
    summary = await run_refresh_process(
        _config(tmp_path, site, "/feed.xml", "/gone.xml"),
        db,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert sorted(seen) == [(1, 2), (2, 2)]
    by_url = {r.url: r for r in summary.results}
    assert by_url[site.url("/feed.xml")].status == "ok"
    assert by_url[site.url("/feed.xml")].new > 0
    assert by_url[site.url("/gone.xml")].status == "error"
    assert "404" in (by_url[site.url("/gone.xml")].error or "")
    assert summary.weather_error is None
    with Store.open(db) as store:  # the child wrote the cache the reader reads
        assert len(store.feeds()) == 2


def test_the_child_never_imports_textual(tmp_path: Path, site: Site) -> None:
    # The child process as the reader starts it, run to its end (refresh, summary, indexing for
    # search); `-X importtime` lists every module it imported on stderr.
    site.add_file("/feed.xml", "feeds/sontay-feed.xml")
    request = pickle.dumps(
        {
            "config": _config(tmp_path, site, "/feed.xml"),
            "db_path": tmp_path / "cache.sqlite",
            "categories": None,
            "weather": True,
            "nice": 0,
        }
    )
    child = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui_news.refresh_process"],
        input=request,
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert b'"summary"' in child.stdout
    imported = [
        line.rsplit(b"|", 1)[-1].strip().decode()
        for line in child.stderr.splitlines()
        if line.startswith(b"import time:")
    ]
    assert "tui_news.refresh" in imported and "tui_news.store" in imported
    assert [name for name in imported if name.split(".")[0] == "textual"] == []


async def test_weather_alone(tmp_path: Path, site: Site) -> None:
    summary = await run_refresh_process(
        _config(tmp_path, site, "/feed.xml"), tmp_path / "cache.sqlite", categories=set()
    )
    assert summary.results == ()
    assert summary.weather_error is None
    assert len(site.requests_for("/v1/forecast")) == 1
    assert site.requests_for("/feed.xml") == []


async def test_a_failing_child_is_one_line(tmp_path: Path, site: Site) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(RefreshProcessError) as caught:
        await run_refresh_process(_config(tmp_path, site, "/feed.xml"), blocker / "cache.sqlite")
    assert str(caught.value)
    assert "\n" not in str(caught.value)


def _children() -> list[tuple[int, int, int, int]]:
    """(pid, session, process group, nice) of this process's refresh children, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"tui_news.refresh_process" in cmdline:
            found.append((int(entry.name), int(fields[3]), int(fields[2]), int(fields[16])))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
async def test_the_child_runs_niced_in_the_readers_session(tmp_path: Path, site: Site) -> None:
    site.add_file("/feed.xml", "feeds/sontay-feed.xml")
    seen: list[tuple[int, int, int, int]] = []
    await run_refresh_process(
        _config(tmp_path, site, "/feed.xml"),
        tmp_path / "cache.sqlite",
        progress=lambda done, total: seen.extend(_children()),
    )
    assert seen, "the child was not found while it ran"
    pid, session, group, nice = seen[0]
    assert nice == min(os.nice(0) + REFRESH_NICE, 19)
    # Same session (so the kernel's per-session autogroup keeps the niceness meaningful),
    # a process group of its own (the terminal's Ctrl-C is not for it).
    assert session == os.getsid(0)
    assert group == pid != os.getpgid(0)


async def test_the_child_indexes_the_new_articles_for_search_after_its_summary(
    tmp_path: Path, site: Site
) -> None:
    # The summary comes back as soon as the articles are stored; the child then puts them into
    # the search indexes on its own, so the reader's next search has nothing left to index.
    import asyncio

    site.add_file("/feed.xml", "feeds/sontay-feed.xml")
    db = tmp_path / "cache.sqlite"
    summary = await run_refresh_process(_config(tmp_path, site, "/feed.xml"), db)
    assert summary.results[0].new > 0
    with Store.open(db) as store:
        for _ in range(200):  # up to 10 s for the child to get there
            if not store.pending_search():
                break
            await asyncio.sleep(0.05)
        assert not store.pending_search()
        indexed = store._conn.execute("SELECT count(*) FROM search").fetchone()[0]
        assert indexed == store._conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 0


async def test_articles_a_cron_refresh_left_waiting_are_indexed_by_the_readers_next_child(
    tmp_path: Path, site: Site
) -> None:
    import asyncio

    from tui_news.refresh import run_refresh

    site.add_file("/feed.xml", "feeds/sontay-feed.xml")
    db = tmp_path / "cache.sqlite"
    config = _config(tmp_path, site, "/feed.xml")
    await asyncio.to_thread(run_refresh, config, db, weather=False)  # `tui-news refresh`
    with Store.open(db) as store:
        assert store.pending_search()
    await run_refresh_process(config, db, categories=set(), weather=True)  # nothing new
    with Store.open(db) as store:
        for _ in range(200):
            if not store.pending_search():
                break
            await asyncio.sleep(0.05)
        assert not store.pending_search()
