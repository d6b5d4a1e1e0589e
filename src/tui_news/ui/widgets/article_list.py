"""ArticleList: a line-based virtual list over article ids (two lines per article).

Only the ids of a view live in memory; the articles on screen are fetched in one query per visible
window and kept in a small LRU cache, so 100,000 cached articles cost a list of ints
(PERFORMANCE.md: `ListView` took 40 s for 10,000 rows, this draws in milliseconds).

The list scrolls by itself: a plain `Widget` keeping its own top line and drawing its own
one-column scrollbar. As a `ScrollView` every scrolling key press also moved Textual's scrollbar
widget (44 lines repainted) and went through its scroll machinery: 14-16 ms of CPU a press
against 7-8 ms for a widget that only calls `refresh()` (bench/RESULTS.md). It also draws its
lines itself (`render_lines`), with no border of its own (the frame around it has one): through
Textual's styles cache a scroll by one article drew every line again, ~6 ms of a ~15 ms press.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, tzinfo

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui_news.dates import relative_time
from tui_news.i18n import label
from tui_news.models import Article
from tui_news.ui.widgets.article_lines import Look, meta_text, title_text, to_strip
from tui_news.ui.widgets.scroll_column import BAR_WIDTH, bar_cells

LINES_PER_ARTICLE = 2
CACHE_SIZE = 1024  # articles kept in memory: a few screens either side of the cursor
# Drawn lines kept (the text, and the text with the scrollbar's cell): a scroll by one article
# draws its two new lines only.
LINE_CACHE_SIZE = 1024

Fetch = Callable[[Sequence[int]], list[Article]]


class ArticleList(Widget, can_focus=True, inherit_bindings=False):
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
        # Drawn lines (scrollbar cell included), by everything a line shows (see `_line`); the
        # styles they were drawn with are `_look`'s: a change of look clears them.
        self._lines: OrderedDict[tuple[object, ...], Strip] = OrderedDict()
        self._look: Look | None = None
        self._bar: tuple[tuple[object, ...], list[Segment]] | None = None
        self._grab: int | None = None  # the scrollbar row held by the mouse, while dragged
        self.cursor = 0
        self.top = 0  # the first line shown (two lines an article)
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
        self.cursor = index
        self.top = 0
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
        return max(self.size.height // LINES_PER_ARTICLE, 1)

    # --- scrolling ---------------------------------------------------------------------------
    @property
    def total_lines(self) -> int:
        return len(self._ids) * LINES_PER_ARTICLE

    @property
    def max_top(self) -> int:
        return max(0, self.total_lines - self.size.height)

    @property
    def shows_bar(self) -> bool:
        """A scrollbar is drawn when the list is longer than the widget."""
        return self.total_lines > self.size.height > 0

    @property
    def text_width(self) -> int:
        """The width of the lines: the widget's, less the scrollbar's column."""
        return max(0, self.size.width - (BAR_WIDTH if self.shows_bar else 0))

    @property
    def dragging(self) -> bool:
        """True while the mouse holds the scrollbar's thumb."""
        return self._grab is not None

    def scroll_to_line(self, top: int) -> None:
        """Show the list from line `top` (clamped); the whole widget is drawn again when it
        moves, the cursor stays where it is."""
        top = max(0, min(top, self.max_top))
        if top != self.top:
            self.top = top
            self.refresh()

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
        y = row * LINES_PER_ARTICLE - self.top
        if -LINES_PER_ARTICLE < y < self.size.height:  # off screen (the wheel moved the view)
            self.refresh(Region(0, y, self.size.width, LINES_PER_ARTICLE))

    def _scroll_cursor_visible(self, center: bool = False) -> None:
        top = self.cursor * LINES_PER_ARTICLE
        height = max(self.size.height, LINES_PER_ARTICLE)
        y = self.top
        if center:
            self.scroll_to_line(top - height // 2)
        elif top < y:
            self.scroll_to_line(top)
        elif top + LINES_PER_ARTICLE > y + height:
            self.scroll_to_line(top + LINES_PER_ARTICLE - height)

    # --- events ------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.scroll_to_line(self.top)  # clamped to the new height
        self._scroll_cursor_visible()
        self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheel(event, 1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheel(event, -1)

    def _wheel(self, event: events.MouseEvent, direction: int) -> None:
        # The wheel moves the view (as far as Textual's scrolling views move), not the cursor.
        if event.ctrl or event.shift:
            return
        event.stop()
        event.prevent_default()
        self.scroll_to_line(self.top + direction * max(1, round(self.app.scroll_sensitivity_y)))

    def _in_bar(self, event: events.MouseEvent) -> bool:
        offset = event.get_content_offset(self)
        return offset is not None and self.shows_bar and offset.x >= self.text_width

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or not self._in_bar(event):
            return
        event.stop()
        self._grab = event.screen_y
        self.capture_mouse()
        self._drag_to(event.screen_y)
        self.refresh()  # the thumb takes its "active" colour

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._grab is not None:
            event.stop()
            self._drag_to(event.screen_y)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._grab is not None:
            event.stop()
            self._grab = None
            self.release_mouse()
            self.refresh()

    def on_mouse_capture(self, event: events.MouseCapture) -> None:
        event.stop()

    def on_mouse_release(self, event: events.MouseRelease) -> None:
        if self._grab is not None:  # captured by someone else: the drag is over
            self._grab = None
            self.refresh()

    def _drag_to(self, screen_y: int) -> None:
        """Put the thumb's middle on the scrollbar's row `screen_y` (a screen row)."""
        height = self.size.height
        if height <= 0:
            return
        row = min(max(screen_y - self.content_region.y, 0), height - 1)
        self.scroll_to_line(round((row + 0.5) / height * self.total_lines - height / 2))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._ids or offset.x >= self.text_width:
            return
        row = (offset.y + self.top) // LINES_PER_ARTICLE
        if row < len(self._ids):
            self.move_cursor(row)
            self.select()

    # --- drawing -----------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in `crop`, drawn here rather than through Textual's styles cache.

        The list has no border or padding (its frame, the container around it, has the border),
        so a line is the list's own strip and the app's line filters. Through the styles cache a
        scroll by one article drew all 46 lines again, each through the cache's border and
        padding code, 6-7 ms of a 15 ms key press (bench/RESULTS.md); here the lines still in
        view come from `_lines` as they were drawn."""
        look = self._current_look()
        bar = self._bar_cells(look) if self.shows_bar else None
        # A line says "5 phút trước" as of the minute it was drawn (in its key): at most a
        # minute behind while it stays in view, without working the age out on every frame.
        minute = self._now().replace(second=0, microsecond=0)
        filters = self.get_line_filters()
        background = self.background_colors[1]
        strips = []
        for y in crop.line_range:
            strip = self._line(y, look, bar, minute)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, self.size.width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        """Line `y` of the list (the widget's own rows, scrollbar cell included)."""
        look = self._current_look()
        bar = self._bar_cells(look) if self.shows_bar else None
        return self._line(y, look, bar, self._now().replace(second=0, microsecond=0))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._look = None  # a theme or a rule changed: every style is resolved again

    def _current_look(self) -> Look:
        """The width and styles of the lines, resolved again only when they may have changed
        (Textual resolves component styles again after every refresh: 1 ms a frame). A change of
        the list's own rules comes through `notify_style_update`; focus changes only the
        component styles (`ArticleList:focus > .article-list--cursor`), so it is in the state."""
        look = self._look
        state = (self.text_width, self.dragging, self.has_focus)
        if look is None or look.state != state:
            look = self._look = Look.of(self, state)
            self._lines.clear()  # drawn with other styles or at another width
        return look

    def _line(self, y: int, look: Look, bar: list[Segment] | None, minute: datetime) -> Strip:
        """Screen row `y`: its text line and, when the list is longer than the widget, the
        scrollbar's cell; both kept by everything they show."""
        row, sub = divmod(self.top + y, LINES_PER_ARTICLE)
        article = self._row(row) if 0 <= row < len(self._ids) else None
        if article is None:
            key: tuple[object, ...] = ("empty" if not self._ids and y == 0 else "blank",)
        else:
            key = (article.id, sub, row == self.cursor, article.read, article.starred,
                   self._pending(article.id), minute if sub else None)
        if bar is None:
            return self._kept_text(key, article, look)
        cell = bar[y] if 0 <= y < len(bar) else Segment(" " * BAR_WIDTH, look.base)
        line_key = (key, cell)
        strip = self._lines.get(line_key)
        if strip is None:
            text = self._kept_text(key, article, look)
            return self._keep(line_key, Strip([*text, cell], text.cell_length + BAR_WIDTH))
        self._lines.move_to_end(line_key)
        return strip

    def _kept_text(self, key: tuple[object, ...], article: Article | None, look: Look) -> Strip:
        strip = self._lines.get(key)
        if strip is None:
            return self._keep(key, self._text_line(article, key, look))
        self._lines.move_to_end(key)
        return strip

    def _keep(self, key: tuple[object, ...], strip: Strip) -> Strip:
        self._lines[key] = strip
        while len(self._lines) > LINE_CACHE_SIZE:
            self._lines.popitem(last=False)
        return strip

    def _text_line(self, article: Article | None, key: tuple[object, ...], look: Look) -> Strip:
        # Lines end (with "…") before the scrollbar's column.
        width, base = look.width, look.base
        if key[0] == "empty":
            return to_strip(Text(" " + self.empty_text, style=look.empty), width, base,
                            self.app.console)
        if article is None:
            return Strip.blank(width, base)
        cursor = bool(key[2])
        text = (self._title_line(article, look) if key[1] == 0
                else meta_text(article, look, self._when(article)))
        return to_strip(text, width, base, self.app.console,
                        overlay=look.cursor if cursor else None)

    def _bar_cells(self, look: Look) -> list[Segment]:
        """The scrollbar's column, one cell a row, for the current top line (kept until the
        view, the size or the colours change)."""
        height = self.size.height
        key = (height, self.total_lines, self.top, look.bar_back, look.bar_thumb)
        if self._bar is None or self._bar[0] != key:
            self._bar = (key, bar_cells(height, self.total_lines, self.top,
                                        look.bar_back, look.bar_thumb))
        return self._bar[1]

    def _when(self, article: Article) -> str:
        return relative_time(article.sort_time, self._now(), lang=self._lang,
                             tz=self._tz)  # type: ignore[arg-type]

    def _title_line(self, article: Article, look: Look) -> Text:
        return title_text(article, look, pending=self._pending(article.id), search=self.search)
