"""The key-press reference measured in the same run: a minimal Line-API list in Textual.

PERFORMANCE.md's "key press 5–6 ms" is a `ScrollView` + `render_line` list measured elsewhere. This
is that list on this machine: 10,000 articles of two lines each in a bordered `ScrollView`, a
cursor moved by `j` (the two rows repainted, the view scrolled to keep the cursor in sight), no
database, no other widget. It is driven exactly as the reader is (`ui_latency.press`: key event
to composited frame, 10 ms between presses, same size), so the ratio between the two is what the
reader adds to what Textual itself costs here.

Child: python bench/ui_reference.py OUT.json --presses N
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

import ui_latency

ARTICLES = 10_000


def _app() -> object:
    from rich.segment import Segment
    from rich.style import Style
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.geometry import Region, Size
    from textual.scroll_view import ScrollView
    from textual.strip import Strip

    class ReferenceList(ScrollView, can_focus=True):
        BINDINGS = [Binding("j", "down")]
        DEFAULT_CSS = "ReferenceList { border: round $accent; height: 1fr; }"

        def __init__(self) -> None:
            super().__init__()
            self.cursor = 0
            self._plain = Style()
            self._reverse = Style(reverse=True)

        def on_mount(self) -> None:
            self.virtual_size = Size(self.size.width, ARTICLES * 2)

        def render_line(self, y: int) -> Strip:
            width = self.size.width
            line = int(self.scroll_y) + y
            index, part = divmod(line, 2)
            if index >= ARTICLES:
                return Strip.blank(width)
            text = (f"● Bài báo số {index} về thời tiết Hà Nội" if part == 0
                    else f"   VnExpress · {index % 60} phút trước")
            style = self._reverse if index == self.cursor else self._plain
            return Strip([Segment(text[:width].ljust(width), style)], width)

        def action_down(self) -> None:
            if self.cursor + 1 >= ARTICLES:
                return
            top = int(self.scroll_y)
            width = self.size.width
            self.refresh(Region(0, self.cursor * 2 - top, width, 2))
            self.cursor += 1
            self.refresh(Region(0, self.cursor * 2 - top, width, 2))
            self.scroll_to_region(Region(0, self.cursor * 2, 1, 2), animate=False,
                                  immediate=True)

    class ReferenceApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ReferenceList()

        def on_mount(self) -> None:
            self.query_one(ReferenceList).focus()

    return ReferenceApp()


async def _drive(presses: int) -> dict[str, list[float]]:
    app = _app()
    times: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=ui_latency.SIZE) as pilot:  # type: ignore[attr-defined]
        await pilot.pause()
        for _ in range(presses):
            c = time.process_time()
            times.append(await ui_latency.press(pilot, app))
            cpu.append((time.process_time() - c) * 1000)
            await asyncio.sleep(ui_latency.GAP_S)
    return {"times_ms": times, "cpu_ms": cpu}


def measure(presses: int, workdir: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run the child; wall and CPU p50/p99 of its presses (ms)."""
    out = workdir / "keys-reference.json"
    out.unlink(missing_ok=True)
    proc = subprocess.run([sys.executable, __file__, str(out), "--presses", str(presses)],
                          env=env or dict(os.environ), capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"reference list child exited {proc.returncode}: "
                           f"{proc.stderr.strip()[-600:]}")
    raw = json.loads(out.read_text())
    times, cpu = raw["times_ms"], raw["cpu_ms"]
    return {"n": len(times), "p50": statistics.median(times),
            "p99": ui_latency.percentile(times, 99), "cpu_p50": statistics.median(cpu),
            "cpu_p99": ui_latency.percentile(cpu, 99)}


def child(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(asyncio.run(_drive(args.presses))))
    return 0


if __name__ == "__main__":
    sys.exit(child(sys.argv[1:]))
