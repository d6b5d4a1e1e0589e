"""ArticleView: the article pane, one Static per block of `render.article_document`.

One widget per block lets the stylesheet set captions apart and push the byline right
(`.part-caption`, `.part-byline` in app.tcss), and the pane shows exactly what `show` prints.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

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

    def __init__(self, *, placeholder: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article_id: int | None = None
        self._placeholder = placeholder

    def compose(self):  # type: ignore[no-untyped-def]
        yield PartText(Content(self._placeholder), classes="part-placeholder", markup=False)

    def show(self, article_id: int, parts: list[Part]) -> None:
        """Replace the pane's content with an article's parts, scrolled to the top."""
        same = article_id == self.article_id
        self.article_id = article_id
        widgets = [
            PartText(Content(safe_text(p.text) if p.kind in ("paragraph", "lead", "caption")
                           else safe_line(p.text)),
                   classes=f"part part-{p.kind}", markup=False)
            for p in parts
        ]
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(widgets)
        if not same:
            self.scroll_home(animate=False, immediate=True)

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
