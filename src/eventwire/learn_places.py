"""Training the place ranker (``eventwire train --only places``): place-ranker-v1, from hand-resolved news.

Data: TR-News and GeoWebNews in ``../shared/train/geo/`` (read there, never copied; Kamalloo and Rafiei,
WWW 2018; Gritta, Pilehvar and Collier, Language Resources and Evaluation 2019). A gold toponym names a
place on the map when it has coordinates and, in GeoWebNews, one of the map types (Literal, Metonymic,
...). GeoVirus stays a development set and is never trained on.

Examples: every article is parsed and its places found exactly as coding does (``find_places``), with a
ranker that chooses as rules-v1 and records each name's candidates, their features and their context.
A record whose mention overlaps a gold toponym is one example: the right candidate is the one with the
gold GeoNames id, else the candidate nearest the gold point within 161 km; records with no right
candidate are counted (the gazetteer's ceiling) and left out.

Split by a hash of the document id, as for the event typer: one document in five is the test split,
scored once per artefact and never used to choose anything; the L2 penalty is chosen by 5-fold
cross-validation over the rest (folds by another hash of the id): the strongest whose score is within one
standard error of the best.

Model: a conditional logit (softmax over one name's candidates) on ``place_ranker.FEATURES``, fitted by
Newton's method from zero weights: deterministic, and light enough to retrain in seconds. The artefact is
``data/models/place-ranker-v1.json`` (weights, data hash, split, scores) with a readable report.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from eventwire.data import models_folder
from eventwire.errors import InputError, ResourceMissing
from eventwire.extract.place_ranker import (FEATURES, PLACES_ARTEFACT, RankContext, RulesRanker,
                                            features)
from eventwire.learn import in_test_split
from eventwire.resolve.gazetteer import Candidate, haversine_km

__all__ = ["GoldToponym", "GeoDoc", "Example", "read_geo", "collect_examples", "fit_logit", "train_places",
           "heldout_rows"]

GEO_FILES = ("trnews.jsonl", "geowebnews.jsonl")
ON_MAP = {"Literal", "Literal_Modifier", "Embedded_Literal", "Mixed", "Coercion", "Metonymic"}
NEAR_KM = 161.0
L2_CHOICES = (0.01, 0.1, 1.0, 10.0)


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float
    lon: float
    geonameid: int | None


@dataclass(frozen=True)
class GeoDoc:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass(frozen=True)
class Example:
    """One resolved name: its candidates' features, the right candidate's index, and each candidate's
    distance to the gold point (km)."""

    doc_id: str
    text: str
    X: np.ndarray
    y: int
    km: tuple[float, ...]


def heldout_rows(docs: Iterable[GeoDoc], gaz) -> list[dict]:
    """The test split's articles in the form ``evaluate places`` reads, each toponym with its country where
    the gazetteer knows its GeoNames id (so that country accuracy is scored)."""
    rows = []
    for d in docs:
        if not in_test_split(d.id):
            continue
        tops = []
        for g in d.toponyms:
            top = {"name": g.text, "start": g.start, "end": g.end, "lat": g.lat, "lon": g.lon}
            country = gaz.country_of(g.geonameid) if g.geonameid is not None else None
            if country:
                top["country"] = country
            tops.append(top)
        rows.append({"doc_id": d.id, "text": d.text, "toponyms": tops})
    return rows


def _fold(doc_id: str, k: int = 5) -> int:
    return int(hashlib.sha1(f"cv:{doc_id}".encode()).hexdigest(), 16) % k


def read_geo(folder: Path) -> list[GeoDoc]:
    """The training corpora's articles and their gold toponyms that name a place on the map."""
    docs = []
    for name in GEO_FILES:
        path = folder / name
        if not path.exists():
            raise ResourceMissing(f"{path} not found", "the place ranker trains on ../shared/train/geo")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from None
            gold = tuple(GoldToponym(t["start"], t["end"], t["text"], float(t["lat"]), float(t["lon"]),
                                     int(t["geonameid"]) if t.get("geonameid") not in (None, "") else None)
                         for t in row["toponyms"] if t.get("lat") is not None and t.get("lon") is not None
                         and (t.get("type") is None or t["type"] in ON_MAP))
            docs.append(GeoDoc(row["doc_id"], row["text"], gold))
    return docs


class _Recorder:
    """Chooses as rules-v1 and keeps every call: (the mention's characters, candidates, features)."""

    name = "recorder"

    def __init__(self) -> None:
        self.rules = RulesRanker()
        self.calls: dict[tuple[int, int], tuple[list[Candidate], np.ndarray]] = {}

    def scores(self, cands: Sequence[Candidate], ctx: RankContext) -> np.ndarray:
        if ctx.where is not None:  # a later call for the same mention (the second pass) is its final context
            self.calls[ctx.where] = (list(cands), features(cands, ctx))
        return self.rules.scores(cands, ctx)


