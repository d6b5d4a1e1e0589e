"""StatusBar: the main keys (as remapped, in the UI language), refresh progress, offline state."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import ProgressBar, Static

from tui_news.i18n import label
from tui_news.ui.display import safe_line
from tui_news.ui.keys import label_key

# The key that must always show: `?` lists every other one (PRODUCT.md).
ALWAYS_SHOWN = "help"


class KeyBar(Widget):
    """The footer line of keys, built from the screen's live bindings so remaps show.

    Keys that do not fit are left out whole (never cut in the middle), `?` (help) always stays.
    """

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--label"}

    _items: list[tuple[str, str, str]] = []  # (binding id, key shown, label)

    def show_bindings(
        self, bindings: list[Binding], lang: str, key_display: Callable[[Binding], str]
    ) -> None:
        self._items = [
            (b.id or b.action, key_display(b), label(label_key(b.id or b.action), lang))
            for b in bindings
        ]
        self.refresh()

    def shown_ids(self, width: int) -> list[str]:
        """The ids of the keys that fit in `width` cells, in footer order."""
        sizes = [cell_len(self._item(key, name)) for _, key, name in self._items]
        keep = {n for n, (binding_id, _, _) in enumerate(self._items) if binding_id == ALWAYS_SHOWN}
        used = sum(sizes[n] for n in keep)
        for n, size in enumerate(sizes):
            if n not in keep and used + size <= width:
                keep.add(n)
                used += size
        return [self._items[n][0] for n in sorted(keep)]

    @staticmethod
    def _item(key: str, name: str) -> str:
        return f" {key} {name} "

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        label_style = self.get_component_rich_style("key-bar--label")
        shown = set(self.shown_ids(self.size.width))
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for binding_id, key, name in self._items:
            if binding_id in shown:
                text.append(f" {key} ", key_style)
                text.append(f"{name} ", label_style)
        return text


class StatusBar(Horizontal):
    """Bottom line: keys on the left; refresh progress or the offline state on the right.

    The state takes at most half the line and is cut with "…"; the keys fit in the rest.
    """

    _state_text = ""

    def compose(self) -> ComposeResult:
        # The progress bar is mounted by the first refresh: it is not needed for the first paint.
        yield KeyBar(id="keys")
        yield Static(id="state", markup=False)

    def set_state(self, text: str, *, offline: bool = False, error: bool = False) -> None:
        """The right-hand status (the text may carry a feed error: shown as plain text)."""
        state = self.query_one("#state", Static)
        line = safe_line(text)
        if line != self._state_text:
            # A layout pass (the field is `width: auto`) only when the width changes: during a
            # refresh the count changes many times a second and a layout repaints every pane.
            resize = cell_len(line) != cell_len(self._state_text)
            self._state_text = line
            state.update(Text(line, no_wrap=True, overflow="ellipsis", end=""), layout=resize)
        state.set_class(offline, "-offline")
        state.set_class(error, "-error")

    def set_progress(self, done: int | None, total: int | None = None) -> None:
        """Show refresh progress; None hides the bar."""
        bars = self.query("#progress").results(ProgressBar)
        bar = next(bars, None)
        if done is None:
            if bar is not None:
                bar.add_class("-idle")
            return
        if bar is None:
            bar = ProgressBar(id="progress", show_eta=False, show_percentage=False)
            self.mount(bar, before="#state")
        bar.remove_class("-idle")
        bar.update(total=total or None, progress=done)
