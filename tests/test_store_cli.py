"""The store's command line end to end: ingest (files and a feed), events, stats, skips, explain, link, export."""
from __future__ import annotations

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROOT
from eventwire.cli import main

STORM = ROOT / "tests" / "data" / "storm.jsonl"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def filled(db_target, capsys, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.docx").write_bytes(b"PK")
    code, out, err = run(capsys, "ingest", STORM, folder, "--db", db_target, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["new"] == 45 and summary["skipped"] == 1 and summary["inputs"] == 46
    return db_target


def test_events_table_json_and_csv(filled, capsys):
    code, out, err = run(capsys, "events", "--db", filled, "--country", "SOM", "--type", "ASSAULT")
    assert code == 0 and "event_type" in out.splitlines()[0] and "Baidoa" in out
    code, out, _ = run(capsys, "events", "--db", filled, "--country", "SOM", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["country"] == "SOM" and r["modality"] == "asserted" for r in rows)
    code, out, _ = run(capsys, "events", "--db", filled, "--acled-type", "Suicide bomb", "--csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert table and all(r["acled_sub_event_type"] == "Suicide bomb" for r in table)


def test_stats_counts_clusters_not_articles(filled, capsys):
    code, out, _ = run(capsys, "stats", "--db", filled, "--by", "country,week", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    som = [r for r in rows if r["country"] == "SOM"]
    assert som and sum(r["articles"] for r in som) > sum(r["events"] for r in som)
    code, _, err = run(capsys, "stats", "--db", filled, "--by", "galaxy")
    assert code == 2 and "cannot group by galaxy" in err


def test_skips_listed(filled, capsys):
    code, out, _ = run(capsys, "skips", "--db", filled, "--json")
    [skip] = [json.loads(line) for line in out.splitlines()]
    assert skip["source"].endswith("notes.docx") and skip["reason"] == "unsupported file type"


def test_explain_event_and_cluster(filled, capsys):
    _, out, _ = run(capsys, "events", "--db", filled, "--country", "SOM", "--type", "ASSAULT", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    biggest = max({r["cluster_id"] for r in rows}, key=lambda c: sum(r["cluster_id"] == c for r in rows))
    code, out, _ = run(capsys, "explain", biggest, "--db", filled)
    assert code == 0 and out.startswith(f"cluster {biggest}") and "why each joined" in out and "same" in out
    code, out, _ = run(capsys, "explain", rows[0]["id"], "--db", filled)
    assert code == 0 and "trigger" in out and f"cluster {rows[0]['cluster_id']}" in out
    code, _, err = run(capsys, "explain", "ev-nothere", "--db", filled)
    assert code == 2 and "no event or cluster" in err


def test_relink_gives_the_same_clusters(filled, capsys):
    from eventwire.store import open_store

    def clusters():
        with open_store(filled) as s:
            return sorted(r["cluster_id"] or "" for r in s.db.rows("SELECT cluster_id FROM events"))

    before = clusters()
    code, _, err = run(capsys, "link", "--db", filled, "--relink")
    assert code == 0 and "linked" in err
    assert clusters() == before


def test_every_export_reads_back_with_stock_readers(filled, capsys, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    paths = {}
    for fmt, suffix in (("acled-csv", "csv"), ("plover-json", "json"), ("geojson", "geojson"),
                        ("parquet", "parquet"), ("jsonl", "jsonl")):
        paths[fmt] = tmp_path / f"out.{suffix}"
        code, _, err = run(capsys, "export", "--db", filled, "--format", fmt, "-o", paths[fmt])
        assert code == 0, err
    acled = pd.read_csv(paths["acled-csv"])
    assert list(acled.columns)[:3] == ["event_id_cnty", "event_date", "year"] and len(acled) > 5
    assert (acled["fatalities"] >= 0).all()
    assert len(json.loads(paths["plover-json"].read_text())) > 5
    geo = json.loads(paths["geojson"].read_text())
    assert geo["type"] == "FeatureCollection" and geo["features"]
    assert len(pq.read_table(paths["parquet"])) == len(pd.read_parquet(paths["parquet"]))
    lines = [json.loads(x) for x in paths["jsonl"].read_text().splitlines()]
    assert all(rec["members"] and rec["event"]["evidence"] for rec in lines)
    code, _, err = run(capsys, "export", "--db", filled, "--format", "xls", "-o", tmp_path / "x")
    assert code == 2 and "unknown export format" in err


FEED_PAGE = ("<html><head><title>Gunmen attack a bus near Garissa</title></head><body><article>"
             "<h1>Gunmen attack a bus near Garissa</h1><p>Gunmen attacked a passenger bus near Garissa, Kenya, on "
             "Tuesday, killing six people and wounding nine, police said. The attackers fled towards the border "
             "after the shooting, a police commander told reporters in the town.</p></article></body></html>")


def test_ingest_a_feed_served_locally(db_target, capsys, monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    pages: dict[str, tuple[int, str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            status, ctype, body = pages.get(self.path, (404, "text/plain", b"not here"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    pages["/bus"] = (200, "text/html; charset=utf-8", FEED_PAGE.encode())
    pages["/feed.xml"] = (200, "application/rss+xml", f"""<?xml version="1.0"?><rss version="2.0"><channel>
<title>Local</title><item><title>Bus attack</title><link>{base}/bus</link>
<pubDate>Wed, 11 Mar 2026 06:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>{base}/gone</link><pubDate>Wed, 11 Mar 2026 07:00:00 GMT</pubDate></item>
</channel></rss>""".encode())
    try:
        code, out, err = run(capsys, "ingest", f"{base}/feed.xml", "--db", db_target, "--json", "--delay", "0",
                             "--retries", "0", "--timeout", "5")
        assert code == 0, err
        summary = json.loads(out)
        assert summary["new"] == 1 and summary["skipped"] == 1
        code, out, _ = run(capsys, "events", "--db", db_target, "--json", "--country", "KEN")
        rows = [json.loads(line) for line in out.splitlines()]
        assert any(r["event_type"] == "ASSAULT" and r["url"] == f"{base}/bus" for r in rows)
        code, out, _ = run(capsys, "skips", "--db", db_target, "--json")
        [skip] = [json.loads(line) for line in out.splitlines()]
        assert skip["source"] == f"{base}/gone" and "404" in skip["reason"]
        code, out, _ = run(capsys, "ingest", f"{base}/feed.xml", "--db", db_target, "--json", "--delay", "0",
                           "--retries", "0")
        assert json.loads(out)["already_stored"] == 1
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("db", ["{tmp}/garbage.db", "mysql://host/db", "{tmp}/no/such/folder/x.db",
                                "postgresql://nobody@127.0.0.1:1/x"])
def test_a_bad_store_is_a_one_line_error(capsys, tmp_path, db):
    (tmp_path / "garbage.db").write_bytes(b"this is not a database at all, just text")
    code, out, err = run(capsys, "events", "--db", db.format(tmp=tmp_path))
    assert code == 2 and err.startswith("eventwire: error: ") and err.strip().count("\n") == 0, err
    assert (tmp_path / "garbage.db").read_bytes().startswith(b"this is not")  # left as it was


# -- possible duplicates, and text from articles that must not run anywhere -------------------------

BODY = ("Police in Nakuru, Kenya, arrested 14 protesters on Monday after a march against fuel prices turned "
        "violent, a police spokesman said.")


def test_possible_duplicates_are_counted_and_explained(db_target, capsys, tmp_path):
    page = "https://news.example/kenya/live"
    rows = [{"id": "live-1", "url": page, "published": "2026-03-10", "text": BODY},
            {"id": "live-2", "url": page, "published": "2026-03-10", "text": "Gunmen attacked a bus near Garissa, "
             "Kenya, on Tuesday, killing six passengers, police said."}]
    path = tmp_path / "live.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    code, out, err = run(capsys, "ingest", path, "--db", db_target, "--json")
    assert code == 0 and json.loads(out)["possible_duplicates"] == 1
    assert ("eventwire: 2 new, 0 updated, 0 already stored, 0 skipped; 1 of those coded share a URL with another "
            "article (possible duplicates);") in err
    code, out, _ = run(capsys, "events", "--db", db_target, "--json", "--modality", "all")
    event = next(json.loads(line) for line in out.splitlines() if json.loads(line)["article_id"] == "live-2")
    code, out, _ = run(capsys, "explain", event["id"], "--db", db_target)
    assert code == 0 and f"  possible duplicate of article live-1: same URL {page}\n" in out


def test_article_text_cannot_run_in_a_spreadsheet_or_behind_a_link(db_target, capsys, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    row = {"id": "evil", "title": '=HYPERLINK("http://evil.example","click")', "url": "javascript:alert(1)",
           "publisher": "@SUM(A1)", "published": "2026-03-10", "text": BODY}
    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "ingest", path, "--db", db_target)
    assert code == 0, err
    code, out, _ = run(capsys, "events", "--db", db_target, "--csv")
    [first, *_] = list(csv.DictReader(io.StringIO(out)))
    assert first["title"] == "'" + row["title"] and first["publisher"] == "'@SUM(A1)" and first["url"] == ""
    assert float(first["lat"]) < 0 and not first["lat"].startswith("'")  # Nakuru: a negative number stays one
    code, out, _ = run(capsys, "events", "--db", db_target, "--json")
    assert all(json.loads(line)["url"] is None for line in out.splitlines())
    files = {}
    for fmt, suffix in (("acled-csv", "csv"), ("plover-json", "json"), ("geojson", "geojson"),
                        ("parquet", "parquet"), ("jsonl", "jsonl")):
        files[fmt] = tmp_path / f"out.{suffix}"
        code, _, err = run(capsys, "export", "--db", db_target, "--format", fmt, "-o", files[fmt])
        assert code == 0, err
    texts = [files[f].read_text(encoding="utf-8") for f in files if f != "parquet"]
    texts.append(str(pq.read_table(files["parquet"]).to_pylist()))
    assert not any("javascript:" in text for text in texts)
    acled = list(csv.DictReader(io.StringIO(texts[0])))
    assert acled and all(not v.startswith(("=", "+", "@", "\t", "\r")) for r in acled for v in r.values())
    assert acled[0]["source"] == "'@SUM(A1)"
    assert pd.read_csv(files["acled-csv"])["latitude"].dtype == float  # numbers stay numbers


def test_stats_csv_neutralises_text_cells_and_keeps_numbers(capsys):
    import argparse

    from eventwire.cli.store import _print_rows

    rows = [{"admin1": "=1+2", "week": "-", "events": 3, "fatalities_best": -3, "note": "-3.5", "place": "@x"}]
    _print_rows(rows, argparse.Namespace(csv=True, json=False), list(rows[0]))
    assert capsys.readouterr().out.splitlines() == ["admin1,week,events,fatalities_best,note,place",
                                                    "'=1+2,-,3,-3,-3.5,'@x"]


@pytest.mark.parametrize("value, cell", [("=1+2", "'=1+2"), ("+1 555 0100 ext", "'+1 555 0100 ext"),
                                         ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"),
                                         ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-3.5", "-3.5"), ("+2", "+2"),
                                         ("1e-3", "1e-3"), ("-", "-"), (-3.5, -3.5), (None, None),
                                         ("Baidoa", "Baidoa"), ("a=b", "a=b")])
def test_csv_cell(value, cell):
    from eventwire.export import csv_cell

    assert csv_cell(value) == cell


@pytest.mark.parametrize("value, url", [("https://a.example/x?y=1", "https://a.example/x?y=1"),
                                        ("http://a.example", "http://a.example"), ("javascript:alert(1)", None),
                                        ("JAVASCRIPT:alert(1)", None), ("data:text/html,<b>", None),
                                        ("file:///etc/passwd", None), ("//a.example/x", None), ("https://", None),
                                        ("http://a.example/x y", None), ("", None), (None, None), (3, None)])
def test_http_url(value, url):
    from eventwire.models import http_url

    assert http_url(value) == url
