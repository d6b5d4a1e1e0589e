"""The reader's writes: read/starred marks and settings, written on a thread of their own.

The reader never writes the cache on its UI thread: a write can wait seconds for the lock (a
`tui-news compact` of a large cache holds it for 15 s) or fail (read-only file, full disk, the
data dir deleted). `MarkQueue` takes each mark at once, keeps it as *pending* until it is in the
cache, and writes everything pending in one short transaction on its own connection. A write
that fails is kept and tried again every `retry_every` seconds; nothing pending is dropped, and
a mark is never written to any file but the one the reader opened (ids mean nothing elsewhere).

No Textual here: the UI passes `on_change`, called on the queue's thread after every attempt
with a `MarkStatus` (hand it to the UI thread yourself; never block in it).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from tui_news.models import Article
from tui_news.store import CacheMovedAside, Store, StoreError

__all__ = ["MarkQueue", "MarkStatus"]

_A = TypeVar("_A", bound=Article)


@dataclass(frozen=True)
class MarkStatus:
    """Where the queue stands after an attempt."""

    pending: int  # marks (article × read/starred) and settings not in the cache yet
    error: str | None = None  # the last attempt's fault, one clean line (English); None: fine
    kind: str | None = None  # StoreError.kind of that fault, for a message in the UI language
    written: int = 0  # marks written so far (grows: the UI reloads its counts when it does)


class MarkQueue:
    """Marks for one cache file, written off the caller's thread.

    `identity` is `Store.identity` of the caller's own connection: the queue writes only to
    that file (a deleted or replaced cache is reported as kind "gone", its marks kept).
    """

    def __init__(
        self,
        path: Path,
        *,
        identity: tuple[int, int] | None = None,
        on_change: Callable[[MarkStatus], None] | None = None,
        busy_timeout: float = 2.0,
        retry_every: float = 1.0,
    ) -> None:
        self.path = Path(path)
        self._identity = identity
        self._on_change = on_change
        self._busy_timeout = busy_timeout
        self._retry_every = retry_every
        self._cond = threading.Condition()
        self._generation = 0
        # (article id, "read" | "starred") -> (value, generation); settings key -> (value, gen)
        self._marks: dict[tuple[int, str], tuple[bool, int]] = {}
        self._settings: dict[str, tuple[str, int]] = {}
        self._status = MarkStatus(0)
        self._closing = False
        self._store: Store | None = None
        self._thread = threading.Thread(target=self._run, name="mark-queue", daemon=True)
        self._thread.start()

    # --- the caller's side (any thread; never blocks on the cache) ---------------------------
    def set_read(self, ids: Iterable[int], read: bool = True) -> None:
        """Mark articles read (or unread)."""
        self._put("read", ids, read)

    def set_starred(self, ids: Iterable[int], starred: bool = True) -> None:
        """Star (or unstar) articles."""
        self._put("starred", ids, starred)

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting (the reader's theme)."""
        with self._cond:
            self._generation += 1
            self._settings[key] = (value, self._generation)
            self._cond.notify_all()

    def _put(self, field: str, ids: Iterable[int], value: bool) -> None:
        with self._cond:
            self._generation += 1
            gen = self._generation
            for article_id in ids:
                self._marks[(int(article_id), field)] = (bool(value), gen)
            self._cond.notify_all()

    def is_pending(self, article_id: int) -> bool:
        """True while a mark of this article is not in the cache yet."""
        marks = self._marks  # dict lookups are atomic; no lock for a key press
        return (article_id, "read") in marks or (article_id, "starred") in marks

    def pending_read(self, ids: Iterable[int]) -> dict[int, bool]:
        """The read marks among `ids` not in the cache yet (id -> read)."""
        marks = self._marks
        return {i: mark[0] for i in ids if (mark := marks.get((i, "read"))) is not None}

    def overlay(self, articles: Sequence[_A]) -> list[_A]:
        """`articles` (as read from the cache) with the pending marks applied."""
        marks = self._marks
        if not marks:
            return list(articles)
        out = []
        for article in articles:
            read = marks.get((article.id, "read"))
            starred = marks.get((article.id, "starred"))
            if read is not None:
                article = replace(article, read=read[0])
            if starred is not None:
                article = replace(article, starred=starred[0])
            out.append(article)
        return out

    @property
    def status(self) -> MarkStatus:
        """The latest status (the one last given to `on_change`)."""
        return self._status

    def flush(self, timeout: float) -> bool:
        """Wait until nothing is pending (True) or `timeout` seconds have passed (False)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._marks and not self._settings, timeout)

    def close(self, timeout: float | None = None) -> MarkStatus:
        """Try once more to write what is pending, stop the thread, close the connection.

        Waits at most `timeout` seconds (default: two busy timeouts and a second); returns
        what is left (`pending` 0 when everything is in the cache).
        """
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(2 * self._busy_timeout + 1 if timeout is None else timeout)
        with self._cond:
            left = len(self._marks) + len(self._settings)
        status = self._status
        return status if status.pending == left else replace(status, pending=left)

    # --- the queue's thread ------------------------------------------------------------------
    def _run(self) -> None:
        failed = False
        try:
            while True:
                with self._cond:
                    if failed and not self._closing:
                        self._cond.wait(self._retry_every)  # new marks or close() wake it early
                    while not self._marks and not self._settings and not self._closing:
                        self._cond.wait()
                    closing = self._closing
                    marks = dict(self._marks)
                    settings = dict(self._settings)
                if marks or settings:
                    failed = not self._attempt(marks, settings)
                if closing:
                    return
        finally:
            if self._store is not None:
                self._store.close()
                self._store = None

    def _attempt(
        self, marks: dict[tuple[int, str], tuple[bool, int]], settings: dict[str, tuple[str, int]]
    ) -> bool:
        try:
            store = self._open()
            groups: dict[tuple[str, bool], list[int]] = {}
            for (article_id, field), (value, _) in marks.items():
                groups.setdefault((field, value), []).append(article_id)
            with store.batch():
                for (field, value), ids in groups.items():
                    if field == "read":
                        store.set_read(ids, value)
                    else:
                        store.set_starred(ids, value)
                for name, (text, _) in settings.items():
                    store.set_setting(name, text)
            # Committed to the file we have open: is it still the cache? (A deleted data dir
            # takes every later write with it when the connection closes.)
            store.check_there()
        except StoreError as exc:
            if exc.kind not in ("locked", "gone"):
                # A fresh connection for the next try: one opened while the file was read-only
                # stays read-only. (A deleted cache's connection is kept: while it is open the
                # file's inode cannot be given to a new file at the same path, which would
                # look like ours.)
                self._drop_store()
            self._report(str(exc), exc.kind)
            return False
        except Exception as exc:  # never let the thread die with marks in it
            self._drop_store()
            self._report(str(exc) or type(exc).__name__, "other")
            return False
        with self._cond:
            for mark, entry in marks.items():
                if self._marks.get(mark) == entry:  # not changed again meanwhile
                    del self._marks[mark]
            for name, setting in settings.items():
                if self._settings.get(name) == setting:
                    del self._settings[name]
            self._cond.notify_all()
        self._report(None, None, written=len(marks))
        return True

    def _open(self) -> Store:
        if self._store is not None:
            self._store.check_there()
            return self._store
        gone = StoreError(
            f"the cache {self.path} was deleted or replaced while in use; restart tui-news", "gone"
        )
        # Never open (and so create) a cache where ours was: its ids are other articles.
        if not self.path.is_file():
            raise gone
        try:
            store = Store.open(self.path, busy_timeout=self._busy_timeout)
        except CacheMovedAside as moved:
            moved.store.close()
            raise gone from None
        if self._identity is not None and store.identity != self._identity:
            store.close()
            raise gone
        self._store = store
        return store

    def _drop_store(self) -> None:
        if self._store is not None:
            with contextlib.suppress(Exception):
                self._store.close()
            self._store = None

    def _report(self, error: str | None, kind: str | None, *, written: int = 0) -> None:
        with self._cond:
            pending = len(self._marks) + len(self._settings)
        old = self._status
        self._status = MarkStatus(pending, error, kind, old.written + written)
        if self._on_change is not None:
            with contextlib.suppress(Exception):
                self._on_change(self._status)
