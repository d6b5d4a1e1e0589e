"""The real reader (under Pilot) on a cache it cannot write: a lock held by another real process,
a read-only cache file, the data dir deleted. It keeps running, says so on the status line in the
UI language, shows the marks as pending and writes them once the cause has gone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from safety_helpers import bind_read_only, lock_held, umount, wait_for
from textual.widgets import Static
from ui_fixtures import make_app, settle

from tui_news.mark_queue import MarkStatus
from tui_news.store import Store
from tui_news.ui.app import unsaved_message
from tui_news.ui.screens.main import MainScreen

SIZE = (140, 40)


def main(app) -> MainScreen:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def state_line(screen: MainScreen) -> str:
    return str(screen.query_one("#state", Static).render())


def stored(db: Path, article_id: int) -> tuple[bool, bool]:
    with Store.open(db) as store:
        article = store.article(article_id)
        assert article is not None
        return article.read, article.starred


def row_text(screen: MainScreen, row: int) -> str:
    line = screen.articles.render_line(row * 2 - screen.articles.top)
    return "".join(segment.text for segment in line)


async def wait_status(pilot, predicate) -> bool:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if predicate():
            return True
        await pilot.pause(0.05)
    return bool(predicate())


async def test_a_lock_held_by_another_process(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        ids = list(screen.articles.ids)
        with lock_held(app.db_path) as release:
            await pilot.press("enter", "j", "s", "j")  # read, star, and the cursor moves on
            assert screen.articles.cursor == 2  # no key waited for the lock
            assert await wait_status(pilot, lambda: "chưa lưu" in state_line(screen))
            assert "khóa" in state_line(screen)  # "locked", in Vietnamese
            assert row_text(screen, 0).startswith("◌") and row_text(screen, 1).startswith("◌")
            assert stored(app.db_path, ids[0]) == (False, False)
            assert screen.articles.article(ids[0]).read  # shown as read meanwhile
            release()
            await settle(pilot)
        assert stored(app.db_path, ids[0]) == (True, False)
        assert stored(app.db_path, ids[1]) == (False, True)
        assert await wait_status(pilot, lambda: "chưa lưu" not in state_line(screen))
        assert not row_text(screen, 0).startswith("◌")
        assert screen.categories.entries[2].count == 1  # Đã lưu, counted once written


async def test_a_read_only_cache_file(tmp_path: Path) -> None:
    app = make_app(tmp_path, lang="en")
    db = app.db_path
    if not bind_read_only(db):
        pytest.skip(
            "needs root and mount(8): a read-only bind mount is the only way to make "
            "a file refuse root's writes"
        )
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = main(app)
            first = screen.articles.ids[0]
            await pilot.press("m")
            assert await wait_status(pilot, lambda: "read-only" in state_line(screen))
            assert "not saved" in state_line(screen)
            assert app.is_running
            umount(db)  # writable again: the pending mark goes in
            await settle(pilot)
            assert stored(db, first)[0]
    finally:
        umount(db)


async def test_the_data_dir_deleted_while_the_reader_runs(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        shutil.rmtree(app.db_path.parent)
        await pilot.press("m")
        assert await wait_status(pilot, lambda: "đã bị xóa" in state_line(screen))
        assert app.is_running
        screen.start_refresh(None)  # would make a new cache where the old one was: refused
        assert not app.db_path.exists()
        await pilot.press("q")
        await pilot.pause()
    # Quitting tried once more and says what could not be saved.
    assert app.unsaved is not None and app.unsaved.pending == 1
    assert app.unsaved.kind == "gone"
    line = unsaved_message(app.unsaved, app.db_path, "vi")
    assert "1 đánh dấu" in line and str(app.db_path) in line and "\n" not in line


async def test_quitting_with_marks_pending_tries_once_more(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with lock_held(app.db_path) as release:
        async with app.run_test(size=SIZE) as pilot:
            screen = main(app)
            first = screen.articles.ids[0]
            await pilot.press("m")
            assert await wait_status(pilot, lambda: "chưa lưu" in state_line(screen))
            release()  # gone before the last try at quit
            await pilot.press("q")
    assert app.unsaved is None
    assert stored(app.db_path, first)[0]
    assert wait_for(lambda: app.marks is not None and app.marks.status.pending == 0, 1)
    assert isinstance(app.marks.status, MarkStatus)
