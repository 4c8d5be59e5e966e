#!/usr/bin/env bash
# Ingest throughput (articles per second) and peak memory of `eventwire ingest` into a fresh SQLite
# store, over the GeoVirus texts written out as one .txt file each, plus ../shared/examples.
# Usage: bench/ingest_speed.sh [FILE.jsonl]
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-../shared/eval/geovirus/geovirus.jsonl}
work=$(mktemp -d)
.venv/bin/python bench/jsonl_to_dir.py "$file" "$work/texts"
inputs=("$work/texts")
[ -d ../shared/examples ] && inputs+=(../shared/examples)
log="$work/time.log"
/usr/bin/time -v .venv/bin/eventwire ingest "${inputs[@]}" --db "$work/bench.db" --json > "$work/summary.json" 2> "$log"
kb=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
python3 - "$work/summary.json" "$kb" "$wall" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
kb, wall = int(sys.argv[2]), float(sys.argv[3])
done = s["new"] + s["updated"]
print(f"{s['inputs']} inputs: {done} coded, {s['already_stored']} already stored, {s['skipped']} skipped; "
      f"{s['events']} events, {s['store']['clusters']} clusters")
print(f"ingest (coding + storing + linking) {s['seconds']:.1f} s: {done / s['seconds']:.1f} articles/s; "
      f"whole command incl. model load {wall:.1f} s; peak memory {kb / 1024:.0f} MiB")
PY
rm -rf "$work"
