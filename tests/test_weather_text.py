"""The weather bar's line at every width, without a screen (weather_text has no Textual)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from tui_news.models import Weather
from tui_news.weather_text import age_text, cells, weather_line

VN = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=VN)
CITIES = ("Hà Nội", "Đà Nẵng", "TP Hồ Chí Minh")
TITLES = {"vi": "Thời tiết các vùng", "en": "Regional weather"}
CONDITIONS = {"vi": ("Nhiều mây", "Mưa vừa", "Có mây"), "en": ("Overcast", "Rain", "Partly cloudy")}


def observations(age: timedelta, *, stale: bool = False) -> list[Weather]:
    at = NOW - age
    return [
        Weather(city, temp, code, True, at, at, stale)
        for city, temp, code in zip(CITIES, (21.4, 25.2, 31.0), (3, 63, 2), strict=True)
    ]


def line(weather: list[Weather], width: int, lang: str) -> str:
    pieces = weather_line(weather, width, lang=lang, now=NOW, tz=VN)
    text = "".join(p.text for p in pieces)
    assert cells(text) <= width
    return text


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("width", [80, 100, 120, 200])
@pytest.mark.parametrize("stale", [False, True])
def test_every_city_and_temperature_from_80_columns(lang: str, width: int, stale: bool) -> None:
    age = timedelta(hours=5) if stale else timedelta(minutes=45)
    text = line(observations(age, stale=stale), width, lang)
    for city, temp in zip(CITIES, ("21°", "25°", "31°"), strict=True):
        assert f"{city} {temp}" in text
    if stale:
        assert age_text(observations(age)[0], NOW, lang, tz=VN) in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_detail_goes_title_first_then_conditions_then_time(lang: str) -> None:
    weather = observations(timedelta(minutes=45))
    shown = []
    for width in range(200, 49, -1):
        text = line(weather, width, lang)
        shown.append((TITLES[lang] in text, CONDITIONS[lang][2] in text, "08:15" in text))
    # Each kind of detail, once given up, never comes back at a narrower width, and they go in
    # order: the title before any condition text, conditions before the time.
    assert shown[0] == (True, True, True)
    assert shown[-1] == (False, False, False)
    first_gone = [next(n for n, s in enumerate(shown) if not s[k]) for k in range(3)]
    assert first_gone[0] < first_gone[1] < first_gone[2]
    for k in range(3):
        assert not any(s[k] for s in shown[first_gone[k] :])
    # At 80 columns (the narrowest terminal PRODUCT.md promises) the time is still there.
    assert "08:15" in line(weather, 80, lang)


def test_never_fetched_cities_show_a_dash() -> None:
    never = [Weather(city, None, None, None, None, None) for city in CITIES]
    text = line(never, 80, "vi")
    assert text.rstrip().endswith("Hà Nội — · Đà Nẵng — · TP Hồ Chí Minh —")


def test_the_time_sits_at_the_right_edge() -> None:
    text = line(observations(timedelta(minutes=45)), 200, "vi")
    assert text.rstrip().endswith("08:15") and cells(text) == 200


def test_weather_text_imports_neither_textual_nor_httpx() -> None:
    code = (
        "import sys, tui_news.weather_text; "
        "print(sorted(m for m in ('textual', 'httpx', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
