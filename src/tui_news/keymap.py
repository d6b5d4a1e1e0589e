"""The reader's actions and their default keys (no Textual), and the check of config `[keys]`.

`ui/keys.py` builds the reader's bindings from ACTIONS; config.py checks `[keys]` against them, so
an unknown action, a key name the terminal never sends or a key that two actions would share is
reported (and that line ignored) instead of leaving an action without a key.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

# (default keys, Textual action, id = the name users write in [keys], shown in the footer)
ACTIONS: tuple[tuple[str, str, str, bool], ...] = (
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
    ("l", "links", "links", False),
    ("ctrl+s", "save_search", "save_search", False),
    ("right", "expand", "expand", False),
    ("left", "collapse", "collapse", False),
)
# 1…9 jump to the Nth sidebar entry: nine ids, so each can be remapped on its own.
SIDEBAR: tuple[tuple[str, str, str, bool], ...] = tuple(
    (str(n), f"sidebar({n})", f"sidebar_{n}", False) for n in range(1, 10)
)
# Keys of the app itself (the command palette): a remap onto one would hide it.
APP_KEYS: Mapping[str, str] = {"ctrl+p": "command_palette"}

DEFAULT_KEYS: Mapping[str, tuple[str, ...]] = {
    action_id: tuple(keys.split(",")) for keys, _, action_id, _ in (*ACTIONS, *SIDEBAR)
}

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED = frozenset({
    "escape", "enter", "return", "tab", "space", "backspace", "delete", "insert", "home", "end",
    "pageup", "pagedown", "up", "down", "left", "right", *(f"f{n}" for n in range(1, 25)),
    # Textual's short names for some punctuation
    "slash", "backslash", "at", "minus", "plus", "underscore",
})
_SHORT_NAMES = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
                "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore"}


def key_name(key: str) -> str | None:
    """`key` as Textual names it (`?` → `question_mark`, `ctrl+r` stays), or None when no
    terminal key has that name (`ctl+r`, `rr`, `F5`, `ctrl+`)."""
    *modifiers, base = key.strip().split("+")
    if len(set(modifiers)) != len(modifiers) or not set(modifiers) <= _MODIFIERS:
        return None
    if len(base) == 1:
        if not base.isprintable() or base.isspace():
            return None
        if not base.isalnum():
            name = unicodedata.name(base, "").lower().replace("-", "_").replace(" ", "_")
            if not name:
                return None
            base = _SHORT_NAMES.get(name, name)
    elif base not in _NAMED:
        try:
            character = unicodedata.lookup(base.replace("_", " ").upper())
        except KeyError:
            return None
        if len(character) != 1 or character.isalnum() or not character.isprintable():
            return None
    return "+".join((*modifiers, base))


@dataclass(frozen=True)
class KeyProblem:
    """A `[keys]` line that is ignored, and why (in words for a warning)."""

    action: str
    reason: str


def check_keys(raw: Mapping[str, str]) -> tuple[dict[str, str], list[KeyProblem]]:
    """The remaps of `raw` that can be applied (keys as Textual names them) and the problems of
    the others: an unknown action, a key name no terminal sends, a key another action keeps."""
    valid: dict[str, tuple[str, ...]] = {}
    problems: list[KeyProblem] = []
    for action, keys in raw.items():
        if action not in DEFAULT_KEYS:
            problems.append(KeyProblem(action, f"unknown action {action!r} (actions: "
                                               + ", ".join(DEFAULT_KEYS) + ")"))
            continue
        names = [key_name(key) for key in keys.split(",")]
        bad = [key.strip() for key, name in zip(keys.split(","), names, strict=True) if not name]
        if bad:
            problems.append(KeyProblem(action, f"{bad[0]!r} is not a key name (such as r, R, "
                                               "ctrl+r, f5, question_mark)"))
            continue
        valid[action] = tuple(dict.fromkeys(n for n in names if n))
    # Clashes: a remapped key still held by another action (its default, or its own remap).
    while True:
        owner: dict[str, list[str]] = {key: [name] for key, name in APP_KEYS.items()}
        for action, defaults in DEFAULT_KEYS.items():
            for key in valid.get(action, defaults):
                owner.setdefault(key, []).append(action)
        clash = next(((action, key, owner[key]) for action, keys in valid.items()
                      for key in keys if len(owner[key]) > 1), None)
        if clash is None:
            break
        action, key, holders = clash
        other = next(h for h in holders if h != action)
        problems.append(KeyProblem(action, f"{key!r} is already the key of {other}; "
                                           f"{action} keeps its own"))
        del valid[action]
    return {action: ",".join(keys) for action, keys in valid.items()}, problems
