"""TuiNewsApp: opens the cache, applies the user's keymap and theme, shows the main screen."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.theme import Theme

from tui_news.config import Config
from tui_news.i18n import label
from tui_news.mark_queue import MarkQueue, MarkStatus
from tui_news.store import CacheMovedAside, Store, StoreError
from tui_news.ui.display import store_reason
from tui_news.ui.palette import ReaderCommands, command_palette, theme_palette
from tui_news.ui.screens.main import MainScreen


class TuiNewsApp(App[None]):
    """The reader. `now` fixes the clock (relative times, weather age) for tests and snapshots."""

    CSS_PATH = "app.tcss"
    TITLE = "tui-news"
    # Ours only: Textual's system commands are English and offer a second theme entry.
    COMMANDS = {ReaderCommands}
    BINDINGS = [
        Binding("ctrl+p", "command_palette", "Command palette", show=False,
                id="command_palette"),
    ]

    def __init__(self, config: Config, db_path: Path, *, offline: bool = False,
                 lang: str | None = None, now: datetime | None = None) -> None:
        super().__init__()
        self.config = config
        self.db_path = db_path
        self.offline = offline
        self.lang = lang or config.language
        self._fixed_now = now
        self.store: Store | None = None
        self.marks: MarkQueue | None = None
        self.unsaved: MarkStatus | None = None  # marks left unwritten at quit (see run_app)

    def now(self) -> datetime:
        """The current time (or the fixed one given to the constructor)."""
        return self._fixed_now or datetime.now(UTC)

    def on_mount(self) -> None:
        try:
            self.store = Store.open(self.db_path)
        except CacheMovedAside as moved:
            self.store = moved.store
            self.notify(label("cache_moved", self.lang, moved=moved.moved_to),
                        severity="warning", markup=False, timeout=10)
        except StoreError as exc:
            # Text, not str: the exit message is printed by Rich, which would parse a str as markup.
            self.exit(return_code=1, message=Text(str(exc)))
            return
        # The UI thread only reads (a read never waits for the write lock in WAL); a search may
        # index what waits for it, and gives up at once when another process holds the lock.
        self.store.busy_timeout = 0.25
        self.store.set_filters(self.config.filters)
        loop = asyncio.get_running_loop()

        def changed(status: MarkStatus) -> None:  # on the queue's thread: never block it
            loop.call_soon_threadsafe(self._marks_changed, status)

        self.marks = MarkQueue(self.db_path, identity=self.store.identity, on_change=changed)
        if self.config.keys:
            self.set_keymap(dict(self.config.keys))
        self._restore_theme()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        # Pushed after the app's mount (a batch update): pushed inside it, the screen's first
        # frame was drawn in full and thrown away (~35 ms at 160x48) before the one shown.
        self.call_later(self.push_screen, MainScreen(self.store, self.marks, self.config,
                                                     self.db_path, lang=self.lang,
                                                     offline=self.offline, now=self.now))

    def action_command_palette(self) -> None:
        """ctrl+p: the palette, in the UI language."""
        open_ = any(isinstance(screen, CommandPalette) for screen in self.screen_stack)
        if self.use_command_palette and not open_:
            self.push_screen(command_palette(self.lang))

    def action_change_theme(self) -> None:
        """The palette's theme command: the theme picker, in the UI language."""
        self.push_screen(theme_palette(self.lang))

    def _marks_changed(self, status: MarkStatus) -> None:
        for screen in self.screen_stack:  # under the help screen too
            if isinstance(screen, MainScreen):
                screen.marks_changed(status)

    def _restore_theme(self) -> None:
        assert self.store is not None
        try:
            name = self.store.setting("theme")
        except StoreError:
            return
        if name and name in self.available_themes:
            self.theme = name

    def _remember_theme(self, theme: Theme) -> None:
        if self.marks is not None:
            self.marks.set_setting("theme", theme.name)

    def on_unmount(self) -> None:
        if self.marks is not None:
            # One more try for whatever is still pending; run_app says what is left.
            status = self.marks.close()
            if status.pending:
                self.unsaved = status
        if self.store is not None:
            self.store.close()


def run_app(config: Config, db_path: Path, *, offline: bool, lang: str) -> int:
    """Run the reader until the user quits; the exit code for the CLI."""
    app = TuiNewsApp(config, db_path, offline=offline, lang=lang)
    app.run()
    if app.unsaved is not None:
        print(unsaved_message(app.unsaved, db_path, app.lang), file=sys.stderr)
        return app.return_code or 1
    return app.return_code or 0


def unsaved_message(status: MarkStatus, db_path: Path, lang: str) -> str:
    """The line said at quit when marks could not be written (in the UI language)."""
    return label("marks_unsaved", lang, count=status.pending, path=db_path,
                 reason=store_reason(status.kind, lang))


__all__ = ["TuiNewsApp", "run_app"]
