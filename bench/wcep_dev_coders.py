"""Each coder over the labelled WCEP sentences of the calibration (dev) split, never the test split.

Usage: python bench/wcep_dev_coders.py [--coders rules,learned,hybrid] [--wcep FILE] [--labels DIR]

Codes every dev-split sentence as an article of its own and reports, per coder: the main event's
ACLED sub-type accuracy (all sentences, and among those labelled with an ACLED event), its PLOVER
type accuracy, and the asserted events coded per 100 sentences labelled as no event at all (the
false events an analyst would have to delete). Measured here, never asserted in tests; needs
../shared/train/wcep.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from eventwire import Pipeline, Settings
    from eventwire.evaluate.events import main_event
    from eventwire.ingest import make_article
    from eventwire.learn import in_dev_split, in_test_split, read_items

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--coders", default="rules,learned,hybrid")
    parser.add_argument("--wcep", default=str(ROOT.parent / "shared/train/wcep/wcep_sentences.jsonl"))
    parser.add_argument("--labels", default=str(ROOT / "labels/wcep"))
    args = parser.parse_args()
    items = [it for it in read_items(Path(args.labels), Path(args.wcep))
             if not in_test_split(it.id) and in_dev_split(it.id)]
    print(f"{'coder':<8} {'sentences':>9} {'ACLED acc':>9} {'among events':>12} {'PLOVER acc':>10} "
          f"{'false events/100':>16} {'seconds':>8}")
    for coder in args.coders.split(","):
        pipeline = Pipeline.load(Settings(coder=coder))
        started = time.perf_counter()
        acled = plover = acled_events = n_events = false = n_none = 0
        for it in items:
            events = pipeline.code(make_article(it.text, id=it.id, language="en"))
            main, row = main_event(events), main_event(events, "acled")
            got_acled = (row.acled_sub_event_type if row else None) or "none"
            acled += got_acled == it.acled
            plover += ((main.event_type if main else None) or "none") == it.plover
            if it.acled != "none":
                n_events += 1
                acled_events += got_acled == it.acled
            if it.acled == "none" and it.plover == "none":
                n_none += 1
                false += sum(e.modality == "asserted" for e in events)
        n = len(items)
        print(f"{coder:<8} {n:>9} {acled / n:>9.3f} {acled_events / max(n_events, 1):>12.3f} {plover / n:>10.3f} "
              f"{100 * false / max(n_none, 1):>16.1f} {time.perf_counter() - started:>8.1f}")


if __name__ == "__main__":
    main()
