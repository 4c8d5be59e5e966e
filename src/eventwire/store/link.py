"""Cross-article linking: events from different articles that describe one real event become one cluster.

Only asserted events are linked (a threat or a denial is not the event it mentions). Candidates
come from blocking, never from comparing all pairs: a new event is compared only with clustered
events of the same PLOVER type, in the same country, dated within about a month of it
(``events_block`` index: country × type × date). Each reported date stands for the days its
precision allows (a day, a week, a month, a year); two events can be one only if those intervals
overlap or are ``SLACK_DAYS`` apart. A candidate must not conflict on place (different admin1, or
two towns more than ``MAX_KM`` apart) and must reach ``JOIN_SCORE`` from the evidence:

- date: the same day +1; overlapping or adjacent periods +0.5
- place: the same GeoNames place +2; within ``MAX_KM`` +1.5; the same admin1 +1; one of them only
  known to the country +0 (and then only one cluster may qualify)
- actors: the same named actor +1; different actors (other sector and no shared name word) -1,
  else actors of different countries -1; the same recipient +0.5, a different recipient -0.5

The event joins the best-scoring cluster, and the reasons are stored in ``cluster_links`` for
``eventwire explain``. Cluster figures (see README, "Cluster figures"): ``low`` is the smallest
figure any source's claim gives, ``high`` the largest, and ``best`` the median of each article's
own best figure (one vote per article, so a figure many outlets repeat weighs more than one outlier).
"""
from __future__ import annotations

import hashlib
import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Callable

__all__ = ["link_events", "LinkReport", "JOIN_SCORE", "refresh_clusters", "interval", "compare", "ensure_linked"]

JOIN_SCORE = 2.0
MAX_KM = 30.0
SLACK_DAYS = 1  # "on Tuesday" in one report, "on Tuesday night" read as Wednesday in another
BLOCK_DAYS = 33  # candidates are looked for within a month or so either side (then compared exactly)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _km(a: dict, b: dict) -> float | None:
    if None in (a["lat"], a["lon"], b["lat"], b["lon"]):
        return None
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dp, dl = p2 - p1, math.radians(b["lon"] - a["lon"])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


FINE = {"town", "near", "admin2", "place", "city", "neighbourhood", "facility"}


def interval(day: date, precision: str | None) -> tuple[date, date]:
    """The days a reported date can mean: a day, its week, its month, its year."""
    if precision == "week":
        return day, day + timedelta(days=6)
    if precision == "month":
        nxt = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        return day.replace(day=1), nxt - timedelta(days=1)
    if precision == "year":
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    return day, day


