"""OPML import and export; the config is changed through config_write (comments kept)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

from tui_news.config import MAX_URL_LENGTH
from tui_news.links import is_web_url
from tui_news.models import FeedConfig
from tui_news.text import INVISIBLE, clean

MAX_OPML_BYTES = 10 << 20
# Characters a URL never holds as such (RFC 3986): whitespace, double quotes, angle brackets,
# backslash, backtick, braces. (`'`, `|` and `^` appear unencoded in real feed URLs.)
_NOT_IN_URL = frozenset('"<>\\`{}')


class OpmlError(Exception):
    """The OPML file cannot be used. str(e) is one line naming the file and the fault."""


def read_opml(path: Path, default_category: str = "Khác") -> tuple[list[FeedConfig], int]:
    """Subscriptions in an OPML file and how many outlines were skipped (not http/https).

    The category is the outline's `category` attribute, else its parent folder's title.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OpmlError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"{path}: larger than {MAX_OPML_BYTES >> 20} MB")
    # No entities, no DTD, no network: an OPML file is data, not instructions.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"{path}:{exc.lineno or 0}: not valid XML ({clean(exc.msg)})") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname != "opml":
        raise OpmlError(f"{path}: not an OPML file")
    feeds: list[FeedConfig] = []
    skipped = 0
    for outline in root.iter("{*}outline"):
        url = outline.get("xmlUrl")
        if url is None:
            continue
        url = _visible(url).strip()
        if (not is_web_url(url) or len(url) > MAX_URL_LENGTH
                or any(c in _NOT_IN_URL or c.isspace() for c in url)):
            skipped += 1  # not http(s), or malformed (spaces, quotes): refused, counted
            continue
        category = _visible(outline.get("category", "")).split("/")[-1].split(",")[0]
        if not category.strip():
            parent = outline.getparent()
            if parent is not None and etree.QName(parent).localname == "outline":
                category = _visible(parent.get("text") or parent.get("title") or "")
        title = _visible(outline.get("title") or outline.get("text") or "")
        feeds.append(FeedConfig(url=url, category=clean(category, limit=80) or default_category,
                                title=clean(title, limit=120) or None))
    return feeds, skipped


def _visible(value: str) -> str:
    """`value` cleaned (SAFETY rule 1) without its invisible characters."""
    return clean(value.translate(INVISIBLE))


def write_opml(feeds: Sequence[FeedConfig], title: str = "tui-news") -> str:
    """OPML 2.0: one folder outline per category, in config order."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
             f"  <head><title>{_text(title)}</title></head>", "  <body>"]
    categories = list(dict.fromkeys(f.category for f in feeds))
    for category in categories:
        lines.append(f"    <outline text={quoteattr(category)} title={quoteattr(category)}>")
        for feed in (f for f in feeds if f.category == category):
            name = feed.title or feed.url
            lines.append(f'      <outline type="rss" text={quoteattr(name)} '
                         f"title={quoteattr(name)} xmlUrl={quoteattr(feed.url)} "
                         f"category={quoteattr(category)}/>")
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

