"""Modality: did the coded act happen (asserted), or is it denied, hypothetical, future or history?

The cue words live in data/events/modality_cues.tsv. From the trigger we walk up the parse
through the links that carry a clause's status (object, complement, conjunct, subject, a
"series of" noun), stopping at a reporting verb (reported speech stays asserted: its source
becomes a claimant). The first cue met decides.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from eventwire.data import read_tsv
from eventwire.nlp import clause_verb

__all__ = ["ModalityCues", "find_modality"]

_CARRY = {"dobj", "xcomp", "ccomp", "attr", "oprd", "acomp", "pcomp", "advcl", "conj", "nsubj", "nsubjpass",
          "csubj", "dep", "appos", "ROOT"}
_QUANT_NOUNS = {"series", "wave", "spate", "string", "round", "number", "campaign", "barrage", "volley",
                "flurry", "kind", "type", "couple", "lot", "cycle", "string", "salvo", "day", "night", "hail",
                "threat", "risk", "possibility", "prospect", "fear", "plan", "use", "act", "ton", "tonne",
                "truckload", "shipment", "consignment", "package", "million", "billion", "worth", "load"}
INVOLVEMENT = {"involve", "participate", "responsible", "behind", "implicate", "complicit", "engage", "take"}
CUMULATIVE = {"war", "conflict", "fighting", "violence", "insurgency", "crisis", "unrest", "uprising", "siege",
              "occupation", "campaign", "bloodshed", "clashes"}
_DURATION = re.compile(r"^(years?|decades?|months?|centuries|century)$")


@dataclass
class ModalityCues:
    neg: set[str] = field(default_factory=set)
    deny: set[str] = field(default_factory=set)
    fail: set[str] = field(default_factory=set)
    free_choice: set[str] = field(default_factory=set)
    near_neg: set[str] = field(default_factory=set)
    modal: set[str] = field(default_factory=set)
    fear: set[str] = field(default_factory=set)
    condition: set[str] = field(default_factory=set)
    future_aux: set[str] = field(default_factory=set)
    plan: dict[str, str] = field(default_factory=dict)
    historical: set[str] = field(default_factory=set)
    report: set[str] = field(default_factory=set)

    @classmethod
    def load(cls) -> "ModalityCues":
        cues = cls()
        kinds = {"neg": cues.neg, "deny_verb": cues.deny, "fail_verb": cues.fail, "free_choice_det": cues.free_choice,
                 "near_neg": cues.near_neg, "modal": cues.modal,
                 "fear_noun_verb": cues.fear, "condition": cues.condition, "future_aux": cues.future_aux,
                 "historical_cue": cues.historical, "report_verb": cues.report}
        for row in read_tsv("events", "modality_cues.tsv"):
            cue, kind = row["cue"].lower(), row["kind"]
            if kind == "plan_verb":
                words = cue.split()
                key = words[0] if len(words) == 2 and words[1] in ("to", "for", "on") else cue
                if key not in ("be", "set", "move", "ready", "poised") or key == cue:
                    cues.plan.setdefault(key, row.get("modality") or "future")
            elif kind in kinds:
                kinds[kind].add(cue)
        return cues


def _lem(tok) -> str:
    return tok.lemma_.lower()


def _next_up(tok, cues: "ModalityCues | None" = None):
    """The head that carries ``tok``'s status, or None when the chain stops."""
    head = tok.head
    if head.i == tok.i:
        return None
    if tok.dep_ == "conj" and tok.tag_ in ("VBD", "VBZ", "VBP"):
        return None  # "would defend ... and urged": a conjunct with its own tense keeps its own status
    if tok.dep_ in _CARRY:
        return head
    if tok.dep_ == "prep" and head.pos_ in ("VERB", "AUX", "ADJ"):
        return head  # reached through a gerund: "accused of ordering attacks"
    if tok.dep_ == "pobj" and head.dep_ == "prep" and _lem(head.head) in INVOLVEMENT:
        return head.head  # "denied its troops were involved in the killing"
    if cues is not None and tok.dep_ == "pobj" and head.dep_ in ("prep", "dative") and head.lower_ == "to" \
            and (_lem(head.head) in cues.fail or _lem(head.head) in cues.deny):
        return head.head  # "is opposed to French mediation"
    if cues is not None and tok.dep_ == "pobj" and head.dep_ in ("prep", "dative") and \
            head.lower_ in ("to", "on", "for", "upon") and _lem(head.head) in cues.plan:
        return head.head  # "agreed to a ceasefire", "called for a strike"
    if tok.dep_ == "pobj" and head.lower_ == "of" and _lem(head.head) in _QUANT_NOUNS:
        return head.head
    if tok.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        return head
    if tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("of", "about", "over") \
            and _lem(head.head) in ("fear", "threat", "risk", "possibility", "prospect", "warning", "plan"):
        return head.head
    if cues is not None and tok.dep_ == "pobj" and head.dep_ == "prep" and \
            f"{_lem(head.head)} {head.lower_}" in cues.fear:
        return head.head  # "warn of attacks"
    return None


