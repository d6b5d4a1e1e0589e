"""Key-press latency in the reader, per press, the first press included: from handing the key
event to the driver until every widget has handled the messages it caused and the frame is
composited (`Screen._on_timer_update`, what Textual's refresh timer runs). The press is over when
every message queue of the app and the screen is empty, no widget holds back a repaint, and the
screen has nothing left to paint; the loop that looks yields to the event loop and posts nothing.

`await pilot.press("j"); await pilot.pause()` is not used for the figure: Pilot sleeps in
`wait_for_idle` (20 ms slices, three per press+pause), so it cannot report less than ~60 ms
whatever the app does; its figure is reported alongside for comparison.

The app is the one `run_app` builds (App.run is intercepted to hand over the instance), driven by
Textual's Pilot in headless mode. With --during-refresh the app is started online, so it starts
its own refresh worker after the first paint (as a user would see it); keys are pressed for as
long as that worker runs.

Child: python bench/ui_latency.py OUT.json --config C --data-dir D --presses N [--during-refresh]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SIZE = (160, 48)
GAP_S = 0.01  # between presses: a held key repeats every 30-40 ms; 10 ms lets timers run


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def _build_app(config_path: Path, data_dir: Path, offline: bool) -> object:
    import textual.app as ta

    from tui_news import paths
    from tui_news.config import load_config
    from tui_news.ui.app import run_app

    captured: list[ta.App] = []

    def capture(self: ta.App, *args: object, **kwargs: object) -> int:
        captured.append(self)
        return 0

    original = ta.App.run
    ta.App.run = capture  # type: ignore[method-assign]
    try:
        config = load_config(config_path)
        run_app(config, paths.database(data_dir), offline=offline, lang="vi")
    finally:
        ta.App.run = original  # type: ignore[method-assign]
    return captured[0]


def _article_list(app: object) -> object | None:
    for widget in app.screen.walk_children():  # type: ignore[attr-defined]
        if type(widget).__name__ == "ArticleList":
            return widget
    return None


async def press(pilot: object, app: object, key: str = "j") -> float:
    """One key press, handled and painted; milliseconds."""
    from textual import events

    t = time.perf_counter()
    event = events.Key(key, key)
    event.set_sender(app)  # type: ignore[arg-type]
    app._driver.send_message(event)  # type: ignore[attr-defined]
    # A key is forwarded to the focused widget and bubbles back up to the app, a queue at each
    # step, before a binding runs; a widget then tells the screen it needs painting from its
    # idle handler. So the loop runs until every queue is empty and no widget holds back a
    # repaint, compositing whenever the screen has something to paint (what the screen's
    # 60 Hz timer would do next). Looking costs a walk of the screen's widgets per turn of the
    # event loop, no message. (Until 2026-12-07 the figure was two rounds of Pilot's
    # `_wait_for_screen` then one composite: about half of the frames were painted by the
    # screen's own timer in the gap after the press, outside the time.)
    seen = False
    quiet = 0
    pumps = [app, *app.screen.walk_children(with_self=True)]  # type: ignore[attr-defined]
    for _ in range(100_000):
        await asyncio.sleep(0)
        if _busy(pumps):
            seen, quiet = True, 0
        elif _screen_pending(app):
            app.screen._on_timer_update()  # type: ignore[attr-defined]
            quiet = 0
        elif seen:
            quiet += 1
            if quiet >= 3:
                break
    return (time.perf_counter() - t) * 1000


def _screen_pending(app: object) -> bool:
    """Whether the screen has a layout or widgets to paint."""
    screen = app.screen  # type: ignore[attr-defined]
    return bool(screen._dirty_widgets or screen._layout_required or screen._scroll_required
                or screen._repaint_required)


def _busy(pumps: list[object]) -> bool:
    """Whether a message waits in a queue, or a widget has asked for a repaint it has not yet
    handed to the screen."""
    return any(not p._message_queue.empty()  # type: ignore[attr-defined]
               or getattr(p, "_repaint_required", False) or getattr(p, "_layout_required", False)
               or getattr(p, "_scroll_required", False) for p in pumps)


async def pilot_press(pilot: object) -> float:
    """The same with Pilot's own press + pause (includes its idle-polling sleeps)."""
    t = time.perf_counter()
    await pilot.press("j")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return (time.perf_counter() - t) * 1000


