"""The event store: articles, events, actors, places, claims, evidence spans, skips and clusters.

One SQLite file by default (WAL mode, FTS5 over article text, an R*Tree over event locations), or
a PostgreSQL database for a team (``postgresql://...``), with the same behaviour. Each article is
written in one transaction, so a batch killed at any point loses nothing that was committed and
leaves nothing half-written; re-running the batch stores each article once.

Identity rule (documented in the README): an article is the same article when it has the same id,
the same URL, or the same body text after whitespace is normalised. The same text again is a
duplicate and is not re-coded. The same id or URL with different text is a changed article: it is
re-coded and its events are replaced. (A different file that happens to share a file-name id but
not its text and source is a different article; it is stored under its id with a suffix.)
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

from eventwire.errors import StoreError
from eventwire.models import Article, Event, Skipped
from eventwire.store.db import DEFAULT_DB, Database, connect
from eventwire.store.schema import SCHEMA_VERSION, migrate, schema_version

__all__ = ["Store", "open_store", "DEFAULT_DB", "SCHEMA_VERSION", "content_hash", "Stored"]


def content_hash(text: str) -> str:
    """The whole SHA-1 of the text with whitespace normalised: one article however it was spaced."""
    from eventwire.ingest.readers import text_hash

    return text_hash(text, 40)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Stored:
    """What happened to one article: 'new', 'updated' (changed text, re-coded) or 'duplicate'."""

    status: str
    article_id: str
    n_events: int = 0
    same_as: str | None = None


def _range(r) -> tuple[Any, Any, Any]:
    return (r.low, r.best, r.high) if r is not None else (None, None, None)


def _role(event: Event, role: str):
    return next((a for a in event.actors if a.role == role), None)


class Store:
    """A migrated database and the operations eventwire needs on it."""

    def __init__(self, db: Database):
        self.db = db
        try:
            self.upgraded_from, _ = migrate(db)
        except BaseException:
            db.close()
            raise

    @property
    def url(self) -> str:
        return self.db.url

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- articles -------------------------------------------------------------------------
    def find_article(self, article: Article) -> tuple[str, dict[str, Any]] | None:
        """('source'|'id'|'url'|'text', stored row) for a stored article this one is the same as, else None.

        An article named after its file (a .txt or .html file's name is its id) is the same article
        as the one stored from that file; any other id (a JSONL/CSV row's, a URL's) names one article
        wherever it comes from.
        """
        cols = "SELECT id, url, content_hash, source FROM articles WHERE "
        digest = content_hash(article.text)
        if _file_named(article):
            row = self.db.one(cols + "source = ?", (article.source,))
            if row is not None:
                return "source", row
        else:
            row = self.db.one(cols + "id = ?", (article.id,))
            if row is not None:
                return "id", row
        if article.url:
            row = self.db.one(cols + "url = ?", (article.url,))
            if row is not None:
                return "url", row
        row = self.db.one(cols + "content_hash = ?", (digest,))
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
            if article.source:
                self.db.execute("DELETE FROM skips WHERE source = ?", (article.source,))
            if touched:
                from eventwire.store.link import refresh_clusters

                refresh_clusters(self.db, touched)
        return Stored(status, article_id, len(events))

    def _alias(self, article: Article, stored_id: str) -> None:
        """Remember where else a stored text came from (a syndicated copy, the same file again)."""
        self.db.execute(
            "INSERT INTO article_aliases (article_id, source, url, publisher, seen_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT (article_id, source) DO UPDATE SET seen_at = excluded.seen_at",
            (stored_id, article.source or article.url or article.id, article.url, _publisher(article), _now()))
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
            (article_id, article.url, digest, article.title, publisher,
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


def _file_named(article: Article) -> bool:
    """The article's id is its file's name (a .txt or .html file), not an id of its own."""
    if not article.source or "://" in article.source:
        return False
    from pathlib import PurePath

    path = PurePath(article.source)
    return path.suffix.lower() in (".txt", ".text", ".html", ".htm") and path.stem == article.id


def _publisher(article: Article) -> str | None:
    return article.metadata.get("publisher") or article.metadata.get("source") or _host(article.url)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host or None


def open_store(target: str | None = None) -> Store:
    """Open (creating or upgrading) the store at a SQLite path or a postgresql:// URL."""
    return Store(connect(target))
