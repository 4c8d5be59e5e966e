"""Print a consistency-pass file for re-reading: id, portal date, sentence and its current label.

Usage: python tools/labelling/show_recheck.py c11-01 [--from K --to M]
"""
from __future__ import annotations

from common import FIELDS, current_labels, paged_batch


def main() -> None:
    ids, rows, shown = paged_batch()
    labels = current_labels()
    for n, item_id in enumerate(ids, 1):
        if n in shown:
            lab = labels.get(item_id)
            now = " | ".join(f"{f}={lab[f]}" for f in FIELDS) if lab else "(not labelled yet)"
            print(f"[{n}] {item_id} ({rows[item_id]['date']})\n{rows[item_id]['text']}\nnow: {now}\n")


if __name__ == "__main__":
    main()
