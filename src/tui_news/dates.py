"""Dates: the pubDate shapes outlets send (DOMAIN.md), and dates for people."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Literal

from tui_news.text import clean

VIETNAM = timezone(timedelta(hours=7), "ICT")

_US_DATE = re.compile(
    r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?\s*$"
)
_GMT_OFFSET = re.compile(r"\s*(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?\s*$")


# The RSS pubDates most feeds send, `Sat, 28 Nov 2026 19:40:59 +0700` (or `+07:00`, `+07`), read
# without email.utils (a fifth of the cost); tests/test_dates.py checks them against the long way.
_RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct"
    r"|Nov|Dec) ([12][0-9]{3}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})(?::?([0-9]{2}))?"
)
_MAX_OFFSET = 14 * 3600  # the long way reads `+15:00` differently from `+1500`: left to it
_ZONES: dict[int, tzinfo] = {0: UTC}  # by offset in seconds: a feed's dates share one or two
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


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
    if sign == "-":
        offset = -offset
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES[offset] = timezone(timedelta(seconds=offset))
    try:
        return datetime(
            int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=zone
        )
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
            return datetime(
                int(year), int(month), int(day), h, int(minute), int(second or 0), tzinfo=VIETNAM
            )
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
    if offset is None and (m := _ZONE_NAME.search(text)):
        # Names email.utils does not know would come back naive and be read as Vietnam time.
        east = _ZONE_MINUTES.get(m.group(1).upper())
        if east is not None:
            offset = UTC if east == 0 else timezone(timedelta(minutes=east))
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


# Zone names outside email.utils' list (UT, UTC, GMT, Z and the US EST/EDT, CST/CDT, MST/MDT,
# PST/PDT, AST/ADT), in minutes east of UTC. The US generic names are their standard time, as
# feedparser reads them; IST is India's (the Irish and Israeli ones are rare in feeds).
_ZONE_MINUTES = {
    "ICT": 7 * 60,
    "WIB": 7 * 60,
    "HKT": 8 * 60,
    "SGT": 8 * 60,
    "PHT": 8 * 60,
    "AWST": 8 * 60,
    "JST": 9 * 60,
    "KST": 9 * 60,
    "ACST": 9 * 60 + 30,
    "AEST": 10 * 60,
    "AEDT": 11 * 60,
    "NZST": 12 * 60,
    "NZDT": 13 * 60,
    "IST": 5 * 60 + 30,
    "MSK": 3 * 60,
    "WET": 0,
    "WEST": 60,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "MET": 60,
    "MEST": 120,
    "EET": 120,
    "EEST": 180,
    "AT": -4 * 60,
    "ET": -5 * 60,
    "CT": -6 * 60,
    "MT": -7 * 60,
    "PT": -8 * 60,
    "AKST": -9 * 60,
    "AKDT": -8 * 60,
    "HST": -10 * 60,
    "NST": -3 * 60 - 30,
}
_ZONE_NAME = re.compile(r"(?<=[\s\d])([A-Za-z]{2,4})\s*$")

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


def relative_time(
    value: datetime | None,
    now: datetime | None = None,
    *,
    lang: str = "vi",
    tz: tzinfo | None = None,
) -> str:
    """ "vừa xong", "5 phút trước", "2 giờ trước", "hôm qua", "3 ngày trước", then the date."""
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
