"""One ACLED row per real event: the force used on a protest is part of the protest's row.

ACLED codes a demonstration met by the authorities as one event: "Protest with intervention" (tear
gas, dispersal, arrests at the protest) or "Excessive force against protesters" (lethal or
life-threatening force), with the protesters as the first actor and the force as the second. In
PLOVER the police's act is an event of its own (ASSAULT/crowd-control, COERCE/arrest), so an article
that tells the march in one sentence and the tear gas in the next gives two or three events. This pass
keeps them all, and gives ACLED one row: the protest's, raised to the strongest sub-type its force
events show, with their counts; each force event records that the protest's row covers it
(``Event.acled_row_of``) and has no ACLED code of its own.
"""
from __future__ import annotations

from dataclasses import replace

from eventwire.assemble.crosswalk import Crosswalk
from eventwire.data import word_class
from eventwire.models import Event, Range

__all__ = ["one_row_per_protest"]

# ACLED's protest sub-types, weakest first: a protest takes the strongest that its events show
PROTEST_LADDER = ("Peaceful protest", "Protest with intervention", "Excessive force against protesters")
PROTESTERS = word_class("protester_lemmas") | {w + "s" for w in word_class("protester_lemmas")} | {"crowd", "crowds"}


def _force_on_protest(ev: Event) -> bool:
    """An asserted act of the authorities' force aimed at a demonstration (as read by the crosswalk or the
    typer, or by its mode and target)."""
    if ev.modality != "asserted" or ev.event_type not in ("ASSAULT", "COERCE"):
        return False
    if ev.acled_sub_event_type in PROTEST_LADDER[1:]:
        return True
    if ev.typing is not None and ev.typing.secondary:
        return True  # the learned typer read it as the force used on its sentence's protest
    at_protesters = any(a.role == "recipient" and set(a.text.lower().split()) & PROTESTERS for a in ev.actors)
    return ev.mode == "crowd-control" or (ev.mode == "arrest" and at_protesters)


def _same_day(a: Event, b: Event) -> bool:
    return not (a.date and b.date and a.date_precision == "day" and b.date_precision == "day" and a.date != b.date)


def _wider(a: Range | None, b: Range | None) -> Range | None:
    if a is None or b is None:
        return a or b
    return a if (a.best or 0) >= (b.best or 0) else b


def one_row_per_protest(events: list[Event], crosswalk: Crosswalk) -> list[Event]:
    """The article's events (in text order), with each asserted protest's force events folded into its ACLED
    row: a force event goes to the nearest asserted protest told before it (or, when none is, the first
    after it) on the same day."""
    protests = [i for i, e in enumerate(events) if e.modality == "asserted" and e.event_type == "PROTEST"
                and e.acled_event_type == "Protests"]
    if not protests:
        return events
    out = list(events)
    for i, ev in enumerate(events):
        if i in protests or not _force_on_protest(ev):
            continue
        before = [p for p in protests if events[p].trigger.start <= ev.trigger.start and _same_day(events[p], ev)]
        after = [p for p in protests if events[p].trigger.start > ev.trigger.start and _same_day(events[p], ev)]
        home = before[-1] if before else (after[0] if after else None)
        if home is None:
            continue
        protest = out[home]
        rung = PROTEST_LADDER.index(protest.acled_sub_event_type) if protest.acled_sub_event_type in PROTEST_LADDER else 0
        force = 2 if ev.acled_sub_event_type == PROTEST_LADDER[2] or (ev.fatalities and (ev.fatalities.best or 0) > 0) \
            else 1
        code = crosswalk.by_sub_type(PROTEST_LADDER[max(rung, force)])
        out[home] = replace(protest, acled_event_type=code.event_type, acled_sub_event_type=code.sub_event_type,
                            disorder_type=code.disorder_type,
                            fatalities=_wider(protest.fatalities, ev.fatalities),
                            injured=_wider(protest.injured, ev.injured),
                            arrested=_wider(protest.arrested, ev.arrested),
                            claims=protest.claims + tuple(c for c in ev.claims if c not in protest.claims))
        out[i] = replace(ev, acled_event_type=None, acled_sub_event_type=None, disorder_type=None,
                         acled_row_of=protest.id)
    return out
