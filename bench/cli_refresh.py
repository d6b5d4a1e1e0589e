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
