"""Two (or more) versions of tui-news refreshing one shape alternately: an A/B of a change.

Each version is a source tree (`--src DIR`: its `src/`, or a directory holding `tui_news/`) run
through this venv's console script with PYTHONPATH pointing at it. Every round runs each version
once on a fresh data dir, the order reversed every other round (ABBA), against one bench server.
Per version: seconds to the summary line (the figure the targets use), and the CPU seconds of
the whole process tree (`perf stat -e task-clock`: the refresh, its parser workers, and the
search indexing after the summary, which is the same work in every version).

    .venv/bin/python bench/refresh_ab.py --src /tmp/old --src . [--shape one] [--rounds 6]

Run it under `flock /work/bench.lock`; the load average before and after is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import cli_refresh  # noqa: E402
import corpus  # noqa: E402
import server  # noqa: E402

SHAPES = {"many": (len(corpus.OUTLETS), 0), "one": (1, 0), "slow": (len(corpus.OUTLETS), 100)}


def _python_path(src: Path) -> str:
    src = src.resolve()
    return str(src / "src") if (src / "src" / "tui_news").is_dir() else str(src)


def one_refresh(cli: cli_refresh.CliRefresh, python_path: str, work: Path) -> tuple[float, float]:
    """(seconds to the summary line, CPU seconds of the process tree) of a cold refresh."""
    cli.fresh()
    stat = work / "perf.txt"
    cmd = ["perf", "stat", "-x,", "-e", "task-clock", "-o", str(stat), "--",
           cli_refresh.tui_news_binary(), "--config", str(cli.config), "--data-dir",
           str(cli.data), "refresh"]
    env = dict(cli.env, PYTHONPATH=python_path)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None
    summary = proc.stdout.readline()
    to_summary = time.perf_counter() - t
    rest, err = proc.communicate(timeout=600)
    if proc.returncode != 0 or "200/200 feeds refreshed" not in summary + rest:
        raise RuntimeError(f"refresh failed ({proc.returncode}): {(err or summary)[:300]}")
    cpu_ms = next(float(line.split(",")[0]) for line in stat.read_text().splitlines()
                  if "task-clock" in line)
    return to_summary, cpu_ms / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, action="append", required=True,
                        help="a source tree to run (repeat: two or more)")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="one")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--per-host", type=int)
    args = parser.parse_args()
    hosts_n, delay = SHAPES[args.shape]
    paths = [_python_path(s) for s in args.src]
    print(f"load before {os.getloadavg()[0]:.2f}; versions: {paths}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="tui-news-ab-"))
    try:
        hosts = server._listening_hosts(hosts_n)
        specs = corpus.feed_specs(200, len(hosts))
        marker = [f"http://{h}:{server.PORT_MARKER}" for h in hosts]
        corpus.write_corpus(tmp / "corpus", specs, 50, marker, datetime.now(UTC))
        srv = server.ServerProcess(tmp / "corpus", hosts, delay_ms=delay)
        try:
            text = corpus.config_toml(specs, srv.bases, srv.bases[0])
            if args.per_host:
                text = text.replace("[weather]",
                                    f"[network]\nper_host = {args.per_host}\n\n[weather]", 1)
            cli = cli_refresh.CliRefresh(tmp / "tui", text)
            walls: list[list[float]] = [[] for _ in paths]
            cpus: list[list[float]] = [[] for _ in paths]
            for n in range(args.rounds):
                order = list(range(len(paths)))
                if n % 2:
                    order.reverse()
                for i in order:
                    wall, cpu = one_refresh(cli, paths[i], tmp)
                    walls[i].append(wall)
                    cpus[i].append(cpu)
                    print(f"round {n + 1} version {i}: summary {wall:.2f} s, CPU {cpu:.2f} s",
                          flush=True)
        finally:
            srv.stop()
        for i, path in enumerate(paths):
            print(f"version {i} ({path}): summary median {statistics.median(walls[i]):.2f} s "
                  f"(runs {', '.join(f'{w:.2f}' for w in walls[i])}), CPU median "
                  f"{statistics.median(cpus[i]):.2f} s")
        print(f"load after {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