def _reported(node, cues: ModalityCues) -> bool:
    """True when ``node`` is the complement of a reporting or announcing verb."""
    up = node
    for _ in range(3):
        if up.dep_ not in ("ccomp", "xcomp", "conj") or up.head.i == up.i:
            return False
        up = up.head
        if _lem(up) in cues.report or _lem(up) in cues.plan:
            return True
    return False


WONDER_HEADS = {"clear", "unclear", "know", "say", "confirm", "determine", "establish", "ask", "wonder", "be",
                "investigate", "check", "verify", "decide", "see"}


def find_modality(trigger, cues: ModalityCues, event_type: str) -> tuple[str, object | None]:
    """(modality, the cue token or None) for the trigger's head token."""
    node, depth, via, prev = trigger, 0, None, None
    # "against any attack", "warned against any military action": an event noun under free-choice "any"
    # names no particular act (it is hypothetical) unless a cue further up says more; "any" under a
    # negation ("did not report any attack", "without any violence", "hardly any attacks") denies the act
    unspecific = next((c for c in trigger.children if c.dep_ == "det" and c.lower_ in cues.free_choice), None) \
        if trigger.pos_ == "NOUN" else None
    if unspecific is not None:
        if any(c.dep_ == "advmod" and c.lower_ in cues.near_neg for c in unspecific.children) \
                or (trigger.dep_ == "pobj" and trigger.head.pos_ == "ADP" and trigger.head.lower_ in cues.neg):
            return "negated", unspecific
    while node is not None and depth < 8:
        lemma = _lem(node)
        if depth > 0:
            if prev is not None and prev.dep_ == "pobj" and f"{lemma} {prev.head.lower_}" in cues.fear:
                return "hypothetical", node  # "analysts warn of attacks on the capitals"
            if lemma in cues.report and node.pos_ in ("VERB", "AUX"):
                if unspecific is not None and any(c.dep_ == "neg" for c in node.children):
                    return "negated", unspecific  # "police did not report any attacks"
                break
            if lemma in cues.deny:
                return "negated", node
            if lemma in cues.fail:
                return "negated", node
            if lemma in cues.fear:
                return "hypothetical", node
            if lemma in cues.plan and (via in ("xcomp", "ccomp", "dobj", "advcl", "acl", "pobj") or (
                    via == "nsubjpass" and any(_lem(c) == "to" or c.dep_ == "xcomp" for c in node.children))):
                return cues.plan[lemma], node  # "agreed to ...", "talks are expected to resume"
        for child in node.children:  # negation first: "will not accept" is a refusal, not a plan
            c = child.lower_
            if child.dep_ == "neg" or (child.dep_ == "det" and c == "no" and node.i == trigger.i):
                if not (c == "not" and child.i + 1 < len(child.doc) and child.doc[child.i + 1].lower_ == "only"):
                    return "negated", child
        for child in node.children:
            c = child.lower_
            if child.dep_ == "aux":
                if c in cues.modal or _lem(child) in cues.modal:
                    if c == "would" and _reported(node, cues):
                        return "future", child  # "announced it would deploy": future in the past
                    return "hypothetical", child
                if c in cues.future_aux or _lem(child) in cues.future_aux:
                    return "future", child
            if child.dep_ == "mark" and c in cues.condition:
                return "hypothetical", child
            if depth == 0 and child.dep_ == "amod" and node.pos_ == "NOUN":
                if c in ("possible", "potential", "feared", "likely", "hypothetical", "threatened"):
                    if not any(g.lower_ == "long" for g in child.children):  # "long-threatened invasion"
                        return "hypothetical", child
                if c in ("planned", "proposed", "future", "upcoming", "promised", "scheduled", "expected",
                         "intended", "forthcoming", "impending", "imminent"):
                    return "future", child
        if depth == 0 or node.pos_ in ("VERB", "AUX"):
            hist = _historical(node, cues)
            if hist is not None:
                return "historical", hist
        if node.dep_ in ("ccomp", "xcomp", "advcl", "csubj") and node.pos_ in ("VERB", "AUX"):
            wh = next((c for c in node.children if c.lower_ in ("whether", "if") and c.dep_ == "mark"), None)
            if wh is not None and node.head.lemma_.lower() in WONDER_HEADS:
                return "hypothetical", wh  # "it is unclear whether the strike took place"
            if any(c.tag_ in ("WP", "WRB", "WDT") and c.dep_ in ("nsubj", "dobj", "advmod", "nsubjpass")
                   for c in node.children):
                break  # "not clear who carried out the strike": the doer is unknown, not the strike
        via, prev = node.dep_, node
        node = _next_up(node, cues)
        depth += 1
    if trigger.pos_ in ("VERB", "AUX") and trigger.dep_ in ("relcl", "advcl") and trigger.tag_ == "VBN" and any(
            c.dep_ == "aux" and c.lower_ == "had" for c in trigger.children):
        return "historical", next(c for c in trigger.children if c.lower_ == "had")  # "whom they had taken hostage"
    if trigger.pos_ in ("VERB", "AUX") and any(
            c.dep_ == "nsubj" and _lem(c) in CUMULATIVE for c in trigger.children):
        return "historical", next(c for c in trigger.children if c.dep_ == "nsubj")
    verb = clause_verb(trigger)
    if verb.pos_ in ("VERB", "AUX") and verb.i != trigger.i and _lem(verb) not in cues.report:
        hist = _historical(verb, cues)
        if hist is not None:
            return "historical", hist
    if unspecific is not None:
        return "hypothetical", unspecific
    return "asserted", None


