"""Shared by the labelling tools: the label vocabulary and the WCEP text, read from ../shared."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WCEP = ROOT.parent / "shared" / "train" / "wcep" / "wcep_sentences.jsonl"
LABELS = ROOT / "labels" / "wcep"

ACLED = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"],
}
ACLED_SUBTYPES = [s for subs in ACLED.values() for s in subs]
ACLED_TYPE = {s: t for t, subs in ACLED.items() for s in subs}
PLOVER_MODES = {
    "AGREE": [], "CONSULT": ["visit", "third-party", "multilateral", "phone"], "SUPPORT": [], "CONCEDE": [],
    "COOPERATE": [], "AID": ["economic", "military", "humanitarian", "asylum"],
    "RETREAT": ["withdraw", "release", "disarm", "ceasefire", "access", "resign"],
    "REQUEST": ["assist", "change", "yield", "meet"], "ACCUSE": ["disapprove", "investigate", "allege"],
    "REJECT": ["assist", "change", "yield", "meet"], "SANCTION": ["convict", "expel", "withdraw", "discontinue"],
    "THREATEN": ["restrict", "arrest", "relations", "expel", "territory", "violence"],
    "PROTEST": ["demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"],
    "MOBILIZE": ["troops", "weapons", "police", "militia"],
    "COERCE": ["seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"],
    "ASSAULT": ["abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms", "explosives",
                "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control", "unconventional"],
}
MODALITIES = ["asserted", "negated", "hypothetical", "future", "historical"]
DOMAINS = ["conflict", "protest", "politics", "diplomacy", "crime", "justice", "disaster", "accident", "health",
           "business", "sport", "science", "culture", "other"]
FIELDS = ("acled", "plover", "mode", "modality", "domain")


def wcep_rows(ids: set[str] | None = None) -> dict[str, dict]:
    """WCEP rows by id (only those asked for, when ids is given)."""
    rows = {}
    with open(WCEP, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if ids is None or row["id"] in ids:
                rows[row["id"]] = row
    return rows


def read_labels(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def batch_ids(name: str) -> list[str]:
    path = LABELS / "batches" / f"{name}.ids"
    if not path.is_file():
        raise SystemExit(f"no batch {name!r}: {path} does not exist (batches are the .ids files there)")
    return [x for x in path.read_text().split() if x]


def current_labels() -> dict[str, dict]:
    """Each labelled id's label as training reads it (``eventwire.learn.label_rows``)."""
    from eventwire.learn import label_rows

    return label_rows(LABELS)


def paged_batch() -> tuple[list[str], dict[str, dict], range]:
    """The command line of the printing tools: a batch name and --from/--to; returns the batch's ids,
    their WCEP rows and the item numbers (1-based) to print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("batch")
    parser.add_argument("--from", dest="start", type=int, default=1, help="first item (1-based)")
    parser.add_argument("--to", dest="end", type=int, default=10**9, help="last item (inclusive)")
    args = parser.parse_args()
    ids = batch_ids(args.batch)
    return ids, wcep_rows(set(ids)), range(args.start, args.end + 1)
