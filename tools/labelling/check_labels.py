"""Check a labels file: every id of its batch labelled exactly once, with values from the guideline.

Usage: python tools/labelling/check_labels.py labels/wcep/pass1/NN.jsonl [--batch NN]
Errors (exit 1): a missing, extra or doubled id; an unknown value. Warnings: ACLED and PLOVER labels
that the guideline says rarely go together (check them, they may be right).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common import ACLED_SUBTYPES, ACLED_TYPE, DOMAINS, FIELDS, MODALITIES, PLOVER_MODES, batch_ids, read_labels

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def problems(labels: list[dict], ids: list[str] | None) -> tuple[list[str], list[str]]:
    errors, warnings = [], []
    seen: dict[str, int] = {}
    for n, lab in enumerate(labels, 1):
        where = f"line {n} ({lab.get('id')})"
        seen[lab.get("id")] = seen.get(lab.get("id"), 0) + 1
        missing = [f for f in FIELDS if f not in lab]
        if missing:
            errors.append(f"{where}: missing {missing}")
            continue
        if lab["acled"] != "none" and lab["acled"] not in ACLED_SUBTYPES:
            errors.append(f"{where}: unknown ACLED sub-type {lab['acled']!r}")
        if lab["plover"] != "none" and lab["plover"] not in PLOVER_MODES:
            errors.append(f"{where}: unknown PLOVER type {lab['plover']!r}")
        elif lab["mode"] and lab["mode"] not in PLOVER_MODES.get(lab["plover"], []):
            errors.append(f"{where}: mode {lab['mode']!r} is not a mode of {lab['plover']}")
        if lab["modality"] not in MODALITIES:
            errors.append(f"{where}: unknown modality {lab['modality']!r}")
        if lab["domain"] not in DOMAINS:
            errors.append(f"{where}: unknown domain {lab['domain']!r}")
        kind = ACLED_TYPE.get(lab["acled"])
        if kind in VIOLENT and lab["plover"] != "ASSAULT":
            warnings.append(f"{where}: ACLED {lab['acled']} with PLOVER {lab['plover']}")
        if kind in ("Protests", "Riots") and lab["plover"] not in ("PROTEST", "ASSAULT"):
            warnings.append(f"{where}: ACLED {lab['acled']} with PLOVER {lab['plover']}")
        if lab["acled"] == "none" and lab["plover"] == "ASSAULT" and lab["domain"] not in ("crime", "justice"):
            warnings.append(f"{where}: PLOVER ASSAULT but ACLED none outside crime")
    if ids is not None:
        expected = set(ids)
        for item_id, count in seen.items():
            if item_id not in expected:
                errors.append(f"{item_id}: not in the batch")
            elif count > 1:
                errors.append(f"{item_id}: labelled {count} times")
        absent = [i for i in ids if i not in seen]
        if absent:
            errors.append(f"{len(absent)} id(s) of the batch not labelled, first: {absent[:5]}")
    return errors, warnings


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--batch", help="batch name (default: the file's stem)")
    args = parser.parse_args()
    path = Path(args.file)
    labels = read_labels(path)
    ids = batch_ids(args.batch or path.stem)
    errors, warnings = problems(labels, ids)
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    print(f"{path}: {len(labels)} label(s), {len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
