"""Two database back-ends behind one small interface: SQLite (a file, the default) and PostgreSQL.

SQL is written once with ``?`` placeholders; the PostgreSQL back-end turns them into ``%s``.
Where the two differ (full-text search, the spatial index, the schema's id columns) the back-end
says how, so the store above never branches on the dialect.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from eventwire.errors import StoreError

__all__ = ["Database", "SQLiteDatabase", "PostgresDatabase", "connect", "DEFAULT_DB"]

DEFAULT_DB = "eventwire.db"


class Database:
    """A connection with one transaction at a time. Subclasses set ``dialect``."""

    dialect = ""

    def __init__(self, conn: Any, url: str):
        self.conn = conn
        self.url = url
        self._depth = 0

    def sql(self, text: str) -> str:
        return text

    def execute(self, text: str, params: Sequence[Any] = ()) -> Any:
        cur = self.conn.cursor()
        cur.execute(self.sql(text), tuple(params))
        return cur

    def executemany(self, text: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            self.conn.cursor().executemany(self.sql(text), rows)

    def rows(self, text: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.execute(text, params)
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
        if self.lock_sql:
            self.execute(self.lock_sql)
        self._depth = 1
        try:
            yield self
        except BaseException:
            self.execute("ROLLBACK")
            raise
        else:
            self.execute("COMMIT")
        finally:
            self._depth = 0

    begin_sql = "BEGIN"
    lock_sql = ""

    def close(self) -> None:
        self.conn.close()

    # dialect hooks
    def text_search(self, column_sql: str) -> str:
        raise NotImplementedError

    def has_table(self, name: str) -> bool:
        raise NotImplementedError


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


class SQLiteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: str):
        conn = None
        try:
            conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
            _switch_to_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise StoreError(f"cannot open {path}: {exc}", "give the path of an eventwire store, or a new file") \
                from None
        super().__init__(conn, path)

    begin_sql = "BEGIN IMMEDIATE"  # take the write lock at once: two writers wait, never deadlock

    def has_table(self, name: str) -> bool:
        return self.one("SELECT name FROM sqlite_master WHERE name = ?", (name,)) is not None

    def search_clause(self) -> str:
        return "a.id IN (SELECT article_id FROM article_fts WHERE article_fts MATCH ?)"

    def search_param(self, text: str) -> str:
        words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
        if not words:
            raise StoreError(f"--text {text!r} has no words to search for")
        return " ".join(f'"{w}"' for w in words)


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError:
            raise StoreError("PostgreSQL support needs psycopg", "pip install -r requirements.txt") from None
        try:
            conn = psycopg.connect(url, connect_timeout=10, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {_redact(url)}: {str(exc).strip().splitlines()[0]}") from None
        super().__init__(conn, url)

    # writers take one transaction-scoped advisory lock, as SQLite's BEGIN IMMEDIATE does, so that two
    # ingests at once never both decide that an article is new
    lock_sql = "SELECT pg_advisory_xact_lock(7415098421)"

    def sql(self, text: str) -> str:
        return text.replace("%", "%%").replace("?", "%s")

    def has_table(self, name: str) -> bool:
        return self.one("SELECT to_regclass(?) AS t", (name,))["t"] is not None

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


def connect(target: str | os.PathLike | None = None) -> Database:
    """A SQLite file path (default ``$EVENTWIRE_DB`` or ./eventwire.db) or a postgresql:// URL."""
    target = str(target or os.environ.get("EVENTWIRE_DB") or DEFAULT_DB)
    if target.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(target)
    if "://" in target:
        raise StoreError(f"unknown database URL {target!r}", "use a file path or postgresql://...")
    parent = Path(target).expanduser().resolve().parent
    if not parent.is_dir():
        raise StoreError(f"cannot create {target}: folder {parent} does not exist")
    return SQLiteDatabase(str(Path(target).expanduser()))
