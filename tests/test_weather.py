"""Weather service against a real Open-Meteo-shaped server on 127.0.0.1 and a real SQLite cache."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer
from rich.cells import cell_len
from werkzeug import Request, Response

from tui_news.config import Config
from tui_news.fetch import Fetcher
from tui_news.models import City, Weather
from tui_news.store import Store
from tui_news.weather import (
    WMO_CODES,
    WeatherError,
    age_text,
    cached_weather,
    describe,
    fetch_weather,
    is_stale,
    update_weather,
    weather_due,
    weather_to_json,
)

PATH = "/v1/forecast"
ICT = timezone(timedelta(hours=7))
CITIES = (
    City("Hà Nội", 21.0285, 105.8542),
    City("Đà Nẵng", 16.0544, 108.2022),
    City("TP Hồ Chí Minh", 10.8231, 106.6297),
)
# 08:15 local (+07:00) is 01:15 UTC; "now" is a few minutes after the observation.
OBSERVED = datetime(2026, 11, 28, 8, 15, tzinfo=ICT)
NOW = datetime(2026, 11, 28, 1, 20, tzinfo=UTC)


def city_answer(lat: float, lon: float, *, time_: Any = "2026-11-28T08:15",
                temperature: Any = 21.4, code: Any = 3, is_day: Any = 1) -> dict[str, Any]:
    """One city's object exactly as Open-Meteo shapes it (grid-snapped coordinates and all)."""
    return {
        "latitude": round(lat * 4) / 4,
        "longitude": round(lon * 4) / 4,
        "generationtime_ms": 0.05,
        "utc_offset_seconds": 25200,
        "timezone": "Asia/Ho_Chi_Minh",
        "timezone_abbreviation": "GMT+7",
        "elevation": 12.0,
        "current_units": {"time": "iso8601", "interval": "seconds", "temperature_2m": "°C",
                          "relative_humidity_2m": "%", "apparent_temperature": "°C",
                          "is_day": "", "weather_code": "wmo code", "wind_speed_10m": "km/h"},
        "current": {"time": time_, "interval": 900, "temperature_2m": temperature,
                    "relative_humidity_2m": 78, "apparent_temperature": 22.1, "is_day": is_day,
                    "weather_code": code, "wind_speed_10m": 7.9},
    }


def three_answer(**overrides: Any) -> list[dict[str, Any]]:
    """A good answer for CITIES: Hà Nội overcast 21.4, Đà Nẵng rain 25, HCMC partly cloudy 31."""
    hanoi = city_answer(21.0285, 105.8542, temperature=21.4, code=3)
    danang = city_answer(16.0544, 108.2022, temperature=25, code=63)
    hcmc = city_answer(10.8231, 106.6297, temperature=31.2, code=2)
    hanoi["current"].update(overrides)
    return [hanoi, danang, hcmc]


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(user_agent="tui-news-test", timeout=2) as f:
        yield f


@pytest.fixture
def config(httpserver: HTTPServer, tmp_path: Path) -> Config:
    return Config(path=tmp_path / "config.toml", weather_url=httpserver.url_for(PATH),
                  cities=CITIES)


def host_of(httpserver: HTTPServer) -> str:
    return urlsplit(httpserver.url_for(PATH)).netloc


# --- success -----------------------------------------------------------------------------------


async def test_three_cities_one_request_in_config_order(httpserver: HTTPServer,
                                                        fetcher: Fetcher, config: Config,
                                                        store: Store) -> None:
    httpserver.expect_request(PATH, method="GET").respond_with_json(three_answer())

    assert await update_weather(store, fetcher, config, now=NOW) is None

    assert len(httpserver.log) == 1  # one request serves all cities
    request = httpserver.log[0][0]
    assert request.args["latitude"] == "21.0285,16.0544,10.8231"
    assert request.args["longitude"] == "105.8542,108.2022,106.6297"
    assert request.args["current"].split(",") == [
        "temperature_2m", "relative_humidity_2m", "apparent_temperature", "is_day",
        "weather_code", "wind_speed_10m"]
    assert request.args["timezone"] == "Asia/Ho_Chi_Minh"
    assert b"timezone=Asia%2FHo_Chi_Minh" in request.query_string

    cached = cached_weather(store, CITIES, now=NOW)
    assert [w.city for w in cached] == ["Hà Nội", "Đà Nẵng", "TP Hồ Chí Minh"]
    assert [w.temperature_c for w in cached] == [21.4, 25.0, 31.2]
    assert [describe(w.weather_code, w.is_day, "vi")[1] for w in cached] == [
        "Nhiều mây", "Mưa vừa", "Có mây"]
    for w in cached:
        assert w.observed_at == OBSERVED
        assert w.observed_at is not None and w.observed_at.tzinfo is not None
        assert w.fetched_at == NOW
        assert w.is_day is True
        assert w.stale is False


