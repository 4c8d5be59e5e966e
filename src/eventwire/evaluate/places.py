"""`eventwire evaluate places`: toponym recognition and resolution against gold spans and points.

It scores exactly the output of `eventwire places` (``Pipeline.geoparse``): every toponym, whatever its role.

Rows are ``{text, toponyms: [{start, end, lat, lon, country?, admin1?, geonameid?}]}``. Spans match
exactly or by overlap (each gold span matched at most once). Over matched spans with gold
coordinates: accuracy within 161 km, median and mean error, and the AUC of the log-error curve
(Gritta et al. 2018: mean of ln(1 + km) / ln(20039); lower is better). Country and admin1 accuracy
are computed where the gold gives them, comparing normalised names and codes.
"""
from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Callable

from eventwire.evaluate.events import read_rows
from eventwire.evaluate.metrics import bootstrap_ci, prf
from eventwire.ingest import make_article
from eventwire.models import Toponym
from eventwire.resolve.gazetteer import haversine_km, norm_key

__all__ = ["evaluate_places", "MAX_KM"]

MAX_KM = 20039.0


def _match(gold: list[dict], found: list[Toponym], overlap: bool) -> list[tuple[dict, Toponym]]:
    pairs, used = [], set()
    for g in gold:
        for i, t in enumerate(found):
            if i in used:
                continue
            s, e = t.span.start, t.span.end
            hit = (s < g["end"] and g["start"] < e) if overlap else (s == g["start"] and e == g["end"])
            if hit:
                pairs.append((g, t))
                used.add(i)
                break
    return pairs


def _same_country(gold: str, place, gazetteer) -> bool:
    import pycountry

    want = {norm_key(gold)}
    try:
        c = pycountry.countries.lookup(gold)
        want |= {norm_key(c.alpha_2), norm_key(c.alpha_3), norm_key(c.name)}
    except LookupError:
        pass
    have = {norm_key(place.country_code or ""), norm_key(place.country or "")}
    cc2 = gazetteer.cc3_to_cc2.get(place.country_code or "")
    if cc2:
        have.add(norm_key(cc2))
    return bool(want & have - {""})


def _same_admin1(gold: str, place, gazetteer) -> bool:
    if not place.admin1:
        return False
    a, b = norm_key(gold), norm_key(place.admin1)
    if a == b or a in b or b in a:
        return True
    return any(c.kind == "admin1" and (norm_key(c.admin1 or "") == b or (
        c.admin1_iso is not None and c.admin1_iso == place.admin1_code)) for c in gazetteer.lookup(gold))


def evaluate_places(pipeline, path: str | Path, progress: Callable[[int, int], None] | None = None
                    ) -> tuple[dict, list[dict]]:
    rows = read_rows(path)
    n_gold = n_pred = exact_tp = overlap_tp = 0
    errors_km, country_hits, admin_hits, errors = [], [], [], []
    for i, row in enumerate(rows):
        article = make_article(row.get("text") or "", id=str(row.get("doc_id") or row.get("id") or i), language="en")
        found = pipeline.geoparse(article)  # exactly what `eventwire places` reports
        gold = row.get("toponyms") or []
        n_gold += len(gold)
        n_pred += len(found)
        exact_tp += len(_match(gold, found, overlap=False))
        pairs = _match(gold, found, overlap=True)
        overlap_tp += len(pairs)
        matched = {id(g) for g, _ in pairs}
        for g, p in pairs:
            km = None
            if g.get("lat") is not None and g.get("lon") is not None and p.lat is not None:
                km = haversine_km(g["lat"], g["lon"], p.lat, p.lon)
                errors_km.append(km)
            elif g.get("lat") is not None:
                km = MAX_KM
                errors_km.append(km)
            if g.get("country"):
                country_hits.append(1.0 if _same_country(g["country"], p, pipeline.r.gazetteer) else 0.0)
            if g.get("admin1"):
                admin_hits.append(1.0 if _same_admin1(g["admin1"], p, pipeline.r.gazetteer) else 0.0)
            if km is not None and km > 161:
                errors.append({"doc": article.id, "kind": "far", "text": p.text, "km": round(km),
                               "predicted": [p.name, p.country_code, p.admin1, p.lat, p.lon],
                               "gold": [g.get("lat"), g.get("lon"), g.get("wikipedia") or g.get("country")]})
        for g in gold:
            if id(g) not in matched:
                errors.append({"doc": article.id, "kind": "missed", "text": g.get("name") or
                               article.text[g["start"]:g["end"]],
                               "context": article.text[max(0, g["start"] - 60):g["end"] + 60]})
        if progress:
            progress(i + 1, len(rows))
    precision, recall, f1 = prf(overlap_tp, n_pred - overlap_tp, n_gold - overlap_tp)
    ep, er, ef = prf(exact_tp, n_pred - exact_tp, n_gold - exact_tp)
    within = [1.0 if km <= 161 else 0.0 for km in errors_km]
    report = {
        "file": str(path), "n_docs": len(rows), "n_gold": n_gold, "n_predicted": n_pred,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "exact_precision": round(ep, 4), "exact_recall": round(er, 4), "exact_f1": round(ef, 4),
        "n_scored_km": len(errors_km),
        "acc_161km": round(sum(within) / len(within), 4) if within else None,
        "acc_161km_ci95": list(bootstrap_ci(within)) if within else None,
        "median_km": round(statistics.median(errors_km), 1) if errors_km else None,
        "mean_km": round(statistics.fmean(errors_km), 1) if errors_km else None,
        "auc": round(statistics.fmean(math.log(1 + km) / math.log(MAX_KM) for km in errors_km), 4)
        if errors_km else None,
        "country_acc": round(sum(country_hits) / len(country_hits), 4) if country_hits else None,
        "admin1_acc": round(sum(admin_hits) / len(admin_hits), 4) if admin_hits else None,
    }
    return report, errors
