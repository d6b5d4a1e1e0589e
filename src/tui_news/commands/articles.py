"""The commands that read and change articles: `articles`, `show`, `mark`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

from tui_news.commands.context import EXIT_OK, EXIT_USAGE, Command, CommandError, Context
from tui_news.commands.output import article_json, write_json_array
from tui_news.dates import relative_time
from tui_news.i18n import label
from tui_news.links import redact_url
from tui_news.models import Article, ArticleQuery
from tui_news.store import Store

PAGE = 500
DEFAULT_LIMIT = 50  # text for a person; --json, --all and --limit N say otherwise


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def articles_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--category", metavar="NAME",
                   help="only this category; case and diacritics optional (thoi su)")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--starred", action="store_true", help="only saved articles")
    p.add_argument("--search", metavar="TEXT", help="search; diacritics optional")
    p.add_argument("--search-name", metavar="NAME", help="a saved search ([[searches]])")
    p.add_argument("--feed", metavar="URL", help="only the articles of this feed")
    p.add_argument("--filtered", action="store_true",
                   help="only the articles [[filters]] hide")
    many = p.add_mutually_exclusive_group()
    many.add_argument("--limit", type=_positive_int, metavar="N",
                      help=f"at most N articles (default {DEFAULT_LIMIT} as text, all as JSON)")
    many.add_argument("--all", action="store_true", help="every article, however many")
    p.add_argument("--json", action="store_true", help="print a JSON array (every field)")


def query_from_args(args: argparse.Namespace) -> ArticleQuery:
    return ArticleQuery(
        category=args.category,
        unread_only=args.unread,
        starred_only=args.starred,
        search=args.search,
        feed=args.feed,
        filtered=args.filtered,
    )


def iter_query(store: Store, query: ArticleQuery, limit: int) -> Iterator[Article]:
    """Articles of `query` page by page, so a huge cache is never loaded whole."""
    offset = 0
    while offset < limit:
        batch = store.page(query, offset, min(PAGE, limit - offset))
        yield from batch
        if len(batch) < PAGE:
            return
        offset += len(batch)


def saved_search(ctx: Context, name: str, search: str | None) -> str:
    """The query of the saved search `name` (and --search's words with it)."""
    found = next((s for s in ctx.config.searches if s.name == name), None)
    if found is None:
        names = ", ".join(s.name for s in ctx.config.searches) or "none in the config"
        raise CommandError(f"unknown saved search {name!r}; saved searches: {names}", EXIT_USAGE)
    return f"{found.query} {search}" if search else found.query


def cmd_articles(ctx: Context, args: argparse.Namespace) -> int:
    query = query_from_args(args)
    if query.category:
        query = replace(query, category=ctx.category(query.category))
    if args.search_name is not None:
        query = replace(query, search=saved_search(ctx, args.search_name, query.search))
    if query.feed is not None and query.feed not in {f.url for f in ctx.config.feeds}:
        raise CommandError(f"{redact_url(query.feed)} is not subscribed (see tui-news feeds)",
                           EXIT_USAGE)
    store = ctx.open_store()
    try:
        everything = args.all or (args.json and not args.limit)
        limit = 10**12 if everything else (args.limit or DEFAULT_LIMIT)
        if args.json:
            write_json_array(
                (article_json(a, ctx.config) for a in iter_query(store, query, limit)), sys.stdout
            )
            return EXIT_OK
        now = datetime.now(UTC)
        shown = 0
        for article in iter_query(store, query, limit):
            marker = " " if article.read else "●"
            star = "★" if article.starred else " "
            when = relative_time(article.sort_time, now, lang=ctx.lang, tz=ctx.config.tz)
            print(
                f"{article.id:>7} {marker}{star} {when:<14} {article.feed_title[:20]:<20} "
                f"{article.title}"
            )
            shown += 1
        # Cut by the default limit, not one asked for: say how many more and how to see them.
        if not args.limit and shown == limit and (more := store.count(query) - shown) > 0:
            print(label("articles_more", ctx.lang, count=more, limit=shown + more))
        return EXIT_OK
    finally:
        store.close()


def show_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, metavar="ID", help="the article's id (first column of "
                   "`tui-news articles`)")
    p.add_argument(
        "--full", action="store_true", help="fetch the full text first if it is not cached"
    )


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    from tui_news.render import article_document, plain_text

    store = ctx.open_store()
    try:
        article = store.article(args.id)
        if article is None:
            raise CommandError(f"no article with id {args.id}")
        full = store.full_text(article.id)
    finally:
        store.close()
    if args.full and full is None:
        if ctx.offline:
            print(
                "tui-news: --offline: the full text is not cached; showing the summary",
                file=sys.stderr,
            )
        else:
            from tui_news.fulltext import FullTextError, FullTextUnavailable, fetch_full_text

            try:
                full = fetch_full_text(ctx.config, ctx.db_path, article.id)
            except FullTextUnavailable as exc:  # says in the UI language that the summary stays
                print(f"tui-news: {exc}", file=sys.stderr)
            except FullTextError as exc:
                print(f"tui-news: {exc}; showing the summary", file=sys.stderr)
    parts = article_document(article, full, lang=ctx.lang, tz=ctx.config.tz, notes=False)
    sys.stdout.write(plain_text(parts))
    return EXIT_OK


def mark_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", type=int, nargs="+", metavar="ID", help="one or more article ids")
    group = p.add_mutually_exclusive_group(required=True)
    for flag, what in (("--read", "mark them read"), ("--unread", "mark them unread"),
                       ("--star", "save them"), ("--unstar", "unsave them")):
        group.add_argument(flag, dest="state", action="store_const", const=flag[2:], help=what)


def cmd_mark(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.open_store()
    try:
        ids = list(dict.fromkeys(args.ids))
        known = {a.id for a in store.articles(ids)}
        missing = [i for i in ids if i not in known]
        if known:
            if args.state in ("read", "unread"):
                store.set_read(known, args.state == "read")
            else:
                store.set_starred(known, args.state == "star")
        if missing:
            raise CommandError("no article with id " + ", ".join(map(str, missing)))
        return EXIT_OK
    finally:
        store.close()


ARTICLES = Command(
    "articles", "list cached articles, newest first", cmd_articles, articles_arguments
)
SHOW = Command("show", "print one article as plain text", cmd_show, show_arguments)
MARK = Command("mark", "mark articles read, unread, saved or unsaved", cmd_mark, mark_arguments)
