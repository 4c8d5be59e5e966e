"""Text in capitals, title case or lower case is parsed with ordinary casing; evidence quotes it as written."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from eventwire.errors import ResourceMissing
from eventwire.nlp.casing import Truecaser, casing_accuracy, casing_style
from eventwire.settings import Settings

FORMS = {"nigeria": "Nigeria", "nato": "NATO", "bomber": "bomber", "kills": "kills", "market": "market",
         "at": "at", "in": "in", "twelve": "twelve", "suicide": "suicide", "the": "the", "northern": "northern",
         "mcdonald": "McDonald"}


@pytest.fixture(scope="module")
def caser():
    return Truecaser(FORMS)


@pytest.mark.parametrize("line, style", [
    ("Suicide Bomber Kills Twelve At Market In Northern Nigeria", "title"),
    ("SUICIDE BOMBER KILLS TWELVE AT A MARKET", "upper"),
    ("suicide bomber kills twelve at a market in nigeria", "lower"),
    ("A suicide bomber killed twelve people at a market in northern Nigeria on Friday.", None),
    # a sentence full of names and titles still has a verb in lower case: it is ordinary text
    ("Nigerian Foreign Minister Ada Obi met French President Luc Martin in Abuja on Monday", None),
    ("Gunmen Kill Two", None),  # too short to judge
])
def test_casing_style_is_judged_per_line(line, style):
    assert casing_style(line) == style


def test_recasing_changes_only_case_and_keeps_every_offset(caser):
    text = "SUICIDE BOMBER KILLS TWELVE AT MARKET IN NORTHERN NIGERIA\nThe police said NATO was not involved.\n"
    recased = caser.recase(text)
    assert len(recased) == len(text) and recased.lower() == text.lower()
    first, second, _ = recased.split("\n")
    assert first == "Suicide bomber kills twelve at market in northern Nigeria"
    assert second == "The police said NATO was not involved."  # an ordinarily cased line is left as written


def test_unknown_words_keep_a_capital_in_headlines_and_stay_lower_in_lower_case_text(caser):
    assert caser.recase_line("Bomber Kills Twelve In Zorgistan Market", "title") == \
        "Bomber kills twelve in Zorgistan market"
    assert caser.recase_line("bomber kills twelve in zorgistan market. nato says", "lower") == \
        "Bomber kills twelve in zorgistan market. NATO says"
    assert caser.recase_line("MCDONALD KILLS TWELVE AT THE MARKET", "upper") == "McDonald kills twelve at the market"


def test_casing_accuracy_scores_recasing_against_the_original(caser):
    scores = casing_accuracy(caser, ["A bomber in Nigeria kills twelve at the market."], "upper")
    assert scores == {"words": 8, "accuracy": 1.0, "baseline": 0.0}


def test_a_missing_table_is_a_clear_error(tmp_path):
    with pytest.raises(ResourceMissing, match="truecasing table"):
        Truecaser.load(tmp_path / "none.tsv")


def test_the_shipped_table_knows_common_names_and_words():
    caser = Truecaser.load()
    assert caser.forms["nigeria"] == "Nigeria" and caser.forms["police"] == "police"
    assert caser.forms["nato"] == "NATO"


@pytest.fixture(scope="module")
def pipeline():
    from eventwire import Pipeline

    return Pipeline.load(Settings())


@pytest.mark.parametrize("headline", [
    "Suicide Bomber Kills Twelve At Crowded Market In Northern Nigeria",
    "SUICIDE BOMBER KILLS TWELVE AT CROWDED MARKET IN NORTHERN NIGERIA",
    "suicide bomber kills twelve at crowded market in northern nigeria",
])
def test_a_headline_in_any_casing_is_coded_like_an_ordinary_one(pipeline, headline):
    from eventwire.ingest import make_article

    ordinary = pipeline.code(make_article("Suicide bomber kills twelve at crowded market in northern Nigeria",
                                          published="2024-03-02"))
    events = pipeline.code(make_article(headline, published="2024-03-02"))
    assert [(e.event_type, e.acled_sub_event_type, e.fatalities) for e in events] == \
        [(e.event_type, e.acled_sub_event_type, e.fatalities) for e in ordinary]
    [event] = [e for e in events if e.modality == "asserted"]
    assert event.acled_sub_event_type == "Suicide bomb"
    assert event.location is not None and event.location.country_code == "NGA"
    assert headline[event.trigger.start:event.trigger.end] == event.trigger.text  # evidence quotes it as written
    assert event.coder["casing"] == "truecase-v1"


def test_recasing_can_be_turned_off():
    from eventwire import Pipeline
    from eventwire.ingest import make_article

    off = Pipeline.load(Settings(recase=False))
    events = off.code(make_article("SUICIDE BOMBER KILLS TWELVE AT CROWDED MARKET IN NORTHERN NIGERIA",
                                   published="2024-03-02"))
    assert all(e.coder["casing"] == "off" for e in events)


def test_the_recase_flag_reads_true_and_false(tmp_path):
    article = tmp_path / "headline.txt"
    article.write_text("SUICIDE BOMBER KILLS TWELVE AT CROWDED MARKET IN NORTHERN NIGERIA\n", encoding="utf-8")
    run = lambda *flags: subprocess.run([sys.executable, "-m", "eventwire.cli", "code", str(article), "--json",  # noqa: E731
                                         "--published", "2024-03-02", *flags], capture_output=True, text=True)
    off = [json.loads(line) for line in run("--recase", "false").stdout.splitlines()]
    on = [json.loads(line) for line in run("--recase", "yes").stdout.splitlines()]
    assert {e["coder"]["casing"] for e in off} <= {"off"} and {e["coder"]["casing"] for e in on} == {"truecase-v1"}
    bad = run("--recase", "maybe")
    assert bad.returncode == 2 and "expected true or false" in bad.stderr
