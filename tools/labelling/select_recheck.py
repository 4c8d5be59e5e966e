"""List the labelled ids a guideline change can touch, for a consistency pass (re-reading them under it).

Usage: python tools/labelling/select_recheck.py v11 [--per-file 120]
Writes labels/wcep/batches/cVV-NN.ids. The patterns only find candidates to re-read, over every id of
the sample (all rounds); a re-reader decides each label under the new version of docs/labelling.md.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from common import wcep_rows

ROOT = Path(__file__).resolve().parents[2]
# v11: the PLOVER manual's SUPPORT, CONCEDE and AID (signing, recognition, lifting restrictions, pardons,
# asylum, peacekeepers)
CHANGES = {
    "v11": [
        r"\b(sign(s|ed|ing)?|ratif\w+|ink(s|ed)?)\b[^.]{0,60}\b(agreement|accord|treaty|deal|pact|protocol|"
        r"memorandum|convention|ceasefire|cease-fire|truce|charter|declaration)",
        r"\b(lift(s|ed|ing)?|eas(e|es|ed|ing)|relax(es|ed|ing)?|end(s|ed)?|revok(e|es|ed)|rescind\w*)\b[^.]{0,40}"
        r"\b(curfew|state of emergency|martial law|ban|restrictions?|blockade|sanctions|embargo|lockdown)",
        r"\b(pardon\w*|amnest\w*|commut(e|es|ed|ation))\b",
        r"\basylum\b",
        r"\bpeacekeep\w*",
        r"\b(recogni[sz](e|es|ed|ing|ition))\b[^.]{0,40}\b(state|government|independence|sovereignty)|"
        r"diplomatic (ties|relations)",
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("version", choices=sorted(CHANGES))
    parser.add_argument("--per-file", type=int, default=120)
    args = parser.parse_args()
    sample = [json.loads(line) for line in (ROOT / "labels/wcep/sample.jsonl").read_text().splitlines() if line]
    ids = [row["id"] for row in sample]
    texts = wcep_rows(set(ids))
    rx = [re.compile(p, re.I) for p in CHANGES[args.version]]
    chosen = [i for i in ids if any(r.search(texts[i]["text"]) for r in rx)]
    out = ROOT / "labels/wcep/batches"
    for k in range(0, len(chosen), args.per_file):
        name = out / f"c{args.version[1:]}-{k // args.per_file + 1:02d}.ids"
        name.write_text("".join(i + "\n" for i in chosen[k:k + args.per_file]), encoding="utf-8")
    print(f"{len(chosen)} ids to re-read in {(len(chosen) + args.per_file - 1) // args.per_file} files")


if __name__ == "__main__":
    main()
