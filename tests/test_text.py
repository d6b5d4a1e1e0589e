"""Cleaning, folding, links and dates (DOMAIN.md, SAFETY.md rule 1)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_news.text import (
    clean,
    date_line,
    fold,
    long_date,
    normalize_link,
    parse_date,
    redact_url,
    relative_time,
    strip_outlet_prefix,
    unescape_clean,
)

ICT = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sun, 23 Aug 2026 02:00:00 +0700", datetime(2026, 8, 23, 2, 0, tzinfo=ICT)),
        ("Sun, 23 Aug 26 05:52:00 +0700", datetime(2026, 8, 23, 5, 52, tzinfo=ICT)),
        ("Sat, 22 Aug 2026 22:58:22 +07:00", datetime(2026, 8, 22, 22, 58, 22, tzinfo=ICT)),
        ("Sun, 23 Aug 2026 05:49:00 +07", datetime(2026, 8, 23, 5, 49, tzinfo=ICT)),
        ("8/23/2026 5:20:00\u202fAM", datetime(2026, 8, 23, 5, 20, tzinfo=ICT)),
        ("8/22/2026 11:00:00 PM", datetime(2026, 8, 22, 23, 0, tzinfo=ICT)),
        ("8/22/2026 12:30:00 AM", datetime(2026, 8, 22, 0, 30, tzinfo=ICT)),
        ("Tue, 15 Sep 2026 09:02:15 GMT+7", datetime(2026, 9, 15, 9, 2, 15, tzinfo=ICT)),
        ("Sat, 22 Aug 2026 10:06:43 GMT", datetime(2026, 8, 22, 10, 6, 43, tzinfo=UTC)),
        ("2026-08-23T05:00:00", datetime(2026, 8, 23, 5, 0, tzinfo=ICT)),
        ("2026-08-23T05:00:00Z", datetime(2026, 8, 23, 5, 0, tzinfo=UTC)),
        ("Sun, 23 Aug 2026 02:00:00", datetime(2026, 8, 23, 2, 0, tzinfo=ICT)),
    ],
)
def test_every_pubdate_shape(raw: str, expected: datetime) -> None:
    value = parse_date(raw, now=NOW)
    assert value == expected
    assert value is not None and value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("raw", ["", "garbage", "32/13/2026 10:00:00 AM", "Sun, 99 Foo",
                                 "Sun, 30 Nov 2026 02:00:00 +0700"])
def test_bad_and_far_future_dates_are_none(raw: str) -> None:
    assert parse_date(raw, now=NOW) is None


def test_clean_removes_escapes_controls_and_bidi() -> None:
    hostile = ("a\x1b]52;c;SGVsbG8=\x07b\x1b[31mc\x9b2Jd\x1b]8;;http://x\x1b\\e\u202eF\ud800"
               "\x00G\x85H\x7fI")
    assert clean(hostile) == "abcdeFGHI"


def test_clean_normalises_and_collapses() -> None:
    nfd = unicodedata.normalize("NFD", "Hà Nội\u00a0 khoẻ")
    assert clean(f"  {nfd}\n\t x ") == "Hà Nội khoẻ x"
    assert clean("một\n\n\n\nhai", multiline=True) == "một\n\nhai"
    assert clean("x" * 100, limit=10) == "x" * 9 + "…"
    assert clean(None) == ""


def test_unescape_once() -> None:
    assert unescape_clean("Tỷ gi&#225; ng&#224;y") == "Tỷ giá ngày"
    assert unescape_clean("&amp;lt;") == "&lt;"


@pytest.mark.parametrize(
    ("query", "text"),
    [("ha noi", "Hà Nội"), ("da nang", "Đà Nẵng"), ("hoa", "hoà"), ("hoa", "hòa"),
     ("khoe", "khoẻ"), ("thuy", "thủy")],
)
def test_fold_matches_vietnamese(query: str, text: str) -> None:
    assert fold(text) == fold(query)
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_links() -> None:
    base = "https://vnexpress.net/rss/thoi-su.rss"
    assert normalize_link(" \n/a.html?utm_source=rss&id=3&fbclid=x&zarsrc=1\n", base) == \
        "https://vnexpress.net/a.html?id=3"
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", ""):
        assert normalize_link(bad, base) is None
    assert normalize_link("relative.html", None) is None
    assert redact_url("https://user:pw@a.example:8080/x") == "https://***@a.example:8080/x"


# Pieces that lean on every rule of the link shortcut: case, ports, users, IPv6, dot segments,
# queries, fragments, params, backslashes, spaces, controls and non-ASCII.
_LINK_HEADS = ["http://", "https://", "HTTP://", "hTTps://", "http:/", "http:///", "ftp://", ""]
_LINK_HOSTS = ["vnexpress.net", "VnExpress.NET", "127.0.0.1", "127.0.0.1:8080", "h:99999", "h:",
               "user@h", "[::1]", "a-b.vn", "", "h vn", "h\\vn", "hà.vn"]
_LINK_PIECES = ["/", "//", ".", "..", "/./", "/../", "thoi-su", "a-b", "_", "~", "%20", "%C3%A0",
                "?", "#", ";", "&", "=", "utm_source", "\\", " ", "\t", "\n", "\x00", "\x7f",
                "à", "Đ", "e\u0301", "'", "(", "+", "!", "$", ",", "@", "*", ":", "1234", ".html"]


def test_the_link_shortcut_gives_what_the_long_way_gives() -> None:
    import random

    from tui_news import text

    rng = random.Random(7)
    shortcut = 0
    for _ in range(20_000):
        rest = "".join(rng.choices(_LINK_PIECES, k=rng.randrange(6)))
        link = rng.choice(_LINK_HEADS) + rng.choice(_LINK_HOSTS) + rng.choice(["/", ""]) + rest
        base = rng.choice([None, "https://vnexpress.net/rss/thoi-su.rss", "http://127.0.0.1:9/f"])
        assert normalize_link(link, base) == text._normalize_any_link(link, base), (link, base)
        shortcut += text._PLAIN_LINK.fullmatch(link) is not None
    assert shortcut > 300  # the shortcut itself was taken often enough to be tested


def test_outlet_prefixes() -> None:
    for lead in ("(Dân trí) - Nội dung", "(Chinhphu.vn) - Nội dung", "VOV.VN - Nội dung",
                 "VTV.vn - Nội dung", "(NLĐO)- Nội dung"):
        assert strip_outlet_prefix(lead) == "Nội dung"
    assert strip_outlet_prefix("Dân trí là tờ báo") == "Dân trí là tờ báo"


def test_the_pubdate_shortcut_gives_what_the_long_way_gives() -> None:
    import random

    from tui_news import text

    days = ["Mon, ", "Sat, ", "Sun,", "Xyz, ", "", "sat, "]
    numbers = ["0", "1", "09", "28", "29", "30", "31", "32", "001"]
    months = ["Jan", "Feb", "Nov", "Dec", "nov", "Foo"]
    years = ["2026", "1999", "0050", "1900", "2100", "26", "20266"]
    times = ["19:40:59", "00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "7:05:00",
             "12:00"]
    zones = ["+0700", "-0700", "+0000", "-0000", "+0730", "+0799", "+2400", "+2359", "-2359",
             "+07", "GMT", "+07:00", "+9999", "", "-00:00", "-00", "+14:00", "+14:01", "+1400",
             "+1401", "-14:00", "+15", "+07:5", "+07:99", "+07:00:00", "+7"]
    rng = random.Random(3)
    shortcut = 0
    for _ in range(20_000):
        raw = (f"{rng.choice(days)}{rng.choice(numbers)} {rng.choice(months)} "
               f"{rng.choice(years)} {rng.choice(times)} {rng.choice(zones)}")
        if rng.random() < 0.1:
            raw = rng.choice([" ", "\t", "&#32;"]) + raw
        fast = text._rfc822(raw)
        slow = text._parse_any_date(raw)
        if fast is not False:
            assert fast == slow, raw
            assert (fast and fast.utcoffset()) == (slow and slow.utcoffset()), raw
            shortcut += 1
    assert shortcut > 1000


def test_dates_for_people() -> None:
    when = datetime(2020, 8, 19, 7, 17, tzinfo=UTC)
    assert date_line(when) == "19/08/2020 | 14:17"
    assert long_date(datetime(2026, 11, 28, 7, 17, tzinfo=UTC)) == "Thứ Bảy, 28/11/2026 14:17"
    now = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    assert relative_time(now - timedelta(seconds=20), now) == "vừa xong"
    assert relative_time(now - timedelta(minutes=5), now) == "5 phút trước"
    assert relative_time(now - timedelta(hours=2), now) == "2 giờ trước"
    assert relative_time(now - timedelta(hours=20), now) == "hôm qua"
    assert relative_time(now - timedelta(days=3), now) == "3 ngày trước"
    assert relative_time(now - timedelta(days=30), now) == "29/10/2026"
    assert relative_time(now - timedelta(minutes=5), now, lang="en") == "5 min ago"


def _fold_reference(text: str) -> str:
    """fold's definition, whole-string (the implementation folds through a per-character table)."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()


