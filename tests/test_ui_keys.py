"""Every key of PRODUCT.md's table, pressed in the real reader on a real SQLite cache."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from ui_fixtures import (
    SEED_CATEGORY,
    SEED_TITLE,
    make_app,
    record_copied,
    record_opened,
    seed_id,
    settle,
)

from tui_news.models import ArticleQuery
from tui_news.store import Store
from tui_news.ui.screens.help import HelpScreen
from tui_news.ui.screens.main import MainScreen

SIZE = (140, 40)
REST = 0.3  # longer than the pane's rest delay


def main(app) -> MainScreen:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def stored(db: Path, article_id: int):  # type: ignore[no-untyped-def]
    store = Store.open(db)
    try:
        return store.article(article_id)
    finally:
        store.close()


def pane_text(screen: MainScreen) -> str:
    from textual.widgets import Static

    return "\n".join(str(s.render()) for s in screen.article_view.query(Static))


async def test_j_k_and_arrows_move_the_cursor_and_the_pane_follows(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        ids = screen.articles.ids
        assert screen.articles.current_id == ids[0]
        await pilot.press("j")
        assert screen.articles.current_id == ids[1]
        await pilot.press("down", "down")
        assert screen.articles.current_id == ids[3]
        await pilot.press("k", "up")
        assert screen.articles.current_id == ids[1]
        await pilot.pause(REST)
        assert screen.article_view.article_id == ids[1]
        # Resting on an article shows it; only opening marks it read.
        assert not stored(app.db_path, ids[1]).read


async def test_enter_opens_and_marks_read_at_once(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        first = screen.articles.ids[0]
        before = screen.categories.entries[1].count
        await pilot.press("enter")
        assert screen.article_view.article_id == first
        await settle(pilot)
        assert stored(app.db_path, first).read
        assert screen.categories.entries[1].count == before - 1


async def test_tab_and_shift_tab_move_focus(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        assert screen.focused is screen.articles
        await pilot.press("tab")
        assert screen.focused is screen.article_view
        await pilot.press("shift+tab", "shift+tab")
        assert screen.focused is screen.categories
        # j/k move the focused list: here the sidebar.
        await pilot.press("j")
        assert screen.categories.cursor == 1
        await pilot.press("enter")
        assert screen.focused is screen.articles


async def test_number_keys_jump_to_sidebar_entries(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        total = len(screen.articles.ids)
        await pilot.press("7")  # Tất cả, Chưa đọc, Đã lưu, Thời sự, Thế giới, Kinh tế, Nội chính…
        assert screen.categories.current.name == SEED_CATEGORY
        assert SEED_CATEGORY in str(screen.list_frame.border_title)
        titles = [a.title for a in screen.store.articles(screen.articles.ids)]
        assert SEED_TITLE in titles and len(titles) < total
        await pilot.press("3")
        assert screen.articles.ids == []  # nothing saved yet
        await pilot.press("1")
        assert len(screen.articles.ids) == total


async def test_space_b_and_page_keys_scroll_the_article(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 16)) as pilot:
        screen = main(app)
        await pilot.pause(REST)
        screen.show_article(seed_id(app.db_path), mark_read=False)
        await pilot.pause()
        view = screen.article_view
        assert view.max_scroll_y > 0
        await pilot.press("space")
        after_space = view.scroll_y
        assert after_space > 0
        await pilot.press("b")
        assert view.scroll_y < after_space
        # PgDn/PgUp move the focused pane: the article once it has the focus.
        await pilot.press("b", "tab")
        assert screen.focused is view
        await pilot.press("pagedown")
        assert view.scroll_y > 0
        await pilot.press("pageup")
        assert view.scroll_y == 0


async def test_n_and_shift_n_open_next_and_previous_unread(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        ids = screen.articles.ids
        await pilot.press("enter")  # read the first
        await pilot.press("j", "j", "enter")  # and the third
        await pilot.press("k", "k")
        await pilot.press("n")
        assert screen.articles.current_id == ids[1]
        await settle(pilot)
        assert stored(app.db_path, ids[1]).read
        await pilot.press("n")  # skips the read third
        assert screen.articles.current_id == ids[3]
        await pilot.press("j", "j")
        await pilot.press("N")
        assert screen.articles.current_id == ids[4]
        await pilot.press("N")  # skips back over the read ones
        await settle(pilot)
        assert screen.articles.current_id == ids[3] or stored(app.db_path, ids[4]).read


async def test_m_toggles_read(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        first = screen.articles.ids[0]
        await pilot.press("m")
        await settle(pilot)
        assert stored(app.db_path, first).read
        await pilot.press("m")
        await settle(pilot)
        assert not stored(app.db_path, first).read


async def test_a_marks_the_view_read(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("4")  # Thời sự
        await pilot.press("a", "y")  # asked first (test_ui_navigation.py has the details)
        await settle(pilot)
        store = screen.store
        assert store.count(ArticleQuery(category="Thời sự", unread_only=True)) == 0
        assert screen.categories.current.count == 0
        assert store.count(ArticleQuery(unread_only=True)) > 0  # other categories untouched


async def test_s_stars_and_saved_count_follows(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        first = screen.articles.ids[0]
        await pilot.press("s")
        await settle(pilot)
        assert stored(app.db_path, first).starred
        assert screen.categories.entries[2].count == 1
        await pilot.press("3")
        assert screen.articles.ids == [first]
        await pilot.press("s")
        await settle(pilot)
        assert not stored(app.db_path, first).starred


async def test_u_shows_unread_only(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        first = screen.articles.ids[0]
        total = len(screen.articles.ids)
        await pilot.press("enter", "u")
        assert first not in screen.articles.ids
        assert len(screen.articles.ids) == total - 1
        await pilot.press("u")
        assert len(screen.articles.ids) == total


async def test_slash_searches_without_diacritics_and_escape_restores(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("j", "j")
        before_ids, before_cursor = list(screen.articles.ids), screen.articles.current_id
        await pilot.press("slash")
        assert isinstance(screen.focused, Input)
        await pilot.press(*"son tay")
        await pilot.pause(0.4)
        titles = [a.title for a in screen.store.articles(screen.articles.ids)]
        assert SEED_TITLE in titles
        assert len(titles) < len(before_ids)
        assert screen.articles.search == "son tay"
        # Matched words are highlighted in the titles (the match style underlines).
        row = screen.articles.ids.index(seed_id(app.db_path))
        screen.articles.move_cursor(row)
        y = row * 2 - screen.articles.top
        marked = "".join(seg.text for seg in screen.articles.render_line(y)
                         if seg.style is not None and seg.style.underline)
        assert marked == "SơnTây"
        await pilot.press("escape")
        await pilot.pause(0.4)  # past the typing pause: nothing may reset the list later
        assert screen.articles.ids == before_ids
        assert screen.articles.current_id == before_cursor
        assert not screen.query_one("#search", Input).display


async def test_question_mark_lists_every_key(tmp_path: Path) -> None:
    app = make_app(tmp_path, keys={"refresh": "ctrl+r"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = dict((action, key) for key, action in app.screen._rows)
        assert rows["Làm mới"] == "^r"
        for action in ("Mục sau", "Tìm", "Toàn văn", "Chép liên kết", "Thoát", "Lưu",
                       "Chuyên mục thứ N"):
            assert action in rows
        assert rows["Chuyên mục thứ N"] == "1…9"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_q_quits(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_keys_remapped_from_config(tmp_path: Path) -> None:
    app = make_app(tmp_path, keys={"star": "x", "refresh": "ctrl+r"})
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        first = screen.articles.ids[0]
        await pilot.press("s")
        await settle(pilot)
        assert not stored(app.db_path, first).starred
        await pilot.press("x")
        await settle(pilot)
        assert stored(app.db_path, first).starred
        footer = str(screen.query_one("#keys").render())
        assert "x Lưu" in footer and "^r Làm mới" in footer


async def test_o_opens_only_web_links(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BROWSER", "true")  # a browser can open (test_ui_reading: where none can)
    app = make_app(tmp_path)
    opened = record_opened(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("o")
        assert opened == [screen.store.article(screen.articles.ids[0]).link]
        # A javascript: link that reached the cache is never handed to the browser.
        screen.store.ingest("https://hanoimoi.vn/rss/xa-hoi", [_entry("javascript:alert(1)")])
        screen.load_view()
        target = next(i for i in screen.articles.ids
                      if screen.store.article(i).link == "javascript:alert(1)")
        screen.articles.move_cursor(screen.articles.ids.index(target))
        await pilot.press("o")
        assert len(opened) == 1


async def test_y_copies_the_link(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    copied = record_copied(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("y")
        assert copied == [screen.store.article(screen.articles.ids[0]).link]


async def test_r_and_shift_r_offline_say_offline_and_touch_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("r", "R")
        await pilot.pause()
        assert not [w for w in app.workers if w.group == "feeds"]
        assert "Ngoại tuyến" in str(screen.query_one("#state").render())


def _entry(link: str):  # type: ignore[no-untyped-def]
    from ui_fixtures import NOW

    from tui_news.models import ParsedEntry

    return ParsedEntry(key=link, title="Bài có liên kết lạ", link=link, summary="",
                       published=NOW)


async def test_escape_steps_back_one_level_at_a_time(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main(app)
        everything = list(screen.articles.ids)
        await pilot.press("slash")
        await pilot.press(*"son tay", "enter")
        results = list(screen.articles.ids)
        assert 0 < len(results) < len(everything)
        await pilot.press("enter")  # the narrow reading view covers the results
        assert screen.has_class("-reading")
        await pilot.press("escape")  # article → results
        assert not screen.has_class("-reading")
        assert screen.search_text == "son tay" and screen.articles.ids == results
        assert screen.focused is screen.articles
        await pilot.press("escape")  # results → the list as it was
        assert screen.search_text is None and screen.articles.ids == everything
        assert screen.view_entry.name == "Tất cả"


async def test_in_the_search_box_j_k_are_typed_and_the_down_up_keys_move_the_list(
        tmp_path: Path) -> None:
    """j/k and the arrows act at once, before the key goes through the panes (keys.py); in the
    search box j and k are letters, and the down/up keys (as remapped) still move the results."""
    app = make_app(tmp_path, keys={"down": "j,down,ctrl+n"})
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        ids = screen.articles.ids
        await pilot.press("ctrl+n", "j")
        assert screen.articles.current_id == ids[2]
        await pilot.press("slash", "j", "k")
        box = screen.query_one("#search", Input)
        assert screen.focused is box and box.value == "jk"
        assert screen.articles.current_id == ids[2]  # the letters moved nothing
        await pilot.press("backspace", "backspace", *"ha noi")
        await pilot.pause(0.4)
        results = list(screen.articles.ids)
        assert len(results) >= 3 and screen.articles.current_id == results[0]
        await pilot.press("down", "ctrl+n")
        assert screen.articles.current_id == results[2]
        await pilot.press("up")
        assert screen.articles.current_id == results[1]
        assert screen.focused is box and box.value == "ha noi"
