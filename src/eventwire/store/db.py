"""Two database back-ends behind one small interface: SQLite (a file, the default) and PostgreSQL.

SQL is written once with ``?`` placeholders; the PostgreSQL back-end turns them into ``%s``.
Where the two differ (full-text search, the spatial index, the schema's id columns) the back-end
says how, so the store above never branches on the dialect.

A failure that makes the whole store unusable (a full disk, a read-only file, folder, file system
or server, a lost connection, a damaged file) becomes a ``StoreError`` naming the cause and the fix,
so a batch stops at once with one clear line; any other database error (one row the database
refuses) stays the driver's exception, which a batch records as that article's skip.

``connect(target, readonly=True)`` opens an existing store for reading only and never changes it:
SQLite through a ``file:...?mode=ro`` URI, or with ``immutable=1`` where the WAL side files cannot be
created (a read-only folder or file system) or should not be (a read-only store file, whose side
files would be read-only too and stop a later writer); PostgreSQL in read-only transactions.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import urllib.parse
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from eventwire.errors import StoreError, StoreReadOnly, first_line

__all__ = ["Database", "SQLiteDatabase", "PostgresDatabase", "connect", "DEFAULT_DB", "refuse_read_only_file"]

DEFAULT_DB = "eventwire.db"
AGAIN = "then run the same command again: everything stored so far is kept"

class Database:
    """A connection with one transaction at a time. Subclasses set ``dialect``."""

    dialect = ""

    def __init__(self, conn: Any, url: str, readonly: bool = False):
        self.conn = conn
        self.url = url
        self.readonly = readonly
        self._depth = 0

    @property
    def display(self) -> str:
        """The store's name for messages (a PostgreSQL URL without its credentials)."""
        return self.url

    def sql(self, text: str) -> str:
        return text

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn a driver error that makes the whole store unusable into a StoreError."""
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:
            fatal = self.fatal(exc)
            if fatal is None:
                raise
            raise fatal from exc

    def fatal(self, exc: Exception) -> StoreError | None:
        """The StoreError a driver error means for the whole store, or None for a one-row problem."""
        return None

    def execute(self, text: str, params: Sequence[Any] = ()) -> Any:
        with self._guard():
            cur = self.conn.cursor()
            cur.execute(self.sql(text), tuple(params))
            return cur

    def executemany(self, text: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with self._guard():
                self.conn.cursor().executemany(self.sql(text), rows)

    def rows(self, text: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.execute(text, params)
        with self._guard():
            names = [d[0] for d in cur.description or ()]
            return [dict(zip(names, r)) for r in cur.fetchall()]

    def one(self, text: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        found = self.rows(text, params)
        return found[0] if found else None

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Database"]:
        """Everything inside commits together or not at all (nested calls join the outer one)."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.execute(self.begin_sql)
        self._depth = 1
        try:
            if self.lock_sql:
                self.execute(self.lock_sql)
            yield self
            self.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        """Roll back after a failure; a connection already gone (or a transaction the database
        already ended, as SQLite does on a full disk) has nothing to roll back."""
        with contextlib.suppress(Exception):
            self.conn.cursor().execute("ROLLBACK")

    begin_sql = "BEGIN"
    lock_sql = ""

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a connection the server already dropped
            self.conn.close()

    # dialect hooks
    def text_search(self, column_sql: str) -> str:
        raise NotImplementedError

    def has_table(self, name: str) -> bool:
        raise NotImplementedError

    def user_tables(self) -> list[str]:
        """The tables in the database (or, on PostgreSQL, in its current schema), sorted."""
        raise NotImplementedError

    def check_writable(self) -> None:
        """Raise StoreReadOnly when the store cannot be written (SQLite files are checked on opening)."""


def _switch_to_wal(conn: sqlite3.Connection, wait_s: float = 30.0) -> None:
    """Put the file in WAL mode. Switching takes an exclusive lock and SQLite answers "database is
    locked" at once, without its busy handler, when another process is creating the same new
    store, so wait here as a writer would."""
    deadline = time.monotonic() + wait_s
    delay = 0.01
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


