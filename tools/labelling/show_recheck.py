"""Print a consistency-pass file for re-reading: id, portal date, sentence and its current label.

Usage: python tools/labelling/show_recheck.py c11-01 [--from K --to M]
"""
from __future__ import annotations

import argparse

from common import FIELDS, batch_ids, current_labels, wcep_rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("batch")
    parser.add_argument("--from", dest="start", type=int, default=1, help="first item (1-based)")
    parser.add_argument("--to", dest="end", type=int, default=10**9, help="last item (inclusive)")
    args = parser.parse_args()
    ids = batch_ids(args.batch)
    rows = wcep_rows(set(ids))
    labels = current_labels()
    for n, item_id in enumerate(ids, 1):
        if args.start <= n <= args.end:
            lab = labels.get(item_id)
            now = " | ".join(f"{f}={lab[f]}" for f in FIELDS) if lab else "(not labelled yet)"
            print(f"[{n}] {item_id} ({rows[item_id]['date']})\n{rows[item_id]['text']}\nnow: {now}\n")


if __name__ == "__main__":
    main()
