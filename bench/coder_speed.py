"""Seconds per article and peak memory of coding with each event typer (rules-v1, learned-v5).

Usage: python bench/coder_speed.py [FILE.jsonl] [--json-out FILE]
Default input: the GeoVirus texts in ../shared/eval. Each coder runs in its own process (so peak
memory is its own), loads once, codes every article, and reports the coding time alone (load time
apart), the sentences the learned typer encoded, and the peak resident memory. Measured here, never
asserted in tests.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_one(coder: str, path: str) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from eventwire import Pipeline, Settings
    from eventwire.ingest import read_inputs

    started = time.perf_counter()
    pipeline = Pipeline.load(Settings(coder=coder))
    pipeline.r  # noqa: B018 -- load before timing
    loaded = time.perf_counter() - started
    articles = read_inputs([path]).articles
    typer = pipeline.r.typer
    encoded = [0]
    if hasattr(typer, "encoder"):
        original = typer.type_sentences

        def counting(texts):
            encoded[0] += len(texts)
            return original(texts)

        typer.type_sentences = counting
    t0 = time.perf_counter()
    events = sum(len(pipeline.code(a)) for a in articles if pipeline.check(a) is None)
    seconds = time.perf_counter() - t0
    return {"coder": coder, "name": typer.name, "articles": len(articles), "events": events, "load_s": round(loaded, 2),
            "code_s": round(seconds, 2), "s_per_article": round(seconds / max(1, len(articles)), 4),
            "sentences_encoded": encoded[0],
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(ROOT.parent / "shared/eval/geovirus/geovirus.jsonl"))
    parser.add_argument("--json-out")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.file)))
        return
    rows = [json.loads(subprocess.run([sys.executable, __file__, args.file, "--one", coder], capture_output=True,
                                      text=True, check=True).stdout.splitlines()[-1]) for coder in ("rules", "learned", "hybrid")]
    print(f"{'coder':<10} {'articles':>8} {'events':>7} {'load s':>7} {'code s':>7} {'s/article':>9} "
          f"{'encoded':>8} {'peak MB':>8}")
    for r in rows:
        print(f"{r['coder']:<10} {r['articles']:>8} {r['events']:>7} {r['load_s']:>7} {r['code_s']:>7} "
              f"{r['s_per_article']:>9} {r['sentences_encoded']:>8} {r['peak_mb']:>8}")
    ratios = {r["name"]: r["s_per_article"] / max(rows[0]["s_per_article"], 1e-9) for r in rows[1:]}
    for name, ratio in ratios.items():
        print(f"{name} takes {ratio:.2f}x the coding time of {rows[0]['name']}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"rows": rows, "ratios": {k: round(v, 3) for k, v in ratios.items()}},
                                                  indent=1) + "\n")


if __name__ == "__main__":
    main()
