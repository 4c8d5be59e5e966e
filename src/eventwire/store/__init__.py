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
    import hashlib

    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


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
        """('id'|'url'|'text', stored row) for a stored article this one is the same as, else None."""
        digest = content_hash(article.text)
        row = self.db.one("SELECT id, url, content_hash, source FROM articles WHERE id = ?", (article.id,))
        if row is not None:
            if row["content_hash"] != digest and row["source"] and article.source and row["source"] != article.source \
                    and not article.url:
                row = None  # another file with the same name: a different article
            else:
                return "id", row
        if article.url:
            row = self.db.one("SELECT id, url, content_hash, source FROM articles WHERE url = ?", (article.url,))
            if row is not None:
                return "url", row
        row = self.db.one("SELECT id, url, content_hash, source FROM articles WHERE content_hash = ?", (digest,))
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
            if found is not None:
                how, row = found
                if row["content_hash"] == digest:
                    return Stored("duplicate", article.id, same_as=row["id"])
                if how == "text":  # cannot happen: the same text has the same digest
                    return Stored("duplicate", article.id, same_as=row["id"])
                article_id, status = row["id"], "updated"
                self._delete_article(article_id)
            elif self.db.one("SELECT id FROM articles WHERE id = ?", (article_id,)) is not None:
                article_id = f"{article.id}~{digest[:8]}"  # a different article under a taken id
            self._insert_article(article, article_id, digest, coder_version, len(events))
            for event in events:
                self._insert_event(event, article_id, coder_version)
            self.db.execute("DELETE FROM skips WHERE article_id = ? OR article_id = ?", (article.id, article_id))
        return Stored(status, article_id, len(events))

    def _delete_article(self, article_id: str) -> None:
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
        for cid in clusters:  # the remaining members are re-linked from scratch
            self.db.execute("UPDATE events SET cluster_id = NULL WHERE cluster_id = ?", (cid,))
            self.db.execute("DELETE FROM cluster_links WHERE cluster_id = ?", (cid,))
            self.db.execute("DELETE FROM clusters WHERE id = ?", (cid,))

    def _insert_article(self, article: Article, article_id: str, digest: str, coder_version: str,
                        n_events: int) -> None:
        publisher = article.metadata.get("publisher") or article.metadata.get("source") or _host(article.url)
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


def _host(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host or None


def open_store(target: str | None = None) -> Store:
    """Open (creating or upgrading) the store at a SQLite path or a postgresql:// URL."""
    return Store(connect(target))
