"""`tui-news weather` against a local Open-Meteo-shaped server: fresh, cached, stale, never."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone

from conftest import WEATHER_ANSWER, Cli, Site

ICT = timezone(timedelta(hours=7))


def answer(observed: datetime) -> bytes:
    cities = copy.deepcopy(WEATHER_ANSWER)
    for city in cities:
        city["current"]["time"] = observed.astimezone(ICT).strftime("%Y-%m-%dT%H:%M")
    return json.dumps(cities).encode()


def test_weather_fresh_then_cached_then_stale(site: Site, cli: Cli, httpserver) -> None:
    cli.write_config([], weather_url=site.url("/v1/forecast"))
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    site.add("/v1/forecast", answer(now - timedelta(minutes=10)), "application/json")
    run = cli("weather", "--json")
    assert run.status == 0, run.err
    cities = run.json()
    assert [c["city"] for c in cities] == ["Hà Nội", "Đà Nẵng", "TP Hồ Chí Minh"]
    assert [c["temperature_c"] for c in cities] == [21.4, 25.2, 31.0]
    assert [c["description"] for c in cities] == ["Nhiều mây", "Mưa vừa", "Có mây"]
    assert [c["weather_code"] for c in cities] == [3, 63, 2]
    assert all(c["stale"] is False for c in cities)
    assert cities[0]["observed_at"].endswith("+07:00")
    english = cli("--lang", "en", "weather", "--json").json()
    assert [c["description"] for c in english] == ["Overcast", "Rain", "Partly cloudy"]
    text = cli("weather")
    assert text.status == 0 and "Thời tiết các vùng" in text.out and "21°C" in text.out

    # an observation three hours old, then the service goes away: cached values, stale, exit 0
    site.add("/v1/forecast", answer(now - timedelta(hours=3)), "application/json")
    assert cli("weather").status == 0
    httpserver.stop()
    try:
        down = cli("weather", "--json")
        assert down.status == 0
        assert [c["temperature_c"] for c in down.json()] == [21.4, 25.2, 31.0]
        assert all(c["stale"] is True for c in down.json())
        assert "weather from the cache" in down.err
        offline = cli("--offline", "weather", "--json")
        assert offline.status == 0 and offline.json() == down.json()
    finally:
        httpserver.start()


def test_weather_never_fetched(site: Site, cli: Cli, httpserver) -> None:
    cli.write_config([], weather_url=site.url("/v1/forecast"))
    httpserver.stop()
    try:
        run = cli("weather", "--json")
        assert run.status == 1
        assert "no weather has ever been fetched" in run.err
        assert run.out == ""
        offline = cli("--offline", "weather")
        assert offline.status == 1 and "(offline)" in offline.err
    finally:
        httpserver.start()


def test_bad_answer_keeps_last_good_values(site: Site, cli: Cli) -> None:
    cli.write_config([], weather_url=site.url("/v1/forecast"))
    now = datetime.now(UTC)
    site.add("/v1/forecast", answer(now), "application/json")
    assert cli("weather").status == 0
    site.add("/v1/forecast", b"[1, 2]", "application/json")
    run = cli("weather", "--json")
    assert run.status == 0
    assert [c["temperature_c"] for c in run.json()] == [21.4, 25.2, 31.0]
    problems = [line for line in run.err.splitlines() if "weather service" in line]
    assert len(problems) == 1 and "127.0.0.1" in problems[0]


def test_configured_cities(site: Site, cli: Cli) -> None:
    cli.write_config([], weather_url=site.url("/v1/forecast"),
                     extra='\n[[weather.cities]]\nname = "Huế"\nlatitude = 16.46\n'
                           "longitude = 107.59\n")
    single = copy.deepcopy(WEATHER_ANSWER[0])
    single["current"]["time"] = datetime.now(ICT).strftime("%Y-%m-%dT%H:%M")
    site.add("/v1/forecast", json.dumps(single).encode(), "application/json")
    run = cli("weather", "--json")
    assert run.status == 0, run.err
    assert [c["city"] for c in run.json()] == ["Huế"]
    (request,) = [h for p, h in site.requests if p == "/v1/forecast"]
    assert request  # one request for the one city
