"""Claims: who says how many were killed, injured, arrested or abducted, and who gave no figure.

Each count found in a sentence is attributed to its source: the subject of the reporting verb
above it ("the ministry said"), "according to X", a source after the quote (", police said"), or
the organisation a spokesperson speaks for. A pronoun source ("He said") is the previous
sentence's source. Claims of one source about one event are merged.
"""
from __future__ import annotations

import re
from dataclasses import replace
from heapq import heappop, heappush

from eventwire.extract.casualties import REPORT_LEMMAS, UPPER_HEDGES, find_counts, find_no_figure
from eventwire.extract.roles import phrase_bounds
from eventwire.models import Claim, Range, Span
from eventwire.nlp import doc_text, ents_within

__all__ = ["sentence_claims", "claimant_name", "merge_claims", "claim_range", "claimant_token", "COUNT_KINDS"]


def _span(doc, start: int, end: int) -> Span:
    return Span.of(doc_text(doc), start, end)


SPOKESPEOPLE = {"spokesman", "spokeswoman", "spokesperson", "official", "source", "officer", "representative",
                "statement", "commander", "director", "head", "chief", "member", "minister", "secretary"}


AREA_WORDS = {"region", "province", "district", "state", "area", "town", "city", "county", "village", "zone", "country"}


def claimant_phrase(tok):
    """The claimant's words: the noun phrase with its 'for/of/at X' complement."""
    s_, e_, _, _ = phrase_bounds(tok)
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at", "in", "from"):
            e_ = max(e_, prep.right_edge.i + 1)
    for c in tok.children:
        if c.dep_ == "appos":
            e_ = max(e_, c.right_edge.i + 1)
    return tok.doc[s_:e_]


def resolve_pronoun(tok):
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


COUNT_KINDS = ("killed", "injured", "arrested", "abducted")


def _counted(c: Claim) -> int:
    """Which counts a claim gives, as bits."""
    return sum(1 << i for i, f in enumerate(COUNT_KINDS) if getattr(c, f) is not None)


def merge_claims(claims: list[Claim]) -> list[Claim]:
    """One claim per claimant: 'the health ministry' (14 killed) and 'the ministry' (23 injured) join.

    A claim joins the earliest claim whose claimant names the same source (one name inside the other)
    and that gives none of the same counts. The merged claims are kept in buckets by (claimant, no
    figure, counts given), each a heap of positions, so a claim looks at each bucket's earliest member
    instead of at every claim before it (one source's many counts of one event stay linear)."""
    out: list[Claim] = []
    buckets: dict[tuple[str, bool, int], list[int]] = {}
    for c in claims:
        key = (c.claimant or "").lower()
        counted = _counted(c)
        home: tuple[int, tuple[str, bool, int]] | None = None
        for bucket, heap in buckets.items() if key else ():
            okey, no_figure, given = bucket
            if heap and no_figure == c.no_figure and not given & counted and (key in okey or okey in key) \
                    and (home is None or heap[0] < home[0]):
                home = (heap[0], bucket)
        if home is None:
            if key:
                heappush(buckets.setdefault((key, c.no_figure, counted), []), len(out))
            out.append(c)
            continue
        i, bucket = home
        heappop(buckets[bucket])
        o = out[i]
        longer = o if len(o.claimant or "") >= len(c.claimant or "") else c
        out[i] = merged = replace(o, claimant=longer.claimant, claimant_text=longer.claimant_text,
                                  killed=o.killed if o.killed is not None else c.killed,
                                  injured=o.injured if o.injured is not None else c.injured,
                                  arrested=o.arrested if o.arrested is not None else c.arrested,
                                  abducted=o.abducted if o.abducted is not None else c.abducted,
                                  hedge=o.hedge or c.hedge, hedges={**c.hedges, **o.hedges})
        heappush(buckets.setdefault(((merged.claimant or "").lower(), merged.no_figure, _counted(merged)), []), i)
    return out


