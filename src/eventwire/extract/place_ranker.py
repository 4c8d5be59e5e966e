"""Ranking a toponym's gazetteer candidates in the article's context: one stage behind a small protocol.

- ``rules-v1``: the hand-set weights eventwire has always used (population, kind, the name's own spelling,
  the countries and admin1 areas named in the article, an explicit container "X, Y").
- ``place-ranker-v1``: the same evidence and more (the candidate's population beside the other candidates', the
  distance to the article's other places), weighed by a conditional logit model trained on hand-resolved
  news (TR-News and GeoWebNews, ``eventwire train --only places``). Its weights are a reviewed data file
  with a training report (``data/models/place-ranker-v1.*``).

A ranker scores every candidate of one mention at once (``scores``), so that features relative to the
other candidates are possible; the context is a ``RankContext``. The distances to the article's other
places and their votes (the shares of them in a candidate's country and state) are known when
``find_places`` reads a town a second time beside the places named nearest it (every article with more
than one place); in the first reading those features are zero.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from eventwire.data import models_folder
from eventwire.errors import ResourceMissing, SettingsError
from eventwire.resolve.gazetteer import Candidate, haversine_km

__all__ = ["RankContext", "Ranker", "RulesRanker", "LearnedRanker", "FEATURES", "features", "load_ranker",
           "RANKERS", "PLACES_ARTEFACT"]

PLACES_ARTEFACT = "place-ranker-v1"
_WATER = re.compile(r"\b(sea|gulf|ocean|strait|straits|bay|channel|lake)\b", re.I)
KINDS = ("country", "region", "admin1", "admin2")  # a town ("city") is the baseline
# Only differences between one name's candidates matter (a softmax over them), so a cue is one feature
# ("X province": the kinds it names against the rest), not a match and a mismatch.
FEATURES = (
    "log_population", "is_most_populous", "kind_cue_match", *(f"kind_{k}" for k in KINDS),
    "water_without_population", "own_name", "article_country", "article_admin1", "container_country_match",
    "container_admin1_match", "lower_case_small_town", "near_article_places", "far_from_article_places",
    "other_places_country_share", "other_places_admin1_share",
)


@dataclass(frozen=True)
class RankContext:
    """What the article says around one mention: the countries and admin1 areas it names (weights), an
    explicit container ("al Bukamal, Syria": country alpha-2, admin1 code), a kind cue ("X province":
    "admin1"), whether the name was written with a capital, and the points of the article's places that are
    already sure (for distances)."""

    countries: dict[str, float] = field(default_factory=dict)
    admins: dict[tuple[str, str], float] = field(default_factory=dict)
    container: tuple[str | None, str | None] = (None, None)
    prefer: str | None = None
    exact_case: bool = True
    anchors: tuple[tuple[float, float], ...] = ()
    where: tuple[int, int] | None = None  # the mention's characters in the article (for training records)
    anchor_areas: tuple[tuple[str, str], ...] = ()  # (country alpha-2, admin1 code) of the article's other places


def features(cands: Sequence[Candidate], ctx: RankContext) -> np.ndarray:
    """One row of ``FEATURES`` per candidate."""
    logs = [math.log10(c.population + 10) for c in cands]
    best = max(logs)
    wanted = (("admin1", "admin2") if ctx.prefer == "admin1" else (ctx.prefer,)) if ctx.prefer else ()
    cc, a1 = ctx.container
    areas = ctx.anchor_areas  # the article's other places' (country, admin1): their votes
    rows = []
    for c, lp in zip(cands, logs):
        km = min((haversine_km(c.lat, c.lon, lat, lon) for lat, lon in ctx.anchors), default=None)
        rows.append([
            lp, float(lp == best), float(bool(wanted) and c.kind in wanted), *(float(c.kind == k) for k in KINDS),
            float(c.kind == "region" and not c.population and bool(_WATER.search(c.name))),
            float(c.primary),
            min(ctx.countries.get(c.country2, 0.0), 2.0),
            min(ctx.admins.get((c.country2, c.admin1code), 0.0), 2.0) if c.kind in ("city", "admin2") else 0.0,
            float(bool(cc) and c.country2 == cc), float(bool(a1) and c.admin1code == a1),
            float(not ctx.exact_case and c.kind == "city" and c.population < 1000),
            float(km is not None and km <= 161.0) if c.kind in ("city", "admin2") else 0.0,
            (math.log1p(km) / math.log1p(20039.0) if km is not None else 0.0) if c.kind in ("city", "admin2") else 0.0,
            sum(other_cc == c.country2 for other_cc, _ in areas) / len(areas) if areas else 0.0,
            sum(area == (c.country2, c.admin1code) for area in areas) / len(areas)
            if areas and c.kind in ("city", "admin2") else 0.0,
        ])
    return np.asarray(rows, dtype=np.float64)


class Ranker(Protocol):
    """Scores every candidate of one name in its context (higher is better); ``find_places`` takes the
    best and reports a softmax over the scores as its confidence."""

    name: str

    def scores(self, cands: Sequence[Candidate], ctx: RankContext) -> np.ndarray: ...


# rules-v1's hand-set weights, as they stood in extract/places.py's _score (a cue's match minus mismatch:
# kind cue +5/-3, container country +6/-6, container admin1 +6/-4)
RULES_WEIGHTS = {"log_population": 1.0, "kind_cue_match": 8.0, "kind_country": 4.0, "kind_region": 4.0,
                 "kind_admin1": 1.5, "kind_admin2": 0.8, "water_without_population": 5.0, "own_name": 1.0,
                 "article_country": 2.5, "article_admin1": 2.0, "container_country_match": 12.0,
                 "container_admin1_match": 10.0, "lower_case_small_town": -1.0}


class LinearRanker:
    """A candidate's score is its features times the weights; the best-scored candidate wins (ties: the
    first, the gazetteer's order)."""

    name = "linear"

    def __init__(self, weights: dict[str, float]):
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise SettingsError(f"unknown place-ranking features {sorted(unknown)}", "use the names in FEATURES")
        self.w = np.array([weights.get(f, 0.0) for f in FEATURES])

    def scores(self, cands: Sequence[Candidate], ctx: RankContext) -> np.ndarray:
        return features(cands, ctx) @ self.w

    def choose(self, cands: Sequence[Candidate], ctx: RankContext) -> Candidate:
        return cands[int(np.argmax(self.scores(cands, ctx)))]


