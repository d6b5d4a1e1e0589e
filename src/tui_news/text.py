"""Text handling: cleaning outside strings, folding Vietnamese for search, dates for people."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

VIETNAM = timezone(timedelta(hours=7), "ICT")

# Whole escape sequences first (CSI, OSC/DCS/APC/PM/SOS strings, two-byte ESC x), then any stray
# control that is left. C1 controls (U+0080-U+009F) are 8-bit escape introducers on some terminals.
_ESCAPE_SEQ = re.compile(
    r"""
    (?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?        # CSI ... final
  | (?:\x1b[\]PX^_]|[\x90\x9d\x98\x9e\x9f])                     # OSC DCS SOS PM APC
        [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?                    # ... until BEL or ST
  | \x1b[\x20-\x2f]*[\x30-\x7e]?                                 # other ESC sequences
    """,
    re.VERBOSE,
)
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_ESCAPE_START = re.compile("[\x1b\x90\x98\x9b\x9d\x9e\x9f]")  # what _ESCAPE_SEQ can start with
_BLANK_LINES = re.compile(r"\n{3,}")


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
    if _ESCAPE_START.search(text):  # the sub alone costs ~8 µs a lead even with nothing to do
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


# --- links -------------------------------------------------------------------------------------

_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|zarsrc|dclid|msclkid|mc_eid|_ga)$", re.IGNORECASE)
SAFE_SCHEMES = ("http", "https")


def is_web_url(url: str | None) -> bool:
    """True for an absolute http(s) URL with a host."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.hostname)


# An absolute http(s) link that normalize_link would give back unchanged: lowercase scheme and
# host (no user, no IPv6 brackets), a path, and nothing urljoin or urlsplit would touch (no query,
# fragment, params, backslash, space or non-ASCII; urljoin leaves an absolute link's dot
# segments as they are). Most outlet links look like this; tests/test_text.py checks the
# shortcut against the long way on generated links.
_PLAIN_LINK = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]{1,5})?/[A-Za-z0-9_~%!$&'()*+,=:@/.-]*")


def normalize_link(link: str | None, base: str | None = None) -> str | None:
    """Trim, resolve against `base`, drop tracking parameters; None unless the result is http(s)."""
    if not link:
        return None
    if _PLAIN_LINK.fullmatch(link):
        return link
    return _normalize_any_link(link, base)


def _normalize_any_link(link: str, base: str | None) -> str | None:
    link = clean(link)
    if not link:
        return None
    try:
        if base:
            link = urljoin(base, link)
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING.match(k)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query, doseq=True), ""))


