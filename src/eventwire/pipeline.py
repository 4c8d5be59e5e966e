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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Callable, Iterable, Iterator

from eventwire import __version__
from eventwire.extract.casualties import REPORT_LEMMAS, UPPER_HEDGES, find_counts, find_no_figure
from eventwire.extract.coding import QUAD_CLASS, Crosswalk
from eventwire.extract.modality import ModalityCues, find_modality
from eventwire.extract.roles import RolePhrase, find_roles
from eventwire.extract.triggers import TriggerLexicon, TriggerMatch
from eventwire.ingest.checks import check_article
from eventwire.models import Actor, Article, Claim, Event, Mention, Place, Range, Skipped, Span
from eventwire.resolve.actors import ActorKB
from eventwire.resolve.dates import ResolvedDate, resolve_date
from eventwire.resolve.gazetteer import Gazetteer
from eventwire.resolve.places import PlaceMention, find_places
from eventwire.settings import Settings

__all__ = ["Pipeline", "Resources", "CODER_VERSIONS"]

CODER_VERSIONS = {"eventwire": __version__, "events": "triggers.v1", "modality": "modality.v1",
                  "roles": "roles.v1", "places": "places.v1", "dates": "dates.v1", "claims": "claims.v1"}
VIOLENT = {"ASSAULT", "PROTEST", "COERCE"}
_PRECISION_RANK = {"exact": 5, "town": 4, "admin2": 3, "admin1": 2, "country": 1, None: 0}
MATERIAL = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "AID", "RETREAT", "COOPERATE"}
MUNITIONS = {"canister", "shell", "round", "cartridge", "grenade", "launcher", "volley", "fire", "attack", "strike"}
NON_EVENT_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
TOPIC_PREPS = {"on", "over", "about", "regarding", "concerning", "toward", "towards"}
DESCRIPTIVE_PARTICIPLES = {"back", "support", "sponsor", "arm", "fund", "ally", "align", "lead", "base", "affiliate"}
_ANAPHORIC_DETS = {"the", "this", "that", "these", "those", "such", "its", "their"}


@dataclass
class Resources:
    """Heavy things, built once and passed in."""

    nlp: object
    gazetteer: Gazetteer
    kb: ActorKB
    lexicon: TriggerLexicon
    cues: ModalityCues
    crosswalk: Crosswalk

    @classmethod
    def load(cls, settings: Settings) -> "Resources":
        from eventwire.nlp import load_nlp

        kb = ActorKB()
        return cls(nlp=load_nlp(settings.spacy_model, kb.patterns),
                   gazetteer=Gazetteer.open(settings.cache_path), kb=kb, lexicon=TriggerLexicon(),
                   cues=ModalityCues.load(), crosswalk=Crosswalk())


@dataclass
class _Cluster:
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


@dataclass(frozen=True)
class _Context:
    """What the stages of one article share: the article, its dateline and its resolved dates."""

    article: Article
    dateline_end: int
    dates: tuple[tuple[int, int, ResolvedDate], ...]  # (start, end, resolved) of each DATE entity


_CHAIN = re.compile(r"\b(?:(a|an|one|two|three|four|five|six|seven|the)\s+(day|days|week|weeks)\s+"
                    r"(after|before|later|earlier)|the\s+(next|following|previous)\s+(day|week)|"
                    r"(hours|minutes)\s+(after|later|before))\b", re.I)
