"""Output shared by the commands: JSON written whole or streamed, articles as JSON, feed errors."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from tui_news.config import Config
from tui_news.links import redact_url
from tui_news.models import Article, FeedResult
from tui_news.text import clean


def article_json(article: Article, config: Config) -> dict[str, object]:
    """The fields of PRODUCT.md's `articles --json`."""
    tz = config.tz
    return {
        "id": article.id,
        "title": article.title,
        "link": article.link,
        "feed_title": article.feed_title,
        "feed_url": article.feed_url,
        "categories": list(article.categories),
        "published": article.published.astimezone(tz).isoformat() if article.published else None,
        "read": article.read,
        "starred": article.starred,
        "summary": article.summary,
        "full_text": article.has_full_text,
        "author": article.author,
    }


def feed_error_line(result: FeedResult) -> str:
    return f"{redact_url(result.url)}: {clean(result.error or 'failed')}"


def dump_json(value: object, out: TextIO) -> None:
    json.dump(value, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_json_array(items: Iterable[object], out: TextIO) -> None:
    """A JSON array written item by item (the output of a large cache is never held whole)."""
    out.write("[")
    first = True
    for item in items:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(item, ensure_ascii=False))
        first = False
    out.write("]\n" if first else "\n]\n")
