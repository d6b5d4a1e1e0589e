"""The commands of PRODUCT.md; each takes the Context and its arguments and returns an exit code."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

from tui_news.cli import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Context,
    article_json,
    dump_json,
    feed_error_line,
    query_from_args,
    write_json_array,
)
from tui_news.dates import relative_time
from tui_news.i18n import label
from tui_news.links import redact_url
from tui_news.models import Article, ArticleQuery, FeedResult
from tui_news.progress import ProgressLine
from tui_news.render import article_document, plain_text
from tui_news.store import Store

PAGE = 500


def cmd_refresh(ctx: Context, args: argparse.Namespace) -> int:
    if ctx.offline:
        raise CommandError("--offline: refresh needs the network; nothing was fetched")
    from tui_news.refresh import run_refresh

    categories = set(args.category) if args.category else None
    if categories:
        unknown = categories - set(ctx.config.categories)
        if unknown:
            raise CommandError(f"unknown category {sorted(unknown)[0]!r}; categories: "
                               + ", ".join(ctx.config.categories), EXIT_USAGE)
    ctx.open_store().close()  # reports (and moves aside) an unreadable cache before we start
    bar = ProgressLine(sys.stderr, "feeds")

    def progress(done: int, total: int, result: FeedResult) -> None:
        bar.update(done, total)

    summary = run_refresh(ctx.config, ctx.db_path, categories=categories, full=args.full,
                          progress=progress)
    bar.finish()
    for failed in summary.failed:
        print(f"tui-news: {feed_error_line(failed)}", file=sys.stderr)
    if summary.weather_error:
        print(f"tui-news: {summary.weather_error}", file=sys.stderr)
    total = len(summary.results)
    by_status = {s: sum(r.status == s for r in summary.results)
                 for s in ("ok", "not-modified", "unchanged", "skipped", "error")}
    print(f"{total - by_status['error'] - by_status['skipped']}/{total} feeds refreshed: "
          f"{summary.new} new articles, {by_status['not-modified']} not modified, "
          f"{by_status['unchanged']} unchanged, {by_status['skipped']} waiting, "
          f"{by_status['error']} failed")
    if total and by_status["error"] == total:
        return EXIT_FAILED
    return EXIT_OK


def cmd_articles(ctx: Context, args: argparse.Namespace) -> int:
    query = query_from_args(args)
    if query.category and query.category not in ctx.config.categories:
        raise CommandError(f"unknown category {query.category!r}; categories: "
                           + ", ".join(ctx.config.categories), EXIT_USAGE)
    store = ctx.open_store()
    try:
        limit = args.limit or (10**9 if args.json else 50)
        if args.json:
            write_json_array((article_json(a, ctx.config) for a in iter_query(store, query, limit)),
                             sys.stdout)
            return EXIT_OK
        now = datetime.now(UTC)
        for article in store.page(query, 0, limit):
            marker = " " if article.read else "●"
            star = "★" if article.starred else " "
            when = relative_time(article.sort_time, now, lang=ctx.lang, tz=ctx.config.tz)
            print(f"{article.id:>7} {marker}{star} {when:<14} {article.feed_title[:20]:<20} "
                  f"{article.title}")
        return EXIT_OK
    finally:
        store.close()


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
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
            print("tui-news: --offline: the full text is not cached; showing the summary",
                  file=sys.stderr)
        else:
            from tui_news.fulltext import FullTextError, fetch_full_text

            try:
                full = fetch_full_text(ctx.config, ctx.db_path, article.id)
            except FullTextError as exc:
                print(f"tui-news: {exc}; showing the summary", file=sys.stderr)
    parts = article_document(article, full, lang=ctx.lang, tz=ctx.config.tz, notes=False)
    sys.stdout.write(plain_text(parts))
    return EXIT_OK


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


def cmd_weather(ctx: Context, args: argparse.Namespace) -> int:
    from tui_news import weather

    store = ctx.open_store()
    try:
        error = None
        if not ctx.offline:
            error = asyncio.run(_update_weather(store, ctx))
        names = [c.name for c in ctx.config.cities]
        now = datetime.now(UTC)
        observations = weather.cached_weather(store, ctx.config.cities, now=now)
    finally:
        store.close()
    never = all(w.fetched_at is None for w in observations)
    if error:
        print(f"tui-news: {error}", file=sys.stderr)
    if never:
        raise CommandError("no weather has ever been fetched" +
                           (" (offline)" if ctx.offline else ""))
    oldest = min((w.fetched_at for w in observations if w.fetched_at), default=None)
    if (error or ctx.offline) and oldest:
        print(f"tui-news: weather from the cache, fetched "
              f"{relative_time(oldest, now, lang='en')}", file=sys.stderr)
    if args.json:
        rows = [weather.weather_to_json(w, ctx.lang, tz=ctx.config.tz) for w in observations]
        dump_json(rows, sys.stdout)
        return EXIT_OK
    print(label("weather_title", ctx.lang))
    for name, w in zip(names, observations, strict=True):
        symbol, text = weather.describe(w.weather_code, w.is_day, ctx.lang)
        temp = "—" if w.temperature_c is None else f"{w.temperature_c:.0f}°C"
        when = w.observed_at.astimezone(ctx.config.tz).strftime("%H:%M") if w.observed_at else ""
        stale = f"  ({weather.age_text(w, now, ctx.lang)})" if w.stale else ""
        print(f"  {name:<16} {temp:>6} {symbol} {text:<20} {when}{stale}")
    return EXIT_OK


async def _update_weather(store: Store, ctx: Context) -> str | None:
    from tui_news.fetch import Fetcher
    from tui_news.weather import update_weather

    async with Fetcher(user_agent=ctx.config.user_agent, timeout=ctx.config.timeout) as fetcher:
        return await update_weather(store, fetcher, ctx.config)


def iter_query(store: Store, query: ArticleQuery, limit: int) -> Iterator[Article]:
    """Articles of `query` page by page, so a huge cache is never loaded whole."""
    offset = 0
    while offset < limit:
        batch = store.page(query, offset, min(PAGE, limit - offset))
        yield from batch
        if len(batch) < PAGE:
            return
        offset += len(batch)


def cmd_feeds(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.open_store()
    try:
        store.sync_feeds(ctx.config.feeds)
        states = {s.url: s for s in store.feeds()}
    finally:
        store.close()
    rows = []
    for feed in ctx.config.feeds:
        state = states.get(feed.url)
        rows.append({
            "url": feed.url,
            "category": feed.category,
            "title": feed.title or (state.title if state else None),
            "last_fetched": state.last_fetched.isoformat() if state and state.last_fetched
            else None,
            "last_status": state.last_status if state else None,
            "last_error": state.last_error if state else None,
            "articles": state.article_count if state else 0,
        })
    if args.json:
        dump_json(rows, sys.stdout)
        return EXIT_OK
    for row in rows:
        status = row["last_status"] or "never fetched"
        if row["last_error"]:
            status = f"error: {row['last_error']}"
        print(f"{row['category']:<34} {redact_url(str(row['url']))}\n{'':<34} "
              f"{row['articles']} articles · "
              f"{status}")
    return EXIT_OK


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from tui_news.opml import OpmlError, add_feeds_to_config, read_opml

    try:
        feeds, skipped = read_opml(args.file)
    except OpmlError as exc:
        raise CommandError(str(exc)) from None
    if not feeds:
        raise CommandError(f"{args.file}: no http or https subscriptions found")
    try:
        added = add_feeds_to_config(ctx.config, feeds)
    except OSError as exc:
        raise CommandError(f"{ctx.config.path}: cannot be written ({exc.strerror or exc})") \
            from None
    note = f", {skipped} skipped (not http or https)" if skipped else ""
    print(f"{added} subscriptions added to {ctx.config.path} "
          f"({len(feeds) - added} already there{note})")
    return EXIT_OK


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    from tui_news.opml import atomic_write, write_opml

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


def cmd_compact(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.open_store()
    try:
        dropped = store.purge(ctx.config.keep_days) if ctx.config.keep_days else 0
        store.compact()
        left = store.count(ArticleQuery())
    finally:
        store.close()
    print(f"{dropped} old articles dropped, {left} kept; cache compacted")
    return EXIT_OK
