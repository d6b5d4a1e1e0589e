"""The plain RSS 2.0 fast path (lxml) gives exactly what feedparser gives, or steps aside.

Every fixture feed and a few thousand generated variants (entities, CDATA, mojibake, C1
characters, permalink guids, links with `&amp;`, element order, uppercase tags, namespaces,
comments, duplicates, encodings) go through parse_feed twice: once as it runs, once with the fast
path switched off. The results must be equal.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from shared_data import shared_path

from tui_news import feeds
from tui_news.feeds import FeedError, parse_feed
from tui_news.models import ParsedFeed
from tui_news.rss_fast import read_plain_rss

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 28, tzinfo=UTC)
URL = "http://127.0.0.1:8000/feed.rss"


def _both(body: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, bool]:
    def run() -> ParsedFeed | tuple[str, str]:
        try:
            return parse_feed(body, URL, now=NOW)
        except FeedError as exc:
            return ("error", str(exc))

    fast_taken = read_plain_rss(feeds._cap_items(feeds._defuse_authors(body))) is not None
    fast = run()
    with monkeypatch.context() as m:
        m.setattr(feeds, "read_plain_rss", lambda data: None)
        slow = run()
    return fast, slow, fast_taken


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.rglob("*")
                                        if p.suffix in (".xml", ".rss")), ids=lambda p: p.name)
def test_fixture_feeds_parse_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow, _ = _both(path.read_bytes(), monkeypatch)
    assert fast == slow


def test_real_outlet_samples_parse_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real samples of ../shared/fixtures/feeds (the corpus test runs all of ../shared/corpus
    both ways too)."""
    paths = sorted(p for p in shared_path("fixtures", "feeds").iterdir()
                   if p.suffix in (".xml", ".rss"))
    assert len(paths) >= 5
    taken = 0
    for path in paths:
        fast, slow, fast_taken = _both(path.read_bytes(), monkeypatch)
        assert fast == slow, path.name
        taken += fast_taken
    assert taken >= 3  # 04-06 are plain RSS 2.0 (01 is not well-formed, 02 has namespaces)


def test_the_fast_path_reads_plain_outlet_feeds(monkeypatch: pytest.MonkeyPatch) -> None:
    body = (FIXTURES / "feeds" / "cli_thoi_su.xml").read_bytes()
    fast, slow, taken = _both(body, monkeypatch)
    assert taken and fast == slow and isinstance(fast, ParsedFeed) and fast.entries


_TEXTS = ["Hà Nội", "  Đà Nẵng \n mưa  ", "Ã©tÃ©", "caf\u00e9", "a &amp; b",
          "&lt;b&gt;bold&lt;/b&gt; x", "&#225;&#x1EA1;", "&#128;&#150;&#159;", "\u00a0nbsp\u00a0",
          "line\r\nbreak", "<![CDATA[ <p>Chào</p> &amp; ]]>", "<![CDATA[Ã¡]]>", "", " ",
          "x&#8220;y&#8221;", "\u2028sep\u2029", "(Dân trí) - lead", "&#x9c;", "tab\there",
          "\u0301combining", "e\u0301", "<![CDATA[]]>", "&#xD;cr", "A&amp;amp;B"]
_LINKS = ["http://127.0.0.1/a?x=1&amp;y=2", "http:///triple/slash",
          "https://h/p?utm_source=x&amp;id=3", "/relative/path", "", " http://h/sp ",
          "http://h/a&amp;amp;b", "http://h/?q=&#225;", "javascript:alert(1)", "http://h/x&foo;y",
          "HTTP://H/Up", "<![CDATA[http://h/c?a=1&b=2]]>", "http://h/\u00e9"]


def _element(tag: str, body: str | None, attrs: str = "") -> str:
    return f"<{tag}{attrs}/>" if body is None else f"<{tag}{attrs}>{body}</{tag}>"


def _variant(rng: random.Random) -> bytes:
    def text() -> str:
        return rng.choice(_TEXTS) + (rng.choice(_TEXTS) if rng.random() < 0.3 else "")

    def item(i: int) -> str:
        parts = []
        if rng.random() < 0.9:
            parts.append(_element(rng.choice(["title"] * 8 + ["Title"]), text()))
        if rng.random() < 0.8:
            parts.append(_element("link", rng.choice(_LINKS)))
        if rng.random() < 0.8:
            parts.append(_element("description", text() if rng.random() < 0.8 else None))
        if rng.random() < 0.8:
            parts.append(_element(rng.choice(["pubDate", "pubdate"]), rng.choice(
                ["Sat, 28 Nov 2026 10:00:00 +0700", " 11/27/2026 9:00:00 AM ",
                 "2026-11-27T10:00:00Z", "garbage", ""])))
        if rng.random() < 0.8:
            attrs = rng.choice(["", ' isPermaLink="true"', ' isPermaLink="false"',
                                ' isPermaLink="True"', ' ispermalink="false"'])
            parts.append(_element("guid", rng.choice([*_LINKS, f"id-{i}", f"  urn:{i} "]), attrs))
        if rng.random() < 0.3:
            parts.append(_element("category", text()))
        if rng.random() < 0.2:
            parts.append('<enclosure url="http://h/i.jpg" type="image/jpeg" length="1"/>')
        if rng.random() < 0.05:
            parts.append("<!-- c -->")
        if rng.random() < 0.03:
            parts.append(_element("author", "a@b.c (Tên)"))
        if rng.random() < 0.03:
            parts.append(_element("title", "dup"))
        if rng.random() < 0.03:
            parts.append('<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">X</dc:creator>')
        rng.shuffle(parts)
        return "<item>" + "\n ".join(parts) + "</item>"

    decl = rng.choice(['<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0"?>\n',
                       "", "<?xml version='1.0' encoding='utf-8' ?>\n",
                       '<?xml version="1.0" encoding="ISO-8859-1"?>\n'])
    channel = []
    if rng.random() < 0.9:
        channel.append(_element("title", text()))
    if rng.random() < 0.3:
        channel.append('<atom:link href="http://h/rss" rel="self" type="application/rss+xml"/>')
    if rng.random() < 0.3:
        channel.append("<image><url>http://h/l.png</url><title>Logo " + text()
                       + "</title><link>http://h/</link></image>")
    items = [item(i) for i in range(rng.randrange(0, 5))]
    at = rng.randrange(len(channel) + 1)
    ns = ' xmlns:atom="http://www.w3.org/2005/Atom"' if rng.random() < 0.7 else ""
    version = rng.choice(["2.0", "2.0", "0.91", ""])
    doc = (f'{decl}<rss version="{version}"{ns}><channel>'
           + "\n".join(channel[:at] + items + channel[at:]) + "</channel></rss>")
    data = doc.encode("utf-8")
    return b"\xef\xbb\xbf" + data if rng.random() < 0.03 else data


