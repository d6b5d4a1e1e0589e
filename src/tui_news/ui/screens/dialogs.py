"""Small modal dialogs: a list to choose from (an article's links, a page's feeds) and a one-line
prompt (a feed's URL, a saved search's name). Every text is Content, never markup."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui_news.ui.display import safe_line


class ChoiceScreen(ModalScreen[int | None]):
    """A titled list; enter gives the highlighted row's index, escape gives None. With `copy`,
    `y` hands the highlighted row's index to it and the list stays open."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", show=False),
        Binding("y", "copy", show=False),
    ]

    def __init__(self, title: str, rows: Sequence[str], hint: str, *,
                 copy: Callable[[int], None] | None = None) -> None:
        super().__init__()
        self._title = title
        self._rows = list(rows)
        self._hint = hint
        self._copy = copy

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = Content(safe_line(self._title))
            yield OptionList(*(Option(Content(safe_line(row))) for row in self._rows),
                             id="choices")
            yield Static(Content(self._hint), classes="dialog-hint")

    @property
    def choices(self) -> OptionList:
        return self.query_one("#choices", OptionList)

    def on_mount(self) -> None:
        if self._rows:
            self.choices.highlighted = 0

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(message.option_index)

    def action_copy(self) -> None:
        index = self.choices.highlighted
        if self._copy is not None and index is not None:
            self._copy(index)


class PromptScreen(ModalScreen[str | None]):
    """One line of input: enter gives the text (stripped), escape gives None."""

    BINDINGS = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, title: str, hint: str, *, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._hint = hint
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = Content(safe_line(self._title))
            yield Input(value=self._value, placeholder=self._placeholder, id="answer")
            yield Static(Content(self._hint), classes="dialog-hint")

    @on(Input.Submitted, "#answer")
    def _answered(self, message: Input.Submitted) -> None:
        self.dismiss(message.value.strip())
