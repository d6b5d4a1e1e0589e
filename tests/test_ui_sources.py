"""The reader's sources view, saved searches, the links list and "add a feed", in the real app
under Pilot on a real cache (and a real local server for adding a feed)."""

from __future__ import annotations

import asyncio
import json
import sys
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from conftest import Site
from textual.widgets import Input
from ui_fixtures import (
    FEEDS,
    NOW,
    SEED_LINK,
    make_app,
    record_copied,
    record_opened,
    seed_id,
    ui_config,
)

from tui_news.config import load_config
from tui_news.models import ArticleQuery, Filter, FullText, SavedSearch
from tui_news.store import Store
from tui_news.ui.app import TuiNewsApp
from tui_news.ui.screens.dialogs import ChoiceScreen, PromptScreen
from tui_news.ui.screens.main import MainScreen
from tui_news.ui.widgets.article_view import PartText

SIZE = (140, 40)


def main(app) -> MainScreen:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def until(pilot, condition: Callable[[], bool], timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, ("timed out", pilot.app.screen)
        await pilot.pause(0.05)


async def prompt(pilot) -> Input:  # type: ignore[no-untyped-def]
    """The input of the prompt the reader has just opened."""
    await until(pilot, lambda: isinstance(pilot.app.screen, PromptScreen)
                and bool(pilot.app.screen.query(Input)))
    return pilot.app.screen.query_one(Input)


def names(screen: MainScreen) -> list[str]:
    return [e.name for e in screen.categories.entries]


def expected_ids(db: Path, query: ArticleQuery) -> list[int]:
    store = Store.open(db)
    try:
        return store.ids(query)
    finally:
        store.close()


async def test_saved_searches_follow_the_categories_with_unread_counts(tmp_path: Path) -> None:
    config = replace(ui_config(tmp_path), searches=(SavedSearch("Bão lũ", "bao lu"),
                                                    SavedSearch("Hà Nội", "ha noi")))
    app = make_app(tmp_path, config=config)
    db = tmp_path / "cache.sqlite"
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        categories = list(dict.fromkeys(f.category for f in FEEDS))
        assert names(screen)[3:] == [*categories, "Bão lũ", "Hà Nội"]
        entries = screen.categories.entries
        for entry, query in ((entries[-2], "bao lu"), (entries[-1], "ha noi")):
            unread = expected_ids(db, ArticleQuery(search=query, unread_only=True))
            assert unread and entry.count == len(unread)
        # choosing it lists what the search finds; reading one lowers its count
        screen.set_focus(screen.categories)
        await pilot.press(*["j"] * (len(entries) - 1 - screen.entry))
        assert screen.view_entry.name == "Hà Nội"
        found = expected_ids(db, ArticleQuery(search="ha noi"))
        assert list(screen.articles.ids) == found
        before = screen.view_entry.count
        await pilot.press("tab", "enter")
        assert app.marks.flush(10)
        await pilot.pause()
        screen.reload_counts()
        assert screen.categories.entries[-1].count == before - 1


async def test_ctrl_s_saves_the_search_into_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# mine, keep me\n[general]\nlanguage = \"vi\"\n", encoding="utf-8")
    app = make_app(tmp_path, config=replace(ui_config(tmp_path), path=path))
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("slash", *"bao lu")
        await pilot.pause(0.3)
        await pilot.press("ctrl+s")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        answer = prompt.query_one(Input)
        assert answer.value == "bao lu"
        answer.value = "Bão lũ"
        await pilot.press("enter")
        await pilot.pause()
        screen = main(app)
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# mine, keep me\n")
        assert tomllib.loads(text)["searches"] == [{"name": "Bão lũ", "query": "bao lu"}]
        # the feeds were not there: the catalogue stays in use, nothing else was written
        assert "feeds" not in tomllib.loads(text)
        assert screen.view_entry.name == "Bão lũ" and screen.view_entry.kind == "search"
        assert not screen.query_one("#search", Input).display
        assert list(screen.articles.ids) == expected_ids(tmp_path / "cache.sqlite",
                                                         ArticleQuery(search="bao lu"))
        assert load_config(path).searches == (SavedSearch("Bão lũ", "bao lu"),)
        # a second search with the same name is refused
        await pilot.press("slash", *"ha noi")
        await pilot.pause(0.3)
        await pilot.press("ctrl+s")
        app.screen.query_one(Input).value = "Bão lũ"
        await pilot.press("enter")
        await pilot.pause()
        assert len(tomllib.loads(path.read_text(encoding="utf-8"))["searches"]) == 1


async def test_sources_view_lists_feeds_with_counts_and_failures(tmp_path: Path) -> None:
    app = make_app(tmp_path, lang="en")
    db = tmp_path / "cache.sqlite"
    store = Store.open(db)
    try:
        store.record_fetch(FEEDS[1].url, status="error", error="HTTP 404 Not Found")
    finally:
        store.close()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        screen.set_focus(screen.categories)
        await pilot.press("4")  # Thời sự: VnExpress and Tuổi Trẻ
        screen.set_focus(screen.categories)
        assert screen.view_entry.name == "Thời sự"
        await pilot.press("right")
        assert names(screen)[3:6] == ["Thời sự", "VnExpress", "Tuổi Trẻ"]
        feeds = screen.categories.entries[4:6]
        for entry, feed in zip(feeds, FEEDS[:2], strict=True):
            assert entry.kind == "feed"
            unread = expected_ids(db, ArticleQuery(feed=feed.url, unread_only=True))
            assert unread and entry.count == len(unread)
        assert feeds[0].error is None and feeds[1].error == "HTTP 404 Not Found"
        line = screen.categories.entry_line(5, 28).plain
        assert "! Tuổi Trẻ" in line
        # choosing a feed lists only its articles; the failed one says why on the status line
        await pilot.press("j")
        assert list(screen.articles.ids) == expected_ids(db, ArticleQuery(feed=FEEDS[0].url))
        await pilot.press("j")
        assert list(screen.articles.ids) == expected_ids(db, ArticleQuery(feed=FEEDS[1].url))
        state = str(screen.query_one("#state").render())
        assert "Tuổi Trẻ failed: HTTP 404 Not Found" in state
        # left hides the feeds again, the cursor back on the category
        await pilot.press("left")
        assert names(screen)[3:5] == ["Thời sự", "Thế giới"]
        assert screen.view_entry.name == "Thời sự"


async def test_l_lists_the_links_and_enter_opens_the_third(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    db = tmp_path / "cache.sqlite"
    article_id = seed_id(db)
    long_link = "https://sontay.hanoi.gov.vn/" + "tin-tuc/" * 30 + "bai.html"
    links = ("https://sontay.hanoi.gov.vn/", "https://hanoimoi.vn/", long_link,
             "javascript:alert(1)")
    store = Store.open(db)
    try:
        full = store.full_text(article_id)
        assert full is not None
        store.save_full_text(article_id, FullText(full.title, full.published, full.blocks,
                                                  links=links, source_url=SEED_LINK))
    finally:
        store.close()
    opened, copied = record_opened(app), record_copied(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        screen.articles.move_cursor(list(screen.articles.ids).index(article_id))
        await pilot.press("enter", "l")
        dialog = app.screen
        assert isinstance(dialog, ChoiceScreen)
        rows = [str(dialog.choices.get_option_at_index(i).prompt)
                for i in range(dialog.choices.option_count)]
        assert rows == [f"↗ {SEED_LINK}", f"[1] {links[0]}", f"[2] {links[1]}",
                        f"[3] {long_link}"]  # javascript: is not offered
        await pilot.press("down", "y")
        assert copied == [links[0]]
        await pilot.press("down", "down", "enter")
        assert opened == [long_link]
        assert isinstance(app.screen, MainScreen)
        # the pane never wraps a URL: each link is one line, cut at the pane's edge
        await pilot.pause()
        refs = [w for w in screen.article_view.query(PartText) if w.has_class("part-ref")]
        assert [str(w.render()) for w in refs][2] == f"[3] {long_link}"
        assert refs[2].size.height == 1 and refs[2].size.width < len(long_link)


async def test_filters_hide_articles_in_the_reader(tmp_path: Path) -> None:
    config = replace(ui_config(tmp_path),
                     filters=(Filter("vàng"), Filter("bong", category="Thể thao")))
    app = make_app(tmp_path, config=config)
    db = tmp_path / "cache.sqlite"
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.pause()
        titles = [a.title for a in screen.store.articles(screen.articles.ids)]
        assert titles and not any("vàng" in t or "bóng" in t for t in titles)
        everything = expected_ids(db, ArticleQuery())
        assert len(titles) == len(everything) - 2
        assert screen.categories.entries[0].count == len(titles)
        kinh_te = next(e for e in screen.categories.entries if e.name == "Kinh tế")
        assert kinh_te.count == len(expected_ids(db, ArticleQuery(category="Kinh tế"))) - 1


async def test_add_a_feed_from_the_reader(tmp_path: Path, site: Site) -> None:
    own = site.add("/lang/rss.xml", (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Báo Làng Tôi</title><item><title>Tin một của làng</title>"
        "<link>https://lang.example/1</link><guid>lang-1</guid>"
        "<pubDate>Sat, 28 Nov 2026 08:00:00 +0700</pubDate><description>Một.</description>"
        "</item></channel></rss>").encode())
    home = site.add("/lang/", b'<html><head><link rel="alternate" type="application/rss+xml" '
                    b'href="rss.xml"></head><body>Lang</body></html>', "text/html")
    path = tmp_path / "config.toml"
    calls = tmp_path / "hook-calls.txt"
    hook = [sys.executable, "-c", "import sys; open(sys.argv[1], 'a').write(sys.argv[2])",
            str(calls), "{count} bài mới: {categories}"]
    path.write_text("# mine\n[general]\nrefresh_on_start = false\n\n[network]\ntimeout = 5\n\n"
                    f'[weather]\nurl = "{site.url("/v1/forecast")}"\n\n'
                    f'[hooks]\nnew_articles = {json.dumps(hook)}\n\n'
                    '[[searches]]\nname = "Làng"\nquery = "lang"\n\n'
                    f'[[feeds]]\nurl = "{FEEDS[0].url}"\ncategory = "Thời sự"\n',
                    encoding="utf-8")
    app = TuiNewsApp(load_config(path), tmp_path / "cache.sqlite", offline=False, lang="vi",
                     now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        screen.action_add_feed()
        (await prompt(pilot)).value = home
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PromptScreen)
                    and bool(app.screen.query(Input))
                    and app.screen.query_one(Input).value == "Khác")
        (await prompt(pilot)).value = "Làng"
        await pilot.press("enter")
        await pilot.pause()
        screen = main(app)
        feeds = tomllib.loads(path.read_text(encoding="utf-8"))["feeds"]
        assert feeds[-1] == {"url": own, "category": "Làng"}
        assert path.read_text(encoding="utf-8").startswith("# mine\n")
        assert screen.view_entry.kind == "feed" and screen.view_entry.query.feed == own
        # its category's refresh brings the article, listed under the feed
        await until(pilot, lambda: bool(screen.articles.ids) and not screen._refreshing)
        shown = screen.store.articles(screen.articles.ids)
        assert [a.title for a in shown] == ["Tin một của làng"]
        assert screen.view_entry.name == "Báo Làng Tôi"
        # the saved search's count follows the refresh; the hook ran once, in the background
        assert next(e for e in screen.categories.entries if e.kind == "search").count == 1
        await until(pilot, calls.exists)
        assert calls.read_text(encoding="utf-8") == "1 bài mới: Làng"
        # the same URL again is refused, nothing written
        before = path.read_bytes()
        screen.action_add_feed()
        (await prompt(pilot)).value = own
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and path.read_bytes() == before
