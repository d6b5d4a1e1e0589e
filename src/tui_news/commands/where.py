"""`tui-news paths`: the files in use, for a bug report (nothing is created or changed)."""

from __future__ import annotations

import argparse

from tui_news import __version__
from tui_news.commands.context import EXIT_OK, Command, Context


def _version(distribution: str) -> str:
    # Imported here: importlib.metadata (zipfile, csv, …) costs every command ~10 ms of start-up.
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def cmd_paths(ctx: Context, args: argparse.Namespace) -> int:
    config = ctx.config.path
    if not config.exists():
        config_note = " (not found: the defaults and the built-in catalogue are in use)"
    elif ctx.config.feeds_configured:
        config_note = f" ({len(ctx.config.feeds)} subscriptions)"
    else:
        config_note = " (no [[feeds]]: the built-in catalogue is in use)"
    cache = ctx.db_path
    cache_note = (f" ({cache.stat().st_size / 1e6:.1f} MB)" if cache.exists()
                  else " (not created yet)")
    import platform

    print(f"version  tui-news {__version__}, Python {platform.python_version()}, "
          f"Textual {_version('textual')}")
    print(f"config   {config}{config_note}")
    print(f"data     {cache.parent}")
    print(f"cache    {cache}{cache_note}")
    return EXIT_OK


PATHS = Command("paths", "print the config file, data folder and cache file in use", cmd_paths)