def _right(cands: list[Candidate], gold: GoldToponym) -> tuple[int | None, list[float]]:
    km = [haversine_km(c.lat, c.lon, gold.lat, gold.lon) for c in cands]
    if gold.geonameid is not None:
        same = [i for i, c in enumerate(cands) if c.geonameid == gold.geonameid]
        if same:
            return same[0], km
    best = min(range(len(cands)), key=lambda i: km[i])
    return (best, km) if km[best] <= NEAR_KM else (None, km)


def collect_examples(docs: Iterable[GeoDoc], parse: Callable[[str], object], gaz, kb,
                     progress: Callable[[str], None] | None = None) -> tuple[list[Example], dict]:
    """Examples from the articles, and counts: gold toponyms, those found as a ranked mention, and those
    whose right place is not among the candidates."""
    from eventwire.extract.places import find_places

    examples: list[Example] = []
    counts = {"gold": 0, "ranked": 0, "no_right_candidate": 0, "single_candidate": 0}
    docs = list(docs)
    for n, doc in enumerate(docs, 1):
        recorder = _Recorder()
        find_places(parse(doc.text), gaz, kb, recorder)
        counts["gold"] += len(doc.toponyms)
        for (start, end), (cands, X) in sorted(recorder.calls.items()):
            gold = next((g for g in doc.toponyms if g.start < end and start < g.end), None)
            if gold is None:
                continue
            counts["ranked"] += 1
            y, km = _right(cands, gold)
            if y is None:
                counts["no_right_candidate"] += 1
                continue
            if len(cands) == 1:
                counts["single_candidate"] += 1
            examples.append(Example(doc.id, doc.text[start:end], X, y, tuple(km)))
        if progress and n % 50 == 0:
            progress(f"places: {n}/{len(docs)} articles")
    return examples, counts


def _loss_grad_hess(w: np.ndarray, examples: Sequence[Example], l2: float):
    loss, grad, hess = l2 * float(w @ w), 2 * l2 * w, 2 * l2 * np.eye(len(w))
    for ex in examples:
        z = ex.X @ w
        z = z - z.max()
        p = np.exp(z) / np.exp(z).sum()
        loss -= float(np.log(p[ex.y] + 1e-300))
        mean = p @ ex.X
        grad -= ex.X[ex.y] - mean
        centred = ex.X - mean
        hess += (centred * p[:, None]).T @ centred
    return loss, grad, hess


def fit_logit(examples: Sequence[Example], l2: float, steps: int = 50) -> np.ndarray:
    """The conditional logit's weights: Newton's method from zero with a backtracking step (deterministic)."""
    w = np.zeros(len(FEATURES))
    loss, grad, hess = _loss_grad_hess(w, examples, l2)
    for _ in range(steps):
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while t > 1e-6:
            new = w - t * step
            new_loss, new_grad, new_hess = _loss_grad_hess(new, examples, l2)
            if new_loss <= loss:
                break
            t /= 2
        else:
            break
        done = loss - new_loss < 1e-9 * max(1.0, abs(loss))
        w, loss, grad, hess = new, new_loss, new_grad, new_hess
        if done:
            break
    return w


def _scores(w: np.ndarray, examples: Sequence[Example]) -> dict:
    """How often the top-scored candidate is the right one, and within 161 km of the gold point."""
    if not examples:
        return {"names": 0, "right": None, "within_161km": None}
    right = near = 0
    for ex in examples:
        top = int(np.argmax(ex.X @ w))
        right += top == ex.y
        near += ex.km[top] <= NEAR_KM
    ambiguous = [ex for ex in examples if len(ex.km) > 1]
    amb_right = sum(int(np.argmax(ex.X @ w)) == ex.y for ex in ambiguous)
    return {"names": len(examples), "right": round(right / len(examples), 4),
            "within_161km": round(near / len(examples), 4), "ambiguous_names": len(ambiguous),
            "right_among_ambiguous": round(amb_right / len(ambiguous), 4) if ambiguous else None}


def _data_hash(docs: Sequence[GeoDoc]) -> str:
    h = hashlib.sha256()
    for d in docs:
        h.update(d.id.encode())
        h.update(hashlib.sha256(d.text.encode()).digest())
        for g in d.toponyms:
            h.update(f"{g.start}|{g.end}|{g.lat:.5f}|{g.lon:.5f}|{g.geonameid}".encode())
    return h.hexdigest()


