"""The CI gate: development scores never fall below the committed floors in eval/floors.json."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, needs_shared
from eventwire.evaluate import check_floors, load_floors

FLOORS = ROOT / "eval" / "floors.json"


def test_floors_file_is_well_formed():
    config = load_floors(FLOORS)
    for name, spec in config.items():
        if name.startswith("_"):
            continue
        assert spec["command"] in ("events", "places", "entities")
        assert spec["floors"] and all(isinstance(v, (int, float)) for v in spec["floors"].values())


def test_a_lowered_score_fails_the_gate():
    floors = {"accuracy": 0.51, "median_km": 192}
    assert check_floors({"accuracy": 0.52, "median_km": 150.0}, floors) == []
    assert check_floors({"accuracy": 0.50, "median_km": 150.0}, floors) == ["accuracy: 0.5 is below its floor 0.51"]
    assert check_floors({"accuracy": 0.52, "median_km": 200.0}, floors) == ["median_km: 200.0 is above its ceiling 192"]
    assert check_floors({}, {"f1": 0.3}) == ["f1: missing from the report (floor 0.3)"]


@needs_shared
def test_gate_fails_when_a_floor_is_raised_above_the_score(tmp_path):
    """The real gate command exits non-zero when a score is below its floor."""
    config = load_floors(FLOORS)
    spec = dict(config["plover_gsr"], file=str((FLOORS.parent / config["plover_gsr"]["file"]).resolve()))
    spec["floors"] = {"accuracy": 0.99}
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"plover_gsr": spec}), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "eventwire.cli", "evaluate", "gate", "--floors", str(floors)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    assert "gate plover_gsr: FAIL accuracy" in run.stderr


@pytest.mark.parametrize("name", [k for k in json.loads(FLOORS.read_text(encoding="utf-8")) if not k.startswith("_")])
def test_development_scores_hold_their_floors(pipeline, name):
    from eventwire.evaluate import run_evaluation

    spec = load_floors(FLOORS)[name]
    file = (FLOORS.parent / spec["file"]).resolve()
    if not file.exists():
        pytest.skip(f"{file} is absent (../shared is the third-party data tier)")
    report, _ = run_evaluation(pipeline, spec["command"], str(file), spec.get("label_field"), spec.get("scheme"))
    assert check_floors(report, spec["floors"]) == [], json.dumps({k: report.get(k) for k in spec["floors"]})


def test_evaluation_rejects_bad_files_with_one_line(tmp_path):
    bad = tmp_path / "rows.jsonl"
    bad.write_text('{"text": "Police arrested five men.", "event": "COERCE"}\n{not json\n', encoding="utf-8")
    for args in (["events", str(bad), "--label-field", "event", "--scheme", "plover"], ["places", str(bad)],
                 ["entities", str(bad)]):
        run = subprocess.run([sys.executable, "-m", "eventwire.cli", "evaluate", *args], capture_output=True, text=True,
                             timeout=300)
        assert run.returncode == 2, run.stderr
        assert f"{bad}:2: not JSON" in run.stderr and run.stderr.strip().count("\n") == 0


def test_gate_without_floors_file_is_one_line(tmp_path):
    run = subprocess.run([sys.executable, "-m", "eventwire.cli", "evaluate", "gate", "--floors",
                          str(tmp_path / "none.json")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 2 and "no floors file" in run.stderr


def test_evaluate_events_scores_rows(pipeline, tmp_path):
    """A tiny labelled file of our own: labels, the none class and actor countries are scored."""
    from eventwire.evaluate import evaluate_events

    rows = [{"text": "Police in Lagos arrested 20 protesters on Monday.", "event": "COERCE",
             "source": [{"code": "NGA"}], "target": []},
            {"text": "The weather was warm and sunny.", "event": None},
            {"text": "Russia and Ukraine agreed to exchange prisoners.", "event": "AGREE",
             "source": [{"code": "RUS"}], "target": [{"code": "UKR"}], "markup": "(SRC/TAR: Russia)"}]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report, errors = evaluate_events(pipeline, path, "event", "plover")
    assert report["n"] == 3 and report["accuracy"] == 1.0, errors
    assert report["per_class"]["none"]["support"] == 1
    assert report["source_country_f1"] > 0