def _refreshing(app: object) -> bool:
    return any(w.name == "refresh_feeds" and not w.is_finished
               for w in app.workers)  # type: ignore[attr-defined]


async def drive(app: object, presses: int, during_refresh: bool) -> dict[str, object]:
    times: list[float] = []
    cpu: list[float] = []  # the process's CPU time over each press (less noisy on a busy machine)
    pilot_times: list[float] = []
    t_start = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:  # type: ignore[attr-defined]
        await pilot.pause()
        deadline = time.monotonic() + 30
        articles = _article_list(app)
        while (articles is None or not articles.ids) and time.monotonic() < deadline:
            await pilot.pause(0.05)
            articles = _article_list(app)
        rows = len(articles.ids) if articles is not None else 0
        start_cursor = getattr(articles, "cursor", None)
        refresh_seen = False
        refresh_s = before_s = None
        if during_refresh:
            deadline = time.monotonic() + 30
            while not _refreshing(app) and time.monotonic() < deadline:
                await pilot.pause(0.01)
            refresh_seen = _refreshing(app)
            t_refresh = time.perf_counter()
            before_s = t_refresh - t_start
            while _refreshing(app) and len(times) < presses:
                c = time.process_time()
                times.append(await press(pilot, app))
                cpu.append((time.process_time() - c) * 1000)
                await asyncio.sleep(GAP_S)
            while _refreshing(app) and time.monotonic() < deadline + 600:
                await pilot.pause(0.05)
            refresh_s = time.perf_counter() - t_refresh
        else:
            for _ in range(presses):
                c = time.process_time()
                times.append(await press(pilot, app))
                cpu.append((time.process_time() - c) * 1000)
                await asyncio.sleep(GAP_S)
            for _ in range(min(20, presses)):
                pilot_times.append(await pilot_press(pilot))
        end_cursor = getattr(_article_list(app), "cursor", None)
    return {"times_ms": times, "cpu_ms": cpu, "pilot_ms": pilot_times, "rows": rows,
            "start_cursor": start_cursor,
            "end_cursor": end_cursor, "refresh_seen": refresh_seen, "refresh_s": refresh_s,
            "app_start_to_presses_s": before_s}


def child(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--during-refresh", action="store_true")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args(argv)
    app = _build_app(args.config, args.data_dir, offline=not args.during_refresh)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    result = asyncio.run(drive(app, args.presses, args.during_refresh))
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(args.profile))
    args.out.write_text(json.dumps(result))
    return 0


def measure(config: Path, data_dir: Path, presses: int, workdir: Path, *,
            during_refresh: bool = False, env: dict[str, str] | None = None,
            profile: Path | None = None) -> dict[str, object]:
    """Run the child; p50/p99/max/first of its key presses (ms)."""
    out = workdir / f"keys-{'refresh' if during_refresh else 'idle'}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, __file__, str(out), "--config", str(config), "--data-dir",
           str(data_dir), "--presses", str(presses)]
    if during_refresh:
        cmd.append("--during-refresh")
    if profile:
        cmd += ["--profile", str(profile)]
    proc = subprocess.run(cmd, env=env or dict(os.environ), capture_output=True, text=True,
                          timeout=900, stdin=subprocess.DEVNULL)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"key-press child exited {proc.returncode}: "
                           f"{proc.stderr.strip()[-600:]}")
    result = json.loads(out.read_text())
    times = result["times_ms"]
    if not times:
        raise RuntimeError("no key presses were timed"
                           + (" (the refresh never started)" if during_refresh else ""))
    result.update(n=len(times), p50=statistics.median(times), p99=percentile(times, 99),
                  max=max(times), first=times[0])
    if result.get("cpu_ms"):
        result.update(cpu_p50=statistics.median(result["cpu_ms"]),
                      cpu_p99=percentile(result["cpu_ms"], 99))
    if result.get("pilot_ms"):
        result["pilot_p50"] = statistics.median(result["pilot_ms"])
    return result


if __name__ == "__main__":
    sys.exit(child(sys.argv[1:]))
