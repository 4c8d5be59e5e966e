"""Actor knowledge (data/actors/*.tsv) and the resolution of actor phrases to codes.

An actor phrase ("the Syrian army", "Iran-backed militias", "Defense Secretary Lloyd Austin")
resolves to a country (ISO alpha-3), a sector (GOV MIL COP REB ...), an optional associated
country (a sponsor) and a code. Named office holders are resolved at the event date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from eventwire.data import read_tsv
from eventwire.models import Actor, Span
from eventwire.resolve.gazetteer import norm_key

__all__ = ["ActorKB", "KBEntry", "ARMED_FORCE_TYPES"]

ARMED_FORCE_TYPES = frozenset({"ASSAULT", "MOBILIZE"})
_SPONSOR = re.compile(r"\b([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)[\s-](?:backed|supported|sponsored|aligned|allied|funded|armed)\b", re.I)
_SPONSOR_BY = re.compile(r"\b(?:backed|supported|sponsored|funded|armed)\s+by\s+(?:the\s+)?([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)")
_LOYAL = re.compile(r"\b(?:loyal|allied) to\s+(?:the\s+)?([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)")


@dataclass(frozen=True)
class KBEntry:
    """One named actor: an organisation, armed group or office holder."""

    name: str
    code: str | None
    country: str | None
    sector: str | None
    associated_country: str | None
    kind: str
    start: date | None = None
    end: date | None = None
    role: str | None = None

    def valid_on(self, when: date | None) -> bool:
        if when is None:
            return self.end is None
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


def _d(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


class ActorKB:
    """Names, country words and sector words, loaded once from the data files."""

    def __init__(self) -> None:
        self.country_names: dict[str, str] = {}   # normalised name/alias -> alpha-3
        self.country_adjectives: dict[str, str] = {}
        self.capitals: dict[str, str] = {}
        self.capital_of: dict[str, str] = {}      # alpha-3 -> its (first-listed) capital's normalised name
        self.country_label: dict[str, str] = {}   # alpha-3 -> common name
        self.abbreviations: set[str] = set()      # "CAR", "DRC", "UAE": country names only in capitals
        self._caps_keys: set[str] = set()         # names known only as capitals: "WHO", "IS", "AU"
        self._mixed_keys: set[str] = set()
        self.entries: dict[str, list[KBEntry]] = {}
        self.sector_terms: dict[str, str] = {}
        self.patterns: list[dict] = []
        self._load_countries()
        self._load_organisations()
        self._load_office_holders()
        for row in read_tsv("actors", "sectors.tsv"):
            self.sector_terms[norm_key(row["term"])] = row["sector"]
        self.max_sector_words = max((len(k.split()) for k in self.sector_terms), default=1)

    def _load_countries(self) -> None:
        for row in read_tsv("actors", "countries.tsv"):
            iso3 = row["iso3"]
            self.country_label[iso3] = row["name"]
            for name in [row["name"]] + _split(row["aliases"]):
                self.country_names.setdefault(norm_key(name), iso3)
                if name.replace(".", "").isupper() and len(name) <= 6:
                    self.abbreviations.add(norm_key(name))
            for adj in _split(row["adjectives"]):
                self.country_adjectives.setdefault(norm_key(adj), iso3)
            for cap in _split(row["capitals"]):
                self.capitals.setdefault(norm_key(cap), iso3)
                self.capital_of.setdefault(iso3, norm_key(cap))

    def _add(self, names: list[str], entry: KBEntry, label: str) -> None:
        for name in names:
            key = norm_key(name)
            if not key:
                continue
            self.entries.setdefault(key, []).append(entry)
            letters = name.replace(".", "").replace(" ", "").replace("-", "")
            (self._caps_keys if letters.isupper() and len(letters) <= 6 else self._mixed_keys).add(key)
            if len(name) > 2 or name.isupper():
                self.patterns.append({"label": label, "pattern": name, "id": entry.code or entry.name})
                if name.lower().startswith("the "):
                    self.patterns.append({"label": label, "pattern": name[4:], "id": entry.code or entry.name})

    def _load_organisations(self) -> None:
        for row in read_tsv("actors", "organisations.tsv"):
            entry = KBEntry(row["name"], row["code"] or None, row["country"] or None, row["sector"] or None,
                            row["associated_country"] or None, row["kind"] or "other")
            self._add([row["name"]] + _split(row["aliases"]), entry, "ORG")

    def _load_office_holders(self) -> None:
        for row in read_tsv("actors", "office_holders.tsv"):
            entry = KBEntry(row["name"], None, row["country"] or None, row["sector"] or None, None, "person",
                            _d(row["start"]), _d(row["end"]), row["role"] or None)
            names = [row["name"]] + _split(row["aliases"])
            self._add(names, entry, "PERSON")

    # -- look-ups -------------------------------------------------------------------------
    def country_of_word(self, text: str) -> str | None:
        """Alpha-3 for a country name, alias or adjective ('Syrian', 'U.S.', 'Iran')."""
        key = norm_key(text)
        return self.country_names.get(key) or self.country_adjectives.get(key)

    def named(self, text: str, when: date | None = None) -> KBEntry | None:
        """The organisation or person called ``text``, preferring one in office at ``when``."""
        key = norm_key(text)
        if key in self._caps_keys and key not in self._mixed_keys and \
                not text.replace(".", "").replace(" ", "").replace("-", "").isupper():
            return None  # "who" is not the WHO, "is" not the Islamic State
        found = self.entries.get(key)
        if not found and key.startswith("the "):
            found = self.entries.get(key[4:])
        if not found:
            return None
        valid = [e for e in found if e.kind != "person" or e.valid_on(when)]
        if valid:
            return valid[0]
        people = sorted((e for e in found if e.kind == "person"), key=lambda e: e.start or date.min)
        last = people[-1] if people else found[0]
        return KBEntry(last.name, None, last.country, None, None, "person", last.start, last.end, None)

    def sector_of(self, words: list[str]) -> tuple[str | None, list[str]]:
        """The sector implied by the longest sector term among ``words`` (lemmas), and all found."""
        keys = [norm_key(w) for w in words]
        found: list[tuple[int, str]] = []
        for n in range(min(self.max_sector_words, len(keys)), 0, -1):
            for i in range(len(keys) - n + 1):
                term = " ".join(keys[i:i + n])
                for form in (term, term + "s", term + "es", term[:-1] if term.endswith("s") else term):
                    if form in self.sector_terms:
                        found.append((n * 100 + i, self.sector_terms[form]))
                        break
        if not found:
            return None, []
        found.sort(reverse=True)
        sectors = []
        for _, s in found:
            if s not in sectors:
                sectors.append(s)
        return sectors[0], sectors

    def sponsor_of(self, text: str) -> str | None:
        """The associated country of 'Iran-backed militias' / 'militias backed by Iran'."""
        for rx in (_SPONSOR, _SPONSOR_BY, _LOYAL):
            m = rx.search(text)
            if m:
                iso = self.country_of_word(m.group(1)) or self.country_of_word(m.group(1).split()[0])
                if iso:
                    return iso
        return None

    def resolve(self, role: str, span: Span, words: list[str], head_lemma: str, event_type: str | None,
                when: date | None, entity_texts: list[str] = (), extra_text: str = "") -> Actor:
        """Resolve an actor phrase (its span, word lemmas and head) into an Actor record."""
        text = span.text
        sponsor = self.sponsor_of(text + " " + extra_text)
        entry = None
        for candidate in list(entity_texts) + [text]:
            entry = self.named(candidate, when)
            if entry:
                break
        if entry is None:  # longest known name inside the phrase
            toks = text.split()
            for n in range(min(6, len(toks)), 0, -1):
                for i in range(len(toks) - n + 1):
                    sub = " ".join(toks[i:i + n]).strip(",.'’s")
                    if len(sub) > 2 and (entry := self.named(sub, when)):
                        break
                if entry:
                    break
        sector, sectors = self.sector_of(words)
        country = None
        sponsor_keys = {norm_key(w) for w in re.findall(r"[\w.]+(?=[\s-](?:backed|supported|sponsored|aligned|allied|funded|armed)\b)", text, re.I)}
        for w in words:
            key = norm_key(w)
            if key in sponsor_keys:
                continue
            if key in self.abbreviations and not w.replace(".", "").isupper():
                continue  # "a bomb-laden car" is no Central African Republic
            iso = self.country_names.get(key) or self.country_adjectives.get(key)
            if iso:
                country = iso
                break
        if country is None:
            joined = norm_key(text)
            for n in (4, 3, 2):
                toks = joined.split()
                for i in range(len(toks) - n + 1):
                    iso = self.country_names.get(" ".join(toks[i:i + n]))
                    if iso and " ".join(toks[i:i + n]) not in sponsor_keys:
                        country = iso
                        break
                if country:
                    break
        if country is None and self.capitals.get(norm_key(text)):
            country = self.capitals[norm_key(text)]  # "urged Washington and Moscow"
        name = None
        code = None
        if entry is not None:
            name, code = entry.name, entry.code
            country = entry.country or country
            if entry.sector:
                sector = entry.sector
                sectors = [entry.sector] + [s for s in sectors if s != entry.sector]
            sponsor = sponsor or entry.associated_country
        if country and sponsor == country and entry is None:
            sponsor = None
        if country and not sector:
            if norm_key(text) in self.capitals or norm_key(head_lemma) in self.capitals:
                sector = "GOV"
            elif self._bare_state(words, country):
                sector = "MIL" if event_type in ARMED_FORCE_TYPES else "GOV"
            if sector:
                sectors = [sector]
        if country and name is None:
            name = self.country_label.get(country, country) + (f" ({sector})" if sector else "")
        if code is None and country:
            code = country + (sector or "")
        elif code is None and sector:
            code = sector
        resolved = bool(country or code or entry)
        return Actor(role=role, text=text, name=name or (text if resolved else None), code=code,
                     country=country, sector=sector, sectors=tuple(sectors), associated_country=sponsor,
                     resolved=resolved, span=span)

    def _bare_state(self, words: list[str], country: str) -> bool:
        """True when the phrase names a state and nothing else ('the United States', 'Iran')."""
        content = [norm_key(w) for w in words if norm_key(w) not in ("the", "s", "")]
        joined = " ".join(content)
        return self.country_names.get(joined) == country or self.capitals.get(joined) == country
