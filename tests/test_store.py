"""The event store, batch ingest and cross-article linking, on SQLite always and on PostgreSQL when
EVENTWIRE_TEST_PG names a server (``.ci/run`` starts one)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from conftest import ROOT

STORM = ROOT / "tests" / "data" / "storm.jsonl"


@pytest.fixture()
def store(db_target):
    from eventwire.store import open_store

    s = open_store(db_target)
    yield s
    s.close()


def _ingest(store, pipeline, *paths):
    from eventwire.batch import ingest

    return ingest([str(p) for p in paths], store, pipeline)


def _write(folder: Path, name: str, title: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


BODY = ("Police in Nakuru, Kenya, arrested 14 protesters on Monday after a march against fuel prices turned "
        "violent, a police spokesman said.")


def test_new_store_has_the_current_schema(store):
    from eventwire.store import SCHEMA_VERSION
    from eventwire.store.schema import schema_version

    assert schema_version(store.db) == SCHEMA_VERSION
    assert store.counts() == {"articles": 0, "events": 0, "clusters": 0, "skips": 0}


def test_old_database_is_upgraded_with_its_data(db_target, pipeline):
    from eventwire.store import Store, SCHEMA_VERSION
    from eventwire.store.db import connect
    from eventwire.store.schema import migrate, schema_version

    db = connect(db_target)
    migrate(db, target=1)  # a store written before linking existed
    db.execute("INSERT INTO articles (id, content_hash, text, coder_version, ingested_at) "
               "VALUES ('old', 'h', 'An old article.', 'eventwire 0.0.9', '2026-01-01')")
    assert schema_version(db) == 1 and not db.has_table("clusters")
    store = Store(db)
    assert store.upgraded_from == 1 and schema_version(db) == SCHEMA_VERSION
    assert db.one("SELECT text FROM articles WHERE id = 'old'")["text"] == "An old article."
    assert db.has_table("clusters")
    store.close()


def test_newer_database_is_refused(db_target):
    from eventwire.errors import StoreError
    from eventwire.store import open_store

    s = open_store(db_target)
    s.db.execute("INSERT INTO schema_version VALUES (99, '2030-01-01')")
    s.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(db_target)


def test_reingest_is_idempotent(store, pipeline, tmp_path):
    folder = tmp_path / "in"
    _write(folder, "a.txt", "Kenya police arrest protesters", BODY)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    first = _ingest(store, pipeline, folder)
    counts = store.counts()
    assert first.new == 1 and first.skipped == 1 and counts["articles"] == 1 and counts["events"] >= 1
    second = _ingest(store, pipeline, folder)
    assert second.new == 0 and second.duplicates == 1
    assert store.counts() == counts
    assert [s["reason"] for s in store.skips()] == ["unsupported file type"]


def test_same_text_under_another_id_or_url_is_stored_once(store, pipeline, tmp_path):
    rows = [{"id": "one", "title": "Arrests in Nakuru", "text": BODY, "url": "https://a.example/1"},
            {"id": "two", "title": "Arrests in Nakuru", "text": BODY.replace(" ", "  "), "url": "https://b.example/2"},
            {"id": "three", "title": "Another", "text": "Different text entirely about " + BODY,
             "url": "https://a.example/1"}]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows[:2]) + "\n", encoding="utf-8")
    summary = _ingest(store, pipeline, path)
    assert (summary.new, summary.duplicates) == (1, 1)
    assert store.counts()["articles"] == 1


def test_changed_article_is_recoded_and_its_events_replaced(store, pipeline, tmp_path):
    folder = tmp_path / "in"
    _write(folder, "story.txt", "Kenya police arrest protesters", BODY)
    _ingest(store, pipeline, folder)
    before = {r["id"] for r in store.db.rows("SELECT id FROM events")}
    _write(folder, "story.txt", "Kenya: gunmen attack a bus",
           "Gunmen attacked a bus near Garissa, Kenya, on Tuesday, killing six passengers, police said.")
    summary = _ingest(store, pipeline, folder)
    assert summary.updated == 1 and store.counts()["articles"] == 1
    rows = store.db.rows("SELECT id, event_type, coder_version FROM events")
    assert rows and not before & {r["id"] for r in rows}
    assert "ASSAULT" in {r["event_type"] for r in rows}
    assert all(r["coder_version"].startswith("eventwire ") for r in rows)


def test_every_input_is_coded_or_skipped(store, pipeline, tmp_path):
    folder = tmp_path / "mixed"
    _write(folder, "good.txt", "Kenya police arrest protesters", BODY)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n")
    (folder / "rows.jsonl").write_text('{"id": "r1", "text": "Rioters burned tyres in Kisumu on Friday, '
                                       'police said."}\n{not json}\n', encoding="utf-8")
    summary = _ingest(store, pipeline, folder)
    assert summary.inputs == summary.new + summary.skipped + summary.duplicates
    reasons = {Path(s["source"].split(":")[0]).name: s["reason"] for s in store.skips()}
    assert reasons["image.png"] == "unsupported file type"
    assert "empty" in reasons["empty.txt"]
    assert any(name.startswith("rows.jsonl") for name in reasons)


def _storm(store, pipeline):
    _ingest(store, pipeline, STORM)
    truth = {json.loads(line)["id"]: json.loads(line)["truth"] for line in STORM.read_text().splitlines()}
    rows = store.db.rows("SELECT article_id, cluster_id, event_type FROM events WHERE modality = 'asserted'")
    return truth, rows


def test_media_storm_is_one_cluster_with_no_false_merges(store, pipeline):
    truth, rows = _storm(store, pipeline)
    storm_reports = {a for a, t in truth.items() if t == "storm"}
    assert len(storm_reports) >= 25
    members = defaultdict(set)
    for r in rows:
        members[r["cluster_id"]].add(truth[r["article_id"]])
    assert not [c for c, labels in members.items() if len(labels) > 1], "a cluster mixes different real events"
    assaults = Counter(r["cluster_id"] for r in rows if r["event_type"] == "ASSAULT"
                       and truth[r["article_id"]] == "storm")
    main, _ = assaults.most_common(1)[0]
    cluster = store.db.one("SELECT * FROM clusters WHERE id = ?", (main,))
    assert cluster["n_articles"] >= 25
    assert len(assaults) == 1, f"the storm's attack is split over {len(assaults)} clusters"
    assert cluster["killed_low"] <= cluster["killed_best"] <= cluster["killed_high"]
    assert cluster["killed_low"] <= 12 and cluster["killed_high"] >= 19


def test_cluster_record_and_explanation(store, pipeline):
    from eventwire.store.query import cluster_records, explain_id, Filters

    _storm(store, pipeline)
    [rec] = [r for r in cluster_records(store, Filters(country="SOM", type="ASSAULT")) if r["n_articles"] >= 25]
    assert len(rec["sources"]) == rec["n_articles"]
    assert {s["publisher"] for s in rec["sources"]} and all(s["url"] for s in rec["sources"])
    assert {c["claimant"] for c in rec["claims"] if c.get("killed")} >= {"police"} or len(rec["claims"]) > 5
    found = explain_id(store, rec["id"])
    joined = [m for m in found["members"] if m["joined_with"]]
    assert joined and all(any("date" in x for x in m["reasons"]) for m in joined)
    assert any("place" in x or "admin1" in x for m in joined for x in m["reasons"])


def test_queries_filter_and_count(store, pipeline):
    from eventwire.store.query import Filters, events_frame, find_events, stats

    _storm(store, pipeline)
    som = find_events(store, Filters(country="Somalia"))
    assert som and all(r["country"] == "SOM" for r in som)
    assert all(r["event_type"] == "ASSAULT" for r in find_events(store, Filters(type="ASSAULT")))
    boxed = find_events(store, Filters(bbox="43,2,44.5,4"))  # around Baidoa
    assert boxed and all(43 <= r["lon"] <= 44.5 and 2 <= r["lat"] <= 4 for r in boxed)
    assert find_events(store, Filters(text="livestock market"))
    assert not find_events(store, Filters(since="2030-01-01"))
    everything = find_events(store, Filters(modality="all"))
    assert len(everything) >= len(find_events(store, Filters()))
    table = stats(store, ["country", "week"], Filters(country="SOM"))
    assert table and all(set(r) >= {"country", "week", "events", "articles", "fatalities_best"} for r in table)
    clusters = store.db.one("SELECT COUNT(*) AS n FROM clusters c JOIN events e ON e.id = c.representative "
                            "WHERE e.country = 'SOM'")["n"]
    assert sum(r["events"] for r in table) == clusters  # one row per cluster, not per article
    frame = events_frame(store, Filters(country="SOM"))
    assert len(frame) == len(som) and str(frame["date"].dtype).startswith("datetime64")


def test_bad_filters_are_one_line_errors(store):
    from eventwire.errors import StoreError
    from eventwire.store.query import Filters, find_events, stats

    for bad in (Filters(since="last week"), Filters(bbox="1,2,3"), Filters(country="Narnia"),
                Filters(modality="maybe")):
        with pytest.raises(StoreError):
            find_events(store, bad)
    with pytest.raises(StoreError):
        stats(store, ["planet"])


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_ingest_resumes_with_nothing_missing_or_doubled(tmp_path):
    folder = tmp_path / "batch"
    places = ["Nakuru", "Kisumu", "Eldoret", "Garissa", "Mombasa", "Nyeri", "Machakos", "Kericho", "Thika", "Embu"]
    for i in range(40):
        town = places[i % len(places)]
        _write(folder, f"a{i:02d}.txt", f"Report {i}: police arrest traders in {town}",
               f"Police in {town}, Kenya, arrested {i + 3} traders on Monday after a protest over market fees "
               f"turned violent, officials said. Report number {i}.")
    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "eventwire", "ingest", str(folder), "--db", str(db), "--no-link"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    import sqlite3

    deadline = time.time() + 240
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if stored >= 5:
            break
    if proc.poll() is not None:
        pytest.fail("the batch ended before it could be killed: " + proc.communicate()[1].decode()[-500:])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    with sqlite3.connect(db) as conn:
        partial = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert 5 <= partial < 40
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr[-800:]
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
        orphans = conn.execute("SELECT COUNT(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)"
                               ).fetchone()[0]
        per_article = conn.execute("SELECT article_id, COUNT(*) FROM events GROUP BY article_id").fetchall()
    assert sorted(ids) == [f"a{i:02d}" for i in range(40)]
    assert orphans == 0 and len(per_article) <= 40


# -- identity, skips and concurrency (found in review) --------------------------------------------

def test_changed_file_is_one_article_however_its_path_is_written(store, pipeline, tmp_path, monkeypatch):
    folder = tmp_path / "one"
    _write(folder, "story.txt", "Kenya police arrest protesters", BODY)
    monkeypatch.chdir(tmp_path)
    _ingest(store, pipeline, "one")  # relative
    _write(folder, "story.txt", "Kenya police arrest protesters", BODY.replace("14", "40"))
    summary = _ingest(store, pipeline, folder)  # absolute
    assert summary.updated == 1 and store.counts()["articles"] == 1


def test_same_row_id_in_another_dump_is_the_same_article(store, pipeline, tmp_path):
    (tmp_path / "day1.jsonl").write_text(json.dumps({"id": "wire-123", "text": BODY}) + "\n", encoding="utf-8")
    (tmp_path / "day2.jsonl").write_text("\n" + json.dumps({"id": "wire-123", "text": BODY.replace("14", "40")})
                                         + "\n", encoding="utf-8")
    _ingest(store, pipeline, tmp_path / "day1.jsonl")
    summary = _ingest(store, pipeline, tmp_path / "day2.jsonl")
    assert summary.updated == 1
    assert [r["id"] for r in store.db.rows("SELECT id FROM articles")] == ["wire-123"]


def test_files_sharing_a_name_in_two_folders_are_two_articles(store, pipeline, tmp_path):
    _write(tmp_path / "2024", "index.txt", "Arrests in Nakuru", BODY)
    _write(tmp_path / "2025", "index.txt", "Bus attack near Garissa",
           "Gunmen attacked a bus near Garissa, Kenya, on Tuesday, killing six passengers, police said.")
    _ingest(store, pipeline, tmp_path / "2024", tmp_path / "2025")
    assert store.counts()["articles"] == 2
    again = _ingest(store, pipeline, tmp_path / "2025", tmp_path / "2024")
    assert again.duplicates == 2 and store.counts()["articles"] == 2


def test_a_skip_is_kept_until_its_own_input_is_coded(store, pipeline, tmp_path):
    _write(tmp_path / "2024", "index.txt", "Noticia", "La policía detuvo a catorce manifestantes en Nakuru el "
           "lunes después de que una marcha contra los precios del combustible se volviera violenta.")
    (tmp_path / "late").mkdir()
    (tmp_path / "late" / "late.txt").write_text("", encoding="utf-8")
    _ingest(store, pipeline, tmp_path / "2024", tmp_path / "late")
    assert len(store.skips()) == 2
    _write(tmp_path / "2025", "index.txt", "Arrests in Nakuru", BODY)  # another index.txt, coded
    _ingest(store, pipeline, tmp_path / "2025")
    assert len(store.skips()) == 2  # the Spanish one is still listed
    _write(tmp_path / "late", "late.txt", "Bus attack near Garissa",
           "Gunmen attacked a bus near Garissa, Kenya, on Tuesday, killing six passengers, police said.")
    _ingest(store, pipeline, tmp_path / "late")
    assert [Path(s["source"]).parent.name for s in store.skips()] == ["2024"]  # the fixed file's skip is gone


def test_a_syndicated_copy_is_remembered(store, pipeline, tmp_path):
    rows = [{"id": "a", "text": BODY, "url": "https://a.example/1", "publisher": "Alpha"},
            {"id": "b", "text": BODY, "url": "https://b.example/2", "publisher": "Beta"}]
    (tmp_path / "rows.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    _ingest(store, pipeline, tmp_path / "rows.jsonl")
    [alias] = store.db.rows("SELECT article_id, url, publisher FROM article_aliases")
    assert alias == {"article_id": "a", "url": "https://b.example/2", "publisher": "Beta"}


def _open_at(args):
    from eventwire.store import open_store
    path, start = args
    while time.time() < start:
        pass
    try:
        open_store(path).close()
        return "ok"
    except Exception as exc:  # the assertion shows what went wrong
        return repr(exc)


def test_processes_opening_one_new_sqlite_store_at_once_all_succeed(tmp_path):
    # Switching a new file to WAL answers "database is locked" without waiting; CI hit it when two
    # ingests started together. Four processes released at the same instant, twenty times over.
    import multiprocessing

    failures = []
    with multiprocessing.get_context("fork").Pool(4) as pool:
        for i in range(20):
            path = str(tmp_path / f"s{i}.db")
            start = time.time() + 0.2
            failures += [r for r in pool.map(_open_at, [(path, start)] * 4, chunksize=1) if r != "ok"]
    assert failures == []


def test_two_ingests_at_once_store_each_article_once(db_target, tmp_path):
    cmd = [sys.executable, "-m", "eventwire", "ingest", str(STORM), "--db", db_target, "--no-link"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path) for _ in range(2)]
    errors = [p.communicate(timeout=600)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    from eventwire.store import open_store

    with open_store(db_target) as s:
        assert s.counts()["articles"] == 45
        assert s.db.one("SELECT COUNT(DISTINCT content_hash) AS n FROM articles")["n"] == 45


def test_an_updated_report_keeps_its_cluster(store, pipeline, tmp_path):
    truth, rows = _storm(store, pipeline)
    main = Counter(r["cluster_id"] for r in rows if r["event_type"] == "ASSAULT").most_common(1)[0][0]
    before = store.db.one("SELECT n_articles FROM clusters WHERE id = ?", (main,))["n_articles"]
    first = json.loads(STORM.read_text().splitlines()[0])
    first["text"] += " The bombing was the deadliest in the town this year, residents said."
    (tmp_path / "update.jsonl").write_text(json.dumps(first) + "\n", encoding="utf-8")
    summary = _ingest(store, pipeline, tmp_path / "update.jsonl")
    assert summary.updated == 1
    assert store.db.one("SELECT n_articles FROM clusters WHERE id = ?", (main,))["n_articles"] == before


def test_stats_and_exports_see_every_member(store, pipeline):
    from eventwire.store.query import Filters, cluster_records, stats

    _storm(store, pipeline)
    by_member = stats(store, ["country"], Filters(actor="al-Shabaab", country="SOM"))
    assert by_member and by_member[0]["events"] >= 1
    assert cluster_records(store, Filters(text="livestock markets"))  # stemmed on both back-ends


def test_bbox_includes_its_edges(store, pipeline):
    from eventwire.store.query import Filters, find_events

    _storm(store, pipeline)
    row = next(r for r in find_events(store, Filters()) if r["lat"] is not None)
    edge = f"{row['lon'] - 0.5},{row['lat'] - 0.5},{row['lon']},{row['lat']}"
    assert row["id"] in {r["id"] for r in find_events(store, Filters(bbox=edge))}


def _ev(**kw):
    base = dict(when="2026-03-10", date_precision="day", admin1="Banaadir", place="Mogadishu", geonameid=53654,
                lat=2.04, lon=45.34, geo_precision="town", country="SOM", actor=None, actor_country=None,
                actor_sector=None, recipient=None, recipient_sector=None)
    return base | kw


def test_linking_keeps_different_actors_apart():
    from eventwire.store.link import JOIN_SCORE, compare

    attack = _ev(actor="Al-Shabaab", actor_sector="REB", recipient="army base", recipient_sector="MIL")
    robbers = _ev(actor="Police", actor_sector="COP", recipient="two robbers", recipient_sector="CRM")
    assert compare(attack, robbers)[0] < JOIN_SCORE
    teachers = _ev(when="2026-03-09", actor="teachers", actor_sector="EDU", place="Nairobi", geonameid=184745,
                   admin1="Nairobi Area", country="KEN")
    nurses = _ev(when="2026-03-10", actor="nurses", actor_sector="MED", place="Nairobi", geonameid=184745,
                 admin1="Nairobi Area", country="KEN")
    assert compare(teachers, nurses)[0] < JOIN_SCORE
    same = _ev(actor="al-Shabaab militants", actor_sector="REB")
    assert compare(attack, same)[0] >= JOIN_SCORE


def test_linking_respects_date_precision():
    from eventwire.store.link import compare

    assert compare(_ev(when="2026-02-05"), _ev(when="2026-03-01", date_precision="month")) is None
    assert compare(_ev(when="2026-03-20"), _ev(when="2026-03-01", date_precision="month")) is not None
    assert compare(_ev(when="2026-03-17"), _ev(when="2026-03-09", date_precision="week")) is None
    assert compare(_ev(when="2026-03-11"), _ev(when="2026-03-10")) is not None  # one day of slack


# -- article identity: an article's own id wins ---------------------------------------------------

PAGE = "https://news.example/wiki/hog-culling"
PARTS = [("hogs-000", "The agriculture department began culling 6,500 hogs at a farm in Pandi, Bulacan, on Sunday "
                      "after three farm workers were infected with Reston ebolavirus, officials said."),
         ("hogs-001", "Police in Pandi, Bulacan, arrested four vendors on Monday and seized 3,000 kilos of "
                      "rotten pork meat, a police spokesman said."),
         ("hogs-002", "Farmers in Bulacan protested on Tuesday against the culling of their hogs, saying the "
                      "government had not paid them, local radio reported.")]


def _rows(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_same_url_under_another_id_is_another_article_and_a_possible_duplicate(store, pipeline, tmp_path):
    # three rows cut from one page share its URL (as three GeoVirus rows do): three articles, not one
    rows = _rows(tmp_path / "parts.jsonl", [{"id": i, "url": PAGE, "text": t} for i, t in PARTS])
    first = _ingest(store, pipeline, rows)
    assert (first.new, first.updated, first.possible_duplicates) == (3, 0, 2)
    stored = {r["id"]: r["text"] for r in store.db.rows("SELECT id, text FROM articles")}
    assert stored == dict(PARTS)  # each id holds its own text
    assert [(p["article_id"], p["other_id"], p["reason"]) for p in store.possible_duplicates()] == [
        ("hogs-000", "hogs-001", f"same URL {PAGE}"), ("hogs-000", "hogs-002", f"same URL {PAGE}"),
        ("hogs-001", "hogs-002", f"same URL {PAGE}")]
    again = _ingest(store, pipeline, rows)
    assert (again.new, again.updated, again.duplicates, again.possible_duplicates) == (0, 0, 3, 0)
    assert store.counts()["articles"] == 3 and len(store.possible_duplicates()) == 3


def test_a_changed_text_keeps_its_possible_duplicates(store, pipeline, tmp_path):
    _ingest(store, pipeline, _rows(tmp_path / "a.jsonl", [{"id": i, "url": PAGE, "text": t} for i, t in PARTS[:2]]))
    changed = _ingest(store, pipeline, _rows(tmp_path / "b.jsonl", [
        {"id": "hogs-000", "url": PAGE, "text": PARTS[0][1].replace("6,500", "6,600")}]))
    assert changed.updated == 1 and changed.new == 0
    assert [(p["article_id"], p["other_id"]) for p in store.possible_duplicates("hogs-000")] == [
        ("hogs-000", "hogs-001")]


def test_a_row_without_an_id_at_a_known_url_is_a_changed_article(store, pipeline, tmp_path):
    # no id of its own (its id is a hash of its text): the URL says which article it is
    _ingest(store, pipeline, _rows(tmp_path / "a.jsonl", [{"url": PAGE, "text": BODY}]))
    summary = _ingest(store, pipeline, _rows(tmp_path / "b.jsonl", [{"url": PAGE, "text": BODY.replace("14", "40")}]))
    assert (summary.new, summary.updated, summary.possible_duplicates) == (0, 1, 0)
    assert store.counts()["articles"] == 1 and store.possible_duplicates() == []


def test_the_same_text_under_another_id_stays_an_alias(store, pipeline, tmp_path):
    rows = _rows(tmp_path / "a.jsonl", [{"id": "x1", "url": PAGE, "text": BODY},
                                        {"id": "x2", "url": "https://other.example/copy", "text": BODY}])
    summary = _ingest(store, pipeline, rows)
    assert (summary.new, summary.duplicates, summary.possible_duplicates) == (1, 1, 0)
    [alias] = store.db.rows("SELECT article_id, url FROM article_aliases")
    assert alias == {"article_id": "x1", "url": "https://other.example/copy"}


def test_html_files_with_one_canonical_url_are_two_articles(store, pipeline, tmp_path):
    page = ('<html><head><title>{t}</title><link rel="canonical" href="' + PAGE + '"></head><body><article>'
            "<h1>{t}</h1><p>{b}</p></article></body></html>")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "first.html").write_text(page.format(t="Hogs culled in Bulacan", b=PARTS[0][1]), encoding="utf-8")
    (folder / "second.html").write_text(page.format(t="Vendors arrested in Pandi", b=PARTS[1][1]), encoding="utf-8")
    first = _ingest(store, pipeline, folder)
    assert (first.new, first.updated, first.possible_duplicates) == (2, 0, 1)
    again = _ingest(store, pipeline, folder)
    assert (again.new, again.updated, again.duplicates) == (0, 0, 2)


@pytest.mark.skipif(not (ROOT.parent / "shared" / "eval" / "geovirus" / "geovirus.jsonl").is_file(),
                    reason="../shared is absent (third-party data tier)")
def test_geovirus_rows_that_share_a_page_stay_three_articles(store, pipeline, tmp_path):
    source = ROOT.parent / "shared" / "eval" / "geovirus" / "geovirus.jsonl"
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()[:3]]
    assert len({r["source_url"] for r in rows}) == 1  # the three rows cut from one Wikinews page
    path = _rows(tmp_path / "geovirus.jsonl", [{"id": r["doc_id"], "url": r["source_url"], "text": r["text"]}
                                               for r in rows])
    first = _ingest(store, pipeline, path)
    assert first.new == 3 and first.possible_duplicates == 2
    again = _ingest(store, pipeline, path)
    assert again.updated == 0 and again.duplicates == 3
    stored = {r["id"]: r["content_hash"] for r in store.db.rows("SELECT id, content_hash FROM articles")}
    from eventwire.store import content_hash

    assert stored == {r["doc_id"]: content_hash(r["text"]) for r in rows}


def test_only_http_urls_are_stored(store, pipeline, tmp_path):
    rows = _rows(tmp_path / "a.jsonl", [{"id": "js", "url": "javascript:alert(document.cookie)", "text": BODY},
                                        {"id": "ok", "url": "HTTPS://news.example/a", "text": PARTS[1][1]},
                                        {"id": "file", "url": "file:///etc/passwd", "text": PARTS[2][1]}])
    _ingest(store, pipeline, rows)
    urls = {r["id"]: r["url"] for r in store.db.rows("SELECT id, url FROM articles")}
    assert urls == {"js": None, "ok": "HTTPS://news.example/a", "file": None}


def test_a_row_without_an_id_never_replaces_an_article_with_its_own_id(store, pipeline, tmp_path):
    # two rows with ids and one without share a page: three articles, however often they are ingested
    rows = _rows(tmp_path / "ident.jsonl", [{"id": "a1", "url": PAGE, "text": PARTS[0][1]},
                                            {"id": "a2", "url": PAGE, "text": PARTS[1][1]},
                                            {"url": PAGE, "text": PARTS[2][1]}])
    first = _ingest(store, pipeline, rows)
    assert (first.new, first.updated, first.possible_duplicates) == (3, 0, 2)
    clusters = store.counts()["clusters"]
    for _ in range(2):
        again = _ingest(store, pipeline, rows)
        assert (again.new, again.updated, again.duplicates, again.clusters_new) == (0, 0, 3, 0)
    stored = {r["source"]: (r["id"], r["text"]) for r in store.db.rows("SELECT id, source, text FROM articles")}
    from eventwire.ingest.readers import text_hash

    assert stored == {f"{rows}:1": ("a1", PARTS[0][1]), f"{rows}:2": ("a2", PARTS[1][1]),
                      f"{rows}:3": (text_hash(PARTS[2][1]), PARTS[2][1])}
    assert store.counts()["clusters"] == clusters and len(store.possible_duplicates()) == 3


def test_rows_without_ids_that_share_a_page_in_one_file_are_two_articles(store, pipeline, tmp_path):
    rows = _rows(tmp_path / "parts.jsonl", [{"url": PAGE, "text": t} for _, t in PARTS[:2]])
    first = _ingest(store, pipeline, rows)
    assert (first.new, first.updated, first.possible_duplicates) == (2, 0, 1)
    again = _ingest(store, pipeline, rows)
    assert (again.new, again.updated, again.duplicates) == (0, 0, 2)
    assert sorted(r["text"] for r in store.db.rows("SELECT text FROM articles")) == sorted(t for _, t in PARTS[:2])


def test_an_article_the_database_refuses_before_coding_is_its_skip(store, pipeline, tmp_path, monkeypatch):
    # is_stored and note_duplicate run before the per-article guard of put_article; a database error for
    # one article there is that article's skip too, and the batch goes on
    from eventwire.errors import StoreError
    from eventwire.store import Store

    rows = _rows(tmp_path / "rows.jsonl", [{"id": i, "text": t} for i, t in PARTS])
    bad_sql = "SELECT x FROM no_such_table"
    refused = {"sqlite": "OperationalError: no such table: no_such_table",
               "postgresql": 'UndefinedTable: relation "no_such_table" does not exist'}[store.db.dialect]
    is_stored, note_duplicate = Store.is_stored, Store.note_duplicate

    def fails_for(name, real):
        def method(self, article, *args):
            if article.id == name:
                self.db.one(bad_sql)
            return real(self, article, *args)
        return method

    monkeypatch.setattr(Store, "is_stored", fails_for("hogs-001", is_stored))
    first = _ingest(store, pipeline, rows)
    assert (first.inputs, first.new, first.skipped) == (3, 2, 1)
    assert [(s["source"], s["stage"], s["reason"], s["article_id"]) for s in store.skips()] == [
        (f"{rows}:2", "store", refused, "hogs-001")]
    monkeypatch.setattr(Store, "is_stored", is_stored)
    monkeypatch.setattr(Store, "note_duplicate", fails_for("hogs-000", note_duplicate))
    again = _ingest(store, pipeline, rows)
    assert (again.new, again.duplicates, again.skipped) == (1, 1, 1)
    assert [(s["source"], s["reason"]) for s in store.skips()] == [(f"{rows}:1", refused)]
    assert store.counts()["articles"] == 3

    def unusable(self, article):
        raise StoreError("cannot write to the store: the disk is full")
    monkeypatch.setattr(Store, "is_stored", unusable)
    with pytest.raises(StoreError):  # the store itself unusable still stops the batch
        _ingest(store, pipeline, rows)


def test_nul_characters_in_an_id_or_text_never_stop_a_batch(store, pipeline, tmp_path):
    # PostgreSQL cannot hold U+0000 in text: such an article is stored or skipped, and the rest goes on
    rows = _rows(tmp_path / "nul.jsonl", [{"id": "bad\u0000id", "text": PARTS[0][1]},
                                          {"id": "n2", "text": PARTS[1][1].replace("four", "four\u0000")},
                                          {"id": "n3", "text": PARTS[2][1]}])
    summary = _ingest(store, pipeline, rows)
    assert summary.inputs == 3 and summary.new + summary.skipped == 3 and len(store.skips()) == summary.skipped
    assert store.db.one("SELECT id FROM articles WHERE id = 'n3'") is not None