def redact_url(url: str) -> str:
    """Hide credentials in a URL before it appears in any message."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return clean(url, limit=200)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        url = urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))
    return clean(url, limit=200)


# --- lead cleaning -----------------------------------------------------------------------------

_OUTLET_PREFIX = re.compile(
    r"^\s*(?:\((?:Dân trí|Dân Trí|Chinhphu\.vn|NLĐO|PLO|CAND|TTXVN|VTC News|Baonghean\.vn|"
    r"QĐND|ĐCSVN|NDO|SGGP|TBTCO|Tổ Quốc|VnMedia|Thanh Niên)\)\s*[-–—]\s*"
    r"|(?:VOV\.VN|VTV\.vn|VTC News|Vietnam\+|TTXVN|ANTĐ|Zing|NDO|Thời sự)\s*[-–—:]\s*)",
    re.IGNORECASE,
)


def strip_outlet_prefix(lead: str) -> str:
    """Drop `(Dân trí) - `, `VOV.VN - ` and their kind from the start of a lead."""
    return _OUTLET_PREFIX.sub("", lead, count=1)


# --- dates ---------------------------------------------------------------------------------------

_US_DATE = re.compile(
    r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?\s*$"
)
_GMT_OFFSET = re.compile(r"\s*(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?\s*$")


# The RSS pubDates most feeds send, `Sat, 28 Nov 2026 19:40:59 +0700` (or `+07:00`, `+07`), read
# without email.utils (a fifth of the cost); tests/test_text.py checks them against the long way.
_RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct"
    r"|Nov|Dec) ([12][0-9]{3}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})(?::?([0-9]{2}))?")
_MAX_OFFSET = 14 * 3600  # the long way reads `+15:00` differently from `+1500`: left to it
_MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


def parse_date(raw: str | None, *, now: datetime | None = None) -> datetime | None:
    """Read the pubDate shapes of DOMAIN.md; zoneless times are Vietnam time.

    Returns an aware datetime, or None when unreadable or more than a day in the future.
    """
    if not raw:
        return None
    value = _rfc822(raw)
    if value is False:
        value = _parse_any_date(raw)
    if value is None:
        return None
    now = now or datetime.now(UTC)
    if value - now > timedelta(days=1):
        return None
    return value


def _parse_any_date(raw: str) -> datetime | None:
    text = clean(html.unescape(raw)).replace("\u202f", " ")
    return _parse_date_text(text) if text else None


def _rfc822(raw: str) -> datetime | None | Literal[False]:
    """The common pubDate shapes read directly; False when `raw` is not one of them."""
    m = _RFC822.fullmatch(raw)
    if m is None:
        return False
    day, month, year, hour, minute, second, sign, hh, mm = m.groups()
    offset = int(hh) * 3600 + int(mm or 0) * 60
    if offset > _MAX_OFFSET:
        return False
    zone = UTC if offset == 0 else timezone(timedelta(seconds=-offset if sign == "-" else offset))
    try:
        return datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second),
                        tzinfo=zone)
    except ValueError:  # a 31st of February, an hour 25
        return None


def _parse_date_text(text: str) -> datetime | None:
    m = _US_DATE.match(text)
    if m:
        month, day, year, hour, minute, second, ampm = m.groups()
        h = int(hour)
        if ampm:
            h = h % 12 + (12 if ampm.lower() == "pm" else 0)
        try:
            return datetime(int(year), int(month), int(day), h, int(minute), int(second or 0),
                            tzinfo=VIETNAM)
        except ValueError:
            return None
    # ISO 8601 (Atom, JSON-LD)
    try:
        iso = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return iso if iso.tzinfo else iso.replace(tzinfo=VIETNAM)
    except ValueError:
        pass
    # RFC 822 with an offset email.utils misreads: "+07:00", "+07", "GMT+7"
    offset = None
    m = _GMT_OFFSET.search(text)
    if m and not re.search(r"[+-]\d{4}\s*$", text):
        sign, hh, mm = m.groups()
        minutes = int(hh) * 60 + int(mm or 0)
        if minutes <= 14 * 60:
            offset = timezone(timedelta(minutes=minutes if sign == "+" else -minutes))
            text = text[: m.start()].strip()
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if offset is not None:
        return value.replace(tzinfo=offset)
    if value.tzinfo is None:
        # "-0000" and no zone at all both come back naive: a zoneless time is Vietnam time
        has_zone = re.search(r"(GMT|UTC|UT|[+-]\d{4})\s*$", text)
        return value.replace(tzinfo=UTC if has_zone else VIETNAM)
    return value


WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def to_local(value: datetime, tz: tzinfo | None = None) -> datetime:
    """The time in the display zone (Vietnam by default)."""
    return value.astimezone(tz or VIETNAM)


def date_line(value: datetime | None, tz: tzinfo | None = None) -> str:
    """`19/08/2020 | 14:17`, the source page's date line (without its label)."""
    if value is None:
        return "—"
    local = to_local(value, tz)
    return local.strftime("%d/%m/%Y | %H:%M")


def relative_time(value: datetime | None, now: datetime | None = None, *, lang: str = "vi",
                  tz: tzinfo | None = None) -> str:
    """"vừa xong", "5 phút trước", "2 giờ trước", "hôm qua", "3 ngày trước", then the date."""
    if value is None:
        return ""
    now = now or datetime.now(UTC)
    seconds = (now - value).total_seconds()
    en = lang == "en"
    if seconds < 60:
        return "just now" if en else "vừa xong"
    if seconds < 3600:
        n = int(seconds // 60)
        return f"{n} min ago" if en else f"{n} phút trước"
    local_now, local = to_local(now, tz), to_local(value, tz)
    days = (local_now.date() - local.date()).days
    if seconds < 86400 and days == 0:
        n = int(seconds // 3600)
        return f"{n} h ago" if en else f"{n} giờ trước"
    if days <= 1:
        return "yesterday" if en else "hôm qua"
    if days < 7:
        return f"{days} days ago" if en else f"{days} ngày trước"
    return local.strftime("%d/%m/%Y")


def long_date(value: datetime, tz: tzinfo | None = None) -> str:
    """`Thứ Bảy, 28/11/2026 14:17`."""
    local = to_local(value, tz)
    return f"{WEEKDAYS_VI[local.weekday()]}, {local.strftime('%d/%m/%Y %H:%M')}"
