"""The reader's key bindings: one Binding per action of keymap.py (the table, without Textual, that
config [keys] is checked against), each with an id so [keys] can remap it.

The id is the action name users write in `[keys]` (`refresh = "ctrl+r"`); labels come from i18n
(`key_<id>`), so the footer and the help screen follow both the language and any remap.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tui_news.keymap import ACTIONS, SIDEBAR

# Acted on when the key arrives, before the keys typed after it are handed out: `/` then moves
# the focus to the search box before the rest of a burst (fast typing, a paste) is delivered.
# Without it those keys went to the list, which had the focus when they were read.
_PRIORITY = frozenset({"search"})


def reader_bindings() -> list[BindingType]:
    """Every binding of the main screen, footer ones first (the footer keeps this order)."""
    bindings: list[BindingType] = [
        Binding(keys, action, id, show=show, id=id, priority=id in _PRIORITY)
        for keys, action, id, show in ACTIONS
    ]
    # 1…9 are nine bindings (one id each) so each can be remapped on its own.
    bindings += [Binding(keys, action, id, show=show, id=id) for keys, action, id, show in SIDEBAR]
    return bindings


def label_key(binding_id: str) -> str:
    """The i18n key that names a binding (all of 1…9 share one label)."""
    if binding_id.startswith("sidebar_"):
        return "key_sidebar"
    return f"key_{binding_id}"
