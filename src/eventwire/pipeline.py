"""The one orchestrator used by the CLI, the API, batches and benchmarks.

Stages, in the order the data flows::

    1. check      article -> reason to skip, or None          (ingest.check_article)
    2. parse      article -> spaCy Doc                         (nlp)
    3. places     Doc -> place mentions, resolved in context   (resolve.places)
    4. mentions   each sentence -> event mentions              (extract.triggers/modality/roles)
    5. merge      mentions -> one event per happening          (merge_mentions)
    6. claims     sentences -> counts per claimant -> events   (extract.casualties)
    7. code       cluster -> Event record (dates, place, crosswalks, confidence)
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from time import monotonic
from typing import Callable, Iterable, Iterator, Mapping

from eventwire import __version__
from eventwire.extract.claims import claim_range, merge_claims, sentence_claims
from eventwire.extract.coding import QUAD_CLASS, Crosswalk
from eventwire.extract.merge import Cluster, combine_actors, merge_mentions
from eventwire.extract.modality import ModalityCues, find_modality
from eventwire.extract.roles import RolePhrase, find_roles
from eventwire.extract.triggers import TriggerLexicon, TriggerMatch
from eventwire.extract.statements import conditional, refusal, stated_intent
from eventwire.extract.typing import Dropped, Typer, apply_typing, load_typer, read_alongside
from eventwire.errors import TimeLimitExceeded
from eventwire.ingest.checks import check_article
from eventwire.nlp import doc_text, entity_of, ents_within, set_doc_text
from eventwire.nlp.casing import Truecaser
from eventwire.models import Actor, Article, Claim, Event, Mention, Place, Skipped, Span
from eventwire.resolve.actors import ActorKB
from eventwire.resolve.dates import ResolvedDate, resolve_date
from eventwire.resolve.event_place import choose_location, home_country, places_for
from eventwire.resolve.gazetteer import Gazetteer, norm_key
from eventwire.resolve.places import PlaceMention, find_places
from eventwire.resolve.when import DatingContext, date_hint, dateline_end, document_dates, points_ahead
from eventwire.settings import Settings

__all__ = ["Pipeline", "Resources", "CODER_VERSIONS", "Coded"]

CODER_VERSIONS = {"eventwire": __version__, "events": "triggers.v1", "modality": "modality.v1",
                  "roles": "roles.v1", "places": "places.v1", "dates": "dates.v1", "claims": "claims.v1"}
NATURAL_HAZARDS = {"fire", "blaze", "flood", "flooding", "storm", "cyclone", "hurricane", "typhoon", "earthquake",
                   "quake", "tremor", "landslide", "mudslide", "avalanche", "drought", "heatwave", "heat", "rain",
                   "downpour", "wind", "lightning", "tornado", "tsunami", "wildfire", "disease", "outbreak",
                   "epidemic", "cholera", "virus", "crash", "accident", "collapse"}
OFFICIAL_SECTORS = {"GOV", "IGO", "NGO", "JUD", "LEG", "MED"}
DISCONTINUE = {"halt", "end", "suspend", "cut", "stop", "cancel", "freeze", "withdraw", "terminate", "break",
               "sever", "reduce", "slash", "curtail", "discontinue", "abandon", "call"}
EASING = {"lift", "ease", "relax", "end", "scrap", "remove", "cancel", "suspend", "shorten", "reduce", "loosen",
          "rescind", "revoke", "withdraw", "drop", "waive", "overturn", "annul"}
NON_EVENT_HEADS = {"agent", "guard", "car", "boat", "vehicle", "movement", "leader", "group", "organiser", "organizer", "worker", "agency", "helicopter",
                   "aircraft", "plane", "jet", "force", "unit", "official", "committee", "activist", "material",
                   "victim", "survivor", "suspect", "expert", "analyst", "law", "rule", "policy", "package",
                   "budget", "fund", "money", "convoy", "truck", "ship", "vessel", "dog", "squad", "commander",
                   "site", "zone", "weapon", "gun", "rifle", "vest", "belt", "factory", "program", "programme"}
NON_EVENT_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
TOPIC_PREPS = {"on", "over", "about", "regarding", "concerning", "toward", "towards"}
DESCRIPTIVE_PARTICIPLES = {"back", "support", "sponsor", "arm", "fund", "ally", "align", "lead", "base", "affiliate",
                           "kidnap", "abduct", "detain", "jail", "imprison",  # "the kidnapped soldiers": a state
                           "shelter", "host", "house"}  # "a school sheltering displaced families": what it is
_ANAPHORIC_DETS = {"the", "this", "that", "these", "those", "such", "its", "their"}
# A sentence of news prose names a handful of acts: at most 8 in the 4,678 sentences of the development
# articles. One with more than this many trigger words is a list or a word repeated ("killed killed
# ..."); each trigger reads the parse around it, so only the first ones are read, to bound the work.
MAX_TRIGGERS_PER_SENTENCE = 32


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

    @classmethod
    def load(cls, settings: Settings, progress=None) -> "Resources":
        from eventwire.nlp import load_nlp

        kb = ActorKB()
        return cls(nlp=load_nlp(settings.spacy_model, kb.patterns),
                   gazetteer=Gazetteer.open(settings.cache_path, progress=progress), kb=kb, lexicon=TriggerLexicon(),
                   cues=ModalityCues.load(), crosswalk=Crosswalk(), typer=load_typer(settings.coder),
                   truecaser=Truecaser.load() if settings.recase else None)


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
        places = [p for p in find_places(doc, self.r.gazetteer, self.r.kb)
                  if p.place.span is None or p.place.span.start >= filed]
        budget.check("after finding places")
        ctx = DatingContext(article, filed, document_dates(doc, article, filed))
        sents = list(doc.sents)
        places_in = _places_by_sentence(places, sents, len(doc))
        mentions = []
        for index, sent in enumerate(sents):
            budget.check(f"while finding events, at sentence {index + 1:,} of {len(sents):,}")
            mentions.extend(self._mentions(sent, index, ctx, places_in[index]))
        mentions += [stated for m in mentions if (stated := stated_intent(m) or refusal(m)) is not None]
        mentions.sort(key=lambda m: (m.sentence_index, m.trigger.start))
        mentions = _resolve_group_anaphors(mentions)
        mentions, dropped = self._type(mentions, sents)
        budget.check("after typing events")
        clusters = merge_mentions(mentions, lambda: budget.check(f"while merging {len(mentions):,} mentions"))
        _deny_reports(clusters, doc)
        self._attach_claims(doc, clusters, sents, budget)
        dated = _by_sentence(m for m in mentions if m.resolved_date is not None and m.date_text is not None
                             and m.modality == "asserted" and m.date_precision == "day")
        located = _by_sentence(m for m in mentions if m.modality == "asserted" and any(
            p.lat is not None and p.precision in ("town", "admin2", "admin1") for p in m.places))
        unreal_protests = {m.sentence_index for m in mentions if m.event_type == "PROTEST"} - {
            m.sentence_index for m in mentions if m.event_type == "PROTEST" and m.modality == "asserted"}
        story = _Story(sents)
        events = []
        for i, c in enumerate(clusters):
            budget.check(f"while coding events, at event {i + 1:,} of {len(clusters):,}")
            events.append(self._event(article, c, places, doc, dated, located, unreal_protests, story))
        events = [e for e in events if e.confidence >= self.settings.min_confidence]
        return Coded(sorted(events, key=lambda e: e.trigger.start), tuple(dropped))

    def _parse(self, text: str):
        """The parsed article. Lines in capitals, title case or lower case are parsed recased
        (``nlp.casing``); the doc's text is then the article as written, so evidence quotes it."""
        recased = self.r.truecaser.recase(text) if self.r.truecaser is not None else text
        doc = self.r.nlp(recased)
        if recased != text:
            set_doc_text(doc, text)
        return doc

    def _type(self, mentions: list[Mention], sents: list) -> tuple[list[Mention], list[Dropped]]:
        """Stage 4b, event typing: the typer reads each sentence that holds a candidate (rules-v1 reads
        none and changes nothing); one event a sentence is kept, typed, and the rest are dropped."""
        indexes = sorted({m.sentence_index for m in mentions})
        read = self.r.typer.type_sentences([sents[i].text for i in indexes])
        if read is None:
            return mentions, []
        if getattr(self.r.typer, "keeps_candidates", False):  # hybrid: the rules' candidates with the reading,
            return read_alongside(mentions, dict(zip(indexes, read)), self.r.typer)  # unless read as no event
        return apply_typing(mentions, dict(zip(indexes, read)))

    def places(self, article: Article) -> list[PlaceMention]:
        """Every place mention of an article, resolved (datelines and sources' bases included)."""
        return find_places(self._parse(article.text), self.r.gazetteer, self.r.kb)

    def code_many(self, articles: Iterable[Article],
                  on_article: Callable[[Article, list[Event] | Skipped], None] | None = None,
                  detailed: bool = False) -> Iterator[tuple[Article, list[Event] | Coded | Skipped]]:
        """Code a batch; each article yields its events (``detailed``: its Coded) or why it was skipped."""
        for article in articles:
            skip = self.check(article)
            if skip is None and not self.loaded:
                self.r  # noqa: B018 -- load now, outside the per-article guard: a missing model stops the run
            try:
                result: list[Event] | Coded | Skipped = skip if skip is not None else (
                    self.code_detailed(article) if detailed else self.code(article))
            except TimeLimitExceeded as exc:  # "took longer than 60 s: stopped while ..."
                result = Skipped(article.source or article.id, "code", str(exc), article.id)
            except Exception as exc:  # one bad article never stops a batch: record why
                result = Skipped(article.source or article.id, "code", f"{type(exc).__name__}: {exc}", article.id)
            if on_article:
                on_article(article, result)
            yield article, result

    # -- stage 4: mentions ------------------------------------------------------------------
    def _mentions(self, sent, index: int, ctx: "DatingContext", places: list[PlaceMention]) -> list[Mention]:
        """The event mentions of one sentence; ``places`` are the place mentions with a token in it.

        What is the same for every trigger of the sentence (its span, text, trigger words) is read once
        here; each trigger then reads the parse around it, so a sentence costs about (triggers) x
        (its length), both bounded: see MAX_SENTENCE_TOKENS and MAX_TRIGGERS_PER_SENTENCE.
        """
        article = ctx.article
        out = []
        doc = sent.doc
        sent_text = sent.text
        sentence = _span(doc, sent.start_char, sent.start_char + len(sent_text.rstrip()))
        matches = self.r.lexicon.match(sent)
        trigger_tokens = {i for m in matches for i in range(m.start, m.end)}
        trigger_lemmas = Counter(doc[i].lemma_.lower() for i in trigger_tokens)
        matches = [self._recode(doc, m) for m in matches[:MAX_TRIGGERS_PER_SENTENCE]]
        matches = [m for m in matches if not m.entry.conditional]  # an object-only trigger without its object
        heads = {m.head: m for m in matches}
        for match in matches:
            head = doc[match.head]
            if self._ignored(doc, match):
                continue
            if head.pos_ == "NOUN" and head.dep_ in ("dobj", "nsubjpass") and head.head.pos_ == "VERB":
                verb = head.head.lemma_.lower()
                if verb in EASING and match.entry.event_type in ("COERCE", "SANCTION"):
                    if head.head.i in heads:
                        continue  # "lifted the curfew": the lifting is the event, not the curfew
                    match = _at_verb(match, head.head, "CONCEDE", None, "081")  # "shortened the curfew"
                    head = doc[match.head]
                elif verb in DISCONTINUE and QUAD_CLASS[match.entry.event_type] in (1, 2):
                    if head.head.i in heads and heads[head.head.i].entry.event_type == "SANCTION":
                        continue
                    match = _at_verb(match, head.head, "SANCTION", "discontinue", "166")  # "halted aid"
                    head = doc[match.head]
            if match.entry.event_type in ("REQUEST", "ACCUSE") and _purpose_of(head, heads, "PROTEST"):
                continue  # "demonstrated to demand reforms": the demand is the protest's
            if head.dep_ == "dobj" and head.head.lemma_.lower() == "declare" and head.lemma_.lower() in (
                    "riot", "assembly"):
                continue  # "police declared a riot": the police's word for the protest, not their riot
            if head.dep_ == "acl" and head.tag_ == "VBG" and head.head.dep_ == "appos":
                continue  # "Al-Shabaab, the militant group fighting the government": who they are, not an event
            if head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_.lower() in DISRUPT_VERBS and \
                    match.entry.event_type == "ASSAULT":
                continue  # "defused a roadside bomb", "seized rockets": the weapon was never used
            if head.pos_ == "NOUN" and head.dep_ == "dobj" and head.head.i in heads and \
                    QUAD_CLASS[match.entry.event_type] < 4 and heads[head.head.i].entry.event_type != match.entry.event_type:
                continue  # "dismissed an appeal", "signed a treaty": the object is what is done, not an act
            if head.dep_ == "pobj" and head.head.lower_ in ("in", "during", "through", "with") and \
                    head.head.head.i in heads and heads[head.head.head.i].entry.event_type != match.entry.event_type \
                    and match.entry.weight < 0.8:
                continue  # "arrested in raids": the raids are how the arrests were made
            modality, cue = find_modality(head, self.r.cues, match.entry.event_type)
            if match.entry.event_type == "PROTEST" and modality == "asserted" and head.dep_ in ("dobj", "nsubjpass") \
                    and head.head.lemma_.lower() in BAN_VERBS:
                modality, cue = "negated", head.head  # "the rally had been banned": it did not (yet) take place
            if modality == "negated" and (_habitual(head) or (_standing_denial(cue) and _general_act(head))):
                continue  # "Russia says it does not target civilians", "has previously denied targeting
                # civilians": a stated policy or a standing denial, not a denial of this act
            own = set(range(match.start, match.end))
            own_lemmas = Counter(doc[i].lemma_.lower() for i in own & trigger_tokens)
            roles = find_roles(head, own, QUAD_CLASS[match.entry.event_type] == 4,
                               {w for w, n in trigger_lemmas.items() if n > own_lemmas[w]})  # other triggers' words
            when = date_hint(sent, head, ctx, self.r.cues)
            if sent.start == 0 and article.title and _headline_passive(head):
                roles = [replace(r, role="recipient", via="headline passive") if r.role == "actor" and
                         doc[r.head].dep_ == "nsubj" and doc[r.head].head.i == head.i else r for r in roles]
            roles = [r for r in roles if not (r.role == "actor" and (
                _a_count(doc[r.head], match.entry.event_type) or _nobody(doc[r.head])
                or doc[r.head].lemma_.lower() in MOODS))]  # "no group has claimed it", "Terror at the market"
            if _consequence_of_other_act(head, trigger_tokens):
                roles = [r for r in roles if r.role != "actor" or doc[r.head].head.i == head.i]
            roles = [r for r in roles if not (r.via == "modifier" and (
                self._local_place(doc[r.head], places) or self._country_as_scene(doc[r.head])))]
            roles = [r for r in roles if not (doc[r.head].tag_ in ("WP", "WDT") and r.end - r.start == 1)]  # "who"
            roles = [r for r in roles if doc[r.head].lower_ not in ("himself", "herself", "themselves", "itself")]
            if head.lemma_.lower() in CASUALTY_VERBS and modality == "asserted" and any(
                    r.role == "recipient" and _nobody(doc[r.head]) for r in roles):
                modality = "negated"  # "no one was killed", "nobody was hurt"
            actors = tuple(self._actor(doc, r, match, when[0].value if when else None, trigger_tokens)
                           for r in roles)
            if " ".join(match.entry.lemmas) in GROUP_CHANGE and not any(
                    a.role == "actor" and (a.sector in ARMED_GROUP_SECTORS or set(a.text.lower().split()) & ARMED_WORDS)
                    for a in actors):
                continue  # "the two banks merged": only armed groups' changes are conflict events
            if QUAD_CLASS[match.entry.event_type] >= 3 and (any(
                    r.role == "actor" and doc[r.head].lemma_.lower() in NATURAL_HAZARDS for r in roles)
                    or _disaster(head) or _sport(sent_text, match)):
                continue  # "a fire destroyed shelters", "floods killed 40", "a bus plunged into a ravine, killing
                # 20", "Morocco beat Portugal 1-0": a disaster, an accident or a match, not a political event
            ranked = places_for(sent, head, places, roles)
            sent_places = tuple(p for tier, p in ranked if tier > 0)
            context_places = tuple(p for tier, p in ranked if tier == 0)
            anaphoric = head.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ in ("det", "poss", "amod") and c.lower_ in _ANAPHORIC_DETS for c in head.children
            ) and not any(a.resolved for a in actors)
            date_span = when[1] if when else None
            weight = match.entry.weight
            if any(c.dep_ == "prep" and c.lower_ == "to" and any(g.lemma_.lower() == "death" for g in c.children)
                   for c in head.children):
                weight = max(weight, 0.95)  # "beat a man to death", "stabbed to death": no doubt it was violence
            mentions_weight = weight * _centrality(head)
            if sent.start == 0 and article.title:
                mentions_weight *= 0.9
            if _is_topic(head):
                if _topic_governor(head) in heads:
                    continue  # "talks on a peace treaty": the treaty is what the talks are about
                mentions_weight *= 0.3  # "over American hostages": a topic, not an event
            if match.entry.event_type == "PROTEST" and match.entry.mode in (None, "demo") and any(
                    a.role == "actor" and a.sector in OFFICIAL_SECTORS for a in actors) and not any(
                    a.role == "actor" and a.sector in ("CVL", "OPP", "LAB", "EDU") for a in actors):
                match = replace(match, entry=replace(match.entry, event_type="ACCUSE", mode="disapprove",
                                                     cameo="114"))  # a government's protest is a complaint
            demand = self._demand(doc, head, actors, when, match)
            if demand is not None:
                out.append(replace(demand, sentence=sentence, sentence_index=index, places=sent_places,
                                   date_text=date_span, resolved_date=when[0].value if when else None,
                                   date_precision=when[0].precision if when else None))
            out.append(Mention(
                sentence=sentence,
                trigger=_span(doc, doc[match.start].idx, doc[match.end - 1].idx + len(doc[match.end - 1])),
                event_type=match.entry.event_type, mode=match.entry.mode, cameo_code=match.entry.cameo,
                contexts=match.entry.contexts, modality=modality,
                modality_cue=_span(doc, cue.idx, cue.idx + len(cue)) if cue is not None else None,
                weight=mentions_weight, actors=actors, places=sent_places, context_places=context_places,
                date_text=date_span,
                resolved_date=when[0].value if when else None,
                date_precision=when[0].precision if when else None,
                date_note=when[0].note if when else None,
                anaphoric=anaphoric, sentence_index=index, conditional=conditional(head),
                trigger_pos="VERB" if head.pos_ in ("VERB", "AUX") else "NOUN"))
        for tok in sent:  # "declared that China must drop barriers": a demand even without a trigger word
            if tok.pos_ in ("VERB", "AUX") and tok.i not in heads and any(
                    c.dep_ == "aux" and c.lower_ in ("must", "should") for c in tok.children):
                roles = find_roles(tok)
                actors = tuple(self.r.kb.resolve(r.role, _span(doc, doc[r.start].idx, doc[r.end - 1].idx + len(doc[r.end - 1])),
                                                 [t.text for t in doc[r.start:r.end]], doc[r.head].lemma_, "REQUEST", None)
                               for r in roles if r.end > r.start)
                demand = self._demand(doc, tok, actors, None, None)
                if demand is not None:
                    out.append(replace(demand, sentence=sentence, sentence_index=index))
        return out

    def _demand(self, doc, head, actors, when, match: TriggerMatch | None) -> Mention | None:
        """'Russia said Sudan must return the helicopter': the saying is a demand (REQUEST) by the
        speaker to the one who must act (CAMEO 10)."""
        verb = head if head.pos_ in ("VERB", "AUX") else None
        if verb is None or not any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in verb.children):
            return None
        speaker_verb = verb.head
        if verb.dep_ in ("ccomp", "acl") and speaker_verb.pos_ == "NOUN":  # "a reminder to Iraq that it must"
            speaker_verb = speaker_verb.head
        if verb.dep_ not in ("ccomp", "acl") or speaker_verb.lemma_.lower() not in \
                self.r.cues.report | {"declare", "insist", "warn", "issue", "conclude", "reiterate", "stress"}:
            return None
        speakers = [r for r in find_roles(speaker_verb) if r.role == "actor"]
        if not speakers:
            return None
        speaker = self.r.kb.resolve("actor", _span(doc, doc[speakers[0].start].idx, doc[speakers[0].end - 1].idx +
                                                   len(doc[speakers[0].end - 1])),
                                    [t.text for t in doc[speakers[0].start:speakers[0].end]],
                                    doc[speakers[0].head].lemma_, "REQUEST", when[0].value if when else None)
        addressees = tuple(replace(a, role="recipient") for a in actors if a.role == "actor")
        cue = next(c for c in verb.children if c.dep_ == "aux" and c.lower_ in ("must", "should"))
        return Mention(sentence=_span(doc, 0, 0), trigger=_span(doc, cue.idx, cue.idx + len(cue)),
                       event_type="REQUEST", mode=None, cameo_code="100", contexts=(), modality="asserted",
                       modality_cue=None, weight=0.8 * _centrality(speaker_verb), actors=(speaker,) + addressees)

    def _recode(self, doc, match: TriggerMatch) -> TriggerMatch:
        """'blocked the bridge' is a protest blockade (data/events/trigger_objects.tsv)."""
        rules = self.r.lexicon.object_rules.get(" ".join(match.entry.lemmas)) or \
            self.r.lexicon.object_rules.get(match.entry.lemmas[0])
        if not rules:
            return match
        objects = {c.lemma_.lower() for c in doc[match.head].children if c.dep_ in ("dobj", "nsubjpass")}
        objects |= {w for o in list(objects) for w in (o.rstrip("s"),)}
        for row in rules:
            if objects & row["objects"]:
                entry = replace(match.entry, event_type=row["event_type"], mode=row["mode"] or None,
                                cameo=row["cameo"] or match.entry.cameo, conditional=False)
                return replace(match, entry=entry)
        return match

    def _country_as_scene(self, tok) -> bool:
        """A country's name (not its adjective) before an attack noun with no target of its own."""
        noun = tok.head
        return tok.pos_ == "PROPN" and tok.dep_ in ("compound", "nmod", "npadvmod") and noun.pos_ == "NOUN" \
            and noun.lemma_.lower() in SCENE_ATTACKS and norm_key(tok.text) in self.r.kb.country_names \
            and not any(c.dep_ == "prep" and c.lower_ in ("on", "against", "of") for c in noun.children)

    def _local_place(self, tok, places: list[PlaceMention]) -> bool:
        """A town or province naming where ("the Baidoa market bombing"), unlike a state that acts ("the US
        strike") or a group ("the Hamas attack")."""
        for pm in places:
            span = pm.place.span
            if span is not None and span.start <= tok.idx < span.end:
                return pm.place.precision not in (None, "country")
        if tok.ent_type_ not in ("GPE", "LOC", "FAC", "") or self.r.kb.named(tok.text) is not None:
            return False
        if not tok.ent_type_ and tok.pos_ != "PROPN":
            return False  # "Police raid ...": a common noun in a headline's capitals, not the town of Police
        found = self.r.gazetteer.lookup(tok.text)
        key = norm_key(tok.text)
        return bool(found) and tok.text[:1].isupper() and not any(c.kind == "country" for c in found) \
            and key not in self.r.kb.country_names and key not in self.r.kb.country_adjectives

    def _ignored(self, doc, match: TriggerMatch) -> bool:
        """Trigger words inside a name ('Human Rights Watch') or describing ('Iran-backed') are not events."""
        head = doc[match.head]
        if head.ent_type_ in NON_EVENT_ENTS or doc[match.start].ent_type_ in NON_EVENT_ENTS:
            return True  # "March 15" is a date, not a march
        if head.pos_ in ("NOUN", "PROPN") and head.dep_ == "compound" and head.head.lemma_.lower() in NON_EVENT_HEADS:
            return True  # "protest movement", "aid worker", "attack helicopter"
        if match.end < len(doc) and doc[match.end].text == "-" and not doc[match.end - 1].whitespace_:
            return True  # "bomb-making materials", "strike-hit town"
        if head.pos_ in ("VERB", "ADJ") and head.dep_ == "amod" and match.entry.event_type not in ("ASSAULT",):
            return True
        if head.dep_ in ("amod", "acl") and head.lemma_.lower() in DESCRIPTIVE_PARTICIPLES:
            return True
        if head.ent_type_ in ("PERSON", "WORK_OF_ART", "LAW", "FAC") :
            return True
        if any(c.dep_ == "prep" and c.lower_ == "for" and any(g.lemma_.lower() == "comment" for g in c.children)
               for c in head.children):
            return True  # "did not respond to a request for comment": newsroom routine, not an event
        if head.ent_type_ == "ORG":
            ent = entity_of(head)
            if ent is not None and self.r.kb.named(ent.text) is not None:
                return True
        return False

    def _actor(self, doc, role: RolePhrase, match: TriggerMatch, when: date | None,
               trigger_tokens: set[int]) -> Actor:
        end = role.end
        while end > role.head + 1 and (end - 1) in trigger_tokens:  # "US Air Strikes" tagged as one ORG
            end -= 1
        toks = doc[role.start:end]
        span = _span(doc, toks[0].idx, toks[-1].idx + len(toks[-1])) if len(toks) else _span(doc, 0, 0)
        words = [t.text if (t.pos_ == "PROPN" or t.ent_type_) else t.lemma_ for t in toks]
        ents = [e.text for e in ents_within(doc, role.start, end) if e.label_ in ("ORG", "PERSON", "GPE", "NORP")]
        extra = doc[role.extra_start:role.extra_end].text if role.extra_start >= 0 else ""
        head = doc[role.head]
        return self.r.kb.resolve(role.role, span, words, head.lemma_, match.entry.event_type, when, ents, extra)


    # -- stage 6: claims ---------------------------------------------------------------------
    def _attach_claims(self, doc, clusters: list[Cluster], sents: list, budget: "_Budget") -> None:
        """Each claim goes to the event it is about.

        A count governed by a trigger ("the war has killed tens of thousands") belongs to that
        trigger's event; otherwise a claim goes to an asserted event of a fitting type in its
        sentence or the three before, then to any event of its sentence.
        """
        by_sentence: dict[int, list[Cluster]] = {}
        by_trigger: dict[int, Cluster] = {}
        for c in clusters:
            for m in c.mentions:
                by_sentence.setdefault(m.sentence_index, []).append(c)
                by_trigger[m.trigger.start] = c
        for index, sent in enumerate(sents):
            budget.check(f"while attaching counts, at sentence {index + 1:,} of {len(sents):,}")
            for claim in sentence_claims(sent, self.r.kb):
                arrest_only = (claim.arrested is not None or claim.abducted is not None) and \
                    claim.killed is None and claim.injured is None
                types = ("COERCE", "PROTEST", "ASSAULT") if arrest_only else ("ASSAULT", "PROTEST")
                home = None
                if not claim.no_figure and claim.span is not None:
                    tok = next((t for t in sent if t.idx >= claim.span.start), None)
                    for anc in ([tok] + list(tok.ancestors)) if tok is not None else []:
                        c = by_trigger.get(anc.idx)
                        if c is not None and c.first.event_type in types:
                            home = c
                            break
                if home is None:
                    def fitting(i: int, asserted_only: bool) -> list[Cluster]:
                        found = [c for c in by_sentence.get(i, []) if c.first.event_type in types
                                 and (c.modality in ("asserted", "negated") or not asserted_only)]
                        return sorted(found, key=lambda c: c.first.event_type != types[0])

                    for i, only in ((index, True), (index - 1, True), (index - 2, True), (index - 3, True),
                                    (index, False)):
                        options = fitting(i, only)
                        if options:
                            home = options[0]
                            break
                if home is not None:
                    home.claims.append(_add_to_earlier(home.claims, _superseded(home.claims, claim, doc), doc))


    # -- stage 7: events ---------------------------------------------------------------------
    def _event(self, article: Article, cluster: Cluster, places: list[PlaceMention], doc,
               dated: Mapping[int, list[Mention]], located: Mapping[int, list[Mention]],
               unreal_protests: set[int], story: "_Story") -> Event:
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
                and when.value < article.published - timedelta(days=60):
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
                when.value < article.published - timedelta(days=60):
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
        typing = main.typing
        hybrid = typing is not None and getattr(self.r.typer, "keeps_candidates", False)
        if typing is not None and not hybrid:  # the learned typer read the ACLED sub-type off the sentence
            acled = self.r.crosswalk.by_sub_type(typing.acled)
            mode = mode or self.r.crosswalk.mode_for(event_type, typing.acled)
        else:
            acled = self.r.crosswalk.acled(event_type, mode, recipient_sectors, actor_sectors,
                                           fatalities.best if fatalities else None,
                                           event_type == "PROTEST" and self._intervened(doc, ms, story),
                                           trigger_lemmas, object_words, actor_words, protest_nearby)
            if hybrid and acled.sub_event_type is not None:  # an ACLED event: the learned typer says which
                acled = self.r.crosswalk.by_sub_type(typing.acled)
        cameo_code, cameo_root = self.r.crosswalk.cameo(event_type, cameo)
        evidence = tuple(dict.fromkeys([m.sentence for m in ms] + [m.trigger for m in ms]))
        confidence = _confidence(ms, actors, location, modality)
        key = f"{article.id}|{event_type}|{cluster.first.trigger.start}|{modality}"
        return Event(
            id="ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16], article_id=article.id,
            coder={**CODER_VERSIONS, "typing": self.r.typer.name,
                   "casing": self.r.truecaser.version if self.r.truecaser is not None else "off"},
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
                for match in self.r.lexicon.match([tok]):
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

    def _intervened(self, doc, ms: list[Mention], story: "_Story") -> bool:
        """Police broke the protest up (tear gas, arrests, dispersal) in its own or the next sentence."""
        near = {i + d for m in ms for i in (m.sentence_index,) for d in (0, 1)}
        for i in sorted(near):
            if i >= len(story.sents):
                continue
            for m in story.matches(i, self.r.lexicon):
                if (m.entry.event_type in ("ASSAULT", "COERCE") and m.entry.mode in ("crowd-control", "arrest")) \
                        or m.entry.lemmas[0] == "disperse":
                    if find_modality(doc[m.head], self.r.cues, m.entry.event_type)[0] == "asserted":
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


# -- helpers ------------------------------------------------------------------------------------


class _Budget:
    """The time an article may take (``max_seconds``; 0 is no limit), checked cooperatively between
    steps: no signal and no thread, so a library caller gets an exception at a safe point."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = monotonic() + seconds if seconds > 0 else None

    def check(self, where: str) -> None:
        if self.ends is not None and monotonic() > self.ends:
            raise TimeLimitExceeded(self.seconds, where)


class _Story:
    """An article's sentences, and the triggers matched in each when a later stage asks again."""

    def __init__(self, sents: list) -> None:
        self.sents = sents
        self._matches: dict[int, list[TriggerMatch]] = {}

    def matches(self, index: int, lexicon: TriggerLexicon) -> list[TriggerMatch]:
        if index not in self._matches:
            self._matches[index] = lexicon.match(self.sents[index])
        return self._matches[index]


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





GROUP_CHANGE = {"defect", "disband", "merge", "splinter", "pledge allegiance"}
ARMED_GROUP_SECTORS = {"REB", "UAF", "MIL", "CRM", "SPY"}
ARMED_WORDS = {"militia", "militias", "rebels", "rebel", "fighters", "faction", "factions", "commander", "commanders",
               "insurgents", "militants", "gang", "gangs", "brigade", "battalion", "group", "groups", "soldiers"}
BOMBER_PEOPLE = {"suicide", "car", "truck", "lorry", "motorcycle", "motorbike", "lone", "would-be", "teenage", "female",
                 "male", "alleged", "suspected"}  # words that make a bomber a person
AIRCRAFT = {"aircraft", "warplane", "jet", "helicopter", "bomber", "drone", "uav", "gunship", "airplane"}
PROTEST_PEOPLE = {"protesters", "protestors", "demonstrators", "marchers", "crowd", "crowds", "students", "rioters",
                  "protester", "demonstrator"}
PROTEST_WORDS = {"protest", "protester", "protestor", "demonstrator", "demonstration", "rally", "march", "marcher",
                 "sit-in", "picket", "riot", "rioter"}
CASUALTY_VERBS = {"kill", "injure", "hurt", "wound", "harm", "die", "abduct", "kidnap", "arrest", "detain", "hit"}
VICTIM_COUNTS = {"people", "person", "body", "other", "civilian", "dead", "toll", "casualty", "death", "victim"}


def _a_count(tok, event_type: str) -> bool:
    """A number, or a count of victims, read as the doer: "leaves 17 dead", "toll climbs to 19"."""
    if tok.like_num or tok.pos_ == "NUM" or tok.lemma_.lower() == "toll":
        return True
    return event_type == "ASSAULT" and tok.lemma_.lower() in VICTIM_COUNTS and any(
        c.dep_ == "nummod" for c in tok.children)


DISRUPT_VERBS = {"defuse", "intercept", "dismantle", "seize", "find", "discover", "uncover", "confiscate",
                 "recover", "neutralise", "neutralize", "destroy", "disarm"}
ACCIDENT_VERBS = {"plunge", "crash", "derail", "collide", "capsize", "overturn", "sink", "collapse", "topple"}
SPORT_VERBS = {"beat", "defeat", "thrash", "rout", "crush", "edge", "draw", "tie"}


def _subject_words(verb) -> set[str]:
    return {t.lemma_.lower() for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}


def _disaster(head) -> bool:
    """The act's subject is a hazard ("a 6.3 earthquake struck"), or the act is what an accident did
    ("a bus plunged into a ravine, killing 20")."""
    verb = head if head.pos_ in ("VERB", "AUX") else head.head
    if _subject_words(verb) & NATURAL_HAZARDS:
        return True
    node = head
    while node.dep_ in ("acl", "pobj", "agent", "prep") and node.head.i != node.i:
        node = node.head  # "floods triggered by monsoon rains killed 30" parsed as a reduced relative
        if node.lemma_.lower() in NATURAL_HAZARDS:
            return True
    if head.dep_ in ("advcl", "xcomp", "conj") and head.head.pos_ == "VERB":
        up = head.head
        return up.lemma_.lower() in ACCIDENT_VERBS or bool(_subject_words(up) & NATURAL_HAZARDS)
    return False


def _sport(sent_text: str, match) -> bool:
    """'Morocco beat Portugal 1-0': a score, not a fight."""
    return match.entry.lemmas[0] in SPORT_VERBS and bool(re.search(
        r"\b\d{1,2}\s*[-–]\s*\d{1,2}\b(?!\s*(?:days?|weeks?|months?|years?|hours?|people|men|women|%|percent))",
        sent_text))


# "the group", "the militants": a definite description that points back at an armed group named earlier
_GROUP_ANAPHOR = re.compile(r"(?i)^(the|this|that) ((islamist|militant|armed|jihadist|extremist|rebel|insurgent|"
                            r"separatist|terrorist|terror) )*(group|militants|rebels|insurgents|jihadists|militia|"
                            r"outfit|fighters)$")
NON_STATE_ARMED = {"REB", "UAF"}


def _resolve_group_anaphors(mentions: list[Mention]) -> list[Mention]:
    """'Al-Shabaab ... The group claimed the bombing': 'the group' is the armed group last named before it,
    when one was; the text stays as written and the name is the group's."""
    named: list[Actor] = sorted((a for m in mentions for a in m.actors if a.resolved and a.name and a.span is not None
                                 and a.text[:1].isupper() and not _GROUP_ANAPHOR.match(a.text.strip())),
                                key=lambda a: a.span.start)  # organisations named by name, not "soldiers"
    if not any(a.sector in NON_STATE_ARMED for a in named):
        return mentions
    starts = [n.span.start for n in named]
    out = []
    for m in mentions:
        actors = []
        for a in m.actors:
            if not a.resolved and a.span is not None and _GROUP_ANAPHOR.match(a.text.strip()):
                last = _last_named_before(named, starts, a.span.start)
                if last is not None and last.sector in NON_STATE_ARMED:  # the organisation named last is armed
                    a = replace(last, role=a.role, text=a.text, span=a.span)
            actors.append(a)
        out.append(replace(m, actors=tuple(actors)) if tuple(actors) != m.actors else m)
    return out


def _last_named_before(named: list[Actor], starts: list[int], offset: int) -> Actor | None:
    """The last of ``named`` (in order of start) that ends by ``offset``: only names that start by then can,
    and of those only the ones running over ``offset`` are passed on the way back."""
    for j in range(bisect_right(starts, offset) - 1, -1, -1):
        if named[j].span.end <= offset:
            return named[j]
    return None


MATERIAL_TYPES = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "RETREAT"}
_ALSO = re.compile(r"\balso\b", re.I)
_COUNT_KINDS = ("killed", "injured", "arrested", "abducted")


