"""Stage 4 of coding: the event mentions of a sentence, read off its trigger words and the parse.

Each trigger word the lexicon finds (``extract.triggers``) is read in its sentence: whether it names an
act at all (a name, a description, a topic, a disaster or a match is not one), its modality, who did it
to whom (``extract.roles``, resolved by ``resolve.actors``), when (``extract.when``) and where
(``extract.event_place``). The word classes it uses are defined here, once.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

from eventwire.data import word_class
from eventwire.extract.modality import ModalityCues, find_modality
from eventwire.extract.places import PlaceMention
from eventwire.extract.event_place import places_for
from eventwire.extract.roles import RolePhrase, find_roles
from eventwire.extract.statements import conditional
from eventwire.extract.triggers import TriggerLexicon, TriggerMatch
from eventwire.extract.when import DatingContext, date_hint
from eventwire.models import QUAD_CLASS, Actor, Mention
from eventwire.nlp import doc_span, entity_of, ents_within
from eventwire.resolve.actors import ActorKB
from eventwire.resolve.gazetteer import Gazetteer, norm_key

__all__ = ["MentionReader", "MAX_TRIGGERS_PER_SENTENCE"]

NATURAL_HAZARDS = {"fire", "blaze", "flood", "flooding", "storm", "cyclone", "hurricane", "typhoon", "earthquake",
                   "quake", "tremor", "landslide", "mudslide", "avalanche", "drought", "heatwave", "heat", "rain",
                   "downpour", "wind", "lightning", "tornado", "tsunami", "wildfire", "disease", "outbreak",
                   "epidemic", "cholera", "virus", "crash", "accident", "collapse"}


OFFICIAL_SECTORS = word_class("sectors_official")


DISCONTINUE = {"halt", "end", "suspend", "cut", "stop", "cancel", "freeze", "withdraw", "terminate", "break",
               "sever", "reduce", "slash", "curtail", "discontinue", "abandon", "call"}


EASING = {"lift", "ease", "relax", "end", "scrap", "remove", "cancel", "suspend", "shorten", "reduce", "loosen",
          "rescind", "revoke", "withdraw", "drop", "waive", "overturn", "annul"}


NON_EVENT_HEADS = {"agent", "guard", "car", "boat", "vehicle", "movement", "leader", "group", "organiser", "organizer", "worker", "agency", "helicopter",
                   "aircraft", "plane", "jet", "force", "unit", "official", "committee", "activist", "material",
                   "victim", "survivor", "suspect", "expert", "analyst", "law", "rule", "policy", "package",
                   "budget", "fund", "money", "convoy", "truck", "ship", "vessel", "dog", "squad", "commander",
                   "site", "zone", "weapon", "gun", "rifle", "vest", "belt", "factory", "program", "programme"}


NON_EVENT_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


TOPIC_PREPS = {"on", "over", "about", "regarding", "concerning", "toward", "towards"}


DESCRIPTIVE_PARTICIPLES = {"back", "support", "sponsor", "arm", "fund", "ally", "align", "lead", "base", "affiliate",
                           "kidnap", "abduct", "detain", "jail", "imprison",  # "the kidnapped soldiers": a state
                           "shelter", "host", "house"}  # "a school sheltering displaced families": what it is


_ANAPHORIC_DETS = {"the", "this", "that", "these", "those", "such", "its", "their"}


# A sentence of news prose names a handful of acts: at most 8 in the 4,678 sentences of the development
# articles. One with more than this many trigger words is a list or a word repeated ("killed killed
# ..."); each trigger reads the parse around it, so only the first ones are read, to bound the work.
MAX_TRIGGERS_PER_SENTENCE = 32


GROUP_CHANGE = {"defect", "disband", "merge", "splinter", "pledge allegiance"}


ARMED_GROUP_SECTORS = word_class("sectors_armed_group")


ARMED_WORDS = {"militia", "militias", "rebels", "rebel", "fighters", "faction", "factions", "commander", "commanders",
               "insurgents", "militants", "gang", "gangs", "brigade", "battalion", "group", "groups", "soldiers"}


CASUALTY_VERBS = {"kill", "injure", "hurt", "wound", "harm", "die", "abduct", "kidnap", "arrest", "detain", "hit"}


VICTIM_COUNTS = {"people", "person", "body", "other", "civilian", "dead", "toll", "casualty", "death", "victim"}


def _a_count(tok, event_type: str) -> bool:
    """A number, or a count of victims, read as the doer: "leaves 17 dead", "toll climbs to 19"."""
    if tok.like_num or tok.pos_ == "NUM" or tok.lemma_.lower() == "toll":
        return True
    return event_type == "ASSAULT" and tok.lemma_.lower() in VICTIM_COUNTS and any(
        c.dep_ == "nummod" for c in tok.children)


DISRUPT_VERBS = {"defuse", "intercept", "dismantle", "seize", "find", "discover", "uncover", "confiscate",
                 "recover", "neutralise", "neutralize", "destroy", "disarm"}


ACCIDENT_VERBS = {"plunge", "crash", "derail", "collide", "capsize", "overturn", "sink", "collapse", "topple"}


SPORT_VERBS = {"beat", "defeat", "thrash", "rout", "crush", "edge", "draw", "tie"}


def _subject_words(verb) -> set[str]:
    return {t.lemma_.lower() for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}


def _disaster(head) -> bool:
    """The act's subject is a hazard ("a 6.3 earthquake struck"), or the act is what an accident did
    ("a bus plunged into a ravine, killing 20")."""
    verb = head if head.pos_ in ("VERB", "AUX") else head.head
    if _subject_words(verb) & NATURAL_HAZARDS:
        return True
    node = head
    while node.dep_ in ("acl", "pobj", "agent", "prep") and node.head.i != node.i:
        node = node.head  # "floods triggered by monsoon rains killed 30" parsed as a reduced relative
        if node.lemma_.lower() in NATURAL_HAZARDS:
            return True
    if head.dep_ in ("advcl", "xcomp", "conj") and head.head.pos_ == "VERB":
        up = head.head
        return up.lemma_.lower() in ACCIDENT_VERBS or bool(_subject_words(up) & NATURAL_HAZARDS)
    return False


def _sport(sent_text: str, match) -> bool:
    """'Morocco beat Portugal 1-0': a score, not a fight."""
    return match.entry.lemmas[0] in SPORT_VERBS and bool(re.search(
        r"\b\d{1,2}\s*[-–]\s*\d{1,2}\b(?!\s*(?:days?|weeks?|months?|years?|hours?|people|men|women|%|percent))",
        sent_text))


HEADLINE_PASSIVES = {"kill", "wound", "injure", "hurt", "shoot", "arrest", "detain", "kidnap", "abduct", "jail",
                     "execute", "hang", "behead", "stab", "beat", "torture", "free", "release", "rescue", "sentence",
                     "murder", "massacre", "slay", "capture", "evacuate", "displace", "expel", "deport"}


def _headline_passive(verb) -> bool:
    """'Journalist killed', 'Five Maoists killed in gunfight': a headline drops 'was'; the subject suffered."""
    joined = [verb] + [c for c in verb.children if c.dep_ == "conj"] + ([verb.head] if verb.dep_ == "conj" else [])
    return verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBN") and verb.lemma_.lower() in HEADLINE_PASSIVES \
        and not any(c.dep_ in ("dobj", "agent", "dative") for v in joined for c in v.children) \
        and not any(c.dep_ == "aux" for c in verb.children)  # "Police beat and detained protesters": active


BAN_VERBS = {"ban", "prohibit", "forbid", "outlaw", "disallow"}


STANDING = {"previously", "repeatedly", "consistently", "always", "routinely", "long", "often", "generally"}


def _standing_denial(cue) -> bool:
    """'has previously denied', 'has repeatedly denied': denials on record, not of the act reported."""
    return cue is not None and any(c.dep_ == "advmod" and c.lower_ in STANDING for c in cue.children)


def _general_act(head) -> bool:
    """'denied targeting civilians': an act named in general, with no date, count or place of its own."""
    if head.pos_ in ("VERB", "AUX") and head.tag_ != "VBG":
        return False
    return not any(t.ent_type_ in ("DATE", "TIME", "CARDINAL", "GPE", "LOC", "FAC") or t.like_num
                   for t in head.subtree)


def _habitual(verb) -> bool:
    """'does not target', 'never attacks': the present simple says what someone does in general."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    aux = [c for c in verb.children if c.dep_ == "aux"]
    if any(c.lower_ in ("does", "do") for c in aux):
        return True
    return verb.tag_ in ("VBZ", "VBP") and not aux and any(c.lower_ == "never" for c in verb.children)


