"""The command line: parse arguments, build the Context, run a command from the table or the
reader, and turn every failure into one line on stderr and an exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from tui_news import __version__, paths
from tui_news.commands import COMMANDS
from tui_news.commands.context import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Context,
    err,
)
from tui_news.config import ConfigError, load_config
from tui_news.store import StoreError
from tui_news.text import clean


def build_parser() -> argparse.ArgumentParser:
    # Global options are accepted before and after the command (SUPPRESS keeps a value given
    # before the command from being reset by the subcommand's own default).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (env TUI_NEWS_CONFIG)",
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

    parser = argparse.ArgumentParser(
        prog="tui-news",
        parents=[common],
        description="A terminal news reader for Vietnamese news. Without a command it opens "
        "the reader.",
    )
    parser.add_argument("--version", action="version", version=f"tui-news {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS.values():
        command.arguments(sub.add_parser(command.name, parents=[common], help=command.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = load_config(paths.config_file(getattr(args, "config", None)))
    except ConfigError as exc:
        err(str(exc))
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
        if args.command is None:
            from tui_news.ui.app import run_app  # Textual only when the reader opens

            return run_app(config, context.db_path, offline=context.offline, lang=context.lang)
        return int(COMMANDS[args.command].run(context, args))
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
