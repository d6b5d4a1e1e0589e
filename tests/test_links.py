"""Links: web-link checks, normalisation for identity, credentials hidden (SAFETY.md rule 3)."""

from __future__ import annotations

from tui_news.links import normalize_link, redact_url


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
