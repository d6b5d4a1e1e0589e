"""HelpScreen: every key of the reader, read from the live bindings so remaps show."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui_news.i18n import LABELS, label
from tui_news.ui.keys import label_key


class HelpScreen(ModalScreen[None]):
    """A modal table of key → action; escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", show=False),
        # The reader's own moves, so a long table (80x24) is walked as the list is.
        Binding("j", "scroll(1)", show=False),
        Binding("k", "scroll(-1)", show=False),
        Binding("space", "page(1)", show=False),
        Binding("b", "page(-1)", show=False),
        Binding("g", "end(0)", show=False),
        Binding("G", "end(1)", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str]], lang: str) -> None:
        super().__init__()
        self._rows = rows
        self._lang = lang

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _ in self._rows), default=4) + 2
        text = Text(end="")
        text.append(f"{label('key', self._lang):<{width}}{label('action', self._lang)}\n",
                    style="bold")
        for key, action in self._rows:
            text.append(f"{key:<{width}}", style="bold")
            text.append(f"{action}\n")
        text.append(f"\n{label('help_close', self._lang)}", style="dim")
        with VerticalScroll(id="help-box") as box:
            box.border_title = label("help_title", self._lang)
            yield Static(text, id="help-keys")


    @property
    def box(self) -> VerticalScroll:
        return self.query_one("#help-box", VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        self.box.scroll_relative(y=lines, animate=False)

    def action_page(self, direction: int) -> None:
        if direction > 0:
            self.box.scroll_page_down(animate=False)
        else:
            self.box.scroll_page_up(animate=False)

    def action_end(self, end: int) -> None:
        if end:
            self.box.scroll_end(animate=False)
        else:
            self.box.scroll_home(animate=False)


def help_rows(screen: Screen[Any], lang: str) -> list[tuple[str, str]]:
    """(keys, action) for every binding in force, remaps included; 1…9 as one row. The reader's
    keys come first in the order of keys.py, Textual's own (copy, palette, quit) after them."""
    order = {b.id: n for n, b in enumerate(screen.BINDINGS) if isinstance(b, Binding) and b.id}
    first: dict[str, int] = {}  # row name -> where it goes
    by_action: dict[str, list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.id and binding.id.startswith("sidebar_"):
            name = label("key_sidebar", lang)
        elif binding.id and label_key(binding.id) in LABELS["vi"]:
            name = label(label_key(binding.id), lang)
        elif label_key(binding.action.rpartition(".")[2]) in LABELS["vi"]:
            # Textual's own bindings (ctrl+q, ctrl+c) have no id: name them by action.
            name = label(label_key(binding.action.rpartition(".")[2]), lang)
        elif binding.description:
            name = binding.description
        else:
            continue
        display = screen.app.get_key_display(replace(binding, key=key))
        place = order.get(binding.id or "", len(order))
        first[name] = min(first.get(name, place), place)
        by_action.setdefault(name, [])
        if display not in by_action[name]:
            by_action[name].append(display)
    rows = []
    for name, keys in sorted(by_action.items(), key=lambda item: first[item[0]]):
        if name == label("key_sidebar", lang) and len(keys) == 9:
            keys = [f"{keys[0]}…{keys[-1]}"]
        rows.append((" / ".join(keys), name))
    return rows
