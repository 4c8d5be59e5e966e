"""Who did it (actor) and to whom (recipient), read off the dependency parse.

Handles active and passive clauses ("were targeted by US air strikes"), reduced relatives
("Militias Targeted by US Air Strikes"), noun triggers with their modifiers ("the US air
strike", "attacks on US soldiers"), light verbs ("conducted an air strike"), conjoined
(compound) actors, relative pronouns and the owners of struck infrastructure ("buildings used
by the militias": the recipient is the militias).
"""
from __future__ import annotations

from dataclasses import dataclass

from eventwire.data import word_class

__all__ = ["RolePhrase", "find_roles", "phrase_bounds", "at_protesters"]

PROTEST_PEOPLE = word_class("protest_crowd_words")


def at_protesters(actors) -> bool:
    """Whether a recipient is named as the people at a demonstration ("the protesters", "the crowd")."""
    return any(a.role == "recipient" and set(a.text.lower().split()) & PROTEST_PEOPLE for a in actors)

LIGHT_VERBS = {"conduct", "carry", "launch", "stage", "hold", "mount", "wage", "order", "unleash", "step",
               "begin", "make", "perform", "execute", "undertake", "commit", "perpetrate", "claim", "send",
               "fire", "stage", "organise", "organize", "lead", "impose", "announce", "sign", "reach", "issue",
               "deliver", "provide", "give", "pay", "lodge", "file", "level", "hurl", "lob", "authorize",
               "authorise", "approve", "resume", "continue", "intensify", "escalate", "call", "declare",
               "offer", "extend", "express", "voice", "hold", "host", "tighten", "enforce", "maintain",
               "reinforce", "intensify", "expand", "widen", "reimpose", "renew"}
TARGET_PREPS = {"on", "against", "at", "upon", "targeting", "into", "with", "toward", "towards", "to"}
INFRASTRUCTURE = {"infrastructure", "building", "base", "point", "facility", "target", "position", "convoy",
                  "truck", "depot", "headquarters", "camp", "site", "post", "checkpoint", "compound", "warehouse",
                  "office", "outpost", "installation", "vehicle", "stronghold", "hideout", "asset", "center",
                  "centre", "plant", "store", "weapon", "ammunition"}
OWNER_VERBS = {"use", "own", "operate", "run", "control", "hold", "occupy", "belong", "man", "house"}
WEAPON_OBJECTS = {"gas", "tear", "canister", "bullet", "round", "shot", "volley", "cannon", "shell", "rocket",
                  "missile", "grenade", "mortar", "bomb", "fire", "salvo", "barrage", "strike", "drone", "warning"}
FORCE_NOUNS = {"troop", "soldier", "force", "police", "unit", "warship", "jet", "aircraft", "tank", "battalion",
               "brigade", "reinforcement", "reservist", "officer", "policeman", "marine", "paratrooper", "ship"}
SEND_VERBS = {"deploy", "send", "dispatch", "mobilise", "mobilize", "mass", "station", "move", "rush", "airlift"}
PUNISHMENT_OBJECTS = {"sanction", "embargo", "ban", "tariff", "restriction", "penalty", "fine", "aid", "assistance"}
DISPERSE_VERBS = {"disperse", "break", "clear", "scatter", "push", "stop", "repel", "drive", "quell", "control"}
PERSON_NOUNS = {"demonstrator", "protester", "protestor", "marcher", "rioter", "striker", "bomber", "gunman",
                "militant", "attacker", "kidnapper", "sniper", "assailant", "insurgent", "rebel", "fighter",
                "picketer", "mob", "crowd", "looter", "abductor", "hijacker", "raider", "shooter"}
REPRESENTATIVES = {"spokesman", "spokeswoman", "spokesperson", "representative", "member", "official", "leader",
                   "commander", "head", "chief", "envoy", "ambassador", "delegation", "delegate", "negotiator",
                   "fighter", "unit", "wing", "faction", "branch", "office"}
RECIPROCAL = {"agree", "meet", "talk", "negotiate", "clash", "fight", "sign", "discuss", "trade", "exchange",
              "reconcile", "cooperate", "consult", "confer", "settle", "battle", "spar", "skirmish"}
NOT_ACTORS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
QUANTITY_NOUNS = {"tonne", "ton", "truck", "truckload", "shipment", "convoy", "million", "billion", "package",
                  "batch", "consignment", "plane", "planeload", "load", "bag", "box", "worth", "amount", "dose"}
