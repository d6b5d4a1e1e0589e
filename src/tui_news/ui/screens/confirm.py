"""ConfirmBar: a one-line question over the footer; y or enter says yes, n or escape says no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmBar(ModalScreen[bool]):
    """Asks before something that changes many articles at once (`a`). Every other key is
    ignored while it is up, so a stray key cannot answer it."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        # Content, not markup: the question carries a category name from the config.
        yield Static(Content(self._question), id="confirm-line", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
