"""What every command shares: the Context, one-line errors, exit codes, the table entry."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui_news.config import Config
from tui_news.i18n import label
from tui_news.store import CacheMovedAside, Store, StoreError
from tui_news.text import clean, fold

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """A command could not do its job: one line for stderr and an exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.status = status


class UsageError(CommandError):
    """The command line itself is wrong: one line, exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)


def err(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"tui-news: {message}", file=sys.stderr)


@dataclass
class Context:
    """What every command gets: the settings and where the cache is."""

    config: Config
    db_path: Path
    offline: bool
    lang: str

    def category(self, name: str, known: Sequence[str] | None = None) -> str:
        """The configured category `name` means, typed the way a person types: case, diacritics
        and spacing optional (`thoi su`, `THỜI SỰ`). A usage error lists them when none fits.
        `known`: the categories to choose from, when not only the configured ones."""
        categories = tuple(self.config.categories if known is None else known)
        if name in categories:
            return name
        wanted = " ".join(fold(name).split())
        matches = [c for c in categories if " ".join(fold(c).split()) == wanted]
        if len(matches) == 1:
            return matches[0]
        if matches:  # two categories differing only in marks: the exact spelling is needed
            raise UsageError(f"category {clean(name, limit=80)!r} is ambiguous: "
                             + ", ".join(matches))
        raise UsageError(f"unknown category {clean(name, limit=80)!r}; categories: "
                         + ", ".join(categories))

    def open_store(self) -> Store:
        """The cache, with the config's filters hiding what they match."""
        if Store.long_upgrade_due(self.db_path):
            err(label("cache_upgrading", self.lang, path=self.db_path))
        try:
            store = Store.open(self.db_path)
        except CacheMovedAside as moved:
            err(str(moved))
            store = moved.store
        except StoreError as exc:
            raise CommandError(str(exc)) from None
        store.set_filters(self.config.filters)
        return store


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command without options of its own."""


@dataclass(frozen=True)
class Command:
    """One row of the command table: its name, its line in `--help`, its handler, its options.

    `creates_config`: the command may write a config file that does not exist yet, so an explicit
    `--config` naming a missing file is not an error for it."""

    name: str
    help: str
    run: Callable[[Context, argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
    creates_config: bool = False
