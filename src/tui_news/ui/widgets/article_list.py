"""ArticleList: a line-based virtual list over article ids (two lines per article).

Only the ids of a view live in memory; the articles on screen are fetched in one query per visible
window and kept in a small LRU cache, so 100,000 cached articles cost a list of ints
(PERFORMANCE.md: `ListView` took 40 s for 10,000 rows, this draws in milliseconds).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_news.dates import relative_time
from tui_news.i18n import label
from tui_news.models import Article
from tui_news.ui.display import match_spans, safe_line

LINES_PER_ARTICLE = 2
CACHE_SIZE = 1024  # articles kept in memory: a few screens either side of the cursor
LINE_CACHE_SIZE = 512  # drawn lines kept: a scroll by one article draws its two new lines only

Fetch = Callable[[Sequence[int]], list[Article]]


class ArticleList(ScrollView, can_focus=True, inherit_bindings=False):
    """The articles of the current view, newest first; `●` marks unread ones."""

    # Keys are bound on the main screen (one remappable binding per action), so none here.
    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--meta",
        "article-list--match",
        "article-list--star",
        "article-list--empty",
    }

    class Highlighted(Message):
        """The cursor moved to an article."""

        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    class Selected(Message):
        """An article was opened (enter or click)."""

        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, fetch: Fetch, *, lang: str, now: Callable[[], datetime],
                 tz: tzinfo | None = None, pending: Callable[[int], bool] | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self._fetch = fetch
        self._pending = pending or (lambda _id: False)
        self._lang = lang
        self._now = now
        self._tz = tz
        self._ids: list[int] = []
        self._cache: OrderedDict[int, Article] = OrderedDict()
        # Drawn lines, by everything a line shows (see `_line_key`); the styles are resolved
        # once a frame in `render_lines`, not once a line.
        self._lines: OrderedDict[tuple[object, ...], Strip] = OrderedDict()
        self._look: _Look | None = None
        self.cursor = 0
        self.search: str | None = None
        self.empty_text = label("no_articles", lang)

    # --- data --------------------------------------------------------------------------------
    @property
    def ids(self) -> list[int]:
        return self._ids

    @property
    def current_id(self) -> int | None:
        """The id under the cursor, or None for an empty list."""
        return self._ids[self.cursor] if self._ids else None

    def show_ids(self, ids: list[int], *, keep: int | None = None,
                 search: str | None = None, articles: Sequence[Article] = (),
                 empty: str | None = None) -> None:
        """Show a new view; the cursor stays on `keep` when it is still in the list.

        `articles`, when the caller has them fresh (the first page), fill the row cache;
        `empty` is what an empty view says (what was searched, nothing saved yet …)."""
        self._ids = ids
        self.search = search
        self.empty_text = empty or label("no_articles", self._lang)
        self._cache.clear()  # read/starred state may have changed since the rows were fetched
        self._lines.clear()
        self._remember(list(articles))
        index = 0
        if keep is not None:
            # A linear scan of ints: under 2 ms for 100,000 ids, and only on a view change.
            try:
                index = ids.index(keep)
            except ValueError:
                index = 0
        self.virtual_size = Size(self.size.width, len(ids) * LINES_PER_ARTICLE)
        self.cursor = index
        self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_cursor_visible(center=keep is not None)
        self.refresh()
        if self._ids:
            self.post_message(self.Highlighted(self._ids[self.cursor]))

    def article(self, article_id: int) -> Article | None:
        """The cached article, fetching it when needed."""
        if article_id not in self._cache:
            self._remember(self._fetch([article_id]))
        return self._cache.get(article_id)

    def update_article(self, article: Article) -> None:
        """Replace one article's row (after read/starred changes)."""
        if article.id in self._cache:
            self._cache[article.id] = article
        self._lines.clear()  # its title or feed may have changed, not only its state
        self.refresh()

    def set_state(self, ids: Sequence[int], *, read: bool | None = None,
                  starred: bool | None = None) -> None:
        """Change read/starred on cached rows without a query."""
        for article_id in ids:
            cached = self._cache.get(article_id)
            if cached is None:
                continue
            if read is not None:
                cached = replace(cached, read=read)
            if starred is not None:
                cached = replace(cached, starred=starred)
            self._cache[article_id] = cached
        self.refresh()

    def forget(self) -> None:
        """Drop every cached row (after a refresh or mark-all-read)."""
        self._cache.clear()
        self._lines.clear()
        self.refresh()

    def _remember(self, articles: list[Article]) -> None:
        for article in articles:
            self._cache[article.id] = article
            self._cache.move_to_end(article.id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def _row(self, row: int) -> Article | None:
        article_id = self._ids[row]
        cached = self._cache.get(article_id)
        if cached is not None:
            return cached
        # One query for the whole visible window (plus a screen ahead), not one per line.
        page = max(self.size.height // LINES_PER_ARTICLE, 1)
        window = [i for i in self._ids[row : row + page * 2] if i not in self._cache]
        self._remember(self._fetch(window))
        return self._cache.get(article_id)

    # --- cursor ------------------------------------------------------------------------------
    def move_cursor(self, index: int) -> None:
        """Put the cursor on row `index` (clamped) and announce the article."""
        if not self._ids:
            return
        index = max(0, min(index, len(self._ids) - 1))
        if index == self.cursor:
            return
        self._refresh_row(self.cursor)
        self.cursor = index
        self._refresh_row(index)
        self._scroll_cursor_visible()
        self.post_message(self.Highlighted(self._ids[index]))

    def move(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def select(self) -> None:
        """Open the article under the cursor."""
        if self._ids:
            self.post_message(self.Selected(self._ids[self.cursor]))

    @property
    def page_size(self) -> int:
        """Articles in one screenful (PgDn/PgUp move this many)."""
        return max(self.scrollable_content_region.height // LINES_PER_ARTICLE, 1)

    def find_unread(self, step: int, *, after: int | None = None) -> int | None:
        """Index of the next unread article after row `after` (default: the cursor) in
        direction `step`, if any."""
        index = (self.cursor if after is None else after) + step
        batch = 200
        while 0 <= index < len(self._ids):
            # Fetch in batches so a long run of read articles is one query per 200 rows.
            chunk = (self._ids[index : index + batch] if step > 0
                     else self._ids[max(0, index - batch + 1) : index + 1])
            missing = [i for i in chunk if i not in self._cache]
            if missing:
                self._remember(self._fetch(missing))
            ordered = chunk if step > 0 else list(reversed(chunk))
            for offset, article_id in enumerate(ordered):
                article = self._cache.get(article_id)
                if article is not None and not article.read:
                    return index + offset * step
            index += batch * step
        return None

    def _refresh_row(self, row: int) -> None:
        y = row * LINES_PER_ARTICLE - self.scroll_offset.y
        self.refresh(Region(0, y, self.size.width, LINES_PER_ARTICLE))

    def _scroll_cursor_visible(self, center: bool = False) -> None:
        top = self.cursor * LINES_PER_ARTICLE
        height = max(self.size.height, LINES_PER_ARTICLE)
        y = self.scroll_offset.y
        if center:
            self.scroll_to(y=max(0, top - height // 2), animate=False, immediate=True)
        elif top < y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + LINES_PER_ARTICLE > y + height:
            self.scroll_to(y=top + LINES_PER_ARTICLE - height, animate=False, immediate=True)

    # --- events ------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._ids) * LINES_PER_ARTICLE)
        self._scroll_cursor_visible()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._ids:
            return
        row = (offset.y + self.scroll_offset.y) // LINES_PER_ARTICLE
        if row < len(self._ids):
            self.move_cursor(row)
            self.select()

    # --- drawing -----------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # Once a frame: the width and every style a line may use (a line asked for each of
        # them walked the widget's ancestors: a third of the list's drawing time).
        self._look = _Look.of(self)
        try:
            return super().render_lines(crop)
        finally:
            self._look = None

    def render_line(self, y: int) -> Strip:
        look = self._look or _Look.of(self)
        # The scrollable region excludes the scrollbar: lines end (with "…") before it.
        width = look.width
        base = look.base
        line = self.scroll_offset.y + y
        row, sub = divmod(line, LINES_PER_ARTICLE)
        if not self._ids:
            if y == 0:
                text = Text(" " + self.empty_text, style=look.empty)
                return self._strip(text, width, base)
            return Strip.blank(width, base)
        if row >= len(self._ids):
            return Strip.blank(width, base)
        article = self._row(row)
        if article is None:
            return Strip.blank(width, base)
        cursor = row == self.cursor
        when = self._when(article) if sub else None
        key = (article.id, sub, cursor, article.read, article.starred, self._pending(article.id),
               when, self.search, look)
        strip = self._lines.get(key)
        if strip is not None:
            self._lines.move_to_end(key)
            return strip
        text = self._title_line(article, look) if sub == 0 else self._meta_line(article, look,
                                                                                  when or "")
        strip = self._strip(text, width, base, overlay=look.cursor if cursor else None)
        self._lines[key] = strip
        while len(self._lines) > LINE_CACHE_SIZE:
            self._lines.popitem(last=False)
        return strip

    def _when(self, article: Article) -> str:
        return relative_time(article.sort_time, self._now(), lang=self._lang,
                             tz=self._tz)  # type: ignore[arg-type]

    def _title_line(self, article: Article, look: _Look) -> Text:
        title_style = look.read if article.read else look.unread
        # ◌: a mark shown but not in the cache yet (the write queue is still trying).
        sign = "◌ " if self._pending(article.id) else "● " if not article.read else "  "
        text = Text(sign, style=title_style, end="")
        title = Text(safe_line(article.title), style=title_style, end="")
        for start, end in match_spans(title.plain, self.search):
            title.stylize(look.match, start, end)
        text.append_text(title)
        return text

    def _meta_line(self, article: Article, look: _Look, when: str) -> Text:
        parts = [p for p in (safe_line(article.feed_title), when) if p]
        text = Text("  " + " · ".join(parts), style=look.meta, end="")
        if article.starred:
            text.append(" ★", style=look.star)
        return text

    def _strip(self, text: Text, width: int, style: Style, overlay: Style | None = None) -> Strip:
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = [Segment(s.text, s.style) for s in text.render(self.app.console)
                    if s.text != "\n"]
        strip = Strip(segments).apply_style(style).adjust_cell_length(width, style)
        if overlay is None:
            return strip
        # The cursor goes over the text's own styles (they carry a background of their own).
        return Strip([Segment(seg.text, (seg.style or Style()) + overlay, seg.control)
                      for seg in strip], strip.cell_length)


@dataclass(frozen=True)
class _Look:
    """The width and the styles of the list's lines, as resolved for one frame; part of each
    drawn line's cache key, so a theme, focus or size change draws every line afresh."""

    width: int
    base: Style
    cursor: Style  # an overlay: the cursor's background only
    unread: Style
    read: Style
    meta: Style
    match: Style
    star: Style
    empty: Style

    @classmethod
    def of(cls, widget: ArticleList) -> _Look:
        style = widget.get_component_rich_style
        return cls(width=widget.scrollable_content_region.width, base=widget.rich_style,
                   cursor=Style(bgcolor=style("article-list--cursor").bgcolor),
                   unread=style("article-list--unread"), read=style("article-list--read"),
                   meta=style("article-list--meta"), match=style("article-list--match"),
                   star=style("article-list--star"), empty=style("article-list--empty"))
