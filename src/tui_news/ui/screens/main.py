"""MainScreen: weather on top, categories, article list and article pane; owns the reader's state.

The screen holds the view (sidebar entry, unread-only, search) and the UI thread's Store, which
only reads; every mark goes to the MarkQueue (mark_queue.py), which writes on a thread of its own
and keeps a mark pending (shown as such) until it is in the cache. Widgets only draw what they are
given and post messages back. The refresh runs in a child process and the full text in a thread
worker; both open their own Store (SQLite connections belong to one thread).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from tui_news.config import Config
from tui_news.i18n import label
from tui_news.links import is_web_url
from tui_news.models import Article, ArticleQuery, FullText
from tui_news.store import SEARCH_CANDIDATES, StoreError
from tui_news.ui.browser import browser_available
from tui_news.ui.display import safe_line, shorten, store_reason
from tui_news.ui.keys import reader_bindings
from tui_news.ui.main_moves import MainMovesMixin
from tui_news.ui.main_sources import MainSourcesMixin
from tui_news.ui.main_workers import MainWorkersMixin
from tui_news.ui.screens.confirm import ConfirmBar
from tui_news.ui.widgets.article_list import ArticleList
from tui_news.ui.widgets.article_view import ArticleView
from tui_news.ui.widgets.category_list import CategoryList, Entry
from tui_news.ui.widgets.search_box import SearchBox
from tui_news.ui.widgets.status_bar import KeyBar, StatusBar
from tui_news.ui.widgets.weather_bar import WeatherBar

if TYPE_CHECKING:
    from tui_news.mark_queue import MarkQueue, MarkStatus
    from tui_news.store import Store

# The pane follows the cursor once it rests: drawing an article per key press would cost more than
# the 33 ms a key may take (PERFORMANCE.md "defer the article preview until the cursor rests").
REST_DELAY = 0.15
TYPED_IN_SEARCH = frozenset({"search", "cursor_down", "cursor_up"})  # see check_action
SEARCH_DELAY = 0.2  # wait for a pause in typing before querying
NARROW_WIDTH = 100  # below this the article pane covers the list instead of sitting beside it
FIRST_PAGE = 100  # articles listed for the first paint (more than any screen shows)
# Objects a young collection waits for (Python's default is 700). A frame that scrolls the list
# holds a few thousand objects while it is drawn, and Textual's scrollbar leaves ~600 in cycles:
# at 700 the collector ran ~5 times a key press, moved the frame's live objects on to the older
# generations and ran a full collection every ~25 presses (20-30 ms each). At 5,000: one young
# collection every ~5 presses, no full one in 200 (bench/RESULTS.md).
GC_YOUNG = 5000


class MainScreen(MainSourcesMixin, MainMovesMixin, MainWorkersMixin, Screen[None]):
    """The three-pane reader."""

    FIRST_PAINT_FALLBACK_S = 1.0  # the work behind the first paint, should no frame be seen

    BINDINGS = reader_bindings()

    # The view: which sidebar entry, unread only or not, which search. Setting one loads the
    # view at once (the watchers below), so keys typed right after `7` act on the new list.
    entry: var[int] = var(0, init=False)
    unread_only: var[bool] = var(False, init=False)
    search_text: var[str | None] = var(None, init=False)

    def __init__(self, store: Store, marks: MarkQueue, config: Config, db_path: Path, *,
                 lang: str, offline: bool, now: Callable[[], datetime]) -> None:
        super().__init__()
        self.store = store
        self.marks = marks
        self._marks_written = 0
        self.config = config
        self.db_path = db_path
        self.lang = lang
        self.offline = offline
        self.now = now
        self._before_search: int | None = None  # the article under the cursor before `/`
        self._undo: list[int] = []  # what the last `a` marked read (U / ctrl+z undoes it)
        self._rest_timer: Timer | None = None
        self._search_timer: Timer | None = None
        self._refreshing = False
        self._network_down = False
        self._painted = False  # set once this screen's first frame has gone to the driver
        self._gc_threshold: tuple[int, ...] | None = None  # the collector's, before ours
        self._expanded: set[str] = set()  # categories whose feeds the sidebar shows

    # --- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        lang = self.lang
        yield WeatherBar([c.name for c in self.config.cities], lang=lang, now=self.now,
                         tz=self.config.tz, id="weather")
        with Horizontal(id="panes"):
            yield CategoryList((label("all", lang), label("unread", lang), label("starred", lang)),
                               self.sidebar_categories(), id="categories")
            with Vertical(id="list-pane"):
                yield SearchBox(placeholder=label("search_placeholder", lang), id="search")
                # The list's border and title are this frame's: the list draws its own lines.
                with Vertical(id="list-frame"):
                    yield ArticleList(self._fetch, lang=lang, now=self.now, tz=self.config.tz,
                                      pending=self.marks.is_pending, id="articles")
            yield ArticleView(placeholder=label("no_article", lang), lang=lang, id="article")
        yield StatusBar(id="status")

    @property
    def categories(self) -> CategoryList:
        return self.query_one(CategoryList)

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def list_frame(self) -> Vertical:
        """The article list's frame: its border and title (what the list shows)."""
        return self.query_one("#list-frame", Vertical)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_mount(self) -> None:
        self.categories.border_title = label("categories", self.lang)
        self.article_view.border_title = label("article", self.lang)
        self.query_one("#search", Input).display = False
        self.status.set_progress(None)
        if self.config.searches:
            self.categories.set_entries(self.sidebar_entries(), 0)
        self.load_view(first_screen=True)
        self.update_key_bar()
        self._set_network_state()
        self.set_focus(self.articles)
        self._apply_width(self.size.width)
        # Everything that imports httpx (weather, refresh), the unread counts and every id of the
        # view wait until the first frame is on screen; the timer is a fallback only.
        # `call_after_refresh` is not enough: while this screen is being pushed its callbacks run
        # before the first frame is drawn. The layout-refresh signal is published once a layout's
        # frame went to the terminal (public API: no override of Textual's private compositor
        # refresh).
        self.screen_layout_refresh_signal.subscribe(self, self._laid_out)
        self.set_timer(self.FIRST_PAINT_FALLBACK_S, self._after_first_paint,
                       name="first-paint-fallback")

    def _laid_out(self, screen: Screen[object]) -> None:
        if not self._painted and screen is self and self.is_current:
            self._after_first_paint()

    def _after_first_paint(self) -> None:
        if self._painted:
            return
        self._painted = True
        # The counts (the tallies are cheap, but each saved search runs its query) and every id
        # of the view, now that the screen is up.
        self.reload_counts()
        self.load_view(keep=self.articles.current_id)
        self.reload_weather()
        if not self.offline:
            if self.config.refresh_on_start:
                self.start_refresh(None)
            else:  # `refresh_on_start = false`: the weather only, and only when it is due
                self._weather_if_due()
            self.set_interval(self.config.refresh_minutes * 60, self._scheduled_refresh,
                              name="refresh-timer")
            self.set_interval(self.config.weather_refresh_minutes * 60, self._scheduled_weather,
                              name="weather-timer")
        # Everything built so far (Textual's DOM, styles, caches) lives as long as the reader:
        # out of the collector's way, a full collection scans only what came later. Unfrozen, one
        # ran every ~0.5 s while keys were held, 18-45 ms each: the key-press latency tail.
        gc.collect()  # garbage is not frozen with the rest
        gc.freeze()
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(GC_YOUNG, *self._gc_threshold[1:])

    def on_unmount(self) -> None:
        gc.unfreeze()  # the reader is going away (or a test ends): all of it may be collected
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)

    def on_resize(self) -> None:
        self._apply_width(self.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "-narrow")
        if width >= NARROW_WIDTH:
            self.remove_class("-reading")

    def update_key_bar(self) -> None:
        """Footer keys from the live bindings (after any keymap), in the order of keys.py."""
        order = {b.id: n for n, b in enumerate(self.BINDINGS) if isinstance(b, Binding)}
        shown: dict[str, Binding] = {}
        for active in self.active_bindings.values():
            binding = active.binding
            if active.node is self and binding.show and binding.id and binding.id in order:
                shown.setdefault(binding.id, binding)
        bindings = sorted(shown.values(), key=lambda b: order[b.id])
        self.query_one(KeyBar).show_bindings(bindings, self.lang, self.app.get_key_display)

    # --- the view --------------------------------------------------------------------------
    @property
    def view_entry(self) -> Entry:
        """The sidebar entry whose articles the list shows."""
        return self.categories.entries[self.entry]

    def watch_entry(self, entry: int) -> None:
        self.categories.show_cursor(entry)
        self.load_view()
        self.entry_chosen(self.view_entry)

    def watch_unread_only(self) -> None:
        self.load_view(keep=self.articles.current_id)

    def watch_search_text(self) -> None:
        self.load_view(keep=self.articles.current_id if self.search_text is None else None)

    def current_query(self) -> ArticleQuery:
        query = self.view_entry.query
        if self.unread_only:
            query = replace(query, unread_only=True)
        if self.search_text:  # within a saved search: both
            query = replace(query, search=" ".join(filter(None, (query.search,
                                                                 self.search_text))))
        return query

    def load_view(self, keep: int | None = None, *, first_screen: bool = False) -> None:
        """Show the ids of the current view; the cursor stays on `keep` when still listed.

        `first_screen` loads one page only: every id of 100,000 articles takes ~50 ms, which
        the first paint should not wait for (PERFORMANCE.md: first paint ≤ 2× a minimal app).
        """
        query = self.current_query()
        first: list[Article] = []
        try:
            if first_screen:
                first = self.marks.overlay(self.store.page(query, 0, FIRST_PAGE))
                ids = [a.id for a in first]
            else:
                ids = self.store.ids(query)
        except StoreError as exc:
            self.store_failed(exc)
            return
        self.articles.show_ids(ids, keep=keep, search=self.search_text, articles=first,
                               empty=self._empty_text(query))
        title = [label("articles", self.lang), safe_line(self.view_entry.name)]
        if self.unread_only:
            title.append(label("unread_only", self.lang))
        if self.search_text:
            title.append(label("search_results", self.lang, query=safe_line(self.search_text)))
            if len(ids) >= SEARCH_CANDIDATES:  # more match: the list holds the newest only
                count = f"{SEARCH_CANDIDATES:,}".replace(",", "." if self.lang == "vi" else ",")
                title.append(label("search_newest", self.lang, count=count))
        # Content, not a str: a border title string is parsed as markup.
        self.list_frame.border_title = Content(" · ".join(title))

    def sidebar_categories(self) -> tuple[str, ...]:
        """The configured categories, then the [sync] server's groups not among them."""
        if self.config.sync is None:
            return self.config.categories
        try:
            served = self.store.server_categories()
        except StoreError:
            served = []
        return tuple(dict.fromkeys((*self.config.categories, *served)))

    def _empty_text(self, query: ArticleQuery) -> str:
        """What an empty list says: why it is empty and what to do."""
        if query.search:
            return label("no_results", self.lang, query=safe_line(query.search))
        if query.starred_only:
            return label("no_saved", self.lang)
        if query.unread_only:
            return label("no_unread", self.lang)
        return label("no_articles", self.lang)

    def reload_counts(self) -> None:
        try:
            self.load_counts()
        except StoreError as exc:
            self.store_failed(exc)

    def _fetch(self, ids: Sequence[int]) -> list[Article]:
        """The list's rows: as stored, with the marks not yet written applied."""
        try:
            return self.marks.overlay(self.store.articles(ids))
        except StoreError as exc:
            self.store_failed(exc)
            return []

    def store_failed(self, exc: StoreError) -> None:
        """A read of the cache failed: say so on the status line; the reader keeps running."""
        self.status.set_state(label("store_error", self.lang,
                                    reason=store_reason(exc.kind, self.lang)), error=True)

    def marks_changed(self, status: MarkStatus) -> None:
        """The mark queue's news (on the UI thread): a fault to show, or marks now stored."""
        if status.written != self._marks_written:
            self._marks_written = status.written
            self.reload_counts()
            self.articles.refresh()  # the pending sign goes
        if status.error is not None or not self._refreshing:
            self._set_network_state()

    def reload_weather(self) -> None:
        """Cached weather from the store; the weather service is imported after first paint."""
        from tui_news.weather import cached_weather

        observations = cached_weather(self.store, self.config.cities, now=self.now())
        self.query_one(WeatherBar).show_weather(observations)

    def _weather_if_due(self) -> None:
        from tui_news.weather import cached_weather, weather_due

        now = self.now()
        cached = cached_weather(self.store, self.config.cities, now=now)
        if weather_due(cached, self.config.weather_refresh_minutes, now):
            self._scheduled_weather()

    def target_article(self) -> Article | None:
        """The article keys act on: the open one when the pane has focus, else the cursor's."""
        article_id = self.articles.current_id
        if (self.focused is self.article_view or self.has_class("-reading")) \
                and self.article_view.article_id is not None:
            article_id = self.article_view.article_id
        if article_id is None:
            return None
        return self.articles.article(article_id)

    def show_article(self, article_id: int, *, mark_read: bool,
                     full: FullText | None = None) -> None:
        """Draw an article in the pane; opening it (`mark_read`) writes the read state at once."""
        try:
            found = self.marks.overlay(self.store.articles([article_id]))
            article = found[0] if found else None
            if article is not None and full is None and article.has_full_text:
                full = self.store.full_text(article_id)
        except StoreError as exc:
            self.store_failed(exc)
            return
        if article is None:
            return
        from tui_news.render import article_document  # not needed for the first paint

        parts = article_document(article, full, lang=self.lang, tz=self.config.tz)
        self.article_view.show(article_id, parts, read=article.read or mark_read,
                               starred=article.starred)
        if mark_read and not article.read:
            # Queued before anything else happens; written off the UI thread at once.
            self.marks.set_read([article_id], True)
            self.articles.set_state([article_id], read=True)

    def _set_read(self, ids: list[int], read: bool) -> None:
        """Queue read marks; the list and the open article's header follow at once."""
        self.marks.set_read(ids, read)
        self.articles.set_state(ids, read=read)
        if self.article_view.article_id in ids:
            self.article_view.set_state(read=read)

    # --- messages from the widgets -----------------------------------------------------------
    @on(ArticleList.Highlighted)
    def _cursor_moved(self, message: ArticleList.Highlighted) -> None:
        if self._rest_timer is not None:
            self._rest_timer.stop()
        article_id = message.article_id
        self._rest_timer = self.set_timer(
            REST_DELAY, lambda: self._cursor_rested(article_id), name="article-rest")

    def _cursor_rested(self, article_id: int) -> None:
        if self.articles.current_id == article_id and self.article_view.article_id != article_id:
            self.show_article(article_id, mark_read=False)

    @on(ArticleList.Selected)
    def _article_opened(self, message: ArticleList.Selected) -> None:
        if self._rest_timer is not None:
            self._rest_timer.stop()
        self.show_article(message.article_id, mark_read=True)
        if self.has_class("-narrow"):
            self.add_class("-reading")
            self.set_focus(self.article_view)

    @on(CategoryList.Changed)
    def _category_changed(self, message: CategoryList.Changed) -> None:
        self.entry = message.index  # a click; keys set `entry` themselves

    @on(CategoryList.Selected)
    def _category_selected(self, message: CategoryList.Selected) -> None:
        self.set_focus(self.articles)

    @on(Input.Changed, "#search")
    def _search_typed(self, message: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        if not message.input.display:
            return  # the field being cleared on escape: the list is already restored
        value = message.value.strip()
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self._run_search(value),
                                            name="search-pause")

    def _run_search(self, value: str) -> None:
        self.search_text = value or None

    @on(Input.Submitted, "#search")
    def _search_submitted(self, message: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._run_search(message.value.strip())
        self.set_focus(self.articles)

    # --- actions (bound in keys.py) ----------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `/`, j/k and the arrows are priority bindings (keys.py): in the search box the key goes
        # to the box (text; the arrows are the box's own bindings).
        return not (action in TYPED_IN_SEARCH and isinstance(self.focused, Input))

    def action_toggle_read(self) -> None:
        article = self.target_article()
        if article is not None:
            self._set_read([article.id], not article.read)

    def action_mark_all_read(self) -> None:
        """`a`: the unread articles listed, read, once the one-line question is answered yes."""
        unread = self._listed_unread()
        if unread is None:
            return
        if not unread:
            self.app.notify(label("nothing_unread", self.lang), markup=False)
            return
        view = self.view_entry.name  # or what was searched: only the results are marked
        if self.search_text:
            view = label("search_results", self.lang, query=self.search_text)
        question = label("confirm_mark_all", self.lang, count=len(unread),
                         name=shorten(safe_line(view), 24))

        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_all(unread)

        self.app.push_screen(ConfirmBar(question), answered)

    def _listed_unread(self) -> list[int] | None:
        """The listed articles that are unread now (pending marks counted), in list order.
        Exactly those listed: a refresh may have stored more since the list was drawn."""
        try:
            stored = set(self.store.ids(replace(self.current_query(), unread_only=True)))
        except StoreError as exc:
            self.store_failed(exc)
            return None
        listed = self.articles.ids
        pending = self.marks.pending_read(listed)
        return [i for i in listed if not pending.get(i, i not in stored)]

    def _mark_all(self, ids: list[int]) -> None:
        # Through the queue: marking 100,000 articles never holds a key.
        self._set_read(ids, True)
        self._undo = ids
        self.app.notify(label("marked_read", self.lang, count=len(ids),
                              undo=self.key_of("undo")), markup=False)

    def action_undo(self) -> None:
        """U / ctrl+z: the articles the last `a` marked read are unread again."""
        ids, self._undo = self._undo, []
        if not ids:
            self.app.notify(label("nothing_to_undo", self.lang), markup=False)
            return
        self._set_read(ids, False)
        self.app.notify(label("undone", self.lang, count=len(ids)), markup=False)

    def key_of(self, binding_id: str) -> str:
        """The key bound to `binding_id` as shown to the user (after any keymap)."""
        for key, active in self.active_bindings.items():
            if active.binding.id == binding_id:
                return self.app.get_key_display(replace(active.binding, key=key))
        return binding_id

    def action_star(self) -> None:
        article = self.target_article()
        if article is None:
            return
        self.marks.set_starred([article.id], not article.starred)
        self.articles.set_state([article.id], starred=not article.starred)
        if self.article_view.article_id == article.id:
            self.article_view.set_state(starred=not article.starred)

    def action_unread_only(self) -> None:
        self.unread_only = not self.unread_only

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        if not search.display:
            self._before_search = self.articles.current_id
            search.display = True
        self.set_focus(search)

    def action_back(self) -> None:
        """Escape, one level at a time: the article (narrow: back to the list; wide: focus back
        on the list), then the search (the list as it was before `/`)."""
        search = self.query_one("#search", Input)
        if self.has_class("-reading"):
            self.remove_class("-reading")
            self.set_focus(self.articles)
        elif self.focused is self.article_view:
            self.set_focus(self.articles)
        elif search.display:
            if self._search_timer is not None:
                self._search_timer.stop()
            search.display = False
            search.value = ""
            keep, self._before_search = self._before_search, None
            self.set_reactive(MainScreen.search_text, None)
            self.load_view(keep=keep)
            self.set_focus(self.articles)

    def action_full_text(self) -> None:
        article = self.target_article()
        if article is None:
            return
        if self.article_view.article_id != article.id:
            self.show_article(article.id, mark_read=True)
        if self.offline:
            self.article_view.set_note(label("fulltext_error", self.lang,
                                             error=label("offline", self.lang)), error=True)
            return
        self.article_view.set_note(label("loading", self.lang))
        self.load_full_text(article.id)

    def action_open_link(self) -> None:
        link = self._link()
        if link is None:
            return
        if not browser_available():
            # Over SSH or on a console nothing would open: say so, and offer the copy instead.
            self.app.notify(label("no_browser", self.lang, copy=self.key_of("copy_link")),
                            severity="warning", markup=False)
            return
        # App.open_url hands the URL to the browser module, never to a shell.
        self.app.open_url(link)
        self.app.notify(label("opened_link", self.lang), markup=False)

    def action_copy_link(self) -> None:
        link = self._link()
        if link is not None:
            self.app.copy_to_clipboard(link)
            self.app.notify(label("link_copied", self.lang), markup=False)

    def _link(self) -> str | None:
        """The target article's link when it is an http(s) URL (SAFETY rule 3)."""
        article = self.target_article()
        link = article.link if article else None
        if link is None or not is_web_url(link):
            self.app.notify(label("no_link", self.lang), severity="warning", markup=False)
            return None
        return link

    def action_refresh(self) -> None:
        category = self.view_entry.category
        # "This category" refreshes its feeds only; the sidebar's views refresh everything.
        self.start_refresh({category} if category else None, weather=category is None)

    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def action_help(self) -> None:
        from tui_news.ui.screens.help import HelpScreen, help_rows

        self.app.push_screen(HelpScreen(help_rows(self, self.lang), self.lang))

    def action_quit(self) -> None:
        self.app.exit()
