"""The command line: --json prints only events on stdout; bad input gives a clear message or a skip."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES

EVENTWIRE = [sys.executable, "-m", "eventwire.cli"]


def run(*args, stdin=None, cwd=None):
    return subprocess.run(EVENTWIRE + list(args), capture_output=True, text=True, input=stdin, cwd=cwd,
                          timeout=300)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One directory of good and bad inputs, coded once."""
    d = tmp_path_factory.mktemp("batch")
    (d / "good.txt").write_text("Police arrest protesters in Lagos\n\nPolice in Lagos arrested 20 protesters "
                                "on Monday, a spokesman said.\n", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (d / "huge.txt").write_text("Title\n\n" + ("word " * 4_200_000), encoding="utf-8")  # ~21 MB
    (d / "broken.html").write_text("<html><body><div><p><<<</div>", encoding="utf-8")
    (d / "french.txt").write_text("Manifestation à Paris\n\nLa police a dispersé les manifestants avec des gaz "
                                  "lacrymogènes mardi soir dans le centre de la capitale, selon la préfecture.",
                                  encoding="utf-8")
    (d / "rows.jsonl").write_text(
        json.dumps({"id": "r1", "text": "Gunmen killed three villagers in Zamfara state on Sunday.",
                    "published": "2024-01-09"}) + "\n{broken json\n", encoding="utf-8")
    (d / "notes.pdf").write_bytes(b"%PDF-1.4")
    return d, run("code", str(d), "--json")


def test_json_stdout_holds_only_events(batch):
    _, result = batch
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and all("event_type" in e and "id" in e for e in lines)
    assert {e["article_id"] for e in lines} == {"good", "r1"}


@pytest.mark.parametrize("name, reason", [
    ("empty.txt", "empty file"),
    ("binary.txt", "binary file"),
    ("huge.txt", "too"),
    ("broken.html", "HTML"),
    ("french.txt", "not English"),
    ("rows.jsonl:2", "invalid JSON"),
    ("notes.pdf", "unsupported file type"),
])
def test_every_bad_input_is_listed_with_its_reason(batch, name, reason):
    _, result = batch
    lines = [ln for ln in result.stderr.splitlines() if ln.strip().startswith("skipped") and name in ln]
    assert len(lines) == 1, result.stderr
    assert reason in lines[0]


def test_summary_counts_every_input(batch):
    _, result = batch
    assert "2 article(s) coded" in result.stderr and "7 skipped" in result.stderr


def test_exit_code_non_zero_only_when_nothing_coded(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("code", str(tmp_path / "empty.txt"))
    assert result.returncode == 1
    assert "nothing to code" in result.stderr


def test_table_and_explain():
    table = run("code", str(EXAMPLES / "airstrike-disputed.jsonl"))
    assert table.returncode == 0 and "ASSAULT" in table.stdout and "aerial" in table.stdout
    explain = run("explain", str(EXAMPLES / "airstrike-disputed.jsonl"))
    assert "[[" in explain.stdout and "claim by" in explain.stdout and "location:" in explain.stdout


def test_standard_input_and_published_flag():
    text = "Militias attacked an army base in Mosul on Thursday.\n"
    result = run("code", "-", "--json", "--published", "2021-02-26", stdin="Attack on base\n\n" + text)
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(e["date"] == "2021-02-25" for e in events), result.stderr


def test_bad_published_flag_is_one_line():
    result = run("code", str(EXAMPLES / "arrest.jsonl"), "--published", "soon")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "not a date" in result.stderr


def test_missing_model_names_the_install_command():
    result = run("code", str(EXAMPLES / "arrest.jsonl"), "--spacy-model", "en_core_web_nonexistent")
    assert result.returncode == 2
    assert "requirements-model.txt" in result.stderr and "make setup" in result.stderr


def test_training_the_place_ranker_without_its_corpus_is_a_one_line_error(tmp_path):
    result = run("train", "--only", "places", "--geo", str(tmp_path / "no-such-folder"), "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("eventwire: error:") and "trnews.jsonl" in result.stderr
    assert "Traceback" not in result.stderr and not list(tmp_path.glob("*.json"))


def test_evaluating_with_an_unknown_place_ranker_is_refused():
    result = run("evaluate", "places", "x.jsonl", "--places", "nearest")
    assert result.returncode == 2 and "invalid choice" in result.stderr