@pytest.mark.parametrize("seed", range(4))
def test_generated_variants_parse_alike(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    taken = 0
    for _ in range(400):
        body = _variant(rng)
        fast, slow, fast_taken = _both(body, monkeypatch)
        assert fast == slow, body
        taken += fast_taken
    assert taken > 100  # the variants do exercise the fast path


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss><channel><item><title>&x;'
    b"</title><guid>g</guid></item></channel></rss>",
    b'<rss xml:base="http://h/"><channel><item><link>/a</link></item></channel></rss>',
    b"<rss><channel><item><title><b>x</b></title><guid>g</guid></item></channel></rss>",
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id></entry></feed>',
    b'<?xml version="1.0" encoding="windows-1252"?><rss><channel><item><guid>\x93g\x94</guid>'
    b"</item></channel></rss>",
])
def test_anything_unusual_goes_to_feedparser(body: bytes) -> None:
    assert read_plain_rss(body) is None


def test_copied_feedparser_tables_are_still_feedparsers() -> None:
    # rss_fast keeps its own copies so that it never imports feedparser; an upgrade of
    # feedparser that changes either must change the copies too.
    import feedparser.html
    import feedparser.urls

    from tui_news import rss_fast

    assert feedparser.html._cp1252 == rss_fast._CP1252
    assert rss_fast._URIFIXER.pattern == feedparser.urls._urifixer.pattern
    assert rss_fast._URIFIXER.flags == feedparser.urls._urifixer.flags


@pytest.mark.parametrize("seed", range(2))
def test_generated_variants_give_feedparsers_own_strings(seed: int) -> None:
    # Before any of our cleaning: each string the fast path reads is the one feedparser reads
    # (the tests above compare the cleaned result, where a difference could be washed out).
    import io

    import feedparser

    rng = random.Random(100 + seed)
    compared = 0
    for _ in range(300):
        data = feeds._cap_items(feeds._defuse_authors(_variant(rng)))
        fast = read_plain_rss(data)
        if fast is None:
            continue
        slow = feedparser.parse(io.BytesIO(data), sanitize_html=False,
                                resolve_relative_uris=False)
        assert len(fast[0]) == len(slow.entries), data
        for ours, theirs in zip(fast[0], slow.entries, strict=True):
            for field, value in ours.items():
                assert _same(value, theirs.get(field)), (field, data)
                compared += 1
        assert fast[1].get("title", "") == slow.feed.get("title", ""), data
        assert _same(fast[1].get("title_detail"), slow.feed.get("title_detail")), data
    assert compared > 500


def _same(ours: object, theirs: object) -> bool:
    """A string equal to feedparser's; a detail dict (title_detail) whose keys have feedparser's
    values; an enclosure list whose one entry is feedparser's first enclosure."""
    if isinstance(ours, dict):
        return isinstance(theirs, dict) and all(theirs.get(k) == v for k, v in ours.items())
    if isinstance(ours, list):
        return isinstance(theirs, list) and len(ours) == 1 and bool(theirs) and _same(
            ours[0], theirs[0])
    return ours == theirs


def test_the_title_guess_is_feedparsers() -> None:
    # rss_fast copies feedparser's guess whether an RSS title is HTML (and its element list).
    import feedparser.mixin
    import feedparser.sanitizer

    from tui_news import rss_fast

    assert feedparser.sanitizer._HTMLSanitizer.acceptable_elements == rss_fast._HTML_ELEMENTS
    samples = ["plain", "a &amp; b", "a & b", "<b>x</b>", "x<br>y", "<script>x</script>",
               "&#225;", "&bogus;", "Plain <angle> brackets", "<foo>x</foo>", "a</b>", "&amp",
               "<B>x</B>", "<em>x</em> &copy;", "5 < 6 & 7 > 2", "</event-source>"]
    for text in samples:
        assert rss_fast.looks_like_html(text) == feedparser.mixin._FeedParserMixin.looks_like_html(
            text), text
