"""`tui-news sync`: exchange subscriptions, articles and marks with the [sync] feed server."""

from __future__ import annotations

import argparse
import asyncio
import sys

from tui_news.commands.context import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    CommandError,
    Context,
)
from tui_news.links import redact_url
from tui_news.models import SyncResult


def cmd_sync(ctx: Context, args: argparse.Namespace) -> int:
    sync = ctx.config.sync
    if sync is None:
        raise CommandError(f"{ctx.config.path}: no [sync] set (see the README: a feed server "
                           "with the Fever API)", EXIT_USAGE)
    store = ctx.open_store()  # reports (and moves aside) an unreadable cache before we start
    try:
        store.sync_feeds(ctx.config.feeds)
        if ctx.offline:
            from tui_news.store_sync import pending_count

            waiting = pending_count(store)
            raise CommandError(f"--offline: sync needs the network; {waiting} marks wait in "
                               "the cache for the next sync")
    finally:
        store.close()
    result = asyncio.run(_sync(ctx))
    if result.error:
        print(f"tui-news: {result.error}", file=sys.stderr)
        return EXIT_FAILED
    print(summary_line(result, redact_url(sync.url)))
    return EXIT_OK


def summary_line(result: SyncResult, shown_url: str) -> str:
    line = (f"synced with {shown_url}: {result.new} new articles, {result.sent} marks sent, "
            f"{result.changed} articles changed by the server")
    if result.more:
        line += " (more wait on the server: the next sync goes on)"
    return line


async def _sync(ctx: Context) -> SyncResult:
    from tui_news.fetch import Fetcher
    from tui_news.sync.engine import run_sync

    async with Fetcher(user_agent=ctx.config.user_agent, timeout=ctx.config.timeout) as fetcher:
        return await run_sync(ctx.config, ctx.db_path, fetcher)


SYNC = Command("sync", "exchange articles and read/saved marks with the [sync] feed server",
               cmd_sync)
