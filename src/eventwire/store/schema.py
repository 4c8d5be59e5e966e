"""The store's schema as numbered migrations; a database is upgraded in order, never silently broken.

Each migration is a list of statements per dialect (``common`` runs on both). ``migrate`` applies
the missing ones inside one transaction and records the version; a database written by a newer
eventwire (a higher version than this code knows) is refused with a clear error, and so is a
database that holds other tables but no eventwire schema (it is never altered). ``check_store``
does the same checks for a store opened read-only, without writing anything.
"""
from __future__ import annotations

from eventwire.errors import StoreError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate", "schema_version", "check_store", "refuse_foreign"]

_V1_COMMON = [
    """CREATE TABLE articles (
        id TEXT PRIMARY KEY, url TEXT, content_hash TEXT NOT NULL, title TEXT, publisher TEXT,
        published TEXT, source TEXT, language TEXT, text TEXT NOT NULL, coder_version TEXT NOT NULL,
        ingested_at TEXT NOT NULL, n_events INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX articles_url ON articles(url)",
    "CREATE INDEX articles_hash ON articles(content_hash)",
    """CREATE TABLE events (
        id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        event_type TEXT NOT NULL, mode TEXT, acled_event_type TEXT, acled_sub_event_type TEXT,
        disorder_type TEXT, modality TEXT NOT NULL, date TEXT, date_precision TEXT,
        country TEXT, admin1 TEXT, admin2 TEXT, place TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION,
        geo_precision TEXT, geonameid BIGINT,
        actor TEXT, actor_country TEXT, actor_sector TEXT,
        recipient TEXT, recipient_country TEXT, recipient_sector TEXT,
        killed_low INTEGER, killed_best INTEGER, killed_high INTEGER,
        injured_low INTEGER, injured_best INTEGER, injured_high INTEGER,
        confidence DOUBLE PRECISION, coder_version TEXT NOT NULL, record TEXT NOT NULL)""",
    "CREATE INDEX events_article ON events(article_id)",
    "CREATE INDEX events_date ON events(date)",
    "CREATE INDEX events_block ON events(country, event_type, date)",
    "CREATE INDEX events_lat_lon ON events(lat, lon)",
    """CREATE TABLE actors (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE, role TEXT NOT NULL, text TEXT,
        name TEXT, code TEXT, country TEXT, sector TEXT, span_start INTEGER, span_end INTEGER)""",
    "CREATE INDEX actors_event ON actors(event_id)",
    """CREATE TABLE places (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE, is_location INTEGER NOT NULL,
        text TEXT, name TEXT, geonameid BIGINT, lat DOUBLE PRECISION, lon DOUBLE PRECISION, country TEXT,
        admin1 TEXT, admin2 TEXT, geo_precision TEXT, span_start INTEGER, span_end INTEGER)""",
    "CREATE INDEX places_event ON places(event_id)",
    """CREATE TABLE claims (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE, claimant TEXT, claimant_text TEXT,
        killed INTEGER, injured INTEGER, arrested INTEGER, abducted INTEGER, hedge TEXT,
        no_figure INTEGER NOT NULL DEFAULT 0, span_start INTEGER, span_end INTEGER, span_text TEXT)""",
    "CREATE INDEX claims_event ON claims(event_id)",
    """CREATE TABLE evidence (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE, field TEXT NOT NULL,
        span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, text TEXT NOT NULL)""",
    "CREATE INDEX evidence_event ON evidence(event_id)",
    """CREATE TABLE skips (
        source TEXT PRIMARY KEY, stage TEXT NOT NULL, reason TEXT NOT NULL, article_id TEXT,
        coder_version TEXT NOT NULL, skipped_at TEXT NOT NULL)""",
]
_V1 = {
    "common": _V1_COMMON,
    "sqlite": [
        "CREATE VIRTUAL TABLE article_fts USING fts5(article_id UNINDEXED, title, text)",
        "CREATE VIRTUAL TABLE event_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon)",
    ],
    "postgresql": [
        "CREATE INDEX articles_fts ON articles USING GIN "
        "(to_tsvector('english', coalesce(title, '') || ' ' || text))",
    ],
}
# v2: cross-article linking (clusters of events that describe one real event, and why they joined)
_V2 = {
    "common": [
        "ALTER TABLE events ADD COLUMN cluster_id TEXT",
        "CREATE INDEX events_cluster ON events(cluster_id)",
        """CREATE TABLE clusters (
            id TEXT PRIMARY KEY, event_type TEXT NOT NULL, country TEXT, admin1 TEXT, date TEXT,
            date_precision TEXT, n_events INTEGER NOT NULL, n_articles INTEGER NOT NULL, first_report TEXT,
            killed_low INTEGER, killed_best INTEGER, killed_high INTEGER,
            injured_low INTEGER, injured_best INTEGER, injured_high INTEGER, representative TEXT)""",
        "CREATE INDEX clusters_block ON clusters(country, event_type, date)",
        """CREATE TABLE cluster_links (
            event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE, cluster_id TEXT NOT NULL,
            joined_with TEXT, score DOUBLE PRECISION, reasons TEXT NOT NULL)""",
    ],
}
# v3: clusters are read through their representative event (stats and exports filter on it)
_V3 = {"common": ["CREATE INDEX clusters_representative ON clusters(representative)"]}
# v4: where else a stored text came from (syndicated copies), and stemmed full-text search on SQLite
# (as PostgreSQL's english configuration does: "markets" finds "market")
_V4 = {
    "common": [
        """CREATE TABLE article_aliases (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, source TEXT NOT NULL,
            url TEXT, publisher TEXT, seen_at TEXT NOT NULL, PRIMARY KEY (article_id, source))""",
    ],
    "sqlite": [
        "DROP TABLE article_fts",
        "CREATE VIRTUAL TABLE article_fts USING fts5(article_id UNINDEXED, title, text, "
        "tokenize = 'porter unicode61')",
        "INSERT INTO article_fts (article_id, title, text) SELECT id, title, text FROM articles",
    ],
}
# v5: articles that share a URL but not their id are two articles, noted as possible duplicates
# (one pair per row, the smaller id first)
_V5 = {
    "common": [
        """CREATE TABLE possible_duplicates (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            other_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            reason TEXT NOT NULL, noted_at TEXT NOT NULL, PRIMARY KEY (article_id, other_id))""",
        "CREATE INDEX possible_duplicates_other ON possible_duplicates(other_id)",
    ],
}
MIGRATIONS: list[dict[str, list[str]]] = [_V1, _V2, _V3, _V4, _V5]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db) -> int:
    if not db.has_table("schema_version"):
        return 0
    row = db.one("SELECT MAX(version) AS v FROM schema_version")
    return int(row["v"] or 0) if row else 0


def _newer(db, version: int) -> StoreError:
    return StoreError(f"{db.display} has schema version {version}, newer than this eventwire knows "
                      f"({SCHEMA_VERSION})", "upgrade eventwire to read it")


STORE_TABLES = frozenset({"schema_version", "articles", "events", "actors", "places", "claims", "evidence", "skips",
                          "clusters", "cluster_links", "article_aliases", "possible_duplicates"})


def refuse_foreign(db, *, being_created_is_ours: bool = False) -> None:
    """A StoreError when the database holds tables but no eventwire schema: it is left as it is.

    ``being_created_is_ours``: a file that already holds some of the store's own tables is taken for a
    store another process is creating at this moment (a look from outside its transaction can see it
    half-made); the writer's own check, inside its transaction, then sees it whole.
    """
    if not db.has_table("schema_version"):
        if being_created_is_ours and STORE_TABLES & set(db.user_tables()):
            return
        foreign = _foreign(db)
        if foreign is not None:
            raise foreign


def _foreign(db) -> StoreError | None:
    """An error when the database holds tables but no eventwire schema (SQLite: any table; PostgreSQL,
    where a database is often shared: a table named like one of the store's)."""
    tables = db.user_tables()
    if db.dialect != "sqlite":
        tables = [t for t in tables if t in STORE_TABLES]
    if not tables:
        return None
    shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
    return StoreError(f"{db.display} is not an eventwire store: it holds other tables ({shown})",
                      "give the path of an eventwire store, or a new file for a new one")


def check_store(db) -> int:
    """The schema version of a store opened read-only; a StoreError when it is no store or a newer one."""
    version = schema_version(db)
    if version == 0:
        refuse_foreign(db)
        create = f"create one with `eventwire ingest FILES --db {db.display}`"
        if db.dialect == "sqlite":
            raise StoreError(f"{db.display} is empty, not an eventwire store", create)
        raise StoreError(f"no eventwire store in {db.display}", create)
    if version > SCHEMA_VERSION:
        raise _newer(db, version)
    return version


def migrate(db, target: int = SCHEMA_VERSION) -> tuple[int, int]:
    """Bring ``db`` up to ``target``; returns (version before, version after)."""
    with db.transaction():
        if not db.has_table("schema_version"):
            refuse_foreign(db)
            db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        before = schema_version(db)
        if before > SCHEMA_VERSION:
            raise _newer(db, before)
        for version in range(before + 1, target + 1):
            step = MIGRATIONS[version - 1]
            for statement in step.get("common", []) + step.get(db.dialect, []):
                db.execute(statement)
            db.execute("INSERT INTO schema_version VALUES (?, CURRENT_TIMESTAMP)", (version,))
    return before, max(before, target)
