"""Where a cold refresh's time goes, per stage, on one shape (default: one host).

Runs `refresh.run_refresh` in this process against the bench server, with each stage timed from
outside the code (the Fetcher's get, the parser pool's parse, the writer's call are wrapped, not
changed): per feed when its request got a slot, its answer was read, its parse came back and
its store job was done. Prints a timeline (when the last feed left each stage), the time summed
per stage, and CPU per process (this one to the summary line, the parser workers, the server)
and per thread of this one: the event loop's (`cpu_loop`: fetching, handing bodies over) and the
store writer's (`cpu_writer`; `writer_busy` its time inside transactions, `transactions` how
many it committed).

    .venv/bin/python bench/stages.py [--hosts 1] [--per-host 8] [--runs 3] [--profile OUT]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import server  # noqa: E402


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(config_path: Path, db: Path, profile: Path | None) -> dict[str, float]:
    from tui_news import feeds, refresh, store_writer
    from tui_news.config import load_config
    from tui_news.fetch import Fetcher

    marks: dict[str, list[float]] = {"slot": [], "fetched": [], "parsed": [], "stored": []}
    spans: dict[str, float] = {"fetch": 0.0, "parse": 0.0, "store": 0.0}
    t0 = time.perf_counter()
    orig_get, orig_parse, orig_call = (Fetcher.get, feeds.FeedParserPool.parse,
                                       store_writer.StoreWriter.call)

    async def get(self, url, **kw):  # type: ignore[no-untyped-def]
        on_slot = kw.pop("on_slot", None)
        started: list[float] = []

        def slot() -> None:
            started.append(time.perf_counter())
            marks["slot"].append(started[0] - t0)
            if on_slot:
                on_slot()

        r = await orig_get(self, url, on_slot=slot, **kw)
        now = time.perf_counter()
        marks["fetched"].append(now - t0)
        spans["fetch"] += now - (started[0] if started else now)
        return r

    async def parse(self, body, url, **kw):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        r = await orig_parse(self, body, url, **kw)
        now = time.perf_counter()
        marks["parsed"].append(now - t0)
        spans["parse"] += now - t
        return r

    async def call(self, fn, /, *args, **kw):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        r = await orig_call(self, fn, *args, **kw)
        now = time.perf_counter()
        if kw.get("articles"):
            marks["stored"].append(now - t0)
            spans["store"] += now - t
        return r

    writer: dict[str, float] = {"cpu": 0.0, "busy": 0.0, "transactions": 0}
    orig_run, orig_transaction = (store_writer.StoreWriter._run,
                                  store_writer.StoreWriter._transaction)

    def run(self) -> None:  # type: ignore[no-untyped-def]
        try:
            orig_run(self)
        finally:
            writer["cpu"] += time.thread_time()

    def transaction(self, fns):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return orig_transaction(self, fns)
        finally:
            writer["busy"] += time.perf_counter() - t
            writer["transactions"] += 1

    worker_cpu: list[float] = []
    orig_shutdown = feeds.FeedParserPool.shutdown

    def shutdown(self, wait: bool = True) -> None:  # type: ignore[no-untyped-def]
        executor = self._executor
        if executor is not None:  # the workers are the forkserver's children: read /proc now
            for proc in list(getattr(executor, "_processes", {}).values()):
                with contextlib.suppress(OSError):
                    worker_cpu.append(_cpu(proc.pid))
        orig_shutdown(self, wait)

    feeds.FeedParserPool.shutdown = shutdown  # type: ignore[method-assign]
    Fetcher.get, feeds.FeedParserPool.parse = get, parse  # type: ignore[method-assign]
    store_writer.StoreWriter.call = call  # type: ignore[method-assign]
    store_writer.StoreWriter._run = run  # type: ignore[method-assign]
    store_writer.StoreWriter._transaction = transaction  # type: ignore[method-assign]
    cpu0 = time.process_time()
    prof = cProfile.Profile() if profile else None
    try:
        if prof:
            prof.enable()
        done: list[float] = []
        loop_cpu0 = time.thread_time()

        def on_done(_: object) -> None:
            done.extend((time.perf_counter(), time.process_time(),
                         time.thread_time() - loop_cpu0))

        summary = refresh.run_refresh(load_config(config_path), db, weather=False,
                                      on_done=on_done)
        if prof:
            prof.disable()
            prof.dump_stats(profile)  # type: ignore[arg-type]
    finally:
        Fetcher.get, feeds.FeedParserPool.parse = orig_get, orig_parse  # type: ignore[method-assign]
        feeds.FeedParserPool.shutdown = orig_shutdown  # type: ignore[method-assign]
        store_writer.StoreWriter.call = orig_call  # type: ignore[method-assign]
        store_writer.StoreWriter._run = orig_run  # type: ignore[method-assign]
        store_writer.StoreWriter._transaction = orig_transaction  # type: ignore[method-assign]
    wall = done[0] - t0  # to the summary; the search indexing follows
    index_s = time.perf_counter() - done[0]
    assert all(r.status == "ok" for r in summary.results), summary.results[:3]
    return {
        "wall": wall, "first_slot": min(marks["slot"]), "last_fetched": max(marks["fetched"]),
        "last_parsed": max(marks["parsed"]), "last_stored": max(marks["stored"]),
        "first_parsed": min(marks["parsed"]),
        "sum_fetch": spans["fetch"], "sum_parse": spans["parse"], "sum_store": spans["store"],
        "cpu_parent": done[1] - cpu0, "cpu_loop": done[2], "cpu_writer": writer["cpu"],
        "writer_busy": writer["busy"], "transactions": writer["transactions"],
        "cpu_workers": sum(worker_cpu),
        "index_s": index_s, "new": summary.new,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=1)
    parser.add_argument("--per-host", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--profile", type=Path, help="cProfile the last run's parent into OUT")
    args = parser.parse_args()
    os.environ["no_proxy"] = "*"
    for k in [k for k in os.environ if "proxy" in k.lower() and k != "no_proxy"]:
        del os.environ[k]
    tmp = Path(tempfile.mkdtemp(prefix="tui-news-stages-"))
    hosts = server._listening_hosts(args.hosts)
    specs = corpus.feed_specs(200, len(hosts))
    marker = [f"http://{h}:{server.PORT_MARKER}" for h in hosts]
    corpus.write_corpus(tmp / "corpus", specs, 50, marker, datetime.now(UTC))
    srv = server.ServerProcess(tmp / "corpus", hosts, delay_ms=args.delay_ms)
    try:
        text = corpus.config_toml(specs, srv.bases, srv.bases[0]).replace(
            "[weather]", f"[network]\nper_host = {args.per_host}\n\n[weather]", 1)
        config = tmp / "config.toml"
        config.write_text(text, encoding="utf-8")
        runs = []
        for n in range(args.runs):
            db = tmp / f"cache-{n}.sqlite3"
            srv_cpu = _cpu(srv.proc.pid)
            last = n == args.runs - 1
            r = one_run(config, db, args.profile if last else None)
            r["cpu_server"] = _cpu(srv.proc.pid) - srv_cpu
            runs.append(r)
            print(" ".join(f"{k}={v:.3f}" for k, v in r.items()), flush=True)
        print("median:")
        for key in runs[0]:
            print(f"  {key:13} {statistics.median(r[key] for r in runs):.3f}")
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
