"""Print a labelling batch for reading: id, portal date and sentence, one item a paragraph.

Usage: python tools/labelling/show_batch.py NN [--from K --to M]   (NN: a file in labels/wcep/batches/)
"""
from __future__ import annotations

import argparse

from common import batch_ids, wcep_rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("batch")
    parser.add_argument("--from", dest="start", type=int, default=1, help="first item (1-based)")
    parser.add_argument("--to", dest="end", type=int, default=10**9, help="last item (inclusive)")
    args = parser.parse_args()
    ids = batch_ids(args.batch)
    rows = wcep_rows(set(ids))
    for n, item_id in enumerate(ids, 1):
        if args.start <= n <= args.end:
            row = rows[item_id]
            print(f"[{n}] {item_id} ({row['date']})\n{row['text']}\n")


if __name__ == "__main__":
    main()
