"""`add`, `remove` and `filter`: change the subscriptions and filters without editing
config.toml by hand."""

from __future__ import annotations

import argparse
import sys

from tui_news.commands.context import EXIT_OK, EXIT_USAGE, Command, CommandError, Context
from tui_news.i18n import label
from tui_news.links import redact_url
from tui_news.models import FeedConfig, Filter
from tui_news.store import StoreError
from tui_news.subscribe import (
    DEFAULT_CATEGORY,
    Checked,
    SubscribeError,
    check_url,
    find_subscription,
    refuse_duplicate,
    subscribe,
    subscribed,
    unsubscribe,
    web_url,
)
from tui_news.text import clean


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", metavar="URL", help="a feed, or a web page that links to its feed")
    p.add_argument("--category", metavar="NAME", help=f"default: {DEFAULT_CATEGORY}")
    p.add_argument("--title", metavar="TEXT", help="default: the feed's own title")


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    lang = ctx.lang
    category = clean(args.category or "", limit=80) or DEFAULT_CATEGORY
    title = clean(args.title or "", limit=120) or None
    try:
        url = web_url(args.url, lang)
        refuse_duplicate(ctx.config, url, lang)
        checked = Checked(url=url) if ctx.offline else check_url(ctx.config, url, lang)
        if checked.candidates:
            url = _choose(checked, lang)
        else:
            url = checked.url
            if checked.page:
                print(label("add_found_on_page", lang, page=redact_url(checked.page),
                            url=redact_url(url)))
        changed = subscribe(ctx.config, FeedConfig(url, category, title), lang)
    except SubscribeError as exc:
        raise CommandError(str(exc)) from None
    if changed.catalogue_written:
        print(label("catalogue_written", lang, count=changed.catalogue_written))
    line = label("added", lang, url=redact_url(url), category=category, path=ctx.config.path)
    if ctx.offline:
        line += f" · {label('added_unchecked', lang)}"
    elif checked.articles is not None:
        line += " · " + label("added_checked", lang, title=checked.title or "—",
                              count=checked.articles)
    print(line)
    print(label("added_next", lang) + " (tui-news refresh)")
    return EXIT_OK


def _choose(checked: Checked, lang: str) -> str:
    """Several feeds on the page: ask on a terminal, else list them and stop."""
    count = len(checked.candidates)
    page = redact_url(checked.page or checked.url)
    print(label("add_choose", lang, url=page, count=count))
    for number, candidate in enumerate(checked.candidates, 1):
        name = f"  {candidate.title}" if candidate.title else ""
        print(f"  {number}. {redact_url(candidate.url)}{name}")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CommandError(label("add_choose_again", lang), EXIT_USAGE)
    answer = input(label("add_choose_prompt", lang, count=count)).strip()
    if not answer.isdigit() or not 1 <= int(answer) <= count:
        raise CommandError(label("add_choose_again", lang), EXIT_USAGE)
    return checked.candidates[int(answer) - 1].url


def remove_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("feed", metavar="URL|TITLE", help="the feed's URL or title")


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    titles: dict[str, str] = {}
    if ctx.db_path.exists():  # the feeds' own titles: a feed can be named as the reader shows it
        try:
            store = ctx.open_store()
            try:
                titles = {s.url: s.title for s in store.feeds(active_only=False) if s.title}
            finally:
                store.close()
        except (CommandError, StoreError):
            pass  # without a cache only URLs and configured titles name a feed
    try:
        feed = find_subscription(ctx.config, args.feed, titles, ctx.lang)
        changed = unsubscribe(ctx.config, feed)
    except SubscribeError as exc:
        raise CommandError(str(exc)) from None
    if changed.catalogue_written:
        print(label("catalogue_written", ctx.lang, count=changed.catalogue_written))
    print(label("removed", ctx.lang, url=redact_url(feed.url), category=feed.category,
                path=ctx.config.path))
    return EXIT_OK


def filter_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("match", metavar="TEXT",
                   help='words (all of them) or a "phrase", diacritics optional, as in search')
    where = p.add_mutually_exclusive_group()
    where.add_argument("--feed", metavar="URL", help="only the articles of this feed")
    where.add_argument("--category", metavar="NAME", help="only the articles of this category")
    p.add_argument("--remove", action="store_true", help="remove this filter instead")


def cmd_filter(ctx: Context, args: argparse.Namespace) -> int:
    from tui_news.config_write import ConfigWriteError, add_entry, remove_entries
    from tui_news.search import parse_query

    match = clean(args.match, limit=200).strip()
    if not parse_query(match):
        raise CommandError(label("filter_empty", ctx.lang), EXIT_USAGE)
    values = {"match": match}
    if args.feed:
        feed = subscribed(ctx.config, args.feed.strip())
        if feed is None:
            raise CommandError(label("remove_unknown", ctx.lang,
                                     name=redact_url(clean(args.feed))), EXIT_USAGE)
        values["feed"] = feed.url
    if args.category:
        if args.category not in ctx.config.categories:
            raise CommandError(f"unknown category {args.category!r}; categories: "
                               + ", ".join(ctx.config.categories), EXIT_USAGE)
        values["category"] = args.category
    rule = Filter(match, values.get("feed"), values.get("category"))
    try:
        if args.remove:
            if not remove_entries(ctx.config, "filters", values):
                raise CommandError(label("filter_unknown", ctx.lang, match=match))
            print(label("filter_removed", ctx.lang, match=match, path=ctx.config.path))
            return EXIT_OK
        if rule in ctx.config.filters:
            raise CommandError(label("filter_duplicate", ctx.lang, match=match))
        add_entry(ctx.config, "filters", values)
    except ConfigWriteError as exc:
        raise CommandError(str(exc)) from None
    store = ctx.open_store()
    try:
        store.set_filters([rule])
        hidden = store.filter_matches()[0]
    finally:
        store.close()
    print(label("filter_added", ctx.lang, match=match, path=ctx.config.path, count=hidden))
    return EXIT_OK


ADD = Command("add", "subscribe to a feed (or the feed a web page links to)", cmd_add,
              add_arguments, creates_config=True)
REMOVE = Command("remove", "unsubscribe from a feed, by URL or title", cmd_remove,
                 remove_arguments, creates_config=True)
FILTER = Command("filter", "hide the articles matching TEXT everywhere ([[filters]])",
                 cmd_filter, filter_arguments, creates_config=True)
