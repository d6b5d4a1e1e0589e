"""Links: web-link checks, normalisation for identity, credentials hidden (SAFETY.md rule 3)."""

from __future__ import annotations

from tui_news.links import former_link_key, normalize_link, redact_url


def test_links() -> None:
    base = "https://vnexpress.net/rss/thoi-su.rss"
    assert (
        normalize_link(" \n/a.html?utm_source=rss&id=3&fbclid=x&zarsrc=1\n", base)
        == "https://vnexpress.net/a.html?id=3"
    )
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", ""):
        assert normalize_link(bad, base) is None
    assert normalize_link("relative.html", None) is None
    assert redact_url("https://user:pw@a.example:8080/x") == "https://***@a.example:8080/x"


# Pieces that lean on every rule of the link shortcut: case, ports, users, IPv6, dot segments,
# queries, fragments, params, backslashes, spaces, controls and non-ASCII.
_LINK_HEADS = ["http://", "https://", "HTTP://", "hTTps://", "http:/", "http:///", "ftp://", ""]
_LINK_HOSTS = [
    "vnexpress.net",
    "VnExpress.NET",
    "127.0.0.1",
    "127.0.0.1:8080",
    "h:99999",
    "h:",
    "user@h",
    "[::1]",
    "a-b.vn",
    "",
    "h vn",
    "h\\vn",
    "hà.vn",
]
_LINK_PIECES = [
    "/",
    "//",
    ".",
    "..",
    "/./",
    "/../",
    "thoi-su",
    "a-b",
    "_",
    "~",
    "%20",
    "%C3%A0",
    "?",
    "#",
    ";",
    "&",
    "=",
    "utm_source",
    "\\",
    " ",
    "\t",
    "\n",
    "\x00",
    "\x7f",
    "à",
    "Đ",
    "e\u0301",
    "'",
    "(",
    "+",
    "!",
    "$",
    ",",
    "@",
    "*",
    ":",
    "1234",
    ".html",
]


def test_the_link_shortcut_gives_what_the_long_way_gives() -> None:
    import random

    from tui_news import links

    rng = random.Random(7)
    shortcut = 0
    for _ in range(20_000):
        rest = "".join(rng.choices(_LINK_PIECES, k=rng.randrange(6)))
        link = rng.choice(_LINK_HEADS) + rng.choice(_LINK_HOSTS) + rng.choice(["/", ""]) + rest
        base = rng.choice([None, "https://vnexpress.net/rss/thoi-su.rss", "http://127.0.0.1:9/f"])
        assert normalize_link(link, base) == links._normalize_any_link(link, base), (link, base)
        shortcut += links._PLAIN_LINK.fullmatch(link) is not None
    assert shortcut > 300  # the shortcut itself was taken often enough to be tested


def test_links_collapsed() -> None:
    # The fragment is kept: it can be the article (a single-page app's route, a live blog's
    # update), so these are five articles, not two.
    links = [
        "https://spa.example.vn/#/tin/101",
        "https://spa.example.vn/#/tin/102",
        "https://bao.example.vn/live.html#u1",
        "https://bao.example.vn/live.html#u2",
        "https://bao.example.vn/live.html#u3",
    ]
    assert [normalize_link(link) for link in links] == links
    assert normalize_link("live.html#u2?utm_source=x", "https://bao.example.vn/") == (
        "https://bao.example.vn/live.html#u2?utm_source=x"
    )


def test_query_strings_rewritten() -> None:
    base = "https://bao.example.vn/rss"
    for link in (
        "https://blog.example.vn/index.php?/archives/123-x.html",
        "https://bao.example.vn/a.php?id=5;page=2",
        "https://bao.example.vn/tim?q=H%C3%A0+N%E1%BB%99i&p=%2F2&x",
        "https://bao.example.vn/a?b=&c",
    ):
        assert normalize_link(link, base) == link
    # Tracking parameters still go (also %-encoded or `+`-spelled), the rest stays byte for byte.
    assert normalize_link("https://x.vn/a?id=5;p=2&utm_source=rss&fbclid=1", base) == (
        "https://x.vn/a?id=5;p=2"
    )
    assert normalize_link("https://x.vn/a?utm%5Fmedium=rss&q=a+b", base) == "https://x.vn/a?q=a+b"
    assert normalize_link("https://x.vn/a?utm_source=rss", base) == "https://x.vn/a"
    assert normalize_link("https://x.vn/a?utm_source=rss&id=3", base) == normalize_link(
        "https://x.vn/a?id=3&gclid=9", base
    )


def test_former_link_key_is_the_key_of_before() -> None:
    # What normalize_link gave before #14: ingest finds an article stored under it.
    assert former_link_key("https://bao.example.vn/live.html#u1") == (
        "https://bao.example.vn/live.html"
    )
    assert former_link_key("https://blog.example.vn/index.php?/archives/123-x.html") == (
        "https://blog.example.vn/index.php?%2Farchives%2F123-x.html="
    )
    assert former_link_key("https://x.vn/a.php?id=5;page=2") == "https://x.vn/a.php?id=5%3Bpage%3D2"
    assert former_link_key("/a.html?utm_source=x", "https://x.vn/") == "https://x.vn/a.html"
    assert former_link_key("javascript:x") is None
