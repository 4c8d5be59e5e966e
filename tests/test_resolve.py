"""Actors and places resolved with context."""
from __future__ import annotations

from datetime import date

import pytest

from eventwire.models import Span


def resolve(kb, text, event_type="ASSAULT", when=None, words=None):
    return kb.resolve("actor", Span(0, len(text), text), words or text.split(), text.split()[-1], event_type, when)


@pytest.mark.parametrize("text, country, sector", [
    ("the Syrian army", "SYR", "MIL"),
    ("Iraqi police", "IRQ", "COP"),
    ("the United States", "USA", "MIL"),        # a state using force is its military
    ("Washington", "USA", "GOV"),
    ("the Pentagon", "USA", "MIL"),
])
def test_actor_phrases(kb, text, country, sector):
    actor = resolve(kb, text)
    assert (actor.country, actor.sector) == (country, sector)


def test_bare_state_in_diplomacy_is_government(kb):
    assert resolve(kb, "Iran", event_type="CONSULT").sector == "GOV"


def test_sponsor(kb):
    actor = resolve(kb, "Iran-backed militias")
    assert actor.associated_country == "IRN" and actor.country is None


def test_office_holder_resolved_at_event_date(kb):
    assert kb.named("Joe Biden", date(2021, 2, 25)).country == "USA"
    assert kb.named("Lloyd Austin", date(2021, 2, 25)).sector in ("MIL", "GOV")
    out_of_office = kb.named("Lloyd Austin", date(2026, 1, 1))
    assert out_of_office.country == "USA" and out_of_office.sector is None


def test_unknown_actor_keeps_its_text(kb):
    actor = resolve(kb, "unidentified men")
    assert actor.text == "unidentified men" and actor.country is None


@pytest.mark.parametrize("spelling", ["al Bukamal", "Al-Bukamal", "Abu Kamal", "Albu Kamal"])
def test_spellings_of_one_place(gazetteer, spelling):
    assert 174448 in {c.geonameid for c in gazetteer.lookup(spelling)}


def places_in(pipeline, text):
    from eventwire.extract.places import find_places

    doc = pipeline.r.nlp(text)
    return [p for p in find_places(doc, pipeline.r.gazetteer, pipeline.r.kb)]


def test_place_in_context(pipeline):
    [pm] = [p for p in places_in(pipeline, "The US air strike targeted a border post in al Bukamal, Syria.")
            if p.place.text == "al Bukamal"]
    assert (pm.place.country_code, pm.place.precision) == ("SYR", "town")
    assert "Zawr" in pm.place.admin1 or "Zor" in pm.place.admin1


def test_city_state_abbreviation(pipeline):
    pms = places_in(pipeline, "A shooting was reported in Long Beach, CA, on Sunday night.")
    lb = next(p for p in pms if p.place.text.startswith("Long Beach"))
    assert lb.place.country_code == "USA" and lb.place.admin1 == "California"


def test_country_names_resolve_to_countries(pipeline):
    pms = places_in(pipeline, "Talks were held in Syria and in the United Kingdom.")
    assert {(p.place.country_code, p.place.precision) for p in pms} == {("SYR", "country"), ("GBR", "country")}


def test_person_named_like_a_town_is_not_a_place(pipeline):
    pms = places_in(pipeline, "Defense Secretary Lloyd Austin spoke from Washington about the strike.")
    assert "Austin" not in {p.place.text for p in pms}


def test_source_base_is_marked(pipeline):
    pms = places_in(pipeline, "The UK-based observatory said 22 people were killed.")
    assert all(p.based for p in pms if p.place.country_code == "GBR")


def test_main_city_beats_province_of_same_name(pipeline):
    pms = places_in(pipeline, "Protesters gathered in Jakarta on Friday.")
    assert pms[0].place.precision == "town"


def test_a_country_abbreviation_only_in_capitals(kb):
    car = resolve(kb, "a bomb-laden car", words=["a", "bomb", "-", "laden", "car"])
    assert car.country is None
    assert resolve(kb, "CAR", words=["CAR"]).country == "CAF"


@pytest.mark.parametrize("text, expected", [
    ("Officials in Gainesville, FL, closed two schools.", {"Gainesville": ("USA", "Florida"), "FL": ("USA", "Florida")}),
    ("Police in Albany, N.Y., said the man was from Troy.", {"N.Y.": ("USA", "New York"), "Troy": ("USA", "New York")}),
    ("A tornado touched down in Moore, Oklahoma, on Monday.", {"Oklahoma": ("USA", "Oklahoma")}),
    ("The governor of Georgia visited Athens and Macon on Friday.",
     {"Georgia": ("USA", "Georgia"), "Athens": ("USA", "Georgia")}),
    ("Greek police in Athens fired tear gas; the prime minister spoke in Thessaloniki.", {"Athens": ("GRC", None)}),
    ("Two Maoists were killed in Chhattisgarh's Bijapur district.", {"Bijapur": ("IND", "Chhattisgarh")}),  # as written in English
])
def test_us_states_and_districts_in_context(pipeline, text, expected):
    found = {pm.place.text: pm.place for pm in places_in(pipeline, text)}
    for name, (country, admin1) in expected.items():
        assert found[name].country_code == country, (name, found[name])
        if admin1:
            assert found[name].admin1 == admin1, (name, found[name])


