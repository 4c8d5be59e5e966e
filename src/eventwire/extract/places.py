"""Place mentions found in a parsed article and resolved with the article's context.

Candidates come from spaCy's GPE/LOC/FAC entities, and from ORG/PERSON entities that the
gazetteer knows and that stand where a place stands ("in al Bukamal", "al Bukamal, Syria", "30 km
from Gao"), that are one member of a list with a tagged place ("Lusaka, Ndola and Kitwe"), or that
are a country's name ("from DRC"): the small English model tags many town names as ORG or PERSON.
The gazetteer is never run over free text as patterns. Ranking: the country and admin1 areas named in the article, an
explicit container ("Long Beach, CA", "al Bukamal, Syria"), population, and whether the
name is the place's own name or an alternate one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

import numpy as np

from eventwire.data import read_tsv, word_class
from eventwire.extract.place_ranker import RankContext, Ranker, RulesRanker
from eventwire.models import FEATURE_CODES, Place, RunnerUp, Span, Toponym
from eventwire.nlp import doc_text, entity_of
from eventwire.resolve.actors import ActorKB
from eventwire.resolve.gazetteer import Candidate, Gazetteer, haversine_km, norm_key

__all__ = ["PlaceMention", "Resolution", "find_places", "toponyms", "abbreviations", "abbreviation_key"]

PLACE_LABELS = {"GPE", "LOC", "FAC"}
COMPASS_POINTS = word_class("compass_points")
FALLBACK_LABELS = {"ORG", "PERSON", "NORP", "LANGUAGE", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
LOCATIVE_PREPS = {"in", "at", "near", "outside", "into", "across", "around", "from", "to", "toward",
                  "towards", "inside", "within", "throughout", "between", "on", "of", "through", "via"}
_PRECISION = {"country": "country", "admin1": "admin1", "admin2": "admin2", "city": "town"}


@dataclass(frozen=True)
class PlaceMention:
    place: Place
    token_start: int
    token_end: int
    based: bool          # "the UK-based observatory": a source's base, never the event's place
    candidate: Candidate | None
    in_name: bool = False  # inside an organisation's name: "Taco Bell Canada"
    described: bool = False  # named by description, not by a toponym: "the Kenyan capital" -> Nairobi
    confidence: float | None = None  # the ranker's share for the reading chosen, among the name's readings
    runner_up: Candidate | None = None  # the reading the ranker put next
    runner_up_confidence: float | None = None
    resolved_by: str | None = None  # which step chose the reading (see Resolution)
    reason: str | None = None  # why an unresolved toponym has no reading
    near: bool = False  # named as the point an act was near, not in: "villages south of Kharkiv", "near Gao"


@dataclass(frozen=True)
class Resolution:
    """One name's reading and how sure it is: ``best`` (None when unresolved, with ``reason``), the
    ranker's share for it among the name's gazetteer readings (a softmax over the ranker's scores), the
    reading the ranker put next, and ``by``: the step that chose (``ranker``, ``country name``,
    ``state code``, ``abbreviation``, ``capital``, ``kind cue``, ``main city``, ``owner country``, ``container``)."""

    best: Candidate | None
    by: str | None = None
    confidence: float | None = None
    runner_up: Candidate | None = None
    runner_up_confidence: float | None = None
    reason: str | None = None


NOT_IN_GAZETTEER = "not in the gazetteer (GeoNames towns of 500 people or more, admin1 and admin2 areas, " \
                   "countries and named regions)"
FOREIGN_SPELLING = "its only readings are small towns abroad, named by a foreign spelling, in an article " \
                   "about another country"


def _container_codes(gaz: Gazetteer, kb: ActorKB, text: str) -> tuple[str | None, str | None]:
    """(country alpha-2, admin1 code) named by a container such as 'Syria', 'CA' or 'Calif.'."""
    key = norm_key(text)
    iso3 = kb.country_names.get(key)
    if iso3 and iso3 in gaz.cc3_to_cc2:
        return gaz.cc3_to_cc2[iso3], None
    if len(text.strip(".")) == 2 and text.strip(".").isupper():
        code = text.strip(".")
        if ("US", code) in gaz.admin1_names:
            return "US", code
    if abbreviation_key(text) in abbreviations():
        return abbreviations()[abbreviation_key(text)]
    for c in gaz.lookup(text):
        if c.kind == "country":
            return c.country2, None
        if c.kind == "admin1" and c.primary:
            return c.country2, c.admin1code
    return None, None


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, tuple[str, str]]:
    """Normalised abbreviation -> (country alpha-2, admin1 code), from data/places/abbreviations.tsv."""
    return {abbreviation_key(r["abbreviation"]): (r["country"], r["admin1code"])
            for r in read_tsv("places", "abbreviations.tsv")}


def abbreviation_key(text: str) -> str:
    """'N.Y.', 'Ny.' and 'NY' alike: "ny"."""
    return norm_key(text).replace(" ", "")


def _to_place(c: Candidate | None, span: Span) -> Place:
    if c is None:
        return Place(text=span.text, span=span)
    if c.kind == "region":  # a named region: as precise as an admin area inside one country, else coarser
        return Place(text=span.text, name=c.name, geonameid=None, lat=c.lat, lon=c.lon,
                     country_code=c.country3 or None, country=c.country_name, admin1=None, admin2=None,
                     precision="admin1" if c.country3 else "country", feature="region", span=span)
    return Place(text=span.text, name=c.name, geonameid=c.geonameid, lat=round(c.lat, 5), lon=round(c.lon, 5),
                 country_code=c.country3 or None, country=c.country_name,
                 admin1=c.admin1 if c.kind != "country" else None, admin2=None,
                 precision=_PRECISION[c.kind], feature=c.kind, span=span,
                 admin1_code=c.admin1_iso if c.kind != "country" else None)


def _mention(span: Span, start: int, end: int, based: bool, res: Resolution, in_name: bool = False,
             near: bool = False) -> PlaceMention:
    return PlaceMention(_to_place(res.best, span), start, end, based, res.best, in_name=in_name,
                        confidence=res.confidence, runner_up=res.runner_up,
                        runner_up_confidence=res.runner_up_confidence, resolved_by=res.by, reason=res.reason,
                        near=near)


_PROXIMITY = {"near", "outside", "nearby"}
DISTANCE_UNITS = {"km", "kms", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "mi"}


def _near_cue(doc, start: int) -> bool:
    """The words before a place name put the act near it, not in it: a compass point with "of" ("villages
    south of Kharkiv", "40 km northeast of Gao"; but "the south of Lebanon" is a part of it), "near",
    "outside", "close to" or a distance "from" ("30 km from Goma")."""
    before = [t.lower_ for t in doc[max(0, start - 7):start]]
    if len(before) >= 2 and before[-1] == "of" and before[-2] in _TOWN_WORDS:  # "near the town of Gao"
        before = before[:-2]
        if before and before[-1] == "the":
            before = before[:-1]
    if not before:
        return False
    if before[-1] in _PROXIMITY:
        return True
    if len(before) >= 2 and before[-1] == "of" and before[-2] in COMPASS_POINTS:
        return not (len(before) >= 3 and before[-3] in ("the", "its", "their"))
    if len(before) >= 2 and before[-1] == "to" and before[-2] in ("close", "closer"):
        return True
    return before[-1] == "from" and any(w in DISTANCE_UNITS for w in before[:-1])


def toponyms(mentions: Sequence[PlaceMention], kb: ActorKB) -> list[Toponym]:
    """The geoparser's view of ``find_places``: every toponym (places named by description, "the Kenyan
    capital", are no toponyms) with its reading, how sure the ranker is, the reading it put next, and why
    a toponym stayed unresolved."""
    capitals = set(kb.capital_of.items())  # (alpha-3, the capital's normalised name)
    out = []
    for pm in mentions:
        if pm.described or pm.place.span is None:
            continue
        p, c = pm.place, pm.candidate
        code = None
        if c is not None:
            code = FEATURE_CODES["capital"] if c.kind == "city" and (c.country3, norm_key(c.name)) in capitals \
                else FEATURE_CODES.get(c.kind)
        r = pm.runner_up
        out.append(Toponym(
            text=p.text, span=p.span, role="source base" if pm.based else "in a name" if pm.in_name else "place",
            name=p.name, geonameid=p.geonameid, lat=p.lat, lon=p.lon, country_code=p.country_code,
            country=p.country, admin1=p.admin1, admin1_code=p.admin1_code, feature=p.feature, feature_code=code,
            precision=p.precision, confidence=pm.confidence, resolved_by=pm.resolved_by,
            runner_up=None if r is None else RunnerUp(
                r.name, r.geonameid or None, round(r.lat, 5), round(r.lon, 5), r.country3 or None,
                r.admin1 if r.kind != "country" else None, r.kind, pm.runner_up_confidence),
            reason=pm.reason))
    return out


def _is_based(ent) -> bool:
    """'UK-based', 'London-based', 'based in London'."""
    doc = ent.doc
    after = doc[ent.end:ent.end + 2]
    if len(after) >= 2 and after[0].text == "-" and after[1].lower_ in ("based", "headquartered", "registered"):
        return True
    if len(after) >= 1 and after[0].lower_.startswith("-based"):
        return True
    i = ent.start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    # "based in London", not "an intelligence-based operation in North Waziristan"
    return i >= 1 and doc[i].lower_ == "in" and doc[i - 1].lower_ in ("based", "headquartered") \
        and not (i >= 2 and doc[i - 2].text == "-")


def find_places(doc, gaz: Gazetteer, kb: ActorKB, ranker: Ranker | None = None) -> list[PlaceMention]:
    """Every place mention in ``doc`` (a parsed article), resolved in the article's context; ``ranker``
    weighs a name's candidates (default: rules-v1's hand-set weights)."""
    ranker = ranker or RulesRanker()
    text_of_doc = doc_text(doc)
    raw = []
    for ent in doc.ents:
        if len(ent) > 1 and ent[0].lower_ in _NEAR_WORDS and ent.label_ in FALLBACK_LABELS:
            ent = ent[1:]  # the model took "Near Ayn Isa" for a name: the place follows the preposition
            if kb.named(ent.text) is None and gaz.lookup(ent.text):
                raw.append((ent, ent.text, False))
            continue
        text = ent.text.strip()
        after = doc[ent.end].lower_ if ent.end < len(doc) else ""
        if after in NOT_PLACE_HEADS or norm_key(text) in kb.country_adjectives and norm_key(text) not in kb.country_names:
            continue  # "West Nile virus", "Ebola fever", "Angolan": named after a place, not a place
        if ent.label_ in PLACE_LABELS:
            raw.append((ent, text, True))
        elif ent.label_ in FALLBACK_LABELS:
            if text.endswith(("'s", "’s")) and len(text) > 3:
                text = text[:-2]  # "the town of El Fasher's last base": the model took the possessive along
            if kb.named(text) is not None:
                continue
            i = ent.start - 1
            while i > 0 and doc[i].dep_ == "det":  # "in the DRC"
                i -= 1
            prev = doc[i] if i >= 0 and ent.start > 0 else None
            nxt = doc[ent.end:ent.end + 2]
            compass = prev is not None and prev.lower_ == "of" and i >= 1 and doc[i - 1].lower_ in COMPASS_POINTS \
                or prev is not None and prev.lower_ == "from" and i >= 1 and doc[i - 1].lower_ in DISTANCE_UNITS
            # "south of Kharkiv", "30 km from Gao": a point or a distance from a name makes it a place
            locative = prev is not None and prev.lower_ in LOCATIVE_PREPS - {"of", "to", "on", "from"} or compass
            taken = ent.root.dep_ == "dobj" and ent.root.head.lemma_.lower() in TERRITORY_VERBS and any(
                c.kind == "city" and c.population >= 100_000 for c in gaz.lookup(text))  # "entered El Fasher"
            locative = locative or _kind_cue(doc, ent) is not None or taken
            contained = len(nxt) == 2 and nxt[0].text == "," and nxt[1].ent_type_ == "GPE"
            listed = _listed_with_places(doc, ent, gaz, kb, text)
            # "from DRC", "Mozambique said": a country's name is a toponym, even when the model took it for a
            # person's name: a lone "Chad" or "Jordan" in news is the country far more often than a first name
            country = norm_key(text) in kb.country_names
            abbreviated = text[:1].isupper() and abbreviation_key(text) in abbreviations()  # "across NSW"
            if ent.label_ == "PERSON" and not (_kind_cue(doc, ent) or contained or taken or compass or listed
                                               or country or (
                    prev is not None and prev.lower_ in ("in", "near") and after not in ("'s", "’s") and any(
                        c.kind == "admin1" and c.primary for c in gaz.lookup(text)))):
                continue  # a person's name after "in" is far more often a person; "in Tamaulipas", a state the
                # model took for a person, is the exception
            if ent.label_ == "NORP" and not (_kind_cue(doc, ent) or (locative and ent.root.dep_ == "pobj")):
                continue  # "Syrian militias": an adjective, not a place
            if (locative or contained or listed or country) and (gaz.lookup(text) or abbreviated or country):
                raw.append((ent, text, False))
    raw += [(span, span.text, False) for span in _untagged_names(doc, gaz, kb)]
    dateline = _dateline_place(doc, gaz)
    if dateline is not None:  # "ST. LOUIS (AP) —": the model splits capitals; the whole name is the place
        raw = [(dateline, dateline.text, True)] + [r for r in raw if r[0].end <= dateline.start
                                                   or r[0].start >= dateline.end]
    taken = {i for ent, _, _ in raw for i in range(ent.start, ent.end)}
    raw += [(span, span.text, True) for span in _state_codes(doc, gaz) if span.start not in taken]
    inside = _countries_in_names(doc, kb)
    inside_keys = {(s.start, s.end) for s in inside}
    raw += [(span, span.text, True) for span in inside]
    # first pass: unambiguous countries and admin areas make the context
    countries: dict[str, float] = {}
    admins: dict[tuple[str, str], float] = {}
    for ent, text, _ in raw:
        iso3 = kb.country_names.get(norm_key(text))
        if iso3 and iso3 in gaz.cc3_to_cc2:
            cc = gaz.cc3_to_cc2[iso3]
            countries[cc] = countries.get(cc, 0.0) + 1.0
            continue
        if text[:1].isupper() and abbreviation_key(text) in abbreviations():  # "N.Y.", "Calif.", "FL"
            cc, a1 = abbreviations()[abbreviation_key(text)]
            admins[(cc, a1)] = admins.get((cc, a1), 0.0) + 1.0
            countries[cc] = countries.get(cc, 0.0) + 1.0
            continue
        code = text.replace(".", "")
        if len(code) == 2 and code.isupper() and ("US", code) in gaz.admin1_names:
            admins[("US", code)] = admins.get(("US", code), 0.0) + 1.0
            countries["US"] = countries.get("US", 0.0) + 1.0
            continue
        found = gaz.lookup(text)
        if any(c.kind == "region" for c in found):
            continue  # "Red Sea" is a sea before it is Sudan's or Egypt's state: no context from it
        big_city = max((c.population for c in found if c.kind == "city"), default=0)
        for c in found:
            if c.kind == "country":
                countries[c.country2] = countries.get(c.country2, 0.0) + 1.0
            elif c.kind == "admin1" and c.primary and not (big_city >= 100_000 and c.population < 5 * big_city):
                # "Portland" is the Oregon city before it is Jamaica's parish: only a state whose name no
                # big city shares makes context
                admins[(c.country2, c.admin1code)] = admins.get((c.country2, c.admin1code), 0.0) + 1.0
                countries[c.country2] = countries.get(c.country2, 0.0) + 1.0
    for ent in doc.ents:  # demonyms add weak country context ("Syrian militias")
        if ent.label_ == "NORP":
            iso3 = kb.country_adjectives.get(norm_key(ent.text))
            if iso3 and iso3 in gaz.cc3_to_cc2:
                cc = gaz.cc3_to_cc2[iso3]
                countries[cc] = countries.get(cc, 0.0) + 0.3
    out: list[PlaceMention] = []
    pending: list[tuple] = []
    holders: list[tuple[int, int, str]] = []  # (mention, the holder's first token, the name)
    for ent, text, trusted in raw:
        span = Span(ent.start_char, ent.end_char, text_of_doc[ent.start_char:ent.end_char])
        if span.text.lower().startswith("the "):
            span = Span(span.start + 4, span.end, span.text[4:])
            text = span.text
        if span.text.endswith(("'s", "’s")) and len(span.text) > 3:  # "United Kingdom's"
            span = Span(span.start, span.end - 2, span.text[:-2])
            text = span.text
        container: tuple[str | None, str | None] = (None, None)
        owned = False
        nxt = doc[ent.end:ent.end + 3]
        if len(nxt) >= 2 and nxt[0].text == ",":
            container = _container_codes(gaz, kb, nxt[1].text if nxt[1].ent_type_ == "" or len(nxt) < 3
                                         else doc[ent.end + 1: ent.end + 1 + _ent_len(doc, ent.end + 1)].text)
        elif ent.start >= 2 and doc[ent.start - 1].lower_ in ("'s", "’s"):
            owner = entity_of(doc[ent.start - 2]) or doc[ent.start - 2:ent.start - 1]
            iso3 = kb.country_names.get(norm_key(re.sub(r"['’]s$", "", owner.text)))
            if iso3 and iso3 in gaz.cc3_to_cc2:  # "Iraq's Kurdistan region" is in Iraq
                container = (gaz.cc3_to_cc2[iso3], None)
                owned = True
        prefer = _kind_cue(doc, ent)
        if prefer is None and _contains_previous(doc, ent) and norm_key(text) not in kb.country_names:
            prefer = "admin1"  # "Moore, Oklahoma": the state, not Oklahoma City
        if prefer == "admin1":
            text = _ADMIN_SUFFIX.sub("", text) or text
        res = _resolve(text, gaz, kb, countries, admins, container, prefer, ranker=ranker,
                       where=(span.start, span.end))
        best = res.best
        if owned and best is not None and best.country2 != container[0] and best.kind in ("city", "admin1", "admin2") \
                and not any(c.kind == "region" and c.country2 for c in gaz.lookup(text)):
            # none of that name in the owner country: the country itself (a region with a country of its own,
            # such as the West Bank, keeps its resolution)
            res = Resolution(gaz.country(container[0]), "owner country", None, best, res.confidence)
            best = res.best
        if best is None and not trusted:
            continue
        if best is None:  # "Bramblewick, a village in Oxfordshire": at least the area that holds it (below)
            at = _holder_at(doc, ent)
            if at is not None:
                holders.append((len(out), at, text))
        out.append(_mention(span, ent.start, ent.end, _is_based(ent), res, in_name=(ent.start, ent.end) in inside_keys,
                            near=_near_cue(doc, ent.start)))
        pending.append((len(out) - 1, text, span, container, prefer))
    # the holders of names the gazetteer lacks, as the article read them ("Punjab" in an article about India)
    starts = {pm.token_start: pm for pm in out}
    for k, at, text in holders:
        held = starts.get(at)
        if held is not None and held.candidate is not None:
            area = held.candidate if held.candidate.kind in ("country", "admin1", "admin2") else None
        elif doc[at].ent_type_ in ("GPE", "LOC"):
            area = _area_named(doc[at:at + _ent_len(doc, at)].text, gaz, kb)
        else:
            area = None
        if area is not None:
            pm = out[k]
            res = Resolution(area, "container", reason=f"{text} is not in the gazetteer: placed at the area that "
                                                       f"holds it, {area.name}")
            out[k] = _mention(pm.place.span, pm.token_start, pm.token_end, pm.based, res, in_name=pm.in_name,
                              near=pm.near)
    # second pass: the whole article votes. Admin areas that only resolved in context ("the governor of
    # Georgia" is the US state) now count as context for the towns that had no container ("Athens" is then
    # Athens, Georgia), and each town is read again beside the points of the article's other places
    found = {(pm.candidate.country2, pm.candidate.admin1code) for pm in out
             if pm.candidate is not None and (pm.candidate.kind == "admin1" or (
                 dateline is not None and pm.token_start == dateline.start))} - set(admins)  # a dateline's town too
    if found or len(pending) > 1:
        more = dict(admins)
        for key in found:
            more[key] = more.get(key, 0.0) + 1.0
            countries[key[0]] = countries.get(key[0], 0.0) + 0.5
        first = list(out)  # each town is read beside the others' first readings, whatever the order of reading
        keys = [norm_key(o.place.text) for o in first]
        for i, text, span, container, prefer in pending:
            pm = out[i]
            if container[0] or pm.candidate is None or pm.candidate.kind != "city":
                continue
            others = _voters(first, keys, i, norm_key(text))
            anchors = tuple((o.candidate.lat, o.candidate.lon) for o in others if o.candidate.kind in ("city", "admin2"))
            areas = tuple((o.candidate.country2, o.candidate.admin1code if o.candidate.kind != "country" else "")
                          for o in others if o.candidate.kind != "region")
            res = _resolve(text, gaz, kb, countries, more, container, prefer, ranker=ranker,
                           where=(span.start, span.end), anchors=anchors, anchor_areas=areas)
            if res.best is not None:
                out[i] = _mention(span, pm.token_start, pm.token_end, pm.based, res, in_name=pm.in_name, near=pm.near)
    named = {i for pm in out if pm.place.precision != "country" for i in range(pm.token_start, pm.token_end)}
    for start, end, best in _capital_phrases(doc, gaz, kb):
        if named.isdisjoint(range(start, end)):  # no named place overlaps the phrase
            first, last = doc[start], doc[end - 1]
            span = Span(first.idx, last.idx + len(last), text_of_doc[first.idx:last.idx + len(last)])
            out.append(PlaceMention(_to_place(best, span), start, end, False, best, described=True,
                                    confidence=1.0, resolved_by="capital"))
    return sorted(out, key=lambda pm: pm.token_start)


def _capital_phrases(doc, gaz: Gazetteer, kb: ActorKB) -> list[tuple[int, int, Candidate]]:
    """'the Georgian capital', "Sudan's capital", 'the capital of Kenya' when the name itself is not given:
    (token start, token end, the capital city)."""
    capital_names = kb.capital_of
    out = []
    for tok in doc:
        if tok.lower_ != "capital" or tok.pos_ != "NOUN":
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and (nxt.ent_type_ in ("GPE", "LOC") or nxt.pos_ == "PROPN" or nxt.lower_ in (
                "city", "markets", "market", "gains", "expenditure", "flight", "punishment", "letters", "investment")):
            continue  # "the Georgian capital Tbilisi" names it; "capital markets" is money
        iso3, start, end = None, tok.i, tok.i + 1
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and prev.lower_ in ("'s", "’s") and tok.i >= 2:
            owner = entity_of(doc[tok.i - 2]) or doc[tok.i - 2:tok.i - 1]
            name = re.sub(r"['’]s$", "", owner.text)
            iso3, start = kb.country_names.get(norm_key(name)), owner.start  # "South Sudan's capital"
        elif prev is not None and prev.dep_ in ("amod", "compound"):
            key = norm_key(prev.text)
            iso3, start = kb.country_adjectives.get(key) or kb.country_names.get(key), tok.i - 1
            if tok.i >= 2 and doc[tok.i - 2].lower_ != "the":
                iso3 = None  # "a Georgian capital" is not a place
        elif nxt is not None and nxt.lower_ == "of" and tok.i + 2 < len(doc):
            iso3, end = kb.country_names.get(norm_key(doc[tok.i + 2].text)), tok.i + 3
        if not iso3 or iso3 not in capital_names:
            continue
        cities = [c for c in gaz.lookup(capital_names[iso3]) if c.kind == "city" and c.country3 == iso3]
        if cities:
            out.append((start, end, max(cities, key=lambda c: c.population)))
    return out


NOT_PLACE_HEADS = {"virus", "fever", "disease", "flu", "influenza", "strain", "ebolavirus", "virus's", "viruses",
                   "syndrome", "encephalitis", "variant"}
_ADMIN_WORDS = {"province", "governorate", "state", "region", "district", "county", "oblast", "prefecture",
                "department", "division", "territory"}
_TOWN_WORDS = {"city", "town", "village", "capital", "hamlet", "settlement", "port", "suburb", "neighbourhood",
               "neighborhood", "municipality"}
_ADMIN_SUFFIX = re.compile(r"\s+(province|governorate|state|region|district|county|oblast|prefecture|department)$",
                           re.I)


_DATELINE = re.compile(r"([A-Z][A-Z'’.-]*(?:[ ][A-Z][A-Z'’.-]*){0,3})(?=\s*,|\s*\([A-Za-z .]+\)|\s+[—–-]\s|\s+[A-Z][a-z])"
                       r"|([A-Z][a-z'’.-]+(?:[ ][A-Z][a-z'’.-]+){0,2})(?=:\s)")
# "KISUMU, Kenya -", "ST. LOUIS (AP) —", "DETROIT The ministry ..." (a capitals dateline run into the body),
# "Muscat: The festival ..." (a title-case dateline with a colon, as many South Asian and Gulf papers write it)


def _dateline_place(doc, gaz: Gazetteer):
    """The place of a dateline in capitals at the start of the body: "KISUMU, Kenya, March 6 -",
    "ST. LOUIS (AP) —"."""
    text = doc_text(doc)
    start = text.find("\n\n") + 2 if "\n\n" in text[:400] else 0
    while start < len(text) and text[start].isspace():
        start += 1
    m = _DATELINE.match(text, start)
    group = 1 if m is not None and m.group(1) else 2
    if m is None or len(m.group(group).replace(".", "").strip()) < 3 or not gaz.lookup(m.group(group)):
        return None
    return doc.char_span(m.start(group), m.end(group), alignment_mode="expand")


def _contains_previous(doc, ent) -> bool:
    """The place right after "Town," (its state or country)."""
    return ent.start >= 2 and doc[ent.start - 1].text == "," and doc[ent.start - 2].ent_type_ in ("GPE", "LOC", "FAC") \
        and (ent.end >= len(doc) or doc[ent.end].lower_ not in ("and", "or"))


def _state_codes(doc, gaz: Gazetteer) -> list:
    """A state's postal code or abbreviation after a town, however the model tagged it: "Gainesville, FL"."""
    out = []
    for tok in doc[2:]:
        if tok.ent_type_ not in ("", "ORG", "GPE") or doc[tok.i - 1].text != "," or \
                doc[tok.i - 2].ent_type_ not in ("GPE", "LOC", "FAC"):
            continue
        code = tok.text.replace(".", "")
        if (len(code) == 2 and code.isupper() and ("US", code) in gaz.admin1_names) or \
                (tok.text[:1].isupper() and abbreviation_key(tok.text) in abbreviations()):
            out.append(doc[tok.i:tok.i + 1])
    return out


def _kind_cue(doc, ent) -> str | None:
    """'the city of Saada' prefers a town; 'Saada province' / 'the province of Saada' an admin area."""
    last = ent.text.split()[-1].lower() if ent.text.split() else ""
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    before = [t.lower_ for t in doc[max(0, ent.start - 2):ent.start]]
    if last in _ADMIN_WORDS or after in _ADMIN_WORDS or (len(before) == 2 and before[1] == "of" and before[0] in
                                                           _ADMIN_WORDS | {"governor", "governorship"}):
        return "admin1"  # "Saada province", "the state of Borno", "the governor of Georgia"
    if (len(before) == 2 and before[1] == "of" and before[0] in _TOWN_WORDS) or after in _TOWN_WORDS:
        return "city"
    return None


def _countries_in_names(doc, kb: ActorKB) -> list:
    """Country names inside an organisation's name ('the U.S. Centers for Disease Control',
    'Taco Bell Canada'): real toponyms, but never an event's place (marked in_name)."""
    out = []
    taken: set[int] = set()  # tokens of the names found so far: a name found never overlaps another
    for ent in doc.ents:
        if ent.label_ != "ORG" or len(ent) < 2:
            continue
        toks = list(ent)
        for n in (3, 2, 1):
            for i in range(len(toks) - n + 1):
                span = doc[toks[i].i:toks[i].i + n]
                if not taken.isdisjoint(range(span.start, span.end)):
                    continue
                hyphenated = span.text.endswith("-") or (span.end < len(doc) and doc[span.end].text == "-") or \
                    (span.start > 0 and doc[span.start - 1].text == "-")
                if span.text[:1].isupper() and not hyphenated and kb.country_names.get(norm_key(span.text)) and \
                        norm_key(span.text) != norm_key(ent.text):
                    out.append(span)
                    taken.update(range(span.start, span.end))
    return out


_NEAR_WORDS = {"in", "near", "outside", "at"}
TERRITORY_VERBS = {"enter", "capture", "overrun", "besiege", "retake", "recapture", "encircle", "liberate", "seize",
                   "surround", "storm", "evacuate", "flee", "strike", "hit", "shell", "bomb", "pound"}


def _untagged_names(doc, gaz: Gazetteer, kb: ActorKB) -> list:
    """Proper names the NER missed that stand where a place stands: 'the town of Vardenis'."""
    out = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.pos_ != "PROPN" or tok.ent_type_ or not tok.text[:1].isupper():
            i += 1
            continue
        j = i
        while j < len(doc) and doc[j].pos_ == "PROPN" and not doc[j].ent_type_:
            j += 1
        start = i + 1 if tok.lower_ in _NEAR_WORDS and j > i + 1 else i  # "Near Al Huwayjah, one strike ..."
        before = [t.lower_ for t in doc[max(0, start - 2):start]]
        cue = (len(before) == 2 and before[1] == "of" and before[0] in _TOWN_WORDS | _ADMIN_WORDS) or \
            (before and before[-1] in _NEAR_WORDS)
        span = doc[start:j]
        if cue and kb.named(span.text) is None and gaz.lookup(span.text):
            out.append(span)
        i = j
    return out


VOTERS = 20  # the places read beside a town: at most this many before it in the article and as many after


def _voters(mentions: list[PlaceMention], keys: list[str], i: int, key: str) -> list[PlaceMention]:
    """The places whose readings vote on mention ``i``: the distinct places named nearest it in the text (at
    most ``VOTERS`` on each side, so that a long list of places costs linear time), other mentions of the
    same name left out (a name does not vote for itself)."""
    out, seen = [], set()
    for j in range(max(0, i - VOTERS), min(len(mentions), i + VOTERS + 1)):
        o = mentions[j]
        if j == i or o.candidate is None or keys[j] == key:
            continue
        ident = (o.candidate.geonameid, o.candidate.name)
        if ident in seen:
            continue
        seen.add(ident)
        out.append(o)
    return out


def _holder_at(doc, ent) -> int | None:
    """Where the area or country that the text says holds a place begins: "X, Y", "X in Y", "X, a village in
    Y", "X village of Y district" (Y the first place named after it within a few words, with nothing but a
    comma, a town word or "in" / "of" between; not "X, Kenya and Uganda", a list)."""
    i = ent.end
    stop = min(len(doc), ent.end + 6)
    while i < stop and (doc[i].text == "," or doc[i].lower_ in ("a", "an", "the", "in", "of", "near") or
                        doc[i].lower_ in _TOWN_WORDS | _ADMIN_WORDS | {"district", "community", "township"}):
        i += 1
    if i >= stop or i == ent.end or not doc[i].ent_type_:  # the model may tag the holder otherwise ("Punjab"
        return None  # NORP): the caller takes it when it was read as a place, or when it is tagged GPE or LOC
    n = _ent_len(doc, i)
    after = doc[i + n].lower_ if i + n < len(doc) else ""
    if after in ("and", "or", ",") and i + n + 1 < len(doc) and doc[i + n + 1].ent_type_ in ("GPE", "LOC") \
            or ent.root.dep_ == "conj" or doc[i + n - 1].dep_ == "conj":
        return None  # "X, Kenya and Uganda": a list of places, not X in Kenya
    words = {t.lower_ for t in doc[ent.end:i]}
    return i if words & {",", "in", "of"} else None


def _area_named(name: str, gaz: Gazetteer, kb: ActorKB) -> Candidate | None:
    """The country or admin area of a holder's name that no mention resolved: the most populous."""
    iso3 = kb.country_names.get(norm_key(name))
    if iso3 and iso3 in gaz.cc3_to_cc2:
        return gaz.country(gaz.cc3_to_cc2[iso3])
    areas = [c for c in gaz.lookup(_ADMIN_SUFFIX.sub("", name) or name) if c.kind in ("admin1", "admin2", "country")
             and c.primary]
    return max(areas, key=lambda c: c.population) if areas else None


LIST_KM = 1000.0  # a list of places is regional: a member's reading this near another member's counts


def _listed_with_places(doc, ent, gaz: Gazetteer, kb: ActorKB, text: str) -> bool:
    """The name is one member of a coordinated list ("X, Y and Z") with places the model tagged, and it has a
    reading beside theirs: a country in a list of countries, a town or area in a state or country one of them
    is in, or one within ``LIST_KM`` of theirs ("Lusaka, Ndola and Kitwe"; "Darfur and Malakal"). The members
    of one list name one kind of thing; "France, Germany and Adams" lists no town of that name in France or
    Germany."""
    head = ent.root
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    members, todo = [], [head]
    while todo:  # the list's members: its first word and the conjuncts hanging from it, one level at a time
        tok = todo.pop()
        members.append(tok)
        todo.extend(c for c in tok.children if c.dep_ == "conj")
    places = [entity_of(t) for t in members if t.ent_type_ in ("GPE", "LOC") and not (ent.start <= t.i < ent.end)]
    if not places:
        return False
    mine = gaz.lookup(text)
    if abbreviation_key(text) in abbreviations() and text[:1].isupper():
        mine = mine + [gaz.admin1(*abbreviations()[abbreviation_key(text)])]
    if norm_key(text) in kb.country_names:
        return True
    theirs = [c for p in places if p is not None for c in gaz.lookup(p.text)]
    if not theirs:  # the other members are places the gazetteer lacks: nothing to compare with
        return any(c is not None and c.primary for c in mine)
    areas = {(c.country2, c.admin1code if c.kind != "country" else None) for c in theirs} | {
        (c.country2, None) for c in theirs}
    return any(c is not None and ((c.country2, None) in areas and c.kind in ("admin1", "admin2", "country")
                                  or (c.country2, c.admin1code) in areas
                                  or c.primary and any(haversine_km(c.lat, c.lon, o.lat, o.lon) <= LIST_KM for o in theirs))
               for c in mine)


def _ent_len(doc, i: int) -> int:
    tok = doc[i]
    if not tok.ent_type_:
        return 1
    n = 1
    while i + n < len(doc) and doc[i + n].ent_iob_ == "I":
        n += 1
    return n


def _resolve(text: str, gaz: Gazetteer, kb: ActorKB, countries, admins, container,
             prefer: str | None = None, *, ranker: Ranker, where: tuple[int, int] | None = None,
             anchors: tuple[tuple[float, float], ...] = (),
             anchor_areas: tuple[tuple[str, str], ...] = ()) -> Resolution:
    key = norm_key(text)
    exact_case = text[:1].isupper()
    ctx = RankContext(countries, admins, container, prefer, exact_case, anchors, where, anchor_areas)
    iso3 = kb.country_names.get(key)
    if iso3 and iso3 in gaz.cc3_to_cc2 and not container[0]:
        cc2 = gaz.cc3_to_cc2[iso3]
        if prefer == "admin1":  # "the governor of Georgia", "the state of Georgia"
            states = [c for c in gaz.lookup(text) if c.kind == "admin1" and c.primary]
            if states:
                return _weighed(max(states, key=lambda c: (countries.get(c.country2, 0.0), c.population)),
                                "kind cue", gaz.lookup(text), ranker, ctx)
        states = [c for c in gaz.lookup(text) if c.kind == "admin1" and c.primary and c.country2 != cc2
                  and countries.get(c.country2, 0.0) > countries.get(cc2, 0.0)]
        if states:  # "Georgia" in an article about the United States is the state
            return _weighed(max(states, key=lambda c: countries.get(c.country2, 0.0)), "country name",
                            gaz.lookup(text), ranker, ctx)
        return _weighed(gaz.country(cc2), "country name", gaz.lookup(text), ranker, ctx)
    if len(text) == 2 and text.isupper() and ("US", text) in gaz.admin1_names:
        return Resolution(gaz.admin1("US", text), "state code", 1.0)
    if text[:1].isupper() and abbreviation_key(text) in abbreviations():  # "NSW", "Calif.", "N.Y."
        return Resolution(gaz.admin1(*abbreviations()[abbreviation_key(text)]), "abbreviation", 1.0)
    part = re.sub(r"^(?:northern|southern|eastern|western|central|north|south|east|west)\s+", "", key)
    if part != key and key not in gaz.regions and kb.country_names.get(part) in gaz.cc3_to_cc2 \
            and part not in ("america", "americas") and key not in kb.country_names \
            and not gaz.lookup(text):  # "South Lebanon", "northern Syria"
        return Resolution(gaz.country(gaz.cc3_to_cc2[kb.country_names[part]]), "country name", 1.0)
    cands = gaz.lookup(text)
    if not cands:
        stripped = re.sub(r"^(?:northern|southern|eastern|western|central|north|south|east|west|greater)\s+", "",
                          text, flags=re.I)
        if stripped != text:
            cands = gaz.lookup(stripped)
    spelled = ""
    if not cands and text[:1].isupper():  # "Deir Ezzor", "Mosoul": a romanisation the gazetteer does not list
        spelled, cands = gaz.lookup_spelling(text)
        # a name spelled like a place is that place only when the article is about its country, or the place
        # is a country or a state: most names the gazetteer lacks are villages, valleys or people, and a
        # spelling close to a far-off town's is chance
        cands = [c for c in cands if countries.get(c.country2, 0.0) >= 1.0 or c.kind in ("country", "admin1")]
    if not cands:
        return Resolution(None, reason=NOT_IN_GAZETTEER)
    capital_of = kb.capitals.get(key)
    local = [c for c in cands if c.kind == "city" and admins.get((c.country2, c.admin1code), 0.0) >= 1.0
             and c.country3 != capital_of]
    if capital_of and prefer != "admin1" and not container[0] and not local:
        # "Washington" is the capital, not the state; but "Athens" in an article about Georgia's towns is theirs
        capitals = [c for c in cands if c.kind == "city" and c.country3 == capital_of]
        if capitals:
            return _weighed(max(capitals, key=lambda c: c.population), "capital", cands, ranker, ctx)
    scores = ranker.scores(cands, ctx)
    best, by = cands[int(np.argmax(scores))], "ranker"
    if best.kind == "city" and not best.primary and best.population < 100_000 and not container[0] \
            and countries.get(best.country2, 0.0) == 0.0 \
            and max(countries.values(), default=0.0) >= 1.0 and key not in norm_key(best.name):
        # "Kairu village" in a story about Nigeria is not Kyle, Texas, by one of its foreign names
        return Resolution(None, reason=FOREIGN_SPELLING, runner_up=best,
                          runner_up_confidence=_shares(scores)[int(np.argmax(scores))])
    if prefer == "admin1" and best.kind == "city":
        # "Russia's Belgorod region": the gazetteer knows the oblast only as "Belgorodskaya oblast'"; the
        # state around the city whose name it starts with is the region meant
        state = gaz.admin1(best.country2, best.admin1code)
        stem = key[:max(4, len(key) - 1)]
        if state is not None and len(key) >= 4 and norm_key(state.name).startswith(stem):
            best, by = state, "kind cue"
    if best.kind in ("admin1", "admin2") and prefer != "admin1":
        # "Jakarta", "Baghdad": the main city of the same name is what news usually means
        cities = [c for c in cands if c.kind == "city" and c.country2 == best.country2
                  and c.admin1code == best.admin1code and c.population >= 0.1 * best.population]
        if cities:
            return _weighed(max(cities, key=lambda c: c.population), "main city", cands, ranker, ctx, scores)
    if spelled:
        res = _weighed(best, "similar spelling", cands, ranker, ctx, scores)
        return replace(res, reason=f"no place is spelled {text!r}: read as {spelled!r}")
    return _weighed(best, by, cands, ranker, ctx, scores)


def _shares(scores: np.ndarray) -> np.ndarray:
    """A softmax over one name's candidate scores."""
    z = np.exp(scores - scores.max())
    return z / z.sum()


# the rules that read a city and the admin areas of its name around it as one place ("Baghdad", "Paris")
_CITY_RULES = {"main city", "capital"}


def _weighed(best: Candidate | None, by: str, cands: Sequence[Candidate], ranker: Ranker, ctx: RankContext,
             scores: np.ndarray | None = None) -> Resolution:
    """``best`` with the ranker's share for it among ``cands`` and the reading the ranker puts next, when its
    share is not nil. A city chosen by a rule of ``_CITY_RULES`` takes the shares of the admin areas of its name
    that hold it; a reading chosen by a rule outside ``cands`` (a country by its owner) gets no share."""
    if best is None:
        return Resolution(None, reason=NOT_IN_GAZETTEER)
    if not cands:
        return Resolution(best, by)
    # a rule's choice is weighed without the mention's place in the article: only the ranker's own choices are
    # the calls a training recorder keeps
    shares = _shares(ranker.scores(cands, replace(ctx, where=None)) if scores is None else scores)
    same = {best.geonameid} | ({c.geonameid for c in cands if c.kind in ("admin1", "admin2") and c.country2 == best.country2
                                and c.admin1code == best.admin1code} if by in _CITY_RULES else set())
    mine = [k for k, c in enumerate(cands) if c.geonameid in same]
    others = [k for k, c in enumerate(cands) if c.geonameid not in same]
    nxt = max(others, key=lambda k: shares[k]) if others else None
    if nxt is not None and round(float(shares[nxt]), 4) == 0.0:
        nxt = None
    return Resolution(best, by, round(float(sum(shares[k] for k in mine)), 4) if mine else None,
                      cands[nxt] if nxt is not None else None,
                      round(float(shares[nxt]), 4) if nxt is not None else None)
