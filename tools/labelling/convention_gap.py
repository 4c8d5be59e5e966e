"""How far the PLOVER gold set's conventions are from our guideline's: the ceiling of a coder that
follows docs/labelling.md exactly, scored as `eventwire evaluate events` scores the coder.

Usage: python tools/labelling/convention_gap.py [--gold ../shared/eval/plover_gsr/plover_gsr.jsonl]
       [--reading eval/own/plover_gsr_guideline_reading.jsonl] [--write-merged FILE]

The reading is one labeller's reading of each gold sentence under the guideline, made blind to the gold
labels (ids were replaced and the order shuffled). The gold set stays a development set: this measures
it, nothing is trained on it. ``--write-merged`` writes the gold sentences with a ``guideline`` field
(the reading's type where its modality is asserted, else null), so that any coder can be scored against
the reading too: ``eventwire evaluate events FILE --label-field guideline --scheme plover``.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared/eval/plover_gsr/plover_gsr.jsonl")
    parser.add_argument("--reading", type=Path, default=ROOT / "eval/own/plover_gsr_guideline_reading.jsonl")
    parser.add_argument("--write-merged", type=Path)
    args = parser.parse_args()
    if not args.gold.exists():
        raise SystemExit(f"error: {args.gold} not found (the gold set lives in ../shared)")
    gold = read_jsonl(args.gold)  # a list: the set holds one id twice, and the evaluator scores both
    reading = {row["id"]: row for row in read_jsonl(args.reading)}
    missing = sorted({row["id"] for row in gold} - set(reading))
    if missing:
        raise SystemExit(f"error: {len(missing)} gold ids have no reading (first: {missing[0]})")
    pairs = []  # (gold type, the reading's type, the reading's modality)
    for row in gold:
        r = reading[row["id"]]
        pairs.append((OLD_NAMES.get(row["event"], row["event"]), r["plover"], r["modality"]))
    n = len(pairs)
    as_scored = sum(g == (t if m == "asserted" else None) for g, t, m in pairs) / n
    by_type = sum(g == t for g, t, _ in pairs) / n
    print(f"{n} gold sentences; the guideline's reading agrees with the gold type on {by_type:.4f} of them, "
          f"and on {as_scored:.4f} scored as the coder is (an event that is not asserted counts as none)")
    print("disagreements (gold, reading):")
    for (g, t), k in Counter((g, t) for g, t, _ in pairs if g != t).most_common(15):
        print(f"  {k:3d}  {g:<10} {t}")
    if args.write_merged:
        with open(args.write_merged, "w", encoding="utf-8") as fh:
            for row in gold:
                r = reading[row["id"]]
                fh.write(json.dumps({"id": row["id"], "text": row["text"],
                                     "guideline": r["plover"] if r["modality"] == "asserted" else None}) + "\n")
        print(f"wrote {args.write_merged}")


if __name__ == "__main__":
    main()
