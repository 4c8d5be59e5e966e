"""Killed, injured and arrested counts with their claimants, hedges and 'no figure' reports.

Vague quantities follow ACLED's rule: "tens" = 10, "dozens" = 12, "hundreds" = 100.
A source reported as giving no figure ("did not mention any injuries or deaths") is a claim
with ``no_figure`` and no count; an explicit "no one was killed" is a count of 0.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

UPPER_HEDGES = frozenset({"up to", "as many as", "at most", "fewer than", "less than"})
__all__ = ["UPPER_HEDGES", "CountMatch", "find_counts", "parse_number", "NoFigure", "find_no_figure", "REPORT_LEMMAS"]

REPORT_LEMMAS = frozenset({
    "say", "tell", "report", "state", "claim", "estimate", "confirm", "announce", "add", "note",
    "put", "count", "record", "document", "allege", "insist", "reveal", "disclose", "according",
    "quote", "cite", "suggest", "indicate", "show", "write", "tweet", "post", "assert",
})

_UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_VAGUE = {"tens of thousands": 10000, "hundreds of thousands": 100000, "thousands": 1000, "tens": 10, "dozens": 12, "a dozen": 12, "dozen": 12, "hundreds": 100, "scores": 20,
          "thousands": 1000, "a handful": 3}
_NUMWORD = (r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
            r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|"
            r"nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
            r"(?:\s+(?:hundred|thousand|million))?")
NUMBER = rf"(?:(?:two|three|four|five|six|a few|several)\s+dozen|{_NUMWORD}|a dozen|dozens|tens of thousands|hundreds of thousands|tens|hundreds|thousands|scores|a handful)"
HEDGE = (r"(?:at least|more than|over|nearly|almost|around|about|approximately|roughly|some|up to|"
         r"as many as|at most|fewer than|less than|an estimated|close to|in excess of|upwards of|"
         r"as few as|no fewer than|no less than)")
_KILL = r"(?:killed|dead|died|slain|murdered|massacred|executed|perished|lost their lives|shot dead|killing|kills)"
_INJ = r"(?:injured|wounded|hurt|injuring|wounding|hospitali[sz]ed)"
_ARR = r"(?:arrested|detained|held|taken into custody|rounded up|apprehended|jailed|arresting|detaining)"
_ABD = r"(?:abducted|kidnapped|seized|taken hostage|abducting|kidnapping)"
_PEOPLE = r"(?:(?!(?:and|or|but|while|as|killing|wounding|injuring|killed|wounded|injured|arrested)\b)[A-Za-z'’-]+\s+){0,4}?"
_VERB_BE = r"(?:(?:were|was|have been|has been|had been|are|is|being|been|reportedly|also|later|allegedly|fatally)\s+){0,3}"

_ONE_PERSON = (r"(?:(?:\d+|[a-z]+)-year-old|person|man|woman|child|boy|girl|baby|teenager|journalist|reporter|soldier|policeman|policewoman|"
               r"police officer|officer|civilian|farmer|teacher|student|worker|guard|priest|imam|pastor|activist|"
               r"lawyer|judge|doctor|nurse|politician|candidate|mayor|councillor|councilor|official|militant|"
               r"fighter|rebel|commander|protester|demonstrator|trader|driver|pilot|tourist|resident|villager|"
               r"herder|shopkeeper|businessman|businesswoman|employee|passer-by|bystander|colonel|"
               r"sergeant|lieutenant|leader|member)\b(?!\s+(?:road|junction|building|facility|site|office))")
_PATTERNS = [
    # "22 people were killed", "at least 12 civilians died", "three soldiers wounded"
    re.compile(rf"(?<![\w'’-])(?P<hedge>{HEDGE}\s+)?(?P<num>{NUMBER})\s+(?:of\s+(?:them|whom)\s+)?{_PEOPLE}{_VERB_BE}"
               rf"(?P<kind>{_KILL}|{_INJ}|{_ARR}|{_ABD})\b", re.I),
    # "killing at least 12", "police arrested 14 people", "left five dead"
    re.compile(rf"\b(?P<kind>killing|killed|kill|wounding|wounded|injuring|injured|arrested|arresting|detained|"
               rf"detaining|abducted|abducting|kidnapped|kidnapping|left|leaving)\s+(?P<hedge>{HEDGE}\s+)?"
               rf"(?P<num>{NUMBER})\b(?:\s+{_PEOPLE}(?P<tail>dead|injured|wounded|hurt))?", re.I),
    # "killed a journalist", "shot dead an off-duty policeman": one person
    re.compile(rf"\b(?P<kind>killing|killed|kills|kill|shot dead|wounding|wounded|injuring|injured|arrested|arresting|"
               rf"detained|abducted|abducting|kidnapped|kidnapping)\s+(?P<hedge>)(?P<num>an?)\s+(?:[\w-]+\s+){{0,2}}?"
               rf"{_ONE_PERSON}\b", re.I),
    # "A soldier was killed", "a policeman was wounded"
    re.compile(rf"(?<![\w'’-])(?P<hedge>)(?P<num>an?)\s+(?:[\w-]+\s+){{0,2}}?{_ONE_PERSON}\s+"
               rf"(?:was|has been|had been|is|got)\s+(?:(?:reportedly|also|later|allegedly|fatally)\s+)?(?P<kind>killed|shot dead|wounded|injured|hurt|arrested|detained|abducted|kidnapped)\b", re.I),
    # "condemned the killing of three aid workers", "the deaths of 12 miners", "the abduction of 40 pupils"
    re.compile(rf"\b(?P<kind>killing|killings|deaths|murder|murders|abduction|abductions|kidnapping|kidnappings|"
               rf"arrest|arrests|detention)\s+of\s+(?P<hedge>{HEDGE}\s+)?(?P<num>{_NUMWORD})\b", re.I),
    # "the death toll rose to 30", "a toll of 12"
    re.compile(rf"\b(?P<kind>death toll|toll)\b[^.;]{{0,120}}?\b(?:rose|risen|rises|climbed|climbs|increased|jumped|"
               rf"reached|stands|stood|hit)\s+(?:to|at)?\s*(?P<hedge>{HEDGE}\s+)?(?P<num>{NUMBER})\b(?!\s*(?:percent|%))",
               re.I),
    re.compile(rf"\b(?P<kind>death toll|toll)\b[^.;]{{0,40}}?\b(?:to|of|at|reached|hit|stands at|stood at)\s+"
               rf"(?P<hedge>{HEDGE}\s+)?(?P<num>{NUMBER})\b", re.I),
    # "30 deaths", "12 dead", "five fatalities", "40 injuries"
    re.compile(rf"(?<![\w'’-])(?P<hedge>{HEDGE}\s+)?(?P<num>{NUMBER})\s+(?P<kind>deaths|dead|fatalities|injuries|injured|wounded"
               rf"|arrests|detentions|abductions)\b", re.I),
]
_TREATED = [
    re.compile(rf"\b(?:treated|hospitali[sz]ed|admitted)\s+(?P<hedge>{HEDGE}\s+)?(?P<num>{NUMBER})\s+(?:\w+\s+){{0,3}}?"
               rf"(?:for|with)\s+(?:\w+\s+)?(?:injuries|wounds|burns|gunshot wounds)", re.I),
    re.compile(rf"(?<![\w'’-])(?P<hedge>{HEDGE}\s+)?(?P<num>{NUMBER})\s+{_PEOPLE}{_VERB_BE}(?:treated|hospitali[sz]ed|admitted)\b"
               rf"(?:\s+\w+){{0,4}}?\s+(?:for|with)\s+(?:\w+\s+)?(?:injuries|wounds|burns)", re.I),
]
_ZERO = re.compile(rf"\b(?:no one|nobody|no-one|none|no (?:one|people|civilians|soldiers|casualties|deaths|"
                   rf"fatalities|injuries))\s+(?:\w+\s+){{0,2}}?(?:was|were|has been|have been|had been)?\s*"
                   rf"(?P<kind>{_KILL}|{_INJ}|reported|recorded)\b", re.I)


_NOT_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "on", "and",
              "january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december", "police", "officials", "authorities"}


def parse_number(text: str) -> tuple[int | None, bool]:
    """An integer for a number or number words, and whether it was a vague quantity."""
    t = " ".join(text.lower().replace(",", "").split())
    if t in _VAGUE:
        return _VAGUE[t], True
    m = re.fullmatch(r"(two|three|four|five|six|a few|several) dozen", t)
    if m:
        return {"two": 24, "three": 36, "four": 48, "five": 60, "six": 72}.get(m.group(1), 12), m.group(1) in ("a few", "several")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s+(hundred|thousand|million))?", t)
    if m:
        value = float(m.group(1))
        mult = {"hundred": 100, "thousand": 1000, "million": 1_000_000}.get(m.group(2) or "", 1)
        return int(value * mult), False
    words = t.replace("-", " ").split()
    total, current = 0, 0
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in ("thousand", "million"):
            total += max(current, 1) * (1000 if w == "thousand" else 1_000_000)
            current = 0
        else:
            return None, False
    return total + current, False


def _kind(word: str) -> str | None:
    w = word.lower()
    if re.fullmatch(_KILL, w) or w in ("death toll", "toll", "deaths", "fatalities", "kill", "dead", "killings",
                                       "murder", "murders"):
        return "killed"
    if re.fullmatch(_INJ, w) or w in ("injuries",):
        return "injured"
    if re.fullmatch(_ARR, w) or w in ("arrest", "arrests", "detention", "detentions"):
        return "arrested"
    if re.fullmatch(_ABD, w) or w in ("abduction", "abductions", "kidnappings"):
        return "abducted"
    return None


@dataclass(frozen=True)
class CountMatch:
    kind: str          # killed | injured | arrested | abducted
    value: int
    hedge: str | None  # "at least", "up to", ..., "vague" for dozens/hundreds
    start: int         # offsets into the text searched
    end: int


def find_counts(text: str) -> list[CountMatch]:
    """Every casualty/arrest count in ``text`` (a sentence), left to right, without overlaps."""
    found: list[CountMatch] = []
    taken: list[tuple[int, int]] = []
    for m in _ZERO.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        kind = _kind(m.group("kind")) or "killed"
        found.append(CountMatch(kind, 0, None, m.start(), m.end()))
        taken.append((m.start(), m.end()))
        if re.search(r"casualt", m.group(0), re.I) or m.group("kind").lower() in ("reported", "recorded"):
            other = "injured" if kind == "killed" else "killed"
            found.append(CountMatch(other, 0, None, m.start(), m.end()))
    for rx in _PATTERNS:
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            kind_word = m.group("kind")
            if kind_word.lower() in ("left", "leaving"):
                tail = m.groupdict().get("tail")
                if not tail:
                    continue
                kind_word = tail
            kind = _kind(kind_word)
            if kind is None:
                continue
            if kind == "injured" and "fatally" in text[max(0, m.start() - 9):m.end()].lower():
                kind = "killed"  # "a policeman was fatally wounded", "fatally wounded a policeman"
            value, vague = parse_number(m.group("num"))
            if value is None or value > 1_000_000:
                continue
            if re.fullmatch(r"(19|20)\d\d", m.group("num")):
                continue
            before = text[:m.start()].rstrip()
            prev_word = before.split()[-1] if before.split() else ""
            if m.group(0)[:1].isdigit() and prev_word[:1].isupper() and len(before.split()) > 1 \
                    and prev_word.lower() not in _NOT_NAMES:
                continue  # "Densus 88", "Resolution 2254": part of a name
            hedge = (m.group("hedge") or "").strip().lower() or ("vague" if vague else None)
            found.append(CountMatch(kind, value, hedge, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for rx in _TREATED:
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value, vague = parse_number(m.group("num"))
            if value is not None:
                hedge = (m.group("hedge") or "").strip().lower() or ("vague" if vague else None)
                found.append(CountMatch("injured", value, hedge, m.start(), m.end()))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda c: c.start)


@dataclass(frozen=True)
class NoFigure:
    """A source reported as giving no figure: the verb token and its subject's tokens."""

    verb_i: int
    subject_start: int
    subject_end: int


