"""The weather in words: the WMO table, condition texts, ages, and the weather bar's line.

No Textual, no httpx: the reader's weather bar and the CLI's `weather` both draw from here, and the
bar can be laid out (and tested) for any width without a screen.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from tui_news.dates import relative_time
from tui_news.i18n import label
from tui_news.models import Weather

# Observations older than this are shown dimmed with their age (PRODUCT.md: "over 2 hours").
STALE_AFTER = timedelta(hours=2)

UNKNOWN_SYMBOL, UNKNOWN_TEXT = "?", "—"

# WMO weather interpretation code → (symbol, Vietnamese, English), from DOMAIN.md. Every symbol is
# one terminal cell without a variation selector, so the weather bar never shifts.
_WMO: dict[int, tuple[str, str, str]] = {
    0: ("☀", "Trời quang", "Clear"),
    1: ("☀", "Ít mây", "Mainly clear"),
    2: ("◐", "Có mây", "Partly cloudy"),
    3: ("☁", "Nhiều mây", "Overcast"),
    45: ("≡", "Sương mù", "Fog"),
    48: ("≡", "Sương mù", "Fog"),
    51: (",", "Mưa phùn", "Drizzle"),
    53: (",", "Mưa phùn", "Drizzle"),
    55: (",", "Mưa phùn", "Drizzle"),
    56: (";", "Mưa phùn băng giá", "Freezing drizzle"),
    57: (";", "Mưa phùn băng giá", "Freezing drizzle"),
    61: ("☂", "Mưa nhỏ", "Light rain"),
    63: ("☂", "Mưa vừa", "Rain"),
    65: ("☂", "Mưa to", "Heavy rain"),
    66: ("☂", "Mưa băng giá", "Freezing rain"),
    67: ("☂", "Mưa băng giá", "Freezing rain"),
    71: ("❄", "Tuyết rơi", "Snow"),
    73: ("❄", "Tuyết rơi", "Snow"),
    75: ("❄", "Tuyết rơi", "Snow"),
    77: ("❄", "Tuyết rơi", "Snow"),
    80: ("☂", "Mưa rào nhẹ", "Light showers"),
    81: ("☂", "Mưa rào", "Showers"),
    82: ("☂", "Mưa rào rất to", "Violent showers"),
    85: ("❄", "Mưa tuyết", "Snow showers"),
    86: ("❄", "Mưa tuyết", "Snow showers"),
    95: ("↯", "Dông", "Thunderstorm"),
    96: ("↯", "Dông kèm mưa đá", "Thunderstorm with hail"),
    99: ("↯", "Dông kèm mưa đá", "Thunderstorm with hail"),
}
WMO_CODES = frozenset(_WMO)
_NIGHT_CLEAR = "☾"

# A condition text cut to this many cells when the full ones do not fit ("Thunderstorm with hail"
# is 22): the step between "every word" and "symbols only".
SHORT_CONDITION = 12


def describe(code: int | None, is_day: bool | None, lang: str) -> tuple[str, str]:
    """(one-cell symbol, condition text in `lang`) for a WMO code; ("?", "—") when unknown."""
    entry = _WMO.get(code) if isinstance(code, int) else None
    if entry is None:
        return UNKNOWN_SYMBOL, UNKNOWN_TEXT
    symbol, vi, en = entry
    # Only "clear" gets a night symbol: a sun at midnight reads as a bug, clouds look the same.
    if code == 0 and is_day is False:
        symbol = _NIGHT_CLEAR
    return symbol, en if lang == "en" else vi


def is_stale(w: Weather, now: datetime) -> bool:
    """Older than STALE_AFTER, measured from the observation (else the fetch); never-fetched: no."""
    # The observation time is what the reader cares about: a fresh fetch of an old observation
    # is still old weather.
    reference = w.observed_at or w.fetched_at
    return reference is not None and now - reference > STALE_AFTER


def age_text(w: Weather, now: datetime, lang: str, *, tz: tzinfo | None = None) -> str:
    """The age of an observation ("cập nhật 3 giờ trước"); "" when never fetched."""
    reference = w.observed_at or w.fetched_at
    if reference is None:
        return ""
    when = relative_time(reference, now, lang=lang, tz=tz)  # type: ignore[arg-type]
    return label("weather_age", lang, age=when)


# --- the weather bar's line ----------------------------------------------------------------------

# What a piece of the line is, for the widget to style: the title, a city's name, a stale value
# (dimmed) or plain text.
TITLE, CITY, STALE, PLAIN = "title", "city", "stale", "plain"


@dataclass(frozen=True)
class Piece:
    """A run of the weather line and its role (TITLE, CITY, STALE or PLAIN)."""

    text: str
    role: str = PLAIN


def cells(text: str) -> int:
    """Terminal cells `text` takes: wide East Asian characters two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, with "…" when something was cut."""
    if cells(text) <= width:
        return text
    out = ""
    for char in text:
        if cells(out + char) > width - 1:
            break
        out += char
    return out.rstrip() + "…"


@dataclass(frozen=True)
class _Detail:
    title: bool
    condition: int | None  # cells for a condition text; None: as long as it is; 0: none
    clock: bool


# Detail given up in this order as the line gets narrower (PRODUCT.md): the title, then the
# condition text (first cut, then gone), then the time. A city and its temperature never go.
_LEVELS = (
    _Detail(title=True, condition=None, clock=True),
    _Detail(title=False, condition=None, clock=True),
    _Detail(title=False, condition=SHORT_CONDITION, clock=True),
    _Detail(title=False, condition=0, clock=True),
    _Detail(title=False, condition=0, clock=False),
)


def weather_line(
    weather: Sequence[Weather], width: int, *, lang: str, now: datetime, tz: tzinfo | None = None
) -> list[Piece]:
    """The weather bar in at most `width` cells: every city with its temperature from 80 up.

    Each city is "Hà Nội 21° ☁ Nhiều mây"; one request serves every city, so the observation time
    and (when the values are old) their age are said once. Outside text (city names from the
    config) stays plain text: the widget renders pieces as text, never markup.
    """
    for detail in _LEVELS:
        pieces = _layout(weather, detail, lang=lang, now=now, tz=tz)
        if sum(cells(p.text) for p in pieces) <= width:
            return _pad_clock(pieces, width)
    # Narrower than the barest line (under ~60 cells): cut from the end, never mid-city first.
    out: list[Piece] = []
    room = width
    for piece in _layout(weather, _LEVELS[-1], lang=lang, now=now, tz=tz, age=False):
        if room <= 0:
            break
        text = _cut(piece.text, room)
        out.append(Piece(text, piece.role))
        room -= cells(text)
    return out


def _layout(
    weather: Sequence[Weather],
    detail: _Detail,
    *,
    lang: str,
    now: datetime,
    tz: tzinfo | None,
    age: bool = True,
) -> list[Piece]:
    pieces: list[Piece] = []
    if detail.title:
        pieces.append(Piece(f" {label('weather_title', lang)} ", TITLE))
    old = next((w for w in weather if w.stale), None)
    if age and old is not None:
        pieces.append(Piece(f" ({age_text(old, now, lang, tz=tz)})", STALE))
    for index, w in enumerate(weather):
        pieces.append(Piece(" · " if index else " "))
        pieces.append(Piece(w.city, CITY))
        pieces.append(_value(w, detail, lang))
    clocks = {_clock(w, tz) for w in weather if w.temperature_c is not None}
    if detail.clock and clocks:
        # Observations of one request share a time; should they differ, the newest is shown.
        clock = max(clocks)
        pieces.append(Piece(f"  {clock} ", STALE if old is not None else PLAIN))
    return pieces


def _value(w: Weather, detail: _Detail, lang: str) -> Piece:
    if w.temperature_c is None:
        return Piece(" " + label("never_fetched", lang))
    symbol, condition = describe(w.weather_code, w.is_day, lang)
    symbol = symbol if cells(symbol) == 1 else UNKNOWN_SYMBOL  # DOMAIN.md: emoji widths vary
    text = f" {round(w.temperature_c)}° {symbol}"
    if detail.condition is None:
        text += f" {condition}"
    elif detail.condition:
        text += f" {_cut(condition, detail.condition)}"
    return Piece(text, STALE if w.stale else PLAIN)


def _clock(w: Weather, tz: tzinfo | None) -> str:
    observed = w.observed_at or w.fetched_at
    return observed.astimezone(tz).strftime("%H:%M") if observed else "--:--"


def _pad_clock(pieces: list[Piece], width: int) -> list[Piece]:
    """Push the time (the last piece, when shown) to the right edge, as in PRODUCT.md."""
    if not pieces or not pieces[-1].text.startswith("  "):
        return pieces
    used = sum(cells(p.text) for p in pieces)
    last = pieces[-1]
    return [*pieces[:-1], Piece(" " * (width - used) + last.text, last.role)]
