"""Entity mentions (what `eventwire evaluate entities` scores): the rules beyond the model's NER."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def mentions(pipeline):
    from eventwire.evaluate.entities import predicted_entities

    def run(text: str) -> dict[str, str]:
        found = predicted_entities(pipeline.r.nlp, text, set(pipeline.r.kb.sector_terms), pipeline.r.gazetteer,
                                   pipeline.r.kb)
        return {text[s:e]: t for s, e, t in found}

    return run


def test_surname_of_a_person_named_earlier_is_a_person(mentions):
    found = mentions("Army spokesman Col. Mark Davis spoke on Monday. The convoy was hit twice, Davis said.")
    assert found.get("Davis") == "Person"


def test_title_with_its_domain_stays_with_the_name(mentions):
    found = mentions("The Minister for the Middle East Tobias Ellwood condemned the attack on Monday.")
    assert found.get("Minister for the Middle East Tobias Ellwood") == "Person"
    assert "the Middle East" not in found


def test_title_with_a_domain_and_no_name_is_a_person(mentions):
    found = mentions("She met the Minister for Central Asia in London.")
    assert found.get("Minister for Central Asia") == "Person"
    assert "Central Asia" not in found


def test_near_is_not_part_of_a_place_name(mentions):
    found = mentions("Near Ar Raqqah, three strikes destroyed a bridge.\nNear Tal Afar, one strike hit a depot.")
    assert found.get("Ar Raqqah") == "Location"
    assert found.get("Tal Afar") == "Location"
    assert not any(k.startswith("Near") for k in found)


def test_town_with_its_country_is_one_mention(mentions):
    found = mentions("The convoy was struck near Palmyra, Syria on Tuesday.")
    assert found.get("Palmyra, Syria") == "Location"


def test_list_of_places_is_not_merged(mentions):
    found = mentions("Strikes hit targets in Aleppo, Homs and Idlib.")
    assert not any("," in k for k in found)


def test_materiel_is_not_an_organisation(mentions):
    found = mentions("The patrol found a VBIED and an armored vehicle outside the town.")
    assert found.get("VBIED") == "Weapon"
    assert found.get("an armored vehicle") == "Vehicle"


def test_organisation_inside_a_unit_phrase(mentions):
    found = mentions("Two strikes engaged an ISIL tactical unit near the river.")
    assert found.get("an ISIL tactical unit") == "Organisation"
    assert "ISIL" not in found


def test_nationality_adjective_outside_an_actor_name(mentions):
    found = mentions("He said Syrian oil was sold abroad while Syrian forces held the pass.")
    assert "Nationality" in found.values()
    assert not any(k == "Syrian" and v != "Nationality" for k, v in found.items())
