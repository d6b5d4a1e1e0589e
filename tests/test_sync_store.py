"""The sync's cache side and its config, without a server: the queue of marks the triggers fill,
"a mark made here wins" when the server's state is applied, the upgrade of an older cache, the
[sync] table's checks, the password command (never a shell, never shown)."""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Cli

from tui_news.config import ConfigError, load_config
from tui_news.models import ArticleQuery, FeedConfig, ParsedEntry
from tui_news.store import Store
from tui_news.store_schema import SCHEMA_VERSION, migrate
from tui_news.store_sync import ServerEntry, ServerFeed, SyncStore, pending_count
from tui_news.sync.client import SyncError
from tui_news.sync.credentials import read_password
from tui_news.sync.fever import fever_api_key

NEWS = ServerFeed(server_id=7, url="https://news.example/rss", title="News", category="Thời sự")


def item(server_id: int, *, read: bool = False, saved: bool = False,
         link: str | None = None) -> ServerEntry:
    link = link or f"https://news.example/{server_id}.html"
    return ServerEntry(server_id, 7, ParsedEntry(key=link, title=f"Bài {server_id}", link=link,
                                                 summary="", published=None), read, saved)


@pytest.fixture
def store(tmp_path: Path) -> SyncStore:
    s = SyncStore.open(tmp_path / "cache.sqlite3")
    s.use_server("server-a")
    s.store_server_feeds([NEWS], local_urls=())
    yield s
    s.close()


def ids(s: Store, **query: bool) -> set[int]:
    return set(s.ids(ArticleQuery(**query)))  # type: ignore[arg-type]


def test_every_way_of_marking_queues_a_mark_for_server_articles_only(store: SyncStore) -> None:
    store.store_server_items([item(1), item(2), item(3)], store.server_feed_urls(), since_id=3)
    store.ingest("https://local.example/rss", [ParsedEntry("local-1", "Tin riêng", None, "",
                                                           None)])
    a1, a2, a3 = sorted(store.ids(ArticleQuery()))[:3]
    local = max(store.ids(ArticleQuery()))
    assert pending_count(store) == 0  # storing the server's items queues nothing
    store.set_read([a1, local])
    store.set_starred([a2])
    store.mark_all_read(ArticleQuery(category="Thời sự"))
    marks = {(m.server_id, m.field, m.value) for m in store.pending_marks()}
    assert marks == {(1, "read", True), (2, "starred", True), (2, "read", True),
                     (3, "read", True)}
    store.set_read([a3], read=False)  # changed again before a sync: the newer value waits
    assert (3, "read", False) in {(m.server_id, m.field, m.value) for m in store.pending_marks()}


def test_a_mark_made_here_wins_over_the_servers_state_until_sent(store: SyncStore) -> None:
    store.store_server_items([item(1), item(2, saved=True), item(3)], store.server_feed_urls())
    by_server = dict(store._conn.execute("SELECT server_id, article_id FROM sync_items"))
    store.set_read([by_server[1]])
    # The server still says 1 unread, and now 3 read and 2 unsaved: 1 keeps the mark made here.
    changed = store.apply_server_state(unread={1, 2}, saved=set())
    assert changed == 2
    assert ids(store, unread_only=True) == {by_server[2]}
    assert ids(store, starred_only=True) == set()
    assert [(m.server_id, m.field) for m in store.pending_marks()] == [(1, "read")]
    # Sent (the server has it now): cleared, and the server's state rules again.
    store.mark_sent(store.pending_marks()[0])
    assert pending_count(store) == 0
    store.apply_server_state(unread={1}, saved=set())
    assert ids(store, unread_only=True) == {by_server[1]}
    assert pending_count(store) == 0  # the sync's own changes queue nothing


def test_a_mark_changed_while_it_was_sent_still_waits(store: SyncStore) -> None:
    store.store_server_items([item(1)], store.server_feed_urls())
    (article,) = store.ids(ArticleQuery())
    store.set_read([article])
    (sent,) = store.pending_marks()
    store.set_read([article], read=False)  # meanwhile, in the reader
    store.mark_sent(sent)
    assert [(m.field, m.value) for m in store.pending_marks()] == [("read", False)]


def test_an_article_also_in_a_local_feed_is_stored_once_and_keeps_its_state(
        store: SyncStore) -> None:
    link = "https://news.example/shared.html"
    store.ingest("https://local.example/rss", [ParsedEntry(link, "Chung", link, "", None)])
    (article,) = store.ids(ArticleQuery())
    store.set_read([article])
    store.set_starred([article])
    new = store.store_server_items([item(9, link=link)], store.server_feed_urls())
    assert new == 0 and store.ids(ArticleQuery()) == [article]
    # Read and starred here, unread and unsaved there: both marks go to the server.
    assert {(m.field, m.value) for m in store.pending_marks()} == {("read", True),
                                                                  ("starred", True)}


