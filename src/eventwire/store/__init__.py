"""The event store: articles, events, actors, places, claims, evidence spans, skips and clusters.

One SQLite file by default (WAL mode, FTS5 over article text, an R*Tree over event locations), or
a PostgreSQL database for a team (``postgresql://...``), with the same behaviour. Each article is
written in one transaction, so a batch killed at any point loses nothing that was committed and
leaves nothing half-written; re-running the batch stores each article once.

Identity rule (documented in the README, "Nothing lost, nothing doubled"):

1. An article's own id wins: a JSONL/CSV row's ``id`` (or ``doc_id``), a fetched page's URL id, or,
   for a ``.txt``/``.html`` file, the file itself (its absolute path; the file's name is its id).
   The same id with the same text is "already stored"; with different text it is a changed article,
   re-coded, its events replaced.
2. The same body text (whitespace normalised) under another id is the same article: "already
   stored", remembered in ``article_aliases`` (a syndicated copy).
3. The same URL with different text: for an article with an id of its own, another article, stored
   under its id and noted in ``possible_duplicates`` (a corrected or split story, or rows that share
   a page). For an article whose id is only a hash of its text (a row without an id), a changed
   article, as in 1, when exactly one stored article at that URL also had no id of its own and did
   not come from another row of the same file; otherwise it too is another article, noted as a
   possible duplicate (a row without an id never replaces an article with its own id).

A file with another file's name but not its path is a different article, stored under its name with
a suffix. An article's URL is stored only when it is an http(s) URL (``eventwire.models.http_url``).

``open_store`` opens a store for writing (creating or upgrading it); ``open_for_reading`` opens an
existing one without changing it unless it must (see its docstring).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence

from eventwire.errors import StoreError, StoreReadOnly
from eventwire.models import Article, Event, Skipped, http_url
from eventwire.store.db import DEFAULT_DB, Database, connect, refuse_read_only_file
from eventwire.store.schema import SCHEMA_VERSION, check_store, migrate, refuse_foreign

__all__ = ["Store", "open_store", "open_for_reading", "DEFAULT_DB", "SCHEMA_VERSION", "content_hash", "Stored"]


def content_hash(text: str) -> str:
    """The whole SHA-1 of the text with whitespace normalised: one article however it was spaced."""
    from eventwire.ingest.readers import text_hash

    return text_hash(text, 40)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Stored:
    """What happened to one article: 'new', 'updated' (changed text, re-coded) or 'duplicate'.

    ``possible_duplicates`` names the stored articles that share its URL but not its id.
    """

    status: str
    article_id: str
    n_events: int = 0
    same_as: str | None = None
    possible_duplicates: tuple[str, ...] = ()


def _range(r) -> tuple[Any, Any, Any]:
    return (r.low, r.best, r.high) if r is not None else (None, None, None)


def _role(event: Event, role: str):
    return next((a for a in event.actors if a.role == role), None)


class Store:
    """A store and the operations eventwire needs on it.

    Opened for writing (the default) the database is created or upgraded; opened read-only
    (``readonly=True``) it is only checked (an eventwire store, not newer than this code) and
    ``schema`` may be older than ``SCHEMA_VERSION``.
    """

    def __init__(self, db: Database, readonly: bool = False):
        self.db = db
        self.readonly = readonly
        self.upgraded_from: int | None = None
        self.linked = None  # the LinkReport when opening linked events an earlier run left unlinked
        self.unlinked = 0  # asserted events left out of every cluster because the store was read-only
        try:
            if readonly:
                self.schema = check_store(db)
            else:
                self.upgraded_from, self.schema = migrate(db)
                db.check_writable()
        except BaseException:
            db.close()
            raise

    @property
    def url(self) -> str:
        return self.db.url

    @property
    def display(self) -> str:
        """The store's name for messages (a PostgreSQL URL without credentials)."""
        return self.db.display

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def count_unlinked(self) -> int:
        """Asserted events not yet in a cluster (after --no-link, or a batch stopped before linking)."""
        row = self.db.one("SELECT COUNT(*) AS n FROM events WHERE cluster_id IS NULL AND modality = 'asserted'")
        return int(row["n"]) if row else 0

    # ---- articles -------------------------------------------------------------------------
    def find_article(self, article: Article) -> tuple[str, dict[str, Any]] | None:
        """('source'|'id'|'url'|'text', stored row) for a stored article this one is the same as, else None.

        See the module's identity rule: the article's own id (for a .txt or .html file, the file),
        then, for an article without an id of its own, its URL, then its text.
        """
        cols = "SELECT id, url, content_hash, source FROM articles WHERE "
        if _file_named(article):
            row = self.db.one(cols + "source = ?", (article.source,))
            if row is not None:
                return "source", row
        else:
            row = self.db.one(cols + "id = ?", (article.id,))
            if row is not None:
                return "id", row
        url = http_url(article.url)
        if url and not _own_id(article):
            # only an article that had no id of its own either, and not another row of the same file
            # (rows that share a page): one with its own id is another article (the rule's case 3)
            same = [r for r in self.db.rows(cols + "url = ? ORDER BY id", (url,))
                    if _hash_id(r["id"]) and not _other_row_of_same_file(r["source"], article.source)]
            if len(same) == 1:
                return "url", same[0]
        row = self.db.one(cols + "content_hash = ? ORDER BY id", (content_hash(article.text),))
        return ("text", row) if row is not None else None

    def is_stored(self, article: Article) -> Stored | None:
        """A Stored('duplicate') when this exact text is already in the store (no need to code it)."""
        found = self.find_article(article)
        if found and found[1]["content_hash"] == content_hash(article.text):
            return Stored("duplicate", article.id, same_as=found[1]["id"])
        return None

    def put_article(self, article: Article, events: Sequence[Event], coder_version: str) -> Stored:
        """Store one coded article and its events in one transaction."""
        digest = content_hash(article.text)
        with self.db.transaction():
            found = self.find_article(article)
            article_id = article.id
            status = "new"
            touched: set[str] = set()
            if found is not None:
                how, row = found
                if row["content_hash"] == digest or how == "text":
                    self._alias(article, row["id"])
                    return Stored("duplicate", article.id, same_as=row["id"])
                article_id, status = row["id"], "updated"
                touched = self._delete_article(article_id)
            elif self.db.one("SELECT id FROM articles WHERE id = ?", (article_id,)) is not None:
                # another file with the same name: a different article, under an id that stays the same
                article_id = f"{article.id}~{content_hash(article.source or digest)[:8]}"
            self._insert_article(article, article_id, digest, coder_version, len(events))
            for event in events:
                self._insert_event(event, article_id, coder_version)
            others = self._note_possible_duplicates(article_id, http_url(article.url))
            if article.source:
                self.db.execute("DELETE FROM skips WHERE source = ?", (article.source,))
            if touched:
                from eventwire.store.link import refresh_clusters

                refresh_clusters(self.db, touched)
        return Stored(status, article_id, len(events), possible_duplicates=others)

    def _note_possible_duplicates(self, article_id: str, url: str | None) -> tuple[str, ...]:
        """Pair the article with every other stored article of the same URL (the rule's case 3)."""
        if not url:
            return ()
        others = tuple(r["id"] for r in self.db.rows("SELECT id FROM articles WHERE url = ? AND id <> ? ORDER BY id",
                                                     (url, article_id)))
        self.db.executemany(
            "INSERT INTO possible_duplicates (article_id, other_id, reason, noted_at) VALUES (?,?,?,?) "
            "ON CONFLICT (article_id, other_id) DO NOTHING",
            [(*sorted((article_id, other)), f"same URL {url}", _now()) for other in others])
        return others

    def possible_duplicates(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Pairs of stored articles that share a URL but not their id (one article's pairs, or all)."""
        sql = "SELECT article_id, other_id, reason, noted_at FROM possible_duplicates"
        if article_id is None:
            return self.db.rows(sql + " ORDER BY article_id, other_id")
        return self.db.rows(sql + " WHERE article_id = ? OR other_id = ? ORDER BY article_id, other_id",
                            (article_id, article_id))

    def _alias(self, article: Article, stored_id: str) -> None:
        """Remember where else a stored text came from (a syndicated copy, the same file again)."""
        self.db.execute(
            "INSERT INTO article_aliases (article_id, source, url, publisher, seen_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT (article_id, source) DO UPDATE SET seen_at = excluded.seen_at",
            (stored_id, article.source or http_url(article.url) or article.id, http_url(article.url),
             _publisher(article), _now()))
        if article.source:
            self.db.execute("DELETE FROM skips WHERE source = ?", (article.source,))

    def note_duplicate(self, article: Article, stored_id: str) -> None:
        with self.db.transaction():
            self._alias(article, stored_id)

    def _delete_article(self, article_id: str) -> set[str]:
        """Remove an article's events (its clusters keep their other members); returns those clusters."""
        ids = [r["id"] for r in self.db.rows("SELECT id FROM events WHERE article_id = ?", (article_id,))]
        clusters = {r["cluster_id"] for r in self.db.rows(
            "SELECT DISTINCT cluster_id FROM events WHERE article_id = ? AND cluster_id IS NOT NULL", (article_id,))}
        if self.db.dialect == "sqlite":
            self.db.execute("DELETE FROM article_fts WHERE article_id = ?", (article_id,))
            self.db.execute("DELETE FROM event_rtree WHERE rid IN (SELECT rowid FROM events WHERE article_id = ?)",
                            (article_id,))
        for table in ("actors", "places", "claims", "evidence", "cluster_links"):
            self.db.executemany(f"DELETE FROM {table} WHERE event_id = ?", [(i,) for i in ids])
        self.db.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
        self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return clusters

    def _insert_article(self, article: Article, article_id: str, digest: str, coder_version: str,
                        n_events: int) -> None:
        publisher = _publisher(article)
        self.db.execute(
            "INSERT INTO articles (id, url, content_hash, title, publisher, published, source, language, text, "
            "coder_version, ingested_at, n_events) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (article_id, http_url(article.url), digest, article.title, publisher,
             article.published.isoformat() if article.published else None, article.source, article.language,
             article.text, coder_version, _now(), n_events))
        if self.db.dialect == "sqlite":
            self.db.execute("INSERT INTO article_fts (article_id, title, text) VALUES (?,?,?)",
                            (article_id, article.title, article.text))

    def _insert_event(self, event: Event, article_id: str, coder_version: str) -> None:
        loc = event.location
        actor, recipient = _role(event, "actor"), _role(event, "recipient")
        record = event.to_dict()
        record["article_id"] = article_id
        event_id = event.id if article_id == event.article_id else f"{event.id}~{article_id[-8:]}"
        record["id"] = event_id
        if event.acled_row_of and article_id != event.article_id:  # the protest's id is renamed the same way
            record["acled_row_of"] = f"{event.acled_row_of}~{article_id[-8:]}"
        values = (
            event_id, article_id, event.event_type, event.mode, event.acled_event_type, event.acled_sub_event_type,
            event.disorder_type, event.modality, event.date, event.date_precision,
            loc.country_code if loc else None, loc.admin1 if loc else None, loc.admin2 if loc else None,
            (loc.name or loc.text) if loc else None, loc.lat if loc else None, loc.lon if loc else None,
            loc.precision if loc else None, loc.geonameid if loc else None,
            actor.name or actor.text if actor else None, actor.country if actor else None,
            actor.sector if actor else None,
            recipient.name or recipient.text if recipient else None, recipient.country if recipient else None,
            recipient.sector if recipient else None,
            *_range(event.fatalities), *_range(event.injured), event.confidence, coder_version,
            json.dumps(record, ensure_ascii=False))
        self.db.execute(
            "INSERT INTO events (id, article_id, event_type, mode, acled_event_type, acled_sub_event_type, "
            "disorder_type, modality, date, date_precision, country, admin1, admin2, place, lat, lon, geo_precision, "
            "geonameid, actor, actor_country, actor_sector, recipient, recipient_country, recipient_sector, "
            "killed_low, killed_best, killed_high, injured_low, injured_best, injured_high, confidence, "
            f"coder_version, record) VALUES ({','.join('?' * len(values))})", values)
        if self.db.dialect == "sqlite" and loc is not None and loc.lat is not None:
            self.db.execute("INSERT INTO event_rtree SELECT rowid, ?, ?, ?, ? FROM events WHERE id = ?",
                            (loc.lat, loc.lat, loc.lon, loc.lon, event_id))
        self.db.executemany(
            "INSERT INTO actors VALUES (?,?,?,?,?,?,?,?,?)",
            [(event_id, a.role, a.text, a.name, a.code, a.country, a.sector,
              a.span.start if a.span else None, a.span.end if a.span else None) for a in event.actors])
        self.db.executemany(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(event_id, int(p is loc or p == loc), p.text, p.name, p.geonameid, p.lat, p.lon, p.country_code,
              p.admin1, p.admin2, p.precision, p.span.start if p.span else None, p.span.end if p.span else None)
             for p in (event.places or ((loc,) if loc else ()))])
        self.db.executemany(
            "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(event_id, c.claimant, c.claimant_text, c.killed, c.injured, c.arrested, c.abducted, c.hedge,
              int(c.no_figure), c.span.start if c.span else None, c.span.end if c.span else None,
              c.span.text if c.span else None) for c in event.claims])
        spans = [("trigger", event.trigger)] + [("evidence", s) for s in event.evidence]
        spans += [("modality", event.modality_span), ("date", event.date_span)]
        spans += [(a.role, a.span) for a in event.actors]
        spans += [("place", p.span) for p in event.places]
        spans += [("claim", c.span) for c in event.claims]
        self.db.executemany("INSERT INTO evidence VALUES (?,?,?,?,?)",
                            [(event_id, f, s.start, s.end, s.text) for f, s in spans if s is not None])

    # ---- skips ----------------------------------------------------------------------------
    def put_skip(self, skip: Skipped, coder_version: str) -> None:
        """Record why an input was not coded (one row per source; a re-run updates the reason)."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO skips (source, stage, reason, article_id, coder_version, skipped_at) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT (source) DO UPDATE SET stage = excluded.stage, reason = excluded.reason, "
                "article_id = excluded.article_id, coder_version = excluded.coder_version, "
                "skipped_at = excluded.skipped_at",
                (skip.source, skip.stage, skip.reason, skip.article_id, coder_version, _now()))

    def skips(self) -> list[dict[str, Any]]:
        return self.db.rows("SELECT source, stage, reason, article_id, coder_version, skipped_at FROM skips "
                            "ORDER BY source")

    # ---- counts ---------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "events", "clusters", "skips"):
            out[table] = int(self.db.one(f"SELECT COUNT(*) AS n FROM {table}")["n"])
        return out

    def count_possible_duplicates(self) -> int:
        return int(self.db.one("SELECT COUNT(*) AS n FROM possible_duplicates")["n"])


def _file_named(article: Article) -> bool:
    """The article's id is its file's name (a .txt or .html file), not an id of its own."""
    if not article.source or "://" in article.source:
        return False
    from pathlib import PurePath

    path = PurePath(article.source)
    return path.suffix.lower() in (".txt", ".text", ".html", ".htm") and path.stem == article.id


def _own_id(article: Article) -> bool:
    """The article has an id of its own (a row's id, a page's URL id, a file), not a hash of its text."""
    from eventwire.ingest.readers import text_hash

    return _file_named(article) or article.id != text_hash(article.text)


def _hash_id(article_id: str) -> bool:
    """A stored id that is a hash of the text first stored under it (``make_article``'s id for a row
    without one), not an id of its own: 16 lowercase hex digits."""
    return len(article_id) == 16 and all(c in "0123456789abcdef" for c in article_id)


def _other_row_of_same_file(stored: str | None, source: str | None) -> bool:
    """Two different rows (``path:line``) of one JSONL or CSV file."""
    def split(where: str | None) -> tuple[str, str] | None:
        if not where or "://" in where:
            return None
        path, _, line = where.rpartition(":")
        return (path, line) if path and line.isdigit() else None

    a, b = split(stored), split(source)
    return a is not None and b is not None and a[0] == b[0] and a[1] != b[1]


def _publisher(article: Article) -> str | None:
    return article.metadata.get("publisher") or article.metadata.get("source") or _host(http_url(article.url))


def _host(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host or None


def open_store(target: str | None = None, *, readonly: bool = False) -> Store:
    """Open the store at a SQLite path or a postgresql:// URL.

    For writing (the default) it is created when missing and upgraded when older. ``readonly=True``
    opens an existing store and never writes to it: a missing store, a file that is not an eventwire
    store and a newer schema are StoreErrors, and an older schema is read as it is (``store.schema``).
    """
    if not readonly:
        _refuse_foreign_file(target)
    return Store(connect(target, readonly=readonly), readonly=readonly)


def _refuse_foreign_file(target: str | None) -> None:
    """Refuse a SQLite file that is not an eventwire store before a writer opens it (switching it to
    WAL mode would already change it)."""
    import os
    from pathlib import Path

    path = str(target or os.environ.get("EVENTWIRE_DB") or DEFAULT_DB)
    if "://" in path or not Path(path).expanduser().is_file() or Path(path).expanduser().stat().st_size == 0:
        return
    refuse_read_only_file(path)
    db = connect(path, readonly=True)
    try:
        refuse_foreign(db, being_created_is_ours=True)
    finally:
        db.close()


def open_for_reading(target: str | None = None, *, link: bool = False, write: bool = True) -> Store:
    """Open an existing store for the read commands (events, stats, skips, explain, export).

    The store is opened read-only. Two things need a write, and happen only when ``write`` is true
    and the store can be written (a writable file, folder and file system; a PostgreSQL user with
    write rights): upgrading an older schema, and, when ``link`` is true, linking the events an
    interrupted ingest left out of every cluster (``store.linked`` is then the LinkReport).
    Otherwise an older schema is a StoreError (queries need the current one), and events left
    unlinked are counted in ``store.unlinked`` and left out of cluster counts.

    >>> with open_for_reading("eventwire.db", link=True) as store:  # doctest: +SKIP
    ...     store.linked, store.unlinked
    (None, 0)
    """
    store = open_store(target, readonly=True)
    try:
        old = store.schema < SCHEMA_VERSION
        unlinked = store.count_unlinked() if link and store.schema >= 2 else 0
    except BaseException:
        store.close()
        raise
    if not old and not unlinked:
        return store
    reason = "it was opened read-only"
    if write:
        try:
            writer = open_store(target)
            try:
                if link:
                    from eventwire.store.link import ensure_linked

                    writer.linked = ensure_linked(writer)
            except BaseException:
                writer.close()
                raise
        except StoreReadOnly as exc:
            reason = exc.reason
        else:
            store.close()
            return writer
    if old:
        version, shown = store.schema, store.display
        store.close()
        raise StoreError(f"{shown} has schema version {version}, older than this eventwire's ({SCHEMA_VERSION}), "
                         f"and cannot be upgraded: {reason}",
                         f"upgrade it once where it can be written (`eventwire link --db {shown}`), then read it")
    store.unlinked = unlinked
    return store
