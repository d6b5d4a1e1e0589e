"""Where tui-news keeps things: every default path comes from platformdirs; nothing is made here."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "tui-news"
DB_NAME = "cache.sqlite3"


def config_file(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--config, else $TUI_NEWS_CONFIG, else <user config dir>/config.toml."""
    value = explicit or os.environ.get("TUI_NEWS_CONFIG")
    if value:
        return Path(value).expanduser()
    return user_config_path(APP_NAME) / "config.toml"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else $TUI_NEWS_DATA_DIR, else <user data dir>."""
    value = explicit or os.environ.get("TUI_NEWS_DATA_DIR")
    if value:
        return Path(value).expanduser()
    return user_data_path(APP_NAME)


def database(directory: Path) -> Path:
    return directory / DB_NAME
