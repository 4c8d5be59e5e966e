"""The geoparser (`eventwire places`, Pipeline.geoparse): every toponym with its reading, how sure the ranker
is, the reading it put next, and why a toponym stayed unresolved; admin1 areas by the names analysts use."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from eventwire.ingest import make_article
from eventwire.resolve.gazetteer import english_admin1_name

EVENTWIRE = [sys.executable, "-m", "eventwire.cli"]

STORY = ("Officials in Lyon met aid workers in Peshawar, Pakistan, on Monday, the London-based charity said. "
         "The convoy then drove on to Bramblewick, a village in Oxfordshire. Staff of the Kenya Airways office in "
         "Peshawar joined them.")


@pytest.fixture(scope="module")
def toponyms(pipeline):
    return pipeline.geoparse(make_article(STORY, id="story"))


def test_every_toponym_is_reported_with_its_span(toponyms):
    assert [t.text for t in toponyms] == ["Lyon", "Peshawar", "Pakistan", "London", "Bramblewick", "Oxfordshire",
                                          "Kenya", "Peshawar"]
    assert all(STORY[t.span.start:t.span.end] == t.text for t in toponyms)


def test_a_resolved_toponym_carries_its_gazetteer_reading(toponyms):
    peshawar, pakistan = toponyms[1], toponyms[2]
    assert (peshawar.name, peshawar.country_code, peshawar.feature_code) == ("Peshawar", "PAK", "PPL")
    assert peshawar.geonameid and abs(peshawar.lat - 34.0) < 0.2 and abs(peshawar.lon - 71.57) < 0.2
    assert peshawar.admin1 == "Khyber Pakhtunkhwa" and peshawar.admin1_code == "PK-KP"
    assert pakistan.feature_code == "PCLI" and pakistan.resolved_by == "country name"
    shares = [t.confidence for t in toponyms if t.lat is not None and t.resolved_by != "container"]
    assert shares and all(c is not None and 0.0 < c <= 1.0 for c in shares)


def test_an_unknown_name_says_why_it_has_no_reading(pipeline):
    [unknown] = pipeline.geoparse(make_article("Floods reached Zzyzxville on Monday.", id="q"))  # no area named
    assert unknown.lat is None and unknown.geonameid is None and unknown.confidence is None
    assert "not in the gazetteer" in unknown.reason


def test_a_source_base_and_a_name_inside_a_company_are_marked(toponyms):
    roles = {t.text: t.role for t in toponyms}
    assert roles["London"] == "source base" and roles["Kenya"] == "in a name" and roles["Lyon"] == "place"


def test_an_ambiguous_name_reports_the_reading_it_beat(pipeline):
    # "Paris" with no context: the French capital first; the ranker's next reading is a smaller Paris
    [paris] = pipeline.geoparse(make_article("The mayor of Paris spoke on Sunday.", id="p"))
    assert paris.country_code == "FRA"
    assert paris.runner_up is not None and paris.runner_up.name == "Paris" and paris.runner_up.geonameid != paris.geonameid
    assert paris.runner_up.confidence < paris.confidence


def test_a_place_described_not_named_is_no_toponym(pipeline):
    found = pipeline.geoparse(make_article("Protesters gathered in the Kenyan capital on Tuesday.", id="k"))
    assert found == []


@pytest.mark.parametrize("name, alternates, english", [
    ("Ḩalab", ["Aleppo", "Aleppo Governorate"], "Aleppo"),  # the English name, without its title
    ("Kāpīsā", ["Kapisa viloyati", "Kapisa Province"], "Kapisa"),  # another language's title is passed over
    ("Dhī Qār", ["Ziqar mühafəzəsi"], "Dhi Qar"),  # no English alternate: the name without diacritics
    ("Şalāḩ ad Dīn", ["Salah ad Din Regional State"], "Salah ad Din"),
    ("California", ["Golden State", "CA"], "California"),  # a plain name wins over a nickname with a title
])
def test_the_english_name_of_an_admin1_area(name, alternates, english):
    assert english_admin1_name(name, alternates) == english


def test_admin1_areas_carry_acled_names_and_iso_codes(pipeline):
    # ACLED writes the Syrian governorate around Abu Kamal "Deir-ez-Zor"; GeoNames "Dayr az Zawr"
    [town, _] = pipeline.geoparse(make_article("A strike hit Abu Kamal, Syria, at dawn.", id="a"))
    assert (town.admin1, town.admin1_code, town.country_code) == ("Deir-ez-Zor", "SY-DY", "SYR")


def test_every_acled_admin1_name_belongs_to_a_known_area(gazetteer):
    from eventwire.data import read_tsv

    rows = read_tsv("places", "admin1_names.tsv")
    isos = [r["iso"] for r in rows]
    assert len(isos) == len(set(isos)) and all(r["acled"].strip() == r["acled"] != "" for r in rows)
    known = set(gazetteer.admin1_iso.values())
    assert set(isos) <= known, sorted(set(isos) - known)


def run(*args, stdin=None):
    return subprocess.run(EVENTWIRE + list(args), capture_output=True, text=True, input=stdin, timeout=300)


def test_places_command_prints_a_table_and_json(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Floods in Peshawar\n\n" + STORY + "\n", encoding="utf-8")
    table = run("places", str(path))
    assert table.returncode == 0, table.stderr
    assert "Peshawar" in table.stdout and "Oxfordshire" in table.stdout and "container" in table.stdout
    assert "9 toponym(s)" in table.stderr  # the title's Peshawar too
    as_json = run("places", str(path), "--json")
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert len(rows) == 9 and all(r["article_id"] == "story" for r in rows)
    assert {"span", "name", "geonameid", "lat", "lon", "country_code", "admin1", "admin1_code", "feature_code",
            "confidence", "runner_up", "reason"} <= set(rows[0])


def test_places_command_lists_bad_input_and_fails_when_nothing_was_read(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("places", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"))
    assert result.returncode == 1 and "nothing to geoparse" in result.stderr
    assert "skipped" in result.stderr and "missing.txt" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("text, names", [
    # one member of a list the model tagged as a person or an organisation: the list names places
    ("Health officials counted new cases in Lusaka, Ndola and Kitwe on Monday.", ["Lusaka", "Ndola", "Kitwe"]),
    ("The outbreak spread to Malawi, Mozambique and Zimbabwe last month.", ["Malawi", "Mozambique", "Zimbabwe"]),
    # a country's name is a toponym whatever the model called it
    ("Trucks carrying maize left for Kenya from DRC on Tuesday.", ["Kenya", "DRC"]),
    ("Mozambique said it would close the border.", ["Mozambique"]),
    # a state's abbreviation after a preposition or in a list of states
    ("Racing stopped in every state except NSW and Victoria.", ["NSW", "Victoria"]),
    # people listed with people stay people; a name listed with countries that none of them holds is no place
    ("Paul and Mary met in Lagos.", ["Lagos"]),
    ("Delegates from France, Germany and Adams attended the summit.", ["France", "Germany"]),
])
def test_toponyms_the_model_did_not_tag_as_places(pipeline, text, names):
    assert [t.text for t in pipeline.geoparse(make_article(text, id="t"))] == names


@pytest.mark.parametrize("text, name, area, precision", [
    ("The convoy then drove on to Bramblewick, a village in Oxfordshire.", "Bramblewick", "Oxfordshire", "admin2"),
    ("Floods hit Qwertzobad, Pakistan, on Monday.", "Qwertzobad", "Pakistan", "country"),
    ("Floods hit Bramblewick in Oxfordshire on Monday.", "Bramblewick", "Oxfordshire", "admin2"),
])
def test_a_place_the_gazetteer_lacks_is_placed_at_the_area_that_holds_it(pipeline, text, name, area, precision):
    [t] = [t for t in pipeline.geoparse(make_article(text, id="t")) if t.text == name]
    assert (t.name, t.precision, t.resolved_by) == (area, precision, "container")
    assert t.lat is not None and name in t.reason and "not in the gazetteer" in t.reason


@pytest.mark.parametrize("text, name, country", [
    ("Shelling hit Deir Ezzor in Syria on Monday.", "Deir ez-Zor", "SYR"),  # one of the city's romanisations
    ("A car bomb exploded in Mosoul, Iraq, on Friday.", "Mosul", "IRQ"),  # the French spelling
])
def test_a_romanisation_the_gazetteer_lacks_is_read_as_the_place_spelled_alike(pipeline, text, name, country):
    t = pipeline.geoparse(make_article(text, id="t"))[0]
    assert (t.name, t.country_code, t.resolved_by) == (name, country, "similar spelling")
    assert "no place is spelled" in t.reason


def test_a_spelling_close_to_a_far_off_town_is_not_read_as_it(pipeline):
    # an unknown name, in an article naming no country, is not read as whatever town abroad is spelled alike
    # ("Zhvan", a Ukrainian village, is spelled alike)
    [found] = pipeline.geoparse(make_article("Voters in Zhavania backed the plan on Sunday.", id="z"))
    assert found.lat is None and "not in the gazetteer" in found.reason


def test_the_spelling_skeleton():
    from eventwire.resolve.gazetteer import norm_key, skeleton

    assert skeleton(norm_key("Deir ez-Zor")) == skeleton(norm_key("Dayr az Zawr")) == skeleton(norm_key("Deir Ezzor"))
    assert skeleton(norm_key("Kharkiv")) == skeleton(norm_key("Kharkov")) != skeleton(norm_key("Kherson"))


def test_the_first_of_a_list_of_places_is_not_held_by_the_second(pipeline):
    found = pipeline.geoparse(make_article("Floods hit Zzyzxville, Kenya and Uganda on Monday.", id="l"))
    assert [(t.text, t.lat is None) for t in found] == [("Zzyzxville", True), ("Kenya", False), ("Uganda", False)]


def test_places_command_refuses_a_bad_date_in_one_line(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Floods in Peshawar\n\n" + STORY + "\n", encoding="utf-8")
    result = run("places", str(path), "--published", "soon")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "not a date" in result.stderr


def test_the_holder_is_the_area_as_the_article_read_it(pipeline):
    # India's Punjab in an article about Indian towns, though Pakistan's is the more populous (and the model
    # tags "Punjab" as a nationality here)
    text = "Police in Amritsar and Ludhiana, India, said floods cut off Qwertzpur, a village in Punjab."
    [t] = [t for t in pipeline.geoparse(make_article(text, id="p")) if t.text == "Qwertzpur"]
    assert (t.name, t.country_code, t.precision, t.resolved_by) == ("Punjab", "IND", "admin1", "container")
