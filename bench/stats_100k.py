"""Time `eventwire stats` (and, with --link, cross-article linking) on a store of N synthetic events.

Usage: python bench/stats_100k.py [--events 100000] [--db PATH|postgresql://...] [--link]

The generator writes articles and events straight into the store's tables (coding 100,000 real
articles would take hours and is measured by bench/ingest_speed.sh instead). Each synthetic real
event is reported by 1-5 articles on nearby days, in one of 40 countries, 16 types, two years.
Without --link the generator assigns clusters itself, as linking would; with --link the events are
left unclustered and link_events() is timed over all of them.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from eventwire.models import PLOVER_TYPES  # noqa: E402
from eventwire.store import open_store  # noqa: E402
from eventwire.store.link import link_events, refresh_clusters  # noqa: E402
from eventwire.store.query import Filters, stats  # noqa: E402

COUNTRIES = ["AFG", "BFA", "CMR", "COD", "COL", "ETH", "HTI", "IND", "IRQ", "ISR", "KEN", "LBN", "LBY", "MEX",
             "MLI", "MMR", "MOZ", "NER", "NGA", "PAK", "PHL", "PSE", "RUS", "SDN", "SOM", "SSD", "SYR", "TCD",
             "TUR", "UKR", "USA", "VEN", "YEM", "ZAF", "BRA", "BGD", "EGY", "IRN", "GBR", "FRA"]


def generate(store, n_events: int, cluster: bool, seed: int = 7) -> None:
    rnd = random.Random(seed)
    db = store.db
    start = date(2025, 1, 1)
    made = real = 0
    batch_articles, batch_events = [], []
    while made < n_events:
        real += 1
        country = rnd.choice(COUNTRIES)
        admin1 = f"{country}-A{rnd.randrange(12)}"
        etype = rnd.choice(PLOVER_TYPES)
        day = start + timedelta(days=rnd.randrange(730))
        lat, lon = rnd.uniform(-35, 60), rnd.uniform(-120, 140)
        killed = rnd.choice([None, None, 0, 1, 2, 3, 5, 8, 12, 20])
        cid = f"c-syn{real:08d}"
        for k in range(rnd.randint(1, 5)):
            if made >= n_events:
                break
            made += 1
            aid = f"syn-{made:08d}"
            pub = day + timedelta(days=rnd.randint(0, 2))
            batch_articles.append((aid, f"https://news{k}.example/{aid}", f"h{made}", f"Report {made}", f"news{k}",
                                   pub.isoformat(), None, "en", f"Synthetic report {made} about {etype}.",
                                   "bench", "2026-01-01", 1))
            rec = json.dumps({"id": f"ev-{aid}", "event_type": etype})
            batch_events.append((f"ev-{aid}", aid, etype, None, None, None, None, "asserted", day.isoformat(), "day",
                                 country, admin1, None, f"Town {real}", lat, lon, "town", 1_000_000 + real,
                                 "Actor", country, "GOV", "Target", country, "CVL",
                                 killed, killed, killed, None, None, None, 0.8, "bench", rec,
                                 cid if cluster else None))
        if len(batch_events) >= 5000 or made >= n_events:
            with db.transaction():
                db.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", batch_articles)
                db.executemany(
                    "INSERT INTO events (id, article_id, event_type, mode, acled_event_type, acled_sub_event_type, "
                    "disorder_type, modality, date, date_precision, country, admin1, admin2, place, lat, lon, "
                    "geo_precision, geonameid, actor, actor_country, actor_sector, recipient, recipient_country, "
                    "recipient_sector, killed_low, killed_best, killed_high, injured_low, injured_best, "
                    "injured_high, confidence, coder_version, record, cluster_id) VALUES "
                    f"({','.join('?' * 34)})", batch_events)
                if cluster:
                    ids = sorted({e[-1] for e in batch_events})
                    db.executemany("INSERT INTO clusters (id, event_type, n_events, n_articles) VALUES (?, 'X', 0, 0) "
                                   "ON CONFLICT (id) DO NOTHING", [(c,) for c in ids])
                    refresh_clusters(db, ids)
            batch_articles, batch_events = [], []
    return real


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db")
    ap.add_argument("--link", action="store_true")
    args = ap.parse_args()
    target = args.db or str(Path(tempfile.mkdtemp()) / "bench.db")
    store = open_store(target)
    t = time.perf_counter()
    real = generate(store, args.events, cluster=not args.link)
    print(f"generated {args.events} events ({real} real events) in {time.perf_counter() - t:.1f} s into {target}")
    if args.link:
        t = time.perf_counter()
        report = link_events(store)
        secs = time.perf_counter() - t
        print(f"link_events: {report.linked} events in {secs:.1f} s ({report.linked / secs:.0f}/s), "
              f"{report.new_clusters} clusters for {real} real events")
    for by in (["country", "month"], ["country", "admin1", "week", "type"], ["type"]):
        times = []
        for _ in range(3):
            t = time.perf_counter()
            rows = stats(store, by, Filters())
            times.append(time.perf_counter() - t)
        print(f"stats --by {','.join(by)}: {len(rows)} groups, best of 3 {min(times):.3f} s")
    t = time.perf_counter()
    rows = stats(store, ["month"], Filters(country="SOM", since="2025-06-01", until="2025-12-31"))
    print(f"stats --by month --country SOM --since/--until: {len(rows)} groups in {time.perf_counter() - t:.3f} s")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