_EARLIER = re.compile(r"\b(?:had\s+)?(?:earlier|previously|initially|first)\s+(?:put|given|gave|said|reported|"
                      r"announced|set)\b", re.I)


def _who(claim: Claim) -> str:
    return (claim.claimant or "").casefold()


def _superseded(claims: list[Claim], claim: Claim, doc) -> Claim:
    """'The toll rose to 30, the ministry said. It had earlier put the toll at 16': the source's earlier
    figure gives way to its latest; the claim keeps the latest figure, its span running over both."""
    if claim.span is None or claim.no_figure:
        return claim
    window = doc_text(doc)[max(0, claim.span.start - 40):claim.span.end]  # the cue governs the count itself
    if not _EARLIER.search(window) or _ALSO.search(window):
        return claim
    prior = _same_source_count(claims, claim)
    if prior is None:
        return claim
    start, end = min(prior.span.start, claim.span.start), max(prior.span.end, claim.span.end)
    return replace(prior, span=Span.of(doc_text(doc), start, end))


def _add_to_earlier(claims: list[Claim], claim: Claim, doc) -> Claim:
    """'Eight militants were killed ... Two soldiers were also killed, it said': a count with 'also' adds
    to the same source's earlier count (it is other people, not another estimate). The earlier claim is
    removed from ``claims`` and the sum returned, its span running over both counts."""
    if claim.span is None or claim.no_figure:
        return claim
    window = doc_text(doc)[max(0, claim.span.start - 12):claim.span.end]
    if not _ALSO.search(window):
        return claim
    prior = _same_source_count(claims, claim)
    if prior is None:
        return claim
    total = {k: (getattr(prior, k) or 0) + (getattr(claim, k) or 0)
             if getattr(prior, k) is not None or getattr(claim, k) is not None else None for k in _COUNT_KINDS}
    start, end = min(prior.span.start, claim.span.start), max(prior.span.end, claim.span.end)
    return replace(prior, **total, span=Span.of(doc_text(doc), start, end))


