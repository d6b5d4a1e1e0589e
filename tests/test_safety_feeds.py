"""SAFETY.md "Feed content": hostile feeds through the full path (config → refresh → cache).

Each case: a healthy feed and the feed under test are refreshed once (and the reader's state set),
then the feed under test turns hostile and `tui-news refresh` runs again. It must end with one
clear line naming that feed and the fault (or clean stored text), the earlier articles and their
read/starred state untouched, no traceback, and the healthy feed still refreshed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Cli, Site
from safety_helpers import (
    FORBIDDEN,
    all_text_columns,
    assert_clean_text,
    assert_feed_message,
    assert_kept,
    assert_no_traceback,
    good_feed,
    item,
    mark_some,
    rss,
    snapshot,
)


@dataclass
class Env:
    site: Site
    cli: Cli
    good: str
    feed: str

    @property
    def db(self) -> Path:
        return self.cli.data_dir / "cache.sqlite3"


@pytest.fixture
def env(site: Site, cli: Cli) -> Env:
    good = site.add("/good.xml", good_feed("g"))
    feed = site.add("/feed.xml", good_feed("h", title="Báo bị tấn công"))
    cli.write_config([(good, "Thời sự"), (feed, "Kinh doanh")],
                     weather_url=site.url("/v1/forecast"))
    first = cli("refresh")
    assert first.status == 0, first.err
    db = cli.data_dir / "cache.sqlite3"
    mark_some(db)
    assert len(snapshot(db)) == 6
    return Env(site, cli, good, feed)


def refresh_hostile(env: Env, body: bytes, content_type: str = "application/rss+xml",
                    *, seconds: float = 20) -> tuple[int, str, dict[str, tuple[object, ...]]]:
    """Serve `body` as the feed under test, refresh, check what every case checks."""
    before = snapshot(env.db)
    env.site.add("/feed.xml", body, content_type)
    started = time.monotonic()
    run = env.cli("refresh")
    assert time.monotonic() - started < seconds
    assert_no_traceback(run.err)
    assert run.status == 0, run.err  # the healthy feed still refreshed: the command did its job
    assert "1 failed" in run.out or "0 failed" in run.out
    after = snapshot(env.db)
    assert_kept(before, after)
    for table, column, value in all_text_columns(env.db):
        assert not FORBIDDEN.search(value), (table, column, value)
    return run.status, run.err, after


def new_articles(env: Env, after: dict[str, tuple[object, ...]]) -> dict[str, tuple[object, ...]]:
    return {k: v for k, v in after.items() if not k.startswith(("g-", "h-"))}


# --- XML attacks ---------------------------------------------------------------------------------


def test_billion_laughs(env: Env) -> None:
    lol = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    body = rss(item("bl", title="A &l9; B", description="&l9;"), head=f"\n<!DOCTYPE rss [{lol}]>")
    _, err, after = refresh_hostile(env, body, seconds=10)
    stored = new_articles(env, after)
    if stored:  # neutralised: stored, but never expanded
        assert all(len(str(v)) < 5000 for row in stored.values() for v in row)
    else:
        assert_feed_message(err, env.feed, "unreadable feed|not a feed")


def test_external_entity_and_dtd_make_no_connection(env: Env, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT SSH")
    dtd = env.site.url("/evil.dtd")
    env.site.add("/evil.dtd", f'<!ENTITY remote SYSTEM "{env.site.url("/leak")}">'.encode(),
                 "application/xml-dtd")
    head = (f'\n<!DOCTYPE rss SYSTEM "{dtd}" [<!ENTITY xxe SYSTEM "file://{secret}">'
            f'<!ENTITY web SYSTEM "{env.site.url("/xxe")}">'
            f'<!ENTITY % pe SYSTEM "{dtd}"> %pe;]>')
    body = rss(item("xxe", title="A &xxe; &web; &remote; B", description="&xxe;"), head=head)
    _, err, after = refresh_hostile(env, body)
    for path in ("/evil.dtd", "/xxe", "/leak"):
        assert env.site.requests_for(path) == [], f"the parser fetched {path}"
    assert all("BÍ MẬT" not in str(v) for row in after.values() for v in row)
    for _, _, value in all_text_columns(env.db):
        assert "BÍ MẬT" not in value


@pytest.mark.parametrize("payload", ["&#xD800;", "&#x110000;", "&#xFFFFFFFF;", "&#55296;"])
def test_feedparser_crash_inputs(env: Env, payload: str) -> None:
    _, err, after = refresh_hostile(env, rss(item("crash", title=f"A {payload} B")))
    assert_feed_message(err, env.feed, "unreadable feed")
    assert not new_articles(env, after)


@pytest.mark.parametrize("value", ["\\q", "\\9"])
def test_backslash_in_entity(env: Env, value: str) -> None:
    head = f'\n<!DOCTYPE rss [\n<!ENTITY bad "{value}">\n]>'
    _, err, _ = refresh_hostile(env, rss(item("bs", title="A &bad; B"), head=head))
    assert_feed_message(err, env.feed, "unreadable feed")


def test_sixteen_kb_author(env: Env) -> None:
    author = "a" * 16384
    items = "".join(item(f"au{i}", extra=f"<author>{author}</author>"
                                          f"<dc:creator><![CDATA[{author}]]></dc:creator>")
                    for i in range(20))
    _, _, after = refresh_hostile(env, rss(items), seconds=10)
    stored = new_articles(env, after)
    assert len(stored) == 20
    assert all(len(row[3] or "") <= 200 for row in stored.values())


@pytest.mark.parametrize(("body", "content_type"), [
    (b"<!DOCTYPE html><html><head><title>Trang</title></head><body><p>Xin ch\xc3\xa0o</p>"
     b"</body></html>", "text/html; charset=utf-8"),
    (b"", "application/rss+xml"),
    (b"   \n\n", "application/rss+xml"),
])
def test_html_page_or_empty_body_is_not_a_feed(env: Env, body: bytes, content_type: str) -> None:
    _, err, after = refresh_hostile(env, body, content_type)
    assert_feed_message(err, env.feed, "not a feed")
    assert not new_articles(env, after)
    feeds = {f["url"]: f for f in json.loads(env.cli("feeds", "--json").out)}
    assert feeds[env.feed]["last_status"] == "error"
    assert "not a feed" in feeds[env.feed]["last_error"]


def test_feed_truncated_mid_item(env: Env) -> None:
    body = rss(item("t1", title="Một") + item("t2", title="Hai") + item("t3", title="Ba"))
    cut = body[: body.index(b"<title>Ba") + 12]
    _, _, after = refresh_hostile(env, cut)
    titles = {row[0] for row in new_articles(env, after).values()}
    assert {"Một", "Hai"} <= titles


def test_charset_declared_utf8_really_cp1252(env: Env) -> None:
    body = rss(item("cp", title="Café “Sai Gon” — gia tang"), title="Bao thu").decode().encode(
        "cp1252")
    _, err, after = refresh_hostile(env, body, "application/rss+xml; charset=utf-8")
    stored = new_articles(env, after)
    if stored:
        title = stored["cp"][0]
        assert isinstance(title, str) and title.startswith("Caf")
        assert_clean_text(title)
    else:
        assert_feed_message(err, env.feed, "unreadable|not a feed")


def test_charset_http_and_xml_disagree(env: Env) -> None:
    body = rss(item("hx", title="Café “Sài Gòn” — giá tăng"))  # UTF-8 bytes, declared UTF-8
    _, _, after = refresh_hostile(env, body, "text/xml; charset=windows-1252")
    title = new_articles(env, after)["hx"][0]
    assert isinstance(title, str)
    assert_clean_text(title)
    assert title == "Café “Sài Gòn” — giá tăng"


# --- hostile characters in every field ----------------------------------------------------------

PAYLOADS = {
    "osc52": "\x1b]52;c;SGVsbG8=\x07",
    "osc8": "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "osc0": "\x1b]0;pwned\x07",
    "csi": "\x1b[2J\x1b[31m",
    "entity-esc": "&#27;[2J&#x1b;]0;t&#7;",
    "c1": "\u009b31m\u009d0;t\u009c",
    "nul": "a\x00b",
    "bidi": "\u202eabc\u202c\u2066x\u2069",
    "surrogate-ref": "&#xDFFF;",
    "surrogate-bytes": "\ud800x\udfff",
    "zero-width-and-nfd": "\u200bHa\u0300 No\u0323i\ufeff",
}


def hostile_fields(payload: str) -> bytes:
    def wrap(text: str) -> str:
        return f"<![CDATA[{text}]]>" if "&#" not in text else text

    p = wrap(f"X{payload}Y")
    return rss(item("p1", title=p, link=f"https://bao.example.vn/{p}", description=p,
                    extra=f"<author>{p}</author><dc:creator>{p}</dc:creator>"
                          f"<category>{p}</category>")
               + item(f"guid{p}", title="second"), title=p)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_hostile_characters_in_every_field(env: Env, name: str) -> None:
    payload = PAYLOADS[name]  # raw C0 is not XML: feedparser's loose parser reads it
    _, err, after = refresh_hostile(env, hostile_fields(payload))
    stored = new_articles(env, after)
    if name == "surrogate-ref":  # feedparser raises on it: the feed's error
        assert not stored
        assert_feed_message(err, env.feed, "unreadable feed")
        return
    assert stored, err
    for _, _, value in all_text_columns(env.db):
        assert_clean_text(value)
        assert "\x1b" not in value and "\u009b" not in value
    # What the commands print is clean too (JSON keeps it literal; show prints plain text).
    items = json.loads(env.cli("articles", "--json").out)
    for a in items:
        for value in (a["title"], a["summary"], a["feed_title"], a["link"] or ""):
            assert_clean_text(value)
        shown = env.cli("show", str(a["id"]))
        assert shown.status == 0 and "\x1b" not in shown.out
        assert not FORBIDDEN.search(shown.out.replace("\n", ""))


# --- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("link", "expected"), [
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    (" javascript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("file:///etc/passwd", None),
    ("vbscript:msgbox", None),
    ("//evil.example/x", "http://evil.example/x"),
    ("bai-viet.html?utm_source=rss", "http://127.0.0.1:PORT/bai-viet.html"),
    ("/tin/1.html", "http://127.0.0.1:PORT/tin/1.html"),
])
def test_links(env: Env, link: str, expected: str | None) -> None:
    body = rss(item(None, title="không có guid", link="https://bao.example.vn/k")
               + item("lnk", title="liên kết", link=link.replace("<", "&lt;")))
    _, _, after = refresh_hostile(env, body)
    stored = new_articles(env, after)["lnk"]
    port = env.site.server.port
    want = expected.replace("PORT", str(port)) if expected else None
    assert stored[1] == want
    # Links that cannot be opened are never queued for full-text download either.
    assert stored[1] is None or stored[1].startswith(("http://", "https://"))


# --- size -----------------------------------------------------------------------------------------


def test_hundred_thousand_items(env: Env) -> None:
    items = "".join(f"<item><guid>c{i}</guid><title>Tin {i}</title></item>"
                    for i in range(100_000))
    _, _, after = refresh_hostile(env, rss(items), seconds=60)
    assert len(new_articles(env, after)) == 1000  # the newest MAX_ITEMS, never 100,000


def test_five_megabyte_title(env: Env) -> None:
    big = "Hà Nội " * (5 * 1024 * 1024 // 8)
    body = rss(item("big", title=big, description=big[: 1 << 20]))
    assert len(body) > 5 * 1024 * 1024
    _, _, after = refresh_hostile(env, body, seconds=30)
    row = new_articles(env, after)["big"]
    assert len(row[0]) <= 1000 and len(row[2]) <= 4000  # type: ignore[arg-type]


# --- keys and dates -------------------------------------------------------------------------------


def test_items_without_guid_and_link_and_duplicate_guids(env: Env) -> None:
    items = (item(None, title="không có gì") + item("dup", title="Một")
             + item("dup", title="Hai") + item(None, title="chỉ link",
                                                link="https://x.vn/a?utm_source=rss")
             + item(None, title="link trùng", link="https://x.vn/a"))
    _, _, after = refresh_hostile(env, rss(items))
    stored = new_articles(env, after)
    # Neither guid nor link: kept, keyed on a hash of what the item carries (#14).
    (hashed,) = [k for k in stored if k.startswith("item:")]
    assert {k: v[0] for k, v in stored.items()} == {
        "dup": "Một", "https://x.vn/a": "chỉ link", hashed: "không có gì"}
    # The same items again, after a new one (so the body is parsed again): nothing duplicated,
    # state kept.
    mark_some(env.db, ["dup", hashed])
    before = snapshot(env.db)
    env.site.add("/feed.xml", rss(item("moi", title="Mới") + items))
    run = env.cli("refresh")
    assert run.status == 0
    now = snapshot(env.db)
    assert_kept(before, now)
    assert set(now) - set(before) == {"moi"}


def test_bad_missing_and_far_future_dates(env: Env) -> None:
    body = rss(item("bad", date="hôm qua lúc 5 giờ") + item("none", date=None)
               + item("future", date="Sat, 22 Aug 2099 10:06:43 GMT")
               + item("zero", date="0000-00-00 00:00:00")
               + item("overflow", date="Sat, 22 Aug 99999 10:06:43 GMT")
               + item("ok", date="Sat, 28 Nov 2026 08:00:00 +0700"))
    _, _, after = refresh_hostile(env, body)
    stored = new_articles(env, after)
    assert set(stored) == {"bad", "none", "future", "zero", "overflow", "ok"}
    for key in ("bad", "none", "future", "zero", "overflow"):
        assert stored[key][4] is None  # published unknown: listed by when it was first seen
    assert stored["ok"][4] is not None
    items = json.loads(env.cli("articles", "--json").out)
    assert all(a["published"] is None or a["published"] < "2027" for a in items)


def test_script_iframe_style_in_descriptions(env: Env) -> None:
    desc = ("<![CDATA[<script>alert('xss')</script><style>body{display:none}</style>"
            "<iframe src='https://evil.example'>khung</iframe><p onclick='x()'>Nội dung thật"
            "</p><noscript>ẩn</noscript><object data='x.swf'></object>]]>")
    _, _, after = refresh_hostile(env, rss(item("sc", description=desc)))
    summary = new_articles(env, after)["sc"][2]
    assert summary == "Nội dung thật"
