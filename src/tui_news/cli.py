"""The command line: parse arguments, build the services, run a command or the reader."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from tui_news import __version__, paths
from tui_news.config import Config, ConfigError, load_config
from tui_news.links import redact_url
from tui_news.models import Article, ArticleQuery, FeedResult
from tui_news.store import CacheMovedAside, Store, StoreError
from tui_news.text import clean

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A command could not do its job: one line for stderr and an exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.status = status


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
            _err(str(moved))
            return moved.store
        except StoreError as exc:
            raise CommandError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    # Global options are accepted before and after the command (SUPPRESS keeps a value given
    # before the command from being reset by the subcommand's own default).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help="config file (env TUI_NEWS_CONFIG)")
    common.add_argument("--data-dir", metavar="PATH", default=argparse.SUPPRESS,
                        help="where the cache lives (env TUI_NEWS_DATA_DIR)")
    common.add_argument("--offline", action="store_true", default=argparse.SUPPRESS,
                        help="never touch the network; read from the cache")
    common.add_argument("--lang", choices=("vi", "en"), default=argparse.SUPPRESS,
                        help="language of the labels (default from the config: vi)")

    parser = argparse.ArgumentParser(
        prog="tui-news", parents=[common],
        description="A terminal news reader for Vietnamese news. Without a command it opens "
                    "the reader.")
    parser.add_argument("--version", action="version", version=f"tui-news {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("refresh", parents=[common], help="fetch the feeds and the weather")
    p.add_argument("--category", action="append", metavar="NAME",
                   help="only this category (repeatable)")
    p.add_argument("--full", action="store_true",
                   help="also download the full text of new articles")

    p = sub.add_parser("articles", parents=[common], help="list cached articles, newest first")
    p.add_argument("--category", metavar="NAME")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--starred", action="store_true", help="only saved articles")
    p.add_argument("--search", metavar="TEXT", help="search; diacritics optional")
    p.add_argument("--limit", type=_positive_int, metavar="N", help="at most N articles")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = sub.add_parser("show", parents=[common], help="print one article as plain text")
    p.add_argument("id", type=int)
    p.add_argument("--full", action="store_true",
                   help="fetch the full text first if it is not cached")

    p = sub.add_parser("mark", parents=[common], help="change article state")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    group = p.add_mutually_exclusive_group(required=True)
    for flag in ("--read", "--unread", "--star", "--unstar"):
        group.add_argument(flag, dest="state", action="store_const", const=flag[2:])

    p = sub.add_parser("weather", parents=[common], help="weather of the configured cities")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("feeds", parents=[common], help="subscriptions and last fetch result")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("import", parents=[common], help="add the subscriptions of an OPML file")
    p.add_argument("file", type=Path, metavar="FILE.opml")

    p = sub.add_parser("export", parents=[common], help="write the subscriptions as OPML 2.0")
    p.add_argument("file", type=Path, nargs="?", metavar="FILE")

    sub.add_parser("compact", parents=[common],
                   help="drop articles older than [cache] keep_days and compact the cache")
    return parser


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = load_config(paths.config_file(getattr(args, "config", None)))
    except ConfigError as exc:
        _err(str(exc))
        return EXIT_USAGE
    for warning in config.warnings:
        _err(warning)
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
        from tui_news import commands

        handler = getattr(commands, f"cmd_{args.command}")
        return int(handler(context, args))
    except CommandError as exc:
        _err(str(exc))
        return exc.status
    except StoreError as exc:
        _err(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        # `tui-news articles | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # a bug of ours: one line, the traceback only when asked for
        if os.environ.get("TUI_NEWS_DEBUG"):
            raise
        _err(f"internal error: {clean(type(exc).__name__)}: {clean(str(exc), limit=200)} "
             "(set TUI_NEWS_DEBUG=1 to see where)")
        return EXIT_FAILED


def _err(message: str) -> None:
    print(f"tui-news: {message}", file=sys.stderr)


def article_json(article: Article, config: Config) -> dict[str, object]:
    """The fields of PRODUCT.md's `articles --json`."""
    tz = config.tz
    return {
        "id": article.id,
        "title": article.title,
        "link": article.link,
        "feed_title": article.feed_title,
        "feed_url": article.feed_url,
        "categories": list(article.categories),
        "published": article.published.astimezone(tz).isoformat() if article.published else None,
        "read": article.read,
        "starred": article.starred,
        "summary": article.summary,
        "full_text": article.has_full_text,
        "author": article.author,
    }


def feed_error_line(result: FeedResult) -> str:
    return f"{redact_url(result.url)}: {clean(result.error or 'failed')}"


def dump_json(value: object, out: TextIO) -> None:
    json.dump(value, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_json_array(items: Iterable[object], out: TextIO) -> None:
    """A JSON array written item by item (the output of a large cache is never held whole)."""
    out.write("[")
    first = True
    for item in items:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(item, ensure_ascii=False))
        first = False
    out.write("]\n" if first else "\n]\n")


def query_from_args(args: argparse.Namespace) -> ArticleQuery:
    return ArticleQuery(category=args.category, unread_only=args.unread,
                        starred_only=args.starred, search=args.search)
