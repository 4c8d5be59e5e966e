"""Records: spans point into the article text everywhere; ids are stable; the JSON shape holds."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from eventwire.ingest import make_article, read_inputs
from eventwire.models import Span

REQUIRED = {"id", "article_id", "coder", "event_type", "mode", "contexts", "quad_class", "acled_event_type",
            "acled_sub_event_type", "cameo_code", "cameo_root", "modality", "date", "date_precision", "date_text",
            "actors", "location", "fatalities", "injured", "claims", "evidence", "confidence"}

WORDS = ["police", "fired", "tear", "gas", "at", "protesters", "in", "Nairobi", "on", "Tuesday", "the", "army",
         "shelled", "Aleppo", "killing", "at least", "12", "people", "said", "rebels", "denied", "attacking",
         "could", "strike", "Syria", ",", ".", "\n\n", "Iran-backed", "militias", "were", "targeted", "by", "US",
         "air", "strikes", "ministry", "accused", "dozens", "arrested", "Kenya", "would", "not", "2017", "talks"]


def all_spans(node):
    if isinstance(node, dict):
        if set(node) == {"start", "end", "text"}:
            yield node
        for v in node.values():
            yield from all_spans(v)
    elif isinstance(node, list):
        for v in node:
            yield from all_spans(v)


def assert_spans_hold(article, events):
    count = 0
    for e in events:
        for s in all_spans(e.to_dict()):
            assert s["text"] == article.text[s["start"]:s["end"]], s
            count += 1
    return count


def test_spans_hold_on_bundled_examples(pipeline):
    total = 0
    for path in sorted(EXAMPLES.glob("*.jsonl")):
        for article in read_inputs([path]).articles:
            total += assert_spans_hold(article, pipeline.code(article))
    assert total > 100


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=60), st.text(max_size=30))
def test_spans_hold_on_arbitrary_text(pipeline, words, noise):
    article = make_article(" ".join(words) + noise, title="Title " + noise[:10], published="2024-03-08")
    assert_spans_hold(article, pipeline.code(article))


def test_span_of_clamps():
    assert Span.of("abc", -3, 10) == Span(0, 3, "abc")


def test_ids_are_stable_and_shape_is_documented(pipeline):
    [article] = read_inputs([EXAMPLES / "airstrike-disputed.jsonl"]).articles
    first = [e.to_dict() for e in pipeline.code(article)]
    second = [e.to_dict() for e in pipeline.code(article)]
    assert [e["id"] for e in first] == [e["id"] for e in second]
    assert len({e["id"] for e in first}) == len(first)
    for e in first:
        assert REQUIRED <= set(e)
        assert e["modality"] in ("asserted", "negated", "hypothetical", "future", "historical")
        assert 0 <= e["confidence"] <= 1
        assert e["coder"]["eventwire"]
        for c in e["claims"]:
            assert all(c[k] is None or isinstance(c[k], int) for k in ("killed", "injured", "arrested"))
        for a in e["actors"]:
            assert a["role"] in ("actor", "recipient")
            assert a["sector"] is None or isinstance(a["sector"], str)
    json.dumps(first)
