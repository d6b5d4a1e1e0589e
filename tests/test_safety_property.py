"""Property: any bytes through the ingest path (parse_feed → Store.ingest) give clean stored text
(no C0 but \\n \\t, no DEL/C1, no ESC, no bidi overrides, no lone surrogates, NFC) or that feed's
FeedError — never another exception, never dirty text in the cache."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safety_helpers import all_text_columns, assert_clean_text

from tui_news.feeds import FeedError, parse_feed
from tui_news.models import ArticleQuery
from tui_news.store import Store

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
_counter = itertools.count()

NASTY = ["\x1b]52;c;SGVsbG8=\x07", "\x1b[2J", "\x1b]8;;https://e.example\x1b\\", "\x9b31m",
         "\x9d0;t\x9c", "\x00", "\x7f", "\u202e", "\u2066", "\u200b", "e\u0301", "\ufeff",
         "[@click=app.quit]x[/]", "[/", "&#27;", "&#x9b;", "&#xD800;", "&#x202e;", "&amp;#27;",
         "<script>x</script>", "]]>", "<![CDATA[", "\r\n", "\t"]


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as folder:
        s = Store.open(Path(folder) / "cache.sqlite3")
        yield s
        s.close()


def ingest(store: Store, body: bytes) -> None:
    url = f"https://bao{next(_counter)}.example.vn/rss"
    try:
        parsed = parse_feed(body, url, now=NOW)
    except FeedError as err:
        message = str(err)
        assert message and "\n" not in message
        assert_clean_text(message)
        return
    store.ingest(url, parsed.entries, seen_at=NOW)
    store.record_fetch(url, status="ok", feed_title=parsed.title or None, fetched_at=NOW)
    for _, _, value in all_text_columns(store.path):
        assert_clean_text(value)
        assert "\x1b" not in value
    for article in store.page(ArticleQuery(), 0, 20):
        assert article.link is None or article.link.startswith(("http://", "https://"))


field = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)), max_size=5).map(
    "".join)


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """An RSS document whose every field holds hostile text, raw or escaped, then mutated."""
    def put(text: str) -> str:
        how = draw(st.sampled_from(["raw", "escaped", "cdata"]))
        if how == "escaped":
            return escape(text)
        if how == "cdata":
            return f"<![CDATA[{text}]]>"
        return text

    items = "".join(
        f"<item><title>{put(draw(field))}</title><guid>{put(draw(field))}</guid>"
        f"<link>{put(draw(field))}</link><description>{put(draw(field))}</description>"
        f"<author>{put(draw(field))}</author><pubDate>{put(draw(field))}</pubDate></item>"
        for _ in range(draw(st.integers(1, 3))))
    text = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{put(draw(field))}</title>{items}</channel></rss>")
    body = bytearray(text.encode("utf-8", "surrogatepass"))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(body)))
        body[at:at + draw(st.integers(0, 8))] = draw(st.binary(max_size=8))
    return bytes(body)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(feeds())
def test_hostile_feeds_store_clean_text_or_fail_cleanly(store: Store, body: bytes) -> None:
    ingest(store, body)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_any_bytes_store_clean_text_or_fail_cleanly(store: Store, body: bytes) -> None:
    ingest(store, body)