def _nobody(tok) -> bool:
    """'nobody', 'no one', 'no group': a phrase that names no one."""
    low = tok.lower_
    return low in ("nobody", "none", "noone") or (tok.pos_ in ("NOUN", "PRON", "NUM") and any(
        c.dep_ == "det" and c.lower_ == "no" for c in tok.children))


# attacks that states do not claim by name: "the Somalia market bombing" is a bombing in Somalia, where
# "the US strike" is a strike by the US
# ("Israel attack kills 20" is an attack by Israel, so "attack" is not among them)
SCENE_ATTACKS = {"bombing", "blast", "explosion", "bomb", "massacre", "shooting", "stabbing", "kidnapping",
                 "abduction", "hostage", "carnage", "murder", "rampage", "fighting", "violence", "clash", "unrest",
                 "war", "conflict", "crisis", "riot", "insurgency"}  # "Sudan fighting": fighting in Sudan


# feelings and scenes that a headline makes the subject ("Terror at the market: car bomb kills many")
MOODS = {"terror", "fear", "panic", "horror", "chaos", "grief", "shock", "outrage", "carnage", "tragedy", "mourning",
         "anger", "fury", "sorrow", "despair", "mayhem", "havoc"}


CONSEQUENCE_PARTICIPLES = {"kill", "wound", "injure", "leave", "claim", "maim"}


