"""The reader's layout and state: restart, narrow terminals, mouse, language, weather, theme."""

from __future__ import annotations

from pathlib import Path

from ui_fixtures import SEED_CATEGORY, SEED_TITLE, make_app, settle, ui_config

from tui_news.store import Store
from tui_news.ui.app import TuiNewsApp
from tui_news.ui.screens.main import MainScreen
from tui_news.ui.widgets.weather_bar import WeatherBar

SIZE = (140, 40)


def main(app) -> MainScreen:  # type: ignore[no-untyped-def]
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def test_read_state_survives_a_restart(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        opened = screen.articles.ids[0]
        await pilot.press("enter", "j", "s", "q")
    again = make_app(tmp_path)
    async with again.run_test(size=SIZE):
        screen = main(again)
        store = Store.open(again.db_path)
        try:
            assert store.article(opened).read
            counts = store.counts(again.config.categories)
        finally:
            store.close()
        entries = screen.categories.entries
        assert [e.count for e in entries[:3]] == [counts.total, counts.unread, counts.starred]
        for entry in entries[3:]:
            assert entry.count == counts.by_category.get(entry.name, 0)
        assert counts.starred == 1


async def test_narrow_terminal_hides_the_pane_until_an_article_is_opened(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 30)) as pilot:
        screen = main(app)
        assert not screen.article_view.display or not screen.article_view.region.width
        assert screen.articles.region.width > 0
        await pilot.press("enter")
        await pilot.pause()
        assert screen.article_view.region.width > 0
        assert screen.articles.region.width == 0
        assert screen.focused is screen.article_view
        await pilot.press("escape")
        await pilot.pause()
        assert screen.article_view.region.width == 0
        assert screen.focused is screen.articles


async def test_mouse_click_category_and_article(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        # Entry 7 (index 6) is the long seed category, on line 7 inside the border.
        await pilot.click(screen.categories, offset=(3, 7))
        assert screen.categories.current.name == SEED_CATEGORY
        assert screen.focused is screen.articles
        ids = screen.articles.ids
        await pilot.click(screen.articles, offset=(5, 3))  # second article (lines 2-3 + border)
        assert screen.articles.current_id == ids[1]
        assert screen.article_view.article_id == ids[1]
        await settle(pilot)
        assert screen.store.article(ids[1]).read
        await pilot.mouse_down(screen.articles)  # scrolling: the wheel moves the view
        await pilot.pause()
        assert app.is_running


async def test_english_labels(tmp_path: Path) -> None:
    app = make_app(tmp_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.pause(0.1)
        names = [e.name for e in screen.categories.entries[:3]]
        assert names == ["All", "Unread", "Saved"]
        assert "Regional weather" in str(screen.query_one(WeatherBar).render())
        assert "Offline" in str(screen.query_one("#state").render())
        assert "q Quit" in str(screen.query_one("#keys").render())


async def test_weather_bar_fresh_stale_and_never(tmp_path: Path) -> None:
    (tmp_path / "fresh").mkdir()
    app = make_app(tmp_path / "fresh")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        text = str(main(app).query_one(WeatherBar).render())
        assert "Thời tiết các vùng" in text
        assert "Hà Nội 21° ☁ Nhiều mây" in text and "08:15" in text
        assert "cập nhật" not in text
    (tmp_path / "stale").mkdir()
    app = make_app(tmp_path / "stale", weather="stale")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        text = str(main(app).query_one(WeatherBar).render())
        assert "cập nhật 5 giờ trước" in text and "04:00" in text
    (tmp_path / "never").mkdir()
    app = make_app(tmp_path / "never", weather="never")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        text = str(main(app).query_one(WeatherBar).render())
        assert "Hà Nội —" in text and "TP Hồ Chí Minh —" in text


async def test_seed_article_in_the_pane(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("7")
        ids = screen.articles.ids
        seed = next(i for i in ids if screen.store.article(i).title == SEED_TITLE)
        screen.articles.move_cursor(ids.index(seed))
        await pilot.press("enter")
        await pilot.pause()
        kinds = [w.classes for w in screen.article_view.children]
        texts = [str(w.render()) for w in screen.article_view.children]
        assert texts[0] == SEED_TITLE
        assert texts[1].startswith("Ngày đăng 19/08/2020 | 14:17 · Hà Nội Mới")
        assert "Toàn văn" in texts
        assert texts.index("HOÀNG PHƯƠNG - PHẠM HẢO") > texts.index(
            "Công an thị xã Sơn Tây tuyên truyền phòng chống tội phạm")
        assert any("part-caption" in k for k in kinds)
        assert any("part-byline" in k for k in kinds)
        assert "[1] https://sontay.hanoi.gov.vn/" in texts


async def test_theme_is_remembered(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    again = TuiNewsApp(ui_config(tmp_path), app.db_path, offline=True, lang="vi")
    async with again.run_test(size=SIZE):
        assert again.theme == "nord"


async def test_command_palette_jumps_to_a_category(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Thể thao")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        screen = main(app)
        assert screen.categories.current.name == "Thể thao"


async def test_unusable_cache_exits_with_status_1(tmp_path: Path) -> None:
    app = TuiNewsApp(ui_config(tmp_path), tmp_path, offline=True, lang="vi")  # a directory
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 1
