"""CategoryList: the sidebar (Tất cả, Chưa đọc, Đã lưu, then the configured categories)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from tui_news.models import ArticleQuery, Counts
from tui_news.ui.display import safe_line


@dataclass(frozen=True)
class Entry:
    """One sidebar line: what it shows and which articles it selects."""

    name: str
    query: ArticleQuery
    count: int = 0

    @property
    def category(self) -> str | None:
        return self.query.category


class CategoryList(Widget, can_focus=True, inherit_bindings=False):
    """A short, fixed list drawn as one rich Text: name left, unread count right."""

    COMPONENT_CLASSES = {"category-list--cursor", "category-list--count"}

    class Changed(Message):
        """The sidebar cursor moved to another entry."""

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

    def __init__(self, names: tuple[str, str, str], categories: tuple[str, ...], *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        all_, unread, starred = names
        self.entries: list[Entry] = [
            Entry(all_, ArticleQuery()),
            Entry(unread, ArticleQuery(unread_only=True)),
            Entry(starred, ArticleQuery(starred_only=True)),
            *(Entry(c, ArticleQuery(category=c)) for c in categories),
        ]
        self.cursor = 0
        self._line_entry: list[int] = []  # which entry each drawn line belongs to (for clicks)

    @property
    def current(self) -> Entry:
        return self.entries[self.cursor]

    def set_counts(self, counts: Counts) -> None:
        """Counts as in PRODUCT.md: all articles, unread, saved, then unread per category."""
        updated = []
        for index, entry in enumerate(self.entries):
            if index == 0:
                count = counts.total
            elif index == 1:
                count = counts.unread
            elif index == 2:
                count = counts.starred
            else:
                count = counts.by_category.get(entry.name, 0)
            updated.append(Entry(entry.name, entry.query, count))
        self.entries = updated
        self.refresh(layout=True)

    def show_cursor(self, index: int) -> None:
        """Draw the cursor on entry `index` (the screen's view state); announces nothing."""
        self.cursor = max(0, min(index, len(self.entries) - 1))
        self.refresh()

    def move_cursor(self, index: int, *, select: bool = False) -> None:
        """Put the cursor on entry `index` (clamped); `select` also opens it."""
        index = max(0, min(index, len(self.entries) - 1))
        changed = index != self.cursor
        self.cursor = index
        self.refresh()
        if changed:
            self.post_message(self.Changed(index, self.entries[index]))
        if select:
            self.post_message(self.Selected(index, self.entries[index]))

    def move(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.y < len(self._line_entry):
            self.move_cursor(self._line_entry[offset.y], select=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return len(self._lines(width))

    def render(self) -> Text:
        return Text("\n", end="").join(self._lines(self.size.width))

    def _lines(self, width: int) -> list[Text]:
        """Draw every entry; a long name wraps under itself with the count on its first line."""
        width = max(width, 8)
        cursor_style = self.get_component_rich_style("category-list--cursor")
        count_style = self.get_component_rich_style("category-list--count")
        lines: list[Text] = []
        self._line_entry = []
        for index, entry in enumerate(self.entries):
            count = str(entry.count) if entry.count else ""
            room = width - len(count) - 3  # a leading space, a space before and after the count
            chunks = _wrap(safe_line(entry.name), max(room, 4))
            for number, chunk in enumerate(chunks):
                # rich Text, never markup: category names come from the user's config.
                line = Text(" " + chunk if number == 0 else "   " + chunk, end="")
                gap = width - line.cell_len - (len(count) + 1 if number == 0 else 0)
                line.append(" " * max(gap, 0))
                if number == 0 and count:
                    line.append(count, count_style)
                    line.append(" ")
                if index == self.cursor:
                    line.stylize(cursor_style)
                lines.append(line)
                self._line_entry.append(index)
        return lines


def _wrap(text: str, width: int) -> list[str]:
    """Word-wrap `text` to `width` cells (a word longer than the line is cut)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while cell_len(word) > width:
            lines.append(word[:width])
            word = word[width:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines
