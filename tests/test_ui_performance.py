"""PERFORMANCE.md for the screen: heavy modules wait for first paint; a key press at 10,000
articles touches only the rows on screen (the timings themselves are in bench/)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from ui_fixtures import FEEDS, NOW, make_app

from tui_news.models import Article, ParsedEntry
from tui_news.store import Store
from tui_news.ui.screens.main import MainScreen
from tui_news.ui.widgets.article_list import CACHE_SIZE, LINES_PER_ARTICLE


def test_the_reader_imports_no_network_or_parsing_module() -> None:
    code = ("import sys, tui_news.ui.app; "
            "print(sorted(m for m in ('httpx', 'feedparser', 'trafilatura', 'lxml') "
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
