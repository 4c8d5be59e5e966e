#!/usr/bin/env bash
# Issue 4's end-to-end check on a fresh clone: `make demo` with empty caches, then ingest a folder
# holding the GeoVirus texts and ../shared/examples, stats, events --json, every export, skips, a
# count that every input is coded or listed, and finally `.ci/run`. Usage: bench/fresh_setup_check.sh
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="$(cd "$repo/../shared" 2>/dev/null && pwd)" || { echo "../shared is absent"; exit 1; }
d=$(mktemp -d /tmp/eventwire-fresh.XXXX)
git clone -q "$repo" "$d/main" && cd "$d/main" || exit 1
export EVENTWIRE_CACHE="$(mktemp -d)" PIP_NO_CACHE_DIR=1
s=$(date +%s); make demo > "$d/demo.log" 2>&1; echo "make demo rc=$? $(( $(date +%s) - s ))s"
.venv/bin/python bench/jsonl_to_dir.py "$shared/eval/geovirus/geovirus.jsonl" "$d/input/geovirus"
cp -r "$shared/examples" "$d/input/examples"
s=$(date +%s); .venv/bin/eventwire ingest "$d/input" --db "$d/ds.db" --json > "$d/ingest.json" 2> "$d/ingest.log"
echo "ingest rc=$? $(( $(date +%s) - s ))s"; cat "$d/ingest.json"
.venv/bin/eventwire stats --db "$d/ds.db" --by country > "$d/stats.txt" 2>&1; echo "stats rc=$?"
.venv/bin/eventwire events --db "$d/ds.db" --json > "$d/events.jsonl" 2> /dev/null; echo "events rc=$? $(wc -l < "$d/events.jsonl") lines"
for f in acled-csv plover-json geojson parquet jsonl; do
  .venv/bin/eventwire export --db "$d/ds.db" --format $f -o "$d/out.$f" 2>&1 | tail -1
done
.venv/bin/eventwire skips --db "$d/ds.db"
.venv/bin/python - "$d" <<'PY'
import json, pathlib, sqlite3, sys
d = pathlib.Path(sys.argv[1])
files = [p for p in (d / "input").rglob("*") if p.is_file()]
db = sqlite3.connect(d / "ds.db")
arts = db.execute("select count(*) from articles").fetchone()[0]
skips = db.execute("select count(*) from skips").fetchone()[0]
dup = json.load(open(d / "ingest.json"))["already_stored"]
print(f"input files {len(files)}; articles stored {arts}; already stored (same text) {dup}; skips {skips}; "
      f"accounted {arts + dup + skips}")
PY
s=$(date +%s); bash .ci/run > "$d/ci.log" 2>&1; echo "ci rc=$? $(( $(date +%s) - s ))s"; tail -1 "$d/ci.log"
echo "work folder: $d"