_CHAIN_N = {"a": 1, "an": 1, "one": 1, "the": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _document_dates(doc, article: Article, dateline_end: int) -> tuple[tuple[int, int, ResolvedDate], ...]:
    out = []
    for ent in doc.ents:
        if ent.label_ == "DATE" and ent.start_char >= dateline_end:
            resolved = resolve_date(ent.text, article.published)
            if resolved.value is not None and resolved.precision == "day":
                out.append((ent.start_char, ent.end_char, resolved))
    return tuple(out)


def _clause_verb(tok):
    node = tok
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node


def _chained_date(sent, head, clause: set[int], ctx: _Context) -> tuple[ResolvedDate, Span] | None:
    """'a day after police fired tear gas on Tuesday', 'two days later', 'the next day'.

    The expression dates the clause it modifies ("returned ... a day after police fired"), never
    the clause it counts from; the anchor is the day-precise date named in that other clause, or
    else the last one before the expression.
    """
    doc = sent.doc
    target_clause = _clause_verb(head)
    for m in _CHAIN.finditer(sent.text):
        start = sent.start_char + m.start()
        end = sent.start_char + m.end()
        words = m.group(0).lower().split()
        if words[0] == "the" and words[1] in ("days", "weeks"):
            continue  # "in the days before": vague
        first = next((t for t in sent if t.idx >= start), None)
        last = next((t for t in sent if t.idx >= end - len(words[-1])), None)
        if first is None or last is None:
            continue
        if words[-1] in ("after", "before"):
            dated = last.head.head if last.dep_ == "mark" else last.head
            dated = _clause_verb(dated)
        else:
            dated = _clause_verb(first.head if first.head.i != first.i else first)
            dated = _clause_verb(last.head) if dated.i == first.i else dated
        if dated.i != target_clause.i:
            continue
        if words[0] in ("hours", "minutes"):
            n, sign = 0, -1 if words[1] == "before" else 1
        elif words[1] in ("next", "following", "previous"):
            n, sign = (1 if words[2] == "day" else 7), (-1 if words[1] == "previous" else 1)
        else:
            n = _CHAIN_N.get(words[0], 1) * (7 if words[1].startswith("week") else 1)
            sign = -1 if words[2] in ("before", "earlier") else 1
        anchor = None
        if words[-1] in ("after", "before"):  # the anchor is named in the clause that follows
            anchor = next((d for s_, e_, d in ctx.dates if end <= s_ < sent.end_char), None)
        if anchor is None:
            anchor = next((d for s_, e_, d in reversed(ctx.dates) if e_ <= start), None)
        if anchor is None:
            continue
        value = anchor.value + timedelta(days=sign * n)
        if ctx.article.published is not None and value > ctx.article.published:
            continue
        return ResolvedDate(value, anchor.precision, f"relative to {anchor.value.isoformat()}"), \
            _span(doc, start, end)
    return None


def _future_tense(tok) -> bool:
    """'the truce will take effect on Saturday': the date belongs to a clause about the future."""
    verb = _clause_verb(tok)
    return any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll", "wo") for c in verb.children)


class Pipeline:
    """Codes articles into events. ``Pipeline.load()`` builds the resources once."""

    def __init__(self, resources: Resources, settings: Settings | None = None):
        self.r = resources
        self.settings = settings or Settings()

    @classmethod
    def load(cls, settings: Settings | None = None) -> "Pipeline":
        settings = settings or Settings()
        return cls(Resources.load(settings), settings)

    # -- public ---------------------------------------------------------------------------
    def check(self, article: Article) -> Skipped | None:
        reason = check_article(article, self.settings)
        return Skipped(article.source or article.id, "check", reason, article.id) if reason else None

    def code(self, article: Article) -> list[Event]:
        """Every event in one article (the article is assumed to have passed ``check``)."""
        doc = self.r.nlp(article.text)
        dateline_end = _dateline_end(doc, article)
        places = [p for p in find_places(doc, self.r.gazetteer, self.r.kb)
                  if p.place.span is None or p.place.span.start >= dateline_end]
        ctx = _Context(article, dateline_end, _document_dates(doc, article, dateline_end))
        mentions = []
        for index, sent in enumerate(doc.sents):
            mentions.extend(self._mentions(sent, index, ctx, places))
        clusters = merge_mentions(mentions)
        self._attach_claims(doc, clusters)
        events = [self._event(article, c, places, doc) for c in clusters]
        events = [e for e in events if e.confidence >= self.settings.min_confidence]
        return sorted(events, key=lambda e: e.trigger.start)

    def places(self, article: Article) -> list[PlaceMention]:
        """Every place mention of an article, resolved (datelines and sources' bases included)."""
        return find_places(self.r.nlp(article.text), self.r.gazetteer, self.r.kb)

    def code_many(self, articles: Iterable[Article],
                  on_article: Callable[[Article, list[Event] | Skipped], None] | None = None
                  ) -> Iterator[tuple[Article, list[Event] | Skipped]]:
        """Code a batch; each article yields its events or the reason it was skipped."""
        for article in articles:
            try:
                skip = self.check(article)
                result: list[Event] | Skipped = skip if skip is not None else self.code(article)
            except Exception as exc:  # one bad article never stops a batch: record why
                result = Skipped(article.source or article.id, "code", f"{type(exc).__name__}: {exc}", article.id)
            if on_article:
                on_article(article, result)
            yield article, result

    # -- stage 4: mentions ------------------------------------------------------------------
    def _mentions(self, sent, index: int, ctx: "_Context", places: list[PlaceMention]) -> list[Mention]:
        article = ctx.article
        out = []
        doc = sent.doc
        matches = self.r.lexicon.match(sent)
        trigger_tokens = {i for m in matches for i in range(m.start, m.end)}
        heads = {m.head: m for m in matches}
        for match in matches:
            head = doc[match.head]
            if self._ignored(doc, match):
                continue
            if head.dep_ == "pobj" and head.head.lower_ in ("in", "during", "through", "with") and \
                    head.head.head.i in heads and heads[head.head.head.i].entry.event_type != match.entry.event_type \
                    and match.entry.weight < 0.8:
                continue  # "arrested in raids": the raids are how the arrests were made
            modality, cue = find_modality(head, self.r.cues, match.entry.event_type)
            own = set(range(match.start, match.end))
            roles = find_roles(head, own, QUAD_CLASS[match.entry.event_type] == 4,
                               {doc[i].lemma_.lower() for i in trigger_tokens - own})
            when = self._date_hint(sent, head, ctx)
            actors = tuple(self._actor(doc, r, match, when[0].value if when else None, trigger_tokens)
                           for r in roles)
            others = {m.head for m in matches if m.head != match.head}
            ranked = self._places_for(sent, head, places, roles, others)
            sent_places = tuple(p for tier, p in ranked if tier > 0)
            context_places = tuple(p for tier, p in ranked if tier == 0)
            anaphoric = head.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ in ("det", "poss", "amod") and c.lower_ in _ANAPHORIC_DETS for c in head.children
            ) and not any(a.resolved for a in actors)
            date_span = when[1] if when else None
            mentions_weight = match.entry.weight
            if sent.start == 0 and article.title:
                mentions_weight *= 0.9
            if _is_topic(head):
                if _topic_governor(head) in heads:
                    continue  # "talks on a peace treaty": the treaty is what the talks are about
                mentions_weight *= 0.3  # "over American hostages": a topic, not an event
            out.append(Mention(
                sentence=_span(doc, sent.start_char, sent.start_char + len(sent.text.rstrip())),
                trigger=_span(doc, doc[match.start].idx, doc[match.end - 1].idx + len(doc[match.end - 1])),
                event_type=match.entry.event_type, mode=match.entry.mode, cameo_code=match.entry.cameo,
                contexts=match.entry.contexts, modality=modality,
                modality_cue=_span(doc, cue.idx, cue.idx + len(cue)) if cue is not None else None,
                weight=mentions_weight, actors=actors, places=sent_places, context_places=context_places,
                date_text=date_span,
                resolved_date=when[0].value if when else None,
                date_precision=when[0].precision if when else None,
                date_note=when[0].note if when else None,
                anaphoric=anaphoric, sentence_index=index))
        return out

    def _ignored(self, doc, match: TriggerMatch) -> bool:
        """Trigger words inside a name ('Human Rights Watch') or describing ('Iran-backed') are not events."""
        head = doc[match.head]
        if head.ent_type_ in NON_EVENT_ENTS or doc[match.start].ent_type_ in NON_EVENT_ENTS:
            return True  # "March 15" is a date, not a march
        if head.pos_ in ("NOUN", "PROPN") and head.dep_ == "compound" and head.head.lemma_.lower() not in MUNITIONS:
            return True  # "protest movement"
        if match.end < len(doc) and doc[match.end].text == "-" and not doc[match.end - 1].whitespace_:
            return True  # "bomb-making materials", "strike-hit town"
        if head.pos_ in ("VERB", "ADJ") and head.dep_ == "amod" and match.entry.event_type not in ("ASSAULT",):
            return True
        if head.dep_ in ("amod", "acl") and head.lemma_.lower() in DESCRIPTIVE_PARTICIPLES:
            return True
        if head.ent_type_ in ("PERSON", "WORK_OF_ART", "LAW", "FAC") :
            return True
        if head.ent_type_ == "ORG":
            ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
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
        ents = [e.text for e in doc.ents if role.start <= e.start and e.end <= end
                and e.label_ in ("ORG", "PERSON", "GPE", "NORP")]
        extra = doc[role.extra_start:role.extra_end].text if role.extra_start >= 0 else ""
        head = doc[role.head]
        return self.r.kb.resolve(role.role, span, words, head.lemma_, match.entry.event_type, when, ents, extra)

    def _date_hint(self, sent, head, ctx: "_Context") -> tuple[ResolvedDate, Span] | None:
        """The date expression that belongs to the trigger's clause.

        Preference: inside the trigger's own phrase, then inside its clause (not the reporting
        verb's "said on Monday"), then anywhere in the sentence, nearest first. Dateline dates
        ("SANAA, March 15 -") are the filing date, not the event's.
        """
        doc = sent.doc
        clause = head
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        own = _own_clause(head)
        clause_tree = _own_clause(clause)
        if clause.i != head.i and (clause.lemma_.lower() in REPORT_LEMMAS or clause.lemma_.lower() in self.r.cues.plan):
            clause_tree = own  # "agreed on Monday to a ceasefire": Monday dates the agreeing
        article = ctx.article
        chained = _chained_date(sent, head, own | clause_tree, ctx)
        if chained is not None:
            return chained
        best = None
        for ent in sent.ents:
            if ent.label_ not in ("DATE", "TIME") or ent.start_char < ctx.dateline_end:
                continue
            if ent.label_ == "TIME" and not any(w in ent.text.lower() for w in _DAY_WORDS):
                continue  # "6 a.m." says nothing about the day
            resolved = resolve_date(ent.text, article.published)
            if _future_tense(ent.root):
                resolved = ResolvedDate(None, None, "a date in a clause about the future")
            elif resolved.value is None and not _future_ok(ent.text):
                continue
            rank = (0 if ent.root.i in own else 1 if ent.root.i in clause_tree else 2, abs(ent.start - head.i))
            if best is None or rank < best[0]:
                best = (rank, resolved, _span(doc, ent.start_char, ent.end_char))
        if best is None:
            return None
        return best[1], best[2]

    def _places_for(self, sent, head, places: list[PlaceMention], roles: list[RolePhrase],
                    other_heads: set[int] = frozenset()) -> list[tuple[int, Place]]:
        """Places of the trigger's sentence that stand where an event's place stands.

        A place counts when it is the object of a locative preposition ("in al Bukamal",
        "into Syria"), directly or through an apposition or conjunct ("al Bukamal, Syria"), or
        a dateline or heading on its own. A source's base ("UK-based"), an origin ("from
        Iraq"), an actor ("the US could send") and an adjective ("US soldiers") do not count.
        """
        out = []
        subtree = {t.i for t in head.subtree}
        clause = head
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        if clause.lemma_.lower() in REPORT_LEMMAS and clause.i != head.i:
            clause = head
        clause_tree = {t.i for t in clause.subtree}
        report_tree = set()
        root = sent.root
        if root.lemma_.lower() in REPORT_LEMMAS and root.i not in clause_tree:
            report_tree = {t.i for c in root.children if c.dep_ in ("prep", "npadvmod", "nsubj") for t in c.subtree}
        for pm in places:
            if pm.token_start in report_tree:
                continue
            if not (sent.start <= pm.token_start < sent.end) or pm.based:
                continue
            if any(r.start <= pm.token_start < r.end for r in roles):
                continue
            tok = sent.doc[pm.token_end - 1]
            if not _locative(tok):
                continue
            attached = 2 if pm.token_start in subtree else 1 if pm.token_start in clause_tree else 0
            out.append((attached, pm.place))
        out.sort(key=lambda x: (-x[0], -_PRECISION_RANK[x[1].precision]))
        return out

    # -- stage 6: claims ---------------------------------------------------------------------
    def _attach_claims(self, doc, clusters: list[_Cluster]) -> None:
        """Each claim goes to the event it is about.

        A count governed by a trigger ("the war has killed tens of thousands") belongs to that
        trigger's event; otherwise a claim goes to an asserted event of a fitting type in its
        sentence or the three before, then to any event of its sentence.
        """
        by_sentence: dict[int, list[_Cluster]] = {}
        by_trigger: dict[int, _Cluster] = {}
        for c in clusters:
            for m in c.mentions:
                by_sentence.setdefault(m.sentence_index, []).append(c)
                by_trigger[m.trigger.start] = c
        for index, sent in enumerate(doc.sents):
            for claim in self._claims(sent):
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
                    def fitting(i: int, asserted_only: bool) -> list[_Cluster]:
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
                    home.claims.append(claim)

    def _claims(self, sent) -> list[Claim]:
        doc = sent.doc
        text = sent.text
        found: dict[tuple, dict] = {}
        for cm in find_counts(text):
            start = sent.start_char + cm.start
            tok = next((t for t in sent if t.idx >= start), sent[0])
            claimant_tok = _claimant(tok, sent)
            key = (claimant_tok.i if claimant_tok is not None else -1,)
            entry = found.setdefault(key, {"claimant": claimant_tok, "counts": {}, "hedges": {}, "spans": []})
            if cm.kind in ("killed", "injured", "arrested", "abducted") and cm.kind not in entry["counts"]:
                entry["counts"][cm.kind] = cm.value
                if cm.hedge:
                    entry["hedges"][cm.kind] = cm.hedge
            entry["spans"].append((start, sent.start_char + cm.end))
        claims = []
        for entry in found.values():
            if not entry["counts"]:
                continue
            ctext, cname = self._claimant_name(entry["claimant"])
            s = min(a for a, _ in entry["spans"])
            e = max(b for _, b in entry["spans"])
            claims.append(Claim(claimant=cname, claimant_text=ctext, killed=entry["counts"].get("killed"),
                                injured=entry["counts"].get("injured"), arrested=entry["counts"].get("arrested"),
                                abducted=entry["counts"].get("abducted"),
                                hedge=entry["hedges"].get("killed") or next(iter(entry["hedges"].values()), None),
                                hedges=dict(entry["hedges"]), span=_span(doc, s, e)))
        for nf in find_no_figure(sent):
            subj = doc[nf.subject_start:nf.subject_end]
            ctext, cname = self._claimant_name(doc[nf.subject_end - 1], subj)
            verb = doc[nf.verb_i]
            claims.append(Claim(claimant=cname, claimant_text=ctext, no_figure=True,
                                span=_span(doc, subj.start_char, verb.idx + len(verb))))
        return claims

    def _claimant_name(self, tok, phrase=None) -> tuple[str | None, str | None]:
        """(the claimant's words, its name): 'a spokesman for the coalition' -> the coalition."""
        if tok is None:
            return None, None
        tok = _resolve_pronoun(tok)
        if phrase is None or tok.i < phrase.start or tok.i >= phrase.end:
            phrase = _claimant_phrase(tok)
        text = phrase.text
        entry = self.r.kb.named(text)
        for ent in phrase.ents:
            if ent.start <= tok.i < ent.end:
                entry = entry or self.r.kb.named(ent.text)
        if entry is not None:
            return text, entry.name
        target = tok
        if tok.lemma_.lower() in SPOKESPEOPLE:
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at", "from"):
                    target = next((c for c in prep.children if c.dep_ == "pobj"), tok)
        from eventwire.extract.roles import phrase_bounds

        s_, e_, _, _ = phrase_bounds(target)
        name = " ".join(w for w in tok.doc[s_:e_].text.split() if w.lower() not in ("the", "a", "an"))
        return text, name or None

    # -- stage 7: events ---------------------------------------------------------------------
    def _event(self, article: Article, cluster: _Cluster, places: list[PlaceMention], doc) -> Event:
        ms = cluster.mentions
        main = max(ms, key=lambda m: (m.weight, -m.sentence_index))
        event_type = main.event_type
        mode = next((m.mode for m in sorted(ms, key=lambda m: -m.weight) if m.mode), None)
        if mode is None and event_type == "THREATEN":
            mode = self._threat_mode(ms, doc)
        cameo = next((m.cameo_code for m in sorted(ms, key=lambda m: -m.weight) if m.cameo_code), None)
        contexts = tuple(dict.fromkeys(c for m in ms for c in m.contexts))
        location = _choose_location(ms, places, doc)
        actors = _home_country(_combine_actors(ms), location, places)
        when, date_span, note = self._event_date(ms, article)
        modality = cluster.modality
        if modality in ("asserted", "future") and when.value and article.published and date_span is not None \
                and when.value < article.published - timedelta(days=60):
            modality = "historical"
        planned = None
        if modality in ("future", "hypothetical"):
            span = next((m.date_text for m in ms if m.date_text is not None and _points_ahead(doc, m.date_text)), None)
            if span is not None:
                ahead = resolve_date(span.text, article.published, future=True)
                planned = ahead.value.isoformat() if ahead.value else None
            date_span = span
            when, note = ResolvedDate(None, None), f"{modality}: the act has not happened (planned_date holds when it is due)"
        if modality == "asserted" and when.value and article.published and \
                when.value < article.published - timedelta(days=60):
            modality = "historical"
        claims = tuple(_merge_claims(cluster.claims))
        fatalities = _range([c.killed for c in claims], [c.hedges.get("killed") for c in claims])
        injured = _range([c.injured for c in claims], [c.hedges.get("injured") for c in claims])
        arrested = _range([c.arrested for c in claims], [c.hedges.get("arrested") for c in claims])
        recipient_sectors = {a.sector for a in actors if a.role == "recipient" and a.sector}
        actor_sectors = {a.sector for a in actors if a.role == "actor" and a.sector}
        trigger_lemmas = {" ".join(t.lemma_.lower() for t in span) for m in ms
                          if (span := doc.char_span(m.trigger.start, m.trigger.end, alignment_mode="expand"))}
        object_words = {w.lower().strip(".,") for a in actors if a.role == "recipient" for w in a.text.split()}
        object_words |= {w for lemma in trigger_lemmas for w in lemma.split()}  # "shot down two drones"
        acled = self.r.crosswalk.acled(event_type, mode, recipient_sectors, actor_sectors,
                                       fatalities.best if fatalities else None,
                                       event_type == "PROTEST" and self._intervened(doc, ms),
                                       trigger_lemmas, object_words)
        cameo_code, cameo_root = self.r.crosswalk.cameo(event_type, cameo)
        evidence = tuple(dict.fromkeys([m.sentence for m in ms] + [m.trigger for m in ms]))
        confidence = _confidence(ms, actors, location, modality)
        key = f"{article.id}|{event_type}|{cluster.first.trigger.start}|{modality}"
        return Event(
            id="ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16], article_id=article.id,
            coder=dict(CODER_VERSIONS), event_type=event_type, mode=mode, contexts=contexts,
            quad_class=QUAD_CLASS[event_type], acled_event_type=acled.event_type,
            acled_sub_event_type=acled.sub_event_type, disorder_type=acled.disorder_type,
            cameo_code=cameo_code, cameo_root=cameo_root, modality=modality,
            modality_span=cluster.modality_cue, date=when.value.isoformat() if when.value else None,
            date_precision=when.precision, date_text=date_span.text if date_span else None, date_span=date_span,
            date_note=note, planned_date=planned, actors=actors, location=location,
            places=tuple(dict.fromkeys(p for m in ms for p in m.places)), fatalities=fatalities, injured=injured,
            arrested=arrested, claims=claims, evidence=evidence, trigger=main.trigger, confidence=confidence)

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

    def _intervened(self, doc, ms: list[Mention]) -> bool:
        """Police broke the protest up (tear gas, arrests, dispersal) in its own or the next sentence."""
        sents = list(doc.sents)
        near = {i + d for m in ms for i in (m.sentence_index,) for d in (0, 1)}
        for i in sorted(near):
            if i >= len(sents):
                continue
            for m in self.r.lexicon.match(sents[i]):
                if (m.entry.event_type in ("ASSAULT", "COERCE") and m.entry.mode in ("crowd-control", "arrest")) \
                        or m.entry.lemmas[0] == "disperse":
                    if find_modality(doc[m.head], self.r.cues, m.entry.event_type)[0] == "asserted":
                        return True
        return False

    def _event_date(self, ms: list[Mention], article: Article) -> tuple[ResolvedDate, Span | None, str | None]:
        for m in ms:
            if m.date_text is not None and m.resolved_date is not None:
                return ResolvedDate(m.resolved_date, m.date_precision), m.date_text, m.date_note
        notes = [resolve_date(m.date_text.text, article.published).note for m in ms if m.date_text is not None]
        if article.published is not None:
            return (ResolvedDate(article.published, "week"), None,
                    "no usable date in the event's sentences: the week up to publication")
        return ResolvedDate(None, None), None, notes[0] if notes else "no date in the text and no publication date"


