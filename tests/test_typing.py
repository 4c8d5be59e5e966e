"""The event-typing stage: its seam (rules-v1 changes nothing), the learned typer's artefact and
encoder, and the policy that keeps one typed event a sentence and records every candidate dropped."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from eventwire.errors import ResourceMissing, SettingsError
from eventwire.extract.typing import (ACLED_LABELS, PLOVER_LABELS, LearnedTyper, RulesTyper, apply_typing,
                                      read_alongside, read_artefact, sentence_type)
from eventwire.models import Actor, Mention, Span, Typing
from eventwire.settings import Settings

DATA = Path(__file__).resolve().parent / "data"


def mention(index: int, start: int, event_type: str, weight: float = 0.5, modality: str = "asserted") -> Mention:
    sentence = Span(index * 100, index * 100 + 90, "x" * 90)
    return Mention(sentence=sentence, trigger=Span(start, start + 4, "word"), event_type=event_type, mode=None,
                   cameo_code=None, contexts=(), modality=modality, modality_cue=None, weight=weight,
                   sentence_index=index)


def typed(plover: str | None, acled: str | None = None, p_none: float = 0.05) -> Typing:
    return Typing("learned-v5", acled, plover, p_none)


def test_rules_typer_reads_nothing():
    assert RulesTyper().type_sentences(["Troops shelled the town."]) is None
    assert RulesTyper.name == "rules-v1"


def test_a_sentence_read_as_no_event_drops_its_candidates_with_the_reason():
    ms = [mention(0, 5, "ASSAULT"), mention(1, 105, "ACCUSE")]
    kept, dropped = apply_typing(ms, {0: typed(None, None, p_none=0.93)})
    assert kept == [ms[1]]  # a sentence the typer did not read keeps its candidates
    assert [(d.mention, d.coder, d.reason) for d in dropped] == [(ms[0], "learned-v5", "not an event (P(none) = 0.93)")]


def test_background_told_in_a_sentence_read_as_no_event_stays_for_later_references():
    # "In March 2019 a car bomb killed 30 at the market": no news event, but "a week before the bombing"
    # later in the article must still find it; a recent act in such a sentence is dropped as before
    old = replace(mention(0, 5, "ASSAULT"), resolved_date=date(2019, 3, 2))
    recent = replace(mention(1, 105, "ASSAULT"), resolved_date=date(2024, 5, 30))
    told_as_past = mention(2, 205, "ASSAULT", modality="historical")
    none = typed(None, None, p_none=0.9)
    kept, dropped = apply_typing([old, recent, told_as_past], {0: none, 1: none, 2: none}, date(2024, 6, 1))
    assert kept == [old, told_as_past] and [d.mention for d in dropped] == [recent]
    assert all(m.typing is None for m in kept)  # kept as the rules read them, never typed as news


def test_the_hybrid_keeps_background_too():
    class Typer:
        name, drop_at, pairs = "hybrid-v5", 0.5, {}
    old = replace(mention(0, 5, "ASSAULT"), resolved_date=date(2019, 3, 2))
    recent = mention(1, 105, "ASSAULT")
    none = typed(None, None, p_none=0.9)
    kept, dropped = read_alongside([old, recent], {0: none, 1: none}, Typer(), date(2024, 6, 1))
    assert kept == [old] and [d.mention for d in dropped] == [recent]


def test_force_on_a_protest_is_never_retyped_as_the_protest_and_stays_beside_it():
    # "Marchers broke into the ministry and police fired on the crowd": read as a riot, the break-in is
    # the protest and the police fire a second event; the police never become the protesters
    break_in = replace(mention(0, 5, "ASSAULT", weight=0.6), actors=(Actor("actor", "Marchers", sector="CVL"),))
    fire = replace(mention(0, 40, "ASSAULT", weight=0.9), actors=(Actor("actor", "police", sector="COP"),
                                                                  Actor("recipient", "the crowd")))
    kept, dropped = apply_typing([break_in, fire], {0: typed("PROTEST", "Violent demonstration")})
    assert [(m.trigger.start, m.event_type, m.typing.secondary) for m in kept] == [(5, "PROTEST", False),
                                                                                 (40, "ASSAULT", True)]
    assert not dropped
    assert [(a.role, a.text) for a in kept[0].actors] == [("actor", "Marchers")]  # the crowd is the police's target
    # alone in its sentence, the force still carries the sentence's reading (its one ACLED row)
    [alone], _ = apply_typing([fire], {0: typed("PROTEST", "Protest with intervention")})
    assert (alone.event_type, alone.typing.acled) == ("PROTEST", "Protest with intervention")


def test_one_event_a_typed_sentence_of_the_type_read_and_the_rest_dropped():
    ms = [mention(0, 5, "COERCE", weight=0.9), mention(0, 40, "ASSAULT", weight=0.6),
          mention(0, 60, "ASSAULT", weight=0.7, modality="hypothetical")]
    kept, dropped = apply_typing(ms, {0: typed("ASSAULT", "Attack")})
    assert [(m.trigger.start, m.event_type, m.typing.acled) for m in kept] == [(40, "ASSAULT", "Attack")]
    assert sorted(d.mention.trigger.start for d in dropped) == [5, 60]
    assert all(d.reason == "another candidate is its sentence's event (ASSAULT)" for d in dropped)


def test_the_event_kept_takes_place_date_and_roles_from_other_tellings_of_the_same_act():
    # "Raiders stormed the hamlet of Dorvan on Friday and carried off thirty herders, the district chief
    # warned of reprisals": one act told by two verbs, and a warning; the verb kept lacks what the other
    # names, and gets it, but never replaces its own
    from eventwire.models import Place
    hamlet, district = Place("Dorvan", "Dorvan", precision="town"), Place("the district", precision="admin2")
    warning = replace(mention(0, 2, "THREATEN", weight=0.3), places=(district,), date_text=Span(90, 96, "Monday"),
                      actors=(Actor("actor", "the district chief"),))
    stormed = replace(mention(0, 5, "ASSAULT", weight=0.6), places=(hamlet,), date_text=Span(40, 46, "Friday"),
                      resolved_date=date(2024, 5, 31), date_precision="day",
                      actors=(Actor("actor", "Raiders"), Actor("recipient", "the hamlet")))
    seizing = replace(mention(0, 60, "ASSAULT", weight=0.9), actors=(Actor("recipient", "thirty herders"),))
    [kept], dropped = apply_typing([warning, stormed, seizing], {0: typed("ASSAULT", "Abduction/forced disappearance")})
    assert kept.trigger.start == 60 and kept.places == (hamlet,)
    assert (kept.date_text, kept.resolved_date, kept.date_precision) == (Span(40, 46, "Friday"), date(2024, 5, 31), "day")
    assert [(a.role, a.text) for a in kept.actors] == [("recipient", "thirty herders"), ("actor", "Raiders")]
    assert [d.mention for d in dropped] == [warning, stormed]  # the other tellings are still not events of their own
    own = replace(seizing, places=(district,))
    [kept], _ = apply_typing([stormed, own], {0: typed("ASSAULT")})
    assert kept.places == (district,)  # what the kept candidate names stands
    on_the_day = replace(seizing, resolved_date=date(2024, 5, 31), date_precision="day", date_text=Span(1, 2, "x"))
    for other, main in ((replace(stormed, modality="hypothetical"), seizing),  # another modality is not the same act,
                        (replace(stormed, anaphoric=True), seizing),  # nor a reference back to another ("after the raid"),
                        (replace(stormed, resolved_date=date(2024, 5, 29)), on_the_day)):  # nor another day's act
        [kept], _ = apply_typing([other, main], {0: typed("ASSAULT")})
        assert kept.places == () and all(a.text != "Raiders" for a in kept.actors)
    # another doer is another act: the soldiers do not get the gunmen's victims
    soldiers = replace(mention(0, 5, "ASSAULT", weight=0.9), actors=(Actor("actor", "Soldiers"),))
    gunmen = replace(mention(0, 40, "ASSAULT", weight=0.6), places=(hamlet,),
                     actors=(Actor("actor", "gunmen"), Actor("recipient", "two farmers")))
    [kept], _ = apply_typing([soldiers, gunmen], {0: typed("ASSAULT")})
    assert kept.places == () and [a.text for a in kept.actors] == ["Soldiers"]
    # a speaker of the sentence's words is never taken for the doer ("the ministry accused ... of killing")
    accusing = replace(mention(0, 2, "ACCUSE", weight=0.3), actors=(Actor("actor", "The ministry"),))
    misread = replace(mention(0, 50, "ASSAULT", weight=0.5), actors=(Actor("actor", "The ministry"),))
    kept, _ = apply_typing([accusing, seizing, misread], {0: typed("ASSAULT")})
    assert [(m.event_type, [a.text for a in m.actors]) for m in kept] == [("ASSAULT", ["thirty herders"])]
    # a role is not filled with the party the kept candidate already names on the other side
    shelled = replace(mention(0, 5, "ASSAULT", weight=0.6), actors=(Actor("actor", "the rebels"),))
    bombed = replace(mention(0, 40, "ASSAULT", weight=0.9), actors=(Actor("recipient", "rebels"),))
    [kept], _ = apply_typing([shelled, bombed], {0: typed("ASSAULT")})
    assert [(a.role, a.text) for a in kept.actors] == [("recipient", "rebels")]  # "the rebels" is the same party


def test_an_accusation_about_the_act_read_stays_as_the_accusers_event():
    # "The ministry accused insurgents of ambushing a patrol near the dam": the typer reads the ambush;
    # the ministry's accusation is an event of its own (PLOVER ACCUSE), beside it, with no ACLED row
    accused = replace(mention(0, 13, "ACCUSE", weight=0.9), actors=(Actor("actor", "The ministry"),
                                                                   Actor("recipient", "insurgents")))
    ambush = replace(mention(0, 38, "ASSAULT", weight=0.6), actors=(Actor("actor", "insurgents"),))
    kept, dropped = apply_typing([accused, ambush], {0: typed("ASSAULT", "Armed clash")})
    assert [(m.trigger.start, m.event_type, m.typing.acled, m.typing.secondary) for m in kept] == [
        (13, "ACCUSE", None, True), (38, "ASSAULT", "Armed clash", False)]
    assert not dropped
    assert [(a.role, a.text) for a in kept[1].actors] == [("actor", "insurgents")]  # nothing taken from the words
    # read as the accusation itself (no incident told), it is the one event; words beside a protest are not kept
    [alone], _ = apply_typing([accused, ambush], {0: typed("ACCUSE")})
    assert (alone.trigger.start, alone.typing.secondary) == (13, False)
    kept, _ = apply_typing([accused, replace(ambush, event_type="PROTEST")], {0: typed("PROTEST", "Peaceful protest")})
    assert [m.event_type for m in kept] == ["PROTEST"]
    # an "accusation" by the doer itself is the act told again by a word the rules misread, not words about it
    again = replace(accused, actors=(Actor("actor", "insurgents"),))
    kept, _ = apply_typing([again, ambush], {0: typed("ASSAULT", "Armed clash")})
    assert [m.event_type for m in kept] == ["ASSAULT"]


def test_a_merged_event_is_secondary_only_when_every_telling_of_it_is():
    from eventwire.assemble.events import merged_typing

    # the accusation kept beside an attack in one sentence, and told again as another sentence's own event
    beside = replace(mention(0, 40, "ACCUSE", weight=0.9), typing=replace(typed("ACCUSE"), secondary=True))
    own = replace(mention(2, 205, "ACCUSE", weight=0.6), typing=typed("ACCUSE", acled=None))
    assert merged_typing(beside, [beside, own]) is own.typing
    assert merged_typing(beside, [beside]).secondary  # told only beside the act: still secondary
    untyped = mention(1, 105, "ACCUSE", weight=0.95)
    assert merged_typing(untyped, [untyped, own]) is None  # the heaviest telling's reading, as before
    assert merged_typing(own, [beside, own]) is own.typing


def test_a_retyped_candidate_loses_the_rules_mode():
    m = mention(0, 5, "COERCE")
    m = m.__class__(**{**m.__dict__, "mode": "arrest", "cameo_code": "173"})
    [kept], _ = apply_typing([m], {0: typed("PROTEST", "Protest with intervention")})
    assert (kept.event_type, kept.mode, kept.cameo_code) == ("PROTEST", None, None)


def test_sentence_type_reads_none_and_types_from_probabilities():
    pa = np.full(len(ACLED_LABELS), 0.01)
    pp = np.full(len(PLOVER_LABELS), 0.01)
    pa[ACLED_LABELS.index("Air/drone strike")], pp[PLOVER_LABELS.index("ASSAULT")] = 0.8, 0.8
    t = sentence_type(pa / pa.sum(), pp / pp.sum())
    assert (t.acled, t.plover, t.is_event) == ("Air/drone strike", "ASSAULT", True)
    pp2 = np.full(len(PLOVER_LABELS), 0.01)
    pp2[PLOVER_LABELS.index("CONSULT")] = 0.6
    pa2 = np.full(len(ACLED_LABELS), 0.01)
    pa2[0] = 0.9  # ACLED: none; PLOVER: a meeting
    t2 = sentence_type(pa2 / pa2.sum(), pp2 / pp2.sum())
    assert (t2.acled, t2.plover) == (None, "CONSULT")


def test_the_coder_setting_is_checked():
    assert Settings(coder="learned").coder == "learned"
    with pytest.raises(SettingsError, match="unknown coder 'neural'"):
        Settings(coder="neural")


# -- the artefact and the encoder ----------------------------------------------------------

def test_the_artefact_is_checked_against_its_recorded_hash(tmp_path):
    weights, meta = read_artefact()
    assert meta["weights_sha256"] and set(meta["acled_labels"]) == set(ACLED_LABELS)
    assert meta["data"]["split"]["test"] > 0 and "test" in meta["scores"]
    from eventwire.extract.typing import artefact_folder

    for name in ("learned-v5.npz", "learned-v5.json"):
        shutil.copy(artefact_folder() / name, tmp_path / name)
    with open(tmp_path / "learned-v5.npz", "ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(ResourceMissing, match="does not match its metadata"):
        read_artefact(tmp_path)
    with pytest.raises(ResourceMissing, match="artefact is missing"):
        read_artefact(tmp_path / "nowhere")


def test_wordpiece_matches_the_reference_tokenizer():
    from eventwire.nlp.encoder import WordPiece, encoder_files

    wordpiece = WordPiece.from_file(encoder_files() / "vocab.txt")
    for line in (DATA / "wordpiece_expected.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert wordpiece.encode(row["text"]) == row["ids"], row["text"]


def test_the_encoder_is_deterministic_and_ignores_padding():
    from eventwire.nlp.encoder import SentenceEncoder

    encoder = SentenceEncoder.load()
    short, long = "Troops shelled the town.", "Police fired tear gas at protesters outside parliament on Monday."
    alone = encoder.encode([short])
    together = encoder.encode([short, long])
    assert alone.shape == (1, 384)
    assert np.allclose(alone[0], together[0], atol=1e-5)  # a shorter text padded in a batch reads the same
    assert np.array_equal(encoder.encode([long]), encoder.encode([long]))


@pytest.fixture(scope="module")
def learned():
    return LearnedTyper.load()


def test_learned_typer_reads_casing_alike(learned):
    texts = ["Car bomb kills five near Kabul airport", "CAR BOMB KILLS FIVE NEAR KABUL AIRPORT",
             "car bomb kills five near kabul airport"]
    read = learned.type_sentences(texts)
    assert len({(t.acled, t.plover) for t in read}) == 1  # an uncased encoder: casing changes nothing


def test_learned_events_say_which_coder_typed_them_and_why(learned):
    from eventwire import Pipeline
    from eventwire.ingest import make_article

    pipeline = Pipeline.load(Settings(coder="learned"))
    coded = pipeline.code_detailed(make_article(
        "Government warplanes bombed a rebel-held market town on Tuesday, killing at least 11 people, "
        "according to local medics.", published="2024-05-02"))
    [event] = [e for e in coded.events if e.modality == "asserted"]
    assert event.coder["typing"] == "learned-v5"
    assert event.typing is not None and event.typing.coder == "learned-v5"
    assert event.acled_sub_event_type == event.typing.acled
    record = event.to_dict()
    assert record["typing"]["plover"] == event.event_type and record["typing"]["acled_probs"]


def test_a_promise_read_over_the_act_promised_is_asserted():
    promised = mention(0, 5, "AID", modality="future")  # "X will give Y a grant": the grant is future
    [kept], _ = apply_typing([promised], {0: typed("AGREE")})
    assert (kept.event_type, kept.modality, kept.modality_cue) == ("AGREE", "asserted", None)
    [planned], _ = apply_typing([mention(0, 5, "CONSULT", modality="future")], {0: typed("CONSULT")})
    assert planned.modality == "future"  # the same type: a scheduled meeting stays future


def test_an_act_the_rules_read_as_a_stated_intention_is_coded_as_the_statement():
    # "the militia said it would release the captives": the typer reads the release (RETREAT), the
    # rules read the future act and, beside it, the actor's asserted promise; PLOVER codes the promise
    act = mention(0, 5, "RETREAT", modality="future")
    promise = replace(mention(0, 5, "AGREE"), weight=act.weight * 0.95)
    [kept], dropped = apply_typing([act, promise], {0: typed("RETREAT", acled="Non-violent transfer of territory")})
    assert (kept.event_type, kept.modality, kept.typing.plover, kept.typing.acled) == ("AGREE", "asserted", "AGREE", None)
    assert [d.mention for d in dropped] == [act]
    # "the army vowed to storm the town": an intention to use force is a threat, whatever the rules' type
    act = mention(0, 5, "ASSAULT", modality="future")
    [kept], _ = apply_typing([act, replace(mention(0, 5, "AGREE"), weight=0.4)], {0: typed("ASSAULT")})
    assert (kept.event_type, kept.modality) == ("THREATEN", "asserted")
    # a future act with no statement of intent beside it (a scheduled meeting) keeps its type, future
    [kept], _ = apply_typing([mention(0, 5, "CONSULT", modality="future")], {0: typed("CONSULT")})
    assert (kept.event_type, kept.modality) == ("CONSULT", "future")


def test_a_refusal_to_cooperate_is_coded_as_the_refusal():
    # "the minister refused to step down": the typer reads the resignation (RETREAT), which did not
    # happen; the rules read the refusal beside it, an asserted REJECT, and PLOVER codes that
    act = mention(0, 5, "RETREAT", modality="negated")
    refusal = replace(mention(0, 5, "REJECT"), weight=act.weight * 0.95)
    [kept], _ = apply_typing([act, refusal], {0: typed("RETREAT")})
    assert (kept.event_type, kept.modality, kept.typing.plover) == ("REJECT", "asserted", "REJECT")
    # an attack that did not happen is not turned into anything else
    [kept], _ = apply_typing([mention(0, 5, "ASSAULT", modality="negated")], {0: typed("ASSAULT")})
    assert (kept.event_type, kept.modality) == ("ASSAULT", "negated")


def test_a_verb_of_statement_governing_an_unrealised_act_is_the_event():
    # "the governor agreed to step down": the typer reads the stepping down, which is future; the
    # sentence's asserted AGREE ("agreed", a trigger of its own) is what happened
    act = mention(0, 30, "RETREAT", weight=0.6, modality="future")
    agreed = mention(0, 14, "AGREE", weight=0.5)
    [kept], dropped = apply_typing([agreed, act], {0: typed("RETREAT")})
    assert (kept.trigger.start, kept.event_type, kept.modality) == (14, "AGREE", "asserted")
    # "rebels threatened to resign from the talks": the verb says threat, whatever the act threatened
    threat = mention(0, 7, "THREATEN", weight=0.5)
    [kept], _ = apply_typing([threat, mention(0, 30, "RETREAT", weight=0.6, modality="hypothetical")],
                             {0: typed("RETREAT")})
    assert (kept.event_type, kept.modality) == ("THREATEN", "asserted")


def test_a_demand_that_an_act_be_done_is_coded_as_the_demand():
    # "the council said the militia must hand back the town": the typer reads the handover, which the
    # demand makes hypothetical (the demand's word is the act's modality cue); PLOVER codes the demand
    demand = mention(0, 12, "REQUEST", weight=0.5)
    act = replace(mention(0, 40, "RETREAT", weight=0.6, modality="hypothetical"), modality_cue=demand.trigger)
    [kept], dropped = apply_typing([demand, act], {0: typed("RETREAT", acled="Non-violent transfer of territory")})
    assert (kept.trigger.start, kept.event_type, kept.modality, kept.typing.acled) == (12, "REQUEST", "asserted", None)
    assert [d.mention for d in dropped] == [act]
    # what is demanded may itself be an agreement ("urged both camps to agree to a truce")
    [kept], _ = apply_typing([demand, replace(act, event_type="AGREE")], {0: typed("AGREE")})
    assert (kept.event_type, kept.modality) == ("REQUEST", "asserted")


def test_a_demand_elsewhere_in_the_sentence_does_not_take_the_act():
    demand = mention(0, 12, "REQUEST", weight=0.9)
    # "the minister, who has called for calm, said troops could withdraw": the demand is not the act's cue
    could = Span(30, 35, "could")
    act = replace(mention(0, 40, "RETREAT", weight=0.6, modality="hypothetical"), modality_cue=could)
    [kept], _ = apply_typing([demand, act], {0: typed("RETREAT")})
    assert (kept.event_type, kept.modality) == ("RETREAT", "hypothetical")
    # "rebels seek to retake the town": "seek" plans the act (future), it demands nothing of anyone
    seek = mention(0, 7, "REQUEST", weight=0.4)
    planned = replace(mention(0, 20, "ASSAULT", weight=0.6, modality="future"), modality_cue=seek.trigger)
    [kept], _ = apply_typing([seek, planned], {0: typed("ASSAULT")})
    assert kept.event_type != "REQUEST"
    # "Russia pledged to withdraw, as Kyiv had demanded": the actor's own promise comes first
    pledge = mention(0, 7, "AGREE", weight=0.5)
    promised = replace(mention(0, 20, "RETREAT", weight=0.6, modality="hypothetical"), modality_cue=demand.trigger)
    [kept], _ = apply_typing([pledge, promised, demand], {0: typed("RETREAT")})
    assert (kept.event_type, kept.trigger.start) == ("AGREE", 7)
    # an act that did not happen is refused, not demanded, even with a demand beside it
    refused = replace(mention(0, 40, "RETREAT", weight=0.6, modality="negated"), modality_cue=demand.trigger)
    [kept], _ = apply_typing([demand, refused], {0: typed("RETREAT")})
    assert (kept.event_type, kept.modality) == ("RETREAT", "negated")


def test_a_protest_met_with_force_keeps_the_force_as_a_second_event_without_a_second_acled_row():
    # "riot police used batons and water cannon to break up the sit-in": PLOVER codes the protest and
    # the dispersal; ACLED one event, a protest with intervention
    protest = mention(0, 40, "PROTEST", weight=0.6)
    force = mention(0, 12, "ASSAULT", weight=0.5)
    arrest_planned = mention(0, 70, "COERCE", weight=0.4, modality="future")
    kept, dropped = apply_typing([force, protest, arrest_planned],
                                 {0: typed("PROTEST", acled="Protest with intervention")})
    assert [(m.event_type, m.typing.plover, m.typing.acled, m.typing.secondary) for m in kept] == \
        [("ASSAULT", "ASSAULT", None, True), ("PROTEST", "PROTEST", "Protest with intervention", False)]
    assert [d.mention for d in dropped] == [arrest_planned]
    # a peaceful protest keeps one event
    kept, _ = apply_typing([force, protest], {0: typed("PROTEST", acled="Peaceful protest")})
    assert [m.event_type for m in kept] == ["PROTEST"]


def test_the_hybrid_coder_keeps_the_rules_events_and_takes_the_acled_sub_type_from_the_learned_typer():
    from eventwire import Pipeline
    from eventwire.ingest import make_article

    text = ("An Israeli drone strike on a car killed two people near the town of Bint Jbeil on Tuesday, "
            "Lebanon's health ministry said. The Israeli military said its air defences had shot down two "
            "other drones launched from Lebanon earlier in the day.")
    article = make_article(text, published="2024-06-11")
    rules = Pipeline.load(Settings(coder="rules")).code(article)
    hybrid = Pipeline.load(Settings(coder="hybrid")).code(article)
    assert [(e.event_type, e.mode, e.modality, e.trigger) for e in hybrid] == \
        [(e.event_type, e.mode, e.modality, e.trigger) for e in rules]  # the rules' events, as they were
    assert all(e.coder["typing"] == "hybrid-v5" for e in hybrid)
    [strike] = [e for e in hybrid if e.modality == "asserted" and e.fatalities]
    assert strike.acled_sub_event_type == "Air/drone strike"  # not the interceptions beside it
    assert all((e.acled_sub_event_type is None) == (r.acled_sub_event_type is None) for e, r in zip(hybrid, rules))


def test_the_hybrid_coder_drops_what_the_learned_typer_reads_as_no_event():
    from eventwire import Pipeline
    from eventwire.ingest import make_article

    # business news: the rules read "warned" as a threat; the typer reads no political event
    article = make_article("Shares in the furniture maker fell sharply after it warned that profits would drop.",
                           published="2024-06-11")
    assert [e.event_type for e in Pipeline.load(Settings(coder="rules")).code(article)] == ["THREATEN"]
    coded = Pipeline.load(Settings(coder="hybrid")).code_detailed(article)
    assert coded.events == []
    assert [(d.mention.event_type, d.coder) for d in coded.dropped] == [("THREATEN", "hybrid-v5")]
    assert coded.dropped[0].reason.startswith("not an event (P(none) = ")


def test_the_hybrid_reading_goes_only_to_the_event_it_describes():
    from eventwire import Pipeline
    from eventwire.ingest import make_article

    # two events in one sentence: the sentence's ACLED reading must not overwrite the other one
    article = make_article("Students rallied outside the university on Friday as a roadside bomb killed three "
                           "soldiers in Gulu.", published="2024-06-11")
    rules = {(e.event_type, e.acled_sub_event_type) for e in Pipeline.load(Settings(coder="rules")).code(article)}
    hybrid = {(e.event_type, e.acled_sub_event_type) for e in Pipeline.load(Settings(coder="hybrid")).code(article)}
    assert ("ASSAULT", "Remote explosive/landmine/IED") in rules and ("PROTEST", "Peaceful protest") in rules
    # the bombing keeps its own sub-type and the protest stays a protest; which protest sub-type is the
    # typer's reading of the sentence (hybrid-v5 reads this one as violent: the bomb's words leak into it)
    assert ("ASSAULT", "Remote explosive/landmine/IED") in hybrid
    assert {t for t, _ in hybrid} == {t for t, _ in rules}
    assert all(sub in ("Peaceful protest", "Protest with intervention", "Violent demonstration")
               for t, sub in hybrid if t == "PROTEST")


def test_a_recase_setting_must_be_true_or_false():
    with pytest.raises(SettingsError, match="recase"):
        Settings(recase="false")
