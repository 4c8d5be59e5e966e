"""One ACLED row per real event: a protest and the force used on it are one ACLED event (assemble.rows)."""
from __future__ import annotations

from eventwire.assemble.crosswalk import Crosswalk
from eventwire.assemble.rows import one_row_per_protest
from eventwire.export.acled import acled_left_out
from eventwire.models import Actor, Event, Place, Range, Span

MARCH_THEN_TEAR_GAS = (
    "Several thousand teachers marched to the education ministry in Harare on Wednesday to demand higher pay. "
    "Riot police fired tear gas to break up the march and detained 14 of the teachers."
)
TWO_TOWNS = (
    "Students held a peaceful sit-in at the university in Harare on Wednesday. "
    "In Bulawayo, riot police fired tear gas at a crowd of street vendors on Wednesday."
)


def _rows(events):
    return [e for e in events if acled_left_out({"event": e.to_dict()}) is None]


def test_a_protest_broken_up_in_the_next_sentence_is_one_acled_row(code):
    events = code(MARCH_THEN_TEAR_GAS, published="2024-03-08")
    protests = [e for e in events if e.event_type == "PROTEST" and e.modality == "asserted"]
    assert len(protests) == 1
    protest = protests[0]
    assert protest.acled_sub_event_type == "Protest with intervention"
    force = [e for e in events if e.event_type in ("ASSAULT", "COERCE") and e.modality == "asserted"]
    assert force, "the tear gas and the detentions stay PLOVER events of their own"
    assert all(e.acled_row_of == protest.id and e.acled_sub_event_type is None for e in force)
    assert [e.id for e in _rows(events) if e.acled_event_type == "Protests"] == [protest.id]
    assert acled_left_out({"event": force[0].to_dict()}).startswith("part of another event's ACLED row")


def test_force_in_another_town_is_not_folded_into_the_protest(code):
    events = code(TWO_TOWNS, published="2024-03-08")
    assert not [e for e in events if e.acled_row_of]


def _place(name: str, geonameid: int, admin1: str) -> Place:
    return Place(text=name, name=name, geonameid=geonameid, country_code="ZWE", admin1=admin1, precision="town")


def _event(eid: str, kind: str, start: int, sub: str | None, *, mode=None, date="2024-03-06", killed=None,
           recipient: str | None = None, place: Place | None = None) -> Event:
    span = Span(start, start + 5, "xxxxx")
    actors = (Actor(role="recipient", text=recipient, span=None),) if recipient else ()
    return Event(id=eid, article_id="a", coder={}, event_type=kind, mode=mode, contexts=(), quad_class=4,
                 acled_event_type="Protests" if sub else None, acled_sub_event_type=sub,
                 disorder_type="Demonstrations" if sub else None, cameo_code=None, cameo_root=None,
                 modality="asserted", modality_span=None, date=date, date_precision="day", date_text=None,
                 date_span=None, date_note=None, planned_date=None, actors=actors, location=place, places=(),
                 fatalities=Range(killed, killed, killed) if killed else None, injured=None, arrested=None,
                 claims=(), evidence=(span,), trigger=span, confidence=0.9)


def _by_hundred(offset: int) -> int:
    return offset // 100  # a sentence every 100 characters


def test_the_force_that_killed_carries_the_row_and_nothing_is_copied():
    protest = _event("p", "PROTEST", 0, "Peaceful protest")
    shooting = _event("s", "ASSAULT", 150, "Protest with intervention", mode="firearms", killed=3)
    out = one_row_per_protest([protest, shooting], Crosswalk(), _by_hundred)
    assert out[1].acled_sub_event_type == "Excessive force against protesters" and out[1].acled_row_of is None
    assert out[1].fatalities.best == 3
    assert out[0].acled_row_of == "s" and out[0].acled_event_type is None
    assert out[0].fatalities is None, "the protest's own counts are left as they were"


def test_force_on_another_day_far_on_or_elsewhere_keeps_its_own_row():
    protest = _event("p", "PROTEST", 0, "Peaceful protest", date="2024-03-01")
    later = _event("f", "ASSAULT", 50, "Protest with intervention", mode="crowd-control", date="2024-03-06")
    assert one_row_per_protest([protest, later], Crosswalk(), _by_hundred) == [protest, later]
    protest = _event("p", "PROTEST", 0, "Peaceful protest")
    far = _event("f", "ASSAULT", 450, "Protest with intervention", mode="crowd-control")
    assert one_row_per_protest([protest, far], Crosswalk(), _by_hundred) == [protest, far]
    here = _event("p", "PROTEST", 0, "Peaceful protest", place=_place("Harare", 1, "04"))
    there = _event("f", "ASSAULT", 150, "Protest with intervention", mode="crowd-control",
                   place=_place("Bulawayo", 2, "10"))
    assert one_row_per_protest([here, there], Crosswalk(), _by_hundred) == [here, there]


def test_arrests_count_only_when_aimed_at_protesters():
    protest = _event("p", "PROTEST", 0, "Peaceful protest")
    unrelated = _event("a", "COERCE", 140, None, mode="arrest", recipient="two smugglers")
    at_march = _event("b", "COERCE", 180, None, mode="arrest", recipient="dozens of demonstrators")
    out = one_row_per_protest([protest, unrelated, at_march], Crosswalk(), _by_hundred)
    assert out[1] == unrelated
    assert out[2].acled_row_of == "p"
    assert out[0].acled_sub_event_type == "Protest with intervention" and out[0].acled_row_of is None


def test_an_acled_row_ranks_by_the_best_confidence_in_its_group():
    from dataclasses import replace

    from eventwire.evaluate.events import main_event

    protest = replace(_event("p", "PROTEST", 0, "Protest with intervention"), confidence=0.6)
    gas = replace(_event("g", "ASSAULT", 20, None, mode="crowd-control"), confidence=0.99, acled_row_of="p")
    demand = replace(_event("d", "REQUEST", 60, None), confidence=0.8, quad_class=3)
    assert main_event([gas, protest, demand], "acled").id == "p"
    assert main_event([gas, protest, demand]).id == "g", "PLOVER's main event is unchanged"
