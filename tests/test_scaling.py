"""Bounded, linear work per article, and the per-article time budget.

Speed itself is measured in bench/input_scaling.py, never asserted here (house rule): these tests check
the structure that keeps the work linear (bounded sentences, bounded triggers per sentence, look-ups
instead of scans, each equal to the scan it replaces) and that an article over its budget is a clear
skip that never stops a batch.
"""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire import Pipeline
from eventwire.errors import SettingsError, TimeLimitExceeded
from eventwire.extract.claims import merge_claims
from eventwire.assemble.merge import merge_mentions
from eventwire.ingest import make_article
from eventwire.models import Actor, Claim, Mention, Place, Skipped, Span
from eventwire.nlp import MAX_SENTENCE_TOKENS, _cap_sentences, doc_text, entity_of, ents_within
from eventwire.extract.anaphora import _last_named_before
from eventwire.extract.mentions import MAX_TRIGGERS_PER_SENTENCE
from eventwire.pipeline import _places_by_sentence
from eventwire.resolve.dates import ResolvedDate
from eventwire.extract.when import DatingContext
from eventwire.settings import Settings

from conftest import EXAMPLES

PROSE = ("Gunmen attacked a police station in the northern town of Kano on Tuesday, killing four officers, "
         "a police spokesman said. The army said it had arrested 12 suspects after the raid.\n\n"
         "Hundreds of people marched through Nairobi on Saturday to protest against rising fuel prices, and "
         "police in Kenya fired tear gas to disperse them.")


# -- bounded sentences and triggers -------------------------------------------------------------

def test_a_stretch_without_a_full_stop_is_cut_into_bounded_sentences(nlp):
    doc = nlp(" ".join(["killed"] * 1000) + ".")
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS


def test_prose_gets_no_cut_of_its_own(nlp):
    for path in sorted(EXAMPLES.glob("*.jsonl")):
        text = json.loads(path.read_text(encoding="utf-8").splitlines()[0])["text"]
        doc = nlp.make_doc(text)
        _cap_sentences(doc)
        assert not any(t.is_sent_start for t in doc[1:]), path.name  # the parser alone decides


def test_the_cut_falls_after_the_limit_and_restarts_at_each_full_stop(nlp):
    doc = nlp.make_doc("word " * 10 + ". " + "word " * (MAX_SENTENCE_TOKENS + 5))
    _cap_sentences(doc)
    starts = [t.i for t in doc[1:] if t.is_sent_start]
    assert starts == [11 + MAX_SENTENCE_TOKENS]


def test_a_sentence_is_read_for_a_bounded_number_of_triggers(code):
    events = code(" ".join(["killed"] * (MAX_SENTENCE_TOKENS - 1)) + ".")
    assert events
    triggers = {s for e in events for s in e.evidence if s.text == "killed"}
    assert len(triggers) <= MAX_TRIGGERS_PER_SENTENCE


# -- look-ups that replace scans give what the scans gave ----------------------------------------

def test_doc_text_is_the_text(nlp):
    doc = nlp(PROSE)
    assert doc_text(doc) == doc.text == PROSE


def test_entity_of_and_ents_within_match_spacy(nlp):
    doc = nlp(PROSE + " Iraqi President Fuad Masum met the Kurdistan Regional Government in Erbil.")
    for tok in doc:
        want = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        got = entity_of(tok)
        assert (got.start, got.end, got.label_) == (want.start, want.end, want.label_) if want else got is None
    for sent in doc.sents:
        for start in range(sent.start, sent.end):
            for end in (start + 1, start + 3, sent.end):
                want = [(e.start, e.end, e.label_) for e in doc[start:end].ents]
                assert [(e.start, e.end, e.label_) for e in ents_within(doc, start, end)] == want


def test_places_by_sentence_holds_each_sentences_places(pipeline):
    doc = pipeline.r.nlp(PROSE)
    from eventwire.extract.places import find_places

    places = find_places(doc, pipeline.r.gazetteer, pipeline.r.kb)
    sents = list(doc.sents)
    by_sentence = _places_by_sentence(places, sents, len(doc))
    assert len(by_sentence) == len(sents)
    for sent, found in zip(sents, by_sentence):
        assert found == [pm for pm in places if pm.token_start < sent.end and pm.token_end > sent.start]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=30), st.integers(0, 80))
def test_last_named_before_is_the_scan(spans, offset):
    named = sorted((Actor("actor", "X", span=Span(s, s + n, "x" * n)) for s, n in spans), key=lambda a: a.span.start)
    starts = [a.span.start for a in named]
    before = [a for a in named if a.span.end <= offset]
    assert _last_named_before(named, starts, offset) is (before[-1] if before else None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 5)), max_size=12),
       st.integers(0, 50), st.integers(0, 50))
