"""The reader at 80x24, 100x30, 120x40 and 200x60: weather, sidebar, footer, scrollbars."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from ui_fixtures import FEEDS, make_app, ui_config

from tui_news.i18n import label
from tui_news.models import FeedConfig
from tui_news.text import fold
from tui_news.ui.screens.main import MainScreen
from tui_news.ui.widgets.status_bar import KeyBar
from tui_news.ui.widgets.weather_bar import WeatherBar

SIZES = [(80, 24), (100, 30), (120, 40), (200, 60)]
LONG = "Bất động sản - Tài chính - Chứng khoán - Doanh nghiệp"
# 14 categories, as the built-in catalogue has: with Tất cả, Chưa đọc and Đã lưu, 17 entries.
EXTRA = ("Pháp luật", "Giáo dục", "Sức khỏe", "Giải trí", "Khoa học - Công nghệ", "Du lịch", LONG)


def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    feeds = FEEDS + tuple(
        FeedConfig(f"https://example.vn/{n}.rss", name) for n, name in enumerate(EXTRA)
    )
    return replace(ui_config(tmp_path), feeds=feeds)


def main(app) -> MainScreen:  # type: ignore[no-untyped-def]
    assert isinstance(app.screen, MainScreen)
    return app.screen


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_screen_at_each_size(tmp_path: Path, size: tuple[int, int], lang: str) -> None:
    app = make_app(tmp_path, lang=lang, config=config(tmp_path))
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.1)
        screen = main(app)
        # Weather: every city with its temperature, on one line.
        weather = str(screen.query_one(WeatherBar).render())
        for city, temp in (("Hà Nội", "21°"), ("Đà Nẵng", "25°"), ("TP Hồ Chí Minh", "31°")):
            assert f"{city} {temp}" in weather
        # No horizontal scrollbar anywhere (the list's lines are cut to its width).
        for widget in (screen.articles, screen.categories, screen.article_view):
            assert not widget.show_horizontal_scrollbar
        # The footer: `?` always, and a long status never runs into the keys.
        screen.status.set_state(label("refresh_done", lang, ok=45, total=45, new=1234, failed=0))
        await pilot.pause()
        keys = screen.query_one(KeyBar)
        state = screen.query_one("#state")
        assert "?" in str(keys.render())
        assert keys.region.right <= state.region.x
        assert str(state.render()).strip()  # the state is shown (cut with … if need be)
        # The sidebar: one line per entry, the long name cut with "…", counts in one column.
        sidebar = screen.categories
        lines = [
            sidebar.entry_line(n, sidebar.scrollable_content_region.width).plain
            for n in range(len(sidebar.entries))
        ]
        assert lines[-1].rstrip().endswith("…") and LONG not in lines[-1]
        counted = [line.rstrip() for line, e in zip(lines, sidebar.entries, strict=True) if e.count]
        assert len({len(line) for line in counted}) == 1  # right edges line up
        # Walking the sidebar keeps its cursor on screen, down to the last entry and back.
        await pilot.press("shift+tab")
        assert screen.focused is sidebar
        for _ in range(len(sidebar.entries)):
            await pilot.press("j")
            top = sidebar.scroll_offset.y
            assert top <= sidebar.cursor < top + sidebar.scrollable_content_region.height
        assert screen.view_entry.name == LONG
        await pilot.press(*["k"] * len(sidebar.entries))
        assert sidebar.cursor == 0 and sidebar.scroll_offset.y == 0


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_help_at_each_size(tmp_path: Path, size: tuple[int, int], lang: str) -> None:
    from textual.widgets import Static

    from tui_news.ui.screens.help import HelpScreen

    app = make_app(tmp_path, lang=lang, config=config(tmp_path))
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        box = help_screen.box
        assert box.region.right <= size[0] and box.region.bottom <= size[1]
        table = str(help_screen.query_one("#help-keys", Static).render())
        for action in ("key_help", "key_first", "key_list_page_down", "key_undo",
                       "key_command_palette", "key_next_unread"):
            assert label(action, lang) in table
        # However short the screen, the end of the table can be reached by keyboard.
        await pilot.press("G")
        assert box.scroll_y == box.max_scroll_y
        if size[1] <= 30:
            assert box.max_scroll_y > 0  # the table is longer than the box
        elif size[1] >= 60:
            assert box.max_scroll_y == 0  # all of it shows
        await pilot.press("g")
        assert box.scroll_y == 0
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_search_at_each_size(tmp_path: Path, size: tuple[int, int], lang: str) -> None:
    from textual.widgets import Input

    app = make_app(tmp_path, lang=lang, config=config(tmp_path))
    async with app.run_test(size=size) as pilot:
        screen = main(app)
        everything = list(screen.articles.ids)
        await pilot.press("slash", *"ha noi", "enter")
        box = screen.query_one("#search", Input)
        assert box.display and box.region.height == 3 and box.region.right <= size[0]
        results = list(screen.articles.ids)
        assert 0 < len(results) < len(everything)
        for article in screen.store.articles(results):
            text = fold(f"{article.title} {article.summary} {article.feed_title}")
            assert "ha" in text and "noi" in text
        assert label("search_results", lang, query="ha noi") in str(
            screen.list_frame.border_title)
        assert screen.articles.region.height >= 6  # room for three results at 80x24
        await pilot.press("enter")  # read one (narrow: the article covers the list) …
        if size[0] >= 100:
            await pilot.press("tab")  # … (wide: beside it, and reading it is focusing it)
        assert screen.focused is screen.article_view
        await pilot.press("escape")  # escape: back to the results, then to the whole list
        assert screen.focused is screen.articles
        assert screen.articles.ids == results
        await pilot.press("escape")
        assert screen.articles.ids == everything and not box.display