def _same_source_count(claims: list[Claim], claim: Claim) -> Claim | None:
    """The latest claim in ``claims`` by the same source (or any, when ``claim`` names none) that counts one
    of the same things; it is taken out of ``claims``."""
    for i in range(len(claims) - 1, -1, -1):
        prior = claims[i]
        if prior.no_figure or prior.span is None or (claim.claimant and _who(prior) != _who(claim)):
            continue
        if any(getattr(prior, k) is not None and getattr(claim, k) is not None for k in _COUNT_KINDS):
            return claims.pop(i)
    return None


HEADLINE_PASSIVES = {"kill", "wound", "injure", "hurt", "shoot", "arrest", "detain", "kidnap", "abduct", "jail",
                     "execute", "hang", "behead", "stab", "beat", "torture", "free", "release", "rescue", "sentence",
                     "murder", "massacre", "slay", "capture", "evacuate", "displace", "expel", "deport"}


def _headline_passive(verb) -> bool:
    """'Journalist killed', 'Five Maoists killed in gunfight': a headline drops 'was'; the subject suffered."""
    joined = [verb] + [c for c in verb.children if c.dep_ == "conj"] + ([verb.head] if verb.dep_ == "conj" else [])
    return verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBN") and verb.lemma_.lower() in HEADLINE_PASSIVES \
        and not any(c.dep_ in ("dobj", "agent", "dative") for v in joined for c in v.children) \
        and not any(c.dep_ == "aux" for c in verb.children)  # "Police beat and detained protesters": active


