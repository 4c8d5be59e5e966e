"""Golden articles: the team's own (always) and the defining example in ../shared (when present)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES, GOLDEN, SHARED, needs_shared
from eventwire.ingest import read_inputs
from expectations import failures, matches


def _events(pipeline, article_path) -> list[dict]:
    [article] = read_inputs([article_path]).articles
    return [e.to_dict() for e in pipeline.code(article)]


def _describe(events) -> str:
    return "\n".join(f"{e['event_type']} {e['modality']} {e['date']} "
                     f"{[(a['role'], a['text'], a['country'], a['sector']) for a in e['actors']]} "
                     f"{e['location'] and (e['location']['name'], e['location']['country_code'])}" for e in events)


@pytest.mark.parametrize("expected", sorted(GOLDEN.glob("*.expected.json")), ids=lambda p: p.name.split(".")[0])
def test_team_golden_articles(pipeline, expected):
    spec = json.loads(expected.read_text(encoding="utf-8"))
    events = _events(pipeline, EXAMPLES / spec["article"])
    problems = failures(spec, events)
    assert not problems, "\n".join(problems) + "\n" + _describe(events)


@needs_shared
def test_al_bukamal_with_the_shared_checker(pipeline, tmp_path):
    events = _events(pipeline, SHARED / "examples" / "al-bukamal.jsonl")
    out = tmp_path / "events.jsonl"
    out.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    run = subprocess.run([sys.executable, str(SHARED / "tools" / "check_expected.py"),
                          str(SHARED / "examples" / "al-bukamal.expected.json"), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + "\n" + _describe(events)


@needs_shared
def test_our_matcher_agrees_with_the_shared_checker(pipeline):
    """Our reader of expectation files gives the shared checker's verdict on the defining example."""
    events = _events(pipeline, SHARED / "examples" / "al-bukamal.jsonl")
    spec = json.loads((SHARED / "examples" / "al-bukamal.expected.json").read_text(encoding="utf-8"))
    assert failures(spec, events) == []
    wrong = [dict(e, modality="hypothetical") for e in events]
    assert failures(spec, wrong)  # the strike no longer asserted: a must fails
    assert not matches({"location": {"lat": 0.0, "lon": 0.0}}, {"location": {"lat": 1, "lon": 1, "within_km": 10}})
