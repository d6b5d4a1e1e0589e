"""The commands of PRODUCT.md, one table: `tui-news --help` lists them in this order and `main`
dispatches through it. A new command is a `Command` in the module of its group plus a row here."""

from __future__ import annotations

from tui_news.commands.articles import ARTICLES, MARK, SHOW
from tui_news.commands.cache import COMPACT
from tui_news.commands.context import Command
from tui_news.commands.fetching import REFRESH, WEATHER
from tui_news.commands.subscribe import ADD, FILTER, REMOVE
from tui_news.commands.subscriptions import EXPORT, FEEDS, IMPORT
from tui_news.commands.syncing import SYNC
from tui_news.commands.where import PATHS

COMMANDS: dict[str, Command] = {
    command.name: command
    for command in (
        REFRESH,
        ARTICLES,
        SHOW,
        MARK,
        WEATHER,
        FEEDS,
        ADD,
        REMOVE,
        SYNC,
        FILTER,
        IMPORT,
        EXPORT,
        COMPACT,
        PATHS,
    )
}
