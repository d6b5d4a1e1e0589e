"""Text handling: cleaning outside strings (SAFETY.md rule 1), folding Vietnamese for search,
outlet tags on leads. Links are in links.py, dates in dates.py."""

from __future__ import annotations

import html
import re
import unicodedata

# Whole 7-bit escape sequences first (CSI, OSC/DCS/APC/PM/SOS strings, two-byte ESC x), then any
# stray control that is left. C1 controls (U+0080-U+009F) are 8-bit escape introducers on some
# terminals, but in feed text they are mostly mojibake (the UTF-8 of "Đ" read as Latin-1 is
# "Ä\x90", of "ờ" "á»\x9d"): each one is removed alone, and the text after it stays. What
# followed an 8-bit introducer is inert once the introducer is gone.
_ESCAPE_SEQ = re.compile(
    r"""
    \x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?                   # CSI ... final
  | \x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?             # OSC DCS SOS PM APC ... BEL/ST
  | \x1b[\x20-\x2f]*[\x30-\x7e]?                                 # other ESC sequences
    """,
    re.VERBOSE,
)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_BLANK_LINES = re.compile(r"\n{3,}")
# Characters nobody sees on the page: the soft hyphen, zero-width spaces and joiners, direction
# marks, the word joiner and invisible operators, a BOM. Web pages and OPML exports carry them
# ("tháng 9.\ufeff"; "Thời sự\u200b" would be a category of its own).
INVISIBLE = dict.fromkeys([0x00AD, *range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF])
_INVISIBLE_CHARS = frozenset(map(chr, INVISIBLE))


def drop_invisible(text: str) -> str:
    """A line of text without INVISIBLE characters, its spaces collapsed where one was dropped."""
    if _INVISIBLE_CHARS.isdisjoint(text):
        return text
    return " ".join(text.translate(INVISIBLE).split())


def clean(value: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """Make an outside string safe to store and show (SAFETY.md rule 1).

    NFC; whole escape sequences, C0 (but newline/tab), DEL, C1, bidi overrides and lone
    surrogates removed; whitespace collapsed (single line unless `multiline`).
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if limit is not None and len(text) > limit * 2:
        text = text[: limit * 2]
    if text.isprintable():
        return _clean_printable(text, limit)
    if multiline and text.replace("\n", " ").isprintable():
        return _clean_printable_lines(text, limit)
    return _clean_any(text, multiline, limit)


def _clean_printable(text: str, limit: int | None) -> str:
    """clean() of a text with no escape, control, format or surrogate character and no
    whitespace but the ASCII space (str.isprintable() is False for every one of them): only NFC,
    the spaces and the limit are left to do. The common case, at a fraction of the cost."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "  " in text or text.startswith(" ") or text.endswith(" "):
        text = " ".join(text.split())
    return truncate(text, limit)


def _clean_printable_lines(text: str, limit: int | None) -> str:
    """clean(multiline=True) of a printable text with newlines (a lead read from HTML): as
    _clean_printable, its lines trimmed and runs of blank lines cut to one."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "  " in text or " \n" in text or "\n " in text:
        text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return truncate(text.strip(), limit)


def _clean_any(text: str, multiline: bool, limit: int | None) -> str:
    if "\x1b" in text:  # the sub alone costs ~8 µs a lead even with nothing to do
        text = _ESCAPE_SEQ.sub("", text)
    text = text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    # str.split() splits on exactly the characters regex \s matches (Py_UNICODE_ISSPACE), so
    # " ".join(x.split()) is re.sub(r"\s+", " ", x).strip(), at a fifth of the cost.
    if multiline:
        lines = (" ".join(line.split()) for line in text.split("\n"))
        text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    else:
        text = " ".join(text.split())
    return truncate(text, limit)


def truncate(text: str, limit: int | None) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut."""
    if limit is not None and len(text) > limit:
        return text[: limit - 1].rstrip() + "…"
    return text


def unescape_clean(value: object, **kwargs: object) -> str:
    """Clean after one round of HTML unescaping (titles with `&#225;` inside CDATA)."""
    return clean(html.unescape(str(value or "")), **kwargs)  # type: ignore[arg-type]


# --- folding for search -------------------------------------------------------------------------


def _fold_char(ch: str) -> str:
    """The definition of folding, for one character: NFD, combining marks dropped, đ→d,
    casefolded."""
    decomposed = unicodedata.normalize("NFD", ch)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()


class _FoldTable(dict[int, str]):
    """Code point → its folded text, for `str.translate`, filled the first time one is met.

    Folding is context-free: NFD decomposes each character on its own, canonical reordering only
    moves combining marks (all of which are dropped) and casefold maps one code point at a time.
    So folding a text character by character is exactly folding it whole, and a translate table
    does it in C (~30 ns a character against ~65 for the generator over NFD).
    """

    _LIMIT = 1 << 14  # distinct characters remembered; a hostile feed cannot grow it further

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < self._LIMIT:
            self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold Vietnamese for matching: no marks, đ→d, casefolded. Never for display."""
    if text.isascii():
        return text.lower()  # ASCII has no marks, and its casefold is lower()
    return text.translate(_FOLD_TABLE)


# --- lead cleaning -----------------------------------------------------------------------------

_OUTLET_PREFIX = re.compile(
    r"^\s*(?:\((?:Dân trí|Dân Trí|Chinhphu\.vn|NLĐO|PLO|CAND|TTXVN|VTC News|Baonghean\.vn|"
    r"QĐND|ĐCSVN|NDO|SGGP|TBTCO|Tổ Quốc|VnMedia|Thanh Niên)\)\s*[-–—]\s*"
    r"|(?:VOV\.VN|VTV\.vn|VTC News|Vietnam\+|TTXVN|ANTĐ|Zing|NDO|QĐND|Thời sự)\s*[-–—:]\s*)",
    re.IGNORECASE,
)


def strip_outlet_prefix(lead: str) -> str:
    """Drop `(Dân trí) - `, `VOV.VN - ` and their kind from the start of a lead."""
    return _OUTLET_PREFIX.sub("", lead, count=1)
