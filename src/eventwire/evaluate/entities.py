"""`eventwire evaluate entities`: typed entity spans against re3d-style gold.

Gold rule: entities with confidence >= 0.5; where one span has several types, the most
confident. eventwire's entity types (spaCy's labels, corrected by the actor ruler) map to the gold
types by the fixed table ENTITY_TYPE_MAP. Exact span and type must match.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

from eventwire.data import read_tsv
from eventwire.evaluate.events import read_rows
from eventwire.evaluate.metrics import prf

__all__ = ["evaluate_entities", "ENTITY_TYPE_MAP", "CORE4"]

ENTITY_TYPE_MAP = {
    "PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location", "FAC": "Location",
    "NORP": "Nationality", "DATE": "Temporal", "TIME": "Temporal", "CARDINAL": "Quantity",
    "QUANTITY": "Quantity", "PERCENT": "Quantity", "MONEY": "Money",
    "WEAPON": "Weapon", "PLATFORM": "MilitaryPlatform", "VEHICLE": "Vehicle",
}
CORE4 = ("Person", "Organisation", "Location", "Nationality")


def gold_entities(row: dict) -> set[tuple[int, int, str]]:
    best: dict[tuple[int, int], tuple[float, str]] = {}
    for e in row.get("entities") or []:
        conf = float(e.get("confidence") or 0)
        if conf < 0.5:
            continue
        key = (int(e["begin"]), int(e["end"]))
        if key not in best or conf > best[key][0]:
            best[key] = (conf, e["type"])
    return {(s, e, t) for (s, e), (_, t) in best.items()}


LOCATIVE = {"near", "outside", "in", "at", "from", "into", "around", "of", "toward", "towards"}


@functools.lru_cache(maxsize=1)
def _materiel() -> dict[str, str]:
    return {r["term"]: r["kind"] for r in read_tsv("events", "materiel.tsv")}


def _town(gazetteer, text: str) -> bool:
    found = gazetteer.lookup(text)
    return bool(found) and not any(c.kind == "country" for c in found)


def predicted_entities(nlp, text: str, sector_terms=frozenset(), gazetteer=None, kb=None) -> set[tuple[int, int, str]]:
    from eventwire.nlp import entity_mentions
    from eventwire.extract.places import find_places

    doc = nlp(text)
    places = set()
    if gazetteer is not None and kb is not None:
        places = {(pm.place.span.start, pm.place.span.end) for pm in find_places(doc, gazetteer, kb)
                  if pm.place.lat is not None}
        for ent in doc.ents:  # a "person" that is a large known place and no known person ("Raqqah")
            if ent.label_ in ("PERSON", "NORP") and kb.named(ent.text) is None and any(
                    c.population >= 100_000 or c.kind in ("admin1", "country") for c in gazetteer.lookup(ent.text)):
                places.add((ent.start_char, ent.end_char))
            elif ent.label_ in ("PERSON", "ORG") and ent.start > 0 and doc[ent.start - 1].lower_ in LOCATIVE \
                    and len(ent) <= 3 and kb.named(ent.text) is None and _town(gazetteer, ent.text):
                places.add((ent.start_char, ent.end_char))  # "near Karabilah", "in Dabiq": a place, not a name
    out = set()
    def known_place(text: str) -> bool:
        text = text[4:] if text.lower().startswith("the ") else text
        return gazetteer is not None and any(c.kind in ("country", "admin1", "region") for c in gazetteer.lookup(text))

    for start, end, label in entity_mentions(doc, sector_terms, places, known_place, _materiel()):
        t = ENTITY_TYPE_MAP.get(label)
        if t is not None:
            out.add((start, end, t))
    return out


def evaluate_entities(pipeline, path: str | Path, progress: Callable[[int, int], None] | None = None
                      ) -> tuple[dict, list[dict]]:
    rows = read_rows(path)
    counts: dict[str, list[int]] = {}
    errors = []
    for i, row in enumerate(rows):
        text = row.get("text") or ""
        gold = gold_entities(row)
        pred = predicted_entities(pipeline.r.nlp, text, set(pipeline.r.kb.sector_terms), pipeline.r.gazetteer,
                                  pipeline.r.kb)
        for kind in {t for *_, t in gold | pred}:
            g = {x for x in gold if x[2] == kind}
            p = {x for x in pred if x[2] == kind}
            c = counts.setdefault(kind, [0, 0, 0])
            c[0] += len(g & p)
            c[1] += len(p - g)
            c[2] += len(g - p)
        for s, e, t in sorted(gold - pred)[:50]:
            errors.append({"doc": row.get("doc_id"), "kind": "missed", "type": t, "text": text[s:e]})
        for s, e, t in sorted(pred - gold)[:50]:
            errors.append({"doc": row.get("doc_id"), "kind": "spurious", "type": t, "text": text[s:e]})
        if progress:
            progress(i + 1, len(rows))
    per_type = {}
    for kind, (tp, fp, fn) in sorted(counts.items()):
        p, r, f = prf(tp, fp, fn)
        per_type[kind] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}
    tp, fp, fn = (sum(c[k] for c in counts.values()) for k in range(3))
    p, r, f = prf(tp, fp, fn)
    core = [counts.get(k, [0, 0, 0]) for k in CORE4]
    ctp, cfp, cfn = (sum(c[k] for c in core) for k in range(3))
    report = {"file": str(path), "n_docs": len(rows), "precision": round(p, 4), "recall": round(r, 4),
              "f1": round(f, 4), "core4_f1": round(prf(ctp, cfp, cfn)[2], 4), "per_type": per_type,
              "type_map": ENTITY_TYPE_MAP}
    return report, errors
