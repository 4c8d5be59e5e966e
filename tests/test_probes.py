"""Our own wire-style probe articles (tests/data/probes.jsonl): the main event of each, as an analyst codes it."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT

PROBES = [json.loads(line) for line in (ROOT / "tests" / "data" / "probes.jsonl").read_text(encoding="utf-8").splitlines()
          if line.strip()]
MATERIAL = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "RETREAT"}


def _fits(event, want) -> bool:
    loc = event.location
    checks = {
        "event_type": lambda v: event.event_type == v,
        "modality": lambda v: event.modality == v,
        "acled_sub_event_type": lambda v: event.acled_sub_event_type == v,
        "date": lambda v: event.date == v,
        "location": lambda v: loc is not None and loc.name == v,
        "location_admin1": lambda v: loc is not None and v in (loc.admin1 or loc.name or ""),
        "country": lambda v: loc is not None and loc.country_code == v,
        "killed": lambda v: event.fatalities is not None and event.fatalities.best == v,
        "actor_country": lambda v: any(a.role == "actor" and a.country == v for a in event.actors),
        "recipient_not_sector": lambda v: not any(a.role == "recipient" and a.sector == v for a in event.actors),
        "no_actor_sector": lambda v: not any(a.role == "actor" and a.sector == v for a in event.actors),
    }
    return all(checks[k](v) for k, v in want.items())


@pytest.mark.parametrize("probe", PROBES, ids=[p["id"] for p in PROBES])
def test_probe_main_event(pipeline, probe):
    from eventwire.ingest import make_article

    article = make_article(probe["text"], title=probe["title"], id=probe["id"], published=probe["published"])
    events = pipeline.code(article)
    want = dict(probe["expect"])
    if want.pop("no_asserted_material", False):
        assert not [e for e in events if e.event_type in MATERIAL and e.modality == "asserted"]
        return
    assert any(_fits(e, want) for e in events), [
        (e.event_type, e.modality, e.acled_sub_event_type, e.date, e.location and e.location.name,
         e.fatalities and e.fatalities.best) for e in events]
