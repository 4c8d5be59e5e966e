"""Stage 7 of coding: one Event record per cluster of mentions: its type and mode, actors, place,
date, counts claimed, crosswalks to ACLED and CAMEO, evidence and confidence."""
from __future__ import annotations

import hashlib
from typing import Mapping, Sequence

from eventwire.data import word_class
from eventwire.assemble.crosswalk import Crosswalk
from eventwire.assemble.merge import Cluster, combine_actors
from eventwire.extract.claims import claim_range, merge_claims
from eventwire.extract.event_place import choose_location, home_country
from eventwire.extract.modality import ModalityCues, find_modality
from eventwire.extract.places import PlaceMention
from eventwire.extract.roles import at_protesters
from eventwire.extract.triggers import TriggerLexicon, TriggerMatch
from eventwire.extract.typing import Typer
from eventwire.extract.when import points_ahead
from eventwire.models import (HISTORICAL_AFTER, MATERIAL_TYPES, QUAD_CLASS, Actor, Article, Event, Mention, Place, Span,
                              Typing)
from eventwire.resolve.dates import ResolvedDate, resolve_date

__all__ = ["EventCoder", "Story", "merged_typing"]

class Story:
    """An article's sentences, and the triggers matched in each when a later stage asks again."""

    def __init__(self, sents: list) -> None:
        self.sents = sents
        self._matches: dict[int, list[TriggerMatch]] = {}

    def matches(self, index: int, lexicon: TriggerLexicon) -> list[TriggerMatch]:
        if index not in self._matches:
            self._matches[index] = lexicon.match(self.sents[index])
        return self._matches[index]


BOMBER_PEOPLE = {"suicide", "car", "truck", "lorry", "motorcycle", "motorbike", "lone", "would-be", "teenage", "female",
                 "male", "alleged", "suspected"}  # words that make a bomber a person


AIRCRAFT = {"aircraft", "warplane", "jet", "helicopter", "bomber", "drone", "uav", "gunship", "airplane"}


PROTEST_WORDS = {"protest", "demonstration", "rally", "march", "sit-in", "picket", "riot"} | word_class("protester_lemmas")


def _about_a_protest(ms: list[Mention], event_type: str, mode: str | None) -> bool:
    """A protest, or force, arrests or violence aimed at protesters."""
    if event_type == "PROTEST" or mode in ("crowd-control", "arrest"):
        return True
    return event_type in ("ASSAULT", "COERCE") and any(at_protesters(m.actors) for m in ms)


def _shared_party(prev: Mention, ms: list[Mention]) -> bool:
    """The same resolved actor or target takes part in both acts."""
    codes = {(a.code, a.name) for a in prev.actors if a.resolved and (a.name or a.code)}
    return any((a.code, a.name) in codes for m in ms for a in m.actors if a.resolved)


def _told_before(by_sentence: Mapping[int, list[Mention]], first: int, article: Article) -> list[Mention]:
    """Material acts told in the two sentences before sentence ``first`` (the headline aside)."""
    return [m for i in (first - 2, first - 1) for m in by_sentence.get(i, ()) if m.event_type in MATERIAL_TYPES
            and (m.sentence_index > 0 or not article.title)]


def _confidence(ms: list[Mention], actors: tuple[Actor, ...], location: Place | None, modality: str) -> float:
    score = max(m.weight for m in ms)
    score += min(0.15, 0.05 * (len(ms) - 1))
    if any(a.resolved and a.role == "actor" for a in actors):
        score += 0.08
    if any(a.role == "recipient" for a in actors):
        score += 0.04
    if location is not None:
        score += 0.04
    if modality != "asserted":
        score *= 0.8
    return round(max(0.05, min(0.99, score)), 3)


def merged_typing(main: Mention, ms: Sequence[Mention]) -> Typing | None:
    """The typer's reading of an event merged from several mentions: its heaviest mention's, unless that
    one was kept beside another event of its sentence (``Typing.secondary``, e.g. an accusation beside the
    act) while another sentence reads the same act as its own event; then the event is that sentence's
    event, with its reading (and its ACLED row). Secondary only when every typed mention is."""
    typing = main.typing
    if typing is None or not typing.secondary:
        return typing
    own = [m for m in ms if m.typing is not None and not m.typing.secondary]
    return max(own, key=lambda m: (m.weight, -m.sentence_index)).typing if own else typing


