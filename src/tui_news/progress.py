"""A one-line progress bar for the command line, drawn only on a terminal."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressLine:
    """`[#######-----]  23/38 feeds` redrawn in place on a TTY; silent otherwise."""

    WIDTH = 30

    def __init__(self, out: TextIO, unit: str) -> None:
        self.out, self.unit = out, unit
        self.active = out.isatty()
        self._last = 0.0

    def update(self, done: int, total: int) -> None:
        if not self.active or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.05:
            return  # redraw at most 20 times a second
        self._last = now
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.out.write(f"\r[{bar}] {done:>4}/{total} {self.unit}")
        self.out.flush()

    def finish(self) -> None:
        if self.active:
            self.out.write("\r\x1b[2K")  # our own erase-line, never data
            self.out.flush()
