"""The cache file: opening it (WAL, schema upgrades, a damaged file moved aside), the one-line
errors, and the write transactions every Store method uses.

Store (store.py) adds what is kept in it; this module knows nothing of articles.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, ParamSpec, Self, TypeVar

from tui_news.store_schema import APPLICATION_ID, SCHEMA_VERSION, migrate, our_tables

__all__ = ["BatchLost", "CacheFile", "CacheMovedAside", "StoreError", "guarded"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_C = TypeVar("_C", bound="CacheFile")
# A cache file this big or bigger (about 10,000 articles) is said to be upgrading before it is.
LONG_UPGRADE_BYTES = 32 * 1024 * 1024


class StoreError(Exception):
    """The cache cannot be used (read-only dir, newer schema, locked for too long …).

    str(e) is one clean line naming the file and the fault. `kind` names the fault for a
    message in the UI's language: "locked", "readonly", "full", "damaged", "gone" (the file was
    deleted or replaced under an open connection) or "other".
    """

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


class BatchLost(StoreError):
    """A write inside `batch()` failed in a way that rolled back the whole transaction (disk
    full, I/O error …): nothing the batch wrote so far is kept. str(e) names the fault."""


class CacheMovedAside(Exception, Generic[_C]):
    """Raised by Store.open when an unreadable cache was renamed; `.store` is the new empty one
    (of the class open() was called on: a Store from Store.open)."""

    def __init__(self, broken: Path, moved_to: Path, store: _C) -> None:
        super().__init__(f"the cache {broken} could not be read; moved it to {moved_to} "
                         "and started a new one")
        self.broken, self.moved_to = broken, moved_to
        self.store: _C = store


class _Unreadable(Exception):
    """Internal: the file is not a database SQLite can read."""


def guarded(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turn SQLite's exceptions into one-line StoreErrors naming the file."""

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            store = args[0]
            assert isinstance(store, CacheFile)
            raise store._error(exc) from exc

    return wrapper


