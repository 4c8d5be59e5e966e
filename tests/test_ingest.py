"""Every input is an article or a recorded skip with its reason; nothing is lost."""
import io
import json

import pytest

from eventwire.errors import InputError
from eventwire.ingest import make_article, read_inputs
from eventwire.ingest.checks import check_article
from eventwire.settings import Settings


def test_txt_first_line_is_title(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("Strike hits port\n\nA missile struck the port on Monday.\n", encoding="utf-8")
    [a] = read_inputs([p]).articles
    assert a.title == "Strike hits port"
    assert a.text == "Strike hits port\n\nA missile struck the port on Monday."
    assert a.id == "story"
    assert a.text[a.body_start:].startswith("A missile")


def test_jsonl_fields_ids_and_metadata(tmp_path):
    p = tmp_path / "rows.jsonl"
    rows = [{"id": "a1", "text": "Body one.", "title": "T1", "published": "2024-01-02", "source_name": "X"},
            {"doc_id": "d2", "text": "Body two."},
            {"text": "Body three."}]
    p.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    arts = read_inputs([p]).articles
    assert [a.id for a in arts[:2]] == ["a1", "d2"]
    assert len(arts[2].id) == 16  # a hash of the text
    assert arts[0].published.isoformat() == "2024-01-02"
    assert arts[0].metadata == {"source_name": "X"}
    assert arts[0].text == "T1\n\nBody one."


def test_invalid_jsonl_line_is_skipped_and_good_rows_kept(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text('{"text": "good one"}\n{not json\n{"title": "no text"}\n{"text": "good two"}\n', encoding="utf-8")
    result = read_inputs([p])
    assert [a.text for a in result.articles] == ["good one", "good two"]
    reasons = sorted(s.reason.split(":")[0] for s in result.skips)
    assert reasons == ["invalid JSON", "row has no 'text'"]
    assert {s.source for s in result.skips} == {f"{p}:2", f"{p}:3"}


def test_csv_rows(tmp_path):
    p = tmp_path / "rows.csv"
    p.write_text("id,text,extra\nc1,\"Police fired tear gas, witnesses said.\",yes\n", encoding="utf-8")
    [a] = read_inputs([p]).articles
    assert a.id == "c1" and a.metadata == {"extra": "yes"}


def test_csv_without_text_column(tmp_path):
    p = tmp_path / "rows.csv"
    p.write_text("id,body\n1,hello\n", encoding="utf-8")
    result = read_inputs([p])
    assert not result.articles and result.skips[0].reason == "CSV has no 'text' column"


def test_html_extracts_title_text_and_date(tmp_path):
    p = tmp_path / "page.html"
    body = " ".join(["Security forces fired tear gas at protesters in the capital on Tuesday."] * 6)
    p.write_text(f"""<html><head><title>Protest dispersed</title>
    <meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
    <body><nav>Home | World</nav><article><h1>Protest dispersed</h1><p>{body}</p>
    <p>{body}</p></article><footer>Copyright</footer></body></html>""", encoding="utf-8")
    [a] = read_inputs([p]).articles
    assert a.title == "Protest dispersed"
    assert "tear gas" in a.text and "Copyright" not in a.text
    assert a.published.isoformat() == "2024-03-05"


def test_broken_html_is_a_recorded_skip(tmp_path):
    p = tmp_path / "broken.html"
    p.write_text("<html><body><div><p>", encoding="utf-8")
    result = read_inputs([p])
    assert not result.articles
    assert "HTML" in result.skips[0].reason


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"),
    (b"\x00\x01\x02binary\x00", "binary file, not text"),
])
def test_bad_files(tmp_path, content, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    result = read_inputs([p])
    assert not result.articles and result.skips[0].reason == reason


def test_directory_lists_unsupported_files(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nSome body text here.", encoding="utf-8")
    (tmp_path / "img.png").write_bytes(b"\x89PNG")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.txt").write_text("Other\n\nMore body text.", encoding="utf-8")
    result = read_inputs([tmp_path])
    assert sorted(a.id for a in result.articles) == ["a", "b"]
    assert [(s.source.endswith("img.png"), s.reason) for s in result.skips] == [(True, "unsupported file type")]


def test_missing_file(tmp_path):
    result = read_inputs([tmp_path / "nope.txt"])
    assert result.skips[0].reason == "no such file"


def test_stdin_sniffs_jsonl():
    stdin = io.StringIO('{"id": "s1", "text": "From standard input."}\n')
    [a] = read_inputs(["-"], stdin=stdin).articles
    assert a.id == "s1"


def test_published_override(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text('{"text": "x", "published": "2020-01-01"}\n', encoding="utf-8")
    [a] = read_inputs([p], published="2021-02-26").articles
    assert a.published.isoformat() == "2021-02-26"


def test_bad_published_flag():
    with pytest.raises(InputError, match="not a date"):
        read_inputs([], published="yesterday")


def test_checks_reasons():
    s = Settings(max_chars=1000)
    assert check_article(make_article("short"), s).startswith("too short")
    assert check_article(make_article("word " * 400), s).startswith("too long")
    french = ("Les frappes aériennes ont visé un poste frontière près de la ville, selon les autorités "
              "locales qui ont fait état de plusieurs morts parmi les combattants.")
    assert check_article(make_article(french), Settings()) == "not English: detected 'fr'"
    assert check_article(make_article("1234 5678 %%%% 9999 0000 ---- 1111 2222 3333 4444"), s) \
        == "does not look like prose: too few letters"
    assert check_article(make_article("Police fired tear gas at protesters in Nairobi on Tuesday."), s) is None


def test_rows_with_wrong_types_are_skips_and_bad_dates_are_notes(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text("\n".join([
        json.dumps({"text": "Police arrested five men in Lagos.", "title": 5}),
        json.dumps({"text": "Police arrested five men in Lagos.", "language": ["en"]}),
        json.dumps({"id": "ok", "text": "Police arrested five men in Lagos.", "published": "May 2, 2024"}),
    ]), encoding="utf-8")
    result = read_inputs([p])
    assert [a.id for a in result.articles] == ["ok"]
    assert result.articles[0].published is None
    assert "publication date ignored" in result.articles[0].metadata["note"]
    assert sorted(s.reason for s in result.skips) == ["field 'language' is not a string", "field 'title' is not a string"]
