"""Changes to config.toml made by commands (add, remove, import, saved searches, filters).

The file is edited with tomlkit, so the user's comments and layout stay where they were, and
written atomically (temp file + rename, mode kept). A config without `[[feeds]]` uses the built-in
catalogue: before the first change to the subscriptions the catalogue is written out, so the
user's current subscriptions never disappear.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Array, Item, Table
from tomlkit.toml_document import TOMLDocument

from tui_news.config import Config
from tui_news.models import FeedConfig


class ConfigWriteError(Exception):
    """The config could not be changed; str(e) is one line naming the file."""


@dataclass(frozen=True)
class FeedsChanged:
    """What a change to the subscriptions did to the file."""

    added: tuple[FeedConfig, ...] = ()
    removed: tuple[FeedConfig, ...] = ()
    catalogue_written: int = 0  # catalogue feeds written out first (the config had none)


def add_feeds(config: Config, new: Sequence[FeedConfig]) -> FeedsChanged:
    """Append the feeds of `new` not yet subscribed (by URL) as `[[feeds]]` tables."""
    existing = {f.url for f in config.feeds}
    to_add = tuple(f for f in dict((f.url, f) for f in new).values() if f.url not in existing)
    if not to_add:
        return FeedsChanged()
    document = _read(config.path)
    written = () if config.feeds_configured else config.feeds
    for feed in (*written, *to_add):
        _append(document, "feeds", _feed_table(feed))
    _write(config.path, document)
    return FeedsChanged(added=to_add, catalogue_written=len(written))


def remove_feed(config: Config, feed: FeedConfig) -> FeedsChanged:
    """Remove the subscription to `feed.url` (every `[[feeds]]` table with that URL)."""
    document = _read(config.path)
    written = () if config.feeds_configured else config.feeds
    for kept in written:
        if kept.url != feed.url:
            _append(document, "feeds", _feed_table(kept))
    if config.feeds_configured:
        feeds = document.get("feeds")
        if isinstance(feeds, AoT | Array):
            for index in reversed(range(len(feeds))):
                item = feeds[index]
                if isinstance(item, Mapping) and str(item.get("url", "")).strip() == feed.url:
                    _delete(feeds, index)
    _write(config.path, document)
    return FeedsChanged(removed=(feed,), catalogue_written=max(0, len(written) - 1))


def add_entry(config: Config, array: str, values: Mapping[str, str]) -> None:
    """Append one `[[array]]` table (a saved search, a filter) holding `values` in that order."""
    document = _read(config.path)
    table = tomlkit.table()
    for key, value in values.items():
        table.add(key, value)
    _append(document, array, table)
    _write(config.path, document)


def remove_entries(config: Config, array: str, values: Mapping[str, str]) -> int:
    """Remove the `[[array]]` tables whose values are exactly `values`; how many."""
    document = _read(config.path)
    tables = document.get(array)
    removed = 0
    if isinstance(tables, AoT):
        for index in reversed(range(len(tables))):
            item = tables[index]
            mine = {k: str(v).strip() for k, v in item.items()}
            if mine == dict(values):
                _delete(tables, index)
                removed += 1
    if removed:
        _write(config.path, document)
    return removed


def _feed_table(feed: FeedConfig) -> Table:
    table = tomlkit.table()
    table.add("url", feed.url)
    table.add("category", feed.category)
    if feed.title:
        table.add("title", feed.title)
    return table


def _append(document: TOMLDocument, name: str, table: Table) -> None:
    """Append `table` to the array of tables `name`, made at the end of the file if missing.

    The comments and blank lines after the last table (they introduce what follows it, such as
    `# keys` before `[keys]`) move after the new table, and a blank line separates the two.
    """
    current = document.get(name)
    if current is None:
        aot = tomlkit.aot()
        aot.append(table)
        document.append(name, aot)
        return
    if isinstance(current, Array):  # `feeds = [{url = …}]`: an inline table in that array
        inline = tomlkit.inline_table()
        inline.update(table.unwrap())
        current.append(inline)
        return
    if not isinstance(current, AoT):
        raise ConfigWriteError(f"{name} must be an array of tables ([[{name}]])")
    if len(current):
        last: Container = current[-1].value
        trailing = _take_trailing(last)
        last.add(tomlkit.nl())
        table.value.body.extend(trailing)
    current.append(table)
    table.trivia.indent = ""  # the blank line before it is the previous table's (above)


def _delete(tables: AoT | Array, index: int) -> None:
    """Delete one table; the comments before it are its own and go with it, what introduced
    the table after it stays before that one."""
    if isinstance(tables, AoT) and index > 0:
        previous = tables[index - 1].value
        _take_trailing(previous)
        previous.body.extend(_take_trailing(tables[index].value))
    del tables[index]


def _take_trailing(container: Container) -> list[tuple[None, Item]]:
    """Remove and return the comments and blank lines that end a table."""
    trailing: list[tuple[None, Item]] = []
    while container.body and container.body[-1][0] is None:
        trailing.insert(0, container.body.pop())  # type: ignore[arg-type]
    return trailing


def _read(path: Path) -> TOMLDocument:
    if not path.exists():
        document = tomlkit.document()
        document.add(tomlkit.comment("tui-news configuration (see the README)"))
        return document
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigWriteError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (TOMLKitError, UnicodeDecodeError) as exc:
        raise ConfigWriteError(f"{path}: cannot be edited ({exc})") from None


def _write(path: Path, document: TOMLDocument) -> None:
    try:
        atomic_write(path, tomlkit.dumps(document))
    except OSError as exc:
        raise ConfigWriteError(f"{path}: cannot be written ({exc.strerror or exc})") from None


def atomic_write(path: Path, text: str) -> None:
    """Write via a temp file in the same directory and rename, keeping the file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
