"""Sync faults against a real coldsweat server: wrong credentials, the server down (marks made
meanwhile arrive after it restarts, once each), garbage and truncated answers, a kill -9 in the
middle of a sync. Each leaves both caches consistent, loses no mark, duplicates no article, and
the next sync completes."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Cli
from pytest_httpserver import HTTPServer
from sync_helpers import (
    PASSWORD,
    TOTAL_ITEMS,
    Coldsweat,
    FeverProxy,
    api_key,
    sync_config,
    wait_for,
)

DB = "cache.sqlite3"


@pytest.fixture
def own_server(coldsweat: Coldsweat, tmp_path: Path) -> Iterator[Coldsweat]:
    """A second server process on the session's database, for a test to stop and restart."""
    server = Coldsweat(coldsweat.workdir, coldsweat.site)
    server.start()
    yield server
    server.close()


@pytest.fixture
def proxy(coldsweat: Coldsweat, httpserver: HTTPServer) -> FeverProxy:
    p = FeverProxy(coldsweat.url)
    httpserver.expect_request(re.compile(".*")).respond_with_handler(p.handle)
    return p


def state(cli: Cli) -> dict[str, tuple[bool, bool]]:
    """title → (read, starred) of every article, from the cache file itself."""
    conn = sqlite3.connect(cli.data_dir / DB)
    try:
        return {t: (bool(r), bool(s)) for t, r, s in
                conn.execute("SELECT title, read, starred FROM articles")}
    finally:
        conn.close()


def pending(cli: Cli) -> int:
    conn = sqlite3.connect(cli.data_dir / DB)
    try:
        return int(conn.execute("SELECT count(*) FROM sync_items WHERE read_mark IS NOT NULL "
                                "OR starred_mark IS NOT NULL").fetchone()[0])
    finally:
        conn.close()


def assert_consistent(cli: Cli, *, complete: bool = False) -> None:
    """The cache is whole: integrity, foreign keys, every server article once and mapped."""
    conn = sqlite3.connect(cli.data_dir / DB)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        mapped = conn.execute("SELECT count(DISTINCT article_id) FROM sync_items").fetchone()[0]
        titles = conn.execute("SELECT count(DISTINCT title) FROM articles").fetchone()[0]
        assert articles == mapped == titles  # no article without its server id, none twice
        assert articles <= TOTAL_ITEMS
        if complete:
            assert articles == TOTAL_ITEMS
    finally:
        conn.close()


def ids_of(cli: Cli, *titles: str) -> list[str]:
    conn = sqlite3.connect(cli.data_dir / DB)
    try:
        return [str(conn.execute("SELECT id FROM articles WHERE title = ?", (t,)).fetchone()[0])
                for t in titles]
    finally:
        conn.close()


def one_line_error(run: object, *words: str) -> str:
    err = run.err  # type: ignore[attr-defined]
    assert run.status == 1, err  # type: ignore[attr-defined]
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def ok(cli: Cli) -> str:
    run = cli("sync")
    assert run.status == 0 and run.err == "", run.err
    return run.out


def test_wrong_credentials_one_line_nothing_changed_then_sync_completes(
        tmp_path: Path, coldsweat: Coldsweat, account: str) -> None:
    good = Cli(sync_config(tmp_path / "good.toml", coldsweat.url, account), tmp_path / "a")
    ok(good)
    good("mark", *ids_of(good, "Tin Thời sự 5"), "--read")
    before = state(good)
    bad = Cli(sync_config(tmp_path / "bad.toml", coldsweat.url, account,
                          password="wrong-password"), tmp_path / "a")
    run = bad("sync")
    line = one_line_error(run, "wrong user or password", coldsweat.url)
    assert "wrong-password" not in line and PASSWORD not in line
    assert state(good) == before and pending(good) == 1
    assert_consistent(good, complete=True)
    # A refresh says it too, and exits 1: nothing came from anywhere.
    run = bad("refresh")
    assert run.status == 1
    assert "wrong user or password" in run.err and "feed server: sync failed" in run.out
    assert "1 marks sent" in ok(good)
    assert pending(good) == 0


def test_server_down_marks_wait_and_arrive_after_restart_once_each(
        tmp_path: Path, own_server: Coldsweat, account: str) -> None:
    config = sync_config(tmp_path / "config.toml", own_server.url, account)
    a, b = Cli(config, tmp_path / "a"), Cli(config, tmp_path / "b")
    ok(a)
    ok(b)
    own_server.stop()
    assert a("mark", *ids_of(a, "Tin Thời sự 10", "Tin Thời sự 11", "Tin Kinh tế 2"),
             "--read").status == 0
    assert a("mark", *ids_of(a, "Tin Kinh tế 4"), "--star").status == 0
    before = state(a)
    one_line_error(a("sync"), own_server.url)
    run = a("--offline", "sync")
    one_line_error(run, "--offline", "4 marks wait")
    assert state(a) == before and pending(a) == 4
    assert_consistent(a, complete=True)
    own_server.start()
    assert "4 marks sent" in ok(a)
    assert "0 marks sent" in ok(a)  # once each
    assert pending(a) == 0
    ok(b)
    there = state(b)
    assert there["Tin Thời sự 10"] == (True, False) and there["Tin Kinh tế 2"] == (True, False)
    assert there["Tin Kinh tế 4"] == (False, True) and there["Tin Thời sự 12"] == (False, False)
    assert_consistent(b, complete=True)


