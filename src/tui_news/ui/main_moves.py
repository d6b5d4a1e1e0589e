"""MainMovesMixin: the main screen's keys that move (cursor, pages, ends, panes, sidebar entries,
the next unread article), each acting on the focused pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_news.i18n import label
from tui_news.ui.display import safe_line

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui_news.ui.widgets.article_list import ArticleList
    from tui_news.ui.widgets.article_view import ArticleView
    from tui_news.ui.widgets.category_list import CategoryList

    _Base = Screen[None]  # for the type checker: the mixin's self is a MainScreen
else:
    _Base = object


class MainMovesMixin(_Base):
    """Mixed into MainScreen (not a screen of its own): j/k, enter, tab, 1…9, space/b, PgDn/PgUp,
    g/G, n/N. The view itself changes through MainScreen's reactive `entry`."""

    # Provided by MainScreen.
    lang: str
    entry: int
    search_text: str | None
    if TYPE_CHECKING:
        @property
        def categories(self) -> CategoryList: ...
        @property
        def articles(self) -> ArticleList: ...
        @property
        def article_view(self) -> ArticleView: ...

        def load_view(self, keep: int | None = None, *, first_screen: bool = False) -> None: ...

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_move_list(self, delta: int) -> None:
        """The search box's down/up: the results move, the box keeps the focus."""
        self.articles.move(delta)

    def _step(self, delta: int) -> None:
        focused = self.focused
        if focused is self.categories:
            self.entry = max(0, min(self.entry + delta, len(self.categories.entries) - 1))
        elif focused is self.article_view:
            if delta > 0:
                self.article_view.scroll_down(animate=False)
            else:
                self.article_view.scroll_up(animate=False)
        else:
            self.articles.move(delta)

    def action_open(self) -> None:
        focused = self.focused
        if focused is self.categories:
            self.categories.move_cursor(self.entry, select=True)
        elif focused is self.articles:
            self.articles.select()

    def action_focus_next_pane(self) -> None:
        self.focus_next()

    def action_focus_previous_pane(self) -> None:
        self.focus_previous()

    def action_sidebar(self, number: int) -> None:
        """Jump to the Nth sidebar entry (1 = Tất cả) and show its articles."""
        if number <= len(self.categories.entries):
            self.entry = number - 1
            self.set_focus(self.articles)

    def action_page_down(self) -> None:
        self.article_view.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.article_view.scroll_page_up(animate=False)

    def action_list_page_down(self) -> None:
        self._page(1)

    def action_list_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        """PgDn/PgUp: a screenful of the focused pane (the list unless the sidebar or the
        article has the focus)."""
        focused = self.focused
        if focused is self.categories:
            self._step(direction * self.categories.page_size)
        elif focused is self.article_view:
            if direction > 0:
                self.article_view.scroll_page_down(animate=False)
            else:
                self.article_view.scroll_page_up(animate=False)
        else:
            self.articles.move(direction * self.articles.page_size)

    def action_first(self) -> None:
        self._end(0)

    def action_last(self) -> None:
        self._end(-1)

    def _end(self, end: int) -> None:
        """g/Home (end 0) and G/End (end -1): the first or last line of the focused pane."""
        focused = self.focused
        if focused is self.categories:
            self.entry = end % len(self.categories.entries)
        elif focused is self.article_view:
            if end == 0:
                self.article_view.scroll_home(animate=False)
            else:
                self.article_view.scroll_end(animate=False)
        elif self.articles.ids:
            self.articles.move_cursor(end % len(self.articles.ids))

    def action_next_unread(self) -> None:
        self._jump_unread(1)

    def action_previous_unread(self) -> None:
        self._jump_unread(-1)

    def _jump_unread(self, step: int) -> None:
        """n/N: the next unread article of the view, else of the next category that has one
        (the sidebar's order, round to the start), else say none is left."""
        index = self.articles.find_unread(step)
        if index is None:
            index = self._unread_elsewhere(step)
        if index is None:
            self.app.notify(label("no_unread_left", self.lang), markup=False)
            return
        self.articles.move_cursor(index)
        self.articles.select()

    def _unread_elsewhere(self, step: int) -> int | None:
        """Move the view on to the next category with an unread article (n) or the previous one
        (N) and return that article's row; None, the view unchanged, when there is none.

        A search or a view of the sidebar's own (all, unread, saved) wraps round within itself.
        """
        entries = self.categories.entries
        start = self.entry
        if self.search_text is not None or entries[start].category is None:
            return self.articles.find_unread(step, after=-1 if step > 0 else len(self.articles.ids))
        keep = self.articles.current_id
        for k in range(1, len(entries) + 1):  # the last round is this category, from its start
            index = (start + k * step) % len(entries)
            if index != start:
                entry = entries[index]
                if entry.category is None or not entry.count:
                    continue
                self.entry = index  # loads its articles at once (watch_entry)
            first = -1 if step > 0 else len(self.articles.ids)
            found = self.articles.find_unread(step, after=first)
            if found is not None:
                if index != start:
                    self.app.notify(label("next_category", self.lang,
                                          name=safe_line(entries[index].name)), markup=False)
                return found
        if self.entry != start:  # counts said unread, the rows said otherwise (marks pending)
            self.entry = start
            self.load_view(keep=keep)
        return None
