"""Write each row of a JSONL file of articles as one .txt file (title line, blank line, body).

Usage: python bench/jsonl_to_dir.py ../shared/eval/geovirus/geovirus.jsonl OUT_DIR
The GeoVirus rows have no title: the first sentence-ish line of the text is used as the file's title.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def main(src: str, out: str) -> int:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for i, line in enumerate(Path(src).read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        name = str(row.get("doc_id") or row.get("id") or f"row-{i:05d}")
        title = (row.get("title") or "").strip()
        text = row.get("text") or ""
        if not title:
            first, _, rest = text.strip().partition("\n")
            title, text = (first, rest) if rest.strip() else (name, text)
        (folder / f"{name}.txt").write_text(f"{title}\n\n{text.strip()}\n", encoding="utf-8")
        n += 1
    print(f"{n} files written to {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