def test_dating_context_lookups_are_the_scans(entities, start, before):
    dates, pos = [], 0
    for gap, width in entities:  # entities in text order, never overlapping
        pos += gap
        dates.append((pos, pos + width, ResolvedDate(date(2024, 1, 1) + timedelta(days=pos), "day")))
        pos += width
    ctx = DatingContext(make_article("x"), 0, tuple(dates))
    assert ctx.first_date_from(start, start + before) == next(
        (d for s, _, d in dates if start <= s < start + before), None)
    assert ctx.last_date_before(start) == next((d for _, e, d in reversed(dates) if e <= start), None)


# merging: the summaries of a cluster give the clusters that comparing with every mention gave

def _reference_merge(mentions):
    """merge_mentions as it was: each mention compared with every mention of every cluster."""
    from eventwire.assemble.merge import MATERIAL, _countries, _date_range, _family, _near, _overlap, _slack

    def conflict(ms, m):
        for role in ("actor", "recipient"):
            a, b = _countries(ms, role), _countries([m], role)
            if a and b and not a & b:
                return True
        if m.event_type != "ASSAULT" and m.mode and any(x.mode and x.mode != m.mode for x in ms):
            return True
        if m.resolved_date is not None and any(x.resolved_date is not None and not _overlap(
                _date_range(x), _date_range(m), _slack(x, m)) for x in ms):
            return True
        here = [p for p in m.places if p.precision == "town"]
        there = [p for x in ms for p in x.places if p.precision == "town"]
        return bool(here and there and not any(_near(p, q) for p in here for q in there))

    clusters = []
    for m in mentions:
        home, best = None, -1
        for c in reversed(clusters):
            if c[0].event_type != m.event_type:
                continue
            modality = c[1]
            denial = m.modality == "negated" and modality in ("asserted", "negated") and m.event_type in MATERIAL
            if modality != m.modality and not denial:
                continue
            if conflict(c[0:1] + c[2], m):
                continue
            score = 1 if any(_family(x) == _family(m) for x in c[0:1] + c[2]) else 0
            if score > best:
                home, best = c, score
        if home is None:
            clusters.append([m, m.modality, []])
        else:
            home[2].append(m)
            if m.modality == "negated" and home[1] == "asserted":
                home[1] = "negated"
    return [([c[0]] + c[2], c[1]) for c in clusters]


TOWNS = [Place("A", geonameid=1, lat=2.0, lon=45.0, country_code="SOM", precision="town"),
         Place("B", geonameid=2, lat=2.1, lon=45.1, country_code="SOM", precision="town"),
         Place("C", geonameid=3, lat=9.0, lon=38.7, country_code="ETH", precision="town"),
         Place("D", country_code="SOM", precision="town")]


@st.composite
def mentions(draw):
    out = []
    for i in range(draw(st.integers(0, 25))):
        trigger = draw(st.sampled_from(["bomb", "attack", "protest", "arrest"]))
        actors = tuple(Actor(role, "x", country=c) for role in ("actor", "recipient")
                       if (c := draw(st.sampled_from([None, None, "SOM", "ETH", "KEN"]))))
        when = draw(st.sampled_from([None, (date(2024, 3, 1), "day"), (date(2024, 3, 2), "day"),
                                     (date(2024, 3, 1), "week"), (date(2024, 3, 1), "month")]))
        out.append(Mention(
            sentence=Span(0, 0, ""), trigger=Span(i, i + len(trigger), trigger),
            event_type=draw(st.sampled_from(["ASSAULT", "PROTEST", "COERCE"])),
            mode=draw(st.sampled_from([None, None, "explosives", "arrest"])), cameo_code=None, contexts=(),
            modality=draw(st.sampled_from(["asserted", "asserted", "negated", "future"])), modality_cue=None,
            weight=0.8, actors=actors, places=tuple(draw(st.lists(st.sampled_from(TOWNS), max_size=2))),
            resolved_date=when[0] if when else None, date_precision=when[1] if when else None,
            sentence_index=i))
    return out


@settings(max_examples=300, deadline=None)
@given(mentions())
def test_merge_with_cluster_summaries_is_merge_by_every_mention(ms):
    got = [(c.mentions, c.modality) for c in merge_mentions(ms)]
    assert got == _reference_merge(ms)


