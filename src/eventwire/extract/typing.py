"""Event typing: is a candidate sentence an event, of which PLOVER type and which ACLED sub-type.

One stage behind a small protocol, ``Typer``, with named and versioned implementations:

- ``rules-v1``: the trigger lexicon and the crosswalk rules decide, as they always have; the stage
  changes nothing.
- ``learned-v5``: a classifier over a sentence encoder (all-MiniLM-L6-v2 with its top layers
  fine-tuned), trained by ``eventwire train`` on the team's labelled WCEP sentences
  (docs/labelling.md). It types each sentence that holds a candidate event: "none" is a class, and
  its probabilities are calibrated (temperature scaling on a held-out part of the training side).

The candidates still come from the rules (triggers, roles, modality, dates, places, claims and
evidence spans stay rule-based, where rules work); the learned typer decides which candidates are
events, which one of a sentence's candidates is its event, and the types. ``apply_typing`` applies
its decisions and keeps every candidate it drops, with the reason, so that ``explain`` can show it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from eventwire.data import models_folder
from eventwire.errors import ResourceMissing, SettingsError
from eventwire.models import QUAD_CLASS
from eventwire.extract.roles import at_protesters
from eventwire.extract.statements import COMMITMENTS, harmful
from eventwire.resolve.gazetteer import norm_key, strip_article
from eventwire.models import HISTORICAL_AFTER, Actor, Mention, Typing

__all__ = ["Typer", "Dropped", "RulesTyper", "LearnedTyper", "HybridTyper", "load_typer", "read_alongside",
           "apply_typing",
           "TYPERS", "ACLED_LABELS", "PLOVER_LABELS", "ARTEFACT"]

ACLED_LABELS = (
    "none", "Armed clash", "Government regains territory", "Non-state actor overtakes territory", "Chemical weapon",
    "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
    "Sexual violence", "Attack", "Abduction/forced disappearance", "Peaceful protest", "Protest with intervention",
    "Excessive force against protesters", "Violent demonstration", "Mob violence", "Agreement", "Arrests",
    "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
    "Looting/property destruction", "Non-violent transfer of territory", "Other",
)
PLOVER_LABELS = ("none", "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                 "REJECT", "SANCTION", "THREATEN", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT")
ARTEFACT = "learned-v5"
# ACLED sub-types that hold two PLOVER events: the protest, and the force used on it (docs/labelling.md,
# section 5: "a protest met with force is still PROTEST in PLOVER; the dispersal is a second event")
MET_WITH_FORCE = frozenset({"Protest with intervention", "Excessive force against protesters"})
FORCE_TYPES = frozenset({"ASSAULT", "COERCE"})
DEMANDS = frozenset({"REQUEST"})  # a demand that an act be done: the demand is the event, not the act demanded
TOP_PROBABILITIES = 5


@dataclass(frozen=True)
class Dropped:
    """A candidate the typer did not keep as an event, and why (shown by ``explain``)."""

    mention: Mention
    coder: str
    reason: str


class Typer(Protocol):
    """Reads sentences; ``None`` means the typer leaves the rules' decisions as they are."""

    name: str

    def type_sentences(self, texts: Sequence[str]) -> list[Typing] | None: ...


class RulesTyper:
    """rules-v1: the rules decide (trigger lexicon, crosswalk); nothing is re-typed or dropped."""

    name = "rules-v1"

    def type_sentences(self, texts: Sequence[str]) -> None:
        return None


