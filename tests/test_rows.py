"""One ACLED row per real event: the force used on a protest is part of the protest's row (assemble.rows)."""
from __future__ import annotations

from dataclasses import replace

from eventwire.assemble.crosswalk import Crosswalk
from eventwire.assemble.rows import one_row_per_protest
from eventwire.export.acled import acled_left_out
from eventwire.models import Actor, Event, Range, Span

MARCH_THEN_TEAR_GAS = (
    "Several thousand teachers marched to the education ministry in Harare on Wednesday to demand higher pay. "
    "Riot police fired tear gas to break up the march and detained 14 of the teachers."
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
    assert "part of the ACLED row" in acled_left_out({"event": force[0].to_dict()})


def _event(eid: str, kind: str, start: int, sub: str | None, *, mode=None, date="2024-03-06", killed=None,
           recipient: str | None = None) -> Event:
    span = Span(start, start + 5, "xxxxx")
    actors = (Actor(role="recipient", text=recipient, span=None),) if recipient else ()
    return Event(id=eid, article_id="a", coder={}, event_type=kind, mode=mode, contexts=(), quad_class=4,
                 acled_event_type="Protests" if sub else None, acled_sub_event_type=sub,
                 disorder_type="Demonstrations" if sub else None, cameo_code=None, cameo_root=None,
                 modality="asserted", modality_span=None, date=date, date_precision="day", date_text=None,
                 date_span=None, date_note=None, planned_date=None, actors=actors, location=None, places=(),
                 fatalities=Range(killed, killed, killed) if killed else None, injured=None, arrested=None,
                 claims=(), evidence=(span,), trigger=span, confidence=0.9)


def test_lethal_force_makes_the_row_excessive_force_and_carries_the_toll():
    protest = _event("p", "PROTEST", 0, "Peaceful protest")
    shooting = _event("s", "ASSAULT", 50, "Protest with intervention", mode="firearms", killed=3)
    out = one_row_per_protest([protest, shooting], Crosswalk())
    assert out[0].acled_sub_event_type == "Excessive force against protesters"
    assert out[0].fatalities.best == 3
    assert out[1].acled_row_of == "p" and out[1].acled_event_type is None


def test_force_on_another_day_or_with_no_protest_keeps_its_own_row():
    protest = _event("p", "PROTEST", 0, "Peaceful protest", date="2024-03-01")
    later = _event("f", "ASSAULT", 50, None, mode="crowd-control", date="2024-03-06")
    out = one_row_per_protest([protest, later], Crosswalk())
    assert out == [protest, later]
    alone = _event("g", "ASSAULT", 10, "Protest with intervention", mode="crowd-control")
    assert one_row_per_protest([alone], Crosswalk()) == [alone]


def test_arrests_count_only_when_aimed_at_protesters():
    protest = _event("p", "PROTEST", 0, "Peaceful protest")
    unrelated = _event("a", "COERCE", 40, None, mode="arrest", recipient="two smugglers")
    at_march = _event("b", "COERCE", 80, None, mode="arrest", recipient="dozens of demonstrators")
    out = one_row_per_protest([protest, unrelated, at_march], Crosswalk())
    assert out[1] == unrelated
    assert out[2].acled_row_of == "p"
    assert out[0].acled_sub_event_type == "Protest with intervention"
    assert replace(out[0], acled_event_type=None).acled_row_of is None