_NOFIG_VERBS = frozenset({"mention", "give", "provide", "release", "disclose", "report", "confirm", "say",
                          "offer", "publish", "comment", "specify", "reveal", "announce"})
_NOFIG_OBJECTS = frozenset({"injury", "death", "casualty", "figure", "toll", "fatality", "number", "detail",
                            "victim", "dead", "count", "loss"})


def find_no_figure(sent) -> list[NoFigure]:
    """'The Pentagon did not mention any injuries or deaths': sources that gave no figure."""
    out = []
    for tok in sent:
        if tok.lemma_.lower() not in _NOFIG_VERBS or tok.pos_ not in ("VERB", "AUX"):
            continue
        negated = any(c.dep_ == "neg" for c in tok.children) or any(
            c.lemma_.lower() in ("decline", "refuse") for c in tok.ancestors if c.i == tok.head.i)
        objects = [c for c in tok.children if c.dep_ in ("dobj", "prep", "attr", "nsubjpass")]
        obj_words = set()
        for o in objects:
            for t in o.subtree:
                obj_words.add(t.lemma_.lower())
                if any(d.dep_ == "det" and d.lower_ == "no" for d in t.children):
                    negated = True
        if not negated or not (obj_words & _NOFIG_OBJECTS):
            continue
        subj = next((c for c in tok.children if c.dep_ in ("nsubj",)), None)
        if subj is None and tok.head.lemma_.lower() in ("decline", "refuse"):
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        if subj is None:  # "He did not say ... and gave no casualty figure" (gave misattached)
            root = sent.root
            if root.lemma_.lower() in _NOFIG_VERBS | REPORT_LEMMAS:
                subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subj is None:
            continue
        toks = list(subj.subtree)
        out.append(NoFigure(tok.i, toks[0].i, toks[-1].i + 1))
    return out
