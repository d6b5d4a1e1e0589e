"""What every command shares: the Context, one-line errors, exit codes, the table entry."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui_news.config import Config
from tui_news.store import CacheMovedAside, Store, StoreError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """A command could not do its job: one line for stderr and an exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.status = status


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

    def open_store(self) -> Store:
        try:
            return Store.open(self.db_path)
        except CacheMovedAside as moved:
            err(str(moved))
            return moved.store
        except StoreError as exc:
            raise CommandError(str(exc)) from None


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command without options of its own."""


@dataclass(frozen=True)
class Command:
    """One row of the command table: its name, its line in `--help`, its options, its handler."""

    name: str
    help: str
    run: Callable[[Context, argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
