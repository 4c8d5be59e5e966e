"""Print a labelling batch for reading: id, portal date and sentence, one item a paragraph.

Usage: python tools/labelling/show_batch.py NN [--from K --to M]   (NN: a file in labels/wcep/batches/)
"""
from __future__ import annotations

from common import paged_batch


def main() -> None:
    ids, rows, shown = paged_batch()
    for n, item_id in enumerate(ids, 1):
        if n in shown:
            row = rows[item_id]
            print(f"[{n}] {item_id} ({row['date']})\n{row['text']}\n")


if __name__ == "__main__":
    main()
