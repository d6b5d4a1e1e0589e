"""Sync with a real Fever server (coldsweat on 127.0.0.1): two data dirs, one [sync] config.

Each test has a coldsweat account of its own (every item unread at first) on the session's
server; the tests that stop or kill the server start one of their own on the same database.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from conftest import Cli, Site
from sync_helpers import TOTAL_ITEMS, Coldsweat, sync_config

from tui_news.config import load_config
from tui_news.ui.app import TuiNewsApp
from tui_news.ui.screens.main import MainScreen


@pytest.fixture
def two(tmp_path: Path, coldsweat: Coldsweat, account: str) -> tuple[Cli, Cli]:
    config = sync_config(tmp_path / "config.toml", coldsweat.url, account)
    return Cli(config, tmp_path / "a"), Cli(config, tmp_path / "b")


def rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def by_title(cli: Cli) -> dict[str, dict[str, object]]:
    run = cli("articles", "--json", "--limit", "100000")
    assert run.status == 0, run.err
    articles = run.json()
    assert isinstance(articles, list)
    return {a["title"]: a for a in articles}


def synced(cli: Cli) -> str:
    run = cli("sync")
    assert run.status == 0, run.err
    assert run.err == ""
    assert run.out.count("\n") == 1 and run.out.startswith("synced with ")
    return run.out


def test_first_sync_pages_through_every_item_and_stores_each_once(two: tuple[Cli, Cli]) -> None:
    a, _ = two
    out = synced(a)
    assert f"{TOTAL_ITEMS} new articles" in out
    articles = by_title(a)
    assert len(articles) == TOTAL_ITEMS  # more than one page of 50
    first = articles["Tin Thời sự 0"]
    assert first["categories"] == ["Thời sự"]
    assert first["summary"] == "Tóm tắt thoi-su 0"
    assert str(first["link"]).endswith("/thoi-su/0.html")
    assert not first["read"] and not first["starred"]
    assert articles["Tin Kinh tế 3"]["categories"] == ["Kinh tế"]
    # Again: nothing new, nothing duplicated.
    assert "0 new articles" in synced(a)
    assert len(by_title(a)) == TOTAL_ITEMS
    db = a.data_dir / "cache.sqlite3"
    assert rows(db, "SELECT count(*) FROM sync_items") == [(TOTAL_ITEMS,)]
    # feeds --json says which feeds are the server's.
    feeds = a("feeds", "--json").json()
    assert isinstance(feeds, list)
    assert {(f["category"], f["from_server"], f["articles"]) for f in feeds} == {
        ("Thời sự", True, 60), ("Kinh tế", True, 15)}


def test_read_in_one_is_read_in_the_other_after_both_sync(two: tuple[Cli, Cli]) -> None:
    a, b = two
    synced(a)
    synced(b)
    ids = [by_title(a)[f"Tin Thời sự {n}"]["id"] for n in (1, 2)]
    assert a("mark", *map(str, ids), "--read").status == 0
    assert "2 marks sent" in synced(a)
    assert "2 articles changed by the server" in synced(b)
    seen = by_title(b)
    assert seen["Tin Thời sự 1"]["read"] and seen["Tin Thời sự 2"]["read"]
    assert not seen["Tin Thời sự 3"]["read"]
    # And back: unread in B travels to A.
    assert b("mark", str(seen["Tin Thời sự 1"]["id"]), "--unread").status == 0
    synced(b)
    synced(a)
    assert not by_title(a)["Tin Thời sự 1"]["read"]
    assert by_title(a)["Tin Thời sự 2"]["read"]


def test_a_star_travels_the_other_way(two: tuple[Cli, Cli]) -> None:
    a, b = two
    synced(a)
    synced(b)
    target = by_title(b)["Tin Kinh tế 7"]
    assert b("mark", str(target["id"]), "--star").status == 0
    assert "1 marks sent" in synced(b)
    synced(a)
    assert by_title(a)["Tin Kinh tế 7"]["starred"]
    assert b("mark", str(target["id"]), "--unstar").status == 0
    synced(b)
    synced(a)
    assert not by_title(a)["Tin Kinh tế 7"]["starred"]


async def _until(pilot, condition, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await pilot.pause(0.05)


async def test_the_reader_syncs_on_refresh_shows_it_and_its_marks_travel(
        tmp_path: Path, coldsweat: Coldsweat, account: str) -> None:
    path = sync_config(tmp_path / "config.toml", coldsweat.url, account)
    a = Cli(path, tmp_path / "a")
    app = TuiNewsApp(load_config(path), a.data_dir / "cache.sqlite3", offline=False, lang="vi")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _until(pilot, lambda: len(screen.articles.ids) == TOTAL_ITEMS)
        await _until(pilot, lambda: not screen._refreshing)
        assert "Đồng bộ lúc" in str(screen.query_one("#state").render())
        # The server's groups are sidebar categories, with their unread counts.
        sidebar = {e.name: e.count for e in screen.categories.entries[3:]}
        assert sidebar == {"Thời sự": 60, "Kinh tế": 15}
        opened = screen.articles.ids[0]
        await pilot.press("enter")  # opening an article marks it read
        assert app.marks.flush(10)
    # The CLI in a thread: it runs event loops of its own.
    here = await asyncio.to_thread(by_title, a)
    read_here = {t for t, art in here.items() if art["read"]}
    assert len(read_here) == 1 and here[next(iter(read_here))]["id"] == opened
    assert "1 marks sent" in await asyncio.to_thread(synced, a)
    b = Cli(path, tmp_path / "b")
    await asyncio.to_thread(synced, b)
    there = await asyncio.to_thread(by_title, b)
    assert {t for t, art in there.items() if art["read"]} == read_here
    # A failed sync is on the status line too.
    bad = sync_config(tmp_path / "bad.toml", coldsweat.url, account, password="wrong-password")
    app = TuiNewsApp(load_config(bad), a.data_dir / "cache.sqlite3", offline=False, lang="en")
    async with app.run_test(size=(200, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _until(pilot, lambda: "Sync failed" in str(screen.query_one("#state").render()))
        state = str(screen.query_one("#state").render())
        assert "wrong user or password" in state and "wrong-password" not in state


def test_refresh_syncs_and_local_feeds_keep_working_beside_the_servers(
        tmp_path: Path, coldsweat: Coldsweat, account: str, site: Site) -> None:
    own = site.add("/rieng.xml", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Riêng</title>'
        "<item><title>Tin riêng 1</title><link>https://rieng.example/1</link></item>"
        "<item><title>Tin riêng 2</title><link>https://rieng.example/2</link></item>"
        "</channel></rss>").encode())
    shared = f"{coldsweat.site.base}/kinh-te.xml"  # the server has this feed too
    feeds = (f'[[feeds]]\nurl = "{own}"\ncategory = "Riêng"\n\n'
             f'[[feeds]]\nurl = "{shared}"\ncategory = "Kinh doanh"\n')
    a = Cli(sync_config(tmp_path / "config.toml", coldsweat.url, account, feeds=feeds,
                        weather_url=site.url("/v1/forecast")), tmp_path / "a")
    run = a("refresh")
    assert run.status == 0, run.err
    assert run.out.startswith("2/2 feeds refreshed: 17 new articles")
    assert f"; feed server: {TOTAL_ITEMS - 15} new articles, 0 marks sent" in run.out
    articles = by_title(a)
    assert len(articles) == TOTAL_ITEMS + 2  # the shared feed's 15 articles once each
    assert articles["Tin riêng 1"]["categories"] == ["Riêng"]
    assert articles["Tin Kinh tế 1"]["categories"] == ["Kinh doanh"]  # the config's category
    rows = {f["url"]: (f["category"], f["from_server"]) for f in a("feeds", "--json").json()}
    assert rows[own] == ("Riêng", False)
    assert rows[shared] == ("Kinh doanh", True)
    assert rows[f"{coldsweat.site.base}/thoi-su.xml"] == ("Thời sự", True)
    # A mark on the shared feed's article reaches the server through its server id.
    assert a("mark", str(articles["Tin Kinh tế 1"]["id"]), "--read").status == 0
    run = a("refresh")
    assert "0 new articles" in run.out and "1 marks sent" in run.out
    b = Cli(a.config, tmp_path / "b")
    synced(b)
    assert by_title(b)["Tin Kinh tế 1"]["read"]
    # The server's groups are categories to refresh too: that refresh is the sync.
    run = a("refresh", "--category", "Thời sự")
    assert run.status == 0, run.err
    assert run.out.startswith("0/0 feeds refreshed") and "feed server" in run.out
    run = a("refresh", "--category", "Thể thao")
    assert run.status == 2 and "Riêng, Kinh doanh, Thời sự" in run.err
