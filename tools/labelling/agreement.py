"""Agreement between the two labelling passes: Cohen's kappa per scheme, and the disagreements.

Usage: python tools/labelling/agreement.py [--json] [--disagreements FILE]
Compares labels/wcep/pass2/*.jsonl with the first-pass labels of the same ids (pass1/*.jsonl).
Schemes: ACLED sub-type (with none), ACLED event vs none, ACLED event type (6 + none), PLOVER type
(with none), modality. Kappa is Cohen's: (observed - expected) / (1 - expected), with expected
agreement from each pass's own label distribution.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from common import ACLED_TYPE, LABELS, read_labels

SCHEMES = {
    "acled_subtype": lambda lab: lab["acled"],
    "acled_event": lambda lab: "event" if lab["acled"] != "none" else "none",
    "acled_type": lambda lab: ACLED_TYPE.get(lab["acled"], "none"),
    "plover_type": lambda lab: lab["plover"],
    "modality": lambda lab: lab["modality"],
}


def kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in set(first) | set(second)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def load(folder: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for lab in read_labels(path):
            out[lab["id"]] = lab
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--disagreements", help="write every item on which the passes differ to this JSONL file")
    args = parser.parse_args()
    first, second = load(LABELS / "pass1"), load(LABELS / "pass2")
    both = sorted(set(first) & set(second))
    report = {"items": len(both), "second_pass_only": len(set(second) - set(first))}
    for name, get in SCHEMES.items():
        pairs = [(get(first[i]), get(second[i])) for i in both]
        report[name] = {"kappa": round(kappa(pairs), 3),
                        "agreement": round(sum(a == b for a, b in pairs) / max(len(pairs), 1), 3)}
    if args.disagreements:
        with open(args.disagreements, "w", encoding="utf-8") as fh:
            for i in both:
                diff = [name for name, get in SCHEMES.items() if get(first[i]) != get(second[i])]
                if diff:
                    fh.write(json.dumps({"id": i, "differs": diff, "pass1": first[i], "pass2": second[i]}) + "\n")
    if args.json:
        print(json.dumps(report))
        return
    print(f"{report['items']} items labelled in both passes ({report['second_pass_only']} second-pass items "
          "still without a first pass)")
    print(f"{'scheme':<16} {'kappa':>6} {'agreement':>10}")
    for name in SCHEMES:
        print(f"{name:<16} {report[name]['kappa']:>6.3f} {report[name]['agreement']:>10.3f}")


if __name__ == "__main__":
    main()
