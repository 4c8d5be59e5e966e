"""Reading the store: filtered events, counts per group, cluster records, and explanations.

``Filters`` is shared by ``eventwire events``, ``stats`` and ``export``. Events are filtered on
their own fields; ``stats`` and the exports count clusters (one row per real event), each seen
through its representative event.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Iterable

from eventwire.errors import StoreError
from eventwire.models import http_url

__all__ = ["Filters", "find_events", "stats", "cluster_records", "events_frame", "explain_id", "GROUPS",
           "FRAME_COLUMNS"]

GROUPS = ("country", "admin1", "week", "month", "year", "type", "acled_type", "day")


@dataclass
class Filters:
    since: str | None = None
    until: str | None = None
    country: str | None = None
    admin1: str | None = None
    type: str | None = None
    acled_type: str | None = None
    actor: str | None = None
    bbox: str | None = None
    text: str | None = None
    modality: str | None = "asserted"

    def where(self, db) -> tuple[str, list[Any]]:
        """A WHERE clause over events ``e`` joined to articles ``a``."""
        parts, params = ["1 = 1"], []
        for bound, op in ((self.since, ">="), (self.until, "<=")):
            if bound:
                _check_date(bound)
                parts.append(f"COALESCE(e.date, a.published) {op} ?")
                params.append(bound if op == ">=" else bound + "~")
        if self.country:
            parts.append("e.country IN (" + ",".join("?" * len(codes := _countries(self.country))) + ")")
            params += codes
        if self.admin1:
            parts.append("LOWER(e.admin1) = LOWER(?)")
            params.append(self.admin1)
        if self.type:
            types = [t.strip().upper() for t in self.type.split(",") if t.strip()]
            parts.append("e.event_type IN (" + ",".join("?" * len(types)) + ")")
            params += types
        if self.acled_type:
            parts.append("(LOWER(e.acled_sub_event_type) = LOWER(?) OR LOWER(e.acled_event_type) = LOWER(?))")
            params += [self.acled_type, self.acled_type]
        if self.actor:
            parts.append("e.id IN (SELECT event_id FROM actors WHERE LOWER(COALESCE(name, text)) LIKE LOWER(?) "
                         "ESCAPE '!' OR code = ? OR country = ?)")
            like = self.actor.replace("!", "!!").replace("%", "!%").replace("_", "!_")
            params += [f"%{like}%", self.actor.upper(), self.actor.upper()]
        if self.bbox:
            west, south, east, north = _bbox(self.bbox)
            if db.dialect == "sqlite":  # the R*Tree narrows (its floats are rounded), the columns decide
                parts.append("e.rowid IN (SELECT rid FROM event_rtree WHERE max_lat >= ? AND min_lat <= ? "
                             "AND max_lon >= ? AND min_lon <= ?)")
                params += [south, north, west, east]
            parts.append("e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?")
            params += [south, north, west, east]
        if self.text:
            parts.append(db.search_clause())
            params.append(db.search_param(self.text))
        if self.modality and self.modality != "all":
            mods = [m.strip() for m in self.modality.split(",")]
            bad = set(mods) - {"asserted", "negated", "hypothetical", "future", "historical"}
            if bad:
                raise StoreError(f"unknown modality {', '.join(sorted(bad))}",
                                 "use asserted, negated, hypothetical, future, historical or all")
            parts.append("e.modality IN (" + ",".join("?" * len(mods)) + ")")
            params += mods
        return " AND ".join(parts), params


def _check_date(value: str) -> None:
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise StoreError(f"not a date: {value!r}", "use YYYY-MM-DD") from None


def _bbox(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(x) for x in text.split(","))
    except ValueError:
        raise StoreError(f"--bbox {text!r} is not four numbers", "use WEST,SOUTH,EAST,NORTH in degrees") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise StoreError(f"--bbox {text!r} is out of range", "use WEST,SOUTH,EAST,NORTH in degrees")
    return west, south, east, north


def _countries(text: str) -> list[str]:
    """ISO alpha-3 codes for a comma list of codes or names ("SOM", "Somalia", "so")."""
    import pycountry

    out = []
    for item in (x.strip() for x in text.split(",")):
        if not item:
            continue
        found = None
        try:
            found = pycountry.countries.lookup(item)
        except LookupError:
            try:
                found = pycountry.countries.search_fuzzy(item)[0]
            except LookupError:
                raise StoreError(f"unknown country {item!r}", "use an ISO code or an English name") from None
        out.append(found.alpha_3)
    return out


FRAME_COLUMNS = ("id", "cluster_id", "date", "date_precision", "event_type", "mode", "acled_event_type",
                 "acled_sub_event_type", "disorder_type", "modality", "actor", "actor_country", "actor_sector",
                 "recipient", "recipient_country", "recipient_sector", "place", "admin1", "admin2", "country", "lat",
                 "lon", "geo_precision", "geonameid", "killed_low", "killed_best", "killed_high", "injured_low",
                 "injured_best", "injured_high", "confidence", "coder_version", "article_id", "publisher", "url",
                 "published", "title")


def find_events(store, filters: Filters | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    db = store.db
    where, params = (filters or Filters()).where(db)
    cols = ", ".join(f"e.{c}" for c in FRAME_COLUMNS[:32])
    sql = (f"SELECT {cols}, a.id AS article_id, a.publisher, a.url, a.published, a.title "
           "FROM events e JOIN articles a ON a.id = e.article_id "
           f"WHERE {where} ORDER BY COALESCE(e.date, a.published) IS NULL, COALESCE(e.date, a.published), e.id")
    if limit:
        sql += f" LIMIT {int(limit)}"
    rows = db.rows(sql, params)
    for row in rows:  # a store written before URLs were checked may hold others
        row["url"] = http_url(row["url"])
    return rows


def events_frame(store, filters: Filters | None = None):
    """The filtered events as a pandas DataFrame (dates as datetime64, figures as nullable integers)."""
    import pandas as pd

    frame = pd.DataFrame(find_events(store, filters), columns=FRAME_COLUMNS)
    if frame.empty:
        return frame
    for col in ("date", "published"):
        frame[col] = pd.to_datetime(frame[col], errors="coerce")
    for col in ("killed_low", "killed_best", "killed_high", "injured_low", "injured_best", "injured_high",
                "geonameid"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _clusters(store, filters: Filters | None) -> list[dict[str, Any]]:
    """Clusters with at least one member event that passes the filters, seen through their representative."""
    f = filters or Filters()
    if not any(getattr(f, k.name) for k in fields(Filters) if k.name != "modality"):
        return store.db.rows(  # no filter: every cluster (their members are asserted events)
            "SELECT c.*, r.acled_event_type, r.acled_sub_event_type FROM clusters c "
            "JOIN events r ON r.id = c.representative ORDER BY c.date IS NULL, c.date, c.id")
    where, params = f.where(store.db)
    return store.db.rows(
        "SELECT c.*, r.acled_event_type, r.acled_sub_event_type FROM clusters c "
        "JOIN events r ON r.id = c.representative "
        "WHERE c.id IN (SELECT e.cluster_id FROM events e JOIN articles a ON a.id = e.article_id "
        f"WHERE e.cluster_id IS NOT NULL AND {where}) ORDER BY c.date IS NULL, c.date, c.id", params)


def _group_key(row: dict[str, Any], by: str) -> str:
    day = (row.get("date") or "")[:10]
    if by == "country":
        return row.get("country") or "?"
    if by == "admin1":
        return row.get("admin1") or "?"
    if by == "type":
        return row.get("event_type") or "?"
    if by == "acled_type":
        return row.get("acled_sub_event_type") or "-"
    if not day:
        return "?"
    d = date.fromisoformat(day)
    if by == "week":
        iso = d.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    if by == "month":
        return day[:7]
    if by == "year":
        return day[:4]
    return day


def stats(store, by: Iterable[str], filters: Filters | None = None) -> list[dict[str, Any]]:
    """Counts per group: clusters (real events), articles, and fatalities summed over clusters."""
    by = list(by)
    bad = [b for b in by if b not in GROUPS]
    if bad:
        raise StoreError(f"cannot group by {', '.join(bad)}", f"use {', '.join(GROUPS)}")
    groups: dict[tuple, dict[str, Any]] = defaultdict(lambda: {"events": 0, "articles": 0, "fatalities_best": 0,
                                                                "fatalities_low": 0, "fatalities_high": 0})
    for c in _clusters(store, filters):
        g = groups[tuple(_group_key(c, b) for b in by)]
        g["events"] += 1
        g["articles"] += c["n_articles"] or 0
        for k in ("best", "low", "high"):
            g[f"fatalities_{k}"] += c[f"killed_{k}"] or 0
    return [dict(zip(by, key)) | value for key, value in sorted(groups.items())]


def cluster_records(store, filters: Filters | None = None) -> list[dict[str, Any]]:
    """One record per cluster, in the shape the exporters read (see eventwire.export)."""
    from eventwire import __version__

    db = store.db
    out = []
    for c in _clusters(store, filters):
        members = db.rows("SELECT e.id, e.record, e.coder_version, a.id AS article_id, a.url, a.title, a.published, "
                          "a.publisher FROM events e JOIN articles a ON a.id = e.article_id WHERE e.cluster_id = ? "
                          "ORDER BY a.published, e.id", (c["id"],))
        if not members:  # a cluster whose events were all taken out of it: nothing to write
            continue
        member_recs = [{"event": json.loads(m["record"]),
                        "article": {"id": m["article_id"], "url": http_url(m["url"]), "title": m["title"],
                                    "published": m["published"], "publisher": m["publisher"]}} for m in members]
        rep = next((m["event"] for m in member_recs if m["event"]["id"] == c["representative"]), member_recs[0]["event"])
        sources, seen = [], set()
        claims = []
        for m in member_recs:
            art = m["article"]
            if art["id"] not in seen:
                seen.add(art["id"])
                sources.append({"article_id": art["id"], "url": art["url"], "publisher": art["publisher"],
                                "published": art["published"], "title": art["title"]})
            for claim in m["event"].get("claims") or []:
                claims.append(dict(claim, article_id=art["id"], publisher=art["publisher"]))
        out.append({
            "id": c["id"], "event": rep, "members": member_recs, "sources": sources,
            "n_articles": c["n_articles"], "first_report": c["first_report"], "claims": claims,
            "fatalities": {"low": c["killed_low"], "best": c["killed_best"], "high": c["killed_high"]},
            "injured": {"low": c["injured_low"], "best": c["injured_best"], "high": c["injured_high"]},
            "coder_version": members[0]["coder_version"] if members else __version__,
        })
    return out


def explain_id(store, ident: str) -> dict[str, Any] | None:
    """An event (its record, evidence and cluster link) or a cluster (its members and why they joined)."""
    db = store.db
    ev = db.one("SELECT e.id, e.record, e.cluster_id, e.article_id, a.url, a.publisher, a.published FROM events e "
                "JOIN articles a ON a.id = e.article_id WHERE e.id = ?", (ident,))
    if ev is not None:
        link = db.one("SELECT cluster_id, joined_with, score, reasons FROM cluster_links WHERE event_id = ?", (ident,))
        evidence = db.rows("SELECT field, span_start, span_end, text FROM evidence WHERE event_id = ? "
                           "ORDER BY span_start, field", (ident,))
        return {"kind": "event", "record": json.loads(ev["record"]),
                "article": {"url": http_url(ev["url"]), "publisher": ev["publisher"], "published": ev["published"]},
                "evidence": evidence, "link": dict(link, reasons=json.loads(link["reasons"])) if link else None,
                "possible_duplicates": store.possible_duplicates(ev["article_id"])}
    cl = db.one("SELECT * FROM clusters WHERE id = ?", (ident,))
    if cl is None:
        return None
    links = db.rows("SELECT l.event_id, l.joined_with, l.score, l.reasons, a.publisher, a.url, a.published, "
                    "e.date, e.place, e.killed_best FROM cluster_links l JOIN events e ON e.id = l.event_id "
                    "JOIN articles a ON a.id = e.article_id WHERE l.cluster_id = ? ORDER BY a.published, e.id", (ident,))
    claims = db.rows("SELECT c.claimant, c.claimant_text, c.killed, c.injured, c.span_text, a.publisher FROM claims c "
                     "JOIN events e ON e.id = c.event_id JOIN articles a ON a.id = e.article_id "
                     "WHERE e.cluster_id = ? ORDER BY a.published", (ident,))
    return {"kind": "cluster", "cluster": cl,
            "members": [dict(x, reasons=json.loads(x["reasons"]), url=http_url(x["url"])) for x in links],
            "claims": claims}


def filters_from(args) -> Filters:
    names = {f.name for f in fields(Filters)}
    return Filters(**{k: getattr(args, k) for k in names if getattr(args, k, None) is not None})