class EventCoder:
    """Codes a cluster of mentions as one Event; the crosswalk, lexicon, cues and typer are passed in, and
    ``versions`` are the stage versions each event records (``Event.coder``)."""

    def __init__(self, crosswalk: Crosswalk, lexicon: TriggerLexicon, cues: ModalityCues, typer: Typer,
                 versions: Mapping[str, str]) -> None:
        self.crosswalk = crosswalk
        self.lexicon = lexicon
        self.cues = cues
        self.typer = typer
        self.versions = dict(versions)

    def code(self, article: Article, cluster: Cluster, places: list[PlaceMention], doc,
               dated: Mapping[int, list[Mention]], located: Mapping[int, list[Mention]],
               unreal_protests: set[int], story: "Story") -> Event:
        ms = cluster.mentions
        main = max(ms, key=lambda m: (m.weight, -m.sentence_index))
        event_type = main.event_type
        mode = next((m.mode for m in sorted(ms, key=lambda m: -m.weight) if m.mode), None)
        if mode is None and event_type == "THREATEN":
            mode = self._threat_mode(ms, doc)
        cameo = next((m.cameo_code for m in sorted(ms, key=lambda m: -m.weight) if m.cameo_code), None)
        contexts = tuple(dict.fromkeys(c for m in ms for c in m.contexts))
        location = choose_location(ms)
        if location is None and cluster.modality == "asserted" and _about_a_protest(ms, event_type, mode):
            # "Police used tear gas outside parliament": the protest told just before it says where
            before = [m for m in _told_before(located, min(m.sentence_index for m in ms), article)
                      if m.event_type == "PROTEST"]
            if before:
                location = choose_location([max(before, key=lambda m: (m.sentence_index, m.trigger.start))])
        actors = home_country(combine_actors(ms), location)
        when, date_span, note = self._event_date(ms, article, dated)
        modality = cluster.modality
        if modality in ("asserted", "future") and when.value and article.published and date_span is not None \
                and when.value < article.published - HISTORICAL_AFTER:
            modality = "historical"
        planned = None
        if modality in ("future", "hypothetical"):
            span = next((m.date_text for m in ms if m.date_text is not None and points_ahead(doc, m.date_text)), None)
            if span is not None:
                ahead = resolve_date(span.text, article.published, future=True)
                planned = ahead.value.isoformat() if ahead.value else None
            date_span = span
            when, note = ResolvedDate(None, None), f"{modality}: the act has not happened (planned_date holds when it is due)"
        if modality == "asserted" and when.value and article.published and \
                when.value < article.published - HISTORICAL_AFTER:
            modality = "historical"
        claims = tuple(merge_claims(cluster.claims))
        fatalities = claim_range([c.killed for c in claims], [c.hedges.get("killed") for c in claims])
        injured = claim_range([c.injured for c in claims], [c.hedges.get("injured") for c in claims])
        arrested = claim_range([c.arrested for c in claims], [c.hedges.get("arrested") for c in claims])
        recipient_sectors = {a.sector for a in actors if a.role == "recipient" and a.sector}
        actor_sectors = {a.sector for a in actors if a.role == "actor" and a.sector}
        trigger_lemmas = {" ".join(t.lemma_.lower() for t in span) for m in ms
                          if (span := doc.char_span(m.trigger.start, m.trigger.end, alignment_mode="expand"))}
        object_words = {w.lower().strip(".,") for a in actors if a.role == "recipient" for w in a.text.split()}
        object_words |= {w for lemma in trigger_lemmas for w in lemma.split()}  # "shot down two drones"
        object_words |= {c.lemma_.lower() for m in ms
                         if (span := doc.char_span(m.trigger.start, m.trigger.end, alignment_mode="expand"))
                         for t in span for c in t.children if c.dep_ in ("dobj", "nsubjpass")}  # "defused a bomb"
        actor_words = {t.lemma_.lower() for a in actors if a.role == "actor" and a.span is not None
                       if (span := doc.char_span(a.span.start, a.span.end, alignment_mode="expand")) for t in span}
        if actor_words & BOMBER_PEOPLE:
            actor_words = actor_words - {"bomber"}  # "a suicide car bomber" is a person, not an aircraft
            if event_type == "ASSAULT" and mode in (None, "explosives") and "suicide" in actor_words:
                mode = "suicide-attack"
        if event_type == "ASSAULT" and mode in (None, "explosives", "firearms") and actor_words & AIRCRAFT:
            mode = "drone" if actor_words & {"drone", "uav"} else "aerial"  # "Israeli aircraft struck ..."
        # each sentence once; not "arrested ... ahead of a planned rally": no protest took place
        protest_nearby = any(t.lemma_.lower() in PROTEST_WORDS for i in dict.fromkeys(
            m.sentence_index for m in ms if m.sentence_index not in unreal_protests) for t in story.sents[i])
        typing = merged_typing(main, ms)
        hybrid = typing is not None and getattr(self.typer, "keeps_candidates", False)
        if typing is not None and not hybrid:  # the learned typer read the ACLED sub-type off the sentence
            acled = self.crosswalk.by_sub_type(typing.acled)
            mode = mode or self.crosswalk.mode_for(event_type, typing.acled)
        else:
            acled = self.crosswalk.acled(event_type, mode, recipient_sectors, actor_sectors,
                                           fatalities.best if fatalities else None,
                                           event_type == "PROTEST" and self._intervened(doc, ms, story),
                                           trigger_lemmas, object_words, actor_words, protest_nearby)
            if hybrid and acled.sub_event_type is not None:  # an ACLED event: the learned typer says which
                acled = self.crosswalk.by_sub_type(typing.acled)
        cameo_code, cameo_root = self.crosswalk.cameo(event_type, cameo)
        evidence = tuple(dict.fromkeys([m.sentence for m in ms] + [m.trigger for m in ms]))
        confidence = _confidence(ms, actors, location, modality)
        key = f"{article.id}|{event_type}|{cluster.first.trigger.start}|{modality}"
        return Event(
            id="ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16], article_id=article.id,
            coder=dict(self.versions),
            event_type=event_type, mode=mode, contexts=contexts,
            quad_class=QUAD_CLASS[event_type], acled_event_type=acled.event_type,
            acled_sub_event_type=acled.sub_event_type, disorder_type=acled.disorder_type,
            cameo_code=cameo_code, cameo_root=cameo_root, modality=modality,
            modality_span=cluster.modality_cue, date=when.value.isoformat() if when.value else None,
            date_precision=when.precision, date_text=date_span.text if date_span else None, date_span=date_span,
            date_note=note, planned_date=planned, actors=actors, location=location,
            places=tuple(dict.fromkeys(p for m in ms for p in m.places)), fatalities=fatalities, injured=injured,
            arrested=arrested, claims=claims, evidence=evidence, trigger=main.trigger, confidence=confidence,
            typing=typing)

    def _threat_mode(self, ms: list[Mention], doc) -> str | None:
        """What a threat threatens, read off the acts embedded under it."""
        for m in ms:
            span = doc.char_span(m.trigger.start, m.trigger.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span.root.subtree:
                for match in self.lexicon.match([tok]):
                    kind = (match.entry.event_type, match.entry.mode)
                    if kind[0] in ("ASSAULT", "MOBILIZE"):
                        return "violence"
                    if kind == ("COERCE", "arrest"):
                        return "arrest"
                    if kind[0] == "COERCE":
                        return "restrict"
                    if kind[0] == "SANCTION":
                        return "expel" if kind[1] == "expel" else "relations"
            for tok in span.root.subtree:
                if tok.lemma_.lower() in ("military", "operation", "offensive", "force", "war", "incursion"):
                    return "violence"
        return None

    def _intervened(self, doc, ms: list[Mention], story: "Story") -> bool:
        """Police broke the protest up (tear gas, arrests, dispersal) in its own or the next sentence."""
        near = {i + d for m in ms for i in (m.sentence_index,) for d in (0, 1)}
        for i in sorted(near):
            if i >= len(story.sents):
                continue
            for m in story.matches(i, self.lexicon):
                if (m.entry.event_type in ("ASSAULT", "COERCE") and m.entry.mode in ("crowd-control", "arrest")) \
                        or m.entry.lemmas[0] == "disperse":
                    if find_modality(doc[m.head], self.cues, m.entry.event_type)[0] == "asserted":
                        return True
        return False

    def _event_date(self, ms: list[Mention], article: Article, dated: Mapping[int, list[Mention]]
                    ) -> tuple[ResolvedDate, Span | None, str | None]:
        for m in ms:
            if m.date_text is not None and m.resolved_date is not None:
                return ResolvedDate(m.resolved_date, m.date_precision), m.date_text, m.date_note
        notes = [resolve_date(m.date_text.text, article.published).note for m in ms if m.date_text is not None]
        first = min(m.sentence_index for m in ms)
        before = _told_before(dated, first, article)
        here = {p.country_code for m in ms for p in m.places if p.country_code}
        before = [b for b in before if (here and here <= {p.country_code for p in b.places if p.country_code})
                  or (b.event_type == "PROTEST" and _about_a_protest(ms, ms[0].event_type, ms[0].mode))
                  or _shared_party(b, ms)]
        if ms[0].event_type in MATERIAL_TYPES and before and not any(m.date_text is not None for m in ms):
            # "Tens of thousands marched on Monday ... Police used tear gas and detained 12": the story goes on
            # in the time it set, so an undated act takes the date of the act told just before it
            prev = max(before, key=lambda m: (m.sentence_index, m.trigger.start))
            return (ResolvedDate(prev.resolved_date, prev.date_precision), prev.date_text,
                    "no date in the event's sentences: the date of the act told just before it")
        if article.published is not None:
            return (ResolvedDate(article.published, "week"), None,
                    "no usable date in the event's sentences: the week up to publication")
        return ResolvedDate(None, None), None, notes[0] if notes else "no date in the text and no publication date"