# -- helpers ------------------------------------------------------------------------------------
_DAY_WORDS = ("day", "night", "morning", "evening", "afternoon", "yesterday", "tonight", "today")


def _future_ok(text: str) -> bool:
    """A date expression that points ahead ('next month', 'on Saturday') and may date a planned act."""
    t = text.lower()
    return bool(re.search(r"\b(next|tomorrow|coming|upcoming|later this)\b", t)) or any(
        d in t for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))


_OTHER_CLAUSES = {"conj", "ccomp", "advcl", "relcl", "parataxis", "acl"}


def _points_ahead(doc, span: Span) -> bool:
    """True unless the date hangs off a past-tense verb ('agreed on Monday')."""
    ent = doc.char_span(span.start, span.end, alignment_mode="expand")
    if ent is None:
        return False
    node = ent.root
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    if node.tag_ == "VBD" or (node.tag_ == "VBN" and any(c.lemma_ == "have" for c in node.children)):
        return False
    return True


def _own_clause(tok) -> set[int]:
    """Token indices of ``tok``'s subtree without the other clauses hanging off it (at any depth)."""
    out = {tok.i}
    stack = list(tok.children)
    while stack:
        child = stack.pop()
        if child.dep_ in _OTHER_CLAUSES and child.pos_ in ("VERB", "AUX"):
            continue
        out.add(child.i)
        stack.extend(child.children)
    return out


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


