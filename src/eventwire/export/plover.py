"""plover-json: a JSON array of PLOVER records, one per cluster."""
from __future__ import annotations

import calendar
from pathlib import Path
from typing import Iterable

from eventwire.models import FEATURE_CODES, http_url
from eventwire.export.common import (Record, ExportResult, _event, _day, _figure, _publisher, _open_text,
                                     _file_writer, _dumps)
from eventwire.export.summary import summary_sentence

# ---------------------------------------------------------------- plover-json

_RESOLUTION = {"country": 1, "admin1": 2, "admin2": 3, "near": 4, "town": 4, "exact": 5}


def _enddate(ev: Record) -> str | None:
    d = _day(ev.get("date"))
    if d is None:
        return None
    precision = ev.get("date_precision")
    if precision == "month":
        d = d.replace(day=calendar.monthrange(d.year, d.month)[1])
    elif precision == "year":
        d = d.replace(month=12, day=31)
    return d.isoformat()


def _plover_actor(actor: Record) -> Record:
    return {"code": actor.get("country"), "sector": actor.get("sector"), "actor_text": actor.get("text"),
            "identifier_text": actor.get("name"), "eventwire_code": actor.get("code"),
            "associated_country": actor.get("associated_country")}


def _plover_actors(ev: Record, role: str) -> list[Record]:
    """Every actor in ``role`` the coder resolved at all (a name, country or sector)."""
    return [_plover_actor(a) for a in ev.get("actors") or []
            if a.get("role") == role and (a.get("name") or a.get("country") or a.get("sector"))]


def _plover_location(ev: Record) -> Record | None:
    loc = ev.get("location")
    if not loc:
        return None
    precision = loc.get("precision")
    return {"resolved_place": loc.get("name"), "geonameid": loc.get("geonameid"),
            "lat": loc.get("lat"), "lon": loc.get("lon"),
            "city": loc.get("name") if precision in ("town", "near", "exact") else None,
            "region": loc.get("admin1"), "country": loc.get("country_code"),
            "country_name": loc.get("country"), "feature_code": FEATURE_CODES.get(loc.get("feature") or ""),
            "resolution": _RESOLUTION.get(precision or ""), "place_text": loc.get("text")}


def _sentences(ev: Record) -> list[Record]:
    """Evidence spans not inside another evidence span: the sentences, without the trigger words."""
    spans = sorted({(s["start"], s["end"], s["text"]) for s in ev.get("evidence") or []})
    return [{"start": s, "end": e, "text": t} for s, e, t in spans
            if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in spans)]


def plover_record(rec: Record) -> Record:
    """A PLOVER record (PLOVER's field names) for one cluster."""
    ev = _event(rec)
    sentences = _sentences(ev)
    return {
        "id": rec.get("id"),
        "date": ev.get("date"),
        "enddate": _enddate(ev),
        "actor": _plover_actors(ev, "actor"),
        "recipient": _plover_actors(ev, "recipient"),
        "event": ev.get("event_type"),
        "mode": ev.get("mode"),
        "context": list(ev.get("contexts") or []),
        "event_text": [s["text"] for s in sentences],
        "quad_code": ev.get("quad_class"),
        "event_scale": None,
        "size": {"dead": _figure(rec.get("fatalities"), "best"), "injured": _figure(rec.get("injured"), "best"),
                 "arrested": _figure(ev.get("arrested"), "best")},
        "location": _plover_location(ev),
        "text_info": [{"article_id": ev.get("article_id"), "start": s["start"], "end": s["end"]} for s in sentences],
        "cite_info": [{"citation": s.get("article_id"), "url": http_url(s.get("url")), "title": s.get("title"),
                       "publication": _publisher(s), "published": s.get("published")}
                      for s in rec.get("sources") or []],
        "coder": f"eventwire {rec.get('coder_version') or (ev.get('coder') or {}).get('eventwire', '')}".strip(),
        "comment": summary_sentence(rec),
        "modality": ev.get("modality"),
        "confidence": ev.get("confidence"),
        "n_articles": rec.get("n_articles"),
        "first_report": rec.get("first_report"),
    }




@_file_writer(".json")
def write_plover_json(records: Iterable[Record], path: str | Path) -> ExportResult:
    """A JSON array with one PLOVER record per line."""
    result = ExportResult()
    with _open_text(path) as fh:
        fh.write("[")
        for rec in records:
            fh.write(("," if result.written else "") + "\n" + _dumps(plover_record(rec)))
            result.written += 1
        fh.write("\n]\n")
    return result


