"""The commands that go to the network: `refresh` and `weather`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from tui_news.commands.context import (
    EXIT_FAILED,
    EXIT_OK,
    Command,
    CommandError,
    Context,
)
from tui_news.commands.output import dump_json, feed_error_line
from tui_news.dates import relative_time
from tui_news.i18n import label
from tui_news.models import FeedResult, RefreshSummary
from tui_news.progress import ProgressLine
from tui_news.store import Store


def refresh_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--category", action="append", metavar="NAME",
        help="only this category (repeatable; case and diacritics optional)"
    )
    p.add_argument(
        "--full", action="store_true", help="also download the full text of new articles"
    )


def cmd_refresh(ctx: Context, args: argparse.Namespace) -> int:
    if ctx.offline:
        raise CommandError("--offline: refresh needs the network; nothing was fetched")
    from tui_news.refresh import run_refresh

    store = ctx.open_store()  # reports (and moves aside) an unreadable cache before we start
    try:
        # The [sync] server's groups are categories too (their refresh is the sync).
        served = store.server_categories() if ctx.config.sync else []
    finally:
        store.close()
    known = tuple(dict.fromkeys((*ctx.config.categories, *served)))
    categories = ({ctx.category(name, known) for name in args.category} if args.category
                  else None)
    bar = ProgressLine(sys.stderr, "feeds")

    def progress(done: int, total: int, result: FeedResult) -> None:
        bar.update(done, total)

    summary = run_refresh(
        ctx.config,
        ctx.db_path,
        categories=categories,
        full=args.full,
        progress=progress,
        # The summary is printed first; the new articles are then indexed for search
        # (~0.1 ms an article), so the first search after a cron refresh has nothing to do.
        on_done=lambda summary: _report(bar, summary),
    )
    # After the summary: the hook may take its time.
    from tui_news.hooks import run_new_articles_hook

    hook_error = run_new_articles_hook(ctx.config, summary, ctx.lang)
    if hook_error:
        print(f"tui-news: {hook_error}", file=sys.stderr)
    total = len(summary.results)
    synced = summary.sync
    failed = all(r.status == "error" for r in summary.results)
    if synced is not None and synced.error and failed:
        return EXIT_FAILED  # nothing came from anywhere (no local feed, or every one failed)
    if total and failed and synced is None:
        return EXIT_FAILED
    return EXIT_OK


def _report(bar: ProgressLine, summary: RefreshSummary) -> None:
    """The refresh's errors (stderr) and its summary line (stdout)."""
    bar.finish()
    for failed in summary.failed:
        print(f"tui-news: {feed_error_line(failed)}", file=sys.stderr)
    if summary.weather_error:
        print(f"tui-news: {summary.weather_error}", file=sys.stderr)
    if summary.full_text_error:
        print(f"tui-news: {summary.full_text_error}", file=sys.stderr)
    synced = summary.sync
    if synced is not None and synced.error:
        print(f"tui-news: {synced.error}", file=sys.stderr)
    total = len(summary.results)
    by_status = {
        s: sum(r.status == s for r in summary.results)
        for s in ("ok", "not-modified", "unchanged", "skipped", "error")
    }
    print(
        f"{total - by_status['error'] - by_status['skipped']}/{total} feeds refreshed: "
        f"{summary.new} new articles, {by_status['not-modified']} not modified, "
        f"{by_status['unchanged']} unchanged, {by_status['skipped']} waiting, "
        f"{by_status['error']} failed"
        + ("" if synced is None else "; feed server: "
           + ("sync failed" if synced.error else
              f"{synced.new} new articles, {synced.sent} marks sent")),
        flush=True,
    )


def weather_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print a JSON array, one object a city")


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
        raise CommandError(
            "no weather has ever been fetched" + (" (offline)" if ctx.offline else "")
        )
    oldest = min((w.fetched_at for w in observations if w.fetched_at), default=None)
    if (error or ctx.offline) and oldest:
        print(
            f"tui-news: weather from the cache, fetched {relative_time(oldest, now, lang='en')}",
            file=sys.stderr,
        )
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


REFRESH = Command("refresh", "fetch the feeds and the weather", cmd_refresh, refresh_arguments)
WEATHER = Command("weather", "weather of the configured cities", cmd_weather, weather_arguments)
