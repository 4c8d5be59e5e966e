"""parquet (one typed row per cluster) and jsonl (the records unchanged, the lossless format)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

from eventwire.errors import InputError
from eventwire.export.common import (Record, ExportResult, _event, _location, _day, _figure, _parties, _first,
                                     _publishers, _open_text, _file_writer, _dumps)


# ---------------------------------------------------------------- parquet

_PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("cluster_id", "string"), ("date", "date32"), ("date_precision", "string"),
    ("event_type", "string"), ("mode", "string"), ("contexts", "list<string>"), ("quad_class", "int32"),
    ("acled_event_type", "string"), ("acled_sub_event_type", "string"), ("disorder_type", "string"),
    ("modality", "string"), ("confidence", "float64"),
    ("actor_name", "string"), ("actor_country", "string"), ("actor_sector", "string"),
    ("recipient_name", "string"), ("recipient_country", "string"), ("recipient_sector", "string"),
    ("location_name", "string"), ("location_country_code", "string"), ("location_country", "string"),
    ("location_admin1", "string"), ("location_admin1_code", "string"), ("location_admin2", "string"),
    ("lat", "float64"), ("lon", "float64"), ("location_precision", "string"), ("geonameid", "int64"),
    ("fatalities_low", "int32"), ("fatalities_best", "int32"), ("fatalities_high", "int32"),
    ("injured_low", "int32"), ("injured_best", "int32"), ("injured_high", "int32"),
    ("n_articles", "int32"), ("first_report", "date32"), ("sources", "list<string>"),
    ("article_ids", "list<string>"), ("coder_version", "string"),
)


def parquet_row(rec: Record) -> Record:
    """One cluster as a flat row keyed by the parquet column names (Python values, None for null)."""
    ev = _event(rec)
    loc = _location(ev)
    actor, recipient = _first(_parties(ev, "actor")), _first(_parties(ev, "recipient"))
    fat, inj = rec.get("fatalities"), rec.get("injured")
    return {
        "cluster_id": rec.get("id"), "date": _day(ev.get("date")), "date_precision": ev.get("date_precision"),
        "event_type": ev.get("event_type"), "mode": ev.get("mode"), "contexts": list(ev.get("contexts") or []),
        "quad_class": ev.get("quad_class"), "acled_event_type": ev.get("acled_event_type"),
        "acled_sub_event_type": ev.get("acled_sub_event_type"), "disorder_type": ev.get("disorder_type"),
        "modality": ev.get("modality"), "confidence": ev.get("confidence"),
        "actor_name": actor.get("name"), "actor_country": actor.get("country"), "actor_sector": actor.get("sector"),
        "recipient_name": recipient.get("name"), "recipient_country": recipient.get("country"),
        "recipient_sector": recipient.get("sector"),
        "location_name": loc.get("name"), "location_country_code": loc.get("country_code"),
        "location_country": loc.get("country"), "location_admin1": loc.get("admin1"),
        "location_admin1_code": loc.get("admin1_code"),
        "location_admin2": loc.get("admin2"), "lat": loc.get("lat"), "lon": loc.get("lon"),
        "location_precision": loc.get("precision"), "geonameid": loc.get("geonameid"),
        "fatalities_low": _figure(fat, "low"), "fatalities_best": _figure(fat, "best"),
        "fatalities_high": _figure(fat, "high"), "injured_low": _figure(inj, "low"),
        "injured_best": _figure(inj, "best"), "injured_high": _figure(inj, "high"),
        "n_articles": rec.get("n_articles"), "first_report": _day(rec.get("first_report")),
        "sources": _publishers(rec),
        "article_ids": [str(s.get("article_id")) for s in rec.get("sources") or []],
        "coder_version": rec.get("coder_version"),
    }


def _arrow_schema():
    import pyarrow as pa

    types: dict[str, Callable[[], Any]] = {
        "string": pa.string, "date32": pa.date32, "int32": pa.int32, "int64": pa.int64,
        "float64": pa.float64, "list<string>": lambda: pa.list_(pa.string()),
    }
    return pa.schema([pa.field(name, types[kind](), nullable=True) for name, kind in _PARQUET_COLUMNS])


@_file_writer(".parquet")
def write_parquet(records: Iterable[Record], path: str | Path) -> ExportResult:
    """One typed row per cluster (needs pyarrow)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is in requirements.txt
        raise InputError("the parquet export needs pyarrow", "pip install pyarrow") from None
    rows = [parquet_row(rec) for rec in records]
    # a file object, not a path: pyarrow removes a path it failed to write, even a device
    with open(path, "wb") as fh:
        pq.write_table(pa.Table.from_pylist(rows, schema=_arrow_schema()), fh)
    return ExportResult(written=len(rows))


# ---------------------------------------------------------------- jsonl


@_file_writer(".jsonl")
def write_jsonl(records: Iterable[Record], path: str | Path) -> ExportResult:
    """Every input record unchanged, one JSON object per line (UTF-8)."""
    result = ExportResult()
    with _open_text(path) as fh:
        for rec in records:
            fh.write(_dumps(rec) + "\n")
            result.written += 1
    return result


