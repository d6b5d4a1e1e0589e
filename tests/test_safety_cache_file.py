"""SAFETY.md "Storage", the cache file itself: a healthy cache is never moved aside because
another process committed while it was being opened; a file that is not ours is refused and left
byte-identical; a cache of a newer schema is refused before anything is written, WAL included.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli
from safety_helpers import assert_no_traceback, error_lines, snapshot

from tui_news.store import SCHEMA_VERSION, CacheMovedAside, Store, StoreError
from tui_news.store_schema import APPLICATION_ID

GROWER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
print("ready", flush=True)
for line in sys.stdin:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (line.strip(), "x" * 200000))
    conn.execute("COMMIT")
    print("committed", flush=True)
"""


def test_a_commit_while_the_cache_is_opened_never_moves_it_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #16 case 3, with the interleaving made certain: another real process commits (and
    grows the file by ~50 pages, all in its WAL) at the moment the opening process looks at the
    size of the main file, after it has seen an empty WAL."""
    db = tmp_path / "cache.sqlite3"
    with Store.open(db) as store:
        store.set_setting("theme", "nord")
        store.set_read([], True)
    before = snapshot(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # everything is in the main file
    grower = subprocess.Popen(
        [sys.executable, "-c", GROWER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert grower.stdin is not None and grower.stdout is not None
    assert grower.stdout.readline().strip() == "ready"
    real_stat = Path.stat
    commits: list[str] = []

    def stat(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == db and sys._getframe(1).f_code.co_name == "_check_size" and not commits:
            commits.append("grow")
            grower.stdin.write("grow\n")  # type: ignore[union-attr]
            grower.stdin.flush()  # type: ignore[union-attr]
            assert grower.stdout.readline().strip() == "committed"  # type: ignore[union-attr]
        return real_stat(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat)
    try:
        store = Store.open(db)
    except CacheMovedAside as moved:  # pragma: no cover - the bug
        moved.store.close()
        pytest.fail(f"a healthy cache was moved aside: {moved}")
    finally:
        monkeypatch.undo()
        grower.stdin.close()
        grower.wait(timeout=30)
    try:
        assert commits == ["grow"]  # the other process did commit in that moment
        assert store.setting("grow") == "x" * 200000
        assert store.integrity_ok()
    finally:
        store.close()
    assert snapshot(db) == before
    assert not list(tmp_path.glob("*.corrupt-*"))


def _files(folder: Path) -> dict[str, str]:
    """Every file's digest; the -shm (an index SQLite rebuilds from the WAL) and an empty WAL
    (a reader's, holding nothing) are not content."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if not p.name.endswith("-shm") and not (p.name.endswith("-wal") and not p.stat().st_size)
    }


def _refused_everywhere(cli: Cli, fault: str) -> None:
    db = cli.data_dir / "cache.sqlite3"
    before = _files(cli.data_dir)
    for args in (("refresh",), ("articles",), ("mark", "1", "--read"), ("compact",)):
        run = cli(*args)
        assert run.status == 1, (args, run.out, run.err)
        assert_no_traceback(run.err)
        lines = error_lines(run.err)
        assert len(lines) == 1 and str(db) in lines[0] and fault in lines[0], run.err
    with pytest.raises(StoreError) as info:
        Store.open(db)
    assert fault in str(info.value)
    assert _files(cli.data_dir) == before  # byte for byte, WAL included; nothing moved aside


FOREIGN = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute(f"PRAGMA journal_mode = {sys.argv[2]}")
conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.com/')")
os._exit(0)  # a crash: whatever is in the WAL stays there
"""


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_a_foreign_sqlite_file_is_refused_and_left_as_it_is(cli: Cli, journal: str) -> None:
    cli.write_config([("https://example.com/rss", "Thời sự")], weather_url="http://127.0.0.1:9")
    cli.data_dir.mkdir()
    subprocess.run(
        [sys.executable, "-c", FOREIGN, str(cli.data_dir / "cache.sqlite3"), journal],
        check=True,
        timeout=30,
    )
    _refused_everywhere(cli, "not a tui-news cache")


def test_a_file_with_another_application_id_is_refused(cli: Cli, tmp_path: Path) -> None:
    cli.write_config([("https://example.com/rss", "Thời sự")], weather_url="http://127.0.0.1:9")
    db = cli.data_dir / "cache.sqlite3"
    Store.open(db).close()  # our tables, even
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA application_id = 42")
    conn.commit()
    conn.close()
    _refused_everywhere(cli, "application id 0x2a")


NEWER = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.execute(f"PRAGMA user_version = {int(sys.argv[2])}")
conn.execute("INSERT INTO settings (key, value) VALUES ('newer', 'x')")
os._exit(0)  # a newer tui-news killed: its last commits are in the WAL only
"""


def test_a_newer_schema_with_its_wal_is_left_as_it_is(cli: Cli) -> None:
    """Issue #16 case 7: the refusing process used to checkpoint the newer version's WAL into
    the main file when it closed its connection."""
    cli.write_config([("https://example.com/rss", "Thời sự")], weather_url="http://127.0.0.1:9")
    db = cli.data_dir / "cache.sqlite3"
    Store.open(db).close()
    subprocess.run(
        [sys.executable, "-c", NEWER, str(db), str(SCHEMA_VERSION + 1)], check=True, timeout=30
    )
    assert Path(f"{db}-wal").stat().st_size > 0
    _refused_everywhere(cli, "newer tui-news")


def test_a_cache_from_before_the_application_id_is_taken_and_stamped(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    with Store.open(db) as store:
        store.set_setting("theme", "nord")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    with Store.open(db) as store:
        assert store.setting("theme") == "nord"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_store_file_does_not_import_store() -> None:
    """The circle between store.py and store_file.py (a type annotation) is gone: store_file
    imports nothing of store, not even for type checking."""
    import ast

    import tui_news.store_file

    tree = ast.parse(Path(tui_news.store_file.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "tui_news.store" not in imported
    assert "tui_news.store_schema" in imported  # the check sees the imports
