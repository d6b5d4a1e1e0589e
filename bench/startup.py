"""Start-up to first paint, and resident memory after it, for the reader and a minimal Textual app.

Both apps run the same way in a fresh process: headless (no terminal), the same size, and the same
hook on `App._display`, Textual's one place where a finished frame goes to the driver. The first
paint is the first frame of a screen that has widgets (the reader's empty default screen, shown
for an instant before its main screen mounts, does not count). The parent takes the time from just
before spawning the process; the child writes CLOCK_MONOTONIC (system-wide on Linux) at the paint.

Child: python bench/startup.py reader|minimal OUT.json [--config C --data-dir D]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

SIZE = (160, 48)
SETTLE_S = 1.0  # after the first paint, wait this long (or until the list has rows) for memory


def rss_mib(pid: int | str = "self") -> tuple[float, float]:
    """(VmRSS, VmHWM) in MiB from /proc."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def _list_rows(screen: object) -> int:
    """How many articles the screen's article list holds (0 when there is none)."""
    try:
        for widget in screen.walk_children():  # type: ignore[attr-defined]
            if type(widget).__name__ == "ArticleList":
                return len(widget.ids)
    except Exception:
        return 0
    return 0


def _install_hooks(out: Path) -> None:
    import textual.app as ta

    state: dict[str, float | int | None] = {"paint": None, "rows_paint": None, "rows": 0}
    original_display = ta.App._display
    original_run = ta.App.run

    def finish(app: ta.App) -> None:
        rss, hwm = rss_mib()
        state.update(rss_mib=rss, hwm_mib=hwm, frames=state.get("frames", 0))
        out.write_text(json.dumps(state))
        os._exit(0)

    def display(self: ta.App, screen: object, renderable: object) -> None:
        original_display(self, screen, renderable)
        if renderable is None or self._batch_count:
            return
        now = time.monotonic()
        if state["paint"] is None:
            if not list(screen.children):  # type: ignore[attr-defined]
                return  # an empty screen is not a first paint
            state["paint"] = now
            state["rss_paint_mib"] = rss_mib()[0]
            self.set_timer(SETTLE_S, lambda: finish(self))
        if state["rows_paint"] is None:
            rows = _list_rows(screen)
            if rows:
                state["rows_paint"], state["rows"] = now, rows

    def run(self: ta.App, *args: object, **kwargs: object) -> object:
        kwargs.update(headless=True, size=SIZE)
        return original_run(self, *args, **kwargs)  # type: ignore[arg-type]

    ta.App._display = display  # type: ignore[method-assign]
    ta.App.run = run  # type: ignore[method-assign]

    def watchdog() -> None:
        time.sleep(120)
        out.write_text(json.dumps({"error": "no first paint within 120 s"}))
        os._exit(3)

    threading.Thread(target=watchdog, daemon=True).start()


def _minimal() -> int:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("Xin chào")

    Minimal().run()
    return 0


def child(argv: list[str]) -> int:
    mode, out = argv[0], Path(argv[1])
    _install_hooks(out)
    if mode == "minimal":
        return _minimal()
    from tui_news.cli import main  # what the `tui-news` console script runs

    return int(main([*argv[2:], "--offline"]) or 0)


def measure(mode: str, runs: int, workdir: Path, extra: list[str] | None = None,
            env: dict[str, str] | None = None) -> dict[str, object]:
    """Median start-up (s) over `runs` fresh processes, and the memory of the last one."""
    times, rows_times, results = [], [], []
    for i in range(runs):
        out = workdir / f"startup-{mode}-{i}.json"
        out.unlink(missing_ok=True)
        cmd = [sys.executable, __file__, mode, str(out), *(extra or [])]
        # On a terminal, as a user starts it (the reader refuses to open without one); the
        # child draws headless, so nothing is written to it.
        master, terminal = os.openpty()
        t0 = time.monotonic()
        try:
            proc = subprocess.run(cmd, env=env, stdin=terminal, stdout=terminal,
                                  stderr=subprocess.PIPE, text=True, timeout=180)
        finally:
            os.close(terminal)
            os.close(master)
        if not out.exists():
            raise RuntimeError(f"start-up child ({mode}) wrote nothing; exit {proc.returncode}: "
                               f"{proc.stderr.strip()[-400:]}")
        result = json.loads(out.read_text())
        if "error" in result or result.get("paint") is None:
            raise RuntimeError(f"start-up child ({mode}): {result.get('error', 'no paint')}")
        times.append(result["paint"] - t0)
        if result.get("rows_paint"):
            rows_times.append(result["rows_paint"] - t0)
        results.append(result)
    last = results[-1]
    return {"first_paint_s": statistics.median(times), "all_s": times,
            "rows_paint_s": statistics.median(rows_times) if rows_times else None,
            "rows": last.get("rows", 0), "rss_mib": last["rss_mib"],
            "rss_paint_mib": last.get("rss_paint_mib"), "hwm_mib": last["hwm_mib"]}


if __name__ == "__main__":
    sys.exit(child(sys.argv[1:]))