BAN_VERBS = {"ban", "prohibit", "forbid", "outlaw", "disallow"}
_REPORT_NOUNS = {"report", "reports", "claim", "claims", "allegation", "allegations", "accusation", "accusations"}


def _bare_report(doc, span: Span) -> bool:
    """'the report', 'the claims': a report noun with no content of its own ('reports that it plans ...')."""
    toks = doc.char_span(span.start, span.end, alignment_mode="expand")
    if toks is None:
        return False
    head = toks.root
    return head.lower_ in _REPORT_NOUNS and not any(
        c.dep_ in ("acl", "ccomp", "relcl") or (c.dep_ == "prep" and c.lower_ in ("of", "about", "on"))
        for c in head.children)


def _deny_reports(clusters: list[Cluster], doc) -> None:
    """'Azerbaijan's defence ministry denied the report': a denial of the report of an act, by the side
    said to have done it, is a denial of that act (as 'denied shelling the village' is)."""
    by_sentence: dict[int, list[Cluster]] = {}
    for c in clusters:
        by_sentence.setdefault(c.first.sentence_index, []).append(c)
    for c in clusters:
        m = c.first
        if m.event_type != "REJECT" or c.modality != "asserted" or not any(
                a.role == "recipient" and a.span is not None and _bare_report(doc, a.span) for a in m.actors):
            continue  # "denied the report"; not "did not deny", not "denied reports that it plans ..."
        deniers = {a.country for a in m.actors if a.role == "actor" and a.country}
        near = by_sentence.get(m.sentence_index - 1, []) + by_sentence.get(m.sentence_index, [])
        for act in reversed(near):  # clusters are in the order of their first mentions
            if act is c or act.modality != "asserted" or act.first.event_type not in MATERIAL_TYPES:
                continue
            doers = {a.country for x in act.mentions for a in x.actors if a.role == "actor" and a.country}
            if deniers and deniers & doers:
                act.modality, act.modality_cue = "negated", m.trigger
                break


