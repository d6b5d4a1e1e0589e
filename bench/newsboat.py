"""newsboat as the reference: install Debian's package if missing, time `newsboat -x reload`."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path


def ensure_newsboat(install: bool = True) -> str | None:
    """The newsboat binary, installing Debian's package when missing; None if unavailable."""
    found = shutil.which("newsboat")
    if found or not install:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, timeout=300,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", "newsboat"], check=True, env=env,
                       timeout=600, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return shutil.which("newsboat")


def version(binary: str) -> str:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    first = (out.stdout or out.stderr).splitlines()[:1]
    return first[0].split(" - ")[0].strip() if first else "unknown"


class Newsboat:
    """One newsboat profile (HOME, config, urls, cache) in `root`."""

    def __init__(self, binary: str, root: Path, urls: list[str], threads: int = 8) -> None:
        self.binary = binary
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.urls_file = root / "urls"
        self.urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
        self.config = root / "config"
        self.config.write_text(f"reload-threads {threads}\nshow-read-feeds yes\n")
        self.cache = root / "cache.db"
        self.env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        self.env.update(HOME=str(root), XDG_CONFIG_HOME=str(root / ".config"),
                        XDG_DATA_HOME=str(root / ".local/share"), LANG="C.UTF-8",
                        TERM="xterm-256color", no_proxy="*")

    def fresh(self) -> None:
        """Forget everything fetched (cold cache)."""
        for p in self.root.glob("cache.db*"):
            p.unlink()

    def reload(self) -> float:
        """Seconds for one `newsboat -x reload`; raises on failure."""
        cmd = [self.binary, "-u", str(self.urls_file), "-c", str(self.cache),
               "-C", str(self.config), "-x", "reload"]
        t = time.perf_counter()
        out = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=600,
                             stdin=subprocess.DEVNULL, cwd=self.root)
        elapsed = time.perf_counter() - t
        if out.returncode != 0:
            raise RuntimeError(f"newsboat exited {out.returncode}: "
                               f"{(out.stderr or out.stdout).strip()[:300]}")
        return elapsed

    def items(self) -> int:
        """How many items its cache holds (a check that the reload really parsed the feeds)."""
        import sqlite3

        with sqlite3.connect(self.cache) as conn:
            return int(conn.execute("SELECT count(*) FROM rss_item").fetchone()[0])
