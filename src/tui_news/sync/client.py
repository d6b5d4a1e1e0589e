"""What every sync protocol provides: the interface the engine uses and the data it returns.

A protocol module (fever.py today; a Google Reader API module could follow) turns its server's
answers into these dataclasses, every string still raw (the engine cleans them), and raises
SyncError with one clean line for any fault. The engine never sees a request or a JSON object.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

Mark = Literal["read", "unread", "saved", "unsaved"]


class SyncError(Exception):
    """The sync could not go on. str(e) is one line without credentials; `kind` is "auth" (the
    server refused the credentials), "network" (no answer, an HTTP error), "answer" (the answer
    is not what the protocol promises: garbage, cut short), "config" (no password) or "cache"."""

    def __init__(self, message: str, kind: str = "network") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class RemoteGroup:
    id: int
    title: str


@dataclass(frozen=True)
class RemoteFeed:
    id: int
    title: str
    url: str  # the feed's own URL as the server has it
    site_url: str | None
    group_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Subscriptions:
    groups: tuple[RemoteGroup, ...]
    feeds: tuple[RemoteFeed, ...]


@dataclass(frozen=True)
class RemoteItem:
    id: int
    feed_id: int
    title: str
    author: str | None
    html: str  # the item's content as the server gives it (HTML)
    url: str | None
    read: bool
    saved: bool
    created: datetime | None  # aware


class SyncClient(Protocol):
    """One account on one feed server. Every method is one request (or a few) and raises
    SyncError; ids are the server's."""

    page_size: int  # most items one items_since / items_by_id call returns

    async def subscriptions(self) -> Subscriptions:
        """Groups and feeds; also the check of the credentials (the first call of a sync)."""
        ...

    async def items_since(self, since_id: int) -> list[RemoteItem]:
        """Up to page_size items with an id above `since_id`; empty when there are no more."""
        ...

    async def items_by_id(self, ids: Collection[int]) -> list[RemoteItem]:
        """The items with these ids (at most page_size of them)."""
        ...

    async def unread_and_saved(self) -> tuple[set[int], set[int]]:
        """The ids of every unread item and of every saved item."""
        ...

    async def mark(self, item_id: int, mark: Mark) -> bool:
        """Send one mark; False when the server does not know the item (the mark is dropped)."""
        ...
