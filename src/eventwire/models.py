"""Typed records: every coded field points back at the text that justifies it.

A :class:`Span` is a pair of character offsets into ``Article.text`` (the title, a blank
line, then the body) together with the text it covers; ``span.text ==
article.text[span.start:span.end]`` holds for every span eventwire produces.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, timedelta
from typing import Any

__all__ = [
    "Span", "Article", "Mention", "Actor", "Place", "Claim", "Range", "Event", "Skipped", "Typing", "Toponym",
    "RunnerUp", "FEATURE_CODES",
    "MODALITIES", "PLOVER_TYPES", "QUAD_CLASS", "MATERIAL_TYPES", "SURROGATE", "to_jsonable", "json_line", "http_url",
]

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "SANCTION", "THREATEN", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT",
)
# PLOVER's quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
QUAD_CLASS = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "SANCTION": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
# acts done, not said: material conflict, and a retreat (a withdrawal, a release)
MATERIAL_TYPES = frozenset(t for t, q in QUAD_CLASS.items() if q == 4) | {"RETREAT"}
# an act dated more than this before publication is told as background (modality "historical")
HISTORICAL_AFTER = timedelta(days=60)
MODALITIES = ("asserted", "negated", "hypothetical", "future", "historical")


@dataclass(frozen=True, order=True)
class Span:
    """Character offsets into an article's text, with the text they cover."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        """The span of ``text[start:end]``; offsets are clamped to the text."""
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        return cls(start, end, text[start:end])


def http_url(value: Any) -> str | None:
    """``value`` when it is an http(s) URL with a host, else None.

    The one test of what may stand in a URL field (the store's articles, every export, ``events``):
    a ``javascript:``, ``data:`` or ``file:`` value from an input row would run or open something
    when a reader clicks it.

    >>> http_url("https://example.org/a"), http_url("javascript:alert(1)")
    ('https://example.org/a', None)
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(ord(c) < 32 or c.isspace() for c in text):
        return None
    return text


@dataclass(frozen=True)
class Article:
    """One news article. ``text`` is the title, a blank line, then the body."""

    id: str
    text: str
    title: str = ""
    published: date | None = None
    url: str | None = None
    language: str | None = None
    source: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def body_start(self) -> int:
        """Offset where the body starts (after the title and the blank line)."""
        return len(self.title) + 2 if self.title else 0


@dataclass(frozen=True)
class Actor:
    """Who did it (``actor``) or to whom (``recipient``)."""

    role: str
    text: str
    name: str | None = None
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    sectors: tuple[str, ...] = ()
    associated_country: str | None = None
    resolved: bool = False
    span: Span | None = None


@dataclass(frozen=True)
class Place:
    """A resolved (or unresolved) place mention."""

    text: str
    name: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    country: str | None = None
    admin1: str | None = None  # the English name analysts use (ACLED's spelling where it differs)
    admin2: str | None = None
    precision: str | None = None
    feature: str | None = None
    span: Span | None = None
    admin1_code: str | None = None  # ISO 3166-2 ("SY-DY"), where the area has one


# GeoNames feature codes for the kinds of place the gazetteer holds (cities500 gives no finer code for a town,
# so every town is PPL and a country's capital PPLC)
FEATURE_CODES = {"country": "PCLI", "admin1": "ADM1", "admin2": "ADM2", "city": "PPL", "capital": "PPLC",
                 "region": "RGN"}


@dataclass(frozen=True)
class RunnerUp:
    """The reading of a toponym that its ranker put next, with the ranker's share for it."""

    name: str
    geonameid: int | None
    lat: float
    lon: float
    country_code: str | None
    admin1: str | None
    feature: str
    confidence: float | None


@dataclass(frozen=True)
class Toponym:
    """One toponym of an article as the geoparser reports it (``eventwire places``).

    ``role`` is ``place`` (a place the text is about), ``source base`` ("a UK-based monitor") or ``in a
    name`` ("Taco Bell Canada"). ``confidence`` is the ranker's share for the reading chosen among the
    name's gazetteer readings (a softmax over its scores, in the article's context); ``resolved_by`` names
    the step that chose it; an unresolved toponym has no coordinates and gives ``reason``."""

    text: str
    span: Span
    role: str
    name: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    feature: str | None = None
    feature_code: str | None = None
    precision: str | None = None
    confidence: float | None = None
    resolved_by: str | None = None
    runner_up: RunnerUp | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(frozen=True)
