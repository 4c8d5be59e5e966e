"""Why the GeoVirus median-error target (<= 10 km) is out of reach without reading points off the gold.

Usage: .venv/bin/python bench/geovirus_median_bound.py [../shared/eval/geovirus/geovirus.jsonl]

Splits the scored toponyms by what they resolved to (town, admin2, admin1, country, unresolved) and
counts those within 10 km. The upper bound assumes every town, county and unresolved span were
perfect; the median is <= 10 km only when half of all scored toponyms are within 10 km. The rest
are countries and states, whose gold points are Wikipedia's article coordinates.
"""
import collections
import json
import sys

from eventwire import Pipeline
from eventwire.ingest import make_article
from eventwire.resolve.gazetteer import haversine_km
from eventwire.evaluate.places import _match
p = Pipeline.load()
by = collections.defaultdict(lambda: [0, 0]); unresolved = 0; n = 0; within = 0
for line in open(sys.argv[1] if len(sys.argv) > 1 else '../shared/eval/geovirus/geovirus.jsonl', encoding='utf-8'):
    r = json.loads(line)
    found = [pm for pm in p.places(make_article(r['text'], language='en')) if pm.place.span is not None]
    for g, pm in _match(r['toponyms'], found, overlap=True):
        if g.get('lat') is None: continue
        n += 1
        pl = pm.place
        if pl.lat is None: unresolved += 1; continue
        km = haversine_km(g['lat'], g['lon'], pl.lat, pl.lon)
        by[pl.precision][0] += 1; by[pl.precision][1] += km <= 10
        within += km <= 10
print('scored', n, 'within10', within, 'unresolved', unresolved, dict(by))
best = within + sum(v[0]-v[1] for k,v in by.items() if k in ('town','admin2')) + unresolved
print('upper bound if every town, admin2 and unresolved span were within 10 km:', best, f'{best/n:.3f}', 'needed', (n+1)//2)