# SQLite's primary result codes (https://sqlite.org/rescode.html) that mean the whole file is unusable
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 3, 5, 6, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26


def _side_files(path: Path) -> tuple[Path, Path]:
    """The -wal and -shm files SQLite keeps beside a WAL-mode store."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _read_only_files(path: Path) -> list[Path]:
    """The store's file and side files that exist and may not be written."""
    return [p for p in (path, *_side_files(path)) if p.exists() and not os.access(p, os.W_OK)]


def _read_only_reason(path: Path) -> str | None:
    """Why a file cannot be written: a read-only file system, file, side file or folder; None if it
    looks writable."""
    folder = path.parent
    with contextlib.suppress(OSError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    locked = _read_only_files(path)
    if path in locked:
        return "the file is read-only"
    if locked:
        names = " and ".join(p.name for p in locked)
        return f"its side file{'s' if len(locked) > 1 else ''} {names} {'are' if len(locked) > 1 else 'is'} read-only"
    if not os.access(folder, os.W_OK):
        return f"its folder {folder} is read-only (SQLite writes {path.name}-wal and {path.name}-shm beside it)"
    return None


def _disk_full(path: Path) -> bool:
    with contextlib.suppress(OSError):
        st = os.statvfs(path.parent)
        return st.f_bavail == 0 or st.f_favail == 0
    return False


def sqlite_fatal(exc: Exception, path: str | os.PathLike, code: int | None = None) -> StoreError | None:
    """The StoreError a sqlite3 error means for the store at ``path``, or None for a one-row problem."""
    if not isinstance(exc, sqlite3.Error):
        return None
    code = (code or getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    path = Path(path)
    shown = str(path)
    if code == _SQLITE_FULL or (code == _SQLITE_IOERR and _disk_full(path)):
        return StoreError(f"cannot write to {shown}: the disk is full", f"free some space, {AGAIN}")
    if code in (_SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_PERM):
        reason = _read_only_reason(path)
        if reason is not None:
            locked = _read_only_files(path)
            if reason == "it is on a read-only file system":
                hint = "copy it to a writable disk to add to it; events, stats, skips, explain and export read it " \
                       "where it is"
            elif locked:  # the file, its side files, or both
                hint = f"make {'them' if len(locked) > 1 else 'it'} writable " \
                       f"(chmod u+w {' '.join(str(p) for p in locked)}), or give another --db"
            else:
                hint = "make the folder writable, or move the store to one that is"
            return StoreReadOnly(f"cannot write to {shown}: {reason}", hint, reason=reason)
        if code == _SQLITE_READONLY:
            return StoreReadOnly(f"cannot write to {shown}: {exc}", "check that the store is a file you may write",
                                 reason=str(exc))
        return StoreError(f"cannot open {shown}: {exc}", "check that the store is a file you may read and write")
    if code == _SQLITE_NOTADB:
        return StoreError(f"{shown} is not a SQLite database", "give the path of an eventwire store, or a new file")
    if code == _SQLITE_CORRUPT:
        return StoreError(f"{shown} is damaged: {exc}",
                          f"restore it from a copy (`sqlite3 {shown} .recover` may save what is left)")
    if code == _SQLITE_IOERR:
        return StoreError(f"cannot read or write {shown}: {exc}", f"check the disk, {AGAIN}")
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreError(f"{shown} is locked: another process has held it for more than 30 s",
                          "wait until that ingest or link has finished, then run the same command again")
    return None


class SQLiteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: str, readonly: bool = False):
        conn = None
        try:
            if readonly:
                conn = _open_sqlite_readonly(Path(path))
            else:
                conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
                _switch_to_wal(conn)
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            fatal = sqlite_fatal(exc, path)
            if fatal is not None:
                raise fatal from None
            raise StoreError(f"cannot open {path}: {exc}", "give the path of an eventwire store, or a new file") \
                from None
        super().__init__(conn, path, readonly)

    begin_sql = "BEGIN IMMEDIATE"  # take the write lock at once: two writers wait, never deadlock

    def fatal(self, exc: Exception) -> StoreError | None:
        return sqlite_fatal(exc, self.url)

    def has_table(self, name: str) -> bool:
        return self.one("SELECT name FROM sqlite_master WHERE name = ?", (name,)) is not None

    def user_tables(self) -> list[str]:
        return [r["name"] for r in self.rows("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite_%' ORDER BY name")]

    def search_clause(self) -> str:
        return "a.id IN (SELECT article_id FROM article_fts WHERE article_fts MATCH ?)"

    def search_param(self, text: str) -> str:
        words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
        if not words:
            raise StoreError(f"--text {text!r} has no words to search for")
        return " ".join(f'"{w}"' for w in words)


def _open_sqlite_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL store needs its -shm side file even to be read; where it cannot
    be created (a read-only folder or file system), the file is opened as immutable instead, which
    is safe only when no -wal file holds changes not yet in the file itself.

    A store file this process may not write, with no -wal beside it (no writer has it open), is
    opened as immutable at once: SQLite would otherwise create -wal and -shm files as read-only as
    the store, and they would stop a writer even after the store itself is made writable."""
    base = "file:" + urllib.parse.quote(str(path.resolve()))
    wal = _side_files(path)[0]
    if not os.access(path, os.W_OK) and not wal.exists():
        return _open_immutable(base)
    conn = sqlite3.connect(base + "?mode=ro", uri=True, timeout=30.0, isolation_level=None,
                           check_same_thread=False)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as exc:
        conn.close()
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code not in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
            raise
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(f"cannot read {path}: {wal.name} holds changes that cannot be read here: "
                         f"{_read_only_reason(path) or 'its -shm file cannot be created'}",
                         "open it once where it can be written, which merges them into the file, or copy the "
                         "store with its -wal file to a writable folder")
    return _open_immutable(base)


def _open_immutable(base: str) -> sqlite3.Connection:
    """A connection that reads the file alone: no lock, no -wal or -shm files."""
    conn = sqlite3.connect(base + "?immutable=1", uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str, readonly: bool = False):
        try:
            import psycopg
        except ImportError:
            raise StoreError("PostgreSQL support needs psycopg", "pip install -r requirements.txt") from None
        try:
            conn = psycopg.connect(url, connect_timeout=10, autocommit=True)
            if readonly:  # every statement in a read-only transaction: the server refuses any write
                conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {_redact(url)}: {first_line(exc)}",
                             "check the URL and that the server is running") from None
        super().__init__(conn, url, readonly)

    # writers take one transaction-scoped advisory lock, as SQLite's BEGIN IMMEDIATE does, so that two
    # ingests at once never both decide that an article is new
    lock_sql = "SELECT pg_advisory_xact_lock(7415098421)"

    @property
    def display(self) -> str:
        return _redact(self.url)

    def fatal(self, exc: Exception) -> StoreError | None:
        import psycopg

        if not isinstance(exc, psycopg.Error):
            return None
        where = self.display
        if isinstance(exc, psycopg.errors.DiskFull):
            return StoreError(f"cannot write to {where}: the server's disk is full ({first_line(exc)})",
                              f"free some space on the server, {AGAIN}")
        if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction) and not self.readonly:
            reason = "the server is read-only (a standby?)"
            return StoreReadOnly(f"cannot write to {where}: {reason}", "give the primary server's URL", reason=reason)
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            return StoreReadOnly(f"cannot use {where}: {first_line(exc)}",
                                 "ask the database's owner to grant this user access to the store's tables",
                                 reason=first_line(exc))
        if isinstance(exc, psycopg.OperationalError) or self.conn.broken:
            return StoreError(f"lost the connection to {where}: {first_line(exc)}",
                              f"check that the server is running, {AGAIN}")
        return None

    def check_writable(self) -> None:
        """A StoreReadOnly now, rather than at the first article, when this server or user cannot write."""
        row = self.one("SELECT pg_is_in_recovery() AS standby, "
                       "has_table_privilege('articles', 'INSERT, UPDATE, DELETE') AS allowed")
        if row["standby"]:
            reason = "the server is read-only (a standby?)"
            raise StoreReadOnly(f"cannot write to {self.display}: {reason}", "give the primary server's URL",
                                reason=reason)
        if not row["allowed"]:
            reason = "this user may not change the store's tables"
            raise StoreReadOnly(f"cannot write to {self.display}: {reason}",
                                "ask the database's owner to grant it INSERT, UPDATE and DELETE on them", reason=reason)

    def sql(self, text: str) -> str:
        return text.replace("%", "%%").replace("?", "%s")

    def has_table(self, name: str) -> bool:
        return self.one("SELECT to_regclass(?) AS t", (name,))["t"] is not None

    def user_tables(self) -> list[str]:
        return [r["t"] for r in self.rows("SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() "
                                          "ORDER BY tablename")]

    def search_clause(self) -> str:
        return ("to_tsvector('english', coalesce(a.title, '') || ' ' || a.text) "
                "@@ plainto_tsquery('english', ?)")

    def search_param(self, text: str) -> str:
        if not text.strip():
            raise StoreError("--text is empty")
        return text


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


def connect(target: str | os.PathLike | None = None, *, readonly: bool = False) -> Database:
    """A SQLite file path (default ``$EVENTWIRE_DB`` or ./eventwire.db) or a postgresql:// URL.

    ``readonly=True`` opens an existing store without ever writing to it; a missing SQLite file is
    then an error (a writer creates it).
    """
    named = target or os.environ.get("EVENTWIRE_DB")
    target = str(named or DEFAULT_DB)
    if target.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(target, readonly=readonly)
    if "://" in target:
        raise StoreError(f"unknown database URL {target!r}", "use a file path or postgresql://...")
    path = Path(target).expanduser()
    if path.is_dir():
        raise StoreError(f"{target} is a folder, not a store", f"give the store's file, e.g. {path / DEFAULT_DB}")
    if path.exists() and not path.is_file():  # SQLite would wait forever on a FIFO, or read a device
        from eventwire.ingest.readers import file_kind

        raise StoreError(f"{target} is {file_kind(path.stat().st_mode)}, not a store file",
                         "give the path of an eventwire store, or a new file for a new one")
    if readonly:
        if not path.exists():
            raise StoreError(f"no store at {target}", f"create one with `eventwire ingest FILES --db {target}`"
                             if named else "create one with `eventwire ingest FILES`, or name another with --db "
                                           "or $EVENTWIRE_DB")
        if not os.access(path, os.R_OK):
            raise StoreError(f"cannot read {target}: permission denied", "ask its owner for read access")
        return SQLiteDatabase(str(path), readonly=True)
    parent = path.resolve().parent
    if not parent.is_dir():
        raise StoreError(f"cannot create {target}: folder {parent} does not exist",
                         f"create the folder first (mkdir -p {parent}), or give another --db")
    refuse_read_only_file(path)
    return SQLiteDatabase(str(path))


def refuse_read_only_file(path: str | os.PathLike) -> None:
    """StoreReadOnly for an existing SQLite file that cannot be written, before SQLite opens it (a
    writer's connection would leave -wal and -shm files beside it and fail only at its first write)."""
    path = Path(path).expanduser()
    if path.exists() and _read_only_reason(path) is not None:
        fatal = sqlite_fatal(sqlite3.OperationalError("attempt to write a readonly database"), path, _SQLITE_READONLY)
        assert fatal is not None
        raise fatal
