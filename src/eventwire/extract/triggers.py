"""Event triggers: the lexicon in data/events/triggers.tsv matched on spaCy lemmas.

A trigger is a sequence of lemmas ("air strike", "open fire", "call for") with a part of speech
for its first word. Hyphenated and closed compounds match too ("air-strike", "airstrike").
Where matches overlap, the longest wins; a phrase in data/events/not_triggers.tsv ("slam into") wins
like a trigger and names no event.
"""
from __future__ import annotations

from dataclasses import dataclass

from eventwire.data import read_tsv
from eventwire.models import PLOVER_TYPES

__all__ = ["TriggerEntry", "TriggerLexicon", "TriggerMatch"]

NOT_AN_EVENT = "none"  # the type of a not_triggers.tsv phrase: it takes its words and yields no match
_POS_OK = {
    "VERB": {"VERB", "AUX"},
    "NOUN": {"NOUN", "PROPN"},
    "ADJ": {"ADJ", "VERB"},
    "ANY": None,
}


@dataclass(frozen=True)
class TriggerEntry:
    lemmas: tuple[str, ...]
    pos: str
    event_type: str
    mode: str | None
    cameo: str | None
    contexts: tuple[str, ...]
    weight: float
    conditional: bool = False  # a trigger only with one of its objects (data/events/trigger_objects.tsv)


@dataclass(frozen=True)
class TriggerMatch:
    entry: TriggerEntry
    start: int  # token indices in the doc
    end: int
    head: int   # the token that carries the trigger's syntax


class TriggerLexicon:
    """All triggers, indexed by their first lemma."""

    def __init__(self, rows=None) -> None:
        rows = rows if rows is not None else read_tsv("events", "triggers.tsv")
        self.by_first: dict[str, list[TriggerEntry]] = {}
        for row in rows:
            if row.get("event_type") not in PLOVER_TYPES:
                continue
            lemmas = tuple(row["lemma"].lower().replace("-", " ").split())
            if not lemmas:
                continue
            entry = TriggerEntry(lemmas, (row.get("pos") or "ANY").upper(), row["event_type"],
                                 row.get("mode") or None, row.get("cameo") or None,
                                 tuple(c for c in (row.get("contexts") or "").split("|") if c),
                                 float(row.get("weight") or 0.7))
            self.by_first.setdefault(lemmas[0], []).append(entry)
            joined = "".join(lemmas)
            if len(lemmas) > 1:  # "airstrike" for "air strike"
                self.by_first.setdefault(joined, []).append(
                    TriggerEntry((joined,), entry.pos, entry.event_type, entry.mode, entry.cameo,
                                 entry.contexts, entry.weight))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e.lemmas))
        self.object_rules: dict[str, list[dict]] = {}
        known = {e.lemmas for entries in self.by_first.values() for e in entries}
        for row in read_tsv("events", "trigger_objects.tsv"):
            self.object_rules.setdefault(row["lemma"], []).append(
                {"objects": set(row["objects"].split("|")), "event_type": row["event_type"], "mode": row["mode"],
                 "cameo": row["cameo"]})
            lemmas = tuple(row["lemma"].lower().split())
            if lemmas not in known:  # "set up" is an event only when what is set up is a base
                known.add(lemmas)
                self.by_first.setdefault(lemmas[0], []).append(TriggerEntry(
                    lemmas, "VERB", row["event_type"], row["mode"] or None, row["cameo"] or None, (), 0.75,
                    conditional=True))
        for row in read_tsv("events", "not_triggers.tsv"):  # "slam into": not the criticism "slam" names
            lemmas = tuple(row["lemma"].lower().split())
            self.by_first.setdefault(lemmas[0], []).append(
                TriggerEntry(lemmas, (row.get("pos") or "ANY").upper(), NOT_AN_EVENT, None, None, (), 0.0))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e.lemmas))

    def __len__(self) -> int:
        return sum(e.event_type != NOT_AN_EVENT for v in self.by_first.values() for e in v)

    def match(self, tokens) -> list[TriggerMatch]:
        """Trigger matches in a sequence of spaCy tokens (a sentence), longest first, no overlaps."""
        toks = [t for t in tokens]
        found: list[TriggerMatch] = []
        used: set[int] = set()
        for i, tok in enumerate(toks):
            if tok.i in used or tok.is_punct or tok.is_space:
                continue
            keys = {tok.lemma_.lower(), tok.lower_}
            candidates = [e for k in keys for e in self.by_first.get(k, ())]
            candidates.sort(key=lambda e: -len(e.lemmas))
            for entry in candidates:
                idx = self._seq(toks, i, entry.lemmas)
                if idx is None:
                    continue
                if any(j in used for j in idx):
                    continue
                if len(idx) > 1 and entry.pos == "VERB" and tok.dep_ == "amod":
                    continue  # "its long-threatened invasion": an adjective, the noun is the event
                head = self._head(toks, idx, entry)
                allowed = _POS_OK.get(entry.pos)
                pos_tok = tok if len(idx) == 1 else tok.doc[head]
                if allowed is not None and pos_tok.pos_ not in allowed and not (
                        len(idx) > 1 and entry.pos == "NOUN" and tok.doc[head].pos_ in ("NOUN", "PROPN", "ADJ")):
                    continue
                if entry.event_type != NOT_AN_EVENT:  # a longer phrase that names no event takes its words
                    found.append(TriggerMatch(entry, toks[idx[0]].i, toks[idx[-1]].i + 1, head))
                used.update(toks[j].i for j in idx)
                break
        return found

    @staticmethod
    def _seq(toks, i: int, lemmas: tuple[str, ...]) -> list[int] | None:
        idx, j = [], i
        for lemma in lemmas:
            while j < len(toks) and toks[j].text in ("-", "–") and idx:
                j += 1
            if j >= len(toks):
                return None
            t = toks[j]
            if t.lemma_.lower() != lemma and t.lower_ != lemma:
                return None
            idx.append(j)
            j += 1
        return idx

    @staticmethod
    def _head(toks, idx: list[int], entry: TriggerEntry) -> int:
        """The syntactic head of a multi-word trigger (the token whose head lies outside it)."""
        ids = {toks[j].i for j in idx}
        for j in idx:
            if toks[j].head.i not in ids or toks[j].head.i == toks[j].i:
                if entry.pos == "VERB" and toks[idx[0]].pos_ in ("VERB", "AUX"):
                    return toks[idx[0]].i
                return toks[j].i
        return toks[idx[-1]].i
