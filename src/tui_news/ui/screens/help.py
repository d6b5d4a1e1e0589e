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


def help_rows(screen: Screen[Any], lang: str) -> list[tuple[str, str]]:
    """(keys, action) for every binding in force, remaps included; 1…9 as one row."""
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
        by_action.setdefault(name, [])
        if display not in by_action[name]:
            by_action[name].append(display)
    rows = []
    for name, keys in by_action.items():
        if name == label("key_sidebar", lang) and len(keys) == 9:
            keys = [f"{keys[0]}…{keys[-1]}"]
        rows.append((" / ".join(keys), name))
    return rows
