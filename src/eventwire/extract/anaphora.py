"""Definite descriptions that point back at an armed group named earlier in the article ("the group")."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from eventwire.data import word_class
from eventwire.models import Actor, Mention

__all__ = ["resolve_group_anaphors"]

# "the group", "the militants": a definite description that points back at an armed group named earlier
_GROUP_ANAPHOR = re.compile(r"(?i)^(the|this|that) ((islamist|militant|armed|jihadist|extremist|rebel|insurgent|"
                            r"separatist|terrorist|terror) )*(group|militants|rebels|insurgents|jihadists|militia|"
                            r"outfit|fighters)$")


NON_STATE_ARMED = word_class("sectors_non_state_armed")


def resolve_group_anaphors(mentions: list[Mention]) -> list[Mention]:
    """'Al-Shabaab ... The group claimed the bombing': 'the group' is the armed group last named before it,
    when one was; the text stays as written and the name is the group's."""
    named: list[Actor] = sorted((a for m in mentions for a in m.actors if a.resolved and a.name and a.span is not None
                                 and a.text[:1].isupper() and not _GROUP_ANAPHOR.match(a.text.strip())),
                                key=lambda a: a.span.start)  # organisations named by name, not "soldiers"
    if not any(a.sector in NON_STATE_ARMED for a in named):
        return mentions
    starts = [n.span.start for n in named]
    out = []
    for m in mentions:
        actors = []
        for a in m.actors:
            if not a.resolved and a.span is not None and _GROUP_ANAPHOR.match(a.text.strip()):
                last = _last_named_before(named, starts, a.span.start)
                if last is not None and last.sector in NON_STATE_ARMED:  # the organisation named last is armed
                    a = replace(last, role=a.role, text=a.text, span=a.span)
            actors.append(a)
        out.append(replace(m, actors=tuple(actors)) if tuple(actors) != m.actors else m)
    return out


def _last_named_before(named: list[Actor], starts: list[int], offset: int) -> Actor | None:
    """The last of ``named`` (in order of start) that ends by ``offset``: only names that start by then can,
    and of those only the ones running over ``offset`` are passed on the way back."""
    for j in range(bisect_right(starts, offset) - 1, -1, -1):
        if named[j].span.end <= offset:
            return named[j]
    return None
