"""The one orchestrator used by the CLI, the API, batches and benchmarks.

Stages, in the order the data flows (each a module of its own; this file only runs them in order)::

    1. check      article -> reason to skip, or None          (ingest.checks)
    2. parse      article -> spaCy Doc, recased if need be     (nlp, nlp.casing)
    3. places     Doc -> place mentions, resolved in context   (extract.places)
    4. mentions   each sentence -> event mentions              (extract.mentions)
    5. typing     mentions -> typed (rules, learned, hybrid)   (extract.typing)
    6. merge      mentions -> one cluster per happening        (assemble.merge)
    7. claims     sentences -> counts per claimant -> clusters (assemble.claims)
    8. code       cluster -> Event record                      (assemble.events)

Packages import one way: ``nlp`` and ``resolve`` (lookups) < ``extract`` < ``assemble`` < this file.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from time import monotonic
from typing import Callable, Iterable, Iterator

from eventwire import __version__
from eventwire.assemble.claims import attach_claims, deny_reports
from eventwire.assemble.crosswalk import Crosswalk
from eventwire.assemble.events import EventCoder, Story
from eventwire.assemble.merge import merge_mentions
from eventwire.assemble.rows import one_row_per_protest
from eventwire.errors import TimeLimitExceeded
from eventwire.extract.anaphora import resolve_group_anaphors
from eventwire.extract.mentions import MentionReader
from eventwire.extract.modality import ModalityCues
from eventwire.extract.place_ranker import Ranker, RulesRanker, load_ranker
from eventwire.extract.places import PlaceMention, find_places, toponyms
from eventwire.extract.statements import refusal, stated_intent
from eventwire.extract.triggers import TriggerLexicon
from eventwire.extract.typing import Dropped, Typer, apply_typing, load_typer, read_alongside
from eventwire.extract.when import DatingContext, dateline_end, document_dates
from eventwire.ingest.checks import check_article
from eventwire.models import Article, Event, Mention, Skipped, Toponym
from eventwire.nlp import set_doc_text
from eventwire.nlp.casing import Truecaser
from eventwire.resolve.actors import ActorKB
from eventwire.resolve.gazetteer import Gazetteer
from eventwire.settings import Settings

__all__ = ["Pipeline", "Resources", "CODER_VERSIONS", "Coded"]

CODER_VERSIONS = {"eventwire": __version__, "events": "triggers.v2", "modality": "modality.v2",
                  "roles": "roles.v1", "places": "places.v2", "dates": "dates.v1", "claims": "claims.v1"}


@dataclass(frozen=True)
class Coded:
    """What coding one article gave: its events, and the candidates the event typer dropped."""

    events: list[Event]
    dropped: tuple[Dropped, ...] = ()


@dataclass
class Resources:
    """Heavy things, built once and passed in."""

    nlp: object
    gazetteer: Gazetteer
    kb: ActorKB
    lexicon: TriggerLexicon
    cues: ModalityCues
    crosswalk: Crosswalk
    typer: Typer
    truecaser: Truecaser | None = None
    ranker: Ranker = field(default_factory=RulesRanker)

    @classmethod
    def load(cls, settings: Settings, progress=None) -> "Resources":
        from eventwire.nlp import load_nlp

        kb = ActorKB()
        return cls(nlp=load_nlp(settings.spacy_model, kb.patterns),
                   gazetteer=Gazetteer.open(settings.cache_path, progress=progress), kb=kb, lexicon=TriggerLexicon(),
                   cues=ModalityCues.load(), crosswalk=Crosswalk(), typer=load_typer(settings.coder),
                   truecaser=Truecaser.load() if settings.recase else None, ranker=load_ranker(settings.places))


class Pipeline:
    """Codes articles into events. ``Pipeline.load()`` builds the resources once."""

    def __init__(self, resources: Resources | None, settings: Settings | None = None, progress=None):
        self._resources = resources
        self._progress = progress
        self.settings = settings or Settings()

    @property
    def r(self) -> Resources:
        """The resources, built on first use when the pipeline was loaded lazily."""
        if self._resources is None:
            self._resources = Resources.load(self.settings, self._progress)
        return self._resources

    @property
    def loaded(self) -> bool:
        return self._resources is not None

    @classmethod
    def load(cls, settings: Settings | None = None, progress=None, lazy: bool = False) -> "Pipeline":
        """Build the resources once; ``progress`` gets one-line messages about slow first-time work.

        ``lazy=True`` waits until the first article that passes ``check`` needs them, so a batch
        with nothing to code never loads the language model.
        """
        settings = settings or Settings()
        return cls(None if lazy else Resources.load(settings, progress), settings, progress)

    # -- public ---------------------------------------------------------------------------
    def check(self, article: Article) -> Skipped | None:
        reason = check_article(article, self.settings)
        return Skipped(article.source or article.id, "check", reason, article.id) if reason else None

    def code(self, article: Article) -> list[Event]:
        """Every event in one article (the article is assumed to have passed ``check``).

        See ``code_detailed`` for the candidates the event typer dropped, with its reasons.
        """
        return self.code_detailed(article).events

    def code_detailed(self, article: Article) -> "Coded":
        """The events of one article, and the candidates the event typer did not keep (with why).

        Raises ``TimeLimitExceeded`` when coding runs past ``settings.max_seconds``; the budget is
        checked after parsing and then per sentence, mention and event, so the work stops at a safe
        point (no signal, no thread: the pipeline stays usable as a library).
        """
        budget = _Budget(self.settings.max_seconds)
        doc = self._parse(article.text)
        budget.check("after parsing")
        filed = dateline_end(doc, article)
        places = [p for p in find_places(doc, self.r.gazetteer, self.r.kb, self.r.ranker)
                  if p.place.span is None or p.place.span.start >= filed]
        budget.check("after finding places")
        ctx = DatingContext(article, filed, document_dates(doc, article, filed))
        sents = list(doc.sents)
        places_in = _places_by_sentence(places, sents, len(doc))
        reader = MentionReader(self.r.lexicon, self.r.cues, self.r.kb, self.r.gazetteer)
        mentions = []
        for index, sent in enumerate(sents):
            budget.check(f"while finding events, at sentence {index + 1:,} of {len(sents):,}")
            mentions.extend(reader.read(sent, index, ctx, places_in[index]))
        mentions += [stated for m in mentions if (stated := stated_intent(m) or refusal(m)) is not None]
        mentions.sort(key=lambda m: (m.sentence_index, m.trigger.start))
        mentions = resolve_group_anaphors(mentions)
        mentions, dropped = self._type(mentions, sents, article.published)
        budget.check("after typing events")
        clusters = merge_mentions(mentions, lambda: budget.check(f"while merging {len(mentions):,} mentions"))
        deny_reports(clusters, doc)
        attach_claims(doc, clusters, sents, self.r.kb, budget.check)
        dated = _by_sentence(m for m in mentions if m.resolved_date is not None and m.date_text is not None
                             and m.modality == "asserted" and m.date_precision == "day")
        located = _by_sentence(m for m in mentions if m.modality == "asserted" and any(
            p.lat is not None and p.precision in ("town", "near", "admin2", "admin1") for p in m.places))
        unreal_protests = {m.sentence_index for m in mentions if m.event_type == "PROTEST"} - {
            m.sentence_index for m in mentions if m.event_type == "PROTEST" and m.modality == "asserted"}
        story = Story(sents)
        coder = EventCoder(self.r.crosswalk, self.r.lexicon, self.r.cues, self.r.typer, {
            **CODER_VERSIONS, "typing": self.r.typer.name, "place_ranking": self.r.ranker.name,
            "casing": self.r.truecaser.version if self.r.truecaser is not None else "off"})
        events = []
        for i, c in enumerate(clusters):
            budget.check(f"while coding events, at event {i + 1:,} of {len(clusters):,}")
            events.append(coder.code(article, c, places, doc, dated, located, unreal_protests, story))
        events = sorted((e for e in events if e.confidence >= self.settings.min_confidence),
                        key=lambda e: e.trigger.start)
        starts = [s.start_char for s in sents]
        events = one_row_per_protest(events, self.r.crosswalk,  # after the filter: a row never names a dropped event
                                     lambda offset: bisect_right(starts, offset) - 1)
        return Coded(events, tuple(dropped))

    def parse(self, text: str):
        """The parsed text, as coding parses an article's text (recased where the casing calls for it)."""
        return self._parse(text)

    def _parse(self, text: str):
        """The parsed article. Lines in capitals, title case or lower case are parsed recased
        (``nlp.casing``); the doc's text is then the article as written, so evidence quotes it."""
        recased = self.r.truecaser.recase(text) if self.r.truecaser is not None else text
        doc = self.r.nlp(recased)
        if recased != text:
            set_doc_text(doc, text)
        return doc

    def _type(self, mentions: list[Mention], sents: list,
              published: date | None = None) -> tuple[list[Mention], list[Dropped]]:
        """Stage 4b, event typing: the typer reads each sentence that holds a candidate (rules-v1 reads
        none and changes nothing); one event a sentence is kept, typed, and the rest are dropped."""
        indexes = sorted({m.sentence_index for m in mentions})
        read = self.r.typer.type_sentences([sents[i].text for i in indexes])
        if read is None:
            return mentions, []
        if getattr(self.r.typer, "keeps_candidates", False):
            # hybrid: the rules' candidates with the reading, unless read as no event
            return read_alongside(mentions, dict(zip(indexes, read)), self.r.typer, published)
        return apply_typing(mentions, dict(zip(indexes, read)), published)

    def places(self, article: Article) -> list[PlaceMention]:
        """Every place mention of an article, resolved (datelines and sources' bases included)."""
        budget = _Budget(self.settings.max_seconds)
        doc = self._parse(article.text)
        budget.check("after parsing")
        return find_places(doc, self.r.gazetteer, self.r.kb, self.r.ranker)

    def geoparse(self, article: Article) -> list[Toponym]:
        """Every toponym of an article with its reading, confidence and runner-up (``eventwire places``).

        Example::

            for t in Pipeline.load().geoparse(make_article("Shelling hit Kharkiv, Ukraine, on Monday.")):
                print(t.text, t.name, t.country_code, t.lat, t.lon, t.confidence)
        """
        return toponyms(self.places(article), self.r.kb)

    def code_many(self, articles: Iterable[Article],
                  on_article: Callable[[Article, list[Event] | Skipped], None] | None = None,
                  detailed: bool = False) -> Iterator[tuple[Article, list[Event] | Coded | Skipped]]:
        """Code a batch; each article yields its events (``detailed``: its Coded) or why it was skipped."""
        work = self.code_detailed if detailed else self.code
        return self._each(articles, work, "code", on_article)

    def geoparse_many(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Toponym] | Skipped]]:
        """Geoparse a batch; each article yields its toponyms or why it was skipped."""
        return self._each(articles, self.geoparse, "places")

    def _each(self, articles: Iterable[Article], work: Callable[[Article], object], stage: str,
              on_article: Callable | None = None) -> Iterator[tuple[Article, object]]:
        for article in articles:
            skip = self.check(article)
            if skip is None and not self.loaded:
                self.r  # noqa: B018 -- load now, outside the per-article guard: a missing model stops the run
            try:
                result = skip if skip is not None else work(article)
            except TimeLimitExceeded as exc:  # "took longer than 60 s: stopped while ..."
                result = Skipped(article.source or article.id, stage, str(exc), article.id)
            except Exception as exc:  # one bad article never stops a batch: record why
                result = Skipped(article.source or article.id, stage, f"{type(exc).__name__}: {exc}", article.id)
            if on_article:
                on_article(article, result)
            yield article, result


class _Budget:
    """The time an article may take (``max_seconds``; 0 is no limit), checked cooperatively between
    steps: no signal and no thread, so a library caller gets an exception at a safe point."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = monotonic() + seconds if seconds > 0 else None

    def check(self, where: str) -> None:
        if self.ends is not None and monotonic() > self.ends:
            raise TimeLimitExceeded(self.seconds, where)


def _places_by_sentence(places: list[PlaceMention], sents: list, n_tokens: int) -> list[list[PlaceMention]]:
    """For each sentence, the place mentions with a token in it, in the order of ``places``: a trigger
    looks at its own sentence's places, not at every place of the article."""
    sentence_of = [0] * n_tokens
    for index, sent in enumerate(sents):
        sentence_of[sent.start:sent.end] = [index] * (sent.end - sent.start)
    out: list[list[PlaceMention]] = [[] for _ in sents]
    for pm in places:
        first = sentence_of[pm.token_start]
        last = sentence_of[max(pm.token_start, pm.token_end - 1)]
        for index in range(first, last + 1):
            out[index].append(pm)
    return out


def _by_sentence(mentions: Iterable[Mention]) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = {}
    for m in mentions:
        out.setdefault(m.sentence_index, []).append(m)
    return out
