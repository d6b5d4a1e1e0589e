"""A one-line progress bar for the command line, drawn only on a terminal that can redraw."""

from __future__ import annotations

import os
import time
from typing import TextIO


def can_redraw(out: TextIO) -> bool:
    """A terminal that moves back to the line start: not a pipe or file, not TERM=dumb."""
    return out.isatty() and os.environ.get("TERM", "") not in ("dumb", "")


class ProgressLine:
    """`[#######-----]  23/38 feeds` redrawn in place on a terminal; silent otherwise.

    Only `\\r` and spaces move and clear it: no escape sequence, so NO_COLOR and terminals
    without cursor control (TERM=dumb, where the bar is not drawn at all) get none."""

    WIDTH = 30

    def __init__(self, out: TextIO, unit: str) -> None:
        self.out, self.unit = out, unit
        self.active = can_redraw(out)
        self._last = 0.0
        self._drawn = 0  # characters on the line now

    def update(self, done: int, total: int) -> None:
        if not self.active or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.05:
            return  # redraw at most 20 times a second
        self._last = now
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"[{bar}] {done:>4}/{total} {self.unit}"
        self.out.write("\r" + line.ljust(self._drawn))
        self._drawn = max(self._drawn, len(line))
        self.out.flush()

    def finish(self) -> None:
        if self.active and self._drawn:
            self.out.write("\r" + " " * self._drawn + "\r")  # cleared for the summary line
            self.out.flush()
            self._drawn = 0