def _dateline_end(doc, article: Article) -> int:
    """End offset of a dateline ("SANAA, March 15 (Reuters) -") at the start of the body, else 0."""
    start = article.body_start
    window = doc.text[start:start + 120]
    m = re.match(r"\s*[A-Z][A-Za-z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .]{1,30})?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
                 r"\s*(?:\([A-Za-z .]+\))?\s*[-–—:]\s", window)
    if not m or not window[:m.end()].strip()[:1].isupper():
        return 0
    head = window[:m.end()]
    if not re.match(r"\s*[A-Z]{2,}|\s*[A-Z][a-z]+,", head):
        return 0
    return start + m.end()


def _span(doc, start: int, end: int) -> Span:
    return Span.of(doc.text, start, end)


SPOKESPEOPLE = {"spokesman", "spokeswoman", "spokesperson", "official", "source", "officer", "representative",
                "statement", "commander", "director", "head", "chief", "member", "minister", "secretary"}


def _claimant_phrase(tok):
    """The claimant's words: the noun phrase with its 'for/of/at X' complement."""
    from eventwire.extract.roles import phrase_bounds

    s_, e_, _, _ = phrase_bounds(tok)
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at", "in", "from"):
            e_ = max(e_, prep.right_edge.i + 1)
    for c in tok.children:
        if c.dep_ == "appos":
            e_ = max(e_, c.right_edge.i + 1)
    return tok.doc[s_:e_]