VICTIM_NOUNS = {"hostage", "captive", "detainee", "prisoner", "victim", "casualty", "abductee", "refugee"}
EVENT_NOUNS = {"action", "operation", "move", "mission", "incident", "attack", "strike", "raid", "assault",
               "offensive", "bombing", "shelling", "campaign", "retaliation", "response", "decision"}
MATERIAL_NOUN_PREPS = {"on", "against", "targeting", "at", "of", "upon"}  # "near X" says where, not whom
VERBAL_NOUN_PREPS = {"on", "against", "with", "to", "between", "of", "for", "from"}
# what an event shows or sets off is not its target: "the attack shows the militants' reach", "sparked protests"
RESULT_VERBS = {"show", "highlight", "underscore", "underline", "reveal", "expose", "raise", "spark", "prompt",
                "trigger", "fuel", "mark", "test", "follow", "renew", "revive", "deepen", "cast", "draw", "bring",
                "demonstrate", "signal", "suggest", "illustrate", "prove", "reignite", "heighten", "intensify"}
CLAIM_VERBS = {"claim", "accept", "take", "admit", "bear", "acknowledge"}
PRONOUNS = {"he", "she", "they", "it", "them", "him", "her", "we", "i", "you", "who", "which", "that"}
_LEFT_DEPS = {"compound", "amod", "det", "poss", "nummod", "npadvmod", "nmod", "quantmod", "case", "punct",
              "advmod", "predet", "dep"}


@dataclass(frozen=True)
class RolePhrase:
    role: str      # actor | recipient
    head: int      # token index of the phrase head
    start: int     # token span of the phrase
    end: int
    via: str       # how it was found, for explain
    extra_start: int = -1  # wider span holding sponsor words ("backed by Iran")
    extra_end: int = -1


def phrase_bounds(tok) -> tuple[int, int, int, int]:
    """(start, end) of the noun phrase headed by ``tok`` and (start, end) of its full subtree."""
    doc = tok.doc
    start = end = tok.i

    def left(t):
        nonlocal start
        for c in t.lefts:
            if c.dep_ in _LEFT_DEPS and not (c.dep_ == "punct" and c.text not in ("-", "’s", "'s")):
                start = min(start, c.left_edge.i if c.dep_ != "punct" else c.i)
                left(c)

    left(tok)
    for c in tok.rights:  # "Observatory for Human Rights", "Kataib Sayyid al Shuhada"
        if c.dep_ in ("compound", "flat") or (c.dep_ == "prep" and c.lower_ in ("for", "of") and
                                              any(t.ent_type_ for t in c.subtree) and tok.ent_type_):
            end = max(end, c.right_edge.i)
    if tok.ent_type_:
        i = tok.i
        while i > 0 and doc[i].ent_iob_ == "I":
            i -= 1
        start = min(start, i)
        j = tok.i + 1
        while j < len(doc) and doc[j].ent_iob_ == "I":
            j += 1
        end = max(end, j - 1)
    while end + 1 < len(doc) and doc[end + 1].dep_ == tok.dep_ and doc[end + 1].head.i == tok.head.i \
            and doc[end + 1].pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "nsubj", "pobj"):
        end += 1  # "accused Azerbaijani forces": the parser made both words objects
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    sub = list(tok.subtree)
    return start, end + 1, sub[0].i, sub[-1].i + 1


def _represented(tok):
    """'a spokesman for the Pakistani Taliban' -> Taliban: the organisation speaks."""
    if tok.lemma_.lower() not in REPRESENTATIVES:
        return tok
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "from"):
            for p in prep.children:
                if p.dep_ == "pobj" and (p.pos_ == "PROPN" or p.ent_type_ or p.lemma_.lower() not in ("case",)):
                    return p
    return tok


def _phrase(role: str, tok, via: str) -> list[RolePhrase]:
    out = []
    for t in [tok] + _conjuncts(tok):
        t = _represented(_owner(_antecedent(t)))
        s, e, xs, xe = phrase_bounds(t)
        out.append(RolePhrase(role, t.i, s, e, via, xs, xe))
    return out


def _conjuncts(tok) -> list:
    out = []
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"):
            out.append(c)
            out.extend(_conjuncts(c))
    return out


