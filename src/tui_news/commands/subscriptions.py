"""The commands about subscriptions: `feeds`, `import`, `export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from tui_news.commands.context import EXIT_OK, Command, CommandError, Context
from tui_news.commands.output import dump_json
from tui_news.dates import to_local
from tui_news.i18n import label
from tui_news.links import redact_url
from tui_news.text import clean


def feeds_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true",
                   help="print a JSON array (url, category, title, last_fetched, last_status, "
                   "last_error, articles)")


def cmd_feeds(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.open_store()
    try:
        store.sync_feeds(ctx.config.feeds)
        states = {s.url: s for s in store.feeds()}
        filter_counts = store.filter_matches()
    finally:
        store.close()
    tz = ctx.config.tz
    rows = []
    configured = {feed.url for feed in ctx.config.feeds}
    # The configured feeds, then the [sync] server's (`from_server`; a feed in both is one row).
    served = [(s.url, s.category, None) for s in states.values()
              if s.from_server and s.url not in configured]
    for url, category, title in [*((f.url, f.category, f.title) for f in ctx.config.feeds),
                                 *served]:
        state = states.get(url)
        fetched = state.last_fetched if state else None
        rows.append(
            {
                "url": url,
                "category": category,
                "title": title or (state.title if state else None),
                "last_fetched": fetched.astimezone(tz).isoformat() if fetched else None,
                "last_status": state.last_status if state else None,
                "last_error": state.last_error if state else None,
                "articles": state.article_count if state else 0,
                "from_server": bool(state and state.from_server),
            }
        )
    if args.json:
        dump_json(rows, sys.stdout)
        report_filters(ctx, filter_counts, sys.stderr, only_unused=True)
        return EXIT_OK
    lang = ctx.lang
    for row in rows:
        state = states.get(str(row["url"]))
        count = state.article_count if state else 0
        parts = [label("feed_articles_one", lang) if count == 1
                 else label("feed_articles", lang, count=count)]
        if state and state.last_fetched:
            parts.append(label("feed_fetched", lang,
                               when=to_local(state.last_fetched, tz).strftime("%H:%M %d/%m/%Y")))
        parts.append(_feed_status(state.last_status if state else None,
                                  state.last_error if state else None, lang))
        if row["from_server"]:
            parts.append(label("feed_from_server", lang))
        print(f"{row['category']:<34} {redact_url(str(row['url']))}\n{'':<34} "
              + " · ".join(parts))
    report_filters(ctx, filter_counts, sys.stdout)
    return EXIT_OK


def _feed_status(status: str | None, error: str | None, lang: str) -> str:
    if error or status == "error":
        return label("feed_error", lang, error=clean(error or "?", limit=200))
    if status is None:
        return label("feed_never", lang)
    key = "feed_" + status.replace("-", "_")
    text = label(key, lang)
    return clean(status) if text == key else text


def report_filters(ctx: Context, counts: list[int], out: TextIO, *,
                   only_unused: bool = False) -> None:
    """Each [[filters]] entry with how many articles it hides; unused ones said as such."""
    if counts and not only_unused:
        print(label("filters_heading", ctx.lang), file=out)
    for rule, count in zip(ctx.config.filters, counts, strict=True):
        if only_unused and count:
            continue
        where = f" ({rule.category})" if rule.category else ""
        if rule.feed:
            where += f" ({redact_url(rule.feed)})"
        what = (label("filter_hides", ctx.lang, count=count) if count
                else label("filter_unused", ctx.lang))
        line = f"{rule.match!r}{where}: {what}"
        print(f"tui-news: {line}" if only_unused else f"  {line}", file=out)


def import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE.opml",
                   help="an OPML file (http and https subscriptions are taken)")


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from tui_news.config_write import ConfigWriteError, add_feeds
    from tui_news.opml import OpmlError, read_opml

    try:
        feeds, skipped = read_opml(args.file)
    except OpmlError as exc:
        raise CommandError(str(exc)) from None
    if not feeds:
        raise CommandError(f"{args.file}: no http or https subscriptions found")
    try:
        changed = add_feeds(ctx.config, feeds)
    except ConfigWriteError as exc:
        raise CommandError(str(exc)) from None
    added = len(changed.added)
    note = f", {skipped} skipped (not an http or https URL, or malformed)" if skipped else ""
    print(
        f"{added} subscriptions added to {ctx.config.path} "
        f"({len(feeds) - added} already there{note})"
    )
    if changed.catalogue_written:  # the config had no [[feeds]]: what the reader showed stays
        print(label("catalogue_written", ctx.lang, count=changed.catalogue_written))
    return EXIT_OK


def export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, nargs="?", metavar="FILE",
                   help="where to write (its folder must exist); stdout without it")


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    from tui_news.config_write import atomic_write
    from tui_news.opml import write_opml

    text = write_opml(ctx.config.feeds)
    if args.file is None:
        sys.stdout.write(text)
        return EXIT_OK
    folder = args.file.parent
    if not folder.is_dir():
        raise CommandError(f"{args.file}: cannot be written (folder {folder} "
                           f"{'is not a folder' if folder.exists() else 'does not exist'})")
    try:
        atomic_write(args.file, text)
    except OSError as exc:
        raise CommandError(f"{args.file}: cannot be written ({exc.strerror or exc})") from None
    print(f"{len(ctx.config.feeds)} subscriptions written to {args.file}", file=sys.stderr)
    return EXIT_OK


FEEDS = Command("feeds", "subscriptions and last fetch result", cmd_feeds, feeds_arguments)
IMPORT = Command("import", "add the subscriptions of an OPML file to the config", cmd_import,
                 import_arguments, creates_config=True)
EXPORT = Command("export", "write the subscriptions as OPML 2.0", cmd_export, export_arguments)
