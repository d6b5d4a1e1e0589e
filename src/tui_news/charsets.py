"""The character set of a feed body: the HTTP header's, the XML declaration's, UTF-8, or a guess.

Both parsers are handed UTF-8: a body in another charset is decoded here and its XML declaration
rewritten, so the fast RSS path reads it too and feedparser never needs the HTTP headers.
"""

from __future__ import annotations

import re

__all__ = ["as_utf8", "header_charset"]

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""<\?xml[^>]{0,200}?\?>""")
_DECL_ENCODING = re.compile(rb"""(encoding\s*=\s*)(["'])([^"']*)(["'])""")
_UTF8 = frozenset({"utf-8", "utf8", "unicode-1-1-utf-8"})
# Names read as a superset, as feedparser and browsers do (gb2312 would refuse most GBK text).
_WIDER = {"gb2312": "gb18030", "x-sjis": "shift_jis"}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def header_charset(content_type: str | None) -> str | None:
    """The `charset` parameter of a Content-Type header, lower-cased, or None."""
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return m.group(1).lower() if m else None


def as_utf8(data: bytes, content_type: str | None) -> bytes:
    """`data` as UTF-8 with a UTF-8 (or no) XML declaration, or `data` itself to leave to
    feedparser's own detection (a byte order mark, UTF-16/32, JSON, or no charset that reads it).

    Which charset: bytes that are valid UTF-8 are UTF-8 whatever a header or declaration says
    (text in a single-byte charset is never valid UTF-8 but by contrivance, and the outlets'
    lies go that way: a UTF-8 feed served as `charset=windows-1252` or `us-ascii`); else the
    header's charset (RFC 7303: it outranks the declaration), else the declaration's, each only
    when the body decodes under it without error; else UTF-8 with a few broken bytes, or a guess
    (`_unlabelled`).
    """
    head = data[:4]
    if head.startswith(_BOMS) or b"\x00" in head:
        return data
    start = 0
    while start < 64 and data[start : start + 1] in (b" ", b"\t", b"\r", b"\n"):
        start += 1
    if data[start : start + 1] != b"<":
        return data  # JSON Feed, or not a feed: feedparser says which
    decl = _XML_DECL.match(data, start)
    declared_m = _DECL_ENCODING.search(decl.group()) if decl else None
    declared = declared_m.group(3).decode("ascii", "replace").lower() if declared_m else None
    if data.isascii() or _is_utf8(data):
        if declared is None or declared in _UTF8:
            return data
        return _with_utf8_declaration(data, decl)
    for charset in (header_charset(content_type), declared):
        if not charset or charset in _UTF8:
            continue
        text = _decode(data, _WIDER.get(charset, charset))
        if text is not None and text.lstrip()[:1] == "<":
            return _as_utf8_text(text, decl is not None)
    text = _unlabelled(data)
    if text is not None:
        return _as_utf8_text(text, decl is not None)
    return data


def _as_utf8_text(text: str, declared: bool) -> bytes:
    utf8 = text.encode("utf-8")
    return _with_utf8_declaration(utf8, _XML_DECL.search(utf8, 0, 1024) if declared else None)


_GUESS_MIN = 24  # non-ASCII bytes a guess needs (below it, the guessers miss more than they hit)
_GUESS_BYTES = 64 * 1024
_ASCII = bytes(range(128))


def _unlabelled(data: bytes) -> str | None:
    """The text of a body no label reads (none given, UTF-8 claimed, or a charset that cannot
    decode it), or None to leave it to feedparser's fallback (windows-1252, then ISO-8859-2).

    UTF-8 with a few broken bytes stays UTF-8, each broken byte a U+FFFD, as a browser reads it:
    more well-formed multi-byte sequences than broken bytes never happen by chance in a
    single-byte charset. Anything else with enough non-ASCII bytes to go by is guessed
    (charset_normalizer: Shift_JIS, Big5, KOI8-R, windows-1258, …), where feedparser's fallback
    gives mojibake.
    """
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    well_formed = len(text) - len(text.encode("ascii", "ignore")) - broken  # non-ASCII, in C
    if well_formed > broken:
        return text
    if len(data.translate(None, _ASCII)) < _GUESS_MIN:  # the non-ASCII bytes
        return None
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency; without it feedparser guesses
        return None
    best = from_bytes(data[:_GUESS_BYTES]).best()
    if best is None:
        return None
    guessed = _decode(data, best.encoding)
    return guessed if guessed is not None and guessed.lstrip()[:1] == "<" else None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes, charset: str) -> str | None:
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def _with_utf8_declaration(data: bytes, decl: re.Match[bytes] | None) -> bytes:
    """`data` with its XML declaration's encoding replaced by UTF-8."""
    if decl is None:
        return data
    fixed = _DECL_ENCODING.sub(rb"\1\2utf-8\4", decl.group(), count=1)
    return data[: decl.start()] + fixed + data[decl.end() :]