def _different(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    words = lambda x: {w for w in "".join(c if c.isalnum() else " " for c in x.lower()).split() if len(w) > 2}  # noqa
    return not (words(a) & words(b))


def compare(e: dict, m: dict, max_km: float = MAX_KM) -> tuple[float, list[str]] | None:
    """How well event ``e`` agrees with clustered event ``m``: (score, reasons), or None on a conflict."""
    reasons: list[str] = []
    score = 0.0
    d1, d2 = _day(e["when"]), _day(m["when"])
    if d1 is None or d2 is None:
        return None
    (s1, e1), (s2, e2) = interval(d1, e["date_precision"]), interval(d2, m["date_precision"])
    gap = max(0, (s2 - e1).days, (s1 - e2).days)
    if gap > SLACK_DAYS:
        return None
    if d1 == d2 and e["date_precision"] == m["date_precision"] == "day":
        score += 1
        reasons.append(f"same date {d1.isoformat()}")
    else:
        score += 0.5
        reasons.append(f"dates {d1.isoformat()} ({e['date_precision'] or 'undated'}) and {d2.isoformat()} "
                       f"({m['date_precision'] or 'undated'}) " + ("overlap" if gap == 0 else f"{gap} day apart"))
    km = _km(e, m)
    fine = e["geo_precision"] in FINE and m["geo_precision"] in FINE
    if e["admin1"] and m["admin1"] and e["admin1"] != m["admin1"]:
        return None
    if e["geonameid"] is not None and e["geonameid"] == m["geonameid"]:
        score += 2
        reasons.append(f"same place {e['place']} (GeoNames {e['geonameid']})")
    elif km is not None and fine and km > max_km:
        return None
    elif km is not None and fine:
        score += 1.5
        reasons.append(f"places {e['place']} and {m['place']} {km:.0f} km apart")
    elif e["admin1"] and e["admin1"] == m["admin1"]:
        score += 1
        reasons.append(f"same admin1 {e['admin1']}")
    else:
        reasons.append(f"place only known to the country ({e['place'] or e['country']} / {m['place'] or m['country']})")
    for role, weight in (("actor", 1.0), ("recipient", 0.5)):
        delta, reason = _party_agreement(e, m, role, by_country=role == "actor")
        if reason:
            score += weight * delta
            reasons.append(reason)
    return score, reasons


def _party_agreement(e: dict, m: dict, role: str, by_country: bool) -> tuple[int, str | None]:
    """+1 when both name the same actor (or recipient), -1 when their sectors (or, for actors, their
    countries) differ, with the reason; (0, None) when nothing can be said."""
    a, b = e[role], m[role]
    if a and b and a.lower() == b.lower():
        return 1, f"same {role} {a}"
    sa, sb = e[f"{role}_sector"], m[f"{role}_sector"]
    if sa and sb and sa != sb and _different(a, b):
        return -1, f"different {role}s ({a} / {b})"
    if by_country and e[f"{role}_country"] and m[f"{role}_country"] and e[f"{role}_country"] != m[f"{role}_country"]:
        return -1, f"{role}s of different countries ({e[f'{role}_country']} / {m[f'{role}_country']})"
    return 0, None


def _vague(e: dict) -> bool:
    return not e["admin1"] and e["geonameid"] is None


@dataclass
class LinkReport:
    linked: int = 0
    joined: int = 0
    new_clusters: int = 0
    touched: set[str] = field(default_factory=set)


_EVENT_COLS = ("e.id, e.article_id, e.event_type, e.date, e.date_precision, e.country, e.admin1, e.place, e.lat, "
               "e.lon, e.geo_precision, e.geonameid, e.actor, e.actor_country, e.actor_sector, e.recipient, "
               "e.recipient_sector, e.confidence, "
               "e.cluster_id, COALESCE(e.date, a.published) AS when_, a.published")


def _event_rows(db, where: str, params: tuple) -> list[dict]:
    rows = db.rows(f"SELECT {_EVENT_COLS} FROM events e JOIN articles a ON a.id = e.article_id WHERE {where}",
                   params)
    for r in rows:
        r["when"] = r.pop("when_")
    return rows


def link_events(store, max_km: float = MAX_KM, progress: Callable[[int, int], None] | None = None) -> LinkReport:
    """Give every unclustered asserted event a cluster: an existing one it matches, or its own."""
    db = store.db
    report = LinkReport()
    todo = _event_rows(db, "e.cluster_id IS NULL AND e.modality = 'asserted' ORDER BY COALESCE(e.date, a.published), "
                           "a.published, e.id", ())
    for i, e in enumerate(todo, 1):
        with db.transaction():
            choice = _best_cluster(db, e, max_km)
            if choice is None:
                cid = "c-" + hashlib.sha1(e["id"].encode("utf-8")).hexdigest()[:12]
                db.execute("INSERT INTO clusters (id, event_type, country, admin1, date, date_precision, n_events, "
                           "n_articles) VALUES (?,?,?,?,?,?,1,1) ON CONFLICT (id) DO NOTHING",
                           (cid, e["event_type"], e["country"], e["admin1"], e["when"], e["date_precision"]))
                reasons, score, joined_with = ["first report of this event"], None, None
                report.new_clusters += 1
            else:
                cid, score, reasons, joined_with = choice
                report.joined += 1
            db.execute("UPDATE events SET cluster_id = ? WHERE id = ?", (cid, e["id"]))
            db.execute("INSERT INTO cluster_links (event_id, cluster_id, joined_with, score, reasons) VALUES (?,?,?,?,?) "
                       "ON CONFLICT (event_id) DO UPDATE SET cluster_id = excluded.cluster_id, "
                       "joined_with = excluded.joined_with, score = excluded.score, reasons = excluded.reasons",
                       (e["id"], cid, joined_with, score, json.dumps(reasons)))
            refresh_clusters(db, [cid])
        report.linked += 1
        report.touched.add(cid)
        if progress:
            progress(i, len(todo))
    return report


def _best_cluster(db, e: dict, max_km: float):
    d = _day(e["when"])
    if d is None or not e["country"]:
        return None  # no date or no country: nothing to block on, so it stands alone
    span = timedelta(days=BLOCK_DAYS + (366 if e["date_precision"] == "year" else 0))
    candidates = _event_rows(
        db, "e.cluster_id IS NOT NULL AND e.country = ? AND e.event_type = ? AND e.modality = 'asserted' "
            "AND COALESCE(e.date, a.published) BETWEEN ? AND ? AND e.article_id <> ?",
        (e["country"], e["event_type"], (d - span).isoformat(), (d + span).isoformat() + "~", e["article_id"]))
    scored: dict[str, tuple[float, list[str], str]] = {}
    conflicts: set[str] = set()
    for m in candidates:
        found = compare(e, m, max_km)
        if found is None:
            conflicts.add(m["cluster_id"])
            continue
        score, reasons = found
        if score >= JOIN_SCORE and score > scored.get(m["cluster_id"], (-1e9,))[0]:
            scored[m["cluster_id"]] = (score, reasons, m["id"])
    # a cluster one of whose members conflicts with the event is not the same event
    ok = {cid: v for cid, v in scored.items() if cid not in conflicts or _mostly_agree(e, cid, candidates, max_km)}
    if not ok:
        return None
    if _vague(e) and len(ok) > 1:
        return None  # only the country is known, and more than one event fits: do not guess
    cid, (score, reasons, with_id) = max(ok.items(), key=lambda kv: (kv[1][0], kv[0]))
    return cid, score, reasons, with_id


def _mostly_agree(e: dict, cid: str, candidates: list[dict], max_km: float) -> bool:
    members = [m for m in candidates if m["cluster_id"] == cid]
    agree = sum(1 for m in members if compare(e, m, max_km) is not None)
    return agree * 2 > len(members)


def refresh_clusters(db, ids) -> None:
    """Recompute each cluster's summary (members, sources, first report, figures) from its events."""
    for cid in ids:
        members = db.rows(
            "SELECT e.id, e.article_id, e.event_type, e.date, e.date_precision, e.country, e.admin1, e.geo_precision, "
            "e.actor, "
            "e.killed_best, e.injured_best, e.confidence, a.published FROM events e "
            "JOIN articles a ON a.id = e.article_id WHERE e.cluster_id = ?", (cid,))
        if not members:
            db.execute("DELETE FROM clusters WHERE id = ?", (cid,))
            continue
        claims = db.rows("SELECT c.killed, c.injured FROM claims c JOIN events e ON e.id = c.event_id "
                         "WHERE e.cluster_id = ?", (cid,))
        dates = [m["date"] for m in members if m["date"]]
        common = statistics.mode(sorted(dates)) if dates else None
        # the representative: on the date most members give, then the most precise, then the most confident
        votes = Counter((m["actor"] or "").casefold() for m in members if m["actor"])
        rep = max(members, key=lambda m: (m["date"] == common, m["geo_precision"] in FINE,
                                          votes.get((m["actor"] or "").casefold(), 0),
                                          m["date_precision"] == "day", m["confidence"] or 0, m["id"]))
        common = common or rep["date"]
        killed = _figures([c["killed"] for c in claims], _per_article(members, "killed_best"))
        injured = _figures([c["injured"] for c in claims], _per_article(members, "injured_best"))
        published = [m["published"] for m in members if m["published"]]
        db.execute(
            "UPDATE clusters SET event_type = ?, country = ?, admin1 = ?, date = ?, date_precision = ?, n_events = ?, n_articles = ?, "
            "first_report = ?, killed_low = ?, killed_best = ?, killed_high = ?, injured_low = ?, injured_best = ?, "
            "injured_high = ?, representative = ? WHERE id = ?",
            (rep["event_type"], rep["country"], rep["admin1"], common, rep["date_precision"], len(members),
             len({m["article_id"] for m in members}), min(published) if published else None,
             *killed, *injured, rep["id"], cid))


def _per_article(members: list[dict], column: str) -> list[int]:
    best: dict[str, int] = {}
    for m in members:
        if m[column] is not None:
            best[m["article_id"]] = max(best.get(m["article_id"], 0), m[column])
    return list(best.values())


def _figures(claimed: list[Any], per_article: list[int]) -> tuple[Any, Any, Any]:
    values = [int(v) for v in claimed if v is not None] or per_article
    if not values:
        return None, None, None
    best = int(statistics.median_low(per_article)) if per_article else int(statistics.median_low(values))
    return min(values), best, max(values)


def ensure_linked(store) -> LinkReport | None:
    """Link any asserted events not yet in a cluster (after --no-link, or a batch killed before linking)."""
    row = store.db.one("SELECT COUNT(*) AS n FROM events WHERE cluster_id IS NULL AND modality = 'asserted'")
    if not row or not row["n"]:
        return None
    return link_events(store)
