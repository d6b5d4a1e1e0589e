"""Current weather of the configured cities from Open-Meteo: request, strict parsing, cache.

The WMO table, condition texts and ages live in weather_text.py (no httpx, no Textual).
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui_news.models import City, Weather
from tui_news.store import StoreError
from tui_news.text import clean
from tui_news.weather_text import WMO_CODES, age_text, describe, is_stale

if TYPE_CHECKING:  # the reader reads cached weather without httpx (fetching imports it)
    from tui_news.config import Config
    from tui_news.fetch import Fetcher, FetchError
    from tui_news.store import Store

CURRENT_FIELDS = ("temperature_2m", "relative_humidity_2m", "apparent_temperature", "is_day",
                  "weather_code", "wind_speed_10m")
# Open-Meteo reports `current.time` in this zone; utc_offset_seconds in the answer makes it aware.
REQUEST_TIMEZONE = "Asia%2FHo_Chi_Minh"

# The answer is about 1 KB per city; a cap far below the Fetcher default keeps a rogue server cheap.
MAX_ANSWER_BYTES = 256 * 1024

# Plausible surface temperatures (records are -89.2 °C and 56.7 °C): anything else is a broken
# answer, not weather.
MIN_TEMPERATURE_C, MAX_TEMPERATURE_C = -90.0, 60.0

# Clock skew allowance: an observation further in the future than this is a broken answer.
FUTURE_LEEWAY = timedelta(days=1)

class WeatherError(Exception):
    """The weather could not be fetched. str(e) is one clean line naming the service host."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"weather service {host}: {reason}")
        self.host, self.reason = host, reason


# --- fetching ------------------------------------------------------------------------------------


def _host(url: str) -> str:
    """The host (and port) of `url` for messages; never the credentials or the query."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return clean(url, limit=80)
    return clean(f"{host}:{port}" if port else host, limit=80) or "(no host)"


def _coordinate(value: float) -> str:
    """A coordinate as Open-Meteo expects it: plain decimal, no exponent, no trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def weather_request_url(url: str, cities: Sequence[City]) -> str:
    """The one Open-Meteo request for every city, coordinates in config order."""
    # Commas stay literal (as in Open-Meteo's own examples); the coordinates are our own numbers.
    query = (f"latitude={','.join(_coordinate(c.latitude) for c in cities)}"
             f"&longitude={','.join(_coordinate(c.longitude) for c in cities)}"
             f"&current={','.join(CURRENT_FIELDS)}"
             f"&timezone={REQUEST_TIMEZONE}")
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _fetch_reason(exc: FetchError) -> str:
    """FetchError's own line (it names the fault, not the URL), or its status when empty."""
    message = clean(str(exc), limit=200)
    if not message:
        message = f"HTTP {exc.status}" if exc.status else "request failed"
    return message


def _number(value: Any) -> float | None:
    """A finite JSON number as float; None for anything else (bool, string, null, NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _observation(item: Any, city: City, fetched_at: datetime, host: str) -> Weather:
    """One city's answer object → Weather, or WeatherError naming the city and the fault."""

    def fail(reason: str) -> WeatherError:
        return WeatherError(host, f"{city.name}: {reason}")

    if not isinstance(item, Mapping):
        raise fail("answer is not an object")
    current = item.get("current")
    if not isinstance(current, Mapping):
        raise fail("answer has no 'current' block")
    for name in ("time", "temperature_2m", "weather_code", "is_day"):
        if current.get(name) is None:
            raise fail(f"'current.{name}' is missing or null")

    temperature = _number(current["temperature_2m"])
    if temperature is None:
        raise fail("temperature is not a number")
    if not MIN_TEMPERATURE_C <= temperature <= MAX_TEMPERATURE_C:
        raise fail(f"implausible temperature {temperature:g} °C")

    code_value = _number(current["weather_code"])
    if code_value is None or not code_value.is_integer() or int(code_value) not in WMO_CODES:
        raise fail(f"unknown weather code {clean(current['weather_code'], limit=20)}")
    code = int(code_value)

    is_day = current["is_day"]
    if isinstance(is_day, bool) or is_day not in (0, 1):
        raise fail("'is_day' is not 0 or 1")

    offset = item.get("utc_offset_seconds", 0)
    if isinstance(offset, bool) or not isinstance(offset, int) or abs(offset) > 18 * 3600:
        raise fail("'utc_offset_seconds' is not a valid offset")
    raw_time = current["time"]
    try:
        if not isinstance(raw_time, str):
            raise ValueError
        observed = datetime.fromisoformat(raw_time)
    except ValueError:
        raise fail(f"unreadable time {clean(raw_time, limit=40)!r}") from None
    if observed.tzinfo is None:
        # With `timezone=` set, Open-Meteo gives local wall time; the offset makes it an instant.
        observed = observed.replace(tzinfo=timezone(timedelta(seconds=offset)))
    if observed - fetched_at > FUTURE_LEEWAY:
        raise fail(f"observation time {observed.isoformat()} is in the future")

    return Weather(city=city.name, temperature_c=temperature, weather_code=code,
                   is_day=bool(is_day), observed_at=observed, fetched_at=fetched_at, stale=False)


