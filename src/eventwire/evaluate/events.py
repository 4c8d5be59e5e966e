"""`eventwire evaluate events`: each row's main event against a gold label.

The main event of a row is its asserted event with the highest confidence (or none). Its type is
mapped into the scheme (``plover``: the 16 PLOVER types; ``acled``: ACLED sub-event types through
the project's crosswalk) and compared with the row's label; a null or missing label means "no
event expected". For PLOVER gold that uses the older names, one fixed table maps them
(OLD_PLOVER_NAMES). Rows that carry ``source``/``target`` actor lists (the PLOVER GSR format)
are also scored for actor countries.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterable

from eventwire.errors import InputError
from eventwire.evaluate.metrics import classification_report, prf
from eventwire.ingest import make_article
from eventwire.models import Event

__all__ = ["evaluate_events", "OLD_PLOVER_NAMES", "CAMEO_COUNTRY_EXCEPTIONS", "main_event", "read_rows"]

OLD_PLOVER_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# CAMEO country codes that are not ISO 3166-1 alpha-3, and their ISO codes.
CAMEO_COUNTRY_EXCEPTIONS = {"JAP": "JPN", "ITL": "ITA", "ROM": "ROU", "SER": "SRB", "KOS": "XKX", "SAF": "ZAF",
                            "BUL": "BGR", "GER": "DEU", "UKR": "UKR", "TAW": "TWN", "PSE": "PSE", "WSB": "PSE",
                            "GZS": "PSE", "PAL": "PSE", "ZAR": "COD", "EAT": "TZA", "EAK": "KEN", "SUD": "SDN",
                            "CZR": "CZE", "MTN": "MNE", "BOS": "BIH", "IRE": "IRL", "SAU": "SAU"}


def read_rows(path: str | Path) -> list[dict]:
    """JSONL rows; a line that is not JSON stops with a clear error naming the line."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from None
    return rows


def main_event(events: Iterable[Event], scheme: str = "plover") -> Event | None:
    """The asserted event with the highest confidence (ties: the earliest); an event the typer kept
    beside its sentence's event (``Typing.secondary``: the force used on a protest, an accusation about the
    act) is never the main one,
    and for ACLED nor is an event whose ACLED row is another's (``Event.acled_row_of``: ACLED codes the
    protest, not the tear gas used on it)."""
    events = list(events)
    asserted = [e for e in events if e.modality == "asserted" and not (e.typing and e.typing.secondary)
                and not (scheme == "acled" and e.acled_row_of)]
    if not asserted:
        return None
    group: dict[str, float] = {}  # an ACLED row stands for its group: the best confidence among its members
    if scheme == "acled":
        for e in events:
            if e.modality == "asserted" and e.acled_row_of:
                group[e.acled_row_of] = max(group.get(e.acled_row_of, 0.0), e.confidence)
    return max(asserted, key=lambda e: (max(e.confidence, group.get(e.id, 0.0)), -e.trigger.start))


def _label(event: Event | None, scheme: str) -> str | None:
    if event is None:
        return None
    if scheme == "plover":
        return event.event_type
    return event.acled_sub_event_type


def _gold_label(row: dict, field: str, scheme: str) -> str | None:
    value = row.get(field)
    if value in (None, "", "none", "None", "NONE"):
        return None
    if scheme == "plover":
        value = str(value).upper()
        return OLD_PLOVER_NAMES.get(value, value)
    return str(value)


def _country_codes(entries) -> set[str]:
    import pycountry

    out = set()
    for e in entries or []:
        code = (e.get("code") or "").upper()
        code = CAMEO_COUNTRY_EXCEPTIONS.get(code, code)
        if code == "XKX" or (len(code) == 3 and pycountry.countries.get(alpha_3=code)):
            out.add(code)
    return out


def evaluate_events(pipeline, path: str | Path, label_field: str, scheme: str,
                    progress: Callable[[int, int], None] | None = None) -> tuple[dict, list[dict]]:
    """Score ``pipeline`` on the rows of ``path``; returns (report, errors)."""
    if scheme not in ("plover", "acled"):
        raise InputError(f"unknown scheme {scheme!r}", "use --scheme plover or --scheme acled")
    rows = read_rows(path)
    gold, pred, errors = [], [], []
    actors = {"source": [0, 0, 0], "target": [0, 0, 0]}
    has_actors = False
    for i, row in enumerate(rows):
        text = row.get("text") or ""
        article = make_article(text, id=str(row.get("id") or row.get("doc_id") or i), published=row.get("published"),
                               language="en")
        try:
            events = pipeline.code(article) if text.strip() else []
        except Exception as exc:  # one bad row never stops an evaluation: it scores as no event
            events = []
            row = dict(row, _error=f"{type(exc).__name__}: {exc}")
        event = main_event(events, scheme)
        g, p = _gold_label(row, label_field, scheme), _label(event, scheme)
        gold.append(g)
        pred.append(p)
        if "source" in row or "target" in row:
            has_actors = True
            _score_actors(row, event, actors)
        if g != p:
            errors.append({"id": article.id, "text": text, "gold": g, "predicted": p,
                           "evidence": [s.text for s in event.evidence] if event else [],
                           "events": [(e.event_type, e.modality, round(e.confidence, 2)) for e in events]})
        if progress:
            progress(i + 1, len(rows))
    report = classification_report(gold, pred)
    report.update({"file": str(path), "scheme": scheme, "label_field": label_field,
                   "label_map": OLD_PLOVER_NAMES if scheme == "plover" else None})
    if has_actors:
        for role in ("source", "target"):
            tp, fp, fn = actors[role]
            report[f"{role}_country_f1"] = round(prf(tp, fp, fn)[2], 4)
            report[f"{role}_country_counts"] = {"tp": tp, "fp": fp, "fn": fn}
    return report, errors


def _score_actors(row: dict, event: Event | None, counts: dict) -> None:
    """Micro-averaged set F1 of country codes: source vs actor, target vs recipient.

    Reciprocal records (markup 'SRC/TAR:') accept either role on both sides.
    """
    gold_src, gold_tgt = _country_codes(row.get("source")), _country_codes(row.get("target"))
    pred_src = {a.country for a in (event.actors if event else ()) if a.role == "actor" and a.country}
    pred_tgt = {a.country for a in (event.actors if event else ()) if a.role == "recipient" and a.country}
    if "SRC/TAR" in (row.get("markup") or ""):  # a country in either role counts for either
        pairs = {"source": (gold_src, (pred_src - gold_tgt) | (pred_tgt & gold_src)),
                 "target": (gold_tgt, (pred_tgt - gold_src) | (pred_src & gold_tgt))}
    else:
        pairs = {"source": (gold_src, pred_src), "target": (gold_tgt, pred_tgt)}
    for role, (g, p) in pairs.items():
        counts[role][0] += len(g & p)
        counts[role][1] += len(p - g)
        counts[role][2] += len(g - p)