def _historical(node, cues: ModalityCues):
    """A habitual or background cue on ``node``: 'for several years', 'previously', 'in retaliation for'."""
    for child in node.children:
        if child.dep_ == "prep" and child.lower_ == "since" and any(
                a.dep_ == "aux" and _lem(a) == "have" for a in node.children):
            return child  # "has arrested hundreds since then"
        if child.dep_ == "prep" and child.lower_ in ("for", "over", "since"):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and (_DURATION.match(pobj.lower_) or re.fullmatch(r"(19|20)\d\d", pobj.text)):
                    if child.lower_ == "since" or any(a.dep_ == "aux" and _lem(a) == "have" for a in node.children) \
                            or any(a.lower_ in ("several", "many", "past", "decades", "years") for a in pobj.subtree
                                   if a.i != pobj.i):
                        return child
        if child.dep_ in ("advmod", "npadvmod") and child.lower_ in cues.historical:
            return child
        if child.dep_ == "prep" and " ".join(t.lower_ for t in child.subtree) in cues.historical:
            return child  # "has targeted mosques in the past"
        if child.dep_ == "advmod" and child.lower_ == "before" and any(
                a.dep_ == "aux" and _lem(a) == "have" for a in node.children):
            return child  # "has attacked mosques before"
    if node.dep_ == "pobj" and node.head.lower_ in ("for", "of") and \
            _lem(node.head.head) in ("retaliation", "revenge", "reprisal", "response", "anniversary", "memory",
                                      "retaliate", "avenge", "memorial", "commemoration"):
        return node.head.head
    if node.dep_ == "pobj" and node.head.lower_ == "of" and _lem(node.head.head) in _QUANT_NOUNS:
        return _historical(node.head.head, cues)
    return None
