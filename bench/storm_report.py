"""Duplicate rate and false merges of cross-article linking on the media-storm corpus.

Usage: python bench/storm_report.py [--db PATH|postgresql://...] [tests/data/storm.jsonl]

Ingests the corpus into a fresh store and reports, for the main event (truth "storm"): how many
clusters its reports' asserted events of its type fall into (the duplicate rate: events per real
event, 1.0 is perfect) and how many of its reports are in the biggest cluster; over all clusters,
how many mix reports of different real events (false merges).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> int:
    from eventwire import Pipeline
    from eventwire.batch import ingest
    from eventwire.store import open_store

    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[1] / "tests/data/storm.jsonl"))
    ap.add_argument("--db")
    args = ap.parse_args()
    rows = [json.loads(x) for x in Path(args.corpus).read_text(encoding="utf-8").splitlines() if x.strip()]
    truth = {r["id"]: r["truth"] for r in rows}
    store = open_store(args.db or str(Path(tempfile.mkdtemp()) / "storm.db"))
    summary = ingest([args.corpus], store, Pipeline.load())
    events = store.db.rows("SELECT article_id, cluster_id, event_type FROM events WHERE modality = 'asserted'")
    labels = defaultdict(set)
    for e in events:
        labels[e["cluster_id"]].add(truth[e["article_id"]])
    mixed = [c for c, ls in labels.items() if len(ls) > 1]
    storm = [e for e in events if truth[e["article_id"]] == "storm"]
    main_type = Counter(e["event_type"] for e in storm).most_common(1)[0][0]
    clusters = Counter(e["cluster_id"] for e in storm if e["event_type"] == main_type)
    reports = sum(1 for t in truth.values() if t == "storm")
    biggest, _ = clusters.most_common(1)[0]
    in_biggest = len({e["article_id"] for e in storm if e["cluster_id"] == biggest})
    c = store.db.one("SELECT n_articles, killed_low, killed_best, killed_high FROM clusters WHERE id = ?", (biggest,))
    outlets = len({r.get("publisher") for r in rows if r["truth"] == "storm"})
    print(f"{len(rows)} articles ({reports} reports of the main event from {outlets} outlets, "
          f"{len(set(truth.values())) - 1} other events); "
          f"{summary.events} events, {store.counts()['clusters']} clusters")
    print(f"main event ({main_type}): {len(clusters)} cluster(s) for 1 real event (duplicate rate "
          f"{len(clusters):.1f}); {in_biggest}/{reports} reports in cluster {biggest} "
          f"({c['n_articles']} articles, killed low/best/high {c['killed_low']}/{c['killed_best']}/{c['killed_high']})")
    print(f"false merges: {len(mixed)} cluster(s) mixing different real events")
    other = defaultdict(set)
    for e in events:
        if truth[e["article_id"]] != "storm" and e["event_type"] in ("ASSAULT", "COERCE"):
            other[truth[e["article_id"]]].add(e["cluster_id"])
    print(f"unrelated violent events: {len(other)} events in {sum(len(v) for v in other.values())} clusters")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
