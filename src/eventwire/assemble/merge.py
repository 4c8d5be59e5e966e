"""Several mentions of one happening in an article become one event (a cluster of mentions).

A mention joins an earlier cluster of the same type and modality unless their actors,
recipients, town-level places, modes or dates conflict; a denial by the alleged doer joins the
act's cluster and turns it negated.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Iterable

from eventwire.models import QUAD_CLASS, Actor, Claim, Mention, Place, Span
from eventwire.resolve.gazetteer import haversine_km

__all__ = ["Cluster", "merge_mentions", "combine_actors", "MATERIAL"]


MATERIAL = frozenset(t for t, q in QUAD_CLASS.items() if q in (2, 4))  # material cooperation and conflict


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


def merge_mentions(mentions: list[Mention], tick: Callable[[], None] | None = None) -> list[Cluster]:
    """Several mentions of one happening become one cluster (one event).

    Mentions join an earlier cluster of the same type and modality unless their actors,
    recipients, places or dates conflict; an anaphoric mention ("the attack") joins even when
    its modality differs only because it is embedded in a report. A mention is compared with the
    clusters of its own type only, each through a summary of what its mentions say (``_Told``), so
    one cluster of thousands of mentions costs no more than one of two. ``tick`` is called once per
    mention (the pipeline's time budget).
    """
    clusters: list[Cluster] = []
    by_type: dict[str, list[tuple[Cluster, _Told]]] = {}
    for m in mentions:
        if tick is not None:
            tick()
        home, best = None, -1
        same_type = by_type.setdefault(m.event_type, [])
        for c, told in reversed(same_type):  # the latest fitting cluster, unless an earlier one was told the same way
            denial = m.modality == "negated" and c.modality in ("asserted", "negated") and m.event_type in MATERIAL
            if c.modality != m.modality and not denial:
                continue
            if told.conflicts(m):
                continue
            score = told.likeness(m)
            if score > best:
                home, best = (c, told), score
        if home is None:
            cluster = Cluster([m])
            clusters.append(cluster)
            same_type.append((cluster, _Told(m)))
        else:
            c, told = home
            c.mentions.append(m)
            told.add(m)
            if m.modality == "negated" and c.modality == "asserted":
                c.modality, c.modality_cue = "negated", m.modality_cue  # the alleged doer denies it
    return clusters


EXPLOSIVE_WORDS = {"bomb", "bombing", "bomber", "blast", "explosion", "explode", "exploded", "detonate", "detonated",
                   "ied", "device", "explosive", "explosives", "grenade", "landmine", "mine"}


def _family(m: Mention) -> str:
    words = [w.lower().strip(".,") for w in m.trigger.text.split()]
    if set(words) & EXPLOSIVE_WORDS:
        return "explosive"
    return (m.mode or "") + ":" + (words[-1][:5] if words else "")


def _countries(ms: Iterable[Mention], role: str) -> set[str]:
    return {a.country for m in ms for a in m.actors if a.role == role and a.country}


def _towns(m: Mention) -> dict[tuple, Place]:
    """The town-level places of a mention, one per distinct point (what ``_near`` compares)."""
    return {(p.geonameid, p.lat, p.lon, p.country_code): p for p in m.places if p.precision in ("town", "near")}


class _Told:
    """What a cluster's mentions say, as far as merging asks: their countries by role, modes, dates,
    towns and trigger families, each kept once however many mentions say it."""

    def __init__(self, m: Mention) -> None:
        self.countries: dict[str, set[str]] = {"actor": set(), "recipient": set()}
        self.modes: set[str] = set()
        self.dates: dict[tuple, Mention] = {}  # (date, precision) -> a mention dated so
        self.towns: dict[tuple, Place] = {}
        self.families: set[str] = set()
        self.add(m)

    def add(self, m: Mention) -> None:
        for role, found in self.countries.items():
            found |= _countries([m], role)
        if m.mode:
            self.modes.add(m.mode)
        if m.resolved_date is not None:
            self.dates.setdefault((m.resolved_date, m.date_precision), m)
        self.towns.update(_towns(m))
        self.families.add(_family(m))

    def likeness(self, m: Mention) -> int:
        """How plainly ``m`` tells the same act as the cluster: the same kind of weapon or word ("the
        bombing" goes with "a car bomb", not with "fighters attacked a base")."""
        return 1 if _family(m) in self.families else 0

    def conflicts(self, m: Mention) -> bool:
        for role, found in self.countries.items():
            mine = _countries([m], role)
            if found and mine and not found & mine:
                return True
        if m.event_type != "ASSAULT" and m.mode and self.modes - {m.mode}:
            return True
        if m.resolved_date is not None and any(
                not _overlap(_date_range(x), _date_range(m), _slack(x, m)) for x in self.dates.values()):
            return True
        here = _towns(m).values()
        if here and self.towns and not any(_near(p, q) for p in here for q in self.towns.values()):
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