class RulesRanker(LinearRanker):
    name = "rules-v1"

    def __init__(self):
        super().__init__(RULES_WEIGHTS)


class LearnedRanker(LinearRanker):
    name = PLACES_ARTEFACT

    @classmethod
    def load(cls, folder: Path | None = None) -> "LearnedRanker":
        folder = folder or models_folder()
        path = folder / f"{PLACES_ARTEFACT}.json"
        if not path.exists():
            raise ResourceMissing(f"the place ranker's artefact is missing from {folder}",
                                  "rebuild it with `eventwire train --only places`, or use --places rules")
        meta = json.loads(path.read_text(encoding="utf-8"))
        weights = meta["weights"]
        digest = hashlib.sha256(json.dumps(weights, sort_keys=True).encode()).hexdigest()
        if digest != meta.get("weights_sha256"):
            raise ResourceMissing(f"{path} does not match its recorded hash", "rebuild it with `eventwire train --only places`")
        ranker = cls(weights)
        ranker.meta = meta
        return ranker


RANKERS = {"rules": RulesRanker, "learned": LearnedRanker}


@lru_cache(maxsize=4)
def load_ranker(name: str) -> Ranker:
    """A ranker by its setting name ("rules" or "learned"); loaded once per process."""
    if name not in RANKERS:
        raise SettingsError(f"unknown place ranker {name!r}", "use rules or learned")
    return RulesRanker() if name == "rules" else LearnedRanker.load()
