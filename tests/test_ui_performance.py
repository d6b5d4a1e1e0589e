"""PERFORMANCE.md for the screen: heavy modules wait for first paint; a key press at 10,000
articles touches only the rows on screen (the timings themselves are in bench/)."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from ui_fixtures import FEEDS, NOW, make_app

from tui_news.models import Article, ParsedEntry
from tui_news.store import Store
from tui_news.ui.screens.main import GC_YOUNG, MainScreen
from tui_news.ui.widgets.article_list import CACHE_SIZE, LINES_PER_ARTICLE


def test_the_reader_imports_no_network_or_parsing_module() -> None:
    """Not before its first frame (the console script's command table and the reader), nor for
    the cached weather it shows after it: a refresh or a full text imports them when it runs."""
    code = ("import sys, tui_news.cli, tui_news.ui.app, tui_news.weather; "
            "print(sorted(m for m in ('httpx', 'httpcore', 'feedparser', 'trafilatura', 'lxml') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def _big_cache(db: Path, n: int) -> None:
    store = Store.open(db)
    try:
        store.sync_feeds(FEEDS)
        for f, feed in enumerate(FEEDS):
            store.ingest(feed.url, [
                ParsedEntry(key=f"https://x.vn/{f}/{i}", title=f"Tin số {i}: Hà Nội đẩy mạnh "
                            "phong trào toàn dân bảo vệ an ninh Tổ quốc", link=None,
                            summary="Tóm tắt.", published=NOW - timedelta(minutes=7 * i + f))
                for i in range(n // len(FEEDS))], seen_at=NOW)
    finally:
        store.close()


async def test_cursor_moves_on_10000_articles_fetch_only_what_is_on_screen(
        tmp_path: Path) -> None:
    """What keeps a key press cheap at 10,000 articles (bench/ times it; PERFORMANCE.md): the list
    holds ids only, fetches one window of rows per query and keeps a bounded cache."""
    _big_cache(tmp_path / "cache.sqlite", 10_000)
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        articles = screen.articles
        assert len(articles.ids) >= 9_990
        fetched: list[int] = []
        fetch = articles._fetch  # noqa: SLF001

        def counting(ids: Sequence[int]) -> list[Article]:
            fetched.append(len(ids))
            return fetch(ids)

        articles._fetch = counting  # noqa: SLF001
        page = articles.size.height // LINES_PER_ARTICLE
        jumps = 0
        for step in range(600):  # single steps, a page jump now and then, wrapping at the end
            if step % 10 == 0:
                jumps += 1
            articles.move(40 if step % 10 == 0 else 1)
            if articles.cursor >= len(articles.ids) - 1:
                articles.move_cursor(0)
            for y in range(articles.size.height):
                assert articles.render_line(y).text.strip()  # every visible line is drawn
            assert len(articles._cache) <= CACHE_SIZE  # noqa: SLF001
        assert articles.cursor > 0
        assert fetched and max(fetched) <= 2 * page  # one window per query, never the list
        # Single steps are served from the cache: about one query per page jump, no more.
        assert len(fetched) <= jumps + 2 * 600 // page + 2, (len(fetched), jumps)


async def test_drawn_lines_are_reused_while_scrolling_and_redrawn_when_they_change(
        tmp_path: Path) -> None:
    """A scroll by one article draws the lines that came into view (and the cursor's), not the
    screen; a line whose article, style (focus, theme) or search changed is drawn afresh."""
    _big_cache(tmp_path / "cache.sqlite", 400)
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        articles = screen.articles
        built: list[int] = []
        title_line = articles._title_line  # noqa: SLF001

        def counting(article: Article, look: object) -> object:
            built.append(article.id)
            return title_line(article, look)  # type: ignore[arg-type]

        articles._title_line = counting  # type: ignore[method-assign]  # noqa: SLF001
        page = articles.size.height // LINES_PER_ARTICLE
        for _ in range(page + 5):  # past the bottom: every press scrolls by one article
            await pilot.press("j")
        await pilot.pause()
        built.clear()
        top = articles.top
        await pilot.press("j")
        await pilot.pause()
        assert articles.top == top + LINES_PER_ARTICLE
        # The new bottom row, and the cursor's old and new rows: not the other rows on screen.
        assert 1 <= len(built) <= 3, built

        def cursor_line() -> tuple[str, object]:
            y = articles.cursor * LINES_PER_ARTICLE - articles.top
            strip = articles.render_line(y)
            return strip.text, [s.style for s in strip]

        text, focused = cursor_line()
        assert "●" in text
        articles.set_state([articles.current_id], read=True)  # type: ignore[list-item]
        text, _ = cursor_line()
        assert "●" not in text and text.strip()  # the same row, now read
        screen.set_focus(screen.categories)
        await pilot.pause()
        _, unfocused = cursor_line()
        assert unfocused != focused  # the cursor's colour follows the list's focus
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        _, themed = cursor_line()
        assert themed != unfocused


async def test_the_collector_waits_longer_while_the_reader_runs_and_is_put_back_after(
        tmp_path: Path) -> None:
    """After the first paint the reader's objects are frozen and young collections wait for
    GC_YOUNG objects (a scrolling frame leaves hundreds in cycles); at exit both are undone."""
    before = gc.get_threshold()
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(300):
            if isinstance(app.screen, MainScreen) and app.screen._painted:  # noqa: SLF001
                break
            await pilot.pause(0.01)
        assert gc.get_threshold() == (GC_YOUNG, *before[1:])
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


async def test_refresh_progress_keeps_the_status_line_width(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The count is padded to the total's digits: from 1/200 to 200/200 the state field keeps
    its width, so a progress update repaints it alone instead of laying out the whole screen."""
    from tui_news.ui import main_workers

    monkeypatch.setattr(main_workers, "PROGRESS_INTERVAL", 0.0)
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        state = screen.query_one("#state")
        widths, texts = set(), []
        for done in (1, 9, 10, 99, 100, 200):
            screen._refresh_progress(done, 200)  # noqa: SLF001  (what each progress line calls)
            await pilot.pause()
            texts.append(str(state.render()))
            widths.add(state.size.width)
        assert texts[0] == "Đang làm mới   1/200" and texts[-1] == "Đang làm mới 200/200"
        assert len(widths) == 1, widths
