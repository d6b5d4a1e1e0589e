"""SearchBox: the main screen's search field, an Input whose down/up keys move the list."""

from __future__ import annotations

from textual.widgets import Input

from tui_news.ui.keys import search_box_bindings


class SearchBox(Input):
    """Typed text searches (MainScreen runs it after a pause); the down/up keys move the
    results while the box keeps the focus (the screen's own j/k/arrow bindings are declined
    here, keys.py)."""

    BINDINGS = search_box_bindings()
