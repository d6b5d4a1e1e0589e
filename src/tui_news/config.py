"""config.toml → a validated, frozen Config. Errors name the file, the line and what is wrong."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui_news import __version__
from tui_news.catalogue import DEFAULT_CITIES, DEFAULT_FEEDS
from tui_news.keymap import check_keys
from tui_news.links import is_web_url, redact_url
from tui_news.models import City, FeedConfig, Filter, SavedSearch
from tui_news.text import clean

DEFAULT_WEATHER_URL = "https://api.open-meteo.com/v1/forecast"
DEFAULT_USER_AGENT = f"tui-news/{__version__}"
MAX_URL_LENGTH = 2048
LANGUAGES = ("vi", "en")
# Requests in flight to one site. 8 is newsboat's and a browser's (6) order: a dozen feeds of one
# outlet refresh ~1.6x faster than with 4 (bench/RESULTS.md, "cold refresh, one host").
DEFAULT_PER_HOST = 8
MAX_PER_HOST = 16


class ConfigError(Exception):
    """The config cannot be used. str(e) is one line: `FILE:LINE: what is wrong`."""

    def __init__(self, path: Path, reason: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")
        self.path, self.reason, self.line = path, reason, line


@dataclass(frozen=True)
class SyncConfig:
    """[sync]: the feed server shared with other devices. The credentials are never shown."""

    url: str  # the API endpoint as the server documents it (requests go to `url?api&…`)
    kind: str = "fever"
    user: str | None = None
    password_command: tuple[str, ...] = field(default=(), repr=False)  # argv; stdout: password
    api_key: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Config:
    """Every setting, with defaults; `feeds` is the built-in catalogue when none are configured."""

    path: Path
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    refresh_minutes: int = 30  # how often the open reader refreshes feeds
    refresh_on_start: bool = True  # the reader refreshes when it opens
    timeout: float = 20.0
    concurrency: int = 16
    per_host: int = DEFAULT_PER_HOST  # requests in flight to one host (scheme, name and port)
    user_agent: str = DEFAULT_USER_AGENT
    weather_url: str = DEFAULT_WEATHER_URL
    weather_refresh_minutes: int = 30
    cities: tuple[City, ...] = DEFAULT_CITIES
    feeds: tuple[FeedConfig, ...] = DEFAULT_FEEDS
    feeds_configured: bool = False  # False: the built-in catalogue is in use
    keys: Mapping[str, str] = field(default_factory=dict)
    prefetch: bool = False  # [offline] prefetch: download full text of new articles
    keep_days: int = 0  # [cache] keep_days: 0 keeps everything
    sync: SyncConfig | None = None  # [sync]: None when not set
    filters: tuple[Filter, ...] = ()  # [[filters]]: hidden from every view and count
    searches: tuple[SavedSearch, ...] = ()  # [[searches]]: sidebar entries after categories
    new_articles_hook: tuple[str, ...] = ()  # [hooks] new_articles: an argument list
    hook_timeout: float = 10.0  # [hooks] timeout, seconds
    warnings: tuple[str, ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        """Configured categories in config order, each once."""
        return tuple(dict.fromkeys(f.category for f in self.feeds))

    @property
    def tz(self) -> tzinfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return timezone(timedelta(hours=7), "ICT")


# Known keys per table, with their type; anything else is reported as a warning, not an error,
# so a config written for a newer version still opens.
_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "general": {"language": str, "timezone": str, "refresh_minutes": int,
                "refresh_on_start": bool},
    "network": {"timeout": (int, float), "concurrency": int, "per_host": int,
                "user_agent": str},
    "weather": {"url": str, "refresh_minutes": int, "cities": list},
    "offline": {"prefetch": bool},
    "cache": {"keep_days": int},
    "sync": {"kind": str, "url": str, "user": str, "password_command": list, "api_key": str},
    "hooks": {"new_articles": list, "timeout": (int, float)},
    "keys": {},
}
_TOP_LEVEL = set(_SCHEMA) | {"feeds", "filters", "searches"}
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "an array",
               (int, float): "a number", float: "a number"}


def load_config(path: Path) -> Config:
    """Read `path`; a missing file means defaults. Raises ConfigError (exit 2) when broken."""
    if not path.exists():
        return Config(path=path)
    if path.is_dir():
        raise ConfigError(path, "is a directory, not a config file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(path, f"is not valid UTF-8 (byte {exc.start})", line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", message)
        reason = clean(re.sub(r"\s*\(at line.*\)", "", message)) or "invalid TOML"
        at: int | None = int(m.group(1)) if m else None
        if at is None and "end of document" in message:
            at = text.count("\n") + 1
        raise ConfigError(path, f"invalid TOML: {reason}", at) from None
    return _Builder(path, text, data).build()


class _Builder:
    """Validates the parsed TOML and locates errors in the source text."""

    def __init__(self, path: Path, text: str, data: dict[str, Any]) -> None:
        self.path, self.lines, self.data = path, text.splitlines(), data
        self.warnings: list[str] = []

    def fail(self, reason: str, key: str | None = None, table: str | None = None,
             index: int = 0) -> ConfigError:
        return ConfigError(self.path, reason, self._line_of(key, table, index))

    def _line_of(self, key: str | None, table: str | None, index: int) -> int | None:
        """Best-effort line of `key` in `[table]` (or the index-th `[[table]]`)."""
        start = 0
        if table:
            header = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*(#.*)?$")
            seen = -1
            for number, line in enumerate(self.lines):
                if header.match(line):
                    seen += 1
                    if seen == index:
                        start = number
                        break
            else:
                return None
            if key is None:
                return start + 1
        if key is None:
            return None
        pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
        for number in range(start, len(self.lines)):
            if number > start and table and self.lines[number].lstrip().startswith("["):
                break
            if pattern.match(self.lines[number]):
                return number + 1
        return start + 1 if table else None

    def get(self, table: str, key: str, default: Any) -> Any:
        section = self.data.get(table, {})
        if not isinstance(section, dict):
            raise self.fail(f"[{table}] must be a table", table)
        if key not in section:
            return default
        value = section[key]
        expected = _SCHEMA[table][key]
        ok = isinstance(value, expected) and not (isinstance(value, bool) and expected is not bool)
        if not ok:
            raise self.fail(f"{table}.{key} must be {_TYPE_NAMES[expected]}, "
                            f"not {type(value).__name__}", key, table)
        return value

    def positive(self, table: str, key: str, default: int | float, high: int | float) -> Any:
        value = self.get(table, key, default)
        if not 0 < value <= high:
            raise self.fail(f"{table}.{key} must be between 1 and {high}", key, table)
        return value

    def build(self) -> Config:
        self._check_unknown()
        language = self.get("general", "language", "vi")
        if language not in LANGUAGES:
            raise self.fail('general.language must be "vi" or "en"', "language", "general")
        tz_name = self.get("general", "timezone", "Asia/Ho_Chi_Minh")
        try:
            ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(f"general.timezone: unknown time zone {clean(tz_name, limit=60)!r}",
                            "timezone", "general") from None
        weather_url = self.get("weather", "url", DEFAULT_WEATHER_URL)
        if not is_web_url(weather_url):
            raise self.fail("weather.url must be an http or https URL", "url", "weather")
        feeds = self._feeds()
        keep_days = self.get("cache", "keep_days", 0)
        if keep_days < 0:
            raise self.fail("cache.keep_days must be 0 (keep all) or more", "keep_days", "cache")
        sync = self._sync()
        return Config(
            path=self.path,
            language=language,
            timezone=tz_name,
            refresh_minutes=self.positive("general", "refresh_minutes", 30, 24 * 60),
            refresh_on_start=self.get("general", "refresh_on_start", True),
            timeout=float(self.positive("network", "timeout", 20, 600)),
            concurrency=self.positive("network", "concurrency", 16, 64),
            per_host=self.positive("network", "per_host", DEFAULT_PER_HOST, MAX_PER_HOST),
            user_agent=clean(self.get("network", "user_agent", DEFAULT_USER_AGENT), limit=200)
            or DEFAULT_USER_AGENT,
            weather_url=weather_url,
            weather_refresh_minutes=self.positive("weather", "refresh_minutes", 30, 24 * 60),
            cities=self._cities(),
            # With a feed server, its subscriptions are the reader's: no built-in catalogue.
            feeds=feeds or (() if sync else DEFAULT_FEEDS),
            feeds_configured=bool(feeds),
            keys=self._keys(),
            prefetch=self.get("offline", "prefetch", False),
            keep_days=keep_days,
            sync=sync,
            filters=self._filters(),
            searches=self._searches(),
            new_articles_hook=self._hook(),
            hook_timeout=float(self.positive("hooks", "timeout", 10, 600)),
            warnings=tuple(self.warnings),
        )

    def _check_unknown(self) -> None:
        for table, value in self.data.items():
            if table not in _TOP_LEVEL:
                self.warnings.append(f"{self.path}: unknown setting {clean(table, limit=40)!r} "
                                     "ignored")
            elif table in _SCHEMA and table != "keys" and isinstance(value, dict):
                for key in value:
                    if key not in _SCHEMA[table]:
                        self.warnings.append(f"{self.path}: unknown setting "
                                             f"{table}.{clean(key, limit=40)} ignored")

    def _feeds(self) -> tuple[FeedConfig, ...]:
        raw = self.data.get("feeds", [])
        if not isinstance(raw, list):
            raise self.fail("feeds must be an array of tables ([[feeds]])", "feeds")
        feeds: list[FeedConfig] = []
        seen: set[str] = set()
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                raise self.fail("each [[feeds]] entry must be a table", "feeds")
            url = item.get("url")
            if not isinstance(url, str) or not url.strip():
                raise self.fail(f"feeds[{index + 1}] needs a url", "url", "feeds", index)
            url = url.strip()
            shown = redact_url(url)
            if len(url) > MAX_URL_LENGTH:
                raise self.fail(f"feeds[{index + 1}].url is longer than {MAX_URL_LENGTH} "
                                "characters", "url", "feeds", index)
            if not is_web_url(url):
                raise self.fail(f"feeds[{index + 1}].url {shown!r} is not an http or https URL",
                                "url", "feeds", index)
            category = item.get("category", "Khác")
            title = item.get("title")
            for key, value in (("category", category), ("title", title)):
                if value is not None and not isinstance(value, str):
                    raise self.fail(f"feeds[{index + 1}].{key} must be a string", key, "feeds",
                                    index)
            for key in item:
                if key not in ("url", "category", "title"):
                    self.warnings.append(f"{self.path}: unknown setting feeds[{index + 1}]."
                                         f"{clean(key, limit=40)} ignored")
            if url in seen:
                continue
            seen.add(url)
            feeds.append(FeedConfig(url=url, category=clean(category, limit=80) or "Khác",
                                    title=clean(title, limit=120) or None))
        return tuple(feeds)

    def _sync(self) -> SyncConfig | None:
        if "sync" not in self.data:
            return None
        if not isinstance(self.data["sync"], dict):
            raise self.fail("[sync] must be a table", "sync")
        kind = self.get("sync", "kind", "fever")
        if kind != "fever":
            raise self.fail(f'sync.kind {clean(kind, limit=40)!r} is not supported (only "fever")',
                            "kind", "sync")
        url = self.get("sync", "url", None)
        if url is None:
            raise self.fail("[sync] needs a url (the server's Fever API endpoint)", None, "sync")
        url = url.strip()
        if len(url) > MAX_URL_LENGTH or not is_web_url(url):
            raise self.fail(f"sync.url {redact_url(url)!r} is not an http or https URL", "url",
                            "sync")
        user = self.get("sync", "user", None)
        command = self.get("sync", "password_command", None)
        api_key = self.get("sync", "api_key", None)
        if command is not None:
            if not command or not all(isinstance(a, str) and a for a in command):
                raise self.fail("sync.password_command must be a list of strings (a program and "
                                'its arguments, e.g. ["pass", "show", "rss"]); no shell runs it',
                                "password_command", "sync")
            if not user:
                raise self.fail("sync.password_command needs sync.user", "user", "sync")
        if api_key is not None and not re.fullmatch(r"[0-9a-fA-F]{32}", api_key):
            raise self.fail("sync.api_key must be the 32 hex digits of md5(\"user:password\")",
                            "api_key", "sync")
        if command is None and api_key is None:
            raise self.fail("[sync] needs user and password_command, or api_key", None, "sync")
        return SyncConfig(url=url, kind=kind, user=user or None,
                          password_command=tuple(command or ()),
                          api_key=api_key.lower() if api_key else None)
    def _tables(self, name: str, keys: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
        """The `[[name]]` tables, each with its string values (cleaned) by key."""
        raw = self.data.get(name, [])
        if not isinstance(raw, list):
            raise self.fail(f"{name} must be an array of tables ([[{name}]])", name)
        tables: list[tuple[int, dict[str, str]]] = []
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                raise self.fail(f"each [[{name}]] entry must be a table", name)
            values: dict[str, str] = {}
            for key, value in item.items():
                if key not in keys:
                    self.warnings.append(f"{self.path}: unknown setting {name}[{index + 1}]."
                                         f"{clean(key, limit=40)} ignored")
                elif not isinstance(value, str):
                    raise self.fail(f"{name}[{index + 1}].{key} must be a string", key, name,
                                    index)
                else:
                    values[key] = clean(value, limit=200).strip()
            tables.append((index, values))
        return tables

    def _filters(self) -> tuple[Filter, ...]:
        from tui_news.search import parse_query

        filters: list[Filter] = []
        for index, item in self._tables("filters", ("match", "feed", "category")):
            match = item.get("match", "")
            if not parse_query(match):
                raise self.fail(f"filters[{index + 1}] needs a match with at least one word",
                                "match", "filters", index)
            feed = item.get("feed") or None
            if feed is not None and not is_web_url(feed):
                raise self.fail(f"filters[{index + 1}].feed must be a feed's http or https URL",
                                "feed", "filters", index)
            filters.append(Filter(match, feed, item.get("category") or None))
        return tuple(dict.fromkeys(filters))

    def _searches(self) -> tuple[SavedSearch, ...]:
        from tui_news.search import parse_query

        searches: dict[str, SavedSearch] = {}
        for index, item in self._tables("searches", ("name", "query")):
            name, query = item.get("name", ""), item.get("query", "")
            if not name:
                raise self.fail(f"searches[{index + 1}] needs a name", "name", "searches", index)
            if not parse_query(query):
                raise self.fail(f"searches[{index + 1}] needs a query with at least one word",
                                "query", "searches", index)
            if name in searches:
                self.warnings.append(f"{self.path}: searches[{index + 1}]: a second search "
                                     f"named {name!r} ignored")
                continue
            searches[name] = SavedSearch(name, query)
        return tuple(searches.values())

    def _hook(self) -> tuple[str, ...]:
        command = self.get("hooks", "new_articles", [])
        if command and not all(isinstance(a, str) for a in command) or (
                command and not command[0].strip()):
            raise self.fail("hooks.new_articles must be a list of strings, the program first "
                            '(["notify-send", "tui-news", "{count} bài mới"])', "new_articles",
                            "hooks")
        return tuple(command)

    def _cities(self) -> tuple[City, ...]:
        raw = self.get("weather", "cities", None)
        if raw is None:
            return DEFAULT_CITIES
        cities: list[City] = []
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                raise self.fail("each [[weather.cities]] entry must be a table", "cities")
            name, lat, lon = item.get("name"), item.get("latitude"), item.get("longitude")
            if not isinstance(name, str) or not clean(name):
                raise self.fail(f"weather.cities[{index + 1}] needs a name", "name",
                                "weather.cities", index)
            for key, value, limit in (("latitude", lat, 90), ("longitude", lon, 180)):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise self.fail(f"weather.cities[{index + 1}].{key} must be a number", key,
                                    "weather.cities", index)
                if not -limit <= value <= limit:
                    raise self.fail(f"weather.cities[{index + 1}].{key} must be between "
                                    f"-{limit} and {limit}", key, "weather.cities", index)
            cities.append(City(clean(name, limit=60), float(lat), float(lon)))  # type: ignore[arg-type]
        return tuple(cities)

    def _keys(self) -> dict[str, str]:
        """The remaps that can be applied; the others (unknown action, a key name no terminal
        sends, a key another action keeps) are warnings naming their line, and ignored."""
        raw = self.data.get("keys", {})
        if not isinstance(raw, dict):
            raise self.fail("[keys] must be a table", "keys")
        keys: dict[str, str] = {}
        for action, key in raw.items():
            if not isinstance(key, str) or not key.strip():
                raise self.fail(f"keys.{clean(action, limit=40)} must be a key name such as "
                                '"r" or "ctrl+r"', action, "keys")
            keys[clean(action, limit=40)] = clean(key, limit=40)
        valid, problems = check_keys(keys)
        for problem in problems:
            line = self._line_of(problem.action, "keys", 0)
            where = f"{self.path}:{line}" if line else str(self.path)
            self.warnings.append(f"{where}: keys.{problem.action} ignored: {problem.reason}")
        return valid
