"""tui-news: a terminal news reader for Vietnamese news."""

__version__ = "0.1.0"