class LearnedTyper:
    """learned-v5: two softmax heads (ACLED sub-type, PLOVER type; "none" in each) over the encoder."""

    name = "learned-v5"

    def __init__(self, encoder, heads: dict[str, np.ndarray], meta: dict):
        self.encoder = encoder
        self.heads = heads
        self.meta = meta
        self.threshold = float(meta.get("event_threshold", 0.5))

    @classmethod
    def load(cls, folder: Path | None = None) -> "LearnedTyper":
        from eventwire.nlp.encoder import SentenceEncoder

        weights, meta = read_artefact(folder)
        overrides = {k[len("encoder/"):]: v for k, v in weights.items() if k.startswith("encoder/")}
        heads = {k: v.astype(np.float32) for k, v in weights.items() if k.startswith("head/")}
        return cls(SentenceEncoder.load(overrides), heads, meta)

    def probabilities(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated (n, 26) ACLED and (n, 17) PLOVER probabilities."""
        x = self.encoder.encode(list(texts))
        return (_softmax((x @ self.heads["head/acled.weight"].T + self.heads["head/acled.bias"])
                         / self.meta["temperature"]["acled"]),
                _softmax((x @ self.heads["head/plover.weight"].T + self.heads["head/plover.bias"])
                         / self.meta["temperature"]["plover"]))

    def type_sentences(self, texts: Sequence[str]) -> list[Typing]:
        if not texts:
            return []
        pa, pp = self.probabilities(texts)
        return [sentence_type(a, p, self.threshold, self.name) for a, p in zip(pa, pp)]


class HybridTyper(LearnedTyper):
    """hybrid-v5: the rules' candidates and PLOVER types; the learned typer decides whether a sentence
    holds an event at all, and the ACLED sub-type of each event the rules' crosswalk codes for ACLED.

    Each sentence's reading carries the most probable ACLED sub-type other than "none" and goes to
    the candidate of the PLOVER type it reads (``read_alongside``); a sentence read as no event drops
    its candidates (with the reason), and every other candidate stays as the rules coded it.
    """

    name = "hybrid-v5"
    keeps_candidates = True

    @property
    def pairs(self) -> dict[str, list[str]]:
        """ACLED sub-type -> the PLOVER types the training labels pair with it."""
        return self.meta.get("acled_plover_pairs", {})

    @property
    def drop_at(self) -> float:
        """A sentence the typer reads as no event (P(none) at or above its calibrated threshold) loses its
        candidates, as with learned-v5: on the WCEP calibration split this cuts false events per 100
        non-event sentences from 82 to 30 (bench/wcep_dev_coders.py)."""
        return self.threshold

    def type_sentences(self, texts: Sequence[str]) -> list[Typing]:
        if not texts:
            return []
        pa, pp = self.probabilities(texts)
        out = []
        for a, p in zip(pa, pp):
            read = sentence_type(a, p, self.threshold, self.name)
            out.append(replace(read, acled=ACLED_LABELS[1 + int(np.argmax(a[1:]))],
                               plover=read.plover or PLOVER_LABELS[1 + int(np.argmax(p[1:]))]))
        return out


def sentence_type(pa: np.ndarray, pp: np.ndarray, threshold: float = 0.5, coder: str = ARTEFACT) -> Typing:
    """The labels one sentence gets from its two probability vectors.

    The sentence is an event when P(none) is below ``threshold`` in either head (PLOVER also covers
    verbal and cooperative events that ACLED does not code). Its PLOVER type is the most probable
    type other than "none"; its ACLED sub-type likewise, when the ACLED head too says it is an event.
    """
    p_none = float(min(pa[0], pp[0]))
    top = lambda probs, labels: {labels[i]: round(float(probs[i]), 4) for i in np.argsort(-probs)[:TOP_PROBABILITIES]}
    if p_none >= threshold:
        return Typing(coder, None, None, p_none, top(pa, ACLED_LABELS), top(pp, PLOVER_LABELS))
    plover = PLOVER_LABELS[1 + int(np.argmax(pp[1:]))]
    acled = ACLED_LABELS[1 + int(np.argmax(pa[1:]))] if pa[0] < threshold else None
    return Typing(coder, acled, plover, p_none, top(pa, ACLED_LABELS), top(pp, PLOVER_LABELS))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def artefact_folder() -> Path:
    return models_folder()


def read_artefact(folder: Path | None = None) -> tuple[dict[str, np.ndarray], dict]:
    """The learned stage's weights and metadata; the weights' hash is checked against the metadata."""
    folder = Path(folder) if folder else artefact_folder()
    weights_path, meta_path = folder / f"{ARTEFACT}.npz", folder / f"{ARTEFACT}.json"
    if not weights_path.is_file() or not meta_path.is_file():
        raise ResourceMissing(f"the learned typer's artefact is missing from {folder}",
                              "rebuild it with `make train`, or code with --coder rules")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256(weights_path.read_bytes()).hexdigest()
    if digest != meta.get("weights_sha256"):
        raise ResourceMissing(f"{weights_path.name} does not match its metadata (sha256 {digest[:12]}…)",
                              "rebuild it with `make train`")
    with np.load(weights_path) as npz:
        return {k: npz[k] for k in npz.files}, meta


TYPERS = {"rules": RulesTyper, "learned": LearnedTyper, "hybrid": HybridTyper}


@lru_cache(maxsize=4)
def load_typer(name: str) -> Typer:
    """A typer by its setting name ("rules" or "learned"); loaded once per process."""
    if name not in TYPERS:
        raise SettingsError(f"unknown coder {name!r}", "use --coder rules, learned or hybrid")
    return RulesTyper() if name == "rules" else TYPERS[name].load()


def _statement(main: Mention, ms: list[Mention], typed: Typing) -> tuple[Mention, Typing] | None:
    """The statement about an act the typer read, as the sentence's event, or None.

    Beside an act that did not happen, the sentence may hold a statement about it: its actor's verb of
    its own ("agreed to resign", "threatened to strike"), or what the rules add: an asserted AGREE or
    THREATEN beside a future act whose cue commits the actor ("will", "pledged to", "vowed to"), an
    asserted REJECT beside a cooperative act the actor refused or failed to do ("refused to resign",
    "failed to reach agreement"); or, by anyone, a demand that the act be done, when the demand is
    what makes the act hypothetical ("urged the junta to free", "said the rebels must disarm"). The
    typer reads the act itself; PLOVER codes the statement (CAMEO 03x, 13x, 12x, 10x; docs/labelling.md,
    v6): a promise to cooperate is AGREE, an intention to coerce or harm THREATEN, a refusal to cooperate
    REJECT, a demand REQUEST. ACLED codes none of them, so the ACLED sub-type is dropped. The actor's
    own statement comes before a demand ("pledged to withdraw, as Kyiv had demanded" is a promise).
    """
    if main.modality in ("future", "hypothetical"):
        kinds = frozenset() if typed.plover in COMMITMENTS else COMMITMENTS
    elif main.modality == "negated" and QUAD_CLASS[typed.plover] in (1, 2):
        kinds = frozenset({"REJECT"})
    else:
        return None
    statements = [m for m in ms if m is not main and m.event_type in kinds and m.modality == "asserted"]
    same_trigger = [m for m in statements if (m.trigger.start, m.trigger.end) == (main.trigger.start, main.trigger.end)]
    cue = main.modality_cue if main.modality == "hypothetical" else None
    demands = [m for m in ms if m is not main and m.event_type in DEMANDS and m.modality == "asserted"
               and cue is not None and m.trigger.start < cue.end and cue.start < m.trigger.end]
    if same_trigger:  # the rules' reading of the act's own cue: its kind follows the act typed
        stated = same_trigger[0]
        if main.modality in ("future", "hypothetical"):
            kind = "THREATEN" if harmful(typed.plover) or main.conditional else "AGREE"  # "will withdraw unless ..."
        else:
            kind = "REJECT"
    elif statements:  # a verb of its own ("agreed to resign", "threatened to strike"): its type stands
        stated = max(statements, key=lambda m: (m.weight, -m.trigger.start))
        kind = stated.event_type
    elif demands:  # the demand that makes the act hypothetical ("urged", "demanded that", "must")
        stated = max(demands, key=lambda m: (m.weight, -m.trigger.start))
        kind = stated.event_type
    else:
        return None
    return stated, replace(typed, plover=kind, acled=None)


def _force_on_protest(main: Mention, ms: list[Mention], typed: Typing) -> list[Mention]:
    """The force used on a protest the typer read, kept as a second event of the sentence.

    PLOVER codes a protest met with force as two events, the protest and the dispersal (tear gas,
    batons, arrests, live fire), while ACLED codes one (its sub-type says force was used). So when the
    typer reads a protest met with force, the sentence's asserted acts of force that the rules read
    ("fired tear gas", "to disperse") are kept too, with the rules' types and no ACLED sub-type of
    their own (one ACLED row); merging makes them one event where they are one act. Whatever the protest's
    sub-type (a riot, a march), force the rules read as used on its people is such a second event too.
    """
    if typed.plover != "PROTEST" or _force_at_protest(main):  # the protest is the one candidate kept for it
        return []
    force = [m for m in ms if m is not main and m.event_type in FORCE_TYPES and m.modality == "asserted"]
    return force if typed.acled in MET_WITH_FORCE else [m for m in force if _force_at_protest(m)]


def _accusations(main: Mention, ms: list[Mention], typed: Typing) -> list[Mention]:
    """The accusations made about a violent act the typer read, kept as events of their own.

    The labels code the act when a sentence reports it with words about it (docs/labelling.md, section 2,
    rule 3), but the words are an act of their own speaker: PLOVER and CAMEO code "X accused Y of
    shelling the town" or "X condemned the bombing" as X's ACCUSE (CAMEO 11x), whoever did the shelling.
    So the sentence's asserted accusations the rules read stay beside the act, with their own roles and
    no ACLED sub-type (the act carries the sentence's one ACLED row). An accusation with no speaker, or
    whose speaker is the act's doer, is the act told again by a word the rules misread ("militants
    blasted a post"), not words about it.
    """
    if typed.plover != "ASSAULT" or main.event_type == "ACCUSE":
        return []
    doers = [a for m in ms if m.event_type == "ASSAULT" or m is main for a in m.actors if a.role == "actor"]
    kept = []
    for m in ms:
        speaker = next((a for a in m.actors if a.role == "actor"), None)
        if m is not main and m.event_type == "ACCUSE" and m.modality == "asserted" and speaker is not None \
                and not any(_same_party(speaker, d) for d in doers):
            kept.append(m)
    return kept


def _force_at_protest(m: Mention) -> bool:
    """Force used on the people at a demonstration, in a sentence read as a protest: crowd-control weapons,
    a recipient named as them, or the act of police or troops (ACLED: the intervention in a protest)."""
    return m.event_type in FORCE_TYPES and (m.mode == "crowd-control" or at_protesters(m.actors) or any(
        a.role == "actor" and a.sector in ("COP", "MIL") for a in m.actors))


def _with_parts(main: Mention, ms: list[Mention], published: date | None = None) -> Mention:
    """The kept candidate with what the sentence's other tellings of the same act say and it does not.

    A typed sentence holds one event, so its other candidates of the kept one's type and modality are the
    same act told by another verb ("raided the hamlet, burning huts and seizing herders"): the place,
    date and roles one of them names belong to the event, as the merger would unite them when every
    candidate is kept. Only gaps are filled: what the kept candidate names stands. Not parts: a reference
    back to another act ("days after the attack on ..."), background, a different day, other doers; and a
    role is not filled with the party the kept candidate names on the other side, nor with a speaker of
    the sentence's words (an accuser).
    """
    doers = [a for a in main.actors if a.role == "actor"]

    def same_act(m: Mention) -> bool:
        if m is main or m.event_type != main.event_type or m.modality != main.modality or m.anaphoric:
            return False
        if _background(m, published):
            return False
        theirs = [a for a in m.actors if a.role == "actor"]
        if doers and theirs and not any(_same_party(a, b) for a in doers for b in theirs):
            return False  # other doers: another act ("soldiers fired as gunmen killed two farmers")
        days = (main.date_precision, m.date_precision) == ("day", "day")
        return not (days and main.resolved_date != m.resolved_date)

    parts = [m for m in ms if same_act(m)]
    if not parts:
        return main
    # the sentence's speakers (an accuser, a demander) are never taken for the act's doer or target
    speakers = [a for m in ms if QUAD_CLASS.get(m.event_type) in (1, 3) for a in m.actors if a.role == "actor"]
    changes: dict = {}
    places = next((m.places for m in parts if m.places), ()) if not main.places else ()
    if places:
        changes["places"] = places
    dated = next((m for m in parts if m.date_text is not None), None) if main.date_text is None else None
    if dated is not None:
        changes.update(date_text=dated.date_text, resolved_date=dated.resolved_date,
                       date_precision=dated.date_precision, date_note=dated.date_note)
    extra: list[Actor] = []
    for role, other in (("actor", "recipient"), ("recipient", "actor")):
        if any(a.role == role for a in main.actors):
            continue
        facing = [a for a in main.actors if a.role == other]
        for m in parts:
            found = [a for a in m.actors if a.role == role]
            if found and not any(_same_party(a, b) for a in found for b in facing + speakers):
                extra.extend(found)
                break
    if extra:
        changes["actors"] = main.actors + tuple(extra)
    return replace(main, **changes) if changes else main


def _same_party(a: Actor, b: Actor) -> bool:
    """Two role fillers naming one party: the same words (an article aside: "the rebels", "rebels"), or the
    same resolved code."""
    same_words = strip_article(norm_key(a.text)) == strip_article(norm_key(b.text))
    return same_words or (a.code is not None and a.code == b.code)


def _read_sentences(mentions: list[Mention], sentence_types: dict[int, Typing]):
    """Each sentence's candidates, in order, with the typer's reading of it (None: not read)."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence_index, []).append(m)
    return [(ms, sentence_types.get(index)) for index, ms in by_sentence.items()]


def read_alongside(mentions: list[Mention], sentence_types: dict[int, Typing],
                   typer, published: date | None = None) -> tuple[list[Mention], list[Dropped]]:
    """hybrid-v5: every candidate stays as the rules coded it, unless its sentence is read as no event;
    the sentence's reading goes to the one candidate it describes.

    That candidate is one whose PLOVER type the labels pair with the ACLED sub-type read
    (``acled_plover_pairs`` in the artefact; the two heads can read different events of one sentence,
    "students rallied as a bomb killed three soldiers"): asserted first, then of the PLOVER type read,
    then the most central. The other events of the sentence keep the rules' coding whole.
    """
    kept, dropped = [], []
    for ms, typed in _read_sentences(mentions, sentence_types):
        if typed is None:
            kept.extend(ms)
            continue
        if typed.p_none >= typer.drop_at:
            _read_as_no_event(ms, typer.name, typed.p_none, published, kept, dropped)
            continue
        fits = set(typer.pairs.get(typed.acled, ()))  # the PLOVER types the labels give this ACLED sub-type
        fitting = [m for m in ms if m.event_type in fits]
        pool = [m for m in fitting if m.modality == "asserted"] or fitting
        target = max(pool, key=lambda m: (m.event_type == typed.plover, m.weight, -m.trigger.start)) if pool else None
        kept.extend(replace(m, typing=typed) if m is target else m for m in ms)
    kept.sort(key=lambda m: (m.sentence_index, m.trigger.start))
    return kept, dropped


def _read_as_no_event(ms: list[Mention], coder: str, p_none: float, published: date | None,
                      kept: list[Mention], dropped: list[Dropped]) -> None:
    """A sentence read as no event: its candidates are dropped with the reason, background aside."""
    for m in ms:
        if _background(m, published):
            kept.append(m)
        else:
            dropped.append(Dropped(m, coder, f"not an event (P(none) = {p_none:.2f})"))


def _background(m: Mention, published: date | None) -> bool:
    """A candidate told as background: read so by the rules, or dated long before publication (it will be
    coded "historical"). A typer's "no event" does not drop it: no event is coded from it, but later
    references to it ("two days before the attack") must still join it rather than stand alone as a new act."""
    return m.modality == "historical" or (m.resolved_date is not None and published is not None
                                           and m.resolved_date < published - HISTORICAL_AFTER)


def apply_typing(mentions: list[Mention], sentence_types: dict[int, Typing],
                 published: date | None = None) -> tuple[list[Mention], list[Dropped]]:
    """Keep one event a typed sentence (none when the typer reads no event), re-typed; drop the rest.

    The kept candidate is the sentence's most central asserted mention of the type the typer reads
    (else its most central mention): the trigger, roles and modality stay the rules', and the roles,
    place and date it lacks come from the sentence's other tellings of the same act (``_with_parts``). Sentences the
    typer did not read keep all their mentions.
    """
    kept, dropped = [], []
    for ms, typed in _read_sentences(mentions, sentence_types):
        if typed is None:
            kept.extend(ms)
            continue
        if not typed.is_event:
            _read_as_no_event(ms, typed.coder, typed.p_none, published, kept, dropped)
            continue
        same = [m for m in ms if m.event_type == typed.plover]
        # force aimed at a protest is re-typed as the protest itself only when the sentence has no other
        # candidate ("police opened fire on the crowd" would become a protest staged by the police; alone,
        # it still carries the sentence's one ACLED row, as ACLED codes it)
        pool = [m for m in same if m.modality == "asserted"] or same or \
            [m for m in ms if not (typed.plover == "PROTEST" and _force_at_protest(m))] or ms
        main = max(pool, key=lambda m: (m.weight, -m.trigger.start))
        statement = _statement(main, ms, typed)
        if statement is not None:
            # the typer read an act promised, threatened, refused or demanded; the rules read the statement
            # about it ("will free", "vowed to retake", "refused to resign", "urged to free"), which PLOVER codes
            main, typed = statement
        retyped = main.event_type != typed.plover
        modality = main.modality
        if retyped and typed.plover in COMMITMENTS and modality in ("future", "hypothetical"):
            # "X will give Y a grant": the candidate is the act promised, which is future; the event
            # read is the promise (or threat) itself, which was made (PLOVER: intent to act is AGREE/THREATEN)
            modality = "asserted"
        beside = _force_on_protest(main, ms, typed) + _accusations(main, ms, typed)
        whole = _with_parts(main, [m for m in ms if all(m is not f for f in beside)], published)
        kept.append(replace(whole, event_type=typed.plover, typing=typed, modality=modality,
                            modality_cue=main.modality_cue if modality == main.modality else None,
                            mode=None if retyped else main.mode, cameo_code=None if retyped else main.cameo_code))
        kept.extend(replace(m, typing=replace(typed, plover=m.event_type, acled=None, secondary=True)) for m in beside)
        dropped.extend(Dropped(m, typed.coder, f"another candidate is its sentence's event ({typed.plover})")
                       for m in ms if m is not main and all(m is not f for f in beside))
    kept.sort(key=lambda m: (m.sentence_index, m.trigger.start))
    return kept, dropped