class Claim:
    """What one source says about the toll of an event."""

    claimant: str | None
    claimant_text: str | None
    killed: int | None = None
    injured: int | None = None
    arrested: int | None = None
    abducted: int | None = None
    hedge: str | None = None
    no_figure: bool = False
    hedges: dict[str, str] = field(default_factory=dict)
    span: Span | None = None


@dataclass(frozen=True)
class Range:
    """Low, best and high figures over an event's claims."""

    low: int | None = None
    best: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Typing:
    """What the event typer read in a candidate's sentence: its labels and their probabilities."""

    coder: str  # the typer that read it, e.g. "learned-v5"
    acled: str | None  # an ACLED sub-event type, or None: not an ACLED event
    plover: str | None  # a PLOVER type, or None: no event
    p_none: float  # P(no event): the smaller of the two heads' "none" probabilities
    acled_probs: dict[str, float] = field(default_factory=dict)  # the most probable few, "none" included
    plover_probs: dict[str, float] = field(default_factory=dict)
    # kept beside its sentence's event (the force used on a protest, docs/labelling.md section 5; an
    # accusation about the act read, rule 3):
    # an event of its own in PLOVER, never an article's main event, and no ACLED row of its own
    secondary: bool = False

    @property
    def is_event(self) -> bool:
        return self.plover is not None or self.acled is not None


@dataclass(frozen=True)
class Mention:
    """One sentence's evidence of an event, before mentions are merged into events."""

    sentence: Span
    trigger: Span
    event_type: str
    mode: str | None
    cameo_code: str | None
    contexts: tuple[str, ...]
    modality: str
    modality_cue: Span | None
    weight: float
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    context_places: tuple[Place, ...] = ()
    date_text: Span | None = None
    resolved_date: date | None = None
    date_precision: str | None = None
    date_note: str | None = None
    anaphoric: bool = False
    sentence_index: int = 0
    conditional: bool = False
    trigger_pos: str = "VERB"
    typing: Typing | None = None  # set when a learned typer read the sentence


@dataclass(frozen=True)
class Event:
    """The public event record (see README, "The event record")."""

    id: str
    article_id: str
    coder: dict[str, str]
    event_type: str
    mode: str | None
    contexts: tuple[str, ...]
    quad_class: int
    acled_event_type: str | None
    acled_sub_event_type: str | None
    disorder_type: str | None
    cameo_code: str | None
    cameo_root: str | None
    modality: str
    modality_span: Span | None
    date: str | None
    date_precision: str | None
    date_text: str | None
    date_span: Span | None
    date_note: str | None
    planned_date: str | None
    actors: tuple[Actor, ...]
    location: Place | None
    places: tuple[Place, ...]
    fatalities: Range | None
    injured: Range | None
    arrested: Range | None
    claims: tuple[Claim, ...]
    evidence: tuple[Span, ...]
    trigger: Span
    confidence: float
    typing: Typing | None = None  # the learned typer's reading (coder "learned-v5"), or None for rules-v1
    # the id of the event whose ACLED row covers this one (the force used on a protest is part of the
    # protest's row, as ACLED codes it: assemble.rows); None when the event has its own row or none
    acled_row_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-able data, in the documented field order."""
        return to_jsonable(self)


@dataclass(frozen=True)
class Skipped:
    """An input that was not coded, with the stage that gave up and why."""

    source: str
    stage: str
    reason: str
    article_id: str | None = None


def to_jsonable(value: Any) -> Any:
    """Dataclasses, tuples and dates as JSON-able dicts, lists and ISO strings."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in fields(value):
            if f.name == "resolved":
                continue
            out[f.name] = to_jsonable(getattr(value, f.name))
        return out
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


# Characters that JSON leaves raw but that line-splitting readers (Python's str.splitlines, many
# editors) take for line breaks; escaped, a JSON line is one line to every reader.
_LINE_BREAKERS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"})


SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate: valid in JSON escapes, never in UTF-8


def json_line(value: Any, default: Any = None) -> str:
    """One JSON document on one line (UTF-8 kept readable), safe for any line-based reader.

    A lone surrogate (which no UTF-8 stream can carry) is written as its JSON escape.
    """
    text = json.dumps(value, ensure_ascii=False, default=default).translate(_LINE_BREAKERS)
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if SURROGATE.search(text) else text
