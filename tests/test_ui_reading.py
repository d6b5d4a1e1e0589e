"""What the reader says while reading: the article's read/saved state in its header, `o` where no
browser can open, why a list is empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static
from ui_fixtures import make_app, record_copied, record_opened, said, settle

from tui_news.ui.browser import browser_available
from tui_news.ui.screens.main import MainScreen

NARROW = (80, 24)


def main(app) -> MainScreen:  # type: ignore[no-untyped-def]
    assert isinstance(app.screen, MainScreen)
    return app.screen


def header_state(screen: MainScreen) -> str:
    return str(screen.article_view.query_one(".part-state", Static).render())


@pytest.mark.parametrize("lang,unread,read,saved", [
    ("vi", "● Chưa đọc", "✓ Đã đọc", "★ Đã lưu"),
    ("en", "● Unread", "✓ Read", "★ Saved"),
])
async def test_m_and_s_show_in_the_narrow_reading_view(tmp_path: Path, lang: str, unread: str,
                                                       read: str, saved: str) -> None:
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=NARROW) as pilot:
        screen = main(app)
        await pilot.press("enter")  # opening marks it read
        assert screen.has_class("-reading")
        assert header_state(screen) == read
        await pilot.press("m")
        assert header_state(screen) == unread
        await pilot.press("s")
        assert header_state(screen) == f"{unread} · {saved}"
        await pilot.press("m", "s")
        assert header_state(screen) == read
        await settle(pilot)
        stored = screen.store.article(screen.article_view.article_id)
        assert stored.read and not stored.starred


async def test_header_follows_a_and_its_undo(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main(app)
        await pilot.pause(0.3)  # the pane shows the cursor's article without opening it
        assert header_state(screen) == "● Chưa đọc"
        await pilot.press("a", "y")
        assert header_state(screen) == "✓ Đã đọc"
        await pilot.press("U")
        assert header_state(screen) == "● Chưa đọc"


def test_browser_available_where_one_can_open() -> None:
    assert not browser_available({}, "linux")  # SSH, a console: no desktop
    assert not browser_available({"TERM": "xterm"}, "linux")
    assert browser_available({"BROWSER": "firefox"}, "linux")
    assert browser_available({}, "darwin")
    assert browser_available({}, "win32")


async def test_o_without_a_browser_says_so_and_y_copies(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    app = make_app(tmp_path)
    opened, copied = record_opened(app), record_copied(app)
    async with app.run_test(size=NARROW) as pilot:
        screen = main(app)
        messages = said(app)
        await pilot.press("enter", "o")
        assert opened == []
        assert messages[-1] == ("Không có trình duyệt nào mở được ở đây (SSH, BROWSER chưa đặt)"
                                " · y để chép liên kết")
        await pilot.press("y")
        assert copied == [screen.store.article(screen.article_view.article_id).link]


async def test_o_with_a_browser_opens_the_link(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER", "true")
    app = make_app(tmp_path, lang="en")
    opened = record_opened(app)
    async with app.run_test(size=NARROW) as pilot:
        screen = main(app)
        messages = said(app)
        await pilot.press("o")
        assert opened == [screen.store.article(screen.articles.ids[0]).link]
        assert messages[-1] == "Opening the browser"


@pytest.mark.parametrize("lang,results,saved", [
    ("vi", "Không có bài nào khớp “xyzzy”. Esc để quay lại.",
     "Chưa lưu bài nào. Nhấn s để lưu."),
    ("en", "No article matches “xyzzy”. Esc goes back.",
     "Nothing saved yet. Press s to save."),
])
async def test_an_empty_list_says_why(tmp_path: Path, lang: str, results: str,
                                      saved: str) -> None:
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=NARROW) as pilot:
        screen = main(app)
        await pilot.press("slash", *"xyzzy", "enter")
        assert screen.articles.ids == []
        assert screen.articles.render_line(0).text.strip() == results
        await pilot.press("escape", "3")  # Đã lưu: nothing saved yet
        assert screen.articles.ids == []
        assert screen.articles.render_line(0).text.strip() == saved


@pytest.mark.parametrize("lang,said_it", [("vi", "Tệp bộ nhớ đệm hỏng đã được chuyển sang "),
                                          ("en", "The broken cache file was moved to ")])
async def test_a_cache_moved_aside_is_said_in_the_ui_language(tmp_path: Path, lang: str,
                                                              said_it: str) -> None:
    import os

    from ui_fixtures import NOW, ui_config

    from tui_news.ui.app import TuiNewsApp

    db = tmp_path / "cache.sqlite"
    db.write_bytes(os.urandom(8192))  # not a database: moved aside, a new cache started
    app = TuiNewsApp(ui_config(tmp_path), db, offline=True, lang=lang, now=NOW)
    messages = said(app)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        moved = [m for m in messages if m.startswith(said_it)]
        assert len(moved) == 1 and str(tmp_path) in moved[0]
        assert not any("could not be read" in m for m in messages)  # the store's English
