"""CategoryList: the sidebar (Tất cả, Chưa đọc, Đã lưu, the configured categories, each with its
feeds when expanded, then the saved searches)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_news.models import ArticleQuery, Counts
from tui_news.ui.display import safe_line


@dataclass(frozen=True)
class Entry:
    """One sidebar line: what it shows and which articles it selects."""

    name: str
    query: ArticleQuery
    count: int = 0
    kind: str = "view"  # view (all, unread, saved), category, feed, search
    error: str | None = None  # a feed's last refresh failed: why
    expanded: bool = False  # a category showing its feeds

    @property
    def category(self) -> str | None:
        return self.query.category

    def counted(self, counts: Counts) -> int:
        """This entry's number in `counts`: unread, except "all" (every article) and "saved"."""
        query = self.query
        if self.kind == "category":
            return counts.by_category.get(self.name, 0)
        if self.kind == "feed":
            return counts.by_feed.get(query.feed or "", 0)
        if self.kind == "search":
            return counts.by_search.get(query.search or "", 0)
        if query.starred_only:
            return counts.starred
        return counts.unread if query.unread_only else counts.total


def view_entries(names: tuple[str, str, str]) -> list[Entry]:
    """The three views every sidebar starts with."""
    all_, unread, starred = names
    return [Entry(all_, ArticleQuery()), Entry(unread, ArticleQuery(unread_only=True)),
            Entry(starred, ArticleQuery(starred_only=True))]


class CategoryList(ScrollView, can_focus=True, inherit_bindings=False):
    """One line per entry: the name (cut with "…" when long) left, the unread count right-aligned
    in a column as wide as the largest count. Scrolls with its cursor when the entries outnumber
    the lines (14 categories at 80x24)."""

    COMPONENT_CLASSES = {"category-list--cursor", "category-list--count",
                         "category-list--error"}

    class Changed(Message):
        """The sidebar cursor moved to another entry (a click)."""

        def __init__(self, index: int, entry: Entry) -> None:
            super().__init__()
            self.index = index
            self.entry = entry

    class Selected(Message):
        """Enter (or a click) on an entry: the reader wants its articles."""

        def __init__(self, index: int, entry: Entry) -> None:
            super().__init__()
            self.index = index
            self.entry = entry

    def __init__(
        self, names: tuple[str, str, str], categories: tuple[str, ...], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = [
            *view_entries(names),
            *(Entry(c, ArticleQuery(category=c), kind="category") for c in categories),
        ]
        self.cursor = 0
        self.virtual_size = Size(0, len(self.entries))

    def set_entries(self, entries: list[Entry], cursor: int) -> None:
        """Another set of entries (feeds shown or hidden, a search saved); counts kept."""
        old = {(e.kind, e.query): e.count for e in self.entries}
        self.entries = [replace(e, count=old.get((e.kind, e.query), e.count)) for e in entries]
        self.cursor = max(0, min(cursor, len(self.entries) - 1))
        self.virtual_size = Size(0, len(self.entries))
        self.refresh()
        self.scroll_to_entry(self.cursor)

    @property
    def shows_feeds(self) -> bool:
        return any(e.kind == "feed" for e in self.entries)

    @property
    def current(self) -> Entry:
        return self.entries[self.cursor]

    def set_counts(self, counts: Counts) -> None:
        """Counts as in PRODUCT.md: all articles, unread, saved, then unread per category."""
        self.entries = [replace(entry, count=entry.counted(counts)) for entry in self.entries]
        # Categories new since the list was made (a sync brought the server's groups) follow
        # the others, before the saved searches.
        shown = {entry.name for entry in self.entries if entry.kind == "category"}
        new = [Entry(name, ArticleQuery(category=name), count, kind="category")
               for name, count in counts.by_category.items() if name not in shown]
        if new:
            at = next((i for i, e in enumerate(self.entries) if e.kind == "search"),
                      len(self.entries))
            self.entries[at:at] = new
        self.virtual_size = Size(0, len(self.entries))
        self.refresh()

    def show_cursor(self, index: int) -> None:
        """Draw the cursor on entry `index` (the screen's view state); announces nothing."""
        old = self.cursor
        self.cursor = max(0, min(index, len(self.entries) - 1))
        self._refresh_entry(old)
        self._refresh_entry(self.cursor)
        self.scroll_to_entry(self.cursor)

    def move_cursor(self, index: int, *, select: bool = False) -> None:
        """Put the cursor on entry `index` (clamped); `select` also opens it."""
        index = max(0, min(index, len(self.entries) - 1))
        changed = index != self.cursor
        self.show_cursor(index)
        if changed:
            self.post_message(self.Changed(index, self.entries[index]))
        if select:
            self.post_message(self.Selected(index, self.entries[index]))

    def move(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    @property
    def page_size(self) -> int:
        """Entries in one screenful."""
        return max(self.scrollable_content_region.height, 1)

    def scroll_to_entry(self, index: int) -> None:
        """Scroll just enough for entry `index` to be on screen."""
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        y = self.scroll_offset.y
        if index < y:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= y + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def _refresh_entry(self, index: int) -> None:
        self.refresh(Region(0, index - self.scroll_offset.y, self.size.width, 1))

    # --- events ------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.scroll_to_entry(self.cursor)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.y + self.scroll_offset.y
        if 0 <= index < len(self.entries):
            self.move_cursor(index, select=True)

    # --- drawing -----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self.entries) or width <= 0:
            return Strip.blank(max(width, 0), base)
        text = self.entry_line(index, width)
        segments = [
            Segment(s.text, s.style) for s in text.render(self.app.console) if s.text != "\n"
        ]
        return Strip(segments).apply_style(base).adjust_cell_length(width, base)

    def entry_line(self, index: int, width: int) -> Text:
        """One entry in `width` cells: " Name…    12 ", the count in a right-aligned column."""
        entry = self.entries[index]
        digits = (
            max(len(str(e.count)) for e in self.entries if e.count)
            if any(e.count for e in self.entries)
            else 0
        )
        count = str(entry.count) if entry.count else ""
        room = max(width - 2 - (digits + 1 if digits else 0), 1)  # a space either side
        # rich Text, never markup: category names come from the user's config.
        prefix = _PREFIX.get(entry.kind, "")
        if entry.kind == "feed" and entry.error:
            prefix = "  ! "
        room_name = max(room - cell_len(prefix), 1)
        name = Text(_fit(safe_line(entry.name), room_name), end="", no_wrap=True)
        name.truncate(room_name, pad=True)
        line = Text(" ", end="")
        if prefix:
            line.append(prefix, self.get_component_rich_style(
                "category-list--error" if entry.error else "category-list--count"))
        line.append_text(name)
        if digits:
            line.append(" ")
            line.append(count.rjust(digits), self.get_component_rich_style("category-list--count"))
        line.append(" ")
        line.truncate(width, pad=True)
        if index == self.cursor:
            line.stylize(self.get_component_rich_style("category-list--cursor"))
        return line


# Feeds sit under their category; a saved search is marked as one.
_PREFIX = {"feed": "  · ", "search": "» "}


def _fit(name: str, width: int) -> str:
    """`name` in `width` cells; a long one is cut at a character with "…" (no space before it)."""
    if cell_len(name) <= width:
        return name
    out = ""
    for char in name:
        if cell_len(out) + cell_len(char) > width - 1:
            break
        out += char
    return out.rstrip(" -–·,") + "…"