def parse_weather(body: bytes, cities: Sequence[City], *, host: str,
                  now: datetime | None = None) -> list[Weather]:
    """Validate an Open-Meteo answer strictly: one Weather per city or WeatherError."""
    fetched_at = now or datetime.now(UTC)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
        raise WeatherError(host, "answer is not JSON") from None
    if isinstance(data, Mapping) and data.get("error"):
        # Open-Meteo explains bad requests as {"error": true, "reason": "..."}.
        raise WeatherError(host, f"service error: {clean(data.get('reason'), limit=120) or '?'}")
    if len(cities) == 1 and isinstance(data, Mapping):
        items: list[Any] = [data]  # one coordinate: a single object, not an array
    elif isinstance(data, list):
        items = data
    else:
        raise WeatherError(host, f"answer is not a JSON array for {len(cities)} cities")
    if len(items) != len(cities):
        entries = "entry" if len(items) == 1 else "entries"
        raise WeatherError(host, f"answer has {len(items)} {entries} for {len(cities)} cities")
    return [_observation(item, city, fetched_at, host) for item, city in zip(items, cities,
                                                                             strict=True)]


async def fetch_weather(fetcher: Fetcher, url: str, cities: Sequence[City], *,
                        now: datetime | None = None) -> list[Weather]:
    """One Open-Meteo request for all cities → one Weather per city in order, or WeatherError."""
    host = _host(url)
    if not cities:
        return []
    from tui_news.fetch import FetchError

    request_url = weather_request_url(url, cities)
    try:
        response = await fetcher.get(request_url, max_bytes=MAX_ANSWER_BYTES,
                                     accept="application/json")
    except FetchError as exc:
        raise WeatherError(host, _fetch_reason(exc)) from None
    if response.status != 200:  # no validators are sent, so a 304 would be a broken server
        raise WeatherError(host, f"unexpected HTTP {response.status}")
    return parse_weather(response.body, cities, host=host, now=now)


# --- cache ---------------------------------------------------------------------------------------


def cached_weather(store: Store, cities: Sequence[City], *,
                   now: datetime | None = None) -> list[Weather]:
    """The last good observation per configured city, in config order, with `stale` computed."""
    now = now or datetime.now(UTC)
    names = [c.name for c in cities]
    # Key by name so a store that skips or reorders a city cannot shift values between cities.
    by_name = {w.city: w for w in store.weather(names)}
    result = []
    for name in names:
        w = by_name.get(name) or Weather(city=name, temperature_c=None, weather_code=None,
                                         is_day=None, observed_at=None, fetched_at=None)
        result.append(replace(w, stale=is_stale(w, now)))
    return result


async def update_weather(store: Store, fetcher: Fetcher, config: Config, *,
                         now: datetime | None = None,
                         fetching: Awaitable[list[Weather]] | None = None) -> str | None:
    """Fetch and cache the weather; None on success, else one line (the cache is left as it was).

    `fetching`: fetch_weather for `config` already started (a refresh starts it with the feeds
    and stores it after them)."""
    if not config.cities:
        return None
    try:
        if fetching is None:
            fetching = fetch_weather(fetcher, config.weather_url, config.cities, now=now)
        observations = await fetching
    except WeatherError as exc:
        return str(exc)
    try:
        store.save_weather(observations)
    except StoreError as exc:
        return clean(f"weather: could not be saved ({exc})", limit=300)
    return None


def weather_due(weather: Sequence[Weather], refresh_minutes: int, now: datetime, *,
                last_attempt: datetime | None = None) -> bool:
    """Whether the reader should ask for the weather again.

    Due when a city was never fetched or the oldest fetch is `refresh_minutes` old; a recent
    failed attempt (`last_attempt`) waits a full interval too, so a broken service is not hammered.
    """
    interval = timedelta(minutes=refresh_minutes)
    if last_attempt is not None and now - last_attempt < interval:
        return False
    if not weather or any(w.fetched_at is None for w in weather):
        return True
    return now - min(w.fetched_at for w in weather if w.fetched_at) >= interval


# --- presentation helpers (no Textual) -----------------------------------------------------------


def weather_to_json(w: Weather, lang: str, *, tz: tzinfo | None = None) -> dict[str, Any]:
    """The `weather --json` object of PRODUCT.md for one city (times shown in `tz` if given)."""

    def iso(value: datetime | None) -> str | None:
        # The cache keeps instants (UTC); `tz` lets the CLI print the reader's own offset.
        if value is None:
            return None
        return (value.astimezone(tz) if tz else value).isoformat()

    return {
        "city": w.city,
        "temperature_c": w.temperature_c,
        "weather_code": w.weather_code,
        "description": describe(w.weather_code, w.is_day, lang)[1],
        "observed_at": iso(w.observed_at),
        "fetched_at": iso(w.fetched_at),
        "stale": bool(w.stale),
    }


__all__ = ["WMO_CODES", "WeatherError", "age_text", "cached_weather", "describe", "fetch_weather",
           "is_stale", "parse_weather", "update_weather", "weather_due", "weather_request_url",
           "weather_to_json"]