class CacheFile:
    """One SQLite connection to the cache file (WAL, busy timeout, schema version).

    Every write is one short `BEGIN IMMEDIATE` transaction (`_write`), or a savepoint of a
    `batch()`.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, busy_timeout: float) -> None:
        self._conn = conn
        self.path = path
        self.busy_timeout = busy_timeout
        self._in_batch = False
        self._identity: tuple[int, int] | None = None  # the file opened (see gone())

    # --- opening -----------------------------------------------------------------------------
    @staticmethod
    def long_upgrade_due(path: Path) -> bool:
        """True when opening `path` will migrate a cache big enough for it to take a while
        (a schema step may rebuild the search index: ~15 s at 100,000 articles), so that the
        caller can say so first. A peek that never writes; False when in doubt."""
        try:
            if Path(path).stat().st_size < LONG_UPGRADE_BYTES:
                return False
            conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                                   timeout=0.5)
            try:
                return int(conn.execute("PRAGMA user_version").fetchone()[0]) < SCHEMA_VERSION
            finally:
                conn.close()
        except (OSError, sqlite3.Error, ValueError):
            return False

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False, busy_timeout: float = 5.0,
             full_check: bool = False) -> Self:
        """Open (creating if needed) the cache at `path`.

        An unreadable file is renamed aside and CacheMovedAside raised carrying a fresh store.
        `full_check` runs `PRAGMA quick_check` (reads every page) instead of the cheap probe.
        """
        path = Path(path)
        # A damaged page met during the last session left this marker: check every page now.
        marker = _check_marker(path)
        full_check = full_check or marker.exists()
        if not readonly:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the data directory {path.parent}: "
                                 f"{exc.strerror or exc}") from exc
            if not os.access(path.parent, os.W_OK | os.X_OK):
                raise StoreError(f"the data directory {path.parent} is not writable")
        if path.exists() and not path.is_file():
            raise StoreError(f"the cache {path} is not a regular file")
        try:
            store = cls._connect(path, readonly=readonly, busy_timeout=busy_timeout,
                                 full_check=full_check)
        except _Unreadable:
            if readonly:
                raise StoreError(f"the cache {path} could not be read") from None
        else:
            if full_check and not readonly:
                marker.unlink(missing_ok=True)  # our own empty marker, not user data
            return store
        moved_to = cls._move_aside(path)
        marker.unlink(missing_ok=True)
        try:
            fresh = cls._connect(path, readonly=False, busy_timeout=busy_timeout,
                                 full_check=False)
        except _Unreadable as exc:
            raise StoreError(f"the cache {path} could not be created") from exc
        raise CacheMovedAside(path, moved_to, fresh)

    @classmethod
    def _connect(cls, path: Path, *, readonly: bool, busy_timeout: float,
                 full_check: bool, inspect: bool = False) -> Self:
        """A connection that passed the checks. `inspect`: the read-only look a read-write
        open takes first (an old schema is fine there: the read-write one upgrades it)."""
        checked = False
        if not readonly and path.is_file() and path.stat().st_size > 0:
            # Every check on a read-only connection first: closing a read-write one checkpoints
            # the WAL into the file, and a file we refuse (not ours, a newer schema) must be
            # left byte for byte as it was, its WAL included.
            cls._connect(path, readonly=True, busy_timeout=busy_timeout,
                         full_check=full_check, inspect=True).close()
            checked = True
        if readonly:
            if not path.is_file():
                raise StoreError(f"the cache {path} does not exist")
            target, uri = f"{path.resolve().as_uri()}?mode=ro", True
        else:
            target, uri = str(path), False
        try:
            # isolation_level=None: we issue BEGIN IMMEDIATE/COMMIT ourselves (the module's implicit
            # BEGIN DEFERRED is what turns a read-then-write into an instant "database is locked").
            # check_same_thread=False: a refresh hands the connection to its writer thread (and
            # back) while no other thread uses it; one connection is never used by two at once.
            conn = sqlite3.connect(target, timeout=busy_timeout, isolation_level=None, uri=uri,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the cache {path}: {exc}") from exc
        store = cls(conn, path, busy_timeout)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000):d}")
            if not checked:
                store._probe(full_check)
            conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")  # safe in WAL; no fsync per commit
                store._upgrade()
            elif store._version() < SCHEMA_VERSION and not inspect:
                raise StoreError(f"the cache {path} needs upgrading; open it once read-write")
            store._identity = _file_identity(path)
        except _Unreadable:
            conn.close()
            raise
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError) and not _corrupt_message(exc):
                raise store._error(exc) from exc
            raise _Unreadable(str(exc)) from exc
        return store

    def _probe(self, full_check: bool) -> None:
        """Fail fast with _Unreadable on a file SQLite cannot read.

        The cheap probe reads the header, the schema and the first page of every table and index;
        it also spots a truncated file from the header's page count. quick_check reads everything.
        """
        conn = self._conn
        self._refuse_foreign()  # the first read: a file that is no database fails here
        self._refuse_newer()  # a newer schema is not corruption: refused, never moved aside
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE "
            "'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%'")]
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'  # an identifier read from the file
            conn.execute(f"SELECT 1 FROM {quoted} LIMIT 1").fetchall()
        self._check_size()
        if full_check:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise _Unreadable(result)

    def _check_size(self) -> None:
        """A main file shorter than its header's page count was truncated (SQLite reads zeros).

        Read from one snapshot: the page count inside a read transaction, the files' sizes after
        it began. Another process committing in between can then only add to the WAL (which
        skips the check), never make a healthy file look short. And the verdict is checked with
        `PRAGMA quick_check`: a file SQLite's own check accepts is never moved aside.

        Never open() the cache file here: closing any descriptor of it drops every POSIX lock
        this process holds on it (SQLite's included), and another process may then checkpoint
        and delete the WAL under our feet — that corrupts the cache. Ask SQLite and stat().
        """
        conn = self._conn
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT 1 FROM sqlite_schema LIMIT 1").fetchall()  # the snapshot
            page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
            pages = int(conn.execute("PRAGMA page_count").fetchone()[0])  # the snapshot's
            wal = Path(f"{self.path}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                return  # the WAL may hold pages past the end of the main file
            try:
                size = self.path.stat().st_size
            except OSError:
                return
        finally:
            conn.execute("COMMIT")
        if 0 < size < 100:
            raise _Unreadable("truncated header")
        if pages and size < pages * page_size:
            if conn.execute("PRAGMA quick_check").fetchone()[0] == "ok":
                return
            raise _Unreadable("file shorter than its page count")

    def _refuse_foreign(self) -> None:
        """Refuse a file that is not a tui-news cache: another application id, or (from before
        the id) tables our schema does not make."""
        conn = self._conn
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        if app_id == APPLICATION_ID:
            return
        names = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        if app_id == 0 and names <= our_tables():
            return  # empty (ours to fill) or a cache made before the application id
        what = (f"application id {app_id:#x}" if app_id else
                "tables " + ", ".join(sorted(names - our_tables())[:3]))
        raise StoreError(f"the file {self.path} is not a tui-news cache ({what}); it was left "
                         "as it is: move it away or use another data dir", "foreign")

    def _version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _refuse_newer(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise StoreError(f"the cache {self.path} was written by a newer tui-news (schema "
                             f"{version}, this one knows {SCHEMA_VERSION}); upgrade tui-news or "
                             "use another data dir")

    def _upgrade(self) -> None:
        self._refuse_newer()
        version = self._version()
        app_id = int(self._conn.execute("PRAGMA application_id").fetchone()[0])
        if version == SCHEMA_VERSION and app_id == APPLICATION_ID:
            return
        with self._write():
            # Another process may have migrated while we waited for the lock: read it again.
            version = self._version()
            if version < SCHEMA_VERSION:
                migrate(self._conn, version)
            self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")

    @staticmethod
    def _move_aside(path: Path) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        try:
            path.rename(target)
            for suffix in ("-wal", "-shm"):
                side = Path(f"{path}{suffix}")
                if side.exists():
                    side.rename(Path(f"{target}{suffix}"))
        except OSError as exc:
            raise StoreError(f"the cache {path} could not be read and could not be moved aside: "
                             f"{exc.strerror or exc}") from exc
        return target

    @property
    def identity(self) -> tuple[int, int] | None:
        """(device, inode) of the file this connection opened (None: not known)."""
        return self._identity

    def gone(self) -> bool:
        """True when the file at `path` is no longer the one this connection opened: deleted
        (with its data dir, say), moved away or replaced. SQLite keeps reading and writing the
        unlinked file without a word; whatever is written to it is lost when it is closed."""
        return self._identity is not None and _file_identity(self.path) != self._identity

    def check_there(self) -> None:
        """Raise StoreError (kind "gone") when `gone()`."""
        if self.gone():
            raise StoreError(f"the cache {self.path} was deleted or replaced while in use; "
                             "restart tui-news", "gone")

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing ----------------------------------------------------------------------------
    def _error(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StoreError(f"the cache {self.path} is locked by another process (waited "
                              f"{self.busy_timeout:g} s); try again when it has finished",
                              "locked")
        if "readonly" in text or "read-only" in text:
            return StoreError(f"the cache {self.path} is read-only", "readonly")
        if "disk is full" in text or "full" in text.split() or (
                "disk I/O error" in text and _disk_full(self.path)):
            # A write into the WAL's shared memory on a full tmpfs is an I/O error, not FULL.
            return StoreError(f"the disk holding the cache {self.path} is full", "full")
        if _corrupt_message(exc):
            with contextlib.suppress(OSError):
                _check_marker(self.path).touch()
            return StoreError(f"the cache {self.path} is damaged ({text}); quit and restart "
                              "tui-news to move it aside", "damaged")
        return StoreError(f"the cache {self.path}: {text}")

    def _begin(self, conn: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE, trying again every millisecond until the busy timeout.

        SQLite's own busy handler backs off to 100 ms between tries: against a refresh writing
        one short transaction after another (a few ms apart) a read mark could wait for the
        whole refresh. Polling every millisecond gets in at the next gap.
        """
        deadline = time.monotonic() + self.busy_timeout
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    locked = "locked" in str(exc) or "busy" in str(exc)
                    if not locked or time.monotonic() >= deadline:
                        raise
                time.sleep(0.001)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000):d}")

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Several writes in one transaction; each stays all-or-nothing (a savepoint of its own).

        A write that takes the whole transaction with it raises BatchLost: then nothing of the
        batch was written, and the caller may try its writes again one by one.

        For the refresh's writer thread: one commit for several feeds instead of one each. Not
        re-entrant.
        """
        conn = self._conn
        try:
            self._begin(conn)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        self._in_batch = True
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        finally:
            self._in_batch = False
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise self._error(exc) from exc

    @contextlib.contextmanager
    def references_unchecked(self) -> Iterator[None]:
        """Foreign keys not enforced on this connection meanwhile (ON again afterwards).

        For the refresh's writer thread only: every row it inserts references an id it has just
        read or written in the same transaction (ingest, store.py), so SQLite's check of each
        one (a lookup of its parent rows: 0.2-0.4 of the ~1 CPU-s a 10,000-article ingest
        costs) finds what the code put there. Nothing it runs deletes a row, so no cascade is
        missed. Call it outside a transaction: SQLite ignores the pragma inside one.
        """
        self._conn.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA foreign_keys = ON")

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """Several Store writes that stand or fall together: a savepoint inside batch(), else
        a transaction of their own."""
        with self._write():
            yield

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (BEGIN IMMEDIATE waits up to the busy timeout)."""
        conn = self._conn
        if self._in_batch:  # inside batch(): a savepoint, committed with the batch
            if not conn.in_transaction:  # never begin a transaction of its own in a batch
                raise BatchLost(f"the cache {self.path}: the batch's transaction was lost")
            conn.execute("SAVEPOINT write")
            try:
                yield conn
            except BaseException as exc:
                if not conn.in_transaction:
                    # Disk full, I/O error and the like roll the whole transaction back, not
                    # just this savepoint: every write of the batch is gone.
                    fault = self._error(exc) if isinstance(exc, sqlite3.Error) else exc
                    raise BatchLost(str(fault), getattr(fault, "kind", "other")) from exc
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK TO write")
                    conn.execute("RELEASE write")
                raise
            conn.execute("RELEASE write")
            return
        self._begin(conn)
        try:
            yield conn
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # --- diagnostics -------------------------------------------------------------------------
    @guarded
    def integrity_ok(self) -> bool:
        """True when `PRAGMA quick_check` finds nothing wrong (reads every page: slow).

        A damaged file is also flagged so the next open moves it aside.
        """
        try:
            ok = self._conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError as exc:
            if not _corrupt_message(exc):
                raise
            ok = False
        if not ok:
            with contextlib.suppress(OSError):
                _check_marker(self.path).touch()
        return ok


def _disk_full(path: Path) -> bool:
    """Less than 64 KiB left on the file system holding `path`."""
    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 65536


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _check_marker(path: Path) -> Path:
    return path.with_name(f"{path.name}.needs-check")


def _corrupt_message(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("not a database", "malformed", "corrupt", "file is encrypted"))