def _about_a_protest(ms: list[Mention], event_type: str, mode: str | None) -> bool:
    """A protest, or force, arrests or violence aimed at protesters."""
    if event_type == "PROTEST" or mode in ("crowd-control", "arrest"):
        return True
    return event_type in ("ASSAULT", "COERCE") and any(
        a.role == "recipient" and set(a.text.lower().split()) & PROTEST_PEOPLE for m in ms for a in m.actors)


def _shared_party(prev: Mention, ms: list[Mention]) -> bool:
    """The same resolved actor or target takes part in both acts."""
    codes = {(a.code, a.name) for a in prev.actors if a.resolved and (a.name or a.code)}
    return any((a.code, a.name) in codes for m in ms for a in m.actors if a.resolved)


def _told_before(by_sentence: Mapping[int, list[Mention]], first: int, article: Article) -> list[Mention]:
    """Material acts told in the two sentences before sentence ``first`` (the headline aside)."""
    return [m for i in (first - 2, first - 1) for m in by_sentence.get(i, ()) if m.event_type in MATERIAL_TYPES
            and (m.sentence_index > 0 or not article.title)]


STANDING = {"previously", "repeatedly", "consistently", "always", "routinely", "long", "often", "generally"}


def _standing_denial(cue) -> bool:
    """'has previously denied', 'has repeatedly denied': denials on record, not of the act reported."""
    return cue is not None and any(c.dep_ == "advmod" and c.lower_ in STANDING for c in cue.children)


