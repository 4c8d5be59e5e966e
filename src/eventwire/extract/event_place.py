"""Where an event happened: the places of its own clauses, not a source's base or an actor's home."""
from __future__ import annotations

from dataclasses import replace

from eventwire.data import word_class
from eventwire.extract.casualties import REPORT_LEMMAS
from eventwire.extract.roles import RolePhrase
from eventwire.models import Actor, Mention, Place
from eventwire.nlp import clause_verb
from eventwire.extract.places import DISTANCE_UNITS, PlaceMention

__all__ = ["places_for", "choose_location", "home_country", "is_locative", "PRECISION_RANK"]


# "near": an act placed near a named town ("shelling south of Kharkiv"): the town's point, less sure than in it
PRECISION_RANK = {"exact": 5, "town": 4, "near": 3.5, "admin2": 3, "admin1": 2, "country": 1, None: 0}


LOCATIVE = {"in", "at", "near", "outside", "inside", "into", "across", "around", "throughout", "within",
             "on", "over", "along", "toward", "towards", "north", "south", "east", "west", "between", "of"}


VISIT_VERBS = {"visit", "tour", "enter", "storm", "overrun", "capture", "seize", "raid", "bomb", "shell", "strike",
               "hit", "attack", "besiege", "occupy", "invade", "reach"}


MOVEMENT_VERBS = {"deploy", "send", "travel", "fly", "arrive", "move", "march", "return", "dispatch", "deliver",
                  "evacuate", "transfer", "head", "come", "go", "advance", "withdraw", "retreat", "flee", "walk"}


def is_locative(tok) -> bool:
    """True when a place token stands as a location (the object of 'in', 'near', ...)."""
    node = tok.head if tok.dep_ == "case" else tok  # "El Fasher's": the name, not its possessive ending
    for _ in range(4):
        while node.dep_ in ("compound", "flat") and node.head.i != node.i:
            node = node.head
        if node.dep_ in ("appos", "conj") and node.head.i != node.i:
            node = node.head
            continue
        if node.dep_ == "poss" and node.head.pos_ == "NOUN":
            node = node.head  # "control of El Fasher's last army base": where the base is
            continue
        if node.dep_ == "dobj" and node.head.lemma_.lower() in VISIT_VERBS:
            return True  # "visited Kyiv"
        if node.dep_ == "pobj":
            prep = node.head
            if prep.lower_ in ("to", "through", "across") and prep.head.lemma_.lower() in MOVEMENT_VERBS:
                return True  # "deployed 500 troops to Lithuania", "marched through central London"
            if prep.lower_ == "from" and prep.i > 0 and prep.doc[prep.i - 1].lower_ in DISTANCE_UNITS:
                return True  # "an ambush 30 km from Gao": a distance from a place puts the act near it
            if prep.lower_ in LOCATIVE and not (prep.lower_ == "of" and prep.head.lower_ not in COMPASS_POINTS
                                                and prep.head.lemma_.lower() not in ("outskirts", "city", "town", "village", "province", "region",
                                                 "part", "north", "south", "east", "west", "centre", "center",
                                                 "area", "district", "capital", "border", "suburb", "port",
                                                 "airport", "market", "camp", "county", "governorate", "state",
                                                 "island", "neighbourhood", "neighborhood", "heart", "streets",
                                                 "outskirt", "edge", "municipality", "prefecture", "commune")):
                return True
            return False
        if node.dep_ in ("ROOT", "npadvmod") and node.head.i == node.i or node.dep_ == "npadvmod":
            return True
        return False
    return False


STATE_SECTORS = word_class("sectors_state")
COMPASS_POINTS = word_class("compass_points")


def home_country(actors: tuple[Actor, ...], location: Place | None) -> tuple[Actor, ...]:
    """'Police' with no country named act in their own country: the country where the event happened."""
    country = location.country_code if location else None
    if country is None:
        return actors
    out = []
    for a in actors:
        if a.country is None and a.sector in STATE_SECTORS and not a.associated_country and a.code in (a.sector, None):
            a = replace(a, country=country, code=country + a.sector, resolved=True,
                        name=f"{a.text} ({country} {a.sector}, country from context)")
        out.append(a)
    return tuple(out)


def choose_location(ms: list[Mention]) -> Place | None:
    """The most precise place attached to the event's clauses; else, for an asserted event, one
    elsewhere in its sentences."""
    tiers = ("places", "context_places") if ms[0].modality == "asserted" else ("places",)
    for attr in tiers:
        best = None
        for order, m in enumerate(ms):
            for p in getattr(m, attr):
                if p.lat is None:
                    continue
                rank = (PRECISION_RANK[p.precision], m.modality == "asserted", -order)
                if best is None or rank > best[0]:
                    best = (rank, p)
        if best:
            return best[1]
    return None


def places_for(sent, head, places: list[PlaceMention], roles: list[RolePhrase]) -> list[tuple[int, Place]]:
    """Places of the trigger's sentence that stand where an event's place stands.

    A place counts when it is the object of a locative preposition ("in al Bukamal",
    "into Syria"), directly or through an apposition or conjunct ("al Bukamal, Syria"), or
    a dateline or heading on its own. A source's base ("UK-based"), an origin ("from
    Iraq"), an actor ("the US could send") and an adjective ("US soldiers") do not count.
    """
    out = []
    subtree = {t.i for t in head.subtree}
    clause = clause_verb(head)
    if clause.lemma_.lower() in REPORT_LEMMAS and clause.i != head.i:
        clause = head
    clause_tree = {t.i for t in clause.subtree}
    report_tree = set()
    root = sent.root
    fronted = set()
    if root.lemma_.lower() in REPORT_LEMMAS and root.i not in clause_tree:
        # "said in Washington" is where it was said; but "In Russia's Belgorod region, the governor said
        # drones hit two houses" opens the sentence and sets the scene of what is reported, unless the
        # report names a place of its own ("In London, a spokesman said missiles struck Kharkiv")
        fronted = {t.i for c in root.children if c.dep_ == "prep" and c.i == sent.start for t in c.subtree}
        report_tree = {t.i for c in root.children if c.dep_ in ("prep", "npadvmod", "nsubj")
                       for t in c.subtree} - fronted
    for pm in places:
        if pm.token_start in report_tree:
            continue
        if not (sent.start <= pm.token_start < sent.end) or pm.based or pm.in_name:
            continue
        tok = sent.doc[pm.token_end - 1]
        if not is_locative(tok):
            continue
        struck_town = tok.dep_ == "dobj" and tok.head.lemma_.lower() in VISIT_VERBS  # "missiles struck Kharkiv"
        if any(r.start <= pm.token_start < r.end and (r.role == "actor" or (r.head == tok.i and not struck_town))
               for r in roles):
            continue  # part of who acted, or the target itself; "a depot at the port of Hodeidah" is a place

        attached = 2 if pm.token_start in subtree else 1 if pm.token_start in clause_tree else 0
        place = replace(pm.place, precision="near") if pm.near and pm.place.precision == "town" else pm.place
        out.append((attached, place, pm.token_start in fronted))
    if any(not f and attached > 0 for attached, _, f in out):
        out = [x for x in out if not x[2]]
    out.sort(key=lambda x: (-x[0], -PRECISION_RANK[x[1].precision]))
    return [(attached, place) for attached, place, _ in out]
