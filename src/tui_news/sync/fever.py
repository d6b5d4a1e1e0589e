"""The Fever API (https://feedafever.com/api, as FreshRSS, Miniflux, Tiny Tiny RSS and coldsweat
speak it): every call a POST to `url?api&COMMAND` with `api_key` (md5 of "user:password") in the
form body; a mark's `mark`, `as` and `id` go in the form body too. Answers are JSON objects with
`auth` (1, or 0 for wrong credentials)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from tui_news.fetch import Fetcher, FetchError
from tui_news.sync.client import (
    Mark,
    RemoteFeed,
    RemoteGroup,
    RemoteItem,
    Subscriptions,
    SyncError,
)

PAGE_SIZE = 50  # items per answer, as the API says
MAX_ANSWER = 16 << 20  # bytes: a page of 50 items, or the id lists of a very large account
_MAX_ID = 1 << 62


def fever_api_key(user: str, password: str) -> str:
    """The Fever key: md5 of "user:password", in lower-case hex (the protocol's definition)."""
    return hashlib.md5(f"{user}:{password}".encode()).hexdigest()


class FeverClient:
    """One Fever account; see SyncClient for the methods."""

    page_size = PAGE_SIZE

    def __init__(self, fetcher: Fetcher, url: str, api_key: str) -> None:
        self._fetcher = fetcher
        self._url = url
        self._api_key = api_key

    async def _call(self, command: str, form: Mapping[str, str] | None = None, *,
                    refused_ok: bool = False) -> dict[str, Any] | None:
        """One request; the answer's JSON object once `auth` says the key is good. None when
        `refused_ok` and the server answered 400 or 404 (it cannot take this request)."""
        separator = "&" if "?" in self._url else "?"
        url = f"{self._url}{separator}api{'&' + command if command else ''}"
        body = {"api_key": self._api_key, **(form or {})}
        try:
            response = await self._fetcher.post(url, body, max_bytes=MAX_ANSWER,
                                                accept="application/json")
        except FetchError as exc:
            if refused_ok and exc.status in (400, 404):
                return None
            raise SyncError(str(exc) or "no answer", "network") from None
        try:
            answer = json.loads(response.body)
        except (ValueError, UnicodeDecodeError):
            raise SyncError("the answer is not Fever API JSON (garbage or cut short)",
                            "answer") from None
        if not isinstance(answer, dict) or "auth" not in answer:
            raise SyncError("the answer is not a Fever API answer", "answer")
        if answer.get("auth") != 1:
            raise SyncError("wrong user or password (Fever auth: 0)", "auth")
        return answer

    async def _answer(self, command: str) -> dict[str, Any]:
        answer = await self._call(command)
        assert answer is not None
        return answer

    async def subscriptions(self) -> Subscriptions:
        answer = await self._answer("groups&feeds")
        memberships: dict[int, list[int]] = {}
        for row in _list(answer, "feeds_groups"):
            group_id = _int(row.get("group_id"))
            for feed_id in _id_list(row.get("feed_ids")):
                memberships.setdefault(feed_id, []).append(group_id)
        groups = tuple(RemoteGroup(_int(g.get("id")), _str(g.get("title")))
                       for g in _list(answer, "groups"))
        feeds = tuple(
            RemoteFeed(id=_int(f.get("id")), title=_str(f.get("title")), url=_str(f.get("url")),
                       site_url=_str(f.get("site_url")) or None,
                       group_ids=tuple(memberships.get(_int(f.get("id")), ())))
            for f in _list(answer, "feeds"))
        return Subscriptions(groups=groups, feeds=feeds)

    async def items_since(self, since_id: int) -> list[RemoteItem]:
        answer = await self._answer(f"items&since_id={int(since_id)}")
        return _items(answer)

    async def items_by_id(self, ids: Collection[int]) -> list[RemoteItem]:
        wanted = ",".join(str(int(i)) for i in list(ids)[:PAGE_SIZE])
        if not wanted:
            return []
        return _items(await self._answer(f"items&with_ids={wanted}"))

    async def unread_and_saved(self) -> tuple[set[int], set[int]]:
        answer = await self._answer("unread_item_ids&saved_item_ids")
        if "unread_item_ids" not in answer or "saved_item_ids" not in answer:
            raise SyncError("the answer has no unread or saved item ids", "answer")
        return (set(_id_list(answer["unread_item_ids"])),
                set(_id_list(answer["saved_item_ids"])))

    async def mark(self, item_id: int, mark: Mark) -> bool:
        # coldsweat answers 404 for an item it does not have (and 400 for a mark it cannot
        # take); other servers ignore such marks. Either way this mark cannot be sent.
        answer = await self._call("", {"mark": "item", "as": mark, "id": str(int(item_id))},
                                  refused_ok=True)
        return answer is not None


# --- reading answers ------------------------------------------------------------------------
# Servers differ in small ways (FreshRSS sends item ids as strings); anything else is refused
# with one line instead of half-read.


def _bad(what: str) -> SyncError:
    return SyncError(f"the Fever answer has a malformed {what}", "answer")


def _list(answer: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = answer.get(key)
    if value is None:
        raise SyncError(f"the Fever answer has no {key}", "answer")
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _bad(key)
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise _bad("id")
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 0 <= value < _MAX_ID:
        raise _bad("id")
    return value


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _bad("text field")
    return value


def _flag(value: Any) -> bool:
    if value in (0, 1, "0", "1", True, False):
        return bool(int(value))
    raise _bad("flag")


def _id_list(value: Any) -> list[int]:
    """A comma-separated id list ("1,2,3"; empty: none)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [_int(value)]
    if not isinstance(value, str):
        raise _bad("id list")
    return [_int(part) for part in value.split(",") if part.strip()]


def _items(answer: Mapping[str, Any]) -> list[RemoteItem]:
    items = []
    for row in _list(answer, "items"):
        created = row.get("created_on_time")
        when: datetime | None = None
        if isinstance(created, int | str) and not isinstance(created, bool) and created:
            try:
                stamp = _int(created)
                when = datetime.fromtimestamp(stamp, UTC) if stamp else None
            except (SyncError, OverflowError, OSError, ValueError):
                when = None
        items.append(RemoteItem(
            id=_int(row.get("id")), feed_id=_int(row.get("feed_id")),
            title=_str(row.get("title")), author=_str(row.get("author")) or None,
            html=_str(row.get("html")), url=_str(row.get("url")) or None,
            read=_flag(row.get("is_read", 0)), saved=_flag(row.get("is_saved", 0)),
            created=when))
    return items
