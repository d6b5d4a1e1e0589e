"""The command palette, in the UI language: the reader's commands, theme and quit; matching with
diacritics optional ("lam moi" finds "Làm mới")."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui_news.i18n import label
from tui_news.text import fold
from tui_news.ui.display import safe_line

if TYPE_CHECKING:
    from textual.app import App

    from tui_news.ui.screens.main import MainScreen

# The reader's actions offered in the palette, in this order (labels are the keys' own).
ACTIONS = ("refresh", "refresh_all", "search", "unread_only", "star", "toggle_read",
           "mark_all_read", "undo", "open_link", "copy_link", "links", "full_text",
           "save_search", "help")


def command_palette(lang: str) -> CommandPalette:
    """The palette (ctrl+p) with its placeholder in the UI language."""
    return CommandPalette(placeholder=label("palette_placeholder", lang), id="--command-palette")


def theme_palette(lang: str) -> CommandPalette:
    """The theme picker (from the palette's theme command) in the UI language."""
    return CommandPalette(providers=[ThemeCommands], placeholder=label("theme_placeholder", lang))


class ReaderCommands(Provider):
    """Every command of the palette (the app offers no other provider, so none is in English
    and the theme is offered once). Displays are Content, never markup: names come from config.
    """

    def _commands(self) -> list[tuple[str, Callable[[], object]]]:
        from tui_news.ui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        main: MainScreen = screen
        lang = main.lang
        commands: list[tuple[str, Callable[[], object]]] = [
            (label("cmd_category", lang, name=safe_line(entry.name)),
             partial(main.action_sidebar, index))
            for index, entry in enumerate(main.categories.entries, 1)
        ]
        for binding_id in ACTIONS:
            commands.append((label(f"key_{binding_id}", lang),
                             getattr(main, f"action_{binding_id}")))
        commands.append((label("cmd_add_feed", lang), main.action_add_feed))
        commands.append((label("cmd_sources", lang), main.action_toggle_sources))
        app: App[object] = self.app
        commands.append((label("cmd_theme", lang), app.action_change_theme))
        commands.append((label("key_quit", lang), main.action_quit))
        return commands

    async def discover(self) -> Hits:
        for text, callback in self._commands():
            yield DiscoveryHit(Content(text), callback, text=text)

    async def search(self, query: str) -> Hits:
        # Folded on both sides: no marks, đ→d, any case. The display stays as written.
        matcher = self.matcher(fold(query))
        found = False
        for text, callback in self._commands():
            score = matcher.match(fold(text))
            if score > 0:
                found = True
                yield Hit(score, Content(text), callback, text=text)
        if not found:
            yield no_match(getattr(self.screen, "lang", "vi"), query)


class ThemeCommands(Provider):
    """The theme picker: every theme by name (Textual's ThemeProvider, but its "no matches"
    line in the UI language)."""

    def _themes(self) -> list[tuple[str, Callable[[], object]]]:
        app = self.app
        return [(name, partial(setattr, app, "theme", name))
                for name in sorted(app.available_themes)]

    async def discover(self) -> Hits:
        for name, callback in self._themes():
            yield DiscoveryHit(Content(name), callback, text=name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold(query))
        found = False
        for name, callback in self._themes():
            score = matcher.match(fold(name))
            if score > 0:
                found = True
                yield Hit(score, Content(name), callback, text=name)
        if not found:
            yield no_match(getattr(self.app, "lang", "vi"), query)


def no_match(lang: str, query: str) -> Hit:
    """The line shown when nothing matches, in the UI language (Textual's own "No matches
    found" is English, and only a hit keeps it away). Choosing it just closes the palette."""
    return Hit(0.01, Content(label("palette_no_match", lang, query=safe_line(query))),
               _nothing, text="")


def _nothing() -> None:
    """What the "no match" line does when chosen: nothing."""