# verbs whose subject can itself do harm even where the lexicon needs more words to call them an event
HARM_CAPABLE_VERBS = {"blow", "explode", "detonate", "go", "tear", "rip", "hit", "strike", "fire", "open", "storm",
                      "ram", "plough", "plow", "set", "throw", "hurl", "launch", "target", "rain", "pound", "spray",
                      "shoot", "stab", "burn", "torch", "drive", "crash", "slam"}


def _consequence_of_other_act(head, trigger_tokens: set[int]) -> bool:
    """', killing 17 people' hung on a verb that is no event ('residents buried the victims of a bomb that
    exploded ..., killing 17'): the parser's guess of whose killing it is, not a doer."""
    gov = head.head
    return head.dep_ == "advcl" and head.tag_ == "VBG" and head.lemma_.lower() in CONSEQUENCE_PARTICIPLES \
        and gov.i != head.i and gov.pos_ in ("VERB", "AUX") and gov.i not in trigger_tokens \
        and gov.lemma_.lower() not in HARM_CAPABLE_VERBS


def _at_verb(match: TriggerMatch, verb, event_type: str, mode: str | None, cameo: str) -> TriggerMatch:
    """The same trigger recoded as the act of the verb that governs it ('halted aid' is a SANCTION)."""
    entry = replace(match.entry, event_type=event_type, mode=mode, cameo=cameo)
    return replace(match, entry=entry, start=min(match.start, verb.i), end=max(match.end, verb.i + 1), head=verb.i)


