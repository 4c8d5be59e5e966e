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
# v13's crime test leaves these out: an armed group, a war zone or a stated cause is named, so the act stays an
# ACLED event; and protests and riots (crowds, not a lone attacker)
_CONFLICT = (r"militants?|rebels?|insurgen\w*|taliban|isis|isil|islamic state|al[- ]qaeda|al[- ]shabaab|boko haram|"
             r"jihad\w*|terror\w*|hamas|hezbollah|separatists?|guerrillas?|militias?|air ?strikes?|airstrikes?|troops|"
             r"palestin\w*|west bank|gaza|afghan\w*|iraq\w*|syria\w*|somali\w*|yemen\w*")
_PROTEST = r"protest\w*|demonstrat\w*|riot\w*|rally|rallies|marchers|clash\w*|mob"
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
    # v13: the crime test first (a lone attacker with no stated cause outside an armed conflict is none, police
    # and soldiers as victims included), outside sentences naming an armed group or a war zone; and a denial
    # in the first sentence (a denial reported alone labels the act, negated)
    "v13": [
        r"^(?!.*\b(" + _CONFLICT + r")\b).*\b(gunman|shooter|knifeman|lone (gunman|attacker|wolf|shooter|assailant)|"
        r"attacker|assailant|stabb\w*|knife|rammed|rams (into|a|an|the|his|her)|ramming|"
        r"(mass|school|spree|workplace) shootings?|(shooting|killing) spree|gun attack)\b",
        r"^(?!.*\b(" + _CONFLICT + "|" + _PROTEST + r")\b).*\barson\w*",
        r"^(?!.*\b(" + _CONFLICT + "|" + _PROTEST + r")\b).*\b(a|an|one)( \w+)? (man|woman|teenager|boy|student|"
        r"soldier|officer|policeman|guard)\b[^.]{0,40}\b(opens? fire|opened fire|shoots?|shot)\b",
        r"^(?:[^.]|\.(?!\s+[A-Z\"]))*?\b(den(y|ies|ied|ying|ial|ials)\b(?!-of-service|\s+(bail|entry|access|a visa|"
        r"visas?|asylum|permission|approval|the request|a request|an appeal|release|licen[cs]es?|shelter|"
        r"(him|her|them|it) (bail|entry|access|a visa|permission))\b)|insists?\b[^.]{0,60}\b(not|no|never)\b|rejects? (the )?(claims?|allegations?|reports?|accusations?)|"
        r"refut(e|es|ed|ing)\b)",
    ],
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