def test_fold_equals_its_definition_on_any_text() -> None:
    import random

    rng = random.Random(4)
    pool = [0x111, 0x110, 0x1EC7, 0x130, 0x1F0, 0xDF, 0x3A3, 0x3C2, 0xFB01, 0x300, 0x323, 0x20]
    for _ in range(3000):
        text = "".join(chr(rng.choice([rng.randrange(0x110000), rng.randrange(0x250),
                                       rng.randrange(0x300, 0x370), rng.choice(pool)]))
                       for _ in range(rng.randrange(12)))
        for variant in (text, unicodedata.normalize("NFD", text)):
            assert fold(variant) == _fold_reference(variant)
    assert fold("Hà Nội ĐÀ NẴNG") == "ha noi da nang" and fold("plain ASCII") == "plain ascii"


def test_clean_collapses_every_kind_of_space() -> None:
    import re
    import sys

    controls = set("\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85")  # line breaks and removed controls
    spaces = [chr(c) for c in range(sys.maxunicode + 1)
              if re.match(r"\s", chr(c)) and chr(c) not in controls]
    assert "\u00a0" in spaces and "\u2028" in spaces and "\t" in spaces
    for ch in spaces:
        assert clean(f"{ch}a{ch}{ch}b {ch}") == "a b", hex(ord(ch))
        assert clean(f"{ch}a{ch}{ch}b{ch}\n{ch}c{ch}", multiline=True) == "a b\nc", hex(ord(ch))


