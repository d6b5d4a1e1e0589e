"""Command palette entries of the reader: categories, refresh, unread only, open, copy, theme."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui_news.i18n import label
from tui_news.ui.display import safe_line

if TYPE_CHECKING:
    from tui_news.ui.screens.main import MainScreen


class ReaderCommands(Provider):
    """Commands of the main screen. Displays are Content, never markup (names come from config)."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from tui_news.ui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        main: MainScreen = screen
        lang = main.lang
        commands: list[tuple[str, Callable[[], object], str]] = []
        for index, entry in enumerate(main.categories.entries, 1):
            commands.append((label("cmd_category", lang, name=safe_line(entry.name)),
                             partial(main.action_sidebar, index), ""))
        for binding_id in ("refresh", "refresh_all", "unread_only", "open_link", "copy_link",
                           "full_text", "mark_all_read", "help"):
            action = getattr(main, f"action_{binding_id}")
            commands.append((label(f"key_{binding_id}", lang), action, ""))
        commands.append((label("cmd_theme", lang), self.app.action_change_theme, ""))
        return commands

    async def discover(self) -> Hits:
        for text, callback, help_text in self._commands():
            yield DiscoveryHit(Content(text), callback, text=text, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                # Content(text), not matcher.highlight(text): the highlighter parses markup.
                yield Hit(score, Content(text), callback, text=text, help=help_text or None)
