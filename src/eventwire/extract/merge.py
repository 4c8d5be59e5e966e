"""Several mentions of one happening in an article become one event (a cluster of mentions).

A mention joins an earlier cluster of the same type and modality unless their actors,
recipients, town-level places, modes or dates conflict; a denial by the alleged doer joins the
act's cluster and turns it negated.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

from eventwire.models import Actor, Claim, Mention, Span
from eventwire.resolve.gazetteer import haversine_km

__all__ = ["Cluster", "merge_mentions", "combine_actors", "MATERIAL"]


MATERIAL = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "AID", "RETREAT", "COOPERATE"}


@dataclass
class Cluster:
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    modality: str = ""
    modality_cue: Span | None = None

    def __post_init__(self) -> None:
        if not self.modality and self.mentions:
            self.modality, self.modality_cue = self.mentions[0].modality, self.mentions[0].modality_cue

    @property
    def first(self) -> Mention:
        return self.mentions[0]


def merge_mentions(mentions: list[Mention]) -> list[Cluster]:
    """Several mentions of one happening become one cluster (one event).

    Mentions join an earlier cluster of the same type and modality unless their actors,
    recipients, places or dates conflict; an anaphoric mention ("the attack") joins even when
    its modality differs only because it is embedded in a report.
    """
    clusters: list[Cluster] = []
    for m in mentions:
        home, best = None, -1
        for c in reversed(clusters):  # the latest fitting cluster, unless an earlier one was told the same way
            if c.first.event_type != m.event_type:
                continue
            denial = m.modality == "negated" and c.modality in ("asserted", "negated") and m.event_type in MATERIAL
            if c.modality != m.modality and not denial:
                continue
            if _conflict(c.mentions, m):
                continue
            score = _likeness(c.mentions, m)
            if score > best:
                home, best = c, score
        if home is None:
            clusters.append(Cluster([m]))
        else:
            home.mentions.append(m)
            if m.modality == "negated" and home.modality == "asserted":
                home.modality, home.modality_cue = "negated", m.modality_cue  # the alleged doer denies it
    return clusters


EXPLOSIVE_WORDS = {"bomb", "bombing", "bomber", "blast", "explosion", "explode", "exploded", "detonate", "detonated",
                   "ied", "device", "explosive", "explosives", "grenade", "landmine", "mine"}


def _family(m: Mention) -> str:
    words = [w.lower().strip(".,") for w in m.trigger.text.split()]
    if set(words) & EXPLOSIVE_WORDS:
        return "explosive"
    return (m.mode or "") + ":" + (words[-1][:5] if words else "")


def _likeness(ms: list[Mention], m: Mention) -> int:
    """How plainly ``m`` tells the same act as a cluster: the same kind of weapon or word ("the bombing"
    goes with "a car bomb", not with "fighters attacked a base")."""
    return 1 if any(_family(x) == _family(m) for x in ms) else 0


def _countries(ms: Iterable[Mention], role: str) -> set[str]:
    return {a.country for m in ms for a in m.actors if a.role == role and a.country}


def _conflict(ms: list[Mention], m: Mention) -> bool:
    for role in ("actor", "recipient"):
        a, b = _countries(ms, role), _countries([m], role)
        if a and b and not a & b:
            return True
    if m.event_type != "ASSAULT" and m.mode and any(x.mode and x.mode != m.mode for x in ms):
        return True
    if m.resolved_date is not None and any(
            x.resolved_date is not None and not _overlap(_date_range(x), _date_range(m), _slack(x, m)) for x in ms):
        return True
    here = [p for p in m.places if p.precision == "town"]
    there = [p for x in ms for p in x.places if p.precision == "town"]
    if here and there and not any(_near(p, q) for p in here for q in there):
        return True  # "a car bomb in Baidoa" and "an attack on a base in Afgooye": two places, two events
    return False


def _near(p, q, km: float = 30.0) -> bool:
    if p.geonameid is not None and p.geonameid == q.geonameid:
        return True
    if None in (p.lat, p.lon, q.lat, q.lon):
        return p.country_code == q.country_code
    return haversine_km(p.lat, p.lon, q.lat, q.lon) <= km


def _date_range(m: Mention) -> tuple[date, date]:
    start = m.resolved_date
    span = {"day": 0, "week": 6, "month": 30, "year": 365}.get(m.date_precision or "day", 0)
    return start, start + timedelta(days=span)


def _slack(a: Mention, b: Mention) -> int:
    """Two day-precise dates in one article must agree; coarser ones get two days' leeway."""
    return 0 if a.date_precision == b.date_precision == "day" else 2


def _overlap(a: tuple[date, date], b: tuple[date, date], slack: int = 2) -> bool:
    return a[0] - timedelta(days=slack) <= b[1] and b[0] - timedelta(days=slack) <= a[1]


def combine_actors(ms: list[Mention]) -> tuple[Actor, ...]:
    out: list[Actor] = []
    for role in ("actor", "recipient"):
        found = [a for m in ms for a in m.actors if a.role == role]
        resolved = [a for a in found if a.resolved]
        chosen: list[Actor] = []
        seen: set = set()
        for a in resolved + [a for a in found if not a.resolved]:
            key = (a.code, a.country, a.sector, a.associated_country) if a.resolved else ("?", a.text.lower())
            if key in seen:
                continue
            if not a.resolved and resolved and a.text.lower() in ("it", "they", "he", "she", "which", "who"):
                continue
            seen.add(key)
            chosen.append(a)
        if role == "recipient":  # the same words as an actor's are not also the recipient
            actor_words = {x.text.lower() for x in out}
            chosen = [a for a in chosen if a.text.lower() not in actor_words] or chosen
        out.extend(chosen[:4])
    return tuple(out)