def test_another_server_forgets_the_ids_but_not_the_articles(store: SyncStore) -> None:
    store.store_server_items([item(1)], store.server_feed_urls(), since_id=1)
    store.set_read(store.ids(ArticleQuery()))
    assert store.use_server("server-b") is True
    assert pending_count(store) == 0 and store.since_id() == 0 and store.known_ids() == set()
    assert len(store.ids(ArticleQuery(unread_only=False))) == 1
    assert store.feeds() == []  # the old server's feed is no longer a subscription


def test_config_feeds_leave_the_servers_feeds_alone(store: SyncStore) -> None:
    store.sync_feeds([FeedConfig("https://local.example/rss", "Riêng")])
    feeds = {f.url: f.from_server for f in store.feeds()}
    assert feeds == {"https://local.example/rss": False, NEWS.url: True}


def test_upgrade_from_v4_keeps_read_state_and_adds_the_sync_tables(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, 0, 4)
    conn.execute("INSERT INTO articles (key, title, summary, first_seen, sort_time, read, "
                 "starred) VALUES ('old', 'Bão', '', 1, 1, 1, 1)")
    conn.close()
    s = SyncStore.open(path)
    assert s._version() == SCHEMA_VERSION >= 5
    assert s.ids(ArticleQuery(starred_only=True)) == [1]
    assert s.ids(ArticleQuery(unread_only=True)) == []
    assert s.pending_marks() == []
    s.close()


@pytest.mark.parametrize("table, expected", [
    ('[sync]\nurl = "ftp://x/fever"\napi_key = "0123456789abcdef0123456789abcdef"\n',
     ":2: sync.url 'ftp://x/fever' is not an http or https URL"),
    ('[sync]\nkind = "greader"\nurl = "https://x/"\napi_key = "0123456789abcdef0123456789abcdef"\n',
     ":2: sync.kind 'greader' is not supported"),
    ('[sync]\nurl = "https://x/fever/"\nuser = "me"\n',
     ":1: [sync] needs user and password_command, or api_key"),
    ('[sync]\nurl = "https://x/fever/"\nuser = "me"\npassword_command = "pass show rss"\n',
     ":4: sync.password_command must be an array"),
    ('[sync]\nurl = "https://x/fever/"\npassword_command = ["pass"]\n',
     "sync.password_command needs sync.user"),
    ('[sync]\nurl = "https://x/fever/"\napi_key = "secret"\n',
     ":3: sync.api_key must be the 32 hex digits"),
])
def test_sync_config_errors_name_the_line(tmp_path: Path, table: str, expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert expected in str(caught.value)
    assert "secret" not in str(caught.value)
    run = Cli(path, tmp_path / "data")("sync")
    assert run.status == 2 and expected in run.err


def test_sync_without_a_sync_table_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[network]\ntimeout = 5\n", encoding="utf-8")
    run = Cli(path, tmp_path / "data")("sync")
    assert run.status == 2 and "no [sync]" in run.err


def test_password_command_is_an_argument_list_never_a_shell(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    # As a shell would read it, this would create the marker file; as an argument list it is
    # a program name that does not exist.
    with pytest.raises(SyncError) as caught:
        read_password((f"touch {marker}; echo pw",))
    assert caught.value.kind == "config" and "not found" in str(caught.value)
    assert not marker.exists()
    assert read_password((sys.executable, "-c", "print('mật khẩu\\nsecond line')")) == "mật khẩu"
    with pytest.raises(SyncError) as failed:
        read_password((sys.executable, "-c", "print('leak'); raise SystemExit(3)"))
    assert "exit status 3" in str(failed.value) and "leak" not in str(failed.value)


def test_the_fever_key_is_md5_of_user_colon_password() -> None:
    # md5("user:password") of the UTF-8 bytes, lower-case hex (computed once with md5sum).
    assert fever_api_key("mai@example.vn", "mật khẩu") == "2dd2bbc4ebeda9966b845a675df9b680"


def test_sync_status_records_the_outcome(store: SyncStore) -> None:
    from tui_news.store_sync import sync_status

    when = datetime(2026, 12, 6, 7, 30, tzinfo=UTC)
    store.record_sync(None, at=when)
    store.record_sync("sync with https://x/: no answer", at=when.replace(minute=45))
    status = sync_status(store)
    assert status.last_ok == when and status.error == "sync with https://x/: no answer"


def test_purge_keeps_an_old_article_whose_mark_waits(store: SyncStore) -> None:
    store.store_server_items([item(1), item(2)], store.server_feed_urls())
    first, second = sorted(store.ids(ArticleQuery()))
    store.set_read([first])
    later = datetime.now(UTC).replace(year=datetime.now(UTC).year + 1)
    assert store.purge(30, now=later) == 1
    assert store.ids(ArticleQuery()) == [first]
    assert [m.server_id for m in store.pending_marks()] == [1]