def _purpose_of(head, heads: dict, event_type: str) -> bool:
    """True when ``head`` is the purpose or manner clause of a trigger of ``event_type``."""
    node = head
    for _ in range(3):
        if node.dep_ not in ("advcl", "xcomp", "acl", "conj") or node.head.i == node.i:
            return False
        node = node.head
        if node.i in heads and heads[node.i].entry.event_type == event_type:
            return True
        if any(c.dep_ == "dobj" and c.i in heads and heads[c.i].entry.event_type == event_type
               for c in node.children):
            return True  # "staged demonstrations to demand reforms"
    return False


def _centrality(head) -> float:
    """Matrix-clause acts lead; acts inside relative clauses, purposes and 'after ...' phrases follow."""
    node, embedded = head, False
    for _ in range(12):
        if node.dep_ == "pcomp" and node.head.lower_ in ("after", "before", "following") and node.i == head.i:
            return 0.7  # "beat a man to death after accusing him of theft": the accusing is background
        if node.dep_ in ("relcl", "acl", "pcomp", "advcl", "csubj") or (
                node.dep_ == "pobj" and node.head.lower_ in ("after", "before", "since", "following", "despite",
                                                             "amid", "over", "for", "of", "about")):
            embedded = True
            break
        if node.head.i == node.i:
            break
        node = node.head
    if head.dep_ == "ROOT" or (head.head.dep_ == "ROOT" and head.dep_ in ("dobj", "nsubj", "nsubjpass", "xcomp")):
        return 1.05
    if head.dep_ == "pobj" and head.head.head.pos_ == "NOUN" and head.head.lower_ in ("in", "on", "over", "of"):
        return 0.75  # "mediation in peace negotiations": a noun inside another's phrase
    return 0.85 if embedded else 1.0


def _is_topic(head) -> bool:
    """A noun trigger that is what something is about: 'talks on a deal', 'about some of the raids'."""
    node = head
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ in ("PRON", "DET", "NUM", "NOUN"):
            if node.head.head.lower_ in ("some", "many", "one", "all", "most", "none", "each", "any", "lack", "details"):
                node = node.head.head
                continue
        break
    return node.pos_ in ("NOUN", "PROPN", "PRON", "DET", "NUM") and node.dep_ == "pobj" and node.head.lower_ in TOPIC_PREPS


def _topic_governor(head) -> int:
    """The token a topic noun hangs from: 'talks' in 'talks on a peace treaty'."""
    node = head
    while node.dep_ == "pobj" and node.head.lower_ == "of":
        node = node.head.head
    return node.head.head.i


