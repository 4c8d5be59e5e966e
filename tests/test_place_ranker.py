"""The place-ranking stage: rules-v1's hand weights behind the ranker seam, the trained place-ranker-v1 artefact,
and its training (a conditional logit fitted deterministically)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from eventwire.data import models_folder
from eventwire.errors import ResourceMissing, SettingsError
from eventwire.extract.place_ranker import FEATURES, LearnedRanker, RankContext, RulesRanker, features
from eventwire.learn_places import Example, GeoDoc, GoldToponym, collect_examples, fit_logit, read_geo
from eventwire.resolve.gazetteer import Candidate
from eventwire.settings import Settings

SHARED_GEO = Path(__file__).resolve().parents[1].parent / "shared" / "train" / "geo"


def town(gid: int, name: str, cc: str, a1: str, pop: int, kind: str = "city", lat: float = 0.0, lon: float = 0.0,
         primary: bool = True) -> Candidate:
    return Candidate(gid, name, lat, lon, cc, cc + "X", cc, a1, a1, pop, kind, primary)


def test_rules_ranker_weighs_containers_context_and_population():
    big_abroad = town(1, "Alexandria", "EG", "06", 3_800_000, lat=31.2, lon=29.9)
    small_here = town(2, "Alexandria", "US", "MN", 14_000, lat=45.9, lon=-95.4)
    rules = RulesRanker()
    assert rules.choose([big_abroad, small_here], RankContext()) is big_abroad  # population alone
    # "Alexandria, Minn.": the container decides
    assert rules.choose([big_abroad, small_here], RankContext(container=("US", "MN"))) is small_here
    # a story whose other places are in Minnesota: the state named in the article decides
    in_minnesota = RankContext(countries={"US": 2.0}, admins={("US", "MN"): 2.0})
    assert rules.choose([big_abroad, small_here], in_minnesota) is small_here
    # "X province" prefers the admin area
    state = town(3, "Alexandria", "US", "MN", 50_000, kind="admin2")
    assert rules.choose([big_abroad, state], RankContext(prefer="admin1")) is state


def test_features_are_one_row_per_candidate_in_feature_order():
    cands = [town(1, "Springfield", "US", "IL", 114_000, lat=39.8, lon=-89.6),
             town(2, "Springfield", "US", "MO", 169_000, lat=37.2, lon=-93.3)]
    X = features(cands, RankContext(admins={("US", "IL"): 1.0}, anchors=((39.78, -89.65),)))
    assert X.shape == (2, len(FEATURES))
    row = dict(zip(FEATURES, X[0]))
    assert row["article_admin1"] == 1.0 and row["near_article_places"] == 1.0 and row["is_most_populous"] == 0.0
    assert dict(zip(FEATURES, X[1]))["near_article_places"] == 0.0  # Missouri's is far from the anchor


def test_fit_logit_is_deterministic_and_learns_the_preference_in_the_data():
    rng = np.random.default_rng(3)
    examples = []
    for i in range(120):  # the right candidate is the one named in the article, whatever its population
        X = np.zeros((3, len(FEATURES)))
        X[:, FEATURES.index("log_population")] = rng.uniform(2, 7, 3)
        right = int(rng.integers(3))
        X[right, FEATURES.index("article_admin1")] = 1.0
        examples.append(Example(f"d{i}", "x", X, right, (0.0, 0.0, 0.0)))
    w1, w2 = fit_logit(examples, 0.1), fit_logit(examples, 0.1)
    assert np.array_equal(w1, w2)
    assert w1[FEATURES.index("article_admin1")] > 2.0
    assert all(int(np.argmax(ex.X @ w1)) == ex.y for ex in examples)


def test_learned_ranker_checks_its_artefact(tmp_path):
    with pytest.raises(ResourceMissing, match="missing"):
        LearnedRanker.load(tmp_path)
    shutil.copy(models_folder() / "place-ranker-v1.json", tmp_path / "place-ranker-v1.json")
    assert LearnedRanker.load(tmp_path).name == "place-ranker-v1"
    meta = json.loads((tmp_path / "place-ranker-v1.json").read_text())
    meta["weights"]["log_population"] += 1.0
    (tmp_path / "place-ranker-v1.json").write_text(json.dumps(meta))
    with pytest.raises(ResourceMissing, match="hash"):
        LearnedRanker.load(tmp_path)


def test_the_places_setting_is_checked():
    assert Settings(places="learned").places == "learned"
    with pytest.raises(SettingsError, match="place ranker"):
        Settings(places="nearest")


def test_training_examples_come_from_the_places_coding_finds(pipeline, tmp_path):
    text = "Floods cut roads around Alexandria, Minnesota, on Monday, the sheriff of Douglas County said."
    start = text.index("Alexandria")
    doc = GeoDoc("t-1", text, (GoldToponym(start, start + 10, "Alexandria", 45.885, -95.377, None),))
    examples, counts = collect_examples([doc], pipeline.parse, pipeline.r.gazetteer, pipeline.r.kb)
    assert counts["gold"] == 1 and counts["ranked"] == 1
    [ex] = examples
    assert ex.text == "Alexandria" and ex.X.shape[1] == len(FEATURES) and ex.km[ex.y] < 161
    (tmp_path / "trnews.jsonl").write_text("not json\n")
    (tmp_path / "geowebnews.jsonl").write_text("")
    with pytest.raises(Exception, match="trnews.jsonl:1: not JSON"):
        read_geo(tmp_path)


def test_events_say_which_place_ranker_placed_them(code):
    [event] = [e for e in code("Gunmen killed two guards at a bank in Alexandria, Egypt, on Monday, police said.",
                               published="2026-05-05") if e.modality == "asserted"]
    assert event.coder["place_ranking"] == "place-ranker-v1"  # the default


@pytest.mark.skipif(not SHARED_GEO.exists(), reason="needs ../shared/train/geo")
def test_the_committed_artefact_beats_the_hand_weights_on_its_test_split():
    meta = LearnedRanker.load().meta
    test = meta["scores"]["test"]
    assert test["place-ranker-v1"]["right"] > test["rules-v1"]["right"]
    assert meta["data"]["documents"] == len(read_geo(SHARED_GEO))


def test_a_continent_is_placed_at_geonames_own_point(pipeline):
    # the gazetteer is GeoNames; a continent's point is GeoNames' too, not a pole of inaccessibility
    from eventwire.ingest import make_article

    [asia] = [p.place for p in pipeline.places(make_article("Bird flu has spread across Asia this winter.", id="t"))]
    assert (round(asia.lat), round(asia.lon)) == (30, 89)



def test_the_other_places_of_the_article_vote(pipeline):
    # a Minnesota story: its other towns' readings make "Alexandria" the Minnesota town, not Egypt's city
    from eventwire.extract.places import find_places
    from eventwire.extract.place_ranker import load_ranker

    text = ("Police in Alexandria arrested a man on Friday. Deputies from Fergus Falls and St. Cloud helped "
            "with the search near Brainerd.")
    found = find_places(pipeline.parse(text), pipeline.r.gazetteer, pipeline.r.kb, load_ranker("learned"))
    assert {(p.place.text, p.place.country_code, p.place.admin1) for p in found} == {
        ("Alexandria", "USA", "Minnesota"), ("Fergus Falls", "USA", "Minnesota"),
        ("St. Cloud", "USA", "Minnesota"), ("Brainerd", "USA", "Minnesota")}


def test_votes_are_the_shares_of_the_other_places_in_each_candidates_country_and_state():
    cands = [town(1, "Alexandria", "EG", "06", 4_000_000), town(2, "Alexandria", "US", "MN", 14_000)]
    ctx = RankContext(anchor_areas=(("US", "MN"), ("US", "MN"), ("US", "WI"), ("CA", "")))
    egypt, minnesota = (dict(zip(FEATURES, row)) for row in features(cands, ctx))
    assert egypt["other_places_country_share"] == 0.0 and egypt["other_places_admin1_share"] == 0.0
    assert minnesota["other_places_country_share"] == 0.75 and minnesota["other_places_admin1_share"] == 0.5
