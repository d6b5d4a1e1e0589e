"""The reader's key bindings: one Binding per action, each with an id so config [keys] can remap it.

The id is the action name users write in `[keys]` (`refresh = "ctrl+r"`); labels come from i18n
(`key_<id>`), so the footer and the help screen follow both the language and any remap.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

# (keys, action, id, shown in the footer)
_DEFINITIONS: tuple[tuple[str, str, str, bool], ...] = (
    ("r", "refresh", "refresh", True),
    ("slash", "search", "search", True),
    ("u", "unread_only", "unread_only", True),
    ("s", "star", "star", True),
    ("o", "open_link", "open_link", True),
    ("f", "full_text", "full_text", True),
    ("question_mark", "help", "help", True),
    ("q", "quit", "quit", True),
    ("j,down", "cursor_down", "down", False),
    ("k,up", "cursor_up", "up", False),
    ("enter", "open", "open", False),
    ("tab", "focus_next_pane", "focus_next", False),
    ("shift+tab", "focus_previous_pane", "focus_previous", False),
    ("g,home", "first", "first", False),
    ("G,end", "last", "last", False),
    ("pagedown", "list_page_down", "list_page_down", False),
    ("pageup", "list_page_up", "list_page_up", False),
    ("space", "page_down", "page_down", False),
    ("b", "page_up", "page_up", False),
    ("n", "next_unread", "next_unread", False),
    ("N", "previous_unread", "previous_unread", False),
    ("m", "toggle_read", "toggle_read", False),
    ("a", "mark_all_read", "mark_all_read", False),
    ("U,ctrl+z", "undo", "undo", False),
    ("y", "copy_link", "copy_link", False),
    ("R", "refresh_all", "refresh_all", False),
    ("escape", "back", "back", False),
)


# Acted on when the key arrives, before the keys typed after it are handed out: `/` then moves
# the focus to the search box before the rest of a burst (fast typing, a paste) is delivered.
# Without it those keys went to the list, which had the focus when they were read.
_PRIORITY = frozenset({"search"})


def reader_bindings() -> list[BindingType]:
    """Every binding of the main screen, footer ones first (the footer keeps this order)."""
    bindings: list[BindingType] = [
        Binding(keys, action, id, show=show, id=id, priority=id in _PRIORITY)
        for keys, action, id, show in _DEFINITIONS
    ]
    # 1…9 are nine bindings (one id each) so each can be remapped on its own.
    bindings += [
        Binding(str(n), f"sidebar({n})", f"sidebar_{n}", show=False, id=f"sidebar_{n}")
        for n in range(1, 10)
    ]
    return bindings


def label_key(binding_id: str) -> str:
    """The i18n key that names a binding (all of 1…9 share one label)."""
    if binding_id.startswith("sidebar_"):
        return "key_sidebar"
    return f"key_{binding_id}"