def _reference_merge_claims(claims):
    """merge_claims as it was: each claim compared with every merged claim before it."""
    from dataclasses import replace

    out = []
    for c in claims:
        key = (c.claimant or "").lower()
        home = None
        for i, o in enumerate(out):
            okey = (o.claimant or "").lower()
            if not key or not okey or o.no_figure != c.no_figure:
                continue
            if (key in okey or okey in key) and all(getattr(o, f) is None or getattr(c, f) is None
                                                    for f in ("killed", "injured", "arrested", "abducted")):
                home = i
                break
        if home is None:
            out.append(c)
            continue
        o = out[home]
        longer = o if len(o.claimant or "") >= len(c.claimant or "") else c
        out[home] = replace(o, claimant=longer.claimant, claimant_text=longer.claimant_text,
                            killed=o.killed if o.killed is not None else c.killed,
                            injured=o.injured if o.injured is not None else c.injured,
                            arrested=o.arrested if o.arrested is not None else c.arrested,
                            abducted=o.abducted if o.abducted is not None else c.abducted,
                            hedge=o.hedge or c.hedge, hedges={**c.hedges, **o.hedges})
    return out


COUNT = st.sampled_from([None, None, 0, 3, 12])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(
    Claim, claimant=st.sampled_from([None, "", "the ministry", "the health ministry", "police", "Police", "UN"]),
    claimant_text=st.none(), killed=COUNT, injured=COUNT, arrested=COUNT, abducted=COUNT,
    no_figure=st.booleans()), max_size=20))
def test_merge_claims_by_buckets_is_merge_by_every_claim(claims):
    assert merge_claims(claims) == _reference_merge_claims(claims)


# -- the time budget -------------------------------------------------------------------------------

def test_max_seconds_is_a_setting_with_a_check():
    assert Settings().max_seconds == 60
    assert Settings(max_seconds=0).max_seconds == 0  # no limit
    with pytest.raises(SettingsError, match="max_seconds must be 0 \\(no limit\\) or more"):
        Settings(max_seconds=-1)


class _Clock:
    """A clock that moves one second each time it is read: the budget counts checks, not real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_an_article_over_budget_is_skipped_and_the_batch_goes_on(pipeline, monkeypatch):
    import eventwire.pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "monotonic", _Clock())
    budget = Pipeline(pipeline.r, Settings(max_seconds=30))
    short = make_article("Police in Lagos arrested 20 protesters on Monday.", id="short", source="a.jsonl:1",
                         published="2024-03-08", language="en")
    long = make_article(" ".join(["Gunmen killed two villagers in Zamfara on Sunday."] * 40), id="long",
                        source="a.jsonl:2", published="2024-03-08", language="en")
    results = dict((a.id, r) for a, r in budget.code_many([short, long, short]))
    assert isinstance(results["short"], list) and results["short"]
    skip = results["long"]
    assert isinstance(skip, Skipped) and skip.stage == "code" and skip.source == "a.jsonl:2"
    assert skip.reason.startswith("took longer than 30 s: stopped while finding events, at sentence ")
    assert skip.reason.endswith("of 40 (raise --max-seconds, or set it to 0 for no limit)")


def test_the_budget_raises_a_typed_error_from_code(pipeline):
    tiny = Pipeline(pipeline.r, Settings(max_seconds=1e-9))
    with pytest.raises(TimeLimitExceeded) as err:
        tiny.code(make_article(PROSE, id="p"))
    assert err.value.seconds == 1e-9 and err.value.where == "after parsing"
    assert Pipeline(pipeline.r, Settings(max_seconds=0)).code(make_article(PROSE, id="p"))  # 0: no limit


def test_cli_max_seconds_skips_each_article_with_its_reason(tmp_path):
    rows = [{"id": f"a{i}", "text": "Gunmen killed three villagers in Zamfara state on Sunday.",
             "published": "2024-01-09"} for i in range(3)]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    slow = subprocess.run([sys.executable, "-m", "eventwire", "code", str(path), "--json", "--max-seconds", "1e-9"],
                          capture_output=True, text=True, timeout=300)
    lines = [ln for ln in slow.stderr.splitlines() if ln.startswith("skipped")]
    assert lines == [f"skipped {path}:{i}: took longer than 1e-09 s: stopped after parsing (raise --max-seconds, "
                     "or set it to 0 for no limit)" for i in (1, 2, 3)]
    assert "0 article(s) coded, 0 event(s), 3 skipped" in slow.stderr and slow.returncode == 1
    ok = subprocess.run([sys.executable, "-m", "eventwire", "code", str(path), "--json", "--max-seconds", "600"],
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0 and "3 article(s) coded" in ok.stderr
    assert {json.loads(line)["article_id"] for line in ok.stdout.splitlines()} == {"a0", "a1", "a2"}
