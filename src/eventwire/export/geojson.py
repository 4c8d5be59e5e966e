"""geojson: an RFC 7946 FeatureCollection of the clusters that have coordinates."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from eventwire.export.common import (Record, ExportResult, _event, _location, _figure, _parties, _first,
                                     _publishers, _open_text, _file_writer, _dumps)


# ---------------------------------------------------------------- geojson


def geojson_feature(rec: Record) -> Record | None:
    """A Point feature with flat properties, or None when the cluster has no coordinates."""
    ev = _event(rec)
    loc = _location(ev)
    if loc.get("lat") is None or loc.get("lon") is None:
        return None
    fat, inj = rec.get("fatalities"), rec.get("injured")
    props = {
        "id": rec.get("id"), "date": ev.get("date"), "date_precision": ev.get("date_precision"),
        "event_type": ev.get("event_type"), "mode": ev.get("mode"),
        "acled_event_type": ev.get("acled_event_type"), "acled_sub_event_type": ev.get("acled_sub_event_type"),
        "actor": _first(_parties(ev, "actor")).get("name"),
        "recipient": _first(_parties(ev, "recipient")).get("name"),
        "place": loc.get("name"), "country": loc.get("country"), "country_code": loc.get("country_code"),
        "admin1": loc.get("admin1"), "admin1_code": loc.get("admin1_code"), "precision": loc.get("precision"),
        "fatalities_low": _figure(fat, "low"), "fatalities_best": _figure(fat, "best"),
        "fatalities_high": _figure(fat, "high"), "injured_low": _figure(inj, "low"),
        "injured_best": _figure(inj, "best"), "injured_high": _figure(inj, "high"),
        "n_articles": rec.get("n_articles"), "first_report": rec.get("first_report"),
        "sources": "; ".join(_publishers(rec)), "modality": ev.get("modality"),
    }
    return {"type": "Feature", "id": rec.get("id"),
            "geometry": {"type": "Point", "coordinates": [float(loc["lon"]), float(loc["lat"])]},
            "properties": props}


@_file_writer(".geojson")
def write_geojson(records: Iterable[Record], path: str | Path) -> ExportResult:
    """An RFC 7946 FeatureCollection, one feature per line; clusters without coordinates left out."""
    result, skipped = ExportResult(), 0
    with _open_text(path) as fh:
        fh.write('{"type": "FeatureCollection", "features": [')
        for rec in records:
            feature = geojson_feature(rec)
            if feature is None:
                skipped += 1
                continue
            fh.write(("," if result.written else "") + "\n" + _dumps(feature))
            result.written += 1
        fh.write("\n]}\n")
    if skipped:
        result.left_out = {"no coordinates": skipped}
    return result


