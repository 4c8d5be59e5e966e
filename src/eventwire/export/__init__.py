"""Dataset files from cluster records (one record per real-world event).

A cluster record is the store's view of one event reported by one or more articles::

    {"id": "c-1a2b3c4d5e6f", "event": {...Event.to_dict()...},       # the representative member
     "members": [{"event": {...}, "article": {"id", "url", "title", "published", "publisher"}}, ...],
     "sources": [{"article_id", "url", "publisher", "published", "title"}, ...],   # one per article
     "n_articles": 2, "first_report": "2022-03-15",
     "claims": [{...claim..., "article_id", "publisher"}, ...],
     "fatalities": {"low", "best", "high"}, "injured": {"low", "best", "high"},
     "coder_version": "0.1.0"}

Formats (``FORMATS``; every column and field is described in ``docs/exports.md``):

``acled-csv``
    ACLED's 31 columns in ACLED's order, one row per cluster that ACLED would code: clusters
    whose event has no ACLED type (verbal and diplomatic events), that are not reported as having
    happened (negated, hypothetical, future) or that have no date are left out and counted.
    ``notes`` is one sentence naming every source and what each one claimed.
``plover-json``
    A JSON array (``json.load`` reads it) of PLOVER records, one per cluster: id, date, enddate,
    actor and recipient lists, event, mode, context, event_text, quad_code, event_scale, size,
    location, text_info (offsets), cite_info (one per source), coder, comment.
``geojson``
    An RFC 7946 FeatureCollection of Point features ``[lon, lat]`` (WGS 84, no ``crs`` member)
    with flat properties for QGIS; clusters without coordinates are left out and counted.
``parquet``
    One typed row per cluster (date32 dates, int32 counts, float64 coordinates, nullable),
    written with pyarrow.
``jsonl``
    The input records unchanged, one JSON object per line: the lossless format.

Every writer writes to a temporary file beside the target and renames it over the target only when
the whole file is written, so a full disk or any other failure never leaves a truncated file that
looks complete (the temporary file is removed, and an earlier file at the target is kept). URL
fields are emptied unless they hold an http(s) URL (``eventwire.models.http_url``), and CSV cells
that a spreadsheet would run as a formula are neutralised (``csv_cell``).

Example::

    from eventwire.export import export
    result = export("acled-csv", clusters, "events.csv")
    print(result.written, result.left_out)   # 12 {'no ACLED event type': 3}
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from eventwire.errors import InputError
from eventwire.export.acled import (ACLED_COLUMNS, acled_left_out, acled_region, acled_row, event_number, inter_code,
                                    interaction, iso_numeric, write_acled_csv)
from eventwire.export.common import FORMATS, SUFFIXES, ExportResult, Record, check_output, csv_cell
from eventwire.export.geojson import geojson_feature, write_geojson
from eventwire.export.plover import plover_record, write_plover_json
from eventwire.export.summary import summary_sentence
from eventwire.export.tables import parquet_row, write_jsonl, write_parquet

__all__ = [
    "FORMATS", "ACLED_COLUMNS", "ExportResult", "export", "write_export",
    "write_acled_csv", "write_plover_json", "write_geojson", "write_parquet", "write_jsonl",
    "acled_row", "acled_left_out", "plover_record", "geojson_feature", "parquet_row", "summary_sentence",
    "event_number", "inter_code", "interaction", "acled_region", "iso_numeric", "csv_cell", "check_output",
    "SUFFIXES",
]


# ---------------------------------------------------------------- entry points

_WRITERS: dict[str, Callable[[Iterable[Record], str | Path], ExportResult]] = {
    "acled-csv": write_acled_csv, "plover-json": write_plover_json, "geojson": write_geojson,
    "parquet": write_parquet, "jsonl": write_jsonl,
}


def export(fmt: str, records: Iterable[Record], path: str | Path) -> ExportResult:
    """Write ``records`` (cluster dicts) to ``path`` in format ``fmt``; say what was left out."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise InputError(f"unknown export format {fmt!r}", "use one of: " + ", ".join(FORMATS))
    return writer(records, path)


def write_export(fmt: str, records: Iterable[Record], path: str | Path) -> int:
    """Write ``records`` to ``path`` in format ``fmt`` and return the number of rows written.

    >>> write_export("geojson", clusters, "events.geojson")  # doctest: +SKIP
    3
    """
    return export(fmt, records, path).written
