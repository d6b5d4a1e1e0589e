"""The command line: parse arguments, build the Context, run a command from the table or the
reader, and turn every failure into one line on stderr and an exit status."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from tui_news import __version__, paths
from tui_news.commands import COMMANDS
from tui_news.commands.context import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Context,
    UsageError,
    err,
)
from tui_news.config import ConfigError, load_config
from tui_news.i18n import label
from tui_news.store import Store, StoreError
from tui_news.text import clean


class OneLineParser(argparse.ArgumentParser):
    """argparse with its usage errors as one line (never the usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    # Global options are accepted before and after the command (SUPPRESS keeps a value given
    # before the command from being reset by the subcommand's own default).
    common = OneLineParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (env TUI_NEWS_CONFIG); one given must exist",
    )
    common.add_argument(
        "--data-dir",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="where the cache lives (env TUI_NEWS_DATA_DIR)",
    )
    common.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="never touch the network; read from the cache",
    )
    common.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=argparse.SUPPRESS,
        help="language of the labels (default from the config: vi)",
    )

    parser = OneLineParser(
        prog="tui-news",
        parents=[common],
        description="A terminal news reader for Vietnamese news. Without a command it opens "
        "the reader (on a terminal).",
        epilog="`tui-news COMMAND --help` describes a command. Exit status: 0 done, 1 could not, "
        "2 usage or config error.",
    )
    parser.add_argument("--version", action="version", version=f"tui-news {__version__}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for command in COMMANDS.values():
        command.arguments(
            sub.add_parser(command.name, parents=[common], help=command.help,
                           description=command.help[:1].upper() + command.help[1:] + ".")
        )
    return parser


def reader_terminal_error() -> str | None:
    """Why the reader cannot open here (no terminal on stdin or stdout), else None."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return None
    return ("the reader needs a terminal (stdin and stdout); for a list of articles use "
            "`tui-news articles` (see `tui-news --help`)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        err(str(exc))
        return exc.status
    command = COMMANDS.get(args.command) if args.command else None
    explicit = getattr(args, "config", None) or os.environ.get("TUI_NEWS_CONFIG") or None
    config_path = paths.config_file(explicit)
    if explicit and not config_path.exists() and not (command and command.creates_config):
        given = "--config" if getattr(args, "config", None) else "TUI_NEWS_CONFIG"
        err(f"{config_path}: config file not found (given by {given})")
        return EXIT_USAGE
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        err(str(exc))
        return EXIT_USAGE
    if command is None and (problem := reader_terminal_error()):
        err(problem)  # cron or a pipe: one line, nothing on stdout, no screen drawn
        return EXIT_USAGE
    for warning in config.warnings:
        err(warning)
    context = Context(
        config=config,
        db_path=paths.database(paths.data_dir(getattr(args, "data_dir", None))),
        offline=getattr(args, "offline", False),
        lang=getattr(args, "lang", None) or config.language,
    )
    try:
        if command is None:
            if Store.long_upgrade_due(context.db_path):
                # Before the screen is taken: the reader would stay blank while it upgrades.
                err(label("cache_upgrading", context.lang, path=context.db_path))
                with contextlib.suppress(StoreError):  # the reader reports it on its screen
                    Store.open(context.db_path).close()
            from tui_news.ui.app import run_app  # Textual only when the reader opens

            return run_app(config, context.db_path, offline=context.offline, lang=context.lang)
        return int(command.run(context, args))
    except CommandError as exc:
        err(str(exc))
        return exc.status
    except StoreError as exc:
        err(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `tui-news articles | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # a bug of ours: one line, the traceback only when asked for
        if os.environ.get("TUI_NEWS_DEBUG"):
            raise
        err(
            f"internal error: {clean(type(exc).__name__)}: {clean(str(exc), limit=200)} "
            "(set TUI_NEWS_DEBUG=1 to see where)"
        )
        return EXIT_FAILED
