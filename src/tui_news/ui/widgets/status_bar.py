"""StatusBar: the main keys (as remapped, in the UI language), refresh progress, offline state."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from tui_news.i18n import label
from tui_news.ui.display import safe_line
from tui_news.ui.keys import label_key


class KeyBar(Static):
    """The footer line of keys, built from the screen's live bindings so remaps show."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--label"}

    def show_bindings(self, bindings: list[Binding], lang: str, key_display) -> None:  # type: ignore[no-untyped-def]
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        key_style = self.get_component_rich_style("key-bar--key")
        label_style = self.get_component_rich_style("key-bar--label")
        for binding in bindings:
            text.append(f" {key_display(binding)} ", key_style)
            text.append(f"{label(label_key(binding.id or binding.action), lang)} ", label_style)
        self.update(text)


class StatusBar(Horizontal):
    """Bottom line: keys on the left; refresh progress or the offline state on the right."""

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
            state.update(Text(line), layout=resize)
        state.set_class(offline, "-offline")
        state.set_class(error, "-error")

    def set_progress(self, done: int | None, total: int | None = None) -> None:
        """Show refresh progress; None hides the bar."""
        bars = self.query("#progress").results(ProgressBar)
        bar = next(bars, None)
        if done is None:
            if bar is not None:
                bar.display = False
            return
        if bar is None:
            bar = ProgressBar(id="progress", show_eta=False, show_percentage=False)
            self.mount(bar, before="#state")
        bar.display = True
        bar.update(total=total or None, progress=done)
