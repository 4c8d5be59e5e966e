"""One ACLED row per real event: a protest and the force used on it are one ACLED event.

ACLED codes a demonstration met by the authorities as one event: "Protest with intervention" (tear
gas, dispersal, arrests at the protest) or "Excessive force against protesters" (lethal or potentially
lethal force, serious injuries). In PLOVER the police's act is an event of its own (ASSAULT/crowd-control,
COERCE/arrest), so an article that tells the march in one sentence and the tear gas in the next gives
two or three events, each of which the crosswalk would give an ACLED row. This pass keeps every event
and its counts as they are, and lets one of them carry the ACLED row: the force that killed or hurt
people when one did (its counts are the row's fatalities), else the protest. The carrier takes the
strongest sub-type the group shows; every other member has no ACLED code of its own and names the
carrier in ``Event.acled_row_of``. Nothing is copied, so no count is counted twice.

A force event joins a protest only when they are one happening: the force is told in a sentence that
tells the protest or in the two after one, on the same day, at a compatible place (the same place, or one of the
two without a place), and it is aimed at the demonstration (read so by the crosswalk or the typer, or
its target named as protesters, or crowd-control in the protest's own sentence).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from eventwire.assemble.crosswalk import Crosswalk
from eventwire.extract.roles import at_protesters
from eventwire.models import Event, Place

__all__ = ["one_row_per_protest"]

# ACLED's protest sub-types, weakest first: the row takes the strongest that its events show
PROTEST_LADDER = ("Peaceful protest", "Protest with intervention", "Excessive force against protesters")
SENTENCES_AFTER = 2  # the force may be told this many sentences after the protest (as _intervened reads)


def _aimed_at_protest(ev: Event, same_sentence: bool) -> bool:
    if ev.modality != "asserted" or ev.event_type not in ("ASSAULT", "COERCE"):
        return False
    if ev.acled_sub_event_type in PROTEST_LADDER[1:] or (ev.typing is not None and ev.typing.secondary):
        return True  # the crosswalk or the typer read it as the force used on a demonstration
    return (at_protesters(ev.actors) and ev.mode in ("crowd-control", "arrest", "firearms", "beat")) or \
        (same_sentence and ev.mode == "crowd-control")


def _same_day(a: Event, b: Event) -> bool:
    return not (a.date and b.date and a.date_precision == "day" and b.date_precision == "day" and a.date != b.date)


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None or a.geonameid is None or b.geonameid is None or a.geonameid == b.geonameid:
        return True
    if a.country_code != b.country_code:
        return False
    fine = ("exact", "town", "near", "admin2")  # two towns of one province are two places; a town is within its province
    return not (a.precision in fine and b.precision in fine) and bool(a.admin1) and a.admin1 == b.admin1


def _rung(ev: Event) -> int:
    if ev.event_type == "PROTEST":
        return PROTEST_LADDER.index(ev.acled_sub_event_type) if ev.acled_sub_event_type in PROTEST_LADDER else 0
    lethal = ev.acled_sub_event_type == PROTEST_LADDER[2] or ev.mode == "firearms" or bool(
        ev.fatalities and (ev.fatalities.best or 0) > 0)
    return 2 if lethal else 1


def _harmed(ev: Event) -> int:
    return sum((r.best or 0) for r in (ev.fatalities, ev.injured) if r is not None)


def one_row_per_protest(events: list[Event], crosswalk: Crosswalk, sentence_of: Callable[[int], int]) -> list[Event]:
    """The article's events (in text order), with each asserted protest and the force used on it given one
    ACLED row; ``sentence_of`` maps a character offset to its sentence's index."""
    protests = [i for i, e in enumerate(events) if e.modality == "asserted" and e.event_type == "PROTEST"
                and e.acled_event_type == "Protests"]
    if not protests:
        return events
    groups: dict[int, list[int]] = {p: [] for p in protests}
    told = {p: {sentence_of(span.start) for span in events[p].evidence} | {sentence_of(events[p].trigger.start)}
            for p in protests}  # every sentence that tells the protest (its mentions were merged)
    for i, ev in enumerate(events):
        if i in groups:
            continue
        at = sentence_of(ev.trigger.start)
        near = {p: at - max(s for s in told[p] if s <= at) for p in protests if min(told[p]) <= at}
        homes = [p for p, gap in near.items() if gap <= SENTENCES_AFTER and _same_day(events[p], ev)
                 and _same_place(events[p].location, ev.location) and _aimed_at_protest(ev, gap == 0)]
        if homes:  # the protest told nearest before it (or in its own sentence)
            groups[min(homes, key=lambda p: (near[p], -events[p].trigger.start))].append(i)
    out = list(events)
    for protest, force in groups.items():
        if not force:
            continue
        members = [protest] + force
        carrier = max(members, key=lambda i: (_harmed(events[i]), i == protest))
        code = crosswalk.by_sub_type(PROTEST_LADDER[max(_rung(events[i]) for i in members)])
        out[carrier] = replace(events[carrier], acled_event_type=code.event_type,
                               acled_sub_event_type=code.sub_event_type, disorder_type=code.disorder_type)
        for i in members:
            if i != carrier:
                out[i] = replace(events[i], acled_event_type=None, acled_sub_event_type=None, disorder_type=None,
                                 acled_row_of=events[carrier].id)
    return out
