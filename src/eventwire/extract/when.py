"""When an event happened, read from the clause that describes it.

A date expression dates the clause it belongs to: "said on Monday" dates the saying, "agreed on
Monday to a ceasefire" the agreeing, "will take effect on Saturday" a planned act. Relative chains
("a day after police fired tear gas", "two days later") count from the date named in the other
clause or else the last one before them. Datelines date the filing, not the event.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from eventwire.extract.casualties import REPORT_LEMMAS
from eventwire.models import Article, Span
from eventwire.nlp import clause_verb, doc_span, doc_text, ents_within
from eventwire.resolve.dates import ResolvedDate, resolve_date

__all__ = ["DatingContext", "date_hint", "document_dates", "dateline_end", "own_clause",
           "points_ahead"]


@dataclass(frozen=True)
class DatingContext:
    """What the stages of one article share: the article, its dateline and its resolved dates."""

    article: Article
    dateline_end: int
    dates: tuple[tuple[int, int, ResolvedDate], ...]  # (start, end, resolved) of each DATE entity
    _per_sentence: dict = field(default_factory=dict, compare=False, repr=False)

    def per_sentence(self, what: str, sent, make):
        """``make(sent)``, computed once per sentence: what every trigger of a sentence reads alike (its
        date expressions, its "a day after" phrases) is not read again for each."""
        key = (what, sent.start)
        if key not in self._per_sentence:
            self._per_sentence[key] = make(sent)
        return self._per_sentence[key]

    @cached_property
    def _starts(self) -> list[int]:
        return [s for s, _, _ in self.dates]

    @cached_property
    def _ends(self) -> list[int]:  # entities never overlap, so their ends are in text order too
        return [e for _, e, _ in self.dates]

    def first_date_from(self, start: int, before: int) -> ResolvedDate | None:
        """The first date starting in characters ``start:before``."""
        i = bisect_left(self._starts, start)
        return self.dates[i][2] if i < len(self.dates) and self.dates[i][0] < before else None

    def last_date_before(self, end: int) -> ResolvedDate | None:
        """The last date ending at or before character ``end``."""
        i = bisect_right(self._ends, end)
        return self.dates[i - 1][2] if i else None


_CHAIN = re.compile(r"\b(?:(a|an|one|two|three|four|five|six|seven|the)\s+(day|days|week|weeks)\s+"
                    r"(after|before|later|earlier)|the\s+(next|following|previous)\s+(day|week)|"
                    r"(hours|minutes)\s+(after|later|before))\b", re.I)


_CHAIN_N = {"a": 1, "an": 1, "one": 1, "the": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def document_dates(doc, article: Article, dateline_end: int) -> tuple[tuple[int, int, ResolvedDate], ...]:
    out = []
    for ent in doc.ents:
        if ent.label_ == "DATE" and ent.start_char >= dateline_end:
            resolved = resolve_date(ent.text, article.published)
            if resolved.value is not None and resolved.precision == "day":
                out.append((ent.start_char, ent.end_char, resolved))
    return tuple(out)


def chained_date(sent, head, clause: set[int], ctx: DatingContext) -> tuple[ResolvedDate, Span] | None:
    """'a day after police fired tear gas on Tuesday', 'two days later', 'the next day'.

    The expression dates the clause it modifies ("returned ... a day after police fired"), never
    the clause it counts from; the anchor is the day-precise date named in that other clause, or
    else the last one before the expression.
    """
    doc = sent.doc
    target_clause = clause_verb(head)
    for start, end, words, first, last in ctx.per_sentence("chains", sent, _chains):
        if words[-1] in ("after", "before"):
            dated = last.head.head if last.dep_ == "mark" else last.head
            dated = clause_verb(dated)
        else:
            dated = clause_verb(first.head if first.head.i != first.i else first)
            dated = clause_verb(last.head) if dated.i == first.i else dated
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
            anchor = ctx.first_date_from(end, sent.end_char)
        if anchor is None:
            anchor = ctx.last_date_before(start)
        if anchor is None:
            continue
        value = anchor.value + timedelta(days=sign * n)
        if ctx.article.published is not None and value > ctx.article.published:
            continue
        return ResolvedDate(value, anchor.precision, f"relative to {anchor.value.isoformat()}"), \
            doc_span(doc, start, end)
    return None


def _chains(sent) -> list[tuple[int, int, list[str], object, object]]:
    """The sentence's "a day after" phrases: (start, end, words, first token, last token)."""
    out = []
    for m in _CHAIN.finditer(sent.text):
        start = sent.start_char + m.start()
        end = sent.start_char + m.end()
        words = m.group(0).lower().split()
        if words[0] == "the" and words[1] in ("days", "weeks"):
            continue  # "in the days before": vague
        first = next((t for t in sent if t.idx >= start), None)
        last = next((t for t in sent if t.idx >= end - len(words[-1])), None)
        if first is not None and last is not None:
            out.append((start, end, words, first, last))
    return out


