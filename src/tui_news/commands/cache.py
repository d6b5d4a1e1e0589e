"""The commands about the cache itself: `compact`."""

from __future__ import annotations

import argparse

from tui_news.commands.context import EXIT_OK, Command, Context
from tui_news.models import ArticleQuery


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


COMPACT = Command(
    "compact", "drop articles older than [cache] keep_days and compact the cache", cmd_compact
)
