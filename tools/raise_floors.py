#!/usr/bin/env python3
"""Raise the floors in eval/floors.json to the current development scores (never lower them).

usage: .venv/bin/python tools/raise_floors.py [eval/floors.json]
Scores are rounded toward the safe side (down for floors, up for the lower-is-better ceilings),
to two decimals (one for kilometres), so a rerun of the same code passes the gate.
"""
import json
import math
import sys
from pathlib import Path

from eventwire.evaluate import LOWER_IS_BETTER, load_floors, run_evaluation
from eventwire.pipeline import Pipeline


def safe(value: float, metric: str) -> float:
    scale = 10 if metric.endswith("_km") else 100
    if metric in LOWER_IS_BETTER:
        return math.ceil(value * scale) / scale
    return math.floor(value * scale) / scale


def main(path: str = "eval/floors.json") -> int:
    config = load_floors(path)
    base = Path(path).resolve().parent
    pipeline = Pipeline.load()
    for name, spec in config.items():
        if name.startswith("_"):
            continue
        report, _ = run_evaluation(pipeline, spec["command"], str((base / spec["file"]).resolve()),
                                   spec.get("label_field"), spec.get("scheme"))
        for metric, floor in spec["floors"].items():
            new = safe(report[metric], metric)
            better = new < floor if metric in LOWER_IS_BETTER else new > floor
            if better:
                print(f"{name}.{metric}: {floor} -> {new}")
                spec["floors"][metric] = new
    Path(path).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