def train_places(geo: Path, parse: Callable[[str], object], gaz, kb, out: Path | None = None,
                 progress: Callable[[str], None] | None = None) -> dict:
    """Build place-ranker-v1 and write its artefact and report; returns the metadata written."""
    started = time.time()
    docs = read_geo(geo)
    examples, counts = collect_examples(docs, parse, gaz, kb, progress)
    train = [ex for ex in examples if not in_test_split(ex.doc_id)]
    test = [ex for ex in examples if in_test_split(ex.doc_id)]
    rules_w = RulesRanker().w
    cv = {}
    for l2 in L2_CHOICES:
        right = 0
        for k in range(5):
            w = fit_logit([ex for ex in train if _fold(ex.doc_id) != k], l2)
            held = [ex for ex in train if _fold(ex.doc_id) == k]
            right += sum(int(np.argmax(ex.X @ w)) == ex.y for ex in held)
        cv[str(l2)] = round(right / len(train), 4)
        if progress:
            progress(f"places: L2 {l2}: cross-validated right {cv[str(l2)]}")
    # the one-standard-error rule: the strongest penalty whose cross-validated score is within one standard
    # error of the best (differences smaller than that are noise, and a weaker penalty lets the weights of
    # rare features, such as a named region's, swing from one rebuild to the next)
    top = max(cv.values())
    se = math.sqrt(top * (1 - top) / max(1, len(train)))
    l2 = max(v for v in L2_CHOICES if cv[str(v)] >= top - se)
    w = fit_logit(train, l2)
    weights = {f: round(float(x), 6) for f, x in zip(FEATURES, w)}
    exported = np.array([weights[f] for f in FEATURES])
    meta = {
        "name": PLACES_ARTEFACT, "features": list(FEATURES), "weights": weights,
        "weights_sha256": hashlib.sha256(json.dumps(weights, sort_keys=True).encode()).hexdigest(),
        "l2": l2, "cross_validated_right": cv,
        "data": {"corpora": [f"../shared/train/geo/{n}" for n in GEO_FILES], "sha256": _data_hash(docs),
                 "documents": len(docs), "counts": counts,
                 "split": {"train_names": len(train), "test_names": len(test),
                           "rule": "test: sha1(doc_id) % 5 == 0; folds: sha1('cv:' + doc_id) % 5"}},
        "scores": {"train": {"rules-v1": _scores(rules_w, train), PLACES_ARTEFACT: _scores(exported, train)},
                   "test": {"rules-v1": _scores(rules_w, test), PLACES_ARTEFACT: _scores(exported, test)}},
        "seconds": round(time.time() - started, 1), "command": "eventwire train --only places",
    }
    out = out or models_folder()
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{PLACES_ARTEFACT}.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    (out / f"{PLACES_ARTEFACT}.report.md").write_text(report_markdown(meta), encoding="utf-8")
    return meta


def report_markdown(meta: dict) -> str:
    d = meta["data"]
    lines = [f"# Training report: {meta['name']}", "",
             f"Rebuilt by `{meta['command']}` (deterministic: Newton's method from zero weights). Data sha256 "
             f"`{d['sha256'][:16]}…` ({', '.join(d['corpora'])}; Kamalloo and Rafiei, WWW 2018; Gritta, Pilehvar "
             f"and Collier, LRE 2019), weights sha256 `{meta['weights_sha256'][:16]}…`; {meta['seconds']} s.", "",
             f"{d['documents']} articles, {d['counts']['gold']} gold toponyms on the map; {d['counts']['ranked']} "
             f"found and ranked as coding ranks them; {d['counts']['no_right_candidate']} with no right candidate "
             f"(the gazetteer's ceiling). Split: {d['split']['train_names']} train names, {d['split']['test_names']} "
             f"test names ({d['split']['rule']}). L2 {meta['l2']}, chosen by cross-validation on the train side: "
             + ", ".join(f"{k}: {v}" for k, v in meta["cross_validated_right"].items()) + ".", "",
             "| split | ranker | names | right | within 161 km | ambiguous names | right among ambiguous |",
             "|---|---|---|---|---|---|---|"]
    for split, by in meta["scores"].items():
        for ranker, s in by.items():
            lines.append(f"| {split} | {ranker} | {s['names']} | {s['right']} | {s['within_161km']} | "
                         f"{s.get('ambiguous_names')} | {s.get('right_among_ambiguous')} |")
    lines += ["", "## Weights", "", "| feature | weight |", "|---|---|"]
    lines += [f"| {f} | {w} |" for f, w in meta["weights"].items()]
    return "\n".join(lines) + "\n"
