"""MainWorkersMixin: the main screen's background work (feed refresh, weather, full text).

The refresh (feeds and weather) runs in a child process (refresh_process.py) awaited by an
async worker; the full text runs in a thread worker with its own Store (SQLite connections belong
to one thread) and comes back to the UI thread with `call_from_thread`.
"""

from __future__ import annotations

from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING

from textual import work

from tui_news.config import Config
from tui_news.i18n import label
from tui_news.models import FullText, RefreshSummary
from tui_news.ui.display import fulltext_reason, safe_line, store_reason

if TYPE_CHECKING:
    from textual.app import App

    from tui_news.mark_queue import MarkQueue
    from tui_news.store import Store
    from tui_news.ui.widgets.article_list import ArticleList
    from tui_news.ui.widgets.article_view import ArticleView
    from tui_news.ui.widgets.status_bar import StatusBar


PROGRESS_INTERVAL = 0.25  # seconds between two progress updates on screen


class MainWorkersMixin:
    """Mixed into MainScreen (not a screen of its own): refresh (worker group "feeds"), weather
    ("weather") and full text ("fulltext"), and what their results change on screen."""

    # Provided by MainScreen.
    config: Config
    db_path: Path
    lang: str
    offline: bool
    _refreshing: bool
    _network_down: bool
    store: Store
    marks: MarkQueue
    _progress_shown: float = 0.0  # monotonic time of the last progress shown
    _full_text_warned: str | None = None  # the prefetch's full-text error, once said
    if TYPE_CHECKING:
        app: App[None]

        @property
        def articles(self) -> ArticleList: ...
        @property
        def article_view(self) -> ArticleView: ...
        @property
        def status(self) -> StatusBar: ...

        def reload_counts(self) -> None: ...
        def refresh_feed_marks(self) -> None: ...
        def reload_weather(self) -> None: ...
        def load_view(self, keep: int | None = None, *, first_screen: bool = False) -> None: ...
        def show_article(self, article_id: int, *, mark_read: bool,
                         full: FullText | None = None) -> None: ...

    # --- refresh -----------------------------------------------------------------------------
    def _scheduled_refresh(self) -> None:
        # The weather has its own timer (config.weather_refresh_minutes).
        self.start_refresh(None, weather=False)

    def _scheduled_weather(self) -> None:
        if not self.offline and not self._refreshing:
            self.refresh_weather()

    def start_refresh(self, categories: set[str] | None, *, weather: bool = True) -> None:
        """Refresh in a child process; one at a time."""
        if self.offline:
            self.app.notify(label("offline", self.lang), severity="warning", markup=False)
            return
        if self._refreshing:
            return
        if self.store.gone():
            # A refresh would create a new cache where the deleted one was; the reader shows
            # the old one (its ids mean nothing in a new file). Say so instead.
            self.status.set_state(label("store_gone", self.lang), error=True)
            return
        self._refreshing = True
        self.status.set_state(label("refreshing", self.lang, done=0, total="…"))
        self.refresh_feeds(categories, weather)

    @work(exclusive=True, group="weather", exit_on_error=False, name="refresh_weather")
    async def refresh_weather(self) -> None:
        from tui_news.refresh_process import run_refresh_process

        try:
            # No categories: no feeds, only the weather (one request for every city).
            summary = await run_refresh_process(self.config, self.db_path, categories=set(),
                                                weather=True)
        except Exception:  # a weather fault keeps the last good values on screen
            return
        if summary.weather_error is None:
            self.reload_weather()

    @work(exclusive=True, group="feeds", exit_on_error=False, name="refresh_feeds")
    async def refresh_feeds(self, categories: set[str] | None, weather: bool = True) -> None:
        # A child process (niced), not a thread: fetching, parsing and ingest never hold the
        # reader's GIL or its event loop (PERFORMANCE.md: key p99 ≤ 50 ms during a refresh).
        from tui_news.refresh_process import run_refresh_process

        try:
            summary = await run_refresh_process(self.config, self.db_path,
                                                categories=categories, weather=weather,
                                                progress=self._refresh_progress)
        except Exception as exc:  # the pipeline's fault becomes a status line, never a crash
            self._refresh_failed(str(exc) or type(exc).__name__)
            return
        self._refresh_done(summary)

    def _refresh_progress(self, done: int, total: int) -> None:
        # At most PROGRESS_INTERVAL apart (and the last one): every update is a repaint, and
        # 200 feeds finish in a few seconds.
        now = monotonic()
        if done < total and now - self._progress_shown < PROGRESS_INTERVAL:
            return
        self._progress_shown = now
        self.status.set_progress(done, total)
        # The count padded to the total's digits: the line keeps its width from 1/200 to
        # 200/200, so it is repainted alone (a new width lays out and repaints the whole screen,
        # ~25 ms at 160x48, three times a refresh, a key press waiting behind it).
        count = f"{done:>{len(str(total))}}"
        self.status.set_state(label("refreshing", self.lang, done=count, total=total))

    def _refresh_failed(self, error: str) -> None:
        self._refreshing = False
        self._network_down = True
        self.status.set_progress(None)
        self._set_network_state()
        self.app.notify(label("refresh_failed", self.lang, error=safe_line(error)),
                        severity="error", markup=False)

    def _refresh_done(self, summary: RefreshSummary) -> None:
        self._refreshing = False
        self.status.set_progress(None)
        total, failed = len(summary.results), len(summary.failed)
        synced = summary.sync
        # Every feed failing is what a missing network looks like: say "offline", keep reading
        # (unless the feed server answered).
        self._network_down = (total > 0 and failed == total
                              and (synced is None or synced.error is not None))
        # With only the server's feeds, the sync's own note says it all (see _sync_note).
        message = "" if synced is not None and not total else label(
            "refresh_done", self.lang, ok=total - failed, total=total, new=summary.new,
            failed=failed)
        self._set_network_state(message)
        if summary.full_text_error and summary.full_text_error != self._full_text_warned:
            # [offline] prefetch without a loadable extractor: the summaries stay. Said once
            # (every later refresh would say the same), in the UI language, as the CLI does.
            self._full_text_warned = summary.full_text_error
            self.app.notify(summary.full_text_error, severity="warning", markup=False)
        self.refresh_feed_marks()
        self.reload_counts()
        keep = self.articles.current_id
        self.load_view(keep=keep)
        self.reload_weather()
        if self.config.new_articles_hook and summary.new:
            self.run_new_articles_hook(summary)

    @work(thread=True, group="hooks", exit_on_error=False, name="run_new_articles_hook")
    def run_new_articles_hook(self, summary: RefreshSummary) -> None:
        """[hooks] new_articles, off the UI thread; its failure is a notification."""
        from tui_news.hooks import run_new_articles_hook

        error = run_new_articles_hook(self.config, summary, self.lang)
        if error:
            self.app.call_from_thread(self.app.notify, error, severity="warning", markup=False)

    def _set_network_state(self, message: str = "") -> None:
        marks = self.marks.status
        if marks.error is not None and marks.pending:
            # Marks that could not be written come first: they are the user's work.
            self.status.set_state(label("marks_pending", self.lang, count=marks.pending,
                                        reason=store_reason(marks.kind, self.lang)), error=True)
        elif self.offline or self._network_down:
            self.status.set_state(label("offline", self.lang), offline=True)
        else:
            note, failed = self._sync_note()
            # The sync's note first: at 80 columns the state gets half the line.
            self.status.set_state(" · ".join(p for p in (note, message) if p), error=failed)

    def _sync_note(self) -> tuple[str, bool]:
        """With [sync]: when the last sync completed, or that the last one failed (and why)."""
        if self.config.sync is None:
            return "", False
        from tui_news.store import StoreError
        from tui_news.store_sync import sync_status

        try:
            status = sync_status(self.store)
        except StoreError:
            return "", False
        if status.error:
            return label("sync_failed", self.lang, error=safe_line(status.error)), True
        if status.last_ok is None:
            return label("sync_never", self.lang), False
        from datetime import UTC, datetime

        when = status.last_ok.astimezone(self.config.tz)
        today = datetime.now(UTC).astimezone(self.config.tz).date()
        shown = when.strftime("%H:%M" if when.date() == today else "%d/%m %H:%M")
        return label("sync_ok", self.lang, time=shown), False

    # --- full text ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="fulltext", exit_on_error=False,
          name="load_full_text")
    def load_full_text(self, article_id: int) -> None:
        try:
            from tui_news.fulltext import FullTextError, fetch_full_text
        except ImportError:
            self.app.call_from_thread(self._full_text_failed, article_id,
                                      label("fulltext_unavailable", self.lang))
            return
        try:
            full = fetch_full_text(self.config, self.db_path, article_id)
        except FullTextError as exc:
            self.app.call_from_thread(self._full_text_failed, article_id,
                                      fulltext_reason(exc.kind, exc.status, self.lang))
            return
        except Exception as exc:  # an extractor bug must not take the reader down
            reason = f"{fulltext_reason('other', None, self.lang)} ({type(exc).__name__})"
            self.app.call_from_thread(self._full_text_failed, article_id, reason)
            return
        self.app.call_from_thread(self._full_text_ready, article_id, full)

    def _full_text_ready(self, article_id: int, full: FullText) -> None:
        self.articles.forget()
        if self.article_view.article_id == article_id:
            self.show_article(article_id, mark_read=False, full=full)

    def _full_text_failed(self, article_id: int, error: str) -> None:
        if self.article_view.article_id == article_id:
            # The summary stays on screen; only the note says what went wrong.
            self.article_view.set_note(label("fulltext_error", self.lang, error=error),
                                       error=True)