class MentionReader:
    """Reads the event mentions of one sentence at a time; the lexicon, cues, actor knowledge base and
    gazetteer are built once and passed in."""

    def __init__(self, lexicon: TriggerLexicon, cues: ModalityCues, kb: ActorKB, gazetteer: Gazetteer) -> None:
        self.lexicon = lexicon
        self.cues = cues
        self.kb = kb
        self.gazetteer = gazetteer

    def read(self, sent, index: int, ctx: "DatingContext", places: list[PlaceMention]) -> list[Mention]:
        """The event mentions of one sentence; ``places`` are the place mentions with a token in it.

        What is the same for every trigger of the sentence (its span, text, trigger words) is read once
        here; each trigger then reads the parse around it, so a sentence costs about (triggers) x
        (its length), both bounded: see MAX_SENTENCE_TOKENS and MAX_TRIGGERS_PER_SENTENCE.
        """
        article = ctx.article
        out = []
        doc = sent.doc
        sent_text = sent.text
        sentence = doc_span(doc, sent.start_char, sent.start_char + len(sent_text.rstrip()))
        matches = self.lexicon.match(sent)
        trigger_tokens = {i for m in matches for i in range(m.start, m.end)}
        trigger_lemmas = Counter(doc[i].lemma_.lower() for i in trigger_tokens)
        matches = [self._recode(doc, m) for m in matches[:MAX_TRIGGERS_PER_SENTENCE]]
        matches = [m for m in matches if not m.entry.conditional]  # an object-only trigger without its object
        heads = {m.head: m for m in matches}
        for match in matches:
            head = doc[match.head]
            if self._ignored(doc, match):
                continue
            if head.pos_ == "NOUN" and head.dep_ in ("dobj", "nsubjpass") and head.head.pos_ == "VERB":
                verb = head.head.lemma_.lower()
                if verb in EASING and match.entry.event_type in ("COERCE", "SANCTION"):
                    match = _at_verb(match, head.head, "CONCEDE", None, "081")  # "shortened the curfew"
                    head = doc[match.head]
                elif verb in DISCONTINUE and QUAD_CLASS[match.entry.event_type] in (1, 2):
                    if head.head.i in heads and heads[head.head.i].entry.event_type == "SANCTION":
                        continue
                    match = _at_verb(match, head.head, "SANCTION", "discontinue", "166")  # "halted aid"
                    head = doc[match.head]
            if match.entry.event_type in ("REQUEST", "ACCUSE") and _purpose_of(head, heads, "PROTEST"):
                continue  # "demonstrated to demand reforms": the demand is the protest's
            if head.dep_ == "acl" and head.tag_ == "VBG" and head.head.dep_ == "appos":
                continue  # "Al-Shabaab, the militant group fighting the government": who they are, not an event
            if head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_.lower() in DISRUPT_VERBS and \
                    match.entry.event_type == "ASSAULT":
                continue  # "defused a roadside bomb", "seized rockets": the weapon was never used
            if head.pos_ == "NOUN" and head.dep_ in ("dobj", "nsubjpass") and head.head.i in heads and \
                    QUAD_CLASS[match.entry.event_type] < 4 and heads[head.head.i].entry.event_type != match.entry.event_type:
                continue  # "dismissed an appeal", "signed a treaty", "the treaty was signed": the object is what is
                # done, not an act
            if head.dep_ == "pobj" and head.head.lower_ in ("in", "during", "through", "with") and \
                    head.head.head.i in heads and heads[head.head.head.i].entry.event_type != match.entry.event_type \
                    and match.entry.weight < 0.8:
                continue  # "arrested in raids": the raids are how the arrests were made
            modality, cue = find_modality(head, self.cues, match.entry.event_type)
            if match.entry.event_type == "PROTEST" and modality == "asserted" and head.dep_ in ("dobj", "nsubjpass") \
                    and head.head.lemma_.lower() in BAN_VERBS:
                modality, cue = "negated", head.head  # "the rally had been banned": it did not (yet) take place
            if modality == "negated" and (_habitual(head) or (_standing_denial(cue) and _general_act(head))):
                continue  # "Russia says it does not target civilians", "has previously denied targeting
                # civilians": a stated policy or a standing denial, not a denial of this act
            own = set(range(match.start, match.end))
            own_lemmas = Counter(doc[i].lemma_.lower() for i in own & trigger_tokens)
            roles = find_roles(head, own, QUAD_CLASS[match.entry.event_type] == 4,
                               {w for w, n in trigger_lemmas.items() if n > own_lemmas[w]})  # other triggers' words
            when = date_hint(sent, head, ctx, self.cues)
            if sent.start == 0 and article.title and _headline_passive(head):
                roles = [replace(r, role="recipient", via="headline passive") if r.role == "actor" and
                         doc[r.head].dep_ == "nsubj" and doc[r.head].head.i == head.i else r for r in roles]
            roles = [r for r in roles if not (r.role == "actor" and (
                _a_count(doc[r.head], match.entry.event_type) or _nobody(doc[r.head])
                or doc[r.head].lemma_.lower() in MOODS))]  # "no group has claimed it", "Terror at the market"
            if _consequence_of_other_act(head, trigger_tokens):
                roles = [r for r in roles if r.role != "actor" or doc[r.head].head.i == head.i]
            roles = [r for r in roles if not (r.via == "modifier" and (
                self._local_place(doc[r.head], places) or self._country_as_scene(doc[r.head])))]
            roles = [r for r in roles if not (doc[r.head].tag_ in ("WP", "WDT") and r.end - r.start == 1)]  # "who"
            roles = [r for r in roles if doc[r.head].lower_ not in ("himself", "herself", "themselves", "itself")]
            if head.lemma_.lower() in CASUALTY_VERBS and modality == "asserted" and any(
                    r.role == "recipient" and _nobody(doc[r.head]) for r in roles):
                modality = "negated"  # "no one was killed", "nobody was hurt"
            actors = tuple(self._actor(doc, r, match, when[0].value if when else None, trigger_tokens)
                           for r in roles)
            if " ".join(match.entry.lemmas) in GROUP_CHANGE and not any(
                    a.role == "actor" and (a.sector in ARMED_GROUP_SECTORS or set(a.text.lower().split()) & ARMED_WORDS)
                    for a in actors):
                continue  # "the two banks merged": only armed groups' changes are conflict events
            if QUAD_CLASS[match.entry.event_type] >= 3 and (any(
                    r.role == "actor" and doc[r.head].lemma_.lower() in NATURAL_HAZARDS for r in roles)
                    or _disaster(head) or _sport(sent_text, match)):
                continue  # "a fire destroyed shelters", "floods killed 40", "a bus plunged into a ravine, killing
                # 20", "Morocco beat Portugal 1-0": a disaster, an accident or a match, not a political event
            ranked = places_for(sent, head, places, roles)
            sent_places = tuple(p for tier, p in ranked if tier > 0)
            context_places = tuple(p for tier, p in ranked if tier == 0)
            anaphoric = head.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ in ("det", "poss", "amod") and c.lower_ in _ANAPHORIC_DETS for c in head.children
            ) and not any(a.resolved for a in actors)
            date_span = when[1] if when else None
            weight = match.entry.weight
            if any(c.dep_ == "prep" and c.lower_ == "to" and any(g.lemma_.lower() == "death" for g in c.children)
                   for c in head.children):
                weight = max(weight, 0.95)  # "beat a man to death", "stabbed to death": no doubt it was violence
            mentions_weight = weight * _centrality(head)
            if sent.start == 0 and article.title:
                mentions_weight *= 0.9
            if _is_topic(head):
                if _topic_governor(head) in heads:
                    continue  # "talks on a peace treaty": the treaty is what the talks are about
                mentions_weight *= 0.3  # "over American hostages": a topic, not an event
            if match.entry.event_type == "PROTEST" and match.entry.mode in (None, "demo") and any(
                    a.role == "actor" and a.sector in OFFICIAL_SECTORS for a in actors) and not any(
                    a.role == "actor" and a.sector in ("CVL", "OPP", "LAB", "EDU") for a in actors):
                match = replace(match, entry=replace(match.entry, event_type="ACCUSE", mode="disapprove",
                                                     cameo="114"))  # a government's protest is a complaint
            demand = self._demand(doc, head, actors, when, match)
            if demand is not None:
                out.append(replace(demand, sentence=sentence, sentence_index=index, places=sent_places,
                                   date_text=date_span, resolved_date=when[0].value if when else None,
                                   date_precision=when[0].precision if when else None))
            out.append(Mention(
                sentence=sentence,
                trigger=doc_span(doc, doc[match.start].idx, doc[match.end - 1].idx + len(doc[match.end - 1])),
                event_type=match.entry.event_type, mode=match.entry.mode, cameo_code=match.entry.cameo,
                contexts=match.entry.contexts, modality=modality,
                modality_cue=doc_span(doc, cue.idx, cue.idx + len(cue)) if cue is not None else None,
                weight=mentions_weight, actors=actors, places=sent_places, context_places=context_places,
                date_text=date_span,
                resolved_date=when[0].value if when else None,
                date_precision=when[0].precision if when else None,
                date_note=when[0].note if when else None,
                anaphoric=anaphoric, sentence_index=index, conditional=conditional(head),
                trigger_pos="VERB" if head.pos_ in ("VERB", "AUX") else "NOUN"))
        for tok in sent:  # "declared that China must drop barriers": a demand even without a trigger word
            if tok.pos_ in ("VERB", "AUX") and tok.i not in heads and any(
                    c.dep_ == "aux" and c.lower_ in ("must", "should") for c in tok.children):
                roles = find_roles(tok)
                actors = tuple(self.kb.resolve(r.role, doc_span(doc, doc[r.start].idx, doc[r.end - 1].idx + len(doc[r.end - 1])),
                                                 [t.text for t in doc[r.start:r.end]], doc[r.head].lemma_, "REQUEST", None)
                               for r in roles if r.end > r.start)
                demand = self._demand(doc, tok, actors, None, None)
                if demand is not None:
                    out.append(replace(demand, sentence=sentence, sentence_index=index))
        return out

    def _demand(self, doc, head, actors, when, match: TriggerMatch | None) -> Mention | None:
        """'Russia said Sudan must return the helicopter': the saying is a demand (REQUEST) by the
        speaker to the one who must act (CAMEO 10)."""
        verb = head if head.pos_ in ("VERB", "AUX") else None
        if verb is None or not any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in verb.children):
            return None
        speaker_verb = verb.head
        if verb.dep_ in ("ccomp", "acl") and speaker_verb.pos_ == "NOUN":  # "a reminder to Iraq that it must"
            speaker_verb = speaker_verb.head
        if verb.dep_ not in ("ccomp", "acl") or speaker_verb.lemma_.lower() not in \
                self.cues.report | {"declare", "insist", "warn", "issue", "conclude", "reiterate", "stress"}:
            return None
        speakers = [r for r in find_roles(speaker_verb) if r.role == "actor"]
        if not speakers:
            return None
        speaker = self.kb.resolve("actor", doc_span(doc, doc[speakers[0].start].idx, doc[speakers[0].end - 1].idx +
                                                   len(doc[speakers[0].end - 1])),
                                    [t.text for t in doc[speakers[0].start:speakers[0].end]],
                                    doc[speakers[0].head].lemma_, "REQUEST", when[0].value if when else None)
        addressees = tuple(replace(a, role="recipient") for a in actors if a.role == "actor")
        cue = next(c for c in verb.children if c.dep_ == "aux" and c.lower_ in ("must", "should"))
        return Mention(sentence=doc_span(doc, 0, 0), trigger=doc_span(doc, cue.idx, cue.idx + len(cue)),
                       event_type="REQUEST", mode=None, cameo_code="100", contexts=(), modality="asserted",
                       modality_cue=None, weight=0.8 * _centrality(speaker_verb), actors=(speaker,) + addressees)

    def _recode(self, doc, match: TriggerMatch) -> TriggerMatch:
        """'blocked the bridge' is a protest blockade (data/events/trigger_objects.tsv)."""
        rules = self.lexicon.object_rules.get(" ".join(match.entry.lemmas)) or \
            self.lexicon.object_rules.get(match.entry.lemmas[0])
        if not rules:
            return match
        objects = {c.lemma_.lower() for c in doc[match.head].children if c.dep_ in ("dobj", "nsubjpass")}
        objects |= {w for o in list(objects) for w in (o.rstrip("s"),)}
        for row in rules:
            if objects & row["objects"]:
                entry = replace(match.entry, event_type=row["event_type"], mode=row["mode"] or None,
                                cameo=row["cameo"] or match.entry.cameo, conditional=False)
                return replace(match, entry=entry)
        return match

    def _country_as_scene(self, tok) -> bool:
        """A country's name (not its adjective) before an attack noun with no target of its own."""
        noun = tok.head
        return tok.pos_ == "PROPN" and tok.dep_ in ("compound", "nmod", "npadvmod") and noun.pos_ == "NOUN" \
            and noun.lemma_.lower() in SCENE_ATTACKS and norm_key(tok.text) in self.kb.country_names \
            and not any(c.dep_ == "prep" and c.lower_ in ("on", "against", "of") for c in noun.children)

    def _local_place(self, tok, places: list[PlaceMention]) -> bool:
        """A town or province naming where ("the Baidoa market bombing"), unlike a state that acts ("the US
        strike") or a group ("the Hamas attack")."""
        for pm in places:
            span = pm.place.span
            if span is not None and span.start <= tok.idx < span.end:
                return pm.place.precision not in (None, "country")
        if tok.ent_type_ not in ("GPE", "LOC", "FAC", "") or self.kb.named(tok.text) is not None:
            return False
        if not tok.ent_type_ and tok.pos_ != "PROPN":
            return False  # "Police raid ...": a common noun in a headline's capitals, not the town of Police
        found = self.gazetteer.lookup(tok.text)
        key = norm_key(tok.text)
        return bool(found) and tok.text[:1].isupper() and not any(c.kind == "country" for c in found) \
            and key not in self.kb.country_names and key not in self.kb.country_adjectives

    def _ignored(self, doc, match: TriggerMatch) -> bool:
        """Trigger words inside a name ('Human Rights Watch') or describing ('Iran-backed') are not events."""
        head = doc[match.head]
        if head.ent_type_ in NON_EVENT_ENTS or doc[match.start].ent_type_ in NON_EVENT_ENTS:
            return True  # "March 15" is a date, not a march
        if head.pos_ in ("NOUN", "PROPN") and head.dep_ == "compound" and head.head.lemma_.lower() in NON_EVENT_HEADS:
            return True  # "protest movement", "aid worker", "attack helicopter"
        if match.end < len(doc) and doc[match.end].text == "-" and not doc[match.end - 1].whitespace_:
            return True  # "bomb-making materials", "strike-hit town"
        if head.pos_ in ("VERB", "ADJ") and head.dep_ == "amod" and match.entry.event_type not in ("ASSAULT",):
            return True
        if head.dep_ in ("amod", "acl") and head.lemma_.lower() in DESCRIPTIVE_PARTICIPLES:
            return True
        if head.ent_type_ in ("PERSON", "WORK_OF_ART", "LAW", "FAC") :
            return True
        if any(c.dep_ == "prep" and c.lower_ == "for" and any(g.lemma_.lower() == "comment" for g in c.children)
               for c in head.children):
            return True  # "did not respond to a request for comment": newsroom routine, not an event
        if head.ent_type_ == "ORG":
            ent = entity_of(head)
            if ent is not None and self.kb.named(ent.text) is not None:
                return True
        return False

    def _actor(self, doc, role: RolePhrase, match: TriggerMatch, when: date | None,
               trigger_tokens: set[int]) -> Actor:
        end = role.end
        while end > role.head + 1 and (end - 1) in trigger_tokens:  # "US Air Strikes" tagged as one ORG
            end -= 1
        toks = doc[role.start:end]
        span = doc_span(doc, toks[0].idx, toks[-1].idx + len(toks[-1])) if len(toks) else doc_span(doc, 0, 0)
        words = [t.text if (t.pos_ == "PROPN" or t.ent_type_) else t.lemma_ for t in toks]
        ents = [e.text for e in ents_within(doc, role.start, end) if e.label_ in ("ORG", "PERSON", "GPE", "NORP")]
        extra = doc[role.extra_start:role.extra_end].text if role.extra_start >= 0 else ""
        head = doc[role.head]
        return self.kb.resolve(role.role, span, words, head.lemma_, match.entry.event_type, when, ents, extra)