def _general_act(head) -> bool:
    """'denied targeting civilians': an act named in general, with no date, count or place of its own."""
    if head.pos_ in ("VERB", "AUX") and head.tag_ != "VBG":
        return False
    return not any(t.ent_type_ in ("DATE", "TIME", "CARDINAL", "GPE", "LOC", "FAC") or t.like_num
                   for t in head.subtree)


def _habitual(verb) -> bool:
    """'does not target', 'never attacks': the present simple says what someone does in general."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    aux = [c for c in verb.children if c.dep_ == "aux"]
    if any(c.lower_ in ("does", "do") for c in aux):
        return True
    return verb.tag_ in ("VBZ", "VBP") and not aux and any(c.lower_ == "never" for c in verb.children)


def _nobody(tok) -> bool:
    """'nobody', 'no one', 'no group': a phrase that names no one."""
    low = tok.lower_
    return low in ("nobody", "none", "noone") or (tok.pos_ in ("NOUN", "PRON", "NUM") and any(
        c.dep_ == "det" and c.lower_ == "no" for c in tok.children))


# attacks that states do not claim by name: "the Somalia market bombing" is a bombing in Somalia, where
# "the US strike" is a strike by the US
# ("Israel attack kills 20" is an attack by Israel, so "attack" is not among them)
SCENE_ATTACKS = {"bombing", "blast", "explosion", "bomb", "massacre", "shooting", "stabbing", "kidnapping",
                 "abduction", "hostage", "carnage", "murder", "rampage", "fighting", "violence", "clash", "unrest",
                 "war", "conflict", "crisis", "riot", "insurgency"}  # "Sudan fighting": fighting in Sudan




# feelings and scenes that a headline makes the subject ("Terror at the market: car bomb kills many")
MOODS = {"terror", "fear", "panic", "horror", "chaos", "grief", "shock", "outrage", "carnage", "tragedy", "mourning",
         "anger", "fury", "sorrow", "despair", "mayhem", "havoc"}
CONSEQUENCE_PARTICIPLES = {"kill", "wound", "injure", "leave", "claim", "maim"}
# verbs whose subject can itself do harm even where the lexicon needs more words to call them an event
HARM_CAPABLE_VERBS = {"blow", "explode", "detonate", "go", "tear", "rip", "hit", "strike", "fire", "open", "storm",
                      "ram", "plough", "plow", "set", "throw", "hurl", "launch", "target", "rain", "pound", "spray",
                      "shoot", "stab", "burn", "torch", "drive", "crash", "slam"}


def _consequence_of_other_act(head, trigger_tokens: set[int]) -> bool:
    """', killing 17 people' hung on a verb that is no event ('residents buried the victims of a bomb that
    exploded ..., killing 17'): the parser's guess of whose killing it is, not a doer."""
    gov = head.head
    return head.dep_ == "advcl" and head.tag_ == "VBG" and head.lemma_.lower() in CONSEQUENCE_PARTICIPLES \
        and gov.i != head.i and gov.pos_ in ("VERB", "AUX") and gov.i not in trigger_tokens \
        and gov.lemma_.lower() not in HARM_CAPABLE_VERBS


def _at_verb(match: TriggerMatch, verb, event_type: str, mode: str | None, cameo: str) -> TriggerMatch:
    """The same trigger recoded as the act of the verb that governs it ('halted aid' is a SANCTION)."""
    entry = replace(match.entry, event_type=event_type, mode=mode, cameo=cameo)
    return replace(match, entry=entry, start=min(match.start, verb.i), end=max(match.end, verb.i + 1), head=verb.i)


def _purpose_of(head, heads: dict, event_type: str) -> bool:
    """True when ``head`` is the purpose or manner clause of a trigger of ``event_type``."""
    node = head
    for _ in range(3):
        if node.dep_ not in ("advcl", "xcomp", "acl", "conj") or node.head.i == node.i:
            return False
        node = node.head
        if node.i in heads and heads[node.i].entry.event_type == event_type:
            return True
        if any(c.dep_ == "dobj" and c.i in heads and heads[c.i].entry.event_type == event_type
               for c in node.children):
            return True  # "staged demonstrations to demand reforms"
    return False


def _centrality(head) -> float:
    """Matrix-clause acts lead; acts inside relative clauses, purposes and 'after ...' phrases follow."""
    node, embedded = head, False
    for _ in range(12):
        if node.dep_ == "pcomp" and node.head.lower_ in ("after", "before", "following") and node.i == head.i:
            return 0.7  # "beat a man to death after accusing him of theft": the accusing is background
        if node.dep_ in ("relcl", "acl", "pcomp", "advcl", "csubj") or (
                node.dep_ == "pobj" and node.head.lower_ in ("after", "before", "since", "following", "despite",
                                                             "amid", "over", "for", "of", "about")):
            embedded = True
            break
        if node.head.i == node.i:
            break
        node = node.head
    if head.dep_ == "ROOT" or (head.head.dep_ == "ROOT" and head.dep_ in ("dobj", "nsubj", "nsubjpass", "xcomp")):
        return 1.05
    if head.dep_ == "pobj" and head.head.head.pos_ == "NOUN" and head.head.lower_ in ("in", "on", "over", "of"):
        return 0.75  # "mediation in peace negotiations": a noun inside another's phrase
    return 0.85 if embedded else 1.0


def _is_topic(head) -> bool:
    """A noun trigger that is what something is about: 'talks on a deal', 'about some of the raids'."""
    node = head
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ in ("PRON", "DET", "NUM", "NOUN"):
            if node.head.head.lower_ in ("some", "many", "one", "all", "most", "none", "each", "any", "lack", "details"):
                node = node.head.head
                continue
        break
    return node.pos_ in ("NOUN", "PROPN", "PRON", "DET", "NUM") and node.dep_ == "pobj" and node.head.lower_ in TOPIC_PREPS


def _topic_governor(head) -> int:
    """The token a topic noun hangs from: 'talks' in 'talks on a peace treaty'."""
    node = head
    while node.dep_ == "pobj" and node.head.lower_ == "of":
        node = node.head.head
    return node.head.head.i


def _span(doc, start: int, end: int) -> Span:
    return Span.of(doc_text(doc), start, end)


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
