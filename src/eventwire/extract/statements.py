"""Statements about acts: what an actor said it will do, or refused to do, is itself an event.

PLOVER codes CAMEO's "express intent to ..." (03x) as AGREE, threats (13x) as THREATEN and refusals
(12x) as REJECT, all asserted: the statement was made, whatever becomes of the act. The rules read
these off a candidate's modality cue ("will", "pledged", "vowed"; "refused", "failed"); the typing
stage (``extract.typing``) applies the same reading to the acts the learned typer reads.
"""
from __future__ import annotations

from dataclasses import replace

from eventwire.models import QUAD_CLASS
from eventwire.models import Mention
from eventwire.nlp import clause_verb

__all__ = ["COMMITMENTS", "COMMITMENT_CUES", "REFUSAL_CUES", "harmful", "conditional", "stated_intent", "refusal"]

COMMITMENTS = frozenset({"AGREE", "THREATEN"})  # a statement of intent to act: the statement is the event
COMMITMENT_CUES = {"will", "'ll", "shall", "would", "offer", "offered", "offers", "pledge", "pledged", "pledges",
                   "promise", "promised", "promises", "vow", "vowed", "vows", "ready", "willing", "prepared",
                   "committed", "intends", "intend", "plans", "planned", "plan", "decided", "decide"}
REFUSAL_CUES = {"not", "n't", "never", "fail", "failed", "fails", "refuse", "refused", "refuses", "decline", "declined",
                "declines", "opposed", "oppose", "opposes", "reject", "rejected", "rejects"}


def refusal(m: Mention) -> Mention | None:
    """'would not meet the demands', 'refused to meet the king': refusing to cooperate is REJECT."""
    if m.modality != "negated" or m.modality_cue is None or QUAD_CLASS[m.event_type] not in (1, 2):
        return None
    if m.modality_cue.text.lower() not in REFUSAL_CUES or not any(a.role == "actor" for a in m.actors):
        return None
    if m.trigger_pos != "VERB":
        return None  # "opposed to French mediation": France is not the one refusing
    return replace(m, event_type="REJECT", mode=None, cameo_code="120", modality="asserted", modality_cue=None,
                   weight=m.weight * 0.95, anaphoric=False)


def conditional(head) -> bool:
    """The act's clause carries an 'unless' / 'if' condition."""
    verb = clause_verb(head)
    return any(t.dep_ == "mark" and t.lower_ in ("unless", "if") for c in verb.children for t in c.subtree
               if c.dep_ == "advcl")


def stated_intent(m: Mention) -> Mention | None:
    """'Portugal will support Turkey', 'Libya offered to hand over two suspects': saying one will act
    is itself an asserted act, AGREE for cooperation and THREATEN for harm (PLOVER, CAMEO 03/13);
    'may halt mediation if ...' is a conditional threat."""
    if m.modality == "hypothetical" and m.conditional and m.modality_cue is not None and \
            m.modality_cue.text.lower() in ("may", "might", "could", "would", "will") and \
            m.event_type not in COMMITMENTS and any(a.role == "actor" for a in m.actors):
        return replace(m, event_type="THREATEN", mode=None, cameo_code="130", modality="asserted",
                       modality_cue=None, weight=m.weight * 0.95, anaphoric=False)
    if m.modality != "future" or m.modality_cue is None or m.event_type in COMMITMENTS:
        return None
    if m.modality_cue.text.lower() not in COMMITMENT_CUES or not any(a.role == "actor" for a in m.actors):
        return None
    threat = harmful(m.event_type) or m.conditional  # "will withdraw unless ...": a threat
    return replace(m, event_type="THREATEN" if threat else "AGREE", mode=None,
                   cameo_code="130" if threat else "030", modality="asserted", modality_cue=None,
                   weight=m.weight * 0.95, anaphoric=False)


def harmful(plover: str) -> bool:
    """A coercive or violent act (PLOVER's conflict quads, a request aside): intending it is a threat."""
    return QUAD_CLASS[plover] >= 3 and plover != "REQUEST"
