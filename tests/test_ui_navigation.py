"""Moving through long lists by keyboard: g/G, Home/End, PgUp/PgDn, n/N across categories, `a`
with its question and its undo, and keys typed in one burst after `/`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input
from ui_fixtures import make_app, said, settle

from tui_news.models import ArticleQuery
from tui_news.ui.screens.confirm import ConfirmBar
from tui_news.ui.screens.main import MainScreen

SIZE = (80, 24)


def main(app) -> MainScreen:  # type: ignore[no-untyped-def]
    assert isinstance(app.screen, MainScreen)
    return app.screen


@pytest.mark.parametrize("first,last", [("g", "G"), ("home", "end")])
async def test_first_and_last_of_the_focused_list(tmp_path: Path, first: str, last: str) -> None:
    app = make_app(tmp_path, extra=40)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        ids = screen.articles.ids
        await pilot.press(last)
        assert screen.articles.current_id == ids[-1]
        top = screen.articles.top
        assert top > 0 and top + screen.articles.size.height >= len(ids) * 2  # shown
        await pilot.press(first)
        assert screen.articles.current_id == ids[0] and screen.articles.top == 0
        # In the sidebar the same keys walk the categories (and show each one's articles).
        await pilot.press("shift+tab")
        assert screen.focused is screen.categories
        await pilot.press(last)
        assert screen.entry == len(screen.categories.entries) - 1
        assert screen.view_entry.name == "Hà Nội"
        await pilot.press(first)
        assert screen.entry == 0


async def test_page_keys_move_the_list_by_a_screenful(tmp_path: Path) -> None:
    app = make_app(tmp_path, extra=40)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        ids = screen.articles.ids
        page = screen.articles.page_size
        assert 3 < page < 20  # 24 lines: a dozen articles of two lines
        await pilot.press("pagedown")
        assert screen.articles.current_id == ids[page]
        await pilot.press("pagedown", "pagedown")
        assert screen.articles.current_id == ids[3 * page]
        await pilot.press("pageup")
        assert screen.articles.current_id == ids[2 * page]
        assert screen.article_view.scroll_y == 0  # the list moved, not the article


async def test_the_wheel_and_the_scrollbar_move_the_list(tmp_path: Path) -> None:
    """The list scrolls itself (a plain widget): the wheel moves the view, not the cursor; a
    click in its scrollbar column jumps there, a drag follows the mouse, a click on a row still
    opens it, and the thumb is drawn where the view is."""
    app = make_app(tmp_path, extra=40)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        articles = screen.articles
        ids = articles.ids
        assert articles.top == 0 and articles.shows_bar
        height = articles.size.height
        region = articles.content_region

        def wheel(kind: type[events.MouseEvent], times: int = 1) -> None:
            # Posted to the app as the terminal driver posts it, over the list's middle.
            x, y = region.x + 5, region.y + height // 2
            for _ in range(times):
                app.post_message(kind(None, x, y, 0, 0, 0, False, False, False,
                                      screen_x=x, screen_y=y))

        def thumb_rows(track_row: int) -> list[int]:
            # Rows of the bar column whose cell differs from the bare track at `track_row`.
            def cell(y: int) -> object:
                return list(articles.render_line(y))[-1]
            track = cell(track_row)
            return [y for y in range(height) if cell(y) != track]

        wheel(events.MouseScrollDown, 3)
        await pilot.pause()
        step = articles.top // 3
        assert step >= 1 and articles.top == 3 * step
        assert articles.current_id == ids[0]  # the cursor stays where it was
        wheel(events.MouseScrollUp)
        await pilot.pause()
        assert articles.top == 2 * step
        wheel(events.MouseScrollUp, 10)  # not above the first line
        await pilot.pause()
        assert articles.top == 0
        assert thumb_rows(height - 1)[:1] == [0]

        # Press in the scrollbar's column at its bottom: the view goes to the end.
        bar_x = region.x - articles.region.x + articles.text_width
        top_y = region.y - articles.region.y
        await pilot.mouse_down(articles, offset=(bar_x, top_y + height - 1))
        assert articles.top == articles.max_top > 0
        assert thumb_rows(0)[-1:] == [height - 1]
        # Dragging to the middle follows the mouse, even outside the column.
        await pilot.hover(articles, offset=(bar_x - 10, top_y + height // 2))
        middle = articles.top
        assert 0 < middle < articles.max_top
        assert abs(middle - articles.max_top // 2) <= articles.total_lines // height + 2
        await pilot.hover(articles, offset=(bar_x, top_y))
        assert articles.top == 0
        await pilot.mouse_up(articles, offset=(bar_x, top_y))
        await pilot.hover(articles, offset=(bar_x, top_y + height - 1))
        assert articles.top == 0  # released: moving no longer scrolls
        assert articles.current_id == ids[0]  # nor did the scrollbar select anything

        # A key brings the view back round the cursor the wheel moved it away from.
        wheel(events.MouseScrollDown, 20)
        await pilot.pause()
        assert articles.top > height
        await pilot.press("j")
        assert articles.current_id == ids[1]
        assert articles.top <= 2 < articles.top + height
        # After the wheel, a click on a row selects (and opens) that row's article.
        wheel(events.MouseScrollDown, 4)
        await pilot.pause()
        top = articles.top
        assert top > 0
        await pilot.click(articles, offset=(5, top_y + 2))
        assert articles.current_id == ids[(top + 2) // 2]


async def test_page_keys_scroll_the_article_when_it_has_the_focus(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 16)) as pilot:
        screen = main(app)
        await pilot.press("7", "j", "j", "enter", "tab")
        assert screen.focused is screen.article_view
        cursor = screen.articles.current_id
        await pilot.press("pagedown")
        assert screen.article_view.scroll_y > 0
        await pilot.press("G")
        assert screen.article_view.scroll_y == screen.article_view.max_scroll_y
        await pilot.press("g")
        assert screen.article_view.scroll_y == 0
        assert screen.articles.current_id == cursor


async def test_n_goes_on_to_the_next_category_with_unread(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        messages = said(app)
        await pilot.press("5")  # Thế giới: three articles
        world = list(screen.articles.ids)
        await pilot.press("n", "n")  # the next unread after the cursor, twice
        assert screen.articles.current_id == world[2]
        await pilot.press("n")  # the end of Thế giới: on to Kinh tế, its first unread
        assert screen.view_entry.name == "Kinh tế"
        assert screen.article_view.article_id == screen.articles.ids[0]
        assert messages[-1] == "Sang chuyên mục Kinh tế"
        await settle(pilot)
        await pilot.press("N")  # back into Thế giới, to the one article still unread there
        assert screen.view_entry.name == "Thế giới"
        assert screen.articles.current_id == world[0]
        assert screen.article_view.article_id == world[0]


async def test_n_wraps_round_a_view_of_the_sidebar_own(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        messages = said(app)
        ids = list(screen.articles.ids)
        await pilot.press("G", "n")  # the end of Tất cả: round to its first unread article
        assert screen.view_entry.name == "Tất cả"
        assert screen.articles.current_id == ids[0] == screen.article_view.article_id
        assert not messages


async def test_n_says_when_nothing_unread_is_left(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        messages = said(app)
        store = screen.store
        ids = store.ids(ArticleQuery())
        screen.marks.set_read(ids[1:], True)
        await settle(pilot)
        screen.reload_counts()
        screen.load_view()
        await pilot.press("n")  # the one left, first in the list
        assert screen.articles.current_id == ids[0]
        await pilot.press("4")  # Thời sự: nothing unread here or anywhere now
        before = screen.articles.current_id
        await pilot.press("n")
        assert messages[-1] == "Không còn bài chưa đọc"
        assert screen.view_entry.name == "Thời sự" and screen.articles.current_id == before


@pytest.mark.parametrize("answer", ["y", "enter"])
async def test_a_asks_then_marks_and_undo_brings_them_back(tmp_path: Path, answer: str) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        messages = said(app)
        store = screen.store
        await pilot.press("4")  # Thời sự
        unread = store.count(ArticleQuery(category="Thời sự", unread_only=True))
        await pilot.press("enter", "escape")  # one read already: not counted, not undone
        await settle(pilot)
        opened = screen.articles.current_id
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmBar)
        question = str(app.screen.query_one("#confirm-line").render())
        assert f"{unread - 1} bài" in question and "Thời sự" in question
        await pilot.press(answer)
        assert app.screen is screen
        await settle(pilot)
        assert store.count(ArticleQuery(category="Thời sự", unread_only=True)) == 0
        assert store.count(ArticleQuery(unread_only=True)) > 0  # other categories untouched
        assert messages[-1] == f"Đã đánh dấu {unread - 1} bài là đã đọc · U để hoàn tác"
        await pilot.press("U")
        await settle(pilot)
        assert store.count(ArticleQuery(category="Thời sự", unread_only=True)) == unread - 1
        assert store.article(opened).read  # read before `a`: stays read
        assert screen.categories.current.count == unread - 1
        await pilot.press("ctrl+z")  # once only
        assert messages[-1] == "Không có gì để hoàn tác"


@pytest.mark.parametrize("answer", ["n", "escape"])
async def test_a_cancelled_marks_nothing(tmp_path: Path, answer: str) -> None:
    app = make_app(tmp_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        before = screen.store.count(ArticleQuery(unread_only=True))
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmBar)
        assert "Mark 18 unread articles of “All” read?" in str(
            app.screen.query_one("#confirm-line").render())
        await pilot.press("j", "s")  # other keys do not answer the question, nor act below
        assert isinstance(app.screen, ConfirmBar)
        await pilot.press(answer)
        assert app.screen is screen
        await settle(pilot)
        assert screen.store.count(ArticleQuery(unread_only=True)) == before
        assert screen.store.count(ArticleQuery(starred_only=True)) == 0
        assert screen.articles.cursor == 0


async def test_ctrl_z_undoes_in_english_too(tmp_path: Path) -> None:
    app = make_app(tmp_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        messages = said(app)
        await pilot.press("a", "y")
        await settle(pilot)
        assert screen.store.count(ArticleQuery(unread_only=True)) == 0
        assert messages[-1] == "Marked 18 articles read · U to undo"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert screen.store.count(ArticleQuery(unread_only=True)) == 18
        assert messages[-1] == "Undone: 18 articles unread again"


async def test_keys_in_one_burst_after_slash_land_in_the_box(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        # As a terminal delivers fast typing: every key queued before the first is handled
        # (pilot.press waits after each key, which hid the bug).
        keys = [("slash", "/")] + [(c if c != " " else "space", c) for c in "son tay/"]
        for key, character in keys:
            app.post_message(events.Key(key, character))
        await pilot.pause(0.4)
        search = screen.query_one("#search", Input)
        assert search.value == "son tay/"  # a `/` typed in the box is text
        assert screen.focused is search
        assert screen.store.count(ArticleQuery(starred_only=True)) == 0  # `s` did not star


async def test_a_paste_right_after_slash_lands_in_the_box(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        app.post_message(events.Key("slash", "/"))
        app.post_message(events.Paste("hà nội\nsecond line"))
        await pilot.pause(0.4)
        assert screen.query_one("#search", Input).value == "hà nội"
        for _ in range(50):  # the search runs after a pause in typing; the machine may be slow
            if screen.search_text is not None:
                break
            await pilot.pause(0.1)
        assert screen.search_text == "hà nội"


async def test_a_in_search_results_marks_only_the_results(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("slash", *"ha noi", "enter")
        results = list(screen.articles.ids)
        await pilot.press("a")
        question = str(app.screen.query_one("#confirm-line").render())
        assert question.startswith(f"Đánh dấu đã đọc {len(results)} bài của “Kết quả: ha noi”?")
        await pilot.press("y")
        await settle(pilot)
        unread = set(screen.store.ids(ArticleQuery(unread_only=True)))
        assert not unread & set(results)
        assert len(unread) == 18 - len(results)


async def test_results_past_the_cap_say_the_list_holds_the_newest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search lists the newest SEARCH_CANDIDATES matches: the list's title says so when
    there were more, and says nothing when all are listed."""
    from tui_news import store as store_module
    from tui_news.ui.screens import main as main_module

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("slash", *"ha noi", "enter")
        await settle(pilot)
        every = len(screen.articles.ids)
        assert every > 2
        assert "mới nhất" not in str(screen.list_frame.border_title)
        monkeypatch.setattr(store_module, "SEARCH_CANDIDATES", 2)
        monkeypatch.setattr(main_module, "SEARCH_CANDIDATES", 2)
        await pilot.press("escape", "slash", *"ha noi", "enter")
        await settle(pilot)
        assert len(screen.articles.ids) == 2
        assert str(screen.list_frame.border_title).endswith("Kết quả: ha noi · 2 mới nhất")