@pytest.mark.parametrize("command, answer", [
    ("groups", b"<html><body>Bad gateway</body></html>"),
    ("items", b'{"api_version": 3, "auth": 1, "items": [{"id": 1, "feed_id": 1, "tit'),
    ("items", b'{"api_version": 3, "auth": 1, "items": [{"id": "x"}]}'),
    ("unread_item_ids", b'{"api_version": 3, "auth": 1, "unread_item_ids": [1, 2]}'),
    ("mark", b"\x00\xff garbage"),
])
def test_garbage_or_truncated_answer_leaves_the_cache_consistent(
        tmp_path: Path, proxy: FeverProxy, httpserver: HTTPServer, account: str,
        command: str, answer: bytes) -> None:
    url = httpserver.url_for("/fever/")
    cli = Cli(sync_config(tmp_path / "config.toml", url, account), tmp_path / "a")
    ok(cli)
    cli("mark", *ids_of(cli, "Tin Thời sự 20"), "--read")
    before = state(cli)
    proxy.fault = (command, answer)
    one_line_error(cli("sync"), url)
    assert_consistent(cli, complete=True)
    # The mark was sent unless the fault came before (groups) or was the mark's own answer.
    assert pending(cli) == (1 if command in ("groups", "mark") else 0)
    assert state(cli) == before
    proxy.fault = None
    ok(cli)
    assert pending(cli) == 0
    assert_consistent(cli, complete=True)
    assert state(cli)["Tin Thời sự 20"] == (True, False)


def _sync_process(config: Path, data: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tui_news", "--config", str(config),
                             "--data-dir", str(data), "sync"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _kill_9_when(proc: subprocess.Popen[bytes], condition: Callable[[], bool]) -> None:
    """kill -9 the sync once `condition` holds (never leaving the process behind)."""
    try:
        wait_for(condition, 60)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_kill_9_in_the_middle_of_paging_then_the_next_sync_completes(
        tmp_path: Path, proxy: FeverProxy, httpserver: HTTPServer, account: str) -> None:
    url = httpserver.url_for("/fever/")
    config = sync_config(tmp_path / "config.toml", url, account)
    cli = Cli(config, tmp_path / "a")
    proxy.delay = ("items", 2.0)  # every page waits: the first is stored before the second

    def first_page_stored() -> bool:
        try:
            conn = sqlite3.connect(cli.data_dir / DB, timeout=0.1)
            try:
                return bool(conn.execute("SELECT count(*) FROM sync_items").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error:
            return False

    _kill_9_when(_sync_process(config, cli.data_dir), first_page_stored)
    assert_consistent(cli)
    stored = len(state(cli))
    assert 0 < stored < TOTAL_ITEMS
    proxy.delay = None
    out = ok(cli)
    assert f"{TOTAL_ITEMS - stored} new articles" in out
    assert_consistent(cli, complete=True)


def test_kill_9_while_marks_are_sent_loses_none(
        tmp_path: Path, proxy: FeverProxy, httpserver: HTTPServer, coldsweat: Coldsweat,
        account: str) -> None:
    url = httpserver.url_for("/fever/")
    config = sync_config(tmp_path / "config.toml", url, account)
    a, b = Cli(config, tmp_path / "a"), Cli(config, tmp_path / "b")
    ok(a)
    titles = [f"Tin Thời sự {n}" for n in range(30, 36)]
    assert a("mark", *ids_of(a, *titles), "--read").status == 0
    proxy.seen.clear()
    proxy.delay = ("mark", 0.7)
    _kill_9_when(_sync_process(config, a.data_dir), lambda: proxy.seen.count("mark") >= 2)
    assert_consistent(a, complete=True)
    assert 0 < pending(a) <= 6
    assert all(state(a)[t][0] for t in titles)  # still read here
    proxy.delay = None
    ok(a)
    assert pending(a) == 0
    # The server has every one of them: a fresh cache sees them read.
    ok(b)
    assert all(state(b)[t] == (True, False) for t in titles)
    assert not state(b)["Tin Thời sự 36"][0]
    assert api_key(account) not in (a.data_dir / DB).read_bytes().decode("latin-1")


def test_the_guarded_client_a_redirect_is_not_followed_a_silent_server_times_out(
        tmp_path: Path, proxy: FeverProxy, httpserver: HTTPServer, account: str) -> None:
    url = httpserver.url_for("/fever/")
    path = sync_config(tmp_path / "config.toml", url, account)
    path.write_text(path.read_text(encoding="utf-8").replace("timeout = 5", "timeout = 1"),
                    encoding="utf-8")
    cli = Cli(path, tmp_path / "a")
    ok(cli)
    before = state(cli)
    # The sync's POST (its form carries the key) is never resent to another place.
    elsewhere = HTTPServer(host="127.0.0.1", port=0)
    elsewhere.expect_request(re.compile(".*")).respond_with_data("{}")
    elsewhere.start()
    try:
        httpserver.clear()
        httpserver.expect_request(re.compile(".*")).respond_with_data(
            "", status=307, headers={"Location": elsewhere.url_for("/fever/")})
        one_line_error(cli("sync"), "redirected elsewhere")
        assert elsewhere.log == []
    finally:
        elsewhere.stop()
    httpserver.clear()
    httpserver.expect_request(re.compile(".*")).respond_with_handler(proxy.handle)
    proxy.delay = ("groups", 3.0)  # longer than the whole-request deadline of 1 s
    one_line_error(cli("sync"), "timed out")
    assert state(cli) == before
    proxy.delay = None
    wait_for(lambda: proxy.answered == len(proxy.seen))  # the held request has ended
    ok(cli)
    assert_consistent(cli, complete=True)
