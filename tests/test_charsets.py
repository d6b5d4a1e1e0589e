"""Which charset a feed body is read in (charsets.as_utf8): header, declaration, UTF-8."""

from __future__ import annotations

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