def _antecedent(tok):
    """'which' / 'who' / 'that' in a relative clause stands for the noun the clause modifies;
    'it' / 'they' in reported speech for the source ('The SDF said it would ...')."""
    if tok.lower_ in ("it", "they", "he", "she", "we") and tok.dep_ in ("nsubj", "nsubjpass"):
        node = tok.head
        for _ in range(4):
            if node.head.i == node.i:
                break
            node = node.head
            subj = next((c for c in node.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lower_ not in PRONOUNS:
                return subj
        return tok
    if tok.lower_ in ("which", "who", "that", "whom"):
        verb = tok.head
        while verb.dep_ not in ("relcl",) and verb.head.i != verb.i and verb.dep_ in ("conj",):
            verb = verb.head
        if verb.dep_ == "relcl":
            noun = verb.head
            # "an attack on a market in Baidoa, which killed 19": the parser hangs the clause on the
            # nearest noun, a place; what killed is the noun the place phrase belongs to
            while noun.ent_type_ in ("GPE", "LOC", "FAC") and noun.dep_ == "pobj" and \
                    noun.head.lower_ in ("in", "at", "near", "on", "of") and noun.head.head.pos_ == "NOUN":
                noun = noun.head.head
                while noun.dep_ == "pobj" and noun.head.lower_ in ("in", "at", "near", "on", "of") and \
                        noun.head.head.pos_ == "NOUN":
                    noun = noun.head.head
            return noun
    return tok


def _owner(tok):
    """'buildings used by the militias' -> militias; 'positions of the rebels' -> rebels."""
    if tok.lemma_.lower() not in INFRASTRUCTURE:
        return tok
    for c in tok.children:
        if c.dep_ == "acl" and c.lemma_.lower() in OWNER_VERBS:
            for a in c.children:
                if a.dep_ in ("agent", "prep") and a.lower_ in ("by", "to"):
                    for p in a.children:
                        if p.dep_ == "pobj":
                            return p
        if c.dep_ == "prep" and c.lower_ in ("of", "belonging"):
            for p in c.children:
                if p.dep_ == "pobj" and (p.ent_type_ in ("ORG", "NORP", "GPE", "PERSON") or p.pos_ == "NOUN"):
                    if p.lemma_.lower() not in INFRASTRUCTURE and p.lemma_.lower() not in ("ammunition", "weapon"):
                        return p
    return tok


def _children(tok, *deps):
    return [c for c in tok.children if c.dep_ in deps]


def _pobj(prep):
    return [c for c in prep.children if c.dep_ == "pobj" and c.ent_type_ not in NOT_ACTORS]


def _subject_of(verb, depth: int = 0):
    """The subject of ``verb``, inherited from the governing verb for conjuncts, xcomps and advcls."""
    subj = _children(verb, "nsubj")
    if subj:
        return subj[0], "subject"
    agent = _children(verb, "agent")
    if agent and _pobj(agent[0]):
        return _pobj(agent[0])[0], "passive agent"
    if depth < 3 and verb.dep_ in ("conj", "xcomp", "advcl", "acomp", "attr") and verb.head.i != verb.i:
        return _subject_of(verb.head, depth + 1)  # "France is ready to contribute"
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head, "relative clause"
    return None, ""


def _addressee(v) -> list[RolePhrase]:
    """Whom a verb is addressed to: 'sent a message to Iran' -> Iran (else its object)."""
    for c in v.children:
        if (c.dep_ == "dative" or (c.dep_ == "prep" and c.lower_ == "to")):
            pobj = _pobj(c) if c.pos_ == "ADP" else [c]
            if pobj and pobj[0].lower_ not in PRONOUNS:
                return _phrase("recipient", pobj[0], "addressee of " + v.lemma_)
    for o in _children(v, "dobj"):
        if o.lower_ not in PRONOUNS:
            return _phrase("recipient", o, "object of " + v.lemma_)
    return []


def _verb_roles(v) -> list[RolePhrase]:
    out: list[RolePhrase] = []
    passive = bool(_children(v, "nsubjpass", "auxpass")) or (v.dep_ == "acl" and v.tag_ in ("VBN", "VBD"))
    if passive:
        for a in _children(v, "agent"):
            for p in _pobj(a):
                out += _phrase("actor", p, "passive agent")
        for s in _children(v, "nsubjpass"):
            out += _phrase("recipient", s, "passive subject")
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN"):
            out += _phrase("recipient", v.head, "reduced relative")
        if not _children(v, "agent"):
            subj, how = _subject_of(v.head) if v.dep_ in ("conj",) else (None, "")
            if subj is not None:
                out += _phrase("actor", subj, how)
        return out
    subj, how = _subject_of(v)
    if subj is None and v.dep_ == "acl" and v.tag_ == "VBG" and v.head.pos_ in ("NOUN", "PROPN"):
        subj, how = v.head, "noun the clause describes"  # "people protesting against prices"
    if subj is not None:
        subjects = _phrase("actor", subj, how)
        if v.lemma_.lower() in RECIPROCAL and len(subjects) > 1 and not _children(v, "dobj"):
            # "the junta and the TNLA agreed": each side is the other's counterpart
            subjects = subjects[:1] + [RolePhrase("recipient", r.head, r.start, r.end, "reciprocal " + r.via,
                                                  r.extra_start, r.extra_end) for r in subjects[1:]]
        out += subjects
    objs = [o for o in _children(v, "dobj") if not (o.lemma_.lower() in FORCE_NOUNS and v.lemma_.lower() in SEND_VERBS)]
    for d in _children(v, "dative"):
        objs += _pobj(d) if d.pos_ == "ADP" else [d]
    for o in objs:
        out += _phrase("recipient", o, "object")
    if not objs or all(o.lemma_.lower() in WEAPON_OBJECTS | PUNISHMENT_OBJECTS for o in objs):
        preps = _children(v, "prep") + [p for o in objs for p in _children(o, "prep") if p.lower_ in ("on", "against")]
        for prep in preps:
            if prep.lower_ in TARGET_PREPS and not (prep.lower_ == "to" and v.lemma_.lower() in SEND_VERBS):
                found = _pobj(prep)
                for p in found:
                    out += _phrase("recipient", p, f"'{prep.lower_}' object")
                if found:
                    break
        for purpose in _children(v, "advcl", "xcomp"):  # "fired tear gas to disperse the crowd"
            if purpose.lemma_.lower() in DISPERSE_VERBS:
                for o in _children(purpose, "dobj"):
                    out += _phrase("recipient", o, "object of " + purpose.lemma_)
    return out


# common nouns that name a doer when they modify an act: "a police raid", "an army offensive"
ACTOR_MODIFIERS = {"police", "army", "military", "troop", "soldier", "militia", "rebel", "militant", "insurgent",
                   "government", "navy", "security", "gang", "cartel", "jihadist", "mob", "regime", "guerrilla",
                   "paramilitary", "settler", "bandit", "pirate", "junta", "coalition"}


# places and gatherings that an attack hits: "the Gaza school strike" is a strike on a school in Gaza
TARGET_NOUNS = {"school", "market", "hospital", "clinic", "mosque", "church", "temple", "synagogue", "shrine", "camp",
                "embassy", "consulate", "home", "house", "village", "hotel", "bus", "train", "station", "airport",
                "port", "prison", "jail", "checkpoint", "convoy", "office", "factory", "mall", "restaurant", "cafe",
                "wedding", "funeral", "university", "stadium", "bridge", "refinery", "pipeline", "bazaar", "shelter",
                "bakery", "concert", "rally", "parade", "border"}


def _modifier_actors(n, role: str = "actor") -> list[RolePhrase]:
    """'the US air strike' -> US; 'Russia's offensive' -> Russia; 'a police raid' -> police; but not
    'the Gaza school strike' or 'the US embassy attack', where the name belongs to the target."""
    out: list[RolePhrase] = []
    target = next((c for c in n.children if c.dep_ == "compound" and c.lemma_.lower() in TARGET_NOUNS), None)
    for c in n.children:
        if target is not None and c.i < target.i and c.dep_ == "compound" and c.ent_type_ in ("GPE", "LOC", "FAC"):
            continue  # a place's name, not "the Boko Haram school kidnapping"
        if c.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod") and (
                c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") or c.pos_ == "PROPN"
                or (c.dep_ == "compound" and c.lemma_.lower() in ACTOR_MODIFIERS)):  # not "the soldier's kidnapping"
            out += _phrase(role, c, "modifier")
    return out


def _noun_roles(n, material: bool) -> list[RolePhrase]:
    victim = n.lemma_.lower() in VICTIM_NOUNS
    out: list[RolePhrase] = _modifier_actors(n, "recipient" if victim else "actor")
    preps = MATERIAL_NOUN_PREPS if material else VERBAL_NOUN_PREPS
    for prep in _children(n, "prep"):
        if prep.lower_ == "by":
            for p in _pobj(prep):
                out += _phrase("actor", p, "'by' phrase")
        elif prep.lower_ in preps:
            for p in _pobj(prep):
                if prep.lower_ == "of" and p.lemma_.lower() in ("year", "month", "day", "week"):
                    continue
                out += _phrase("recipient", p, f"'{prep.lower_}' object")
    while n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.pos_ in ("NOUN", "NUM") \
            and n.head.head.lemma_.lower() in QUANTITY_NOUNS:
        n = n.head.head  # "sent 200 tonnes of humanitarian aid": the tonnes carry the syntax
    head = n.head
    if n.dep_ in ("nsubj",) and head.pos_ in ("VERB", "AUX") and head.lemma_.lower() not in RESULT_VERBS:
        for o in _children(head, "dobj"):
            if not (head.lemma_.lower() == "take" and o.lemma_.lower() == "place"):  # "the attack took place"
                out += _phrase("recipient", o, "object of the trigger's verb")
        if not _children(head, "dobj"):
            for prep in _children(head, "prep"):
                if prep.lower_ in TARGET_PREPS:
                    for p in _pobj(prep):
                        out += _phrase("recipient", p, "object of the trigger's verb")
    elif n.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in LIGHT_VERBS \
            and not any(r.role == "actor" for r in out):
        subj, how = _subject_of(head)
        if subj is not None and subj.i != n.i:
            out += _phrase("actor", subj, "subject of " + head.lemma_)
        if not material or n.lemma_.lower() in ("aid", "assistance"):
            for prep in _children(head, "prep", "dative"):  # "sent aid to Turkey", "imposed sanctions on Iran"
                if prep.lower_ in ("to", "on", "against", "for", "with"):
                    for p in _pobj(prep):
                        out += _phrase("recipient", p, f"'{prep.lower_}' object of {head.lemma_}")
    elif n.dep_ == "pobj" and head.lower_ == "for" and head.head.lemma_.lower() in ("responsibility", "credit") \
            and head.head.head.lemma_.lower() in CLAIM_VERBS and not any(r.role == "actor" for r in out):
        subj, how = _subject_of(head.head.head)  # "Al-Shabaab claimed responsibility for the bombing"
        if subj is not None:
            out += _phrase("actor", subj, "claimed responsibility")
    elif n.dep_ == "nsubjpass" and head.lemma_.lower() == "claim" and not any(r.role == "actor" for r in out) \
            and not _children(head, "xcomp", "ccomp", "oprd"):  # not "was claimed by police to be the work of"
        for agent in _children(head, "agent"):  # "the attack was claimed by the Pakistani Taliban"
            for p in _pobj(agent):
                out += _phrase("actor", p, "claimed responsibility")
    elif n.dep_ == "pobj" and head.lower_ == "behind" and head.head.lemma_.lower() == "be":
        subj, how = _subject_of(head.head)  # "Al-Shabaab said it was behind the blast"
        if subj is not None:
            out += _phrase("actor", subj, "behind the act")
    elif n.dep_ == "pobj" and head.dep_ == "agent":
        verb = head.head
        for s in _children(verb, "nsubjpass"):
            out += _phrase("recipient", s, "passive subject")
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            out += _phrase("recipient", verb.head, "reduced relative")
    return out


ACCUSE_VERBS = {"accuse", "blame", "charge", "suspect", "hold", "condemn", "denounce", "criticise", "criticize",
                "fault", "implicate", "convict", "arrest", "detain"}


def _accused(tok):
    """'accused Azerbaijani forces of shelling': the doer of the shelling is the accused."""
    node = tok
    if node.dep_ in ("pcomp", "pobj") and node.head.lower_ in ("of", "for", "over") and node.head.dep_ == "prep":
        verb = node.head.head
        if verb.lemma_.lower() in ACCUSE_VERBS:
            objs = _children(verb, "dobj") or _children(verb, "nsubjpass")
            if objs:
                return objs[0]
    return None


def _embedded_targets(verb) -> list[RolePhrase]:
    """'threatened to launch an operation against the YPG': the threat's recipient is the YPG."""
    out: list[RolePhrase] = []
    for comp in _children(verb, "xcomp", "ccomp"):
        if comp.pos_ not in ("VERB", "AUX"):
            continue
        inner = [r for r in _verb_roles(comp) if r.role == "recipient"]
        for o in _children(comp, "dobj"):
            inner = [r for r in inner if r.head != o.i] + [r for r in _noun_roles(o, True) if r.role == "recipient"] \
                if o.lemma_.lower() in EVENT_NOUNS | {"operation", "offensive", "strike", "attack"} else inner
        out += [RolePhrase("recipient", r.head, r.start, r.end, "target of the embedded act", r.extra_start,
                           r.extra_end) for r in inner]
    return out


FIGHT_NOUNS = {"encounter", "clash", "gunfight", "shootout", "firefight", "gunbattle", "exchange", "battle", "raid",
               "operation", "ambush", "crossfire"}


def find_roles(head_token, trigger_ids: set[int] | None = None, material: bool = True,
               event_words: set[str] | None = None) -> list[RolePhrase]:
    """Actor and recipient phrases for a trigger whose syntactic head is ``head_token``.

    ``trigger_ids`` are the trigger's own tokens (never a role); a role whose head is itself an
    event noun ("US air strikes", "the action") gives way to that noun's modifiers.
    """
    tok = head_token
    trigger_ids = set(trigger_ids or ()) | {tok.i}
    event_words = EVENT_NOUNS | set(event_words or ())
    if tok.pos_ in ("VERB", "AUX"):
        roles = _verb_roles(tok)
    else:
        roles = _noun_roles(tok, material)
    if tok.pos_ in ("VERB", "AUX") and not any(r.role == "recipient" for r in roles):
        roles += _embedded_targets(tok)
    if not any(r.role == "actor" for r in roles):  # "killed in an encounter with security forces"
        for prep in _children(tok, "prep"):
            for fight in _pobj(prep):
                if prep.lower_ in ("in", "during") and fight.lemma_.lower() in FIGHT_NOUNS:
                    for w in _children(fight, "prep"):
                        if w.lower_ in ("with", "by"):
                            for p in _pobj(w):
                                roles = roles + _phrase("actor", p, f"'{w.lower_}' the {fight.lemma_}")
    accused = _accused(tok)
    if accused is not None and not any(r.role == "actor" for r in roles):
        roles = _phrase("actor", accused, "the accused") + roles
    doc = tok.doc
    expanded: list[RolePhrase] = []
    for r in roles:
        head = doc[r.head]
        if head.pos_ in ("NOUN", "PROPN") and head.lemma_.lower() in event_words and head.ent_type_ not in (
                "GPE", "NORP") and head.lemma_.lower() not in PERSON_NOUNS:
            expanded += [x for x in _modifier_actors(head, r.role) if x.head not in trigger_ids]
            for prep in _children(head, "prep"):  # "dismissed an appeal from President Gbagbo"
                if prep.lower_ in ("from", "by") and r.role == "recipient":
                    for p in _pobj(prep):
                        expanded += _phrase(r.role, p, f"'{prep.lower_}' the {head.lemma_}")
            continue
        if head.lower_ in PRONOUNS and r.role == "recipient" and tok.dep_ in ("advcl", "xcomp", "conj"):
            up = _addressee(tok.head)
            if up:
                expanded += up
                continue
        expanded.append(r)
    if not any(r.role == "actor" for r in expanded):  # "a police operation": the trigger names its doer
        for t in sorted(trigger_ids):
            if doc[t].dep_ == "compound" and doc[t].head.i in trigger_ids and doc[t].lemma_.lower() in ACTOR_MODIFIERS:
                expanded.append(RolePhrase("actor", t, t, t + 1, "doer named in the trigger", t, t + 1))
                trigger_ids = trigger_ids - {t}
    seen, out = set(), []
    for r in expanded:
        if r.head in trigger_ids or (r.role, r.head) in seen or doc[r.head].ent_type_ in NOT_ACTORS:
            continue
        if any(o.role == r.role and o.start <= r.head < o.end for o in out):
            continue
        seen.add((r.role, r.head))
        out.append(r)
    return out
