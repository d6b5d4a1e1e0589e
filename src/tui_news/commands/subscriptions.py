"""The commands about subscriptions: `feeds`, `import`, `export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui_news.commands.context import EXIT_OK, Command, CommandError, Context
from tui_news.commands.output import dump_json
from tui_news.links import redact_url


def feeds_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")


def cmd_feeds(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.open_store()
    try:
        store.sync_feeds(ctx.config.feeds)
        states = {s.url: s for s in store.feeds()}
    finally:
        store.close()
    rows = []
    configured = {feed.url for feed in ctx.config.feeds}
    # The configured feeds, then the [sync] server's (`from_server`; a feed in both is one row).
    served = [(s.url, s.category, None) for s in states.values()
              if s.from_server and s.url not in configured]
    for url, category, title in [*((f.url, f.category, f.title) for f in ctx.config.feeds),
                                 *served]:
        state = states.get(url)
        rows.append(
            {
                "url": url,
                "category": category,
                "title": title or (state.title if state else None),
                "last_fetched": state.last_fetched.isoformat()
                if state and state.last_fetched
                else None,
                "last_status": state.last_status if state else None,
                "last_error": state.last_error if state else None,
                "articles": state.article_count if state else 0,
                "from_server": bool(state and state.from_server),
            }
        )
    if args.json:
        dump_json(rows, sys.stdout)
        return EXIT_OK
    for row in rows:
        status = str(row["last_status"] or "never fetched")
        if row["last_error"]:
            status = f"error: {row['last_error']}"
        if row["from_server"]:
            status += " · from the feed server"
        print(
            f"{row['category']:<34} {redact_url(str(row['url']))}\n{'':<34} "
            f"{row['articles']} articles · "
            f"{status}"
        )
    return EXIT_OK


def import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE.opml")


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from tui_news.config_write import ConfigWriteError
    from tui_news.opml import OpmlError, add_feeds_to_config, read_opml

    try:
        feeds, skipped = read_opml(args.file)
    except OpmlError as exc:
        raise CommandError(str(exc)) from None
    if not feeds:
        raise CommandError(f"{args.file}: no http or https subscriptions found")
    try:
        added = add_feeds_to_config(ctx.config, feeds)
    except ConfigWriteError as exc:
        raise CommandError(str(exc)) from None
    note = f", {skipped} skipped (not an http or https URL, or malformed)" if skipped else ""
    print(
        f"{added} subscriptions added to {ctx.config.path} "
        f"({len(feeds) - added} already there{note})"
    )
    return EXIT_OK


def export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, nargs="?", metavar="FILE")


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    from tui_news.config_write import atomic_write
    from tui_news.opml import write_opml

    text = write_opml(ctx.config.feeds)
    if args.file is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        atomic_write(args.file, text)
    except OSError as exc:
        raise CommandError(f"{args.file}: cannot be written ({exc.strerror or exc})") from None
    print(f"{len(ctx.config.feeds)} subscriptions written to {args.file}", file=sys.stderr)
    return EXIT_OK


FEEDS = Command("feeds", "subscriptions and last fetch result", cmd_feeds, feeds_arguments)
IMPORT = Command("import", "add the subscriptions of an OPML file", cmd_import, import_arguments)
EXPORT = Command("export", "write the subscriptions as OPML 2.0", cmd_export, export_arguments)
