"""Exports: each format is read back with a stock reader (csv via pandas, json, pyarrow) and checked."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from conftest import EXAMPLES
from eventwire.errors import InputError
from eventwire.export import (
    ACLED_COLUMNS, FORMATS, event_number, export, interaction, summary_sentence, write_export,
)
from eventwire.ingest import make_article, read_inputs

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ACLED_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
ACLED_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
PLOVER_FIELDS = {"id", "date", "enddate", "actor", "recipient", "event", "mode", "context", "event_text",
                 "quad_code", "event_scale", "size", "location", "text_info", "cite_info", "coder", "comment"}
SAADA_FOLLOW_UP = ("SANAA, March 14 - Coalition warplanes struck houses in the city of Saada on Sunday, killing 17 "
                   "people and wounding 30, the director of the city's main hospital said on Monday.")


def _article(path_or_article):
    if hasattr(path_or_article, "text"):
        return path_or_article
    return read_inputs([EXAMPLES / path_or_article]).articles[0]


def _pick(pipeline, article, event_type, mode):
    events = [e for e in pipeline.code(article)
              if e.event_type == event_type and e.mode == mode and e.modality == "asserted"]
    assert events, f"{article.id}: no asserted {event_type}/{mode}"
    return events[0].to_dict()


def _figures(claims, key):
    values = [c[key] for c in claims if c.get(key) is not None]
    return {"low": min(values), "best": min(values), "high": max(values)} if values else \
        {"low": None, "best": None, "high": None}


def _cluster(cid, members):
    """A cluster record as the store builds it, from (event dict, article, publisher) members."""
    member_rows, sources, claims = [], [], []
    for event, article, publisher in members:
        art = {"id": article.id, "url": article.url, "title": article.title,
               "published": article.published.isoformat(), "publisher": publisher}
        member_rows.append({"event": event, "article": art})
        sources.append({"article_id": article.id, "url": article.url, "publisher": publisher,
                        "published": art["published"], "title": article.title})
        claims += [{**c, "article_id": article.id, "publisher": publisher} for c in event["claims"]]
    return {
        "id": cid, "event": members[0][0], "members": member_rows, "sources": sources,
        "n_articles": len(sources), "first_report": min(s["published"] for s in sources), "claims": claims,
        "fatalities": _figures(claims, "killed"), "injured": _figures(claims, "injured"), "coder_version": "0.1.0",
    }


@pytest.fixture(scope="module")
def articles():
    follow_up = make_article(SAADA_FOLLOW_UP, title="Air strike on Saada kills 17, hospital says",
                             id="saada-follow-up", published="2022-03-14", url="https://radio.example/saada")
    return {name: _article(name + ".jsonl") for name in
            ("airstrike-disputed", "kidnapping-claims", "protest-dispersed", "ceasefire-agreement")} | \
        {"saada-follow-up": follow_up}


@pytest.fixture(scope="module")
def clusters(pipeline, articles):
    a = articles
    strike = _pick(pipeline, a["airstrike-disputed"], "ASSAULT", "aerial")
    follow_up = _pick(pipeline, a["saada-follow-up"], "ASSAULT", "aerial")
    return [
        _cluster("c-1a2b3c4d5e6f", [(strike, a["airstrike-disputed"], "Sanaa Wire"),
                                    (follow_up, a["saada-follow-up"], "Radio Saada")]),
        _cluster("c-000123", [(_pick(pipeline, a["kidnapping-claims"], "ASSAULT", "abduct"),
                               a["kidnapping-claims"], "Kaduna Daily")]),
        _cluster("c-00000000abcd", [(_pick(pipeline, a["protest-dispersed"], "COERCE", "arrest"),
                                     a["protest-dispersed"], None)]),
        _cluster("c-0000000000ff", [(_pick(pipeline, a["ceasefire-agreement"], "CONSULT", "third-party"),
                                     a["ceasefire-agreement"], "Mekong Post")]),
    ]


@pytest.fixture(scope="module")
def written(clusters, tmp_path_factory):
    """Every format written once: {fmt: (path, ExportResult)}."""
    out = tmp_path_factory.mktemp("exports")
    suffix = {"acled-csv": "csv", "plover-json": "json", "geojson": "geojson", "parquet": "parquet",
              "jsonl": "jsonl"}
    return {fmt: (out / f"events.{suffix[fmt]}", export(fmt, iter(clusters), out / f"events.{suffix[fmt]}"))
            for fmt in FORMATS}


def test_the_fixture_clusters_cover_the_cases(clusters):
    strike, kidnap, arrest, talks = clusters
    assert len(strike["members"]) == 2 and {c["publisher"] for c in strike["claims"]} == {"Sanaa Wire", "Radio Saada"}
    assert arrest["event"]["location"] is None
    assert talks["event"]["acled_event_type"] is None and talks["event"]["location"]["lat"] is not None


def test_unknown_format_is_a_usage_error(tmp_path):
    with pytest.raises(InputError, match="unknown export format 'xlsx'") as info:
        write_export("xlsx", [], tmp_path / "x")
    assert "acled-csv" in info.value.hint


def test_write_export_returns_rows_written(clusters, tmp_path):
    counts = {fmt: write_export(fmt, clusters, tmp_path / fmt) for fmt in FORMATS}
    assert counts == {"acled-csv": 3, "plover-json": 4, "geojson": 3, "parquet": 4, "jsonl": 4}


# ---------------------------------------------------------------- acled-csv


def test_acled_header_and_left_out(written):
    path, result = written["acled-csv"]
    df = pd.read_csv(path)
    assert list(df.columns) == ACLED_HEADER == list(ACLED_COLUMNS)
    assert len(df) == result.written == 3
    assert result.left_out == {"no ACLED event type": 1}
    assert "c-0000000000ff" not in " ".join(df["event_id_cnty"])


def test_acled_names_are_spelled_as_acled_does(written):
    df = pd.read_csv(written["acled-csv"][0])
    for event_type, sub_event_type in zip(df["event_type"], df["sub_event_type"]):
        assert sub_event_type in ACLED_TYPES[event_type]
    assert set(df["disorder_type"]) <= {"Political violence", "Demonstrations", "Strategic developments",
                                        "Political violence; Demonstrations"}
    assert set(df["region"].dropna()) <= {"Middle East", "Western Africa"}
    assert set(df["civilian_targeting"].dropna()) == {"Civilian targeting"}


def test_acled_row_for_the_disputed_air_strike(written):
    df = pd.read_csv(written["acled-csv"][0])
    row = df[df["event_id_cnty"].str.startswith("YEM")].iloc[0]
    assert row["event_id_cnty"] == f"YEM{0x1a2b3c4d5e6f}"
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2022-03-13", 2022, 1)
    assert (row["event_type"], row["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert (row["actor1"], row["actor2"]) == ("Saudi-led coalition", "Civilians (Yemen)")  # ACLED's naming
    assert (row["inter1"], row["inter2"], row["interaction"]) == (8, 7, 78)  # foreign state forces vs civilians
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["region"], row["country"], row["geo_precision"]) == (887, "Middle East", "Yemen", 1)
    assert row["location"] == "Sa'dah" and row["longitude"] == pytest.approx(43.76393)
    assert row["source"] == "Sanaa Wire; Radio Saada" and row["source_scale"] == "Other"
    assert row["fatalities"] == 9
    assert "fatalities=best estimate (9-17 claimed)" in row["tags"]
    assert df["fatalities"].dtype.kind == "i" and df["timestamp"].dtype.kind == "i"


def test_acled_rows_without_place_or_foreign_actor(written):
    df = pd.read_csv(written["acled-csv"][0]).set_index("event_id_cnty")
    kidnap = df.loc["NGA123"]
    assert kidnap["sub_event_type"] == "Abduction/forced disappearance"
    assert (kidnap["inter1"], kidnap["inter2"], kidnap["interaction"]) == (3, 7, 37)
    assert (kidnap["iso"], kidnap["region"], kidnap["fatalities"]) == (566, "Western Africa", 5)
    arrest = df.loc[f"XXX{0xabcd}"]  # no place: no country prefix, no coordinates
    assert arrest["sub_event_type"] == "Arrests" and pd.isna(arrest["latitude"]) and pd.isna(arrest["geo_precision"])
    assert (arrest["inter1"], arrest["inter2"]) == (1, 7) and pd.isna(arrest["civilian_targeting"])


def test_acled_notes_are_one_sentence_naming_every_source(written, clusters):
    df = pd.read_csv(written["acled-csv"][0])
    kept = [c for c in clusters if c["event"]["acled_event_type"]]
    for notes, cluster in zip(df["notes"], kept):
        assert notes.endswith(".") and not re.search(r"[.!?]\s+[A-Z]", notes), notes
        for source in cluster["sources"]:
            assert (source["publisher"] or source["article_id"]) in notes
        for claim in cluster["claims"]:
            if claim["claimant"]:
                assert claim["claimant"] in notes
    strike = df["notes"][0]
    assert strike.startswith("On 13 March 2022, an air/drone strike by Saudi-led coalition against civilians "
                             "took place in Sa'dah (")
    # claims grouped by what they say, each with its claimant and the outlets that carried it
    assert "14 killed and 23 injured according to health ministry (Sanaa Wire)" in strike
    assert "at least 9 killed" in strike
    assert re.search(r"17 killed and 30 injured according to [^(]+\(Radio Saada\)", strike), strike


def test_summary_names_sources_without_claims(clusters):
    extra = {"article_id": "x", "url": "https://www.news.example/a"}
    cluster = {**clusters[3], "sources": clusters[3]["sources"] + [extra]}
    sentence = summary_sentence(cluster)
    assert sentence.endswith("reported by Mekong Post and news.example.")
    assert sentence.startswith("On 20 January 2025, a consult event (third-party) by China (GOV) "
                               "took place in Kunming")


# ---------------------------------------------------------------- plover-json


def test_plover_json_records(written, articles):
    path, result = written["plover-json"]
    records = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(records, list) and len(records) == result.written == 4
    for rec in records:
        assert PLOVER_FIELDS <= set(rec)
        assert isinstance(rec["actor"], list) and isinstance(rec["recipient"], list)
    strike = records[0]
    assert (strike["id"], strike["event"], strike["mode"], strike["quad_code"]) == ("c-1a2b3c4d5e6f", "ASSAULT",
                                                                                   "aerial", 4)
    assert (strike["date"], strike["enddate"]) == ("2022-03-13", "2022-03-13")
    assert strike["size"] == {"dead": 9, "injured": 23, "arrested": None}
    assert {"code": "SAU", "sector": "MIL"}.items() <= strike["actor"][0].items()
    loc = strike["location"]
    assert (loc["resolved_place"], loc["country"], loc["feature_code"], loc["resolution"]) == \
        ("Sa'dah", "YEM", "PPL", 4)
    assert [c["publication"] for c in strike["cite_info"]] == ["Sanaa Wire", "Radio Saada"]
    assert strike["coder"] == "eventwire 0.1.0"
    text = articles["airstrike-disputed"].text
    assert strike["event_text"] and len(strike["event_text"]) == len(strike["text_info"])
    for sentence, offsets in zip(strike["event_text"], strike["text_info"]):
        assert text[offsets["start"]:offsets["end"]] == sentence
    assert records[2]["location"] is None


# ---------------------------------------------------------------- geojson


def test_geojson_is_a_feature_collection_in_lon_lat_order(written, clusters):
    path, result = written["geojson"]
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert result.left_out == {"no coordinates": 1}
    assert [f["id"] for f in doc["features"]] == ["c-1a2b3c4d5e6f", "c-000123", "c-0000000000ff"]
    with_place = [c for c in clusters if c["event"]["location"]]
    for feature, cluster in zip(doc["features"], with_place):
        loc = cluster["event"]["location"]
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        assert feature["geometry"]["coordinates"] == [loc["lon"], loc["lat"]]
        assert all(not isinstance(v, (dict, list)) for v in feature["properties"].values())
    saada = doc["features"][0]["geometry"]["coordinates"]
    assert saada == pytest.approx([43.76393, 16.94021])
    props = doc["features"][0]["properties"]
    assert (props["fatalities_low"], props["fatalities_best"], props["fatalities_high"]) == (9, 9, 17)
    assert props["sources"] == "Sanaa Wire; Radio Saada" and props["n_articles"] == 2


# ---------------------------------------------------------------- parquet


def test_parquet_column_types_and_values(written):
    path, result = written["parquet"]
    table = pq.read_table(path)
    assert table.num_rows == result.written == 4
    schema = table.schema
    assert schema.field("date").type == pa.date32() and schema.field("first_report").type == pa.date32()
    for name in ("fatalities_low", "fatalities_best", "fatalities_high", "injured_best", "n_articles"):
        assert schema.field(name).type == pa.int32()
    assert schema.field("lat").type == pa.float64() and schema.field("geonameid").type == pa.int64()
    assert schema.field("sources").type == pa.list_(pa.string())
    assert schema.field("location_admin1_code").type == pa.string()  # ISO 3166-2
    df = pd.read_parquet(path)
    strike = df.iloc[0]
    assert strike["date"] == date(2022, 3, 13) and strike["first_report"] == date(2022, 3, 14)
    assert (strike["fatalities_best"], strike["injured_high"], strike["n_articles"]) == (9, 30, 2)
    assert list(strike["sources"]) == ["Sanaa Wire", "Radio Saada"]
    assert pd.isna(df.iloc[2]["lat"]) and pd.isna(df.iloc[3]["acled_event_type"])


# ---------------------------------------------------------------- jsonl


def test_jsonl_round_trips_the_input(written, clusters):
    path, result = written["jsonl"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert result.written == len(lines) == 4
    assert [json.loads(line) for line in lines] == clusters


# ---------------------------------------------------------------- pieces


def test_interaction_and_event_number():
    assert (interaction(7, 1), interaction(2, 8), interaction(6, None), interaction(None, None)) == (17, 28, 60, None)
    assert event_number("c-000123") == 123
    assert format(event_number("c-1a2b3c4d5e6f"), "012x") == "1a2b3c4d5e6f"
    assert event_number("cluster/weird id") == event_number("cluster/weird id")


# ---------------------------------------------------------------- untrusted text and links


def test_urls_that_are_not_http_are_emptied_in_every_format(clusters, tmp_path):
    import copy

    bad = copy.deepcopy(clusters)
    for rec in bad:
        for source in rec["sources"]:
            source["url"] = "javascript:alert(1)"
        for member in rec["members"]:
            member["article"]["url"] = "data:text/html,<script>alert(1)</script>"
    for fmt in FORMATS:
        path = tmp_path / f"x.{fmt}"
        export(fmt, bad, path)
        text = str(pq.read_table(path).to_pylist()) if fmt == "parquet" else path.read_text(encoding="utf-8")
        assert "javascript:" not in text and "data:text" not in text, fmt
    first = json.loads((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["sources"][0]["url"] is None and first["members"][0]["article"]["url"] is None
    assert json.loads((tmp_path / "x.plover-json").read_text(encoding="utf-8"))[0]["cite_info"][0]["url"] is None
    assert bad[0]["sources"][0]["url"] == "javascript:alert(1)"  # the caller's records are left alone


def test_acled_cells_that_would_run_as_formulas_are_neutralised(clusters, tmp_path):
    import copy
    import csv
    import io

    bad = copy.deepcopy(clusters)
    actor = next(a for a in bad[0]["event"]["actors"] if a.get("role") == "actor" and a.get("name"))
    actor["name"] = "=cmd|' /C calc'!A0"
    for source in bad[0]["sources"]:
        source["publisher"] = "+Wire"
    bad[0]["event"]["location"]["lat"] = -12.5
    export("acled-csv", bad, tmp_path / "x.csv")
    row = next(csv.DictReader(io.StringIO((tmp_path / "x.csv").read_text(encoding="utf-8"))))
    assert row["actor1"] == "'=cmd|' /C calc'!A0" and row["source"] == "'+Wire"
    assert row["latitude"] == "-12.5" and pd.read_csv(tmp_path / "x.csv")["latitude"].iloc[0] == -12.5
