"""The refresh's processes: kill -9 of a real `tui-news refresh` leaves no helper behind
(forkserver, resource tracker, parser workers), so a `refresh | cat` pipeline ends; one deadline
bounds the whole refresh whatever the feeds do.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import Cli
from safety_helpers import good_feed, hostile_server, send_response, wait_for

from tui_news.store import Store

SRC = Path(__file__).resolve().parents[1] / "src"


def session_members(sid: int) -> list[int]:
    """Every live process of session `sid` (zombies are dead already)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(entry))
    return found


RELEASE = threading.Event()


def handler(conn: socket.socket, path: str, _headers: dict[str, str]) -> None:
    if path.startswith("/hang"):
        RELEASE.wait(60)  # never answers while the test runs
        return
    send_response(conn, good_feed(path.strip("/").replace(".xml", ""), 30),
                  {"Content-Type": "application/rss+xml"})


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_kill_9_of_a_refresh_leaves_no_process_behind(cli: Cli) -> None:
    with hostile_server(handler) as server:
        feeds = [(server.url(f"/good{n}.xml"), "Thời sự") for n in range(6)]
        feeds.append((server.url("/hang.xml"), "Thời sự"))
        cli.write_config(feeds, weather_url=server.url("/hang-weather"))
        # A timeout the test never reaches: the refresh is surely running when it is killed.
        cli.config.write_text(cli.config.read_text().replace("timeout = 5", "timeout = 120"))
        RELEASE.clear()
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui_news", "--config", str(cli.config), "--data-dir",
             str(cli.data_dir), "refresh"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        try:
            # The parser workers are up (forkserver, tracker, workers: more than 3 processes)
            # and the refresh still waits for the hanging feed.
            assert wait_for(lambda: len(session_members(proc.pid)) > 3, 30), "no helpers"
            helpers = set(session_members(proc.pid)) - {proc.pid}
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            assert wait_for(lambda: not session_members(proc.pid), 10), (
                f"left behind: {session_members(proc.pid)} of {sorted(helpers)}")
            assert proc.stdout is not None
            assert proc.stdout.read() == b""  # EOF: no helper holds the pipe open (| cat ends)
        finally:
            RELEASE.set()
            for pid in session_members(proc.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_refresh_that_ends_leaves_no_process_behind(cli: Cli) -> None:
    """The refresh ends with every helper gone (the forkserver, the parser workers, the resource
    tracker)."""
    with hostile_server(handler) as server:
        cli.write_config([(server.url(f"/good{n}.xml"), "Thời sự") for n in range(6)],
                         weather_url=server.url("/weather"))
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui_news", "--config", str(cli.config), "--data-dir",
             str(cli.data_dir), "refresh"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
            start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=120)
            assert "6/6 feeds refreshed: 180 new articles" in out, out
            assert wait_for(lambda: not session_members(proc.pid), 10), (
                f"left behind: {session_members(proc.pid)}")
        finally:
            for pid in session_members(proc.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def test_one_deadline_for_the_whole_refresh(cli: Cli) -> None:
    """Issue #16 case 5: 40 feeds whose server never answers, all on one host (4 connections
    at a time), `timeout = 5`. Each request's own deadline alone made that 10 rounds of 5 s; the
    refresh now ends at its one deadline, and every feed reports its own outcome."""
    with hostile_server(handler) as server:
        # The good feed first: it has one of the 4 slots from the start.
        feeds = [(server.url("/good0.xml"), "Thời sự")]
        feeds += [(server.url(f"/hang{n}.xml"), "Thời sự") for n in range(40)]
        cli.write_config(feeds, weather_url=server.url("/hang-weather"))
        text = cli.config.read_text(encoding="utf-8")  # 4 to a host (the default is 8)
        cli.config.write_text(text.replace("timeout = 5\n", "timeout = 5\nper_host = 4\n", 1),
                              encoding="utf-8")
        RELEASE.clear()
        try:
            started = time.monotonic()
            run = cli("refresh")
            elapsed = time.monotonic() - started
        finally:
            RELEASE.set()
    # 5 s, plus a few for the weather's grace and storing (10 rounds would be 50 s).
    assert elapsed < 25, elapsed
    lines = run.err.strip().splitlines()
    waited = [line for line in lines if "never got a connection slot" in line]
    assert len(waited) >= 30, run.err  # queued behind the 4 connections the host allows
    assert all("/hang" in line and "5 s" in line for line in waited), waited
    assert sum("/hang" in line for line in lines) == 40  # one line per feed, none lost
    assert "1/41 feeds refreshed" in run.out and "40 failed" in run.out, run.out
    with Store.open(cli.data_dir / "cache.sqlite3") as store:
        states = {s.url: s for s in store.feeds()}
    assert all(states[url].last_status == "error" for url, _ in feeds[1:])
    assert states[feeds[0][0]].article_count == 30


READER = """
import asyncio, sys
from pathlib import Path
from tui_news.config import load_config
from tui_news.refresh_process import run_refresh_process

async def main():
    print("started", flush=True)
    await run_refresh_process(load_config(Path(sys.argv[1])), Path(sys.argv[2]))

asyncio.run(main())
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_the_readers_refresh_child_dies_with_the_reader(cli: Cli) -> None:
    """The reader's refresh runs in a child process (refresh_process.py); the reader killed
    with SIGKILL takes that child with it. Its feeds hang: the child writes nothing to the dead
    reader's pipe, so only the parent-death signal can end it."""
    with hostile_server(handler) as server:
        feeds = [(server.url(f"/hang{n}.xml"), "Thời sự") for n in range(3)]
        cli.write_config(feeds, weather_url=server.url("/hang-weather"))
        cli.config.write_text(cli.config.read_text().replace("timeout = 5", "timeout = 120"))
        RELEASE.clear()
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        proc = subprocess.Popen(
            [sys.executable, "-c", READER, str(cli.config), str(cli.data_dir / "cache.sqlite3")],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        try:
            # The child is refreshing: its requests have reached the server.
            assert wait_for(lambda: len(server.requests) >= 3, 60), "no refresh child"
            assert len(session_members(proc.pid)) >= 2
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            assert wait_for(lambda: not session_members(proc.pid), 20), (
                f"left behind: {session_members(proc.pid)}")
        finally:
            RELEASE.set()
            for pid in session_members(proc.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


MAIN_SCRIPT = """
import os, sys
with open(sys.argv[1], "a", encoding="utf-8") as runs:  # every run of this file, by pid
    runs.write(f"{os.getpid()}\\n")

if __name__ == "__main__":
    import asyncio
    from pathlib import Path
    from tui_news.feeds import FeedParserPool

    async def main() -> int:
        pool = FeedParserPool(max_workers=2)
        pool.prepare()  # the forkserver boots now, in the background
        try:
            pool.start()
            feed = await pool.parse(Path(sys.argv[2]).read_bytes(), "http://bao.example.vn/a.rss")
            return len(feed.entries)
        finally:
            pool.shutdown()

    print(asyncio.run(main()))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the forkserver start method is Linux's")
def test_parser_workers_do_not_run_the_programs_main_script(tmp_path: Path) -> None:
    """A console script (`tui-news`) imports every command on its first line; multiprocessing
    runs the parent's main script again in each worker unless told not to (forkserver_init)."""
    script = tmp_path / "console_script.py"
    script.write_text(MAIN_SCRIPT, encoding="utf-8")
    feed = tmp_path / "feed.rss"
    feed.write_bytes(good_feed("w", 4))
    runs = tmp_path / "runs.txt"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, str(script), str(runs), str(feed)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.strip() == "4"  # a worker parsed the feed
    assert runs.read_text(encoding="utf-8").split() == [str(proc.pid)]  # the parent's run only
