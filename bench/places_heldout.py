"""Place resolution on the held-out fifth of the geoparsing training corpora, with each place ranker.

Usage: python bench/places_heldout.py [--geo ../shared/train/geo] [--json-out FILE]

The test split of TR-News and GeoWebNews (one article in five by a hash of its id; never trained on,
never used to choose) is coded as ``eventwire evaluate places`` codes a file, once with rules-v1 and once
with place-ranker-v1: toponym recall and precision, the share within 161 km, the median error and the country
accuracy (where the gold toponym's GeoNames id is in the gazetteer). Measured here, never asserted in
tests; needs ../shared/train/geo.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("n_docs", "n_gold", "precision", "recall", "f1", "acc_161km", "median_km", "auc", "country_acc")


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from eventwire import Pipeline, Settings
    from eventwire.evaluate import run_evaluation
    from eventwire.learn_places import heldout_rows, read_geo

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--geo", default=str(ROOT.parent / "shared/train/geo"))
    parser.add_argument("--json-out")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "heldout.jsonl"
        for ranker in ("rules", "learned"):
            pipeline = Pipeline.load(Settings(places=ranker))
            if not path.exists():
                rows = heldout_rows(read_geo(Path(args.geo)), pipeline.r.gazetteer)
                path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            report, _ = run_evaluation(pipeline, "places", str(path))
            results[pipeline.r.ranker.name] = {k: report.get(k) for k in KEYS}
    print(f"{'ranker':16} " + " ".join(f"{k:>10}" for k in KEYS))
    for name, r in results.items():
        print(f"{name:16} " + " ".join(f"{str(r[k]):>10}" for k in KEYS))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