def future_tense(tok) -> bool:
    """'the truce will take effect on Saturday': the date belongs to a clause about the future."""
    verb = clause_verb(tok)
    return any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll", "wo") for c in verb.children)


_DAY_WORDS = ("day", "night", "morning", "evening", "afternoon", "yesterday", "tonight", "today")


def future_ok(text: str) -> bool:
    """A date expression that points ahead ('next month', 'on Saturday') and may date a planned act."""
    t = text.lower()
    return bool(re.search(r"\b(next|tomorrow|coming|upcoming|later this)\b", t)) or any(
        d in t for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))


_OTHER_CLAUSES = {"conj", "ccomp", "advcl", "relcl", "parataxis", "acl"}


def points_ahead(doc, span: Span) -> bool:
    """True unless the date hangs off a past-tense verb ('agreed on Monday')."""
    ent = doc.char_span(span.start, span.end, alignment_mode="expand")
    if ent is None:
        return False
    node = clause_verb(ent.root)
    if node.tag_ == "VBD" or (node.tag_ == "VBN" and any(c.lemma_ == "have" for c in node.children)):
        return False
    return True


def _governing_verb(head):
    """The verb above the trigger's phrase, when the trigger comes after it ("condemned an attack that killed")."""
    node = head
    for _ in range(6):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.i < head.i and node.lemma_.lower() not in REPORT_LEMMAS:
            return node
    return None


def own_clause(tok) -> set[int]:
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


def dateline_end(doc, article: Article) -> int:
    """End offset of a dateline ("SANAA, March 15 (Reuters) -") at the start of the body, else 0."""
    start = article.body_start
    window = doc_text(doc)[start:start + 120]
    m = re.match(r"\s*[A-Z][A-Za-z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .]{1,30})?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
                 r"\s*(?:\([A-Za-z .]+\))?\s*[-–—:]\s", window)
    if not m or not window[:m.end()].strip()[:1].isupper():
        return 0
    head = window[:m.end()]
    if not re.match(r"\s*[A-Z]{2,}|\s*[A-Z][a-z]+,", head):
        return 0
    return start + m.end()


_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MISSED_DATE = re.compile(
    r"\b(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"\d+)\s+(?:day|week|month|year|decade)s?\s+ago(?:\s+today)?|yesterday|overnight|last (?:night|week|month|year)|"
    rf"(?:on|last|early|late)\s+{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?|"
    rf"{_WEEKDAY}\s+(?:morning|afternoon|evening|night))\b", re.I)


