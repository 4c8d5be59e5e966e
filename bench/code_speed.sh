#!/usr/bin/env bash
# Seconds per article and peak memory of `eventwire code` over a JSONL file of articles
# (default: the GeoVirus texts in ../shared/eval). Usage: bench/code_speed.sh [FILE.jsonl]
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-../shared/eval/geovirus/geovirus.jsonl}
n=$(grep -c . "$file")
log=$(mktemp)
/usr/bin/time -v .venv/bin/eventwire code "$file" --json > /dev/null 2> "$log"
secs=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
kb=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
grep "^eventwire:" "$log" || true
python3 - "$n" "$secs" "$kb" <<'PY'
import sys
n, secs, kb = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"{n} articles in {secs:.1f} s (model and gazetteer load included): {secs / n:.3f} s/article; "
      f"peak memory {kb / 1024:.0f} MiB")
PY
