"""ArticleView: the article pane, one Static per block of `render.article_document`.

One widget per block lets the stylesheet set captions apart and push the byline right
(`.part-caption`, `.part-byline` in app.tcss), and the pane shows exactly what `show` prints.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui_news.i18n import label
from tui_news.render import Part
from tui_news.ui.display import safe_line, safe_text


class PartText(Static):
    """One block of the article (a Static that never starts a selection once removed)."""

    @property
    def allow_select(self) -> bool:
        # A click can reach a block `show` has just removed (still in the last frame's map):
        # Textual then starts a selection in a widget without a parent and raises. Only a block
        # still in the pane may start one.
        return self.parent is not None and super().allow_select


class ArticleView(VerticalScroll, can_focus=True, inherit_bindings=False):
    """The open article: title, date line, link, note, lead, body, byline, numbered links."""

    def __init__(self, *, placeholder: str, lang: str = "vi", id: str | None = None) -> None:
        super().__init__(id=id)
        self.article_id: int | None = None
        self._placeholder = placeholder
        self._lang = lang
        self._read = False
        self._starred = False

    def compose(self):  # type: ignore[no-untyped-def]
        yield PartText(Content(self._placeholder), classes="part-placeholder", markup=False)

    def show(self, article_id: int, parts: list[Part], *, read: bool, starred: bool) -> None:
        """Replace the pane's content with an article's parts, scrolled to the top; under the
        date line, whether it is read and saved (m and s change it)."""
        same = article_id == self.article_id
        self.article_id = article_id
        self._read, self._starred = read, starred
        widgets = []
        for part in parts:
            text = (safe_text(part.text) if part.kind in ("paragraph", "lead", "caption")
                    else safe_line(part.text))
            widgets.append(PartText(Content(text), classes=f"part part-{part.kind}",
                                    markup=False))
            if part.kind == "meta":
                state = "part part-state -starred" if starred else "part part-state"
                widgets.append(PartText(self._state_text(), classes=state, markup=False))
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(widgets)
        if not same:
            self.scroll_home(animate=False, immediate=True)

    def set_state(self, *, read: bool | None = None, starred: bool | None = None) -> None:
        """The open article's read / saved state changed (m, s, a, opening it)."""
        if read is not None:
            self._read = read
        if starred is not None:
            self._starred = starred
        for line in self.query(".part-state").results(Static):
            line.update(self._state_text())
            line.set_class(self._starred, "-starred")

    def _state_text(self) -> Content:
        parts = [label("state_read" if self._read else "state_unread", self._lang)]
        if self._starred:
            parts.append(label("state_saved", self._lang))
        return Content(" · ".join(parts))

    def set_note(self, text: str, *, error: bool = False) -> None:
        """Change the "summary / full text" note (e.g. to "loading…" or a one-line error)."""
        for note in self.query(".part-note").results(Static):
            note.update(Content(safe_line(text)))
            note.set_class(error, "-error")

    def clear(self) -> None:
        self.article_id = None
        self.remove_children()
        self.mount(PartText(Content(self._placeholder), classes="part-placeholder",
                            markup=False))
