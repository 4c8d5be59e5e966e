"""Golden articles: the defining example and the team's own articles, checked by check_expected.py."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES, GOLDEN, SHARED, needs_shared
from eventwire.ingest import read_inputs

CHECKER = SHARED / "tools" / "check_expected.py"


def _check(pipeline, article_path, expected_path, tmp_path):
    [article] = read_inputs([article_path]).articles
    events = pipeline.code(article)
    out = tmp_path / "events.jsonl"
    out.write_text("".join(json.dumps(e.to_dict()) + "\n" for e in events), encoding="utf-8")
    run = subprocess.run([sys.executable, str(CHECKER), str(expected_path), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + "\n" + "\n".join(
        f"{e.event_type} {e.modality} {e.date} {[(a.role, a.text, a.country, a.sector) for a in e.actors]} "
        f"{e.location and (e.location.name, e.location.country_code)}" for e in events)


@needs_shared
def test_al_bukamal(pipeline, tmp_path):
    _check(pipeline, SHARED / "examples" / "al-bukamal.jsonl", SHARED / "examples" / "al-bukamal.expected.json",
           tmp_path)


@needs_shared
@pytest.mark.parametrize("expected", sorted(GOLDEN.glob("*.expected.json")), ids=lambda p: p.name.split(".")[0])
def test_team_golden_articles(pipeline, expected, tmp_path):
    article = EXAMPLES / json.loads(expected.read_text(encoding="utf-8"))["article"]
    _check(pipeline, article, expected, tmp_path)
