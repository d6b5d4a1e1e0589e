"""Issue #14's ten faults and its must-stay list, through the real `tui-news refresh`.

One local HTTP server on 127.0.0.1 serves a feed per case, each with the Content-Type header a
real server would send (the charset cases carry their charset only there); one refresh reads
them all into a real cache, and each test reads what that cache holds. The unit tests named for
the same faults are in test_feeds.py, test_links.py, test_text.py, test_dates.py
and test_charsets.py.
"""

from __future__ import annotations

import http.server
import sqlite3
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Cli

from tui_news.config import load_config
from tui_news.models import ArticleQuery, ParsedEntry
from tui_news.store import Store

RSS = (
    '<?xml version="1.0"{decl}?>\n<rss version="2.0"><channel><title>{title}</title>{items}'
    "</channel></rss>"
)
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
    "{head}{entries}</feed>"
)


def rss(items: str, *, title: str = "Báo thử", decl: str = ' encoding="utf-8"') -> str:
    return RSS.format(decl=decl, title=title, items=items)


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # cp1258 has these five as combining marks


def to_cp1258(text: str) -> bytes:
    """Vietnamese in windows-1258: letters with ˆ ˘ ơ ư precomposed, the tone mark combining."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


CHARSET_TITLES = {
    "koi8-r": "Новости дня: курс рубля",
    "iso-8859-2": "Zażółć gęślą jaźń - Łódź",
    "shift_jis": "日本語のニュース、東京",
    "windows-1258": "Tiếng Việt có dấu: Đà Nẵng mưa lớn",
}


def _charset_feed(charset: str) -> bytes:
    # No encoding in the XML declaration: only the HTTP header names the charset.
    body = rss(
        f"<item><guid>{charset}</guid><title>{CHARSET_TITLES[charset]}</title></item>",
        title=CHARSET_TITLES[charset],
        decl="",
    )
    return to_cp1258(body) if charset == "windows-1258" else body.encode(charset)


ZONES = {
    "CET": 60,
    "CEST": 120,
    "MET": 60,
    "MEST": 120,
    "IST": 330,
    "AT": -240,
    "ET": -300,
    "CT": -360,
    "MT": -420,
    "PT": -480,
}

# path → (body, Content-Type)
FEEDS: dict[str, tuple[bytes, str]] = {
    "/markup-rss.xml": (
        rss(
            "<item><guid>m1</guid><title><![CDATA[<b>Nóng:</b> Bão số 5]]></title></item>"
            "<item><guid>m2</guid><title>&lt;div&gt;Example "
            '&lt;a href="test.html"&gt;test&lt;/a&gt;'
            "&lt;/div&gt;</title></item>"
        ).encode(),
        "application/rss+xml; charset=utf-8",
    ),
    "/markup-atom.xml": (
        ATOM.format(
            head="<title>Atom</title>",
            entries=(
                '<entry><id>m3</id><title type="html">Example &lt;b&gt;Atom&lt;/b&gt;'
                "</title></entry>"
                '<entry><id>m4</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
                'Example <a href="test.html">test</a></div></title></entry>'
            ),
        ).encode(),
        "application/atom+xml",
    ),
    "/script-title.xml": (
        ATOM.format(
            head='<title type="html">safe&lt;script type="text/javascript"&gt;location.href='
            "'http:/'+'/example.com/';&lt;/script&gt; description</title>",
            entries='<entry><id>s1</id><title type="html">a&lt;script&gt;x()&lt;/script&gt; b'
            "</title></entry>",
        ).encode(),
        "application/atom+xml",
    ),
    "/no-id.xml": (
        rss(
            '<item><title>Podcast 1</title><enclosure url="https://cdn.example.vn/p1.mp3" '
            'length="1" type="audio/mpeg"/></item>'
            '<item><enclosure url="https://cdn.example.vn/p2.mp3" length="1" type="audio/mpeg"/>'
            "</item>"
            "<item><title>Tin RSS 0.91</title><description>Chỉ có tựa và mô tả</description></item>"
            "<item><title>Lối tắt</title><link>javascript:alert(1)</link></item>"
            "<item></item>"
        ).encode(),
        "application/rss+xml",
    ),
    "/no-id-atom.xml": (
        ATOM.format(
            head="<title>Atom</title>",
            entries=(
                "<entry><title>Không id, không link</title>"
                "<updated>2026-08-23T05:00:00+07:00</updated>"
                "<summary>Tóm tắt</summary></entry>"
            ),
        ).encode(),
        "application/atom+xml",
    ),
    "/fragments.xml": (
        rss(
            "".join(
                f"<item><title>{t}</title><link>{link}</link></item>"
                for t, link in (
                    ("SPA 101", "https://spa.example.vn/#/tin/101"),
                    ("SPA 102", "https://spa.example.vn/#/tin/102"),
                    ("Live 1", "https://bao.example.vn/live.html#u1"),
                    ("Live 2", "https://bao.example.vn/live.html#u2"),
                    ("Live 3", "https://bao.example.vn/live.html#u3"),
                )
            )
        ).encode(),
        "application/rss+xml",
    ),
    "/queries.xml": (
        rss(
            "".join(
                f"<item><title>{t}</title><link>{link}</link></item>"
                for t, link in (
                    ("Serendipity", "https://blog.example.vn/index.php?/archives/123-x.html"),
                    ("Semicolon", "https://bao.example.vn/a.php?id=5;page=2"),
                    ("Encoded", "https://bao.example.vn/tim?q=H%C3%A0+N%E1%BB%99i&amp;p=%2F2"),
                )
            )
        ).encode(),
        "application/rss+xml",
    ),
    **{
        f"/charset-{cs}.xml": (_charset_feed(cs), f"text/xml; charset={cs}")
        for cs in CHARSET_TITLES
    },
    "/c1.xml": (
        rss(
            "<item><guid>c1</guid><title>Before&#144;After</title></item>"
            "<item><guid>c2</guid><title>Tin \u00c4\u0090à Nẵng mưa lớn</title>"
            "<description>Trước&#157;Sau và \u00c4\u0090ây</description></item>"
        ).encode(),
        "application/rss+xml",
    ),
    "/atom-text.xml": (
        ATOM.format(
            head='<title type="text">A &lt;b&gt; feed</title>',
            entries=(
                '<entry><id>t1</id><title type="text">Plain text with &lt;angle&gt; brackets'
                "</title>"
                '<summary type="text">1 &lt; 2 &amp;amp; &lt;b&gt;not bold&lt;/b&gt;</summary>'
                "</entry>"
            ),
        ).encode(),
        "application/atom+xml",
    ),
    "/embed.xml": (
        rss(
            "<item><guid>e1</guid><title>Embed</title><description>safe&lt;embed "
            'src="http://example.com/"&gt; description</description></item>'
        ).encode(),
        "application/rss+xml",
    ),
    "/zones.xml": (
        rss(
            "".join(
                f"<item><guid>z-{zone}</guid>"
                f"<pubDate>Sat, 22 Aug 2026 10:00:00 {zone}</pubDate></item>"
                for zone in ZONES
            )
        ).encode(),
        "application/rss+xml",
    ),
    "/must-stay.xml": (
        rss(
            "<item><guid>d1</guid><pubDate>Sun, 23 Aug 2026 05:49:00 +07</pubDate></item>"
            "<item><guid>d2</guid><pubDate><![CDATA[Tue, 15 Sep 2026 09:02:15 GMT+7]]></pubDate>"
            "</item>"
            "<item><guid>d3</guid><pubDate>8/23/2026 5:20:00\u202fPM</pubDate></item>"
            "<item><guid>d4</guid><pubDate>Sat, 22 Aug 2026 10:00:00 ICT</pubDate></item>"
            "<item><guid>d5</guid><pubDate>Sat, 22 Aug 2026 10:00:00</pubDate></item>"
            "<item><title>Theo dõi</title><link>https://bao.example.vn/t.html?utm_source=rss&amp;"
            "id=3</link></item>"
            "<item><title>Theo dõi lần hai</title><link>https://bao.example.vn/t.html?id=3&amp;"
            "fbclid=x</link></item>"
            "<item><guid>j1</guid><title>JS</title><link>javascript:alert(1)</link></item>"
            "<item><guid>j2</guid><title>Tag</title><link>tag:bao.example.vn,2026:1</link></item>"
            "<item><guid>cd</guid><title><![CDATA[Tỷ gi&#225; euro]]></title>"
            "<description><![CDATA[<p>Lead thật.</p><ul><li><a href='/r1'>Tin liên quan một</a>"
            "</li><li><a href='/r2'>Tin liên quan hai</a></li></ul>]]></description></item>"
        ).encode(),
        "application/rss+xml",
    ),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    feeds: dict[str, tuple[bytes, str]] = {}

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        if self.path == "/v1/forecast":
            body, content_type = b"[]", "application/json"
        elif self.path in self.feeds:
            body, content_type = self.feeds[self.path]
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Refreshed:
    cli: Cli
    base: str
    server: http.server.ThreadingHTTPServer

    @property
    def db(self) -> Path:
        return self.cli.data_dir / "cache.sqlite3"

    def url(self, path: str) -> str:
        return self.base + path

    def rows(self, path: str) -> list[sqlite3.Row]:
        """The articles of one feed, in id order (feed order for a first refresh)."""
        conn = sqlite3.connect(f"{self.db.resolve().as_uri()}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return conn.execute(
                "SELECT a.* FROM articles a JOIN article_feeds af ON af.article_id = a.id "
                "JOIN feeds f ON f.id = af.feed_id WHERE f.url = ? ORDER BY a.id",
                (self.url(path),),
            ).fetchall()
        finally:
            conn.close()

    def by_key(self, path: str) -> dict[str, sqlite3.Row]:
        return {row["key"]: row for row in self.rows(path)}

    def feed_title(self, path: str) -> str:
        conn = sqlite3.connect(f"{self.db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT feed_title FROM feeds WHERE url = ?", (self.url(path),)
            ).fetchone()
        finally:
            conn.close()
        return row[0]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Refreshed]:
    handler = type("Handler", (_Handler,), {"feeds": dict(FEEDS)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = tmp_path_factory.mktemp("feed_text")
    cli = Cli(config=tmp / "config.toml", data_dir=tmp / "data")
    cli.write_config(
        [(base + path, "Thời sự") for path in FEEDS], weather_url=base + "/v1/forecast"
    )
    run = cli("refresh")
    assert run.status == 0, run.err
    assert f"{len(FEEDS)}/{len(FEEDS)} feeds refreshed" in run.out, run.out
    try:
        yield Refreshed(cli, base, server)
    finally:
        server.shutdown()
        server.server_close()


def test_markup_left_in_titles(refreshed: Refreshed) -> None:
    assert [r["title"] for r in refreshed.rows("/markup-rss.xml")] == [
        "Nóng: Bão số 5",
        "Example test",
    ]
    assert [r["title"] for r in refreshed.rows("/markup-atom.xml")] == [
        "Example Atom",
        "Example test",
    ]


def test_script_text_in_a_feed_title(refreshed: Refreshed) -> None:
    assert refreshed.feed_title("/script-title.xml") == "safe description"
    assert [r["title"] for r in refreshed.rows("/script-title.xml")] == ["a b"]


def test_items_silently_dropped(refreshed: Refreshed) -> None:
    rows = refreshed.rows("/no-id.xml")
    # The empty item carries nothing to show or to key on; the other four are kept.
    assert [(r["title"], r["link"]) for r in rows] == [
        ("Podcast 1", None),
        ("", None),
        ("Tin RSS 0.91", None),
        ("Lối tắt", None),
    ]
    assert rows[2]["summary"] == "Chỉ có tựa và mô tả"
    assert all(r["key"].startswith("item:") for r in rows)
    assert len({r["key"] for r in rows}) == 4
    atom = refreshed.rows("/no-id-atom.xml")
    assert [(r["title"], r["summary"]) for r in atom] == [("Không id, không link", "Tóm tắt")]
    assert atom[0]["published"] == datetime(2026, 8, 22, 22, 0, tzinfo=UTC).timestamp()


def test_items_without_an_id_keep_their_key_and_state_on_the_next_refresh(
    refreshed: Refreshed,
) -> None:
    before = {r["key"]: r["id"] for r in refreshed.rows("/no-id.xml")}
    conn = sqlite3.connect(refreshed.db)
    marks = ",".join("?" * len(before))
    conn.execute(f"UPDATE articles SET read = 1 WHERE key IN ({marks})", list(before))
    conn.commit()
    conn.close()
    # A new item arrives first; the body changes, so the feed is parsed again.
    body, content_type = FEEDS["/no-id.xml"]
    changed = body.replace(
        "<title>Báo thử</title>".encode(),
        "<title>Báo thử</title><item><title>Mới</title>"
        "<description>Tin mới</description></item>".encode(),
        1,
    )
    assert changed != body
    handler = refreshed.server.RequestHandlerClass
    handler.feeds["/no-id.xml"] = (changed, content_type)  # type: ignore[attr-defined]
    try:
        run = refreshed.cli("refresh")
    finally:
        handler.feeds["/no-id.xml"] = (body, content_type)  # type: ignore[attr-defined]
    assert run.status == 0, run.err
    after = {r["key"]: (r["id"], r["read"]) for r in refreshed.rows("/no-id.xml")}
    assert len(after) == 5  # one new article, no duplicate
    for key, article_id in before.items():
        assert after[key] == (article_id, 1)


def test_links_collapsed(refreshed: Refreshed) -> None:
    rows = refreshed.rows("/fragments.xml")
    assert [r["link"] for r in rows] == [
        "https://spa.example.vn/#/tin/101",
        "https://spa.example.vn/#/tin/102",
        "https://bao.example.vn/live.html#u1",
        "https://bao.example.vn/live.html#u2",
        "https://bao.example.vn/live.html#u3",
    ]
    assert [r["key"] for r in rows] == [r["link"] for r in rows]


def test_query_strings_rewritten(refreshed: Refreshed) -> None:
    assert [r["link"] for r in refreshed.rows("/queries.xml")] == [
        "https://blog.example.vn/index.php?/archives/123-x.html",
        "https://bao.example.vn/a.php?id=5;page=2",
        "https://bao.example.vn/tim?q=H%C3%A0+N%E1%BB%99i&p=%2F2",
    ]


@pytest.mark.parametrize("charset", sorted(CHARSET_TITLES))
def test_a_charset_given_only_in_the_http_header(refreshed: Refreshed, charset: str) -> None:
    path = f"/charset-{charset}.xml"
    assert b"encoding=" not in FEEDS[path][0]  # the header alone says it
    assert [r["title"] for r in refreshed.rows(path)] == [CHARSET_TITLES[charset]]
    assert refreshed.feed_title(path) == CHARSET_TITLES[charset]


def test_a_c1_control_deletes_the_rest_of_the_text(refreshed: Refreshed) -> None:
    rows = refreshed.rows("/c1.xml")
    assert [r["title"] for r in rows] == ["BeforeAfter", "Tin Äà Nẵng mưa lớn"]
    assert rows[1]["summary"] == "TrướcSau và Äây"


def test_atom_type_text_read_as_html(refreshed: Refreshed) -> None:
    (row,) = refreshed.rows("/atom-text.xml")
    assert row["title"] == "Plain text with <angle> brackets"
    assert row["summary"] == "1 < 2 &amp; <b>not bold</b>"
    assert refreshed.feed_title("/atom-text.xml") == "A <b> feed"


def test_an_unclosed_embed_swallows_the_text_after_it(refreshed: Refreshed) -> None:
    assert [r["summary"] for r in refreshed.rows("/embed.xml")] == ["safe description"]


def test_zone_names_outside_the_email_modules_list(refreshed: Refreshed) -> None:
    rows = refreshed.by_key("/zones.xml")
    local = datetime(2026, 8, 22, 10, 0, tzinfo=UTC).timestamp()
    for zone, minutes in ZONES.items():
        assert rows[f"z-{zone}"]["published"] == local - minutes * 60, zone


def test_what_the_product_did_better_still_holds(refreshed: Refreshed) -> None:
    rows = refreshed.by_key("/must-stay.xml")
    vn = 7 * 3600
    assert rows["d1"]["published"] == datetime(2026, 8, 23, 5, 49, tzinfo=UTC).timestamp() - vn
    assert rows["d2"]["published"] == datetime(2026, 9, 15, 9, 2, 15, tzinfo=UTC).timestamp() - vn
    assert rows["d3"]["published"] == datetime(2026, 8, 23, 17, 20, tzinfo=UTC).timestamp() - vn
    for key in ("d4", "d5"):  # ICT, and no zone at all: Vietnam time
        assert rows[key]["published"] == datetime(2026, 8, 22, 3, 0, tzinfo=UTC).timestamp()
    # Tracking parameters dropped, and the two links that differ only by them are one article.
    assert rows["https://bao.example.vn/t.html?id=3"]["title"] == "Theo dõi"
    assert not any("utm_" in key or "fbclid" in key for key in rows)
    assert rows["j1"]["link"] is None and rows["j2"]["link"] is None
    assert rows["cd"]["title"] == "Tỷ giá euro"
    assert rows["cd"]["summary"] == "Lead thật."


def test_an_article_stored_under_its_former_link_key_keeps_its_state(
    refreshed: Refreshed, tmp_path: Path
) -> None:
    # A cache written before #14 keyed `live.html#u1` and `index.php?/archives/…` by the link
    # with the fragment dropped and the query encoded again; a refresh moves them to the new key.
    cli = Cli(config=tmp_path / "config.toml", data_dir=tmp_path / "data")
    paths = ["/fragments.xml", "/queries.xml"]
    cli.write_config(
        [(refreshed.url(p), "Thời sự") for p in paths], weather_url=refreshed.url("/v1/forecast")
    )
    old = {
        "https://bao.example.vn/live.html": "Live (cũ)",
        "https://blog.example.vn/index.php?%2Farchives%2F123-x.html=": "Serendipity (cũ)",
        "https://bao.example.vn/a.php?id=5%3Bpage%3D2": "Semicolon (cũ)",
    }
    cli.data_dir.mkdir()
    store = Store.open(cli.data_dir / "cache.sqlite3")
    try:
        store.sync_feeds(load_config(cli.config).feeds)
        store.ingest(
            refreshed.url(paths[0]),
            [
                ParsedEntry(
                    key="https://bao.example.vn/live.html",
                    title=old["https://bao.example.vn/live.html"],
                    link="https://bao.example.vn/live.html",
                    summary="",
                    published=None,
                )
            ],
        )
        store.ingest(
            refreshed.url(paths[1]),
            [
                ParsedEntry(key=k, title=t, link=k, summary="", published=None)
                for k, t in old.items()
                if "live" not in k
            ],
        )
        ids = {a.title: a.id for a in store.page(ArticleQuery(), 0, 10)}
        store.set_read(ids.values())
        store.set_starred([ids["Serendipity (cũ)"]])
    finally:
        store.close()
    run = cli("refresh")
    assert run.status == 0, run.err
    conn = sqlite3.connect(cli.data_dir / "cache.sqlite3")
    rows = {
        key: (article_id, read, starred)
        for key, article_id, read, starred in conn.execute(
            "SELECT key, id, read, starred FROM articles"
        )
    }
    conn.close()
    assert rows["https://bao.example.vn/live.html#u1"] == (ids["Live (cũ)"], 1, 0)
    assert rows["https://blog.example.vn/index.php?/archives/123-x.html"] == (
        ids["Serendipity (cũ)"],
        1,
        1,
    )
    assert rows["https://bao.example.vn/a.php?id=5;page=2"] == (ids["Semicolon (cũ)"], 1, 0)
    assert rows["https://bao.example.vn/live.html#u2"][1:] == (0, 0)  # new articles
    assert not set(old) & set(rows)
    assert len(rows) == 8