def test_a_dateline_in_capitals_is_one_place_and_context(pipeline):
    from eventwire.ingest import make_article

    article = make_article("ST. LOUIS (AP) — A man from Belleville was charged Tuesday in a shooting.",
                           title="Man charged", published="2024-05-01")
    found = {pm.place.text: pm.place for pm in pipeline.places(article)}
    assert found["ST. LOUIS"].admin1 == "Missouri" and "ST" not in found
    assert found["Belleville"].country_code == "USA"  # the dateline's country is context
    kisumu = make_article("KISUMU, Kenya, March 6 - Police fired tear gas at protesters.", title="Tear gas")
    assert "KISUMU" in {pm.place.text for pm in pipeline.places(kisumu)}


def test_datelines_written_without_a_separator_or_with_a_colon(pipeline):
    from eventwire.ingest import make_article

    # a capitals dateline run into the body (scraped copy lost its dash), and a title-case one with a colon
    run_in = make_article("CLEVELAND The county council approved a new budget on Monday.", title="Budget", id="a")
    assert "CLEVELAND" in {pm.place.text for pm in pipeline.places(run_in)}
    colon = make_article("Lahore: Traders closed their shops on Friday over a new tax.", title="Strike", id="b")
    assert "Lahore" in {pm.place.text for pm in pipeline.places(colon)}
    heading = make_article("Analysis: The talks stalled again on Friday.", title="Talks", id="c")
    assert "Analysis" not in {pm.place.text for pm in pipeline.places(heading)}


def test_a_capital_named_by_its_country(pipeline):
    for text in ("Thousands marched through the Kenyan capital on Monday.",
                 "Thousands marched through Kenya's capital on Monday.",
                 "Thousands marched through the capital of Kenya on Monday."):
        [pm] = [p for p in places_in(pipeline, text) if p.place.precision == "town"]
        assert (pm.place.name, pm.place.country_code) == ("Nairobi", "KEN"), text
    named = places_in(pipeline, "Thousands marched through the Kenyan capital Nairobi on Monday.")
    assert [p.place.text for p in named] == ["Nairobi"]
    money = places_in(pipeline, "Kenyan capital markets fell on Monday while foreign capital left Kenya.")
    assert all(p.place.precision != "town" for p in money)


def test_a_foreign_alias_does_not_pull_a_village_abroad(pipeline):
    pms = places_in(pipeline, "Bandits raided Kairu village in Maru district of Nigeria's Zamfara state.")
    assert all(p.place.country_code in (None, "NGA") for p in pms), [(p.place.text, p.place.country_code) for p in pms]


def test_a_town_the_model_took_for_an_organisation(pipeline):
    # the small model tags "El Fasher" ORG; a town word or a verb of taking ground makes it a place
    for text in ("Rebel fighters said they had taken control of the town of El Fasher's last army base.",
                 "Rebel fighters entered El Fasher on Monday."):
        assert [(p.place.text, p.place.country_code) for p in places_in(pipeline, text)] == [("El Fasher", "SDN")], text
    assert places_in(pipeline, "Rebel fighters attacked Hamas on Monday.") == []


def test_the_base_of_a_named_town_is_in_it(code):
    events = code("Rebels said on Tuesday they had seized the town of El Fasher's last army base after heavy fighting.",
                  published="2026-10-28")
    assert any(e.location is not None and e.location.name == "El Fasher" for e in events)


def test_a_sea_named_twice_stays_a_sea(pipeline):
    pms = places_in(pipeline, "Missile hits ship in Red Sea. Houthi forces fired a missile at a bulk carrier in the "
                              "southern Red Sea on Friday, a British maritime agency said.")
    seas = [p for p in pms if p.place.text == "Red Sea"]
    assert len(seas) == 2 and all(p.place.name == "Red Sea" and p.place.country_code is None for p in seas)


def test_a_birthday_party_is_not_a_political_party(kb):
    from eventwire.models import Span

    party = kb.resolve("recipient", Span(0, 20, "a birthday party"), ["a", "birthday", "party"], "party", "ASSAULT",
                       None)
    assert party.sector == "CVL"


def test_a_country_owning_a_region_keeps_it_in_that_country(pipeline):
    pms = places_in(pipeline, "A drone hit a gas field in Iraq's Kurdistan region on Friday.")
    assert all(p.place.country_code == "IRQ" for p in pms), [(p.place.text, p.place.country_code) for p in pms]


@pytest.mark.parametrize("text, place, country", [
    ("Artillery hit farms west of Sumy overnight, wounding two, the regional administration said.", "Sumy", "UKR"),
    ("Gunmen attacked a checkpoint northeast of Gao on Friday.", "Gao", "MLI"),
    ("Rebels ambushed a convoy 40 km south of Kharkiv on Tuesday.", "Kharkiv", "UKR"),
])
def test_an_act_placed_by_a_compass_point_of_a_town_is_located_at_the_town(code, text, place, country):
    # "south of X" places the act near X, whatever entity label the model gave X
    [event] = [e for e in code(text, published="2026-05-08") if e.modality == "asserted"]
    assert (event.location.name, event.location.country_code) == (place, country)
    assert event.location.precision == "near"  # the town's point, said to be near it, not in it


@pytest.mark.parametrize("text, precision", [
    ("Gunmen ambushed a convoy near Gao on Friday.", "near"),
    ("Gunmen ambushed a convoy 30 km from Gao on Friday.", "near"),
    ("Gunmen ambushed a convoy in Gao on Friday.", "town"),
    ("Gunmen ambushed a convoy in the north of Gao on Friday.", "town"),  # a part of the town, not beside it
    ("Gunmen ambushed a convoy near the town of Gao on Friday.", "near"),  # the cue reads past "the town of"
])
def test_the_precision_says_whether_the_act_was_in_a_town_or_near_it(code, text, precision):
    [event] = [e for e in code(text, published="2026-05-08") if e.modality == "asserted"]
    assert (event.location.name, event.location.precision) == ("Gao", precision)
