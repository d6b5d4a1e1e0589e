"""The fetch floor: the refresh's requests with nothing parsed or stored.

A fresh process (as `tui-news refresh` is one) imports httpx and GETs every URL with the same
limits as the refresh (`concurrency` in all, `per_host` to one host, keep-alive), reading each
body to its end and dropping it. What a refresh takes beyond this is its own work; on a slow link
the floor is what the network allows at that politeness.

Child: python bench/fetch_floor.py URLS_FILE --concurrency 16 --per-host 8
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit


async def fetch_all(urls: list[str], concurrency: int, per_host: int) -> tuple[int, int]:
    # As tui_news.fetch does: httpx's own command line (imported whenever click is installed)
    # is no part of the requests.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    every = asyncio.Semaphore(concurrency)
    hosts: dict[str, asyncio.Semaphore] = {}
    ok = size = 0

    async with httpx.AsyncClient(limits=limits, trust_env=False, timeout=60) as client:
        async def one(url: str) -> None:
            nonlocal ok, size
            host = hosts.setdefault(urlsplit(url).netloc, asyncio.Semaphore(per_host))
            async with host, every:
                response = await client.get(url)
                size += len(response.content)
                ok += response.status_code == 200

        await asyncio.gather(*(one(u) for u in urls))
    return ok, size


def measure(urls: list[str], workdir: Path, *, concurrency: int = 16, per_host: int = 8,
            env: dict[str, str] | None = None) -> float:
    """Seconds for the child process, start to exit; raises unless every URL answered 200."""
    listing = workdir / "floor-urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    cmd = [sys.executable, __file__, str(listing), "--concurrency", str(concurrency),
           "--per-host", str(per_host)]
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env or dict(os.environ), capture_output=True, text=True,
                         timeout=600, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    if out.returncode != 0 or out.stdout.split()[:1] != [str(len(urls))]:
        raise RuntimeError(f"fetch floor failed ({out.returncode}): "
                           f"{(out.stderr or out.stdout).strip()[-300:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", type=Path)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-host", type=int, default=8)
    args = parser.parse_args()
    urls = args.urls.read_text(encoding="utf-8").split()
    ok, size = asyncio.run(fetch_all(urls, args.concurrency, args.per_host))
    print(ok, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
