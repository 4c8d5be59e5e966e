"""Stage 6 of coding: the counts each source claims go to the events they are about; a denial of a
report of an act is a denial of the act."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from eventwire.assemble.merge import Cluster
from eventwire.extract.claims import COUNT_KINDS, sentence_claims
from eventwire.models import MATERIAL_TYPES, Claim, Span
from eventwire.nlp import doc_text
from eventwire.resolve.actors import ActorKB

__all__ = ["attach_claims", "deny_reports"]



def attach_claims(doc, clusters: list[Cluster], sents: list, kb: ActorKB,
                  check: Callable[[str], None] = lambda where: None) -> None:
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
        check(f"while attaching counts, at sentence {index + 1:,} of {len(sents):,}")
        for claim in sentence_claims(sent, kb):
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


_ALSO = re.compile(r"\balso\b", re.I)




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
             if getattr(prior, k) is not None or getattr(claim, k) is not None else None for k in COUNT_KINDS}
    start, end = min(prior.span.start, claim.span.start), max(prior.span.end, claim.span.end)
    return replace(prior, **total, span=Span.of(doc_text(doc), start, end))


def _same_source_count(claims: list[Claim], claim: Claim) -> Claim | None:
    """The latest claim in ``claims`` by the same source (or any, when ``claim`` names none) that counts one
    of the same things; it is taken out of ``claims``."""
    for i in range(len(claims) - 1, -1, -1):
        prior = claims[i]
        if prior.no_figure or prior.span is None or (claim.claimant and _who(prior) != _who(claim)):
            continue
        if any(getattr(prior, k) is not None and getattr(claim, k) is not None for k in COUNT_KINDS):
            return claims.pop(i)
    return None


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


def deny_reports(clusters: list[Cluster], doc) -> None:
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
