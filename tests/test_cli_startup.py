"""What every command's start-up imports: `tui-news refresh` from cron pays each module before its
first request (bench/RESULTS.md), so what only another command needs is imported by that one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# The TOML writer (add, remove, filter), importlib.metadata (paths), httpx's own command line
# (imported by httpx whenever click is installed, which the dev tools bring).
NOT_AT_START = ("tomlkit", "tui_news.config_write", "importlib.metadata", "click",
                "rich.progress", "httpx._main")


def test_the_command_line_imports_only_what_a_refresh_needs() -> None:
    code = ("import sys, tui_news.cli, tui_news.refresh\n"
            f"print(' '.join(m for m in {NOT_AT_START!r} if sys.modules.get(m) is not None))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC), "PATH": ""}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == []


def test_httpx_still_works_without_its_command_line() -> None:
    code = ("import tui_news.fetch, httpx\n"
            "r = httpx.Request('GET', 'http://127.0.0.1/')\n"
            "print(r.method, httpx.Client is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC), "PATH": ""}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["GET", "True"]
