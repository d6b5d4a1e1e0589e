"""The reader's write queue (mark_queue.py) against real faults: a lock held by another process,
a read-only file system, a full disk, the data dir deleted. Nothing pending is ever dropped, and
nothing is written anywhere but the cache the reader opened.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from safety_helpers import (
    bind_read_only,
    fill_disk,
    lock_held,
    mount_tmpfs,
    umount,
    wait_for,
)
from ui_fixtures import build_cache

from tui_news.mark_queue import MarkQueue, MarkStatus
from tui_news.models import ArticleQuery
from tui_news.store import Store


def ids_of(db: Path) -> list[int]:
    with Store.open(db) as store:
        return store.ids(ArticleQuery())


def state(db: Path, article_id: int) -> tuple[bool, bool]:
    with Store.open(db) as store:
        article = store.article(article_id)
        assert article is not None
        return article.read, article.starred


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_cache(tmp_path / "data" / "cache.sqlite")


def queue_for(db: Path, seen: list[MarkStatus] | None = None) -> MarkQueue:
    with Store.open(db) as store:
        identity = store.identity
    return MarkQueue(
        db,
        identity=identity,
        busy_timeout=0.2,
        retry_every=0.1,
        on_change=None if seen is None else seen.append,
    )


def test_marks_are_written_and_the_last_one_wins(db: Path) -> None:
    ids = ids_of(db)
    queue = queue_for(db)
    try:
        queue.set_read(ids[:3])
        queue.set_starred([ids[0]])
        queue.set_read([ids[2]], False)  # changed again before or after the first write
        queue.set_setting("theme", "nord")
        assert queue.flush(10)
        assert [state(db, i) for i in ids[:4]] == [
            (True, True),
            (True, False),
            (False, False),
            (False, False),
        ]
        with Store.open(db) as store:
            assert store.setting("theme") == "nord"
        assert queue.status == MarkStatus(0, None, None, queue.status.written)
        assert queue.status.written >= 3
    finally:
        assert queue.close().pending == 0


def test_a_lock_held_by_another_process_keeps_the_mark_pending(db: Path) -> None:
    ids = ids_of(db)
    seen: list[MarkStatus] = []
    with lock_held(db) as release:
        queue = queue_for(db, seen)
        queue.set_read([ids[0]])  # returns while the other process still holds the lock
        queue.set_starred([ids[1]])
        assert wait_for(lambda: queue.status.kind == "locked", 10)
        assert queue.status.pending == 2 and "locked" in (queue.status.error or "")
        assert queue.is_pending(ids[0]) and queue.is_pending(ids[1])
        assert not queue.is_pending(ids[2])
        with Store.open(db) as store:
            shown = queue.overlay(store.articles(ids[:2]))
        assert shown[0].read and shown[1].starred  # the screen shows the marks
        release()
        assert queue.flush(10)  # the cause went away: written, nothing lost
    assert state(db, ids[0]) == (True, False) and state(db, ids[1]) == (False, True)
    assert seen[-1].error is None and seen[-1].pending == 0
    assert queue.close().pending == 0


def test_close_tries_once_more_and_says_what_is_left(db: Path) -> None:
    ids = ids_of(db)
    with lock_held(db):
        queue = queue_for(db)
        queue.set_read(ids[:5])
        assert wait_for(lambda: queue.status.kind == "locked", 10)
        left = queue.close()
        assert left.pending == 5 and left.kind == "locked"
    assert [state(db, i)[0] for i in ids[:5]] == [False] * 5


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "mnt"
    if not mount_tmpfs(target, "size=2m,mode=0755"):
        pytest.skip(
            "needs root and mount(8) for a tmpfs: a read-only or full file system is "
            "the only way to make root's writes fail"
        )
    try:
        yield target
    finally:
        umount(target)


def test_a_read_only_cache_file_then_writable_again(db: Path) -> None:
    """A cache file root cannot write: a read-only bind mount over the file (root ignores
    permission bits). Unmounted again, the pending marks go in."""
    ids = ids_of(db)
    if not bind_read_only(db):
        pytest.skip(
            "needs root and mount(8): a read-only bind mount is the only way to make "
            "a file refuse root's writes"
        )
    queue = queue_for(db)
    try:
        queue.set_read([ids[1]])
        queue.set_starred([ids[1]])
        assert wait_for(lambda: queue.status.error is not None, 10)
        assert queue.status.kind == "readonly", queue.status
        assert queue.status.pending == 2 and queue.is_pending(ids[1])
        assert state(db, ids[1]) == (False, False)
        umount(db)
        assert queue.flush(10)
        assert state(db, ids[1]) == (True, True)
    finally:
        umount(db)
        queue.close()


def test_a_full_disk_then_room_again(mounted: Path) -> None:
    db = build_cache(mounted / "cache.sqlite")
    ids = ids_of(db)
    queue = queue_for(db)
    filler = None
    try:
        filler = fill_disk(mounted)
        queue.set_read(ids)  # every article: more pages than the full disk has room for
        assert wait_for(lambda: queue.status.error is not None, 10)
        assert queue.status.kind == "full", queue.status
        assert queue.status.pending == len(ids)
        filler.unlink()
        assert queue.flush(10)
        assert all(state(db, i)[0] for i in ids)
        with Store.open(db) as store:
            assert store.integrity_ok()
    finally:
        if filler is not None:
            filler.unlink(missing_ok=True)
        queue.close()


def test_the_data_dir_deleted_under_the_reader(db: Path) -> None:
    ids = ids_of(db)
    queue = queue_for(db)
    queue.set_read([ids[0]])
    assert queue.flush(10)
    shutil.rmtree(db.parent)
    queue.set_read([ids[1]])
    assert wait_for(lambda: queue.status.kind == "gone", 10)
    assert queue.is_pending(ids[1]) and "deleted" in (queue.status.error or "")
    # A new cache at the same path (a refresh would make one) is another file: its ids are
    # other articles, and the queue never writes there.
    build_cache(db)
    queue.set_read([ids[2]])
    assert wait_for(lambda: queue.status.pending == 2 and queue.status.kind == "gone", 10)
    assert not state(db, ids[1])[0] and not state(db, ids[2])[0]
    left = queue.close()
    assert left.pending == 2 and left.kind == "gone"


def test_the_data_dir_moved_away_and_back(db: Path, tmp_path: Path) -> None:
    ids = ids_of(db)
    queue = queue_for(db)
    away = tmp_path / "away"
    db.parent.rename(away)
    queue.set_read([ids[0]])
    assert wait_for(lambda: queue.status.kind == "gone", 10)
    away.rename(db.parent)  # the same file again: the pending mark goes in
    assert queue.flush(10)
    assert state(db, ids[0])[0]
    assert queue.close().pending == 0
