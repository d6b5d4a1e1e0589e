"""The weather of a refresh: asked for beside the feeds, stored after them."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from safety_helpers import good_feed, hostile_server, send_response

from tui_news.config import load_config
from tui_news.refresh import run_refresh
from tui_news.store import Store


def _answer() -> bytes:
    """Open-Meteo's answer for one city (a single object), observed ten minutes ago."""
    observed = (datetime.now(UTC) + timedelta(hours=7) - timedelta(minutes=10))
    return json.dumps({
        "latitude": 21.0, "longitude": 105.75, "utc_offset_seconds": 25200,
        "timezone": "Asia/Ho_Chi_Minh",
        "current_units": {"time": "iso8601", "temperature_2m": "°C"},
        "current": {"time": observed.strftime("%Y-%m-%dT%H:%M"), "interval": 900,
                    "temperature_2m": 21.4, "is_day": 1, "weather_code": 3},
    }).encode()


def test_the_weather_is_asked_for_while_the_feeds_are_fetched(tmp_path: Path) -> None:
    """A feed here answers only once the weather has been asked for (or after 5 s): asked for
    after the feeds, as it was, the weather came 5 s late and the feeds' answers with it."""
    asked = threading.Event()
    feeds_waited: list[bool] = []

    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        if path.startswith("/v1/forecast"):
            asked.set()
            send_response(conn, _answer(), {"Content-Type": "application/json"})
            return
        feeds_waited.append(asked.wait(5))
        send_response(conn, good_feed(path.strip("/")), {"Content-Type": "application/rss+xml"})

    with hostile_server(handler) as server:
        lines = ["[weather]", f'url = "{server.url("/v1/forecast")}"', "",
                 "[[weather.cities]]", 'name = "Hà Nội"', "latitude = 21.0285",
                 "longitude = 105.8542", ""]
        for i in range(3):
            lines += ["[[feeds]]", f'url = "{server.url(f"/f{i}")}"', 'category = "Thời sự"', ""]
        config_path = tmp_path / "config.toml"
        config_path.write_text("\n".join(lines), encoding="utf-8")
        summary = run_refresh(load_config(config_path), tmp_path / "cache.db")
    assert [r.status for r in summary.results] == ["ok"] * 3
    assert feeds_waited == [True] * 3
    assert summary.weather_error is None
    with Store.open(tmp_path / "cache.db") as store:
        [weather] = store.weather(["Hà Nội"])
        assert weather.temperature_c == 21.4