def _resolve_pronoun(tok):
    """'He' in a claim: the subject of the previous sentence's reporting verb (or its root)."""
    if tok.lower_ not in ("he", "she", "they", "it", "we"):
        return tok
    sent = tok.sent
    if sent.start == 0:
        return tok
    prev = tok.doc[sent.start - 1].sent
    for t in prev:
        if t.dep_ == "nsubj" and t.head.lemma_.lower() in REPORT_LEMMAS and t.lower_ not in ("he", "she", "it", "they"):
            return t
    subj = next((c for c in prev.root.children if c.dep_ == "nsubj"), None)
    return subj if subj is not None and subj.pos_ in ("NOUN", "PROPN") else tok


def _merge_claims(claims: list[Claim]) -> list[Claim]:
    """One claim per claimant: 'the health ministry' (14 killed) and 'the ministry' (23 injured) join."""
    out: list[Claim] = []
    for c in claims:
        key = (c.claimant or "").lower()
        home = None
        for i, o in enumerate(out):
            okey = (o.claimant or "").lower()
            if not key or not okey or o.no_figure != c.no_figure:
                continue
            if (key in okey or okey in key) and all(
                    getattr(o, f) is None or getattr(c, f) is None for f in ("killed", "injured", "arrested", "abducted")):
                home = i
                break
        if home is None:
            out.append(c)
            continue
        o = out[home]
        longer = o if len(o.claimant or "") >= len(c.claimant or "") else c
        out[home] = replace(o, claimant=longer.claimant, claimant_text=longer.claimant_text,
                            killed=o.killed if o.killed is not None else c.killed,
                            injured=o.injured if o.injured is not None else c.injured,
                            arrested=o.arrested if o.arrested is not None else c.arrested,
                            abducted=o.abducted if o.abducted is not None else c.abducted,
                            hedge=o.hedge or c.hedge, hedges={**c.hedges, **o.hedges})
    return out


