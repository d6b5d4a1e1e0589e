"""The reader against a real local HTTP server: background refresh, full text, a failing network."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from conftest import Site
from ui_fixtures import NOW, SEED_CATEGORY, SEED_TITLE

from tui_news.config import Config
from tui_news.models import FeedConfig
from tui_news.ui.app import TuiNewsApp
from tui_news.ui.screens.main import MainScreen

SIZE = (140, 40)
PAGE = "/tin-tuc/son-tay-quan-tam-day-manh-phong-trao.html"


def _config(tmp_path: Path, site: Site, feed_path: str = "/feed.xml") -> Config:
    return Config(path=tmp_path / "config.toml", timeout=5,
                  weather_url=site.url("/v1/forecast"), feeds_configured=True,
                  feeds=(FeedConfig(site.url(feed_path), SEED_CATEGORY, "Hà Nội Mới"),))


async def _until(pilot, condition: Callable[[], bool], timeout: float = 15) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await pilot.pause(0.05)


def _pane(screen: MainScreen) -> list[str]:
    return [str(w.render()) for w in screen.article_view.children]


async def test_background_refresh_then_full_text(tmp_path: Path, site: Site) -> None:
    site.add_file("/feed.xml", "feeds/sontay-feed.xml")
    site.add_file(PAGE, "seed/sontay-article.html", "text/html; charset=utf-8")
    app = TuiNewsApp(_config(tmp_path, site), tmp_path / "cache.sqlite", offline=False,
                     lang="vi", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        # Painted from the (empty) cache first; the refresh fills the list afterwards.
        await _until(pilot, lambda: bool(screen.articles.ids))
        await _until(pilot, lambda: not screen._refreshing)
        state = str(screen.query_one("#state").render())
        assert "Đã làm mới 1/1 nguồn" in state
        assert "Hà Nội 21°" in str(screen.query_one("#weather").render())
        article = screen.store.article(screen.articles.ids[0])
        assert article.title == SEED_TITLE
        await pilot.press("enter")
        # What `f` runs, called directly so the "loading" note is seen before the answer lands.
        screen.action_full_text()
        assert "Đang tải toàn văn…" in _pane(screen)
        await _until(pilot, lambda: "Toàn văn" in _pane(screen), timeout=30)
        shown = _pane(screen)
        assert "HOÀNG PHƯƠNG - PHẠM HẢO" in shown
        assert screen.store.full_text(article.id) is not None


async def test_failed_full_text_keeps_the_summary(tmp_path: Path, site: Site) -> None:
    site.add_file("/feed.xml", "feeds/sontay-feed.xml")  # the article page is not served: 404
    app = TuiNewsApp(_config(tmp_path, site), tmp_path / "cache.sqlite", offline=False,
                     lang="vi", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _until(pilot, lambda: bool(screen.articles.ids) and not screen._refreshing)
        await pilot.press("enter", "f")
        await _until(pilot, lambda: any(t.startswith("Không tải được toàn văn")
                                        for t in _pane(screen)), timeout=30)
        shown = _pane(screen)
        assert any(t.startswith("Trong những năm gần đây") for t in shown)  # the lead stays
        error = next(t for t in shown if t.startswith("Không tải được"))
        # One language: the fetcher's English ("could not download the page") is not shown.
        assert error == "Không tải được toàn văn: lỗi tải trang (HTTP 404)"


async def test_failing_network_shows_offline_and_keeps_reading(tmp_path: Path, site: Site) -> None:
    from ui_fixtures import build_cache

    db = build_cache(tmp_path / "cache.sqlite")
    app = TuiNewsApp(_config(tmp_path, site, "/gone.xml"), db, offline=False, lang="vi",
                     now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        before = list(screen.articles.ids)
        assert before  # painted from the cache before any network work
        await _until(pilot, lambda: not screen._refreshing and screen.query_one("#state")
                     .has_class("-offline"))
        assert "Ngoại tuyến" in str(screen.query_one("#state").render())
        await pilot.press("enter")
        assert screen.article_view.article_id == before[0]


async def test_r_refreshes_the_category_and_shift_r_everything(tmp_path: Path,
                                                                site: Site) -> None:
    site.add_file("/a.xml", "feeds/sontay-feed.xml")
    site.add_file("/b.xml", "feeds/sontay-feed.xml")
    config = Config(path=tmp_path / "config.toml", timeout=5,
                    weather_url=site.url("/v1/forecast"), feeds_configured=True,
                    feeds=(FeedConfig(site.url("/a.xml"), SEED_CATEGORY, "Hà Nội Mới"),
                           FeedConfig(site.url("/b.xml"), "Thời sự", "Hà Nội Mới")))
    app = TuiNewsApp(config, tmp_path / "cache.sqlite", offline=False, lang="vi", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _until(pilot, lambda: len(site.requests_for("/b.xml")) == 1
                     and not screen._refreshing)
        await pilot.press("4", "r")  # the 4th entry is the first configured category
        await _until(pilot, lambda: not screen._refreshing)
        assert (len(site.requests_for("/a.xml")), len(site.requests_for("/b.xml"))) == (2, 1)
        await pilot.press("R")
        await _until(pilot, lambda: not screen._refreshing)
        assert (len(site.requests_for("/a.xml")), len(site.requests_for("/b.xml"))) == (3, 2)
        # The weather timer's job: the weather alone, no feed.
        weather_asked = len(site.requests_for("/v1/forecast"))
        screen._scheduled_weather()
        await _until(pilot, lambda: len(site.requests_for("/v1/forecast")) == weather_asked + 1)
        await app.workers.wait_for_complete()
        assert (len(site.requests_for("/a.xml")), len(site.requests_for("/b.xml"))) == (3, 2)


async def test_refresh_on_start_false_opens_from_the_cache(tmp_path: Path, site: Site) -> None:
    from dataclasses import replace

    from ui_fixtures import build_cache

    site.add_file("/feed.xml", "feeds/sontay-feed.xml")
    db = build_cache(tmp_path / "cache.sqlite")  # its weather is 45 minutes old: due
    config = replace(_config(tmp_path, site), refresh_on_start=False)
    app = TuiNewsApp(config, db, offline=False, lang="vi", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _until(pilot, lambda: len(site.requests_for("/v1/forecast")) == 1)
        await app.workers.wait_for_complete()
        assert site.requests_for("/feed.xml") == []
        assert not screen._refreshing
        await pilot.press("R")
        await _until(pilot, lambda: len(site.requests_for("/feed.xml")) == 1)
        await _until(pilot, lambda: not screen._refreshing)