def date_spans(sent) -> list:
    """The sentence's DATE/TIME entities, and the plain date expressions the model left untagged
    ("Ten years ago today, gunmen stormed ...")."""
    doc = sent.doc
    named = ents_within(doc, sent.start, sent.end)
    ents = [e for e in named if e.label_ in ("DATE", "TIME")]
    for i, e in enumerate(ents):  # "Ten years ago | today": the model stops before "today"
        if e.text.lower().endswith(" ago") and e.end < sent.end and doc[e.end].lower_ == "today":
            ents[i] = doc.char_span(e.start_char, doc[e.end].idx + 5, label="DATE") or e
    for m in _MISSED_DATE.finditer(sent.text):
        start, end = sent.start_char + m.start(), sent.start_char + m.end()
        if any(e.start_char < end and start < e.end_char for e in named):
            continue  # inside a name ("the Sunday Times", "Good Friday Agreement") or tagged already
        span = doc.char_span(start, end, label="DATE", alignment_mode="expand")
        if span is not None:
            ents.append(span)
    return sorted(ents, key=lambda e: e.start)


_AFTERMATH_VERBS = {"condemn", "denounce", "claim", "blame", "investigate", "follow", "prompt", "spark", "mourn",
                    "deplore", "decry", "criticise", "criticize", "protest", "commemorate", "mark"}


def date_hint(sent, head, ctx: "DatingContext", cues) -> tuple[ResolvedDate, Span] | None:
    """The date expression that belongs to the trigger's clause.

    Preference: inside the trigger's own phrase, then inside its clause (not the reporting
    verb's "said on Monday"), then anywhere in the sentence, nearest first. Dateline dates
    ("SANAA, March 15 -") are the filing date, not the event's.
    """
    doc = sent.doc
    clause = clause_verb(head)
    own = own_clause(head)
    clause_tree = own_clause(clause)
    if clause.i != head.i and (clause.lemma_.lower() in REPORT_LEMMAS or clause.lemma_.lower() in cues.plan):
        clause_tree = own  # "agreed on Monday to a ceasefire": Monday dates the agreeing
    article = ctx.article
    chained = chained_date(sent, head, own | clause_tree, ctx)
    if chained is not None:
        return chained
    best = None
    governor = _governing_verb(head)
    described: set[int] = set()  # "a car bombing that killed 15 people yesterday": the clause tells of the act
    if head.pos_ in ("NOUN", "PROPN"):
        for c in head.children:
            if c.dep_ in ("relcl", "acl") and c.pos_ == "VERB" and \
                    c.lemma_.lower() not in REPORT_LEMMAS | _AFTERMATH_VERBS | {"be"}:
                described |= {i for i in own_clause(c) if not any(
                    a.lower_ in ("since", "until") and a.dep_ == "prep" for a in sent.doc[i].ancestors)}
    for ent in ctx.per_sentence("dates", sent, date_spans):
        if ent.label_ not in ("DATE", "TIME") or ent.start_char < ctx.dateline_end:
            continue
        if ent.label_ == "TIME" and not any(w in ent.text.lower() for w in _DAY_WORDS):
            continue  # "6 a.m." says nothing about the day
        if ent.root.head.lower_ in ("since", "until") and ent.root.dep_ == "pobj":
            continue  # "the deadliest since October": the start of a period, not the act's day
        resolved = resolve_date(ent.text, article.published)
        if future_tense(ent.root):
            resolved = ResolvedDate(None, None, "a date in a clause about the future")
        elif resolved.value is None and not future_ok(ent.text):
            continue
        tier = 0 if ent.root.i in own else 0.25 if ent.root.i in described else 1 if ent.root.i in clause_tree else 2
        if tier and governor is not None and ent.end <= governor.i and governor.i in (
                ent.root.head.i, ent.root.head.head.i):
            if governor.lemma_.lower() in _AFTERMATH_VERBS:
                continue  # "the UN on Monday condemned the killing of three aid workers": Monday is the condemning's
            tier += 0.5  # "the UN on Wednesday condemned an attack that killed ... on Tuesday": Wednesday dates
            # the condemning, not the attack nor its killing
        rank = (tier, abs(ent.start - head.i))
        if best is None or rank < best[0]:
            best = (rank, resolved, doc_span(doc, ent.start_char, ent.end_char))
    if best is None:
        return None
    return best[1], best[2]
