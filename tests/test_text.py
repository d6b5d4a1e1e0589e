"""Cleaning, folding and outlet tags (DOMAIN.md, SAFETY.md rule 1)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_news.text import clean, fold, strip_outlet_prefix, unescape_clean


def test_clean_removes_escapes_controls_and_bidi() -> None:
    hostile = (
        "a\x1b]52;c;SGVsbG8=\x07b\x1b[31mc\x9b2Jd\x1b]8;;http://x\x1b\\e\u202eF\ud800"
        "\x00G\x85H\x7fI"
    )
    # Only the 8-bit CSI itself goes (`2J` is inert text without it); see the C1 test below.
    assert clean(hostile) == "abc2JdeFGHI"


def test_a_c1_control_deletes_the_rest_of_the_text() -> None:
    # U+0090 (DCS) and U+009D (OSC) start 8-bit escape strings, but in feed text they are
    # mostly mojibake: "Đ" in UTF-8 read as Latin-1 is "Ä\x90". Each goes alone.
    assert clean("Before\x90After") == "BeforeAfter"
    assert clean("Tin \u00c4\x90à Nẵng, \u00c4\x90ồng Nai\x9c hết") == "Tin Äà Nẵng, Äồng Nai hết"
    assert clean("a\x9d0;title\x07b") == "a0;titleb"
    for c1 in range(0x80, 0xA0):
        assert clean(f"x{chr(c1)}y z", multiline=True) == "xy z"
    # 7-bit escape strings still go whole.
    assert clean("a\x1b]0;title\x07b\x1b[31mc") == "abc"


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
    [
        ("ha noi", "Hà Nội"),
        ("da nang", "Đà Nẵng"),
        ("hoa", "hoà"),
        ("hoa", "hòa"),
        ("khoe", "khoẻ"),
        ("thuy", "thủy"),
    ],
)
def test_fold_matches_vietnamese(query: str, text: str) -> None:
    assert fold(text) == fold(query)
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_outlet_prefixes() -> None:
    for lead in (
        "(Dân trí) - Nội dung",
        "(Chinhphu.vn) - Nội dung",
        "VOV.VN - Nội dung",
        "VTV.vn - Nội dung",
        "(NLĐO)- Nội dung",
        "QĐND - Nội dung",
    ):
        assert strip_outlet_prefix(lead) == "Nội dung"
    assert strip_outlet_prefix("Dân trí là tờ báo") == "Dân trí là tờ báo"


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
        text = "".join(
            chr(
                rng.choice(
                    [
                        rng.randrange(0x110000),
                        rng.randrange(0x250),
                        rng.randrange(0x300, 0x370),
                        rng.choice(pool),
                    ]
                )
            )
            for _ in range(rng.randrange(12))
        )
        for variant in (text, unicodedata.normalize("NFD", text)):
            assert fold(variant) == _fold_reference(variant)
    assert fold("Hà Nội ĐÀ NẴNG") == "ha noi da nang" and fold("plain ASCII") == "plain ascii"


def test_clean_collapses_every_kind_of_space() -> None:
    import re
    import sys

    controls = set("\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85")  # line breaks and removed controls
    spaces = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if re.match(r"\s", chr(c)) and chr(c) not in controls
    ]
    assert "\u00a0" in spaces and "\u2028" in spaces and "\t" in spaces
    for ch in spaces:
        assert clean(f"{ch}a{ch}{ch}b {ch}") == "a b", hex(ord(ch))
        assert clean(f"{ch}a{ch}{ch}b{ch}\n{ch}c{ch}", multiline=True) == "a b\nc", hex(ord(ch))


# Printable text takes a short path through clean(); it must give what the general path gives.
_PRINTABLE_TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=400, deadline=None)
@given(
    _PRINTABLE_TEXTS
    | st.sampled_from(
        ["Hà  Nội ", " Đà Nẵng", "Hoà\u0300 bình", "e\u0301", "a" * 30, "Tin  mới " * 5]
    ),
    st.sampled_from([None, 5, 20]),
    st.booleans(),
)
def test_clean_short_path_equals_the_general_one(
    text: str, limit: int | None, multiline: bool
) -> None:
    from tui_news.text import _clean_any

    expected = _clean_any(text[: limit * 2] if limit else text, multiline, limit)
    assert clean(text, limit=limit, multiline=multiline) == expected


def test_clean_of_printable_lines_equals_the_general_one() -> None:
    # A lead read from HTML: printable text and newlines. Its short path must give what the
    # general one gives for every arrangement of lines, spaces and blank lines.
    import random

    from tui_news import text

    pieces = [
        "\n",
        "\n\n",
        "\n\n\n",
        " ",
        "  ",
        "Hà",
        "Nội",
        "e\u0301",
        "x",
        "\u00a0",
        "\t",
        "\u2028",
        "\x1b[31m",
        "!",
    ]
    rng = random.Random(5)
    short = 0
    for _ in range(20_000):
        value = "".join(rng.choices(pieces, k=rng.randrange(12)))
        limit = rng.choice([None, 3, 8])
        expected = text._clean_any(value[: limit * 2] if limit else value, True, limit)
        assert clean(value, multiline=True, limit=limit) == expected, repr(value)
        short += "\n" in value and value.replace("\n", " ").isprintable()
    assert short > 2000