def _claimant(tok, sent):
    """The source of a count: the subject of the reporting verb above it, or 'according to X'."""
    node = tok
    for _ in range(8):
        if node.lemma_.lower() in REPORT_LEMMAS and node.pos_ in ("VERB", "AUX"):
            subj = next((c for c in node.children if c.dep_ in ("nsubj",)), None)
            if subj is None and node.dep_ in ("advcl", "xcomp", "conj"):  # "..., telling reporters that"
                subj = next((c for c in node.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lower_ not in ("it", "this", "that"):
                return subj
        if node.head.i == node.i:
            break
        node = node.head
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            pobj = next((c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    for verb in sorted((t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() in REPORT_LEMMAS
                        and t.dep_ in ("ROOT", "conj", "parataxis")), key=lambda t: -t.i):
        if any(c.dep_ == "auxpass" for c in verb.children):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ not in ("it", "this", "that"):
            return subj
        source = _trailing_source(verb)
        if source is not None:
            return source
    return None


def _trailing_source(verb):
    """'..., the health ministry in Sanaa said': the noun between the last comma and the verb."""
    doc = verb.doc
    i = verb.i - 1
    while i > verb.sent.start and doc[i].text not in (",", "“", "”", '"'):
        i -= 1
    if doc[i].text not in (",", "“", "”", '"'):
        return None
    for t in doc[i + 1:verb.i]:
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "amod", "poss", "npadvmod"):
            return t
    return None


LOCATIVE = {"in", "at", "near", "outside", "inside", "into", "across", "around", "throughout", "within",
             "on", "over", "along", "toward", "towards", "north", "south", "east", "west", "between", "of"}


VISIT_VERBS = {"visit", "tour", "enter", "storm", "overrun", "capture", "seize", "raid", "bomb", "shell", "strike",
               "hit", "attack", "besiege", "occupy", "invade", "reach"}
MOVEMENT_VERBS = {"deploy", "send", "travel", "fly", "arrive", "move", "march", "return", "dispatch", "deliver",
                  "evacuate", "transfer", "head", "come", "go", "advance", "withdraw", "retreat", "flee", "walk"}


def _locative(tok) -> bool:
    """True when a place token stands as a location (the object of 'in', 'near', ...)."""
    node = tok
    for _ in range(4):
        while node.dep_ in ("compound", "flat") and node.head.i != node.i:
            node = node.head
        if node.dep_ in ("appos", "conj") and node.head.i != node.i:
            node = node.head
            continue
        if node.dep_ == "dobj" and node.head.lemma_.lower() in VISIT_VERBS:
            return True  # "visited Kyiv"
        if node.dep_ == "pobj":
            prep = node.head
            if prep.lower_ in ("to", "through", "across") and prep.head.lemma_.lower() in MOVEMENT_VERBS:
                return True  # "deployed 500 troops to Lithuania", "marched through central London"
            if prep.lower_ in LOCATIVE and not (prep.lower_ == "of" and prep.head.lemma_.lower() not in
                                                ("outskirts", "city", "town", "village", "province", "region",
                                                 "part", "north", "south", "east", "west", "centre", "center",
                                                 "area", "district", "capital", "border", "suburb")):
                return True
            return False
        if node.dep_ in ("ROOT", "npadvmod") and node.head.i == node.i or node.dep_ == "npadvmod":
            return True
        return False
    return False


def merge_mentions(mentions: list[Mention]) -> list[_Cluster]:
    """Several mentions of one happening become one cluster (one event).

    Mentions join an earlier cluster of the same type and modality unless their actors,
    recipients, places or dates conflict; an anaphoric mention ("the attack") joins even when
    its modality differs only because it is embedded in a report.
    """
    clusters: list[_Cluster] = []
    for m in mentions:
        home = None
        for c in reversed(clusters):
            if c.first.event_type != m.event_type:
                continue
            denial = m.modality == "negated" and c.modality in ("asserted", "negated") and m.event_type in MATERIAL
            if c.modality != m.modality and not denial:
                continue
            if _conflict(c.mentions, m):
                continue
            home = c
            break
        if home is None:
            clusters.append(_Cluster([m]))
        else:
            home.mentions.append(m)
            if m.modality == "negated" and home.modality == "asserted":
                home.modality, home.modality_cue = "negated", m.modality_cue  # the alleged doer denies it
    return clusters


def _countries(ms: Iterable[Mention], role: str) -> set[str]:
    return {a.country for m in ms for a in m.actors if a.role == role and a.country}


def _conflict(ms: list[Mention], m: Mention, published: date | None = None) -> bool:
    for role in ("actor", "recipient"):
        a, b = _countries(ms, role), _countries([m], role)
        if a and b and not a & b:
            return True
    if m.event_type != "ASSAULT" and m.mode and any(x.mode and x.mode != m.mode for x in ms):
        return True
    if m.resolved_date is not None and any(
            x.resolved_date is not None and not _overlap(_date_range(x), _date_range(m), _slack(x, m)) for x in ms):
        return True
    here = {p.country_code for p in m.places if p.precision == "town"}
    there = {p.country_code for x in ms for p in x.places if p.precision == "town"}
    if here and there and not here & there:
        return True
    return False


STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}


def _home_country(actors: tuple[Actor, ...], location: Place | None, places: list[PlaceMention]) -> tuple[Actor, ...]:
    """'Police' with no country named act in their own country: the country where the event happened."""
    country = location.country_code if location else None
    if country is None:
        return actors
    out = []
    for a in actors:
        if a.country is None and a.sector in STATE_SECTORS and not a.associated_country and a.code in (a.sector, None):
            a = replace(a, country=country, code=country + a.sector, resolved=True,
                        name=f"{a.text} ({country} {a.sector}, country from context)")
        out.append(a)
    return tuple(out)


def _date_range(m: Mention) -> tuple[date, date]:
    start = m.resolved_date
    span = {"day": 0, "week": 6, "month": 30, "year": 365}.get(m.date_precision or "day", 0)
    return start, start + timedelta(days=span)


def _slack(a: Mention, b: Mention) -> int:
    """Two day-precise dates in one article must agree; coarser ones get two days' leeway."""
    return 0 if a.date_precision == b.date_precision == "day" else 2


def _overlap(a: tuple[date, date], b: tuple[date, date], slack: int = 2) -> bool:
    return a[0] - timedelta(days=slack) <= b[1] and b[0] - timedelta(days=slack) <= a[1]


def _combine_actors(ms: list[Mention]) -> tuple[Actor, ...]:
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
        other = {x.country for x in out if x.country}
        if role == "recipient" and len(chosen) > 1:
            chosen = [a for a in chosen if not (a.country in other and not a.associated_country)] or chosen
        out.extend(chosen[:4])
    return tuple(out)


def _choose_location(ms: list[Mention], places: list[PlaceMention], doc) -> Place | None:
    """The most precise place attached to the event's clauses; else, for an asserted event, one
    elsewhere in its sentences."""
    tiers = ("places", "context_places") if ms[0].modality == "asserted" else ("places",)
    for attr in tiers:
        best = None
        for order, m in enumerate(ms):
            for p in getattr(m, attr):
                if p.lat is None:
                    continue
                rank = (_PRECISION_RANK[p.precision], m.modality == "asserted", -order)
                if best is None or rank > best[0]:
                    best = (rank, p)
        if best:
            return best[1]
    return None


def _range(values: list[int | None], hedges: list[str | None]) -> Range | None:
    nums = [(v, h) for v, h in zip(values, hedges) if v is not None]
    if not nums:
        return None
    lows = [v for v, h in nums if h not in UPPER_HEDGES] or [v for v, _ in nums]
    highs = [v for v, _ in nums]
    low = min(lows)
    return Range(low=low, best=low, high=max(highs))


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