# Printable text takes a short path through clean(); it must give what the general path gives.
_PRINTABLE_TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=400, deadline=None)
@given(_PRINTABLE_TEXTS | st.sampled_from(["Hà  Nội ", " Đà Nẵng", "Hoà\u0300 bình", "e\u0301",
                                           "a" * 30, "Tin  mới " * 5]),
       st.sampled_from([None, 5, 20]), st.booleans())
def test_clean_short_path_equals_the_general_one(text: str, limit: int | None,
                                                  multiline: bool) -> None:
    from tui_news.text import _clean_any

    expected = _clean_any(text[: limit * 2] if limit else text, multiline, limit)
    assert clean(text, limit=limit, multiline=multiline) == expected


def test_clean_of_printable_lines_equals_the_general_one() -> None:
    # A lead read from HTML: printable text and newlines. Its short path must give what the
    # general one gives for every arrangement of lines, spaces and blank lines.
    import random

    from tui_news import text

    pieces = ["\n", "\n\n", "\n\n\n", " ", "  ", "Hà", "Nội", "e\u0301", "x", "\u00a0", "\t",
              "\u2028", "\x1b[31m", "!"]
    rng = random.Random(5)
    short = 0
    for _ in range(20_000):
        value = "".join(rng.choices(pieces, k=rng.randrange(12)))
        limit = rng.choice([None, 3, 8])
        expected = text._clean_any(value[: limit * 2] if limit else value, True, limit)
        assert clean(value, multiline=True, limit=limit) == expected, repr(value)
        short += "\n" in value and value.replace("\n", " ").isprintable()
    assert short > 2000
