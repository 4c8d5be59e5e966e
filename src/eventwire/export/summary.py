"""The one-sentence summary of a cluster: what happened, where, when, and who reported what."""
from __future__ import annotations

import calendar

from eventwire.export.common import Record, _event, _location, _day, _parties, _first, _publisher, _publishers


# ---------------------------------------------------------------- the one-sentence summary

_MONTHS = tuple(calendar.month_name)
_SUB_EVENT_PHRASES = {  # ACLED sub-event type -> (noun phrase, preposition before the recipient)
    "Armed clash": ("an armed clash", "with"),
    "Government regains territory": ("a government recapture of territory", "from"),
    "Non-state actor overtakes territory": ("a non-state takeover of territory", "from"),
    "Chemical weapon": ("a chemical weapon attack", "against"),
    "Air/drone strike": ("an air/drone strike", "against"),
    "Suicide bomb": ("a suicide bombing", "against"),
    "Shelling/artillery/missile attack": ("a shelling/artillery/missile attack", "against"),
    "Remote explosive/landmine/IED": ("a remote explosive/landmine/IED attack", "against"),
    "Grenade": ("a grenade attack", "against"),
    "Sexual violence": ("sexual violence", "against"),
    "Attack": ("an attack", "against"),
    "Abduction/forced disappearance": ("an abduction", "of"),
    "Peaceful protest": ("a peaceful protest", "against"),
    "Protest with intervention": ("a protest met with intervention", "against"),
    "Excessive force against protesters": ("excessive force against protesters", "targeting"),
    "Violent demonstration": ("a violent demonstration", "against"),
    "Mob violence": ("mob violence", "against"),
    "Agreement": ("an agreement", "with"),
    "Arrests": ("arrests", "of"),
    "Change to group/activity": ("a change to group/activity", "involving"),
    "Disrupted weapons use": ("disrupted weapons use", "involving"),
    "Headquarters or base established": ("a headquarters or base established", "involving"),
    "Looting/property destruction": ("looting/property destruction", "against"),
    "Non-violent transfer of territory": ("a non-violent transfer of territory", "involving"),
    "Other": ("a strategic development", "involving"),
}


def _date_phrase(ev: Record) -> str:
    d = _day(ev.get("date"))
    if d is None:
        return "On an unknown date"
    day = f"{d.day} {_MONTHS[d.month]} {d.year}"
    return {"week": f"In the week of {day}", "month": f"In {_MONTHS[d.month]} {d.year}",
            "year": f"In {d.year}"}.get(ev.get("date_precision") or "day", f"On {day}")


def _what_phrase(ev: Record) -> str:
    sub = ev.get("acled_sub_event_type")
    noun, prep = _SUB_EVENT_PHRASES.get(sub, (None, "involving"))
    if noun is None:
        noun = f"a {sub.lower()}" if sub else f"a {str(ev.get('event_type') or 'coded').lower()} event"
        if not sub and ev.get("mode"):
            noun += f" ({ev['mode']})"
    actor, recipient = _first(_parties(ev, "actor")), _first(_parties(ev, "recipient"))
    if actor:
        noun += f" by {actor['name']}"
    if recipient:
        noun += f" {prep} {recipient['name']}"
    return noun


def _place_phrase(ev: Record) -> str:
    loc = _location(ev)
    name = loc.get("name") or loc.get("text")
    if not name:
        return ""
    context = [p for p in dict.fromkeys((loc.get("admin2"), loc.get("admin1"), loc.get("country")))
               if p and p != name]
    return f" in {name} ({', '.join(context)})" if context else f" in {name}"


def _and_join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _claim_figures(claim: Record) -> list[str]:
    hedges = claim.get("hedges") or {}
    out = []
    for key, word in (("killed", "killed"), ("injured", "injured"), ("arrested", "arrested"),
                      ("abducted", "abducted")):
        if claim.get(key) is not None:
            hedge = hedges.get(key)
            hedge = "about" if hedge == "vague" else hedge
            out.append(f"{hedge + ' ' if hedge else ''}{claim[key]} {word}")
    return out


def _claim_publisher(claim: Record, rec: Record) -> str:
    if claim.get("publisher"):
        return str(claim["publisher"])
    for source in rec.get("sources") or []:
        if source.get("article_id") == claim.get("article_id"):
            return _publisher(source)
    return str(claim.get("article_id") or "a source")


def _sources_phrase(rec: Record) -> str:
    """Claims grouped by what they say, each with who said it and which outlets carried it:
    '12 killed according to police (A, B and C), 17 killed and 30 injured according to a hospital
    director (D); no figure from the Pentagon (E); also reported by F'."""
    groups: dict[str, dict[str, list[str]]] = {}
    cited: set[str] = set()
    for claim in rec.get("claims") or []:
        who = _claim_publisher(claim, rec)
        cited.add(who)
        figures = _claim_figures(claim)
        key = _and_join(figures) if figures and not claim.get("no_figure") else ""
        group = groups.setdefault(key, {"claimants": [], "outlets": []})
        claimant = claim.get("claimant")
        if claimant and claimant.casefold() not in {c.casefold() for c in group["claimants"]}:
            group["claimants"].append(claimant)
        if who not in group["outlets"]:
            group["outlets"].append(who)
    parts = []
    for key, group in sorted(groups.items(), key=lambda kv: (kv[0] == "", -len(kv[1]["outlets"]))):
        by = f" according to {_and_join(group['claimants'])}" if group["claimants"] else ""
        what = key if key else "no figure"
        if not key and group["claimants"]:
            what, by = "no figure", f" from {_and_join(group['claimants'])}"
        parts.append(f"{what}{by} ({_and_join(group['outlets'])})")
    rest = [p for p in _publishers(rec) if p not in cited]
    text = ", ".join(parts)
    if rest:
        text += ("; also reported by " if parts else "reported by ") + _and_join(rest)
    return text


def summary_sentence(rec: Record) -> str:
    """One sentence: when, what, who, where, then every source and what each one claimed.

    >>> summary_sentence(cluster)  # doctest: +SKIP
    'On 13 March 2022, an air/drone strike by Saudi-led coalition against civilians took place in
    Sa'dah (Ṣāʻdah, Yemen); Wire A (citing health ministry) reported 14 killed and 23 injured, ...'
    """
    ev = _event(rec)
    text = f"{_date_phrase(ev)}, {_what_phrase(ev)} took place{_place_phrase(ev)}"
    sources = _sources_phrase(rec)
    text = f"{text}; {sources}" if sources else text
    return text.rstrip(".") + "."


