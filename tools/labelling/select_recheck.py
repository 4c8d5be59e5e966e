"""List the labelled ids a guideline change can touch, for a consistency pass (re-reading them under it).

Usage: python tools/labelling/select_recheck.py v11 [--per-file 120] [--except c11]
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
    # v11b: what the v11 patterns missed (a review found them): the agreement named before its verb ("the
    # accord was signed"), "finalise", a restriction named before "lifted", the noun "recognition"; and
    # every peacekeeper sentence again for its ACLED code (sent: none; attacked: the violence)
    "v11b": [
        r"\b(agreement|accord|treaty|deal|pact|protocol|memorandum|convention|ceasefire|cease-fire|truce)\b"
        r"[^.]{0,60}\b(signed|ratified|inked|concluded|finali[sz]ed)\b",
        r"\bfinali[sz](e|es|ed|ing)\b",
        r"\b(curfew|state of emergency|martial law|ban|restrictions|blockade|embargo|sanctions)\b[^.]{0,40}"
        r"\b(lifted|eased|relaxed|ended|revoked|rescinded)\b",
        r"\brecognition\b",
        r"\bpeacekeep\w*",
    ],
    # v12: resignations (tied to a cause: RETREAT/resign; none; in protest: PROTEST/boycott)
    "v12": [r"\bresign(s|ed|ing|ation|ations)?\b|\bsteps? down\b|\bstepped down\b|\bquit(s)?\b"],
}

# ids whose label is read again even when an earlier pass read them (a point that pass left split)
AGAIN = {"v11b": r"\bpeacekeep\w*"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("version", choices=sorted(CHANGES))
    parser.add_argument("--per-file", type=int, default=120)
    parser.add_argument("--except", dest="skip", help="leave out the ids already in these batch files (a prefix, "
                                                      "e.g. c11); patterns marked to be read again are kept")
    args = parser.parse_args()
    sample = [json.loads(line) for line in (ROOT / "labels/wcep/sample.jsonl").read_text().splitlines() if line]
    ids = [row["id"] for row in sample]
    texts = wcep_rows(set(ids))
    rx = [re.compile(p, re.I) for p in CHANGES[args.version]]
    out = ROOT / "labels/wcep/batches"
    earlier = sorted(out.glob(f"{args.skip}-*.ids")) if args.skip else []
    if args.skip and not earlier:
        raise SystemExit(f"select_recheck: no batch files {args.skip}-*.ids in {out}")
    done = {line.strip() for f in earlier for line in f.read_text().splitlines()}
    again = re.compile(AGAIN.get(args.version, r"(?!)"), re.I)
    chosen = [i for i in ids if any(r.search(texts[i]["text"]) for r in rx)
              and (i not in done or again.search(texts[i]["text"]))]
    for k in range(0, len(chosen), args.per_file):
        name = out / f"c{args.version[1:]}-{k // args.per_file + 1:02d}.ids"
        name.write_text("".join(i + "\n" for i in chosen[k:k + args.per_file]), encoding="utf-8")
    print(f"{len(chosen)} ids to re-read in {(len(chosen) + args.per_file - 1) // args.per_file} files")


if __name__ == "__main__":
    main()
