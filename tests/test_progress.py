"""The refresh progress bar: drawn on a terminal (a real pty here), silent when piped."""

from __future__ import annotations

import io
import os

import pytest

from tui_news.progress import ProgressLine


def _read_all(master: int) -> str:
    """Everything written to the pty (its other end is closed): one read may return one write."""
    chunks = []
    try:
        while chunk := os.read(master, 65536):
            chunks.append(chunk)
    except OSError:  # EIO: nothing left and the other end is closed (Linux)
        pass
    finally:
        os.close(master)
    return b"".join(chunks).decode()


def test_progress_on_a_terminal_and_not_in_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    master, slave = os.openpty()
    with os.fdopen(slave, "w", encoding="utf-8") as tty:
        bar = ProgressLine(tty, "feeds")
        for done in range(1, 5):
            bar._last = 0.0  # draw every step (the bar redraws at most 20 times a second)
            bar.update(done, 4)
        bar.finish()
    drawn = _read_all(master)
    assert "[#######" in drawn and "   2/4 feeds" in drawn
    assert "[" + "#" * 30 + "]    4/4 feeds" in drawn
    assert drawn.endswith("\r" + " " * len("[" + "#" * 30 + "]    4/4 feeds") + "\r")  # cleared
    assert "\x1b" not in drawn  # no escape sequence at all (NO_COLOR, simple terminals)
    piped = io.StringIO()
    bar = ProgressLine(piped, "feeds")
    bar.update(1, 2)
    bar.finish()
    assert piped.getvalue() == ""


@pytest.mark.parametrize("term", ["dumb", ""])
def test_no_bar_on_a_terminal_that_cannot_redraw(monkeypatch: pytest.MonkeyPatch,
                                                 term: str) -> None:
    monkeypatch.setenv("TERM", term)
    master, slave = os.openpty()
    with os.fdopen(slave, "w", encoding="utf-8") as tty:
        bar = ProgressLine(tty, "feeds")
        bar.update(1, 2)
        bar.update(2, 2)
        bar.finish()
    assert _read_all(master) == ""
