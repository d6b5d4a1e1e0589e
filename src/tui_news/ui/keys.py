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
# j/k and the arrows too: a key bound on the screen otherwise travels from the focused pane up
# through each container around it (a message queue each) before its binding runs, 1.3 ms of a
# ~9 ms key press (bench/RESULTS.md). In the search box MainScreen.check_action declines them: the
# letters are typed there, and the box's own bindings (search_box_bindings) move the list.
_PRIORITY = frozenset({"search", "down", "up"})
# The search box's: the same ids (so [keys] remaps them too), acting on the list.
_SEARCH_BOX = {"down": "screen.move_list(1)", "up": "screen.move_list(-1)"}


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


def search_box_bindings() -> list[BindingType]:
    """The keys that move the list while the search box has the focus (the box takes the
    printable ones, j and k, as text before any binding)."""
    return [Binding(keys, _SEARCH_BOX[id], id, show=False, id=id)
            for keys, _, id, _ in ACTIONS if id in _SEARCH_BOX]
