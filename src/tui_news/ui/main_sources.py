"""The main screen's sources, saved searches, links and "add a feed" (a mixin of MainScreen).

The sidebar's entries are built here from the config and the store's feed states; config changes
(a saved search, a new feed) go through config_write/subscribe, then the config is read again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual import work
from textual.widgets import Input

from tui_news.config import Config, ConfigError, load_config
from tui_news.i18n import label
from tui_news.links import is_web_url, redact_url
from tui_news.models import ArticleQuery, FeedConfig, FeedState
from tui_news.store import StoreError
from tui_news.ui.display import safe_line, shorten
from tui_news.ui.widgets.category_list import Entry, view_entries

if TYPE_CHECKING:
    from tui_news.subscribe import Checked


if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object


class MainSourcesMixin(_Base):
    """Sidebar entries (categories, their feeds when expanded, saved searches) and the actions
    that change them."""

    if TYPE_CHECKING:
        from tui_news.store import Store
        from tui_news.ui.widgets.article_list import ArticleList
        from tui_news.ui.widgets.category_list import CategoryList
        from tui_news.ui.widgets.status_bar import StatusBar

        config: Config
        store: Store
        lang: str
        offline: bool
        entry: int
        search_text: str | None
        _expanded: set[str]

        @property
        def categories(self) -> CategoryList: ...
        @property
        def articles(self) -> ArticleList: ...
        @property
        def status(self) -> StatusBar: ...
        @property
        def view_entry(self) -> Entry: ...
        def reload_counts(self) -> None: ...
        def sidebar_categories(self) -> tuple[str, ...]: ...
        def load_view(self, keep: int | None = None, *, first_screen: bool = False) -> None: ...
        def start_refresh(self, categories: set[str] | None, *, weather: bool = True) -> None: ...
        def target_article(self) -> object: ...
        def store_failed(self, exc: StoreError) -> None: ...
        def action_back(self) -> None: ...

    # --- the sidebar's entries ---------------------------------------------------------------
    def sidebar_entries(self) -> list[Entry]:
        """The views, each category (with its feeds when expanded), then the saved searches."""
        lang = self.lang
        entries = view_entries((label("all", lang), label("unread", lang),
                                label("starred", lang)))
        states: dict[str, FeedState] = {}
        if self._expanded:
            try:
                states = {s.url: s for s in self.store.feeds(active_only=False)}
            except StoreError as exc:
                self.store_failed(exc)
        for category in self.sidebar_categories():
            expanded = category in self._expanded
            entries.append(Entry(category, ArticleQuery(category=category), kind="category",
                                 expanded=expanded))
            if expanded:
                entries += [self._feed_entry(feed, states.get(feed.url))
                            for feed in self.config.feeds if feed.category == category]
        entries += [Entry(s.name, ArticleQuery(search=s.query), kind="search")
                    for s in self.config.searches]
        return entries

    @staticmethod
    def _feed_entry(feed: FeedConfig, state: FeedState | None) -> Entry:
        name = feed.title or (state.title if state else None) or urlsplit(feed.url).hostname
        error = state.last_error or "?" if state and state.last_status == "error" else None
        return Entry(name or feed.url, ArticleQuery(category=feed.category, feed=feed.url),
                     kind="feed", error=error)

    def rebuild_sidebar(self, select: Entry | None = None) -> None:
        """Entries again (feeds shown or hidden, a config change); the cursor stays on the same
        entry, or goes to `select`."""
        current = select or self.view_entry
        entries = self.sidebar_entries()
        index = next((i for i, e in enumerate(entries)
                      if (e.kind, e.query) == (current.kind, current.query)), None)
        if index is None:  # a feed hidden with the cursor on it: its category
            index = next((i for i, e in enumerate(entries)
                          if e.kind == "category" and e.name == current.category), 0)
        self.categories.set_entries(entries, index)
        self.reload_counts()
        if index != self.entry:
            self.entry = index  # loads the view
        else:
            self.load_view(keep=self.articles.current_id)

    def load_counts(self) -> None:
        """Unread counts of every entry (the feeds' only when shown); for reload_counts."""
        # A sync may have brought new server groups: the sidebar takes them on.
        self.categories.set_counts(self.store.counts(
            self.sidebar_categories(), searches=[s.query for s in self.config.searches],
            feeds=self.categories.shows_feeds))

    def refresh_feed_marks(self) -> None:
        """After a refresh: the shown feeds' failure marks again (same entries, same cursor)."""
        if self.categories.shows_feeds:
            self.categories.set_entries(self.sidebar_entries(), self.entry)

    def entry_chosen(self, entry: Entry) -> None:
        """The cursor is on `entry`: a feed whose last refresh failed says why."""
        if entry.kind == "feed" and entry.error:
            self.status.set_state(label("feed_failed_status", self.lang,
                                        name=shorten(safe_line(entry.name), 30),
                                        error=safe_line(entry.error)), error=True)

    # --- sources: expand and collapse --------------------------------------------------------
    def action_expand(self) -> None:
        """→ on a category in the sidebar: show its feeds."""
        entry = self.view_entry
        if self.focused_sidebar() and entry.kind == "category" and not entry.expanded:
            self._expanded.add(entry.name)
            self.rebuild_sidebar()

    def action_collapse(self) -> None:
        """← on a category or one of its feeds: hide the feeds (the cursor on the category)."""
        entry = self.view_entry
        if not self.focused_sidebar() or entry.kind not in ("category", "feed"):
            return
        category = entry.category or entry.name
        if category in self._expanded:
            self._expanded.discard(category)
            self.rebuild_sidebar(Entry(category, ArticleQuery(category=category),
                                       kind="category"))

    def action_toggle_sources(self) -> None:
        """Every category's feeds shown, or none."""
        if self._expanded:
            self._expanded.clear()
        else:
            self._expanded.update(self.config.categories)
        self.rebuild_sidebar()

    def focused_sidebar(self) -> bool:
        return self.app.focused is self.categories

    # --- links -------------------------------------------------------------------------------
    def action_links(self) -> None:
        """`l`: the article's links in a list; enter opens one, y copies it."""
        from tui_news.models import Article
        from tui_news.render import article_links
        from tui_news.ui.screens.dialogs import ChoiceScreen

        article = self.target_article()
        if not isinstance(article, Article):
            return
        try:
            full = self.store.full_text(article.id) if article.has_full_text else None
        except StoreError as exc:
            self.store_failed(exc)
            full = None
        links = article_links(article, full)
        if not links:
            self.app.notify(label("no_link", self.lang), severity="warning", markup=False)
            return

        def copy(index: int) -> None:
            self.app.copy_to_clipboard(links[index][1])
            self.app.notify(label("link_copied", self.lang), markup=False)

        def chosen(index: int | None) -> None:
            if index is None:
                return
            url = links[index][1]
            if is_web_url(url):  # checked again: only http(s) reaches the browser, no shell
                self.app.open_url(url)
                self.app.notify(label("opened_link", self.lang), markup=False)

        title = label("links_title", self.lang, title=shorten(safe_line(article.title), 60))
        self.app.push_screen(ChoiceScreen(title, [f"{n} {url}" for n, url in links],
                                          label("links_hint", self.lang), copy=copy), chosen)

    # --- saved searches ----------------------------------------------------------------------
    def action_save_search(self) -> None:
        """ctrl+s: save the search being typed (or shown) as a sidebar entry, in the config."""
        from tui_news.ui.screens.dialogs import PromptScreen

        search = self.query_one("#search", Input)
        query = (search.value if search.display else "").strip() or (self.search_text or "")
        if not query:
            self.app.notify(label("search_needed", self.lang), severity="warning", markup=False)
            return

        def named(name: str | None) -> None:
            if name:
                self._save_search(name, query)

        self.app.push_screen(PromptScreen(label("save_search_title", self.lang,
                                                query=shorten(safe_line(query), 40)),
                                          label("save_search_hint", self.lang), value=query),
                             named)

    def _save_search(self, name: str, query: str) -> None:
        from tui_news.config_write import ConfigWriteError, add_entry
        from tui_news.search import parse_query
        from tui_news.text import clean

        name, query = clean(name, limit=200).strip(), clean(query, limit=200).strip()
        config = self._config_again()
        if config is None or not name or not parse_query(query):
            return
        if any(s.name == name for s in config.searches):
            self.app.notify(label("search_name_taken", self.lang, name=safe_line(name)),
                            severity="warning", markup=False)
            return
        try:
            add_entry(config, "searches", {"name": name, "query": query})
        except ConfigWriteError as exc:
            self.app.notify(safe_line(str(exc)), severity="error", markup=False)
            return
        if not self.use_config():
            return
        self.app.notify(label("search_saved", self.lang, name=safe_line(name),
                              path=self.config.path), markup=False)
        if self.query_one("#search", Input).display:
            self.action_back()  # the search box closes: the saved search is the view now
        self.rebuild_sidebar(Entry(name, ArticleQuery(search=query), kind="search"))
        self.set_focus(self.articles)

    # --- adding a feed -----------------------------------------------------------------------
    def action_add_feed(self) -> None:
        """Palette: a URL prompt, then what `tui-news add` does."""
        from tui_news.ui.screens.dialogs import PromptScreen

        def given(url: str | None) -> None:
            if url:
                self._check_feed(url)

        self.app.push_screen(PromptScreen(label("add_feed_title", self.lang),
                                          label("add_feed_hint", self.lang),
                                          placeholder="https://…"), given)

    def _check_feed(self, url: str) -> None:
        from tui_news.subscribe import Checked, SubscribeError, refuse_duplicate, web_url

        try:
            url = web_url(url, self.lang)
            refuse_duplicate(self.config, url, self.lang)
        except SubscribeError as exc:
            self.app.notify(safe_line(str(exc)), severity="error", markup=False)
            return
        if self.offline:  # as `add --offline`: written without checking
            self._feed_found(Checked(url=url))
            return
        self.status.set_state(label("add_feed_checking", self.lang,
                                    url=shorten(redact_url(url), 50)))
        self.check_feed(url)

    @work(thread=True, group="add-feed", exclusive=True, exit_on_error=False, name="check_feed")
    def check_feed(self, url: str) -> None:
        """One fetch of `url` (subscribe.check_url) off the UI thread."""
        from tui_news.subscribe import SubscribeError, check_url

        try:
            checked = check_url(self.config, url, self.lang)
        except SubscribeError as exc:
            self.app.call_from_thread(self._feed_not_added, str(exc))
            return
        self.app.call_from_thread(self._feed_found, checked)

    def _feed_not_added(self, error: str) -> None:
        self.status.set_state("")
        self.app.notify(safe_line(error), severity="error", markup=False)

    def _feed_found(self, checked: Checked) -> None:
        from tui_news.ui.screens.dialogs import ChoiceScreen

        self.status.set_state("")
        if not checked.candidates:
            self._ask_category(checked.url)
            return
        rows = [f"{c.url}  {c.title}" if c.title else c.url for c in checked.candidates]

        def chosen(index: int | None) -> None:
            if index is not None:
                self._ask_category(checked.candidates[index].url)

        self.app.push_screen(ChoiceScreen(label("add_feed_choose", self.lang), rows,
                                          label("choose_hint", self.lang)), chosen)

    def _ask_category(self, url: str) -> None:
        from tui_news.subscribe import DEFAULT_CATEGORY
        from tui_news.ui.screens.dialogs import PromptScreen

        default = self.view_entry.category or DEFAULT_CATEGORY

        def given(category: str | None) -> None:
            if category is not None:
                self._subscribe(url, category or default)

        self.app.push_screen(PromptScreen(label("add_feed_category", self.lang,
                                                url=shorten(redact_url(url), 60)),
                                          label("add_feed_hint", self.lang), value=default),
                             given)

    def _subscribe(self, url: str, category: str) -> None:
        from tui_news.subscribe import SubscribeError, subscribe
        from tui_news.text import clean

        config = self._config_again()
        if config is None:
            return
        category = clean(category, limit=80) or "Khác"
        try:
            changed = subscribe(config, FeedConfig(url, category), self.lang)
        except SubscribeError as exc:
            self.app.notify(safe_line(str(exc)), severity="error", markup=False)
            return
        if not self.use_config():
            return
        message = label("added", self.lang, url=redact_url(url), category=category,
                        path=self.config.path)
        if changed.catalogue_written:
            message += ". " + label("catalogue_written", self.lang,
                                    count=changed.catalogue_written)
        self.app.notify(safe_line(message), markup=False, timeout=8)
        self._expanded.add(category)
        self.rebuild_sidebar(Entry(url, ArticleQuery(category=category, feed=url), kind="feed"))
        self.start_refresh({category}, weather=False)  # its articles, now (not when offline)

    # --- the config, read again --------------------------------------------------------------
    def _config_again(self) -> Config | None:
        """The config as it is on disk now (the user may have edited it since the start)."""
        try:
            return load_config(self.config.path)
        except ConfigError as exc:
            self.app.notify(label("config_reload_failed", self.lang, error=safe_line(str(exc))),
                            severity="error", markup=False)
            return None

    def use_config(self) -> bool:
        """Read the config again and use it (filters, feeds, searches); False when broken."""
        config = self._config_again()
        if config is None:
            return False
        self.config = config
        setattr(self.app, "config", config)  # noqa: B010 - the app's copy, for new screens
        self.store.set_filters(config.filters)
        return True