def claimant_token(tok, sent):
    """The source of a count: the subject of the reporting verb above it, or 'according to X'."""
    node, prev = tok, None
    for _ in range(8):
        if node.lemma_.lower() in REPORT_LEMMAS and node.pos_ in ("VERB", "AUX") and _reports(node, prev):
            subj = next((c for c in node.children if c.dep_ in ("nsubj",)), None)
            if subj is None and node.dep_ in ("advcl", "xcomp", "conj"):  # "..., telling reporters that"
                subj = next((c for c in node.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lower_ not in ("it", "this", "that"):
                return subj
        if node.head.i == node.i:
            break
        node, prev = node.head, node
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            pobj = next((c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    for verb in sorted((t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() in REPORT_LEMMAS
                        and t.dep_ in ("ROOT", "conj", "parataxis")), key=lambda t: -t.i):
        if any(c.dep_ == "auxpass" for c in verb.children) or not _reports(verb, None):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ not in ("it", "this", "that"):
            return subj
        source = trailing_source(verb)
        if source is not None:
            return source
    return None


def _reports(verb, child) -> bool:
    """Whether the count below ``child`` is what ``verb`` reports: not when it sits in the verb's subject
    ("the attack, which killed 19, shows that ...") or in a clause of circumstance ("traders counted their
    losses after a bomb exploded, killing 17"), nor when the verb claims responsibility ("claimed the attack
    that killed 12" names the doer, not a source of the toll)."""
    if child is not None and child.dep_ in ("nsubj", "nsubjpass", "csubj", "advcl"):
        return False
    return not (verb.lemma_.lower() == "claim" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in ("responsibility", "credit", "attack", "bombing") for c in verb.children))


def trailing_source(verb):
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


def claim_range(values: list[int | None], hedges: list[str | None]) -> Range | None:
    nums = [(v, h) for v, h in zip(values, hedges) if v is not None]
    if not nums:
        return None
    lows = [v for v, h in nums if h not in UPPER_HEDGES] or [v for v, _ in nums]
    highs = [v for v, _ in nums]
    low = min(lows)
    return Range(low=low, best=low, high=max(highs))


def sentence_claims(sent, kb) -> list[Claim]:
    doc = sent.doc
    text = sent.text
    found: dict[tuple, dict] = {}
    for cm in find_counts(text):
        start = sent.start_char + cm.start
        tok = next((t for t in sent if t.idx >= start), sent[0])
        claimant_tok = claimant_token(tok, sent)
        key = (claimant_tok.i if claimant_tok is not None else -1,)
        entry = found.setdefault(key, {"claimant": claimant_tok, "counts": {}, "hedges": {}, "spans": []})
        if cm.kind in ("killed", "injured", "arrested", "abducted") and cm.kind not in entry["counts"]:
            entry["counts"][cm.kind] = cm.value
            if cm.hedge:
                entry["hedges"][cm.kind] = cm.hedge
        elif cm.kind in entry["counts"] and not cm.hedge and re.search(r"\bothers?\b", text[cm.start:cm.end], re.I):
            entry["counts"][cm.kind] += cm.value  # "Twelve died at the scene and three others later in hospital"
        entry["spans"].append((start, sent.start_char + cm.end))
    claims = []
    for entry in found.values():
        if not entry["counts"]:
            continue
        ctext, cname = claimant_name(kb, entry["claimant"])
        s = min(a for a, _ in entry["spans"])
        e = max(b for _, b in entry["spans"])
        claims.append(Claim(claimant=cname, claimant_text=ctext, killed=entry["counts"].get("killed"),
                            injured=entry["counts"].get("injured"), arrested=entry["counts"].get("arrested"),
                            abducted=entry["counts"].get("abducted"),
                            hedge=entry["hedges"].get("killed") or next(iter(entry["hedges"].values()), None),
                            hedges=dict(entry["hedges"]), span=_span(doc, s, e)))
    for nf in find_no_figure(sent):
        subj = doc[nf.subject_start:nf.subject_end]
        ctext, cname = claimant_name(kb, doc[nf.subject_end - 1], subj)
        verb = doc[nf.verb_i]
        claims.append(Claim(claimant=cname, claimant_text=ctext, no_figure=True,
                            span=_span(doc, subj.start_char, verb.idx + len(verb))))
    return claims


def claimant_name(kb, tok, phrase=None) -> tuple[str | None, str | None]:
    """(the claimant's words, its name): 'a spokesman for the coalition' -> the coalition."""
    if tok is None:
        return None, None
    tok = resolve_pronoun(tok)
    if phrase is None or tok.i < phrase.start or tok.i >= phrase.end:
        phrase = claimant_phrase(tok)
    entry = kb.named(phrase.text)
    text = doc_text(phrase.doc)[phrase.start_char:phrase.end_char]  # the words as written (recasing aside)
    for ent in ents_within(phrase.doc, phrase.start, phrase.end):
        if ent.start <= tok.i < ent.end:
            entry = entry or kb.named(ent.text)
    if entry is not None:
        return text, entry.name
    target = tok
    if tok.lemma_.lower() in SPOKESPEOPLE:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at", "from"):
                target = next((c for c in prep.children if c.dep_ == "pobj"), tok)
        if target is not tok and target.lemma_.lower() in AREA_WORDS:
            target = tok  # "the police commander for the Bay region" speaks for the police, not the region
    s_, e_, _, _ = phrase_bounds(target)
    name = " ".join(w for w in tok.doc[s_:e_].text.split() if w.lower() not in ("the", "a", "an"))
    return text, name or None