async def test_fetch_weather_returns_models(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    httpserver.expect_request(PATH).respond_with_json(three_answer())
    result = await fetch_weather(fetcher, httpserver.url_for(PATH), CITIES, now=NOW)
    assert result[1] == Weather("Đà Nẵng", 25.0, 63, True, OBSERVED, NOW, stale=False)
    assert isinstance(result[1].temperature_c, float)
    # Local wall time from the answer, made aware with its utc_offset_seconds.
    assert weather_to_json(result[0], "vi")["observed_at"] == "2026-11-28T08:15:00+07:00"


async def test_one_city_single_object_answer(httpserver: HTTPServer, fetcher: Fetcher,
                                             config: Config, store: Store) -> None:
    hue = City("Huế", 16.4637, 107.5909)
    httpserver.expect_request(PATH).respond_with_json(
        city_answer(16.4637, 107.5909, temperature=19.5, code=0, is_day=0))
    one = Config(path=config.path, weather_url=config.weather_url, cities=(hue,))

    assert await update_weather(store, fetcher, one, now=NOW) is None

    request = httpserver.log[0][0]
    assert request.args["latitude"] == "16.4637"
    assert request.args["longitude"] == "107.5909"
    [w] = cached_weather(store, [hue], now=NOW)
    assert (w.city, w.temperature_c, w.weather_code, w.is_day) == ("Huế", 19.5, 0, False)
    assert describe(w.weather_code, w.is_day, "vi") == ("☾", "Trời quang")


async def test_new_answer_replaces_old_values(httpserver: HTTPServer, fetcher: Fetcher,
                                              config: Config, store: Store) -> None:
    httpserver.expect_oneshot_request(PATH).respond_with_json(three_answer())
    httpserver.expect_oneshot_request(PATH).respond_with_json(
        three_answer(temperature_2m=18.0, weather_code=95, time="2026-11-28T09:00"))
    assert await update_weather(store, fetcher, config, now=NOW) is None
    later = NOW + timedelta(minutes=45)
    assert await update_weather(store, fetcher, config, now=later) is None

    hanoi = cached_weather(store, CITIES, now=later)[0]
    assert (hanoi.temperature_c, hanoi.weather_code) == (18.0, 95)
    assert hanoi.observed_at == datetime(2026, 11, 28, 9, 0, tzinfo=ICT)
    assert hanoi.fetched_at == later


# --- failures: one clean line, last good values kept --------------------------------------------


def _slow(request: Request) -> Response:
    time.sleep(2.5)  # beyond the Fetcher's 1 s deadline
    return Response(json.dumps(three_answer()), content_type="application/json")


def _responder(kind: str) -> Callable[[Any], None]:
    """How the failing server answers, keyed by the case name."""
    bodies: dict[str, Any] = {
        "missing current": [{k: v for k, v in a.items() if k != "current"}
                            for a in three_answer()],
        "wrong length": three_answer()[:2],
        "object for three": three_answer()[0],
        "null temperature": three_answer(temperature_2m=None),
        "absurd temperature": three_answer(temperature_2m=500),
        "temperature as text": three_answer(temperature_2m="21.4"),
        "negative code": three_answer(weather_code=-1),
        "unknown code": three_answer(weather_code=4),
        "null code": three_answer(weather_code=None),
        "bad time": three_answer(time="28/11/2026 8h15"),
        "missing time": three_answer(time=None),
        "far future time": three_answer(time="2027-06-01T08:15"),
        "is_day 7": three_answer(is_day=7),
        "service error": {"error": True, "reason": "Latitude must be in range\x1b]52;c;eA==\x07"},
    }

    def apply(handler: Any) -> None:
        if kind == "HTTP 500":
            handler.respond_with_data("oops", status=500)
        elif kind == "not JSON":
            handler.respond_with_data("<html>maintenance</html>", content_type="text/html")
        elif kind == "empty body":
            handler.respond_with_data("")
        elif kind == "slow":
            handler.respond_with_handler(_slow)
        else:
            handler.respond_with_json(bodies[kind])

    return apply


FAILURES = {
    "HTTP 500": "500",
    "not JSON": "not JSON",
    "empty body": "not JSON",
    "missing current": "current",
    "wrong length": "2 entries for 3 cities",
    "object for three": "not a JSON array",
    "null temperature": "temperature_2m",
    "absurd temperature": "500",
    "temperature as text": "temperature",
    "negative code": "weather code -1",
    "unknown code": "weather code 4",
    "null code": "weather_code",
    "bad time": "time",
    "missing time": "time",
    "far future time": "future",
    "is_day 7": "is_day",
    "service error": "Latitude must be in range",
    "slow": "timed out",
}


@pytest.mark.parametrize("kind", list(FAILURES))
async def test_failure_keeps_last_good_values_and_reports_one_line(
        kind: str, httpserver: HTTPServer, config: Config, store: Store) -> None:
    httpserver.expect_oneshot_request(PATH).respond_with_json(three_answer())
    _responder(kind)(httpserver.expect_request(PATH))

    async with Fetcher(user_agent="tui-news-test", timeout=1) as fetcher:
        assert await update_weather(store, fetcher, config, now=NOW) is None
        before = cached_weather(store, CITIES, now=NOW)
        later = NOW + timedelta(minutes=30)
        message = await update_weather(store, fetcher, config, now=later)

    assert message is not None
    assert "\n" not in message and "Traceback" not in message and "\x1b" not in message
    assert message.startswith(f"weather service {host_of(httpserver)}: ")
    assert FAILURES[kind] in message
    assert len(message) < 300
    assert cached_weather(store, CITIES, now=later) == before  # nothing lost or half-written
    assert before[0].temperature_c == 21.4


async def test_fetch_weather_raises_weather_error(httpserver: HTTPServer,
                                                  fetcher: Fetcher) -> None:
    httpserver.expect_request(PATH).respond_with_json(three_answer(temperature_2m=-120))
    with pytest.raises(WeatherError) as info:
        await fetch_weather(fetcher, httpserver.url_for(PATH), CITIES, now=NOW)
    assert info.value.host == host_of(httpserver)
    assert "Hà Nội" in info.value.reason and "-120" in info.value.reason


async def test_unreachable_service_names_the_host(fetcher: Fetcher, config: Config,
                                                  store: Store) -> None:
    dead = Config(path=config.path, weather_url="http://weather.invalid/v1/forecast",
                  cities=CITIES)
    message = await update_weather(store, fetcher, dead, now=NOW)
    assert message is not None and message.startswith("weather service weather.invalid: ")
    assert "\n" not in message


async def test_no_cities_makes_no_request(httpserver: HTTPServer, fetcher: Fetcher,
                                          config: Config, store: Store) -> None:
    none = Config(path=config.path, weather_url=config.weather_url, cities=())
    assert await update_weather(store, fetcher, none, now=NOW) is None
    assert httpserver.log == []


# --- cache and staleness -----------------------------------------------------------------------


def _saved(store: Store, *, observed: datetime, fetched: datetime) -> None:
    store.save_weather([Weather(c.name, 30.0, 1, True, observed, fetched) for c in CITIES])


def test_stale_after_two_hours_of_observation(store: Store) -> None:
    _saved(store, observed=OBSERVED, fetched=NOW)
    fresh = cached_weather(store, CITIES, now=OBSERVED + timedelta(hours=1, minutes=59))
    assert [w.stale for w in fresh] == [False, False, False]
    old = cached_weather(store, CITIES, now=OBSERVED + timedelta(hours=2, minutes=1))
    assert [w.stale for w in old] == [True, True, True]
    assert old[2].temperature_c == 30.0  # stale values are still shown


def test_staleness_counts_from_observation_not_fetch(store: Store) -> None:
    # Fetched a minute ago, but the service handed back a three-hour-old observation.
    now = OBSERVED + timedelta(hours=3)
    _saved(store, observed=OBSERVED, fetched=now - timedelta(minutes=1))
    assert all(w.stale for w in cached_weather(store, CITIES, now=now))


def test_stale_falls_back_to_fetch_time() -> None:
    w = Weather("Hà Nội", 20.0, 3, True, None, NOW)
    assert not is_stale(w, NOW + timedelta(hours=2))
    assert is_stale(w, NOW + timedelta(hours=2, seconds=1))


def test_never_fetched_gives_nones_in_config_order(store: Store) -> None:
    cached = cached_weather(store, CITIES, now=NOW)
    assert [w.city for w in cached] == [c.name for c in CITIES]
    for w in cached:
        assert (w.temperature_c, w.weather_code, w.is_day, w.observed_at, w.fetched_at) == (
            None, None, None, None, None)
        assert w.stale is False
        assert weather_to_json(w, "vi") == {
            "city": w.city, "temperature_c": None, "weather_code": None, "description": "—",
            "observed_at": None, "fetched_at": None, "stale": False}
        assert age_text(w, NOW, "vi") == ""


def test_cache_follows_config_order_and_names(store: Store) -> None:
    _saved(store, observed=OBSERVED, fetched=NOW)
    reordered = (CITIES[2], City("Cần Thơ", 10.0452, 105.7469), CITIES[0])
    cached = cached_weather(store, reordered, now=NOW)
    assert [w.city for w in cached] == ["TP Hồ Chí Minh", "Cần Thơ", "Hà Nội"]
    assert [w.temperature_c for w in cached] == [30.0, None, 30.0]


def test_weather_due() -> None:
    never = [Weather("Hà Nội", None, None, None, None, None)]
    assert weather_due(never, 30, NOW)
    fresh = [Weather("Hà Nội", 20.0, 3, True, OBSERVED, NOW)]
    assert not weather_due(fresh, 30, NOW + timedelta(minutes=29))
    assert weather_due(fresh, 30, NOW + timedelta(minutes=30))
    # A failed attempt a minute ago waits for the next interval instead of hammering.
    assert not weather_due(never, 30, NOW, last_attempt=NOW - timedelta(minutes=1))


# --- descriptions and output -------------------------------------------------------------------


def test_describe_clear_sky_day_and_night() -> None:
    assert describe(0, True, "vi") == ("☀", "Trời quang")
    assert describe(0, False, "vi") == ("☾", "Trời quang")
    assert describe(0, False, "en") == ("☾", "Clear")
    assert describe(0, None, "en") == ("☀", "Clear")


@pytest.mark.parametrize(("code", "vi", "en", "symbol"), [
    (1, "Ít mây", "Mainly clear", "☀"),
    (2, "Có mây", "Partly cloudy", "◐"),
    (3, "Nhiều mây", "Overcast", "☁"),
    (45, "Sương mù", "Fog", "≡"),
    (53, "Mưa phùn", "Drizzle", ","),
    (57, "Mưa phùn băng giá", "Freezing drizzle", ";"),
    (61, "Mưa nhỏ", "Light rain", "☂"),
    (63, "Mưa vừa", "Rain", "☂"),
    (65, "Mưa to", "Heavy rain", "☂"),
    (75, "Tuyết rơi", "Snow", "❄"),
    (82, "Mưa rào rất to", "Violent showers", "☂"),
    (86, "Mưa tuyết", "Snow showers", "❄"),
    (95, "Dông", "Thunderstorm", "↯"),
    (99, "Dông kèm mưa đá", "Thunderstorm with hail", "↯"),
])
def test_describe_codes_in_both_languages(code: int, vi: str, en: str, symbol: str) -> None:
    assert describe(code, True, "vi") == (symbol, vi)
    assert describe(code, False, "en") == (symbol, en)


@pytest.mark.parametrize("code", [None, -1, 4, 100, 1000])
def test_describe_unknown(code: int | None) -> None:
    assert describe(code, True, "vi") == ("?", "—")
    assert describe(code, None, "en") == ("?", "—")


def test_every_symbol_is_one_cell() -> None:
    for code in WMO_CODES:
        for is_day in (True, False):
            symbol, _ = describe(code, is_day, "vi")
            assert cell_len(symbol) == 1 and len(symbol) == 1, (code, symbol)


def test_weather_to_json_fields_and_types() -> None:
    w = Weather("Đà Nẵng", 25.0, 63, True, OBSERVED, NOW, stale=True)
    vi = weather_to_json(w, "vi")
    assert list(vi) == ["city", "temperature_c", "weather_code", "description", "observed_at",
                        "fetched_at", "stale"]
    assert vi == {"city": "Đà Nẵng", "temperature_c": 25.0, "weather_code": 63,
                  "description": "Mưa vừa", "observed_at": "2026-11-28T08:15:00+07:00",
                  "fetched_at": "2026-11-28T01:20:00+00:00", "stale": True}
    assert isinstance(vi["temperature_c"], float) and isinstance(vi["weather_code"], int)
    assert vi["stale"] is True
    assert weather_to_json(w, "en")["description"] == "Rain"
    assert datetime.fromisoformat(vi["observed_at"]) == OBSERVED
    assert json.loads(json.dumps(vi, ensure_ascii=False)) == vi
    # The cache hands back UTC instants; the CLI can ask for the reader's zone.
    utc = Weather("Đà Nẵng", 25.0, 63, True, OBSERVED.astimezone(UTC), NOW)
    local = weather_to_json(utc, "vi", tz=ICT)
    assert local["observed_at"] == "2026-11-28T08:15:00+07:00"
    assert local["fetched_at"] == "2026-11-28T08:20:00+07:00"


def test_age_text() -> None:
    w = Weather("Hà Nội", 21.4, 3, True, OBSERVED, NOW)
    assert age_text(w, OBSERVED + timedelta(hours=3), "vi") == "cập nhật 3 giờ trước"
    assert age_text(w, OBSERVED + timedelta(hours=3), "en") == "updated 3 h ago"
    assert age_text(w, OBSERVED + timedelta(minutes=5), "vi") == "cập nhật 5 phút trước"
    assert age_text(w, OBSERVED + timedelta(seconds=10), "en") == "updated just now"
