"""Schema tests for the reviewed data files under src/eventwire/data/."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import fields
from datetime import date

import pycountry
import pytest

import eventwire
from eventwire.data import read_tsv
from eventwire.models import MODALITIES, PLOVER_TYPES

SECTORS = frozenset(
    "GOV MIL COP SPY JUD LEG PTY OPP REB UAF CRM CVL BUS LAB EDU REL MED JRN REF IGO NGO UNK".split()
)

# ACLED's 6 event types and 25 sub-event types, spelled exactly as ACLED spells them.
ACLED = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
}
ACLED_SUB_TYPES = {sub: etype for etype, subs in ACLED.items() for sub in subs}
DISORDER_TYPES = {"Political violence", "Demonstrations", "Strategic developments",
                  "Political violence; Demonstrations"}


def _disorder(event_type: str, sub: str) -> str:
    if sub == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    if event_type == "Protests" or sub == "Violent demonstration":
        return "Demonstrations"
    return "Political violence"


# PLOVER modes per event type (openeventdata/PLOVER manual).
PLOVER_MODES = {
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"},
}

PLOVER_CONTEXTS = frozenset("""
military intelligence executive legislative election political_institutions pro_democracy
pro_autocracy economic legal reparations human_rights rights_freedoms repression human_security
gender lgbt religion_ethnicity inequality diplomatic territory peacekeeping health asylum migration
disasters natural_resource environment technology terrorism cbrn cyber misinformation crime
corruption illegal_drugs trafficking
""".split())

# Cue kinds read by eventwire.extract.modality.ModalityCues.load, and the modality each implies.
MODALITY_KINDS = {
    "neg": {"negated"},
    "deny_verb": {"negated"},
    "fail_verb": {"negated"},
    "free_choice_det": {"hypothetical"},
    "near_neg": {"negated"},
    "modal": {"hypothetical"},
    "fear_noun_verb": {"hypothetical"},
    "condition": {"hypothetical"},
    "future_aux": {"future"},
    "plan_verb": {"future", "hypothetical"},
    "historical_cue": {"historical"},
    "report_verb": {"asserted"},
}

HEADERS = {
    ("actors", "countries.tsv"): ["iso3", "name", "aliases", "adjectives", "capitals"],
    ("actors", "organisations.tsv"): ["name", "aliases", "code", "country", "sector", "associated_country", "kind"],
    ("actors", "sectors.tsv"): ["term", "sector", "note"],
    ("actors", "office_holders.tsv"): ["name", "aliases", "country", "sector", "role", "start", "end"],
    ("events", "triggers.tsv"): ["lemma", "pos", "event_type", "mode", "cameo", "contexts", "weight", "note"],
    ("events", "acled_crosswalk.tsv"): ["event_type", "mode", "acled_event_type", "acled_sub_event_type",
                                        "disorder_type", "note"],
    ("events", "cameo_roots.tsv"): ["cameo_root", "name", "plover_default"],
    ("events", "modality_cues.tsv"): ["cue", "kind", "modality", "note"],
    ("events", "materiel.tsv"): ["term", "kind", "note"],
    ("events", "not_triggers.tsv"): ["lemma", "pos", "note"],
}

# Cells every row must fill.
KEYS = {
    ("actors", "countries.tsv"): ["iso3", "name"],
    ("actors", "organisations.tsv"): ["name", "code", "sector", "kind"],
    ("actors", "sectors.tsv"): ["term", "sector"],
    ("actors", "office_holders.tsv"): ["name", "sector", "role", "start"],
    ("events", "triggers.tsv"): ["lemma", "pos", "event_type", "cameo", "weight"],
    ("events", "acled_crosswalk.tsv"): ["event_type"],
    ("events", "cameo_roots.tsv"): ["cameo_root", "name"],
    ("events", "modality_cues.tsv"): ["cue", "kind", "modality"],
    ("events", "materiel.tsv"): ["term", "kind"],
    ("events", "not_triggers.tsv"): ["lemma", "pos"],
}


def _header(*parts: str) -> list[str]:
    from importlib import resources

    text = resources.files("eventwire").joinpath("data", *parts).read_text(encoding="utf-8")
    first = next(ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
    return first.rstrip("\r").split("\t")


def _iso3_ok(code: str) -> bool:
    return code == "XKX" or pycountry.countries.get(alpha_3=code) is not None


def _split(cell: str) -> list[str]:
    return cell.split("|") if cell else []


def _date(cell: str) -> date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell), f"not YYYY-MM-DD: {cell!r}"
    return date.fromisoformat(cell)


# -- all files ---------------------------------------------------------------------------

@pytest.mark.parametrize("parts", list(HEADERS), ids=lambda p: "/".join(p))
def test_header(parts):
    assert _header(*parts) == HEADERS[parts]


@pytest.mark.parametrize("parts", list(HEADERS), ids=lambda p: "/".join(p))
def test_rows_fit_header_and_keys_filled(parts):
    rows = read_tsv(*parts)
    assert rows, f"{parts} has no rows"
    for row in rows:
        assert list(row) == HEADERS[parts]
        for key in KEYS[parts]:
            assert row[key], f"{'/'.join(parts)}: empty {key!r} in {row}"


@pytest.mark.parametrize("parts", list(HEADERS), ids=lambda p: "/".join(p))
def test_no_extra_cells(parts):
    from importlib import resources

    text = resources.files("eventwire").joinpath("data", *parts).read_text(encoding="utf-8")
    width = len(HEADERS[parts])
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            assert len(line.split("\t")) <= width, f"{'/'.join(parts)}:{number} has too many cells"


@pytest.mark.parametrize("parts", list(HEADERS), ids=lambda p: "/".join(p))
def test_list_cells_have_no_empty_items(parts):
    for row in read_tsv(*parts):
        for column, cell in row.items():
            if column == "note" or "|" not in cell:
                continue
            items = cell.split("|")
            assert all(i.strip() == i and i for i in items), f"{'/'.join(parts)}: bad list {column}={cell!r}"


# -- actors ------------------------------------------------------------------------------

def test_countries():
    rows = read_tsv("actors", "countries.tsv")
    codes = [r["iso3"] for r in rows]
    assert [c for c in codes if not _iso3_ok(c)] == []
    assert [c for c, n in Counter(codes).items() if n > 1] == []
    assert {"USA", "RUS", "UKR", "SYR", "ISR", "PSE", "XKX"} <= set(codes)


def test_country_names_are_unambiguous():
    owner: dict[str, set[str]] = {}
    for r in read_tsv("actors", "countries.tsv"):
        for column in ("name", "aliases", "adjectives", "capitals"):
            for name in _split(r[column]):
                owner.setdefault(name.lower(), set()).add(r["iso3"])
    assert {k: v for k, v in owner.items() if len(v) > 1} == {}


def test_organisations():
    rows = read_tsv("actors", "organisations.tsv")
    kinds = {"igo", "ngo", "party", "media", "armed_group", "company", "gov_body", "other"}
    for r in rows:
        for column in ("country", "associated_country"):
            if r[column]:
                assert _iso3_ok(r[column]), f"bad {column} {r[column]!r} for {r['name']}"
        assert r["sector"] in SECTORS, f"bad sector {r['sector']!r} for {r['name']}"
        assert r["kind"] in kinds, f"bad kind {r['kind']!r} for {r['name']}"
    assert [n for n, c in Counter(r["name"] for r in rows).items() if c > 1] == []
    assert [n for n, c in Counter(r["code"] for r in rows).items() if c > 1] == []


def test_organisation_names_are_unambiguous():
    owner: dict[str, set[str]] = {}
    for r in read_tsv("actors", "organisations.tsv"):
        for name in [r["name"]] + _split(r["aliases"]):
            owner.setdefault(name.lower(), set()).add(r["name"])
    assert {k: v for k, v in owner.items() if len(v) > 1} == {}


def test_sectors():
    rows = read_tsv("actors", "sectors.tsv")
    assert [r for r in rows if r["sector"] not in SECTORS] == []
    assert [t for t, n in Counter(r["term"] for r in rows).items() if n > 1] == []
    assert all(r["term"] == r["term"].lower() for r in rows), "terms are lower case"


def test_office_holders():
    rows = read_tsv("actors", "office_holders.tsv")
    for r in rows:
        if r["country"]:  # empty for officials of IGOs and transnational bodies
            assert _iso3_ok(r["country"]), f"bad country {r['country']!r} for {r['name']}"
        assert r["sector"] in SECTORS, f"bad sector {r['sector']!r} for {r['name']}"
        start = _date(r["start"])
        if r["end"]:
            end = _date(r["end"])
            assert start < end, f"{r['name']} ({r['role']}): start {start} is not before end {end}"
    key = Counter((r["name"], r["role"], r["start"]) for r in rows)
    assert [k for k, n in key.items() if n > 1] == []


def test_office_holder_terms_do_not_overlap():
    terms: dict[tuple[str, str], list[tuple[date, date]]] = {}
    for r in read_tsv("actors", "office_holders.tsv"):
        end = _date(r["end"]) if r["end"] else date.max
        terms.setdefault((r["name"], r["role"]), []).append((_date(r["start"]), end))
    for who, spans in terms.items():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert end <= start, f"overlapping terms for {who}"


def _holder(name: str, role: str) -> dict[str, str]:
    found = [r for r in read_tsv("actors", "office_holders.tsv") if r["name"] == name and r["role"] == role]
    assert len(found) == 1, (name, role, found)
    return found[0]


def test_known_office_holders():
    biden = _holder("Joe Biden", "president")
    assert (biden["country"], biden["sector"], biden["start"], biden["end"]) == ("USA", "GOV", "2021-01-20", "2025-01-20")
    austin = _holder("Lloyd Austin", "defense secretary")
    assert (austin["country"], austin["start"], austin["end"]) == ("USA", "2021-01-22", "2025-01-20")


# -- events ------------------------------------------------------------------------------

def test_triggers():
    rows = read_tsv("events", "triggers.tsv")
    for r in rows:
        where = f"{r['lemma']!r} {r['pos']} {r['event_type']}"
        assert r["event_type"] in PLOVER_TYPES, where
        assert r["pos"] in {"VERB", "NOUN", "ADJ", "ANY"}, where
        assert r["lemma"] == r["lemma"].strip() and "  " not in r["lemma"], where
        weight = float(r["weight"])
        assert 0.0 <= weight <= 1.0, where
        if r["mode"]:
            assert r["mode"] in PLOVER_MODES.get(r["event_type"], set()), f"bad mode {r['mode']!r} for {where}"
        assert re.fullmatch(r"\d{2,4}", r["cameo"]), f"bad CAMEO code {r['cameo']!r} for {where}"
        assert 1 <= int(r["cameo"][:2]) <= 20, where
        for context in _split(r["contexts"]):
            assert context in PLOVER_CONTEXTS, f"bad context {context!r} for {where}"


def test_no_duplicate_triggers():
    rows = read_tsv("events", "triggers.tsv")
    counts = Counter((r["lemma"], r["pos"], r["event_type"]) for r in rows)
    assert [k for k, n in counts.items() if n > 1] == []


def test_every_plover_type_has_triggers():
    assert {r["event_type"] for r in read_tsv("events", "triggers.tsv")} == set(PLOVER_TYPES)


def test_crosswalk_rows():
    rows = read_tsv("events", "acled_crosswalk.tsv")
    for r in rows:
        where = f"{r['event_type']}/{r['mode']}"
        if r["event_type"] == "*":
            assert r["mode"], "refinement rows need a key"
        else:
            assert r["event_type"] in PLOVER_TYPES, where
            if r["mode"]:
                assert r["mode"] in PLOVER_MODES.get(r["event_type"], set()), where
        etype, sub, disorder = r["acled_event_type"], r["acled_sub_event_type"], r["disorder_type"]
        if not etype:
            assert not sub and not disorder, where
            continue
        assert etype in ACLED, f"{where}: unknown ACLED event type {etype!r}"
        assert sub in ACLED_SUB_TYPES, f"{where}: unknown ACLED sub-event type {sub!r}"
        assert ACLED_SUB_TYPES[sub] == etype, f"{where}: {sub!r} is not a sub-type of {etype!r}"
        assert disorder in DISORDER_TYPES, where
        assert disorder == _disorder(etype, sub), f"{where}: disorder type {disorder!r}"
    keys = Counter((r["event_type"], r["mode"]) for r in rows)
    assert [k for k, n in keys.items() if n > 1] == []


def test_crosswalk_covers_all_acled_sub_event_types():
    used = {r["acled_sub_event_type"] for r in read_tsv("events", "acled_crosswalk.tsv")} - {""}
    assert len(ACLED_SUB_TYPES) == 25
    assert set(ACLED_SUB_TYPES) == used
    assert {r["acled_event_type"] for r in read_tsv("events", "acled_crosswalk.tsv")} - {""} == set(ACLED)


def test_every_plover_type_has_a_default_crosswalk_row():
    defaults = {r["event_type"] for r in read_tsv("events", "acled_crosswalk.tsv") if not r["mode"]}
    assert set(PLOVER_TYPES) <= defaults


def test_cameo_roots():
    rows = read_tsv("events", "cameo_roots.tsv")
    roots = [r["cameo_root"] for r in rows]
    assert roots == [f"{i:02d}" for i in range(1, 21)]
    for r in rows:
        assert not r["plover_default"] or r["plover_default"] in PLOVER_TYPES, r


def test_modality_cues():
    rows = read_tsv("events", "modality_cues.tsv")
    for r in rows:
        assert r["kind"] in MODALITY_KINDS, f"unknown cue kind {r['kind']!r} for {r['cue']!r}"
        assert r["modality"] in MODALITIES, r
        assert r["modality"] in MODALITY_KINDS[r["kind"]], f"{r['cue']!r}: {r['kind']} cannot be {r['modality']}"
        assert r["cue"] == r["cue"].lower().strip(), r
    counts = Counter((r["cue"], r["kind"]) for r in rows)
    assert [k for k, n in counts.items() if n > 1] == []


# -- code that reads the data ------------------------------------------------------------

@pytest.fixture(scope="module")
def crosswalk():
    from eventwire.assemble.crosswalk import Crosswalk

    return Crosswalk()


def _pair(code) -> tuple[str | None, str | None]:
    return code.event_type, code.sub_event_type


def test_crosswalk_aerial(crosswalk):
    assert _pair(crosswalk.acled("ASSAULT", "aerial", set(), set(), None, False)) == \
        ("Explosions/Remote violence", "Air/drone strike")


def test_crosswalk_firearms_against_civilians(crosswalk):
    assert _pair(crosswalk.acled("ASSAULT", "firearms", {"CVL"}, {"MIL"}, 3, False)) == \
        ("Violence against civilians", "Attack")
    assert _pair(crosswalk.acled("ASSAULT", "firearms", {"MIL"}, {"REB"}, 3, False)) == ("Battles", "Armed clash")


def test_crosswalk_crowd_control(crosswalk):
    assert _pair(crosswalk.acled("ASSAULT", "crowd-control", {"CVL"}, {"COP"}, None, True)) == \
        ("Protests", "Protest with intervention")
    assert _pair(crosswalk.acled("ASSAULT", "crowd-control", {"CVL"}, {"COP"}, 0, True)) == \
        ("Protests", "Protest with intervention")
    assert _pair(crosswalk.acled("ASSAULT", "crowd-control", {"CVL"}, {"COP"}, 2, True)) == \
        ("Protests", "Excessive force against protesters")


def test_crosswalk_every_plover_type_codes(crosswalk):
    for event_type in PLOVER_TYPES:
        code = crosswalk.acled(event_type, None, set(), set(), None, False)
        assert code.event_type is None or code.event_type in ACLED
        assert code.sub_event_type is None or ACLED_SUB_TYPES[code.sub_event_type] == code.event_type
        assert (code.event_type is None) == (code.disorder_type is None), event_type


# -- package surface ---------------------------------------------------------------------

def test_settings_fields_match_table():
    from eventwire.settings import SETTINGS_TABLE, Settings

    assert [f.name for f in fields(Settings)] == [name for name, _default, _help in SETTINGS_TABLE]
    defaults = Settings()
    for name, default, _help in SETTINGS_TABLE:
        assert getattr(defaults, name) == default, name


def test_public_all_names_exist():
    assert len(set(eventwire.__all__)) == len(eventwire.__all__)
    missing = [name for name in eventwire.__all__ if not hasattr(eventwire, name)]
    assert missing == []


def test_new_place_and_event_tables():
    from eventwire.data import read_tsv
    from eventwire.models import PLOVER_TYPES

    regions = read_tsv("places", "regions.tsv")
    assert {r["kind"] for r in regions} <= {"country", "continent", "region"}
    assert all(-90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180 for r in regions)
    assert len([r for r in regions if r["kind"] == "country"]) >= 240
    for r in read_tsv("places", "abbreviations.tsv"):
        assert len(r["country"]) == 2 and r["admin1code"]
    for r in read_tsv("events", "trigger_objects.tsv"):
        assert r["event_type"] in PLOVER_TYPES and r["objects"]
    keys = {r["key"] for r in read_tsv("events", "acled_refinements.tsv")}
    starred = {r["mode"] for r in read_tsv("events", "acled_crosswalk.tsv") if r["event_type"] == "*"}
    keys = (keys - {"territory-gain"}) | {"territory-gain-gov", "territory-gain-nonstate"}
    assert keys <= starred, f"refinements with no ACLED code: {keys - starred}"


def test_materiel_kinds():
    rows = read_tsv("events", "materiel.tsv")
    assert {r["kind"] for r in rows} == {"weapon", "platform", "vehicle"}
    terms = [r["term"] for r in rows]
    assert len(terms) == len(set(terms)) and all(t == t.lower() for t in terms)


def test_each_shared_word_class_is_defined_once_and_used():
    """data/classes.tsv holds the classes several stages share; each is read somewhere, and its sector
    classes name CAMEO sector codes."""
    from pathlib import Path

    import pytest

    from eventwire.data import read_tsv, word_class

    source = "\n".join(p.read_text(encoding="utf-8") for p in
                       (Path(__file__).resolve().parents[1] / "src" / "eventwire").rglob("*.py"))
    names = [row["class"] for row in read_tsv("classes.tsv")]
    assert len(names) == len(set(names))
    for name in names:
        assert f'word_class("{name}")' in source, name
        if name.startswith("sectors_"):
            assert all(len(code) == 3 and code.isupper() for code in word_class(name))
    assert word_class("sectors_armed") >= word_class("sectors_non_state_armed")
    assert not word_class("sectors_armed") & word_class("sectors_civilian")
    with pytest.raises(KeyError):
        word_class("no such class")


def test_a_phrase_that_names_no_event_takes_its_words_from_a_shorter_trigger(nlp):
    from eventwire.extract.triggers import TriggerLexicon

    lexicon = TriggerLexicon()
    types = lambda text: [(m.entry.event_type, nlp(text)[m.start:m.end].text) for m in lexicon.match(nlp(text))]  # noqa: E731
    assert ("ACCUSE", "slammed") in types("The union leader slammed the new pension law.")
    assert not any(t == "ACCUSE" for t, _ in types("A delivery van slammed into a bus shelter."))
    assert ("ACCUSE", "hit out") in types("The mayor hit out at the regional council.")
    assert ("ASSAULT", "blast") in types("A blast off the coast of the port killed two fishermen.")  # the noun stays
    rows = read_tsv("events", "not_triggers.tsv")
    starts = {r["lemma"].split()[0] for r in read_tsv("events", "triggers.tsv")}
    for r in rows:  # each one shadows a trigger, or it does nothing
        assert len(r["lemma"].split()) > 1 and r["lemma"].split()[0] in starts, r
