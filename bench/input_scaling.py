"""How coding time and memory grow with the length of one article.

Usage: python bench/input_scaling.py [--json-out FILE] [--cases news,casing,killed-one,killed-many] [--repeat 1]
       [--shared ../shared]

The model and gazetteer are loaded once; each case is one ``Pipeline.code`` call on one article:

- ``news-N``: ordinary news sentences (the GeoVirus texts in ../shared/eval, joined in order, cut at a
  sentence end near N characters; without ../shared, sentences written here) for N = 12.5k, 25k, 50k,
  100k and 195k characters (195k is just under the default ``--max-chars``);
- ``casing``: the 195k news article lower-cased and in capitals, so that every line is recased before
  parsing (``news-195k-lower``, ``news-195k-upper``);
- ``killed-one``: one sentence of "killed" 10,000 times (70 KB);
- ``killed-many-N``: "killed. " N times, N = 1,000, 2,000, 4,000 and 10,000 one-word sentences.

Peak memory is the process's resident high-water mark during the call (reset before each case through
/proc/self/clear_refs on Linux; elsewhere the high-water mark of the whole run). The per-article time
budget (``max_seconds``) is switched off so that every case runs to its end. Speed is measured here and
never asserted in pytest (house rule).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from eventwire import Pipeline  # noqa: E402
from eventwire.ingest import make_article  # noqa: E402
from eventwire.settings import Settings  # noqa: E402

NEWS_LENGTHS = (12_500, 25_000, 50_000, 100_000, 195_000)
MANY_COUNTS = (1_000, 2_000, 4_000, 10_000)
# "at most linear": seconds per character at the longest news article within this factor of the shortest
LINEAR_SLACK = 2.0

# Used only where ../shared is absent: plain news sentences written for this benchmark.
OWN_SENTENCES = (
    "Gunmen attacked a police station in the northern town of Kano on Tuesday, killing four officers, "
    "a police spokesman said.",
    "The army said it had arrested 12 suspects after the raid and recovered a cache of weapons.",
    "Hundreds of people marched through the capital on Saturday to protest against rising fuel prices.",
    "Police fired tear gas to disperse the crowd outside parliament and detained 30 demonstrators.",
    "The foreign minister met his Kenyan counterpart in Nairobi to discuss the ceasefire.",
    "Both sides agreed to resume talks next month, according to a joint statement.",
    "An air strike hit a market in the rebel-held district, the health ministry said, killing at least nine.",
    "The government denied carrying out the strike and accused the rebels of shelling the area.",
    "Aid agencies warned that thousands of families had fled their homes since the fighting began.",
    "The United Nations called for an independent investigation into the deaths.",
)


def news_text(length: int, shared: Path) -> tuple[str, str]:
    """About ``length`` characters of news sentences, and where they came from."""
    path = shared / "eval" / "geovirus" / "geovirus.jsonl"
    if path.exists():
        texts = [json.loads(line)["text"].strip() for line in path.open(encoding="utf-8") if line.strip()]
        source = "GeoVirus articles"
    else:
        texts = [" ".join(OWN_SENTENCES)]
        source = "the benchmark's own sentences"
    parts: list[str] = []
    size = 0
    i = 0
    while size < length:
        parts.append(texts[i % len(texts)])
        size += len(parts[-1]) + 2
        i += 1
    text = "\n\n".join(parts)
    cut = max(text.rfind(". ", 0, length), text.rfind(".\n", 0, length))
    return (text[:cut + 1] if cut > 0 else text[:length]), source


def cases(which: set[str], shared: Path) -> list[tuple[str, str, str]]:
    """(name, text, note) for each case asked for."""
    out = []
    if "news" in which:
        for n in NEWS_LENGTHS:
            text, source = news_text(n, shared)
            out.append((f"news-{n // 1000 if n % 1000 == 0 else n / 1000:g}k", text, source))
    if "casing" in which:  # every line recased before parsing (nlp/casing.py)
        text, source = news_text(NEWS_LENGTHS[-1], shared)
        out.append(("news-195k-lower", text.lower(), source + ", lower-cased"))
        out.append(("news-195k-upper", text.upper(), source + ", in capitals"))
    if "killed-one" in which:
        out.append(("killed-one", " ".join(["killed"] * 10_000) + ".", "one sentence, 10,000 words"))
    if "killed-many" in which:
        for n in MANY_COUNTS:
            out.append((f"killed-many-{n}", " ".join(["killed."] * n), f"{n:,} one-word sentences"))
    return out


def _rss_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure(pipeline: Pipeline, name: str, text: str, repeat: int) -> dict:
    article = make_article(text, id=name, language="en")
    best = None
    for _ in range(repeat):
        reset = _reset_peak()
        before = _rss_mb("VmRSS")
        started = time.perf_counter()
        events = pipeline.code(article)
        seconds = time.perf_counter() - started
        peak = _rss_mb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        row = {"case": name, "chars": len(text), "seconds": round(seconds, 3),
               "seconds_per_10k_chars": round(seconds / len(text) * 10_000, 4),
               "peak_mb": round(peak, 1) if peak is not None else None,
               "peak_growth_mb": round(peak - before, 1) if reset and peak is not None and before else None,
               "events": len(events)}
        if best is None or row["seconds"] < best["seconds"]:
            best = row
    return best


def verdict(rows: list[dict]) -> str:
    news = [r for r in rows if r["case"].startswith("news-") and r["case"].endswith("k")]  # ordinary casing
    if len(news) < 2:
        return "not judged: fewer than two news lengths measured"
    first, last = min(news, key=lambda r: r["chars"]), max(news, key=lambda r: r["chars"])
    ratio = last["seconds_per_10k_chars"] / max(first["seconds_per_10k_chars"], 1e-9)
    ok = ratio <= LINEAR_SLACK
    return (f"{'at most linear' if ok else 'FASTER THAN LINEAR'}: time per character at {last['chars']:,} chars "
            f"is {ratio:.2f}x that at {first['chars']:,} (limit {LINEAR_SLACK:g}x)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json-out", help="write the rows and the verdict to this JSON file")
    ap.add_argument("--cases", default="news,casing,killed-one,killed-many",
                    help="comma-separated: news, casing, killed-one, killed-many")
    ap.add_argument("--repeat", type=int, default=1, help="runs per case; the fastest is kept")
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"),
                    help="the shared data folder (default: ../shared beside the repository)")
    args = ap.parse_args(argv)
    which = {c.strip() for c in args.cases.split(",") if c.strip()}
    overrides = {"max_seconds": 0} if "max_seconds" in Settings.__dataclass_fields__ else {}
    load_started = time.perf_counter()
    pipeline = Pipeline.load(Settings(**overrides))
    pipeline.code(make_article("Police arrested two men in Nairobi on Monday.", language="en"))  # warm up
    print(f"model and gazetteer loaded in {time.perf_counter() - load_started:.1f} s", file=sys.stderr)
    rows = []
    header = f"{'case':<18}{'chars':>9}{'seconds':>10}{'s/10k chars':>13}{'peak MB':>10}{'growth MB':>11}{'events':>8}"
    print(header)
    print("-" * len(header))
    for name, text, note in cases(which, Path(args.shared)):
        row = measure(pipeline, name, text, args.repeat)
        row["text"] = note
        rows.append(row)
        growth = row["peak_growth_mb"]
        print(f"{name:<18}{row['chars']:>9,}{row['seconds']:>10.2f}{row['seconds_per_10k_chars']:>13.3f}"
              f"{row['peak_mb'] if row['peak_mb'] is not None else '-':>10}"
              f"{growth if growth is not None else '-':>11}{row['events']:>8}", flush=True)
    line = verdict(rows)
    print(line)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"rows": rows, "verdict": line}, indent=2) + "\n",
                                       encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
