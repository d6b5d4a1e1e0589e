"""Which charset a feed body is read in (charsets.as_utf8): header, declaration, UTF-8."""

from __future__ import annotations

import unicodedata

from tui_news.charsets import as_utf8, header_charset

TEXT = '<?xml version="1.0"{decl}?><rss><channel><title>{title}</title></channel></rss>'


def body(title: str, charset: str, decl: str | None) -> bytes:
    declaration = f' encoding="{decl}"' if decl else ""
    return TEXT.format(decl=declaration, title=title).encode(charset)


def test_header_charset() -> None:
    assert header_charset('text/xml; charset="KOI8-R"') == "koi8-r"
    assert header_charset("application/rss+xml;charset=utf-8; q=1") == "utf-8"
    assert header_charset("text/xml") is None and header_charset(None) is None


def test_a_charset_given_only_in_the_http_header() -> None:
    raw = body("Новости", "koi8-r", None)
    assert as_utf8(raw, "text/xml; charset=koi8-r") == body("Новости", "utf-8", None)
    # The header outranks a declaration the bytes also decode under (RFC 7303).
    raw = body("Zażółć", "iso-8859-2", "iso-8859-1")
    assert as_utf8(raw, "text/xml; charset=iso-8859-2") == body("Zażółć", "utf-8", "utf-8")


def test_the_declaration_when_no_header_reads_the_body() -> None:
    raw = body("Новости", "koi8-r", "koi8-r")
    assert as_utf8(raw, None) == body("Новости", "utf-8", "utf-8")
    # A header charset that cannot read the bytes gives way to the declaration.
    assert as_utf8(body("日本語", "shift_jis", "shift_jis"), "text/xml; charset=utf-8") == (
        body("日本語", "utf-8", "utf-8")
    )


def test_valid_utf8_is_utf8_whatever_the_labels_say() -> None:
    raw = body("Sài Gòn", "utf-8", "utf-8")
    assert as_utf8(raw, "text/xml; charset=windows-1252") is raw
    assert as_utf8(body("Sài Gòn", "utf-8", "iso-8859-1"), None) == raw
    plain = body("Ha Noi", "ascii", None)
    assert as_utf8(plain, "text/xml; charset=koi8-r") is plain


def test_what_feedparser_detects_itself_is_left_alone() -> None:
    for raw in (
        b"\xef\xbb\xbf" + body("x", "utf-8", None),
        body("x", "utf-16", "utf-16"),
        b'{"version": "https://jsonfeed.org/version/1", "items": []}',
        body("Caf\xe9", "cp1252", "utf-8"),
    ):  # declared UTF-8, really cp1252, no header
        assert as_utf8(raw, None) is raw
    assert as_utf8(body("x\xe9", "latin-1", None), "text/xml; charset=bogus") == body(
        "x\xe9", "latin-1", None
    )


def test_utf8_with_a_broken_byte_stays_utf8() -> None:
    # feedparser's encoding/bozo_linenoise.xml: one stray byte made the whole feed ISO-8859-2.
    raw = body("Sài Gòn", "utf-8", "utf-8").replace("Gòn".encode(), "Gòn".encode() + b"\xa9")
    assert as_utf8(raw, None) == body("Sài Gòn\ufffd", "utf-8", "utf-8")
    assert as_utf8(raw.replace(b' encoding="utf-8"', b""), "text/xml") == body(
        "Sài Gòn\ufffd", "utf-8", None
    )


NEWS_JA = ("日本語のニュース。東京では今日、大雨の影響で電車が遅れています。"
           "気象庁によると、雨は明日まで続く見込みです。")
NEWS_VI = ("Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, bão số 5 đang mạnh lên và di "
           "chuyển nhanh về phía đất liền; người dân Đà Nẵng được khuyến cáo ở trong nhà.")


def test_an_unlabelled_legacy_charset_is_guessed() -> None:
    from test_feed_text_refresh import to_cp1258

    # No header, no declaration, not UTF-8: feedparser's fallback (windows-1252) gave mojibake.
    expected = TEXT.format(decl="", title="{}")
    for raw, text in ((body(NEWS_JA, "shift_jis", None), NEWS_JA),
                      (to_cp1258(expected.format(NEWS_VI)), NEWS_VI)):
        # windows-1258 writes tone marks combining: the text is NFC only once cleaned.
        read = unicodedata.normalize("NFC", as_utf8(raw, None).decode("utf-8"))
        assert read == expected.format(text)
        # A header or declaration that cannot read the bytes is no better than none.
        read = unicodedata.normalize("NFC", as_utf8(raw, "text/xml; charset=utf-8").decode())
        assert read == expected.format(text)
