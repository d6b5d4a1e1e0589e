"""WeatherBar: "Thời tiết các vùng" and every configured city, laid out for the bar's width."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui_news.models import Weather
from tui_news.ui.display import safe_line
from tui_news.weather_text import CITY, STALE, TITLE, weather_line


class WeatherBar(Widget):
    """The top line; never-fetched cities show "—", stale ones are dimmed with their age.

    What to show at which width is `weather_text.weather_line`'s business (no Textual there):
    the bar only styles its pieces, so the layout is the same in tests, snapshots and terminals.
    """

    COMPONENT_CLASSES = {"weather-bar--title", "weather-bar--stale", "weather-bar--city"}

    def __init__(
        self,
        cities: Sequence[str],
        *,
        lang: str,
        now: Callable[[], datetime],
        tz: tzinfo | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._lang = lang
        self._now = now
        self._tz = tz
        # Until the cache is read every city is "—" (never fetched): the bar's shape from frame one.
        self._weather = [Weather(c, None, None, None, None, None) for c in cities]

    def show_weather(self, weather: list[Weather]) -> None:
        """Show cached observations (one per configured city, in config order)."""
        self._weather = [
            Weather(
                safe_line(w.city),
                w.temperature_c,
                w.weather_code,
                w.is_day,
                w.observed_at,
                w.fetched_at,
                w.stale,
            )
            for w in weather
        ]
        self.refresh()

    def render(self) -> Text:
        styles = {
            TITLE: self.get_component_rich_style("weather-bar--title"),
            CITY: self.get_component_rich_style("weather-bar--city"),
            STALE: self.get_component_rich_style("weather-bar--stale"),
        }
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        pieces = weather_line(
            self._weather, self.size.width, lang=self._lang, now=self._now(), tz=self._tz
        )
        for piece in pieces:
            # Text, never markup: city names come from the user's config.
            text.append(piece.text, styles.get(piece.role, Style()))
        return text
