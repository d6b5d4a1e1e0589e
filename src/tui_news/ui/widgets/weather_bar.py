"""WeatherBar: "Thời tiết các vùng" and one fixed-width slot per configured city."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tui_news.i18n import label
from tui_news.models import Weather
from tui_news.ui.display import safe_line

# Condition names run to 22 characters ("Thunderstorm with hail"); a fixed slot keeps the bar from
# moving when the weather changes, so longer names are cut with an ellipsis.
CONDITION_WIDTH = 12

Describe = Callable[[int | None, bool | None, str], tuple[str, str]]
AgeText = Callable[[Weather, datetime, str], str]


class WeatherBar(Widget):
    """The top line; never-fetched cities show "—", stale ones are dimmed with their age."""

    COMPONENT_CLASSES = {"weather-bar--title", "weather-bar--stale", "weather-bar--city"}

    def __init__(self, cities: Sequence[str], *, lang: str, tz: tzinfo | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self._cities = list(cities)
        self._lang = lang
        self._tz = tz
        self._weather: list[Weather] = []
        self._now: datetime | None = None
        self._describe: Describe | None = None
        self._age: AgeText | None = None

    def show_weather(self, weather: list[Weather], now: datetime, describe: Describe,
                     age_text: AgeText) -> None:
        """Show cached observations; `describe`/`age_text` come from the weather service."""
        self._weather, self._now = weather, now
        self._describe, self._age = describe, age_text
        self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(f" {label('weather_title', self._lang)} ",
                    self.get_component_rich_style("weather-bar--title"))
        by_city = {w.city: w for w in self._weather}
        slots = [self._slot(city, by_city.get(city)) for city in self._cities]
        # One request serves every city, so one age says it all; it sits by the title because
        # the end of the line is the first thing a narrow terminal cuts.
        stale_age = next((age for _, age in slots if age), "")
        if stale_age:
            text.append(f"({stale_age}) ", self.get_component_rich_style("weather-bar--stale"))
        for index, (slot, _) in enumerate(slots):
            text.append(" · " if index else " ")
            text.append_text(slot)
        return text

    def _slot(self, city: str, w: Weather | None) -> tuple[Text, str]:
        name_style = self.get_component_rich_style("weather-bar--city")
        slot = Text(safe_line(city), style=name_style, end="")
        width = 4 + 1 + 1 + 1 + CONDITION_WIDTH + 1 + 5  # " 21° ☁ Nhiều mây       14:05"
        if (w is None or w.temperature_c is None or self._describe is None
                or self._now is None):
            slot.append(" " + label("never_fetched", self._lang).ljust(width - 1))
            return slot, ""
        symbol, condition = self._describe(w.weather_code, w.is_day, self._lang)
        if cell_len(condition) > CONDITION_WIDTH:
            condition = condition[: CONDITION_WIDTH - 1] + "…"
        # One cell for the symbol whatever the terminal thinks of it (DOMAIN.md: emoji widths vary).
        symbol = symbol if cell_len(symbol) == 1 else "?"
        observed = w.observed_at or w.fetched_at
        clock = observed.astimezone(self._tz).strftime("%H:%M") if observed else "--:--"
        body = f" {round(w.temperature_c):>3}° {symbol} {condition:<{CONDITION_WIDTH}} {clock}"
        age = ""
        if w.stale:
            slot.append(body, self.get_component_rich_style("weather-bar--stale"))
            if self._age is not None:
                age = self._age(w, self._now, self._lang)
        else:
            slot.append(body)
        return slot, age
