"""The reader's refresh in a child process, at a lower CPU priority, with progress read back.

A refresh in a thread of the reader shares its GIL with fetching, ingest and the event loop of the
pipeline: key presses then waited behind it (PERFORMANCE.md: key p99 ≤ 50 ms while a 200-feed
refresh runs). The child runs `refresh.run_refresh` itself, niced (its parser processes inherit
the niceness), and writes one JSON line per finished feed and a last one with the summary.

Parent → child (stdin): a pickle of {config, db_path, categories, weather, nice}; it never crosses
a trust boundary (the reader writes it for its own child). Child → parent (stdout), one JSON
object a line: {"progress": [done, total]}, then {"summary": {...}} or {"error": "…"}. The summary
carries what the CLI prints after a refresh: each feed's outcome, the weather's error and the full
text's (`[offline] prefetch` when the extraction library cannot be loaded).

This module must not import Textual: the child imports it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pickle
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_news.models import FeedResult, RefreshSummary, SyncResult

if TYPE_CHECKING:
    from tui_news.config import Config

# Niceness of the child (and of its parser processes): the reader keeps the CPU it needs for a
# key press, the refresh takes the rest. With nobody else runnable it costs the refresh nothing.
REFRESH_NICE = 10
STDERR_TAIL = 2000  # characters of the child's stderr kept for an error message


class RefreshProcessError(Exception):
    """The child failed or died; str(e) is one line."""


async def run_refresh_process(
    config: Config,
    db_path: Path,
    *,
    categories: set[str] | None = None,
    weather: bool = True,
    progress: Callable[[int, int], None] | None = None,
    nice: int = REFRESH_NICE,
) -> RefreshSummary:
    """Run the refresh in a child process; `progress(done, total)` per finished feed."""
    request = pickle.dumps(
        {
            "config": config,
            "db_path": Path(db_path),
            "categories": categories,
            "weather": weather,
            "nice": nice,
        }
    )
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    # A process group of its own (the terminal's signals are not for it), but the reader's
    # session: Linux's autogroup scheduling shares the CPU between sessions as equals, which
    # would undo the child's niceness (a new session got half the CPU whatever its nice, and
    # key presses during a refresh waited up to 100 ms).
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tui_news.refresh_process",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        process_group=0,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    stderr_task = asyncio.ensure_future(proc.stderr.read())
    summary: RefreshSummary | None = None
    error: str | None = None
    try:
        proc.stdin.write(request)
        await proc.stdin.drain()
        proc.stdin.close()
        while line := await proc.stdout.readline():
            try:
                message = json.loads(line)
            except ValueError:
                continue  # not ours (a stray print of a library): ignored
            if "progress" in message:
                if progress is not None:
                    done, total = message["progress"]
                    progress(int(done), int(total))
            elif "summary" in message:
                summary = _summary(message["summary"])
            elif "error" in message:
                error = str(message["error"])
        if summary is not None:
            # The child goes on to index the new articles for search, which the reader need
            # not wait for (Store.index_pending; a search meanwhile indexes what is left).
            _reap_later(proc, stderr_task)
            return summary
        status = await proc.wait()
    except BaseException:  # cancelled (the reader quits): the child stops too
        if proc.returncode is None:
            proc.terminate()
        stderr_task.cancel()
        raise
    stderr = (await stderr_task).decode("utf-8", "replace")
    if error is None:
        last = stderr.strip().splitlines()[-1:] or [f"exit status {status}"]
        error = f"refresh process failed: {last[0][:STDERR_TAIL]}"
    raise RefreshProcessError(error)


_reaping: set[asyncio.Future[Any]] = set()  # strong references until each child has exited


def _reap_later(proc: asyncio.subprocess.Process, stderr_task: asyncio.Future[bytes]) -> None:
    async def reap() -> None:
        with contextlib.suppress(Exception):
            await proc.wait()
            await stderr_task

    task = asyncio.ensure_future(reap())
    _reaping.add(task)
    task.add_done_callback(_reaping.discard)


def _summary(data: dict[str, Any]) -> RefreshSummary:
    results = tuple(
        FeedResult(str(r["url"]), str(r["status"]), int(r.get("new") or 0), r.get("error"))
        for r in data["results"]
    )
    synced = data.get("sync")
    sync = None
    if isinstance(synced, dict):
        sync = SyncResult(new=int(synced.get("new") or 0), sent=int(synced.get("sent") or 0),
                          changed=int(synced.get("changed") or 0),
                          more=bool(synced.get("more")), error=synced.get("error"))
    return RefreshSummary(
        results=results,
        weather_error=data.get("weather_error"),
        full_text_error=data.get("full_text_error"),
        sync=sync,
    )


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _stop(signum: int, frame: object) -> None:
    # Unwind like Ctrl-C: the pipeline's `finally` blocks shut the parser processes down.
    raise KeyboardInterrupt


def child_main() -> int:
    request = pickle.loads(sys.stdin.buffer.read())
    nice = int(request.get("nice") or 0)
    if nice and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(nice)
    signal.signal(signal.SIGTERM, _stop)
    from tui_news.lifeline import die_with_parent

    die_with_parent(signal.SIGTERM)  # the reader killed: this refresh stops too (cleanly)

    from tui_news.refresh import run_refresh

    def progress(done: int, total: int, result: FeedResult) -> None:
        _send({"progress": [done, total]})

    sent: list[bool] = []

    def send_summary(summary: RefreshSummary) -> None:
        _send(
            {
                "summary": {
                    "results": [
                        {"url": r.url, "status": r.status, "new": r.new, "error": r.error}
                        for r in summary.results
                    ],
                    "weather_error": summary.weather_error,
                    # [offline] prefetch without a loadable extractor: said once, as by the CLI
                    "full_text_error": summary.full_text_error,
                    "sync": None if summary.sync is None else {
                        "new": summary.sync.new, "sent": summary.sync.sent,
                        "changed": summary.sync.changed, "more": summary.sync.more,
                        "error": summary.sync.error,
                    },
                }
            }
        )
        sent.append(True)
        sys.stdout.close()  # the reader has all it waits for; what follows is upkeep

    try:
        # After the summary: this refresh's new articles, and any a `tui-news refresh` from
        # cron left waiting, go into the search indexes (the reader does not wait for it).
        run_refresh(
            request["config"],
            request["db_path"],
            categories=request["categories"],
            weather=request["weather"],
            progress=progress,
            on_done=send_summary,
        )
    except KeyboardInterrupt:  # stopped: what is not indexed yet waits for the next search
        return 130
    except Exception as exc:  # the pipeline's fault: one line for the status bar
        if sent:
            return 1  # the summary is out; the upkeep after it failed
        _send({"error": str(exc) or type(exc).__name__})
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(child_main())
    except BrokenPipeError:  # the reader went away
        sys.exit(1)
