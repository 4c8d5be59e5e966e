import pytest

from eventwire.extract.casualties import find_counts, parse_number


@pytest.mark.parametrize("text, value, vague", [
    ("22", 22, False), ("1,200", 1200, False), ("twenty-two", 22, False), ("three", 3, False),
    ("dozens", 12, True), ("tens", 10, True), ("hundreds", 100, True), ("a dozen", 12, True),
    ("two hundred", 200, False), ("5 thousand", 5000, False),
])
def test_numbers(text, value, vague):
    assert parse_number(text) == (value, vague)


@pytest.mark.parametrize("sentence, kind, value, hedge", [
    ("the observatory estimates that 22 people were killed in the air strike", "killed", 22, None),
    ("At least 12 civilians died when the shell hit the market.", "killed", 12, "at least"),
    ("The blast killed more than 30 people.", "killed", 30, "more than"),
    ("Police arrested 14 people near the square.", "arrested", 14, None),
    ("Dozens of people were wounded.", "injured", 12, "vague"),
    ("The death toll rose to 41 on Sunday.", "killed", 41, None),
    ("up to 40 were killed, residents said", "killed", 40, "up to"),
    ("Five soldiers were injured in the ambush.", "injured", 5, None),
    ("No casualties were reported.", "killed", 0, None),
    ("the attack left three people dead", "killed", 3, None),
])
def test_counts(sentence, kind, value, hedge):
    counts = [c for c in find_counts(sentence) if c.kind == kind]
    assert counts, find_counts(sentence)
    assert (counts[0].value, counts[0].hedge) == (value, hedge)


def test_years_are_not_counts():
    assert find_counts("In 2017 the group was formed.") == []


def test_no_count_in_plain_sentence():
    assert find_counts("The minister met his counterpart in Paris on Tuesday.") == []


def test_each_count_keeps_its_own_kind_and_hedge():
    counts = find_counts("Rebels killed at least 5 people and wounded up to 20 others.")
    assert [(c.kind, c.value, c.hedge) for c in counts] == [("killed", 5, "at least"), ("injured", 20, "up to")]


def test_event_range_uses_hedges_per_count(code):
    text = ("Gunmen attacked a market in Maiduguri on Sunday. A local chairman said at least 30 people were "
            "killed. Police said 12 were killed and up to 40 injured.")
    [event] = [e for e in code(text) if e.event_type == "ASSAULT" and e.modality == "asserted"]
    assert (event.fatalities.low, event.fatalities.best, event.fatalities.high) == (12, 12, 30)
    assert event.injured.high == 40


def _claimants(events):
    return {(c.claimant, c.killed) for e in events for c in e.claims}


def test_the_source_of_a_toll_is_who_reports_it_not_a_nearby_subject(code):
    events = code("Shopkeepers counted their losses on Sunday after a bomb went off at a market in Kano, killing "
                  "at least nine people, the state police said.", published="2026-04-05")
    assert ("state police", 9) in _claimants(events)
    shows = code("The attack on a bus station in Kano, which killed nine people, shows the group's reach, analysts "
                 "said on Monday.", published="2026-04-06")
    assert ("analysts", 9) in _claimants(shows)


def test_claiming_responsibility_is_not_reporting_the_toll(code):
    events = code("Boko Haram claimed responsibility for an attack that killed 14 farmers near Maiduguri on Friday.",
                  published="2026-04-05")
    assert {c.claimant for e in events for c in e.claims if c.killed == 14} == {None}


def test_a_spokesman_for_a_region_speaks_for_his_service(code):
    events = code("The police commander for the Bay region said four suspects had been arrested over the bombing "
                  "in Baidoa on Tuesday.", published="2026-03-11")
    assert any(c.claimant == "police commander" and c.arrested == 4 for e in events for c in e.claims)


def test_a_number_word_inside_another_word_is_no_count():
    assert find_counts("Drone strike kills civilians in Amhara") == []
    assert find_counts("Someone was killed; Tyrone wounded") == []
    assert [c.value for c in find_counts("A drone attack left twenty-one dead")] == [21]


def test_a_standing_denial_does_not_negate_the_strike(code):
    events = code("A drone strike on a market in Debre Tabor killed at least 13 civilians on Sunday, witnesses said. "
                  "The military has previously denied targeting civilians. A government spokesman did not respond "
                  "to a request for comment.", published="2026-08-15")
    [strike] = [e for e in events if e.event_type == "ASSAULT"]
    assert strike.modality == "asserted" and strike.fatalities.best == 13
    assert not [e for e in events if e.event_type == "REQUEST"]


@pytest.mark.parametrize("sentence, expected", [
    ("Gunmen kidnapped and killed a journalist in Tamaulipas on Monday.", [("killed", 1)]),
    ("A soldier was killed and two others wounded.", [("killed", 1), ("injured", 2)]),
    ("A local police officer was shot dead on Monday.", [("killed", 1)]),
    ("Three soldiers were fatally wounded in the ambush.", [("killed", 3)]),
    ("A man killed his neighbour with an axe.", []),  # the doer, not a victim
    ("The blast killed a number of people.", []),
    ("The blast damaged a major road junction.", []),
    ("Gunmen fatally wounded a policeman in Kano.", [("killed", 1)]),
    ("Israeli forces shot dead a 17-year-old during a raid.", [("killed", 1)]),
])
def test_single_victims(sentence, expected):
    assert [(c.kind, c.value) for c in find_counts(sentence)] == expected


def test_also_killed_adds_to_the_same_sources_count(code):
    events = code("Security forces killed eight militants in an operation in North Waziristan, the military said on "
                  "Sunday. Two soldiers were also killed in the exchange of fire, it said.", published="2026-11-03")
    [clash] = [e for e in events if e.event_type == "ASSAULT"]
    assert clash.fatalities.best == 10
    assert clash.location is not None and "Wazīristān" in clash.location.name  # not a source's base
    estimates = code("A bomb killed eight people in Quetta on Sunday, police said. Hospital officials said 11 "
                     "people were killed.", published="2026-11-03")
    [bomb] = [e for e in estimates if e.event_type == "ASSAULT"]
    assert (bomb.fatalities.low, bomb.fatalities.high) == (8, 11)  # two estimates of one toll, not a sum


def test_a_sources_revised_toll_and_others_who_died_later(code):
    revised = code("The death toll from an air strike on a school in Nuseirat rose to 30 on Sunday, the health "
                   "ministry said. It had earlier put the toll at 16.", published="2026-07-07")
    [strike] = [e for e in revised if e.event_type == "ASSAULT"]
    assert (strike.fatalities.low, strike.fatalities.best, strike.fatalities.high) == (30, 30, 30)
    later = code("Gunmen attacked a church in Essakane on Sunday, a church official said. Twelve people died at the "
                 "scene and three others died later in hospital, the official said.", published="2026-02-26")
    [attack] = [e for e in later if e.event_type == "ASSAULT"]
    assert attack.fatalities.best == 15
