"""tui-news refresh through the real CLI, in a subprocess:
`tui-news --config C --data-dir D refresh`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def tui_news_binary() -> str:
    """The console script next to the running interpreter (the project's venv)."""
    candidate = Path(sys.executable).with_name("tui-news")
    return str(candidate) if candidate.exists() else (shutil.which("tui-news") or "tui-news")


class CliRefresh:
    """Runs `tui-news refresh` with its own config, data dir and HOME under `root`."""

    def __init__(self, root: Path, config_text: str) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.config = root / "config.toml"
        self.config.write_text(config_text, encoding="utf-8")
        self.data = root / "data"
        self.env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        self.env.update(HOME=str(root), XDG_CONFIG_HOME=str(root / ".config"),
                        XDG_CACHE_HOME=str(root / ".cache"), XDG_DATA_HOME=str(root / ".data"),
                        no_proxy="*")
        self.last_summary = ""

    def fresh(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)

    def refresh(self) -> float:
        """Seconds for one refresh; raises when it fails."""
        return self._run("refresh")

    def refresh_timed(self) -> tuple[float, float]:
        """(seconds to the summary line, seconds to the exit) of one refresh.

        After its summary `tui-news refresh` indexes the new articles for search: the line is
        when the refresh is done for whoever reads it, the exit when a shell prompt comes back.
        """
        cmd = [tui_news_binary(), "--config", str(self.config), "--data-dir", str(self.data),
               "refresh"]
        errors = self.root / "refresh-stderr.txt"
        with errors.open("w+", encoding="utf-8") as err_file:  # a file: it never blocks
            t = time.perf_counter()
            proc = subprocess.Popen(cmd, env=self.env, stdout=subprocess.PIPE, stderr=err_file,
                                    text=True, stdin=subprocess.DEVNULL)
            assert proc.stdout is not None
            summary = proc.stdout.readline()
            to_summary = time.perf_counter() - t
            rest, _ = proc.communicate(timeout=600)
            to_exit = time.perf_counter() - t
        err = errors.read_text(encoding="utf-8", errors="replace")
        self.last_summary = (summary + rest).strip().splitlines()[-1] if summary else ""
        if proc.returncode != 0:
            raise RuntimeError(f"tui-news refresh exited {proc.returncode}: "
                               f"{(err or summary).strip()[:300]}")
        return to_summary, to_exit

    def search(self, text: str) -> float:
        """Seconds for `tui-news articles --search TEXT --limit 50` (it indexes what waits)."""
        return self._run("articles", "--search", text, "--limit", "50")

    def _run(self, *args: str) -> float:
        cmd = [tui_news_binary(), "--config", str(self.config), "--data-dir", str(self.data),
               *args]
        t = time.perf_counter()
        out = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=600,
                             stdin=subprocess.DEVNULL)
        elapsed = time.perf_counter() - t
        self.last_summary = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
        if out.returncode != 0:
            raise RuntimeError(f"tui-news {args[0]} exited {out.returncode}: "
                               f"{(out.stderr or out.stdout).strip()[:300]}")
        return elapsed
