"""The refresh's store writes on a thread of their own, several feeds per transaction.

refresh.refresh_feeds hands every write to one StoreWriter; the event loop goes on fetching
while SQLite works (sqlite3 releases the GIL).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from tui_news.store import BatchLost, Store

__all__ = ["StoreWriter"]

_T = TypeVar("_T")
_Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]", int]


class StoreWriter:
    """The refresh's store writes, on a thread of their own, a few feeds per transaction.

    Ingest is SQLite work (about 0.05 ms an article); on the event loop it stalled every fetch
    meanwhile. sqlite3 releases the GIL while SQLite runs, so fetching goes on. Jobs queued while
    a transaction runs go into the next one together (each still all-or-nothing, as a
    savepoint): one commit for several feeds.
    While the writer runs, only its thread uses the store's connection.
    """

    # A transaction ends once it holds this many articles (or jobs): ~25 ms of writing, so the
    # reader's own writes (read marks) never wait long behind the refresh.
    BATCH_ARTICLES = 250
    BATCH_JOBS = 16
    # After HOLD seconds of transactions back to back, the lock stays free for PAUSE seconds:
    # long enough for a writer polling every millisecond (Store._begin) to get in.
    HOLD = 0.04
    PAUSE = 0.002
    # While more jobs are due, a transaction that is not full yet waits up to LINGER seconds for
    # them before it begins. A feed arrives every ~10 ms in a cold refresh and its ingest takes a
    # few: without the wait nearly every feed was a transaction of its own, and each commit
    # writes every page it touched (13 B-trees an article) to the WAL again: ingesting 10,000
    # articles 50 at a time cost ~1.0 CPU-s against ~0.6 at 250.
    LINGER = 0.02

    def __init__(self, store: Store, *, jobs: int | None = None) -> None:
        """`jobs`: how many calls the caller will make (None: unknown, and no transaction waits
        for more). Once that many have come, none waits: the last feed is stored at once."""
        self.store = store
        self._due = jobs
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._abandon = threading.Event()
        self._done = threading.Event()  # set when the thread has left the connection for good
        self._thread = threading.Thread(target=self._run, name="tui-news-store-writer",
                                        daemon=True)
        self._thread.start()

    async def call(self, fn: Callable[..., _T], /, *args: Any, articles: int = 0,
                   **kwargs: Any) -> _T:
        """Run `fn(*args, **kwargs)` on the writer thread; its result or its exception.

        `articles`: how many articles it writes (it bounds how many jobs share a transaction).
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[_T] = loop.create_future()
        self._queue.put((functools.partial(fn, *args, **kwargs), loop, future, articles))
        return await future

    def close(self, *, abandon: bool = False) -> None:
        """Stop the thread once the queued jobs are done; `abandon` drops those not started.

        Waits for the thread even through Ctrl-C (raised again afterwards): the caller goes on
        to use the store's connection, which two threads must never use at once.
        """
        if abandon:
            self._abandon.set()
        self._queue.put(None)
        interrupted: BaseException | None = None
        # An Event, not Thread.join(): in Python 3.11 a join cut short by KeyboardInterrupt
        # leaves the thread marked as stopped while it still runs (is_alive() is False).
        while not self._done.is_set():
            try:
                self._done.wait()
            except KeyboardInterrupt as exc:  # a second Ctrl-C, or SIGTERM in the reader's child
                interrupted = exc
        if interrupted is not None:
            raise interrupted

    def _run(self) -> None:
        try:
            with self.store.references_unchecked():  # ingest's rows reference what it just read
                self._serve()
        finally:
            self._done.set()

    def _serve(self) -> None:
        stop = False
        held = 0.0
        while not stop:
            job = self._queue.get()
            if job is None:
                return
            jobs = [job]
            articles = job[3]
            linger_until = time.monotonic() + self.LINGER
            while len(jobs) < self.BATCH_JOBS and articles < self.BATCH_ARTICLES:
                try:
                    if self._more_due(len(jobs)):
                        more = self._queue.get(timeout=max(0.0, linger_until - time.monotonic()))
                    else:
                        more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                jobs.append(more)
                articles += more[3]
            if self._due is not None:
                self._due -= len(jobs)
            if self._abandon.is_set():
                continue  # the refresh was cancelled: nobody waits for these
            started = time.monotonic()
            outcomes = self._transaction([fn for fn, _, _, _ in jobs])
            for (_, loop, future, _), (ok, value) in zip(jobs, outcomes, strict=True):
                with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits
                    loop.call_soon_threadsafe(_settle, future, ok, value)
            held += time.monotonic() - started
            if held >= self.HOLD and not stop and not self._queue.empty():
                # Leave the lock free a moment before the next transaction: a writer waiting for
                # it (the reader marking an article read polls every ms, see Store._begin) gets
                # in now rather than after the whole refresh.
                time.sleep(self.PAUSE)
                held = 0.0

    def _more_due(self, taken: int) -> bool:
        """True when jobs beyond the `taken` ones in hand are still due."""
        return self._due is not None and self._due > taken and not self._abandon.is_set()

    def _transaction(self, fns: list[Callable[[], Any]]) -> list[tuple[bool, Any]]:
        """Run `fns` in one transaction, each all-or-nothing: (True, result) or (False, error).

        When one fault rolls back the whole transaction (disk full …), every job runs again in
        a transaction of its own, so that each reports what happened to its own writes.
        """
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self.store.batch():
                for fn in fns:
                    try:
                        with self.store.atomic():  # a savepoint: the job's writes, or none
                            result = fn()
                    except BatchLost:
                        raise
                    except Exception as exc:  # that job's error, for its caller
                        outcomes.append((False, exc))
                    else:
                        outcomes.append((True, result))
        except BatchLost as exc:
            if len(fns) == 1:
                return [(False, exc)]
            return [self._transaction([fn])[0] for fn in fns]
        except Exception as exc:  # BEGIN or COMMIT failed: nothing of the batch was written
            return [(False, exc)] * len(fns)
        return outcomes


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
