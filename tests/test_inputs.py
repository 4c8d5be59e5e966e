"""Inputs are read streamed and bounded, and every row read is an article or a skip naming its line.

Each test feeds one kind of awkward input through the readers (and, where the CLI adds behaviour,
through the real command line) and checks both the recorded skip and that nothing else was lost.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from eventwire.ingest import readers
from eventwire.ingest.readers import iter_inputs, read_inputs
from eventwire.models import Article, Skipped

EVENTWIRE = [sys.executable, "-m", "eventwire.cli"]
STORY = "Soldiers shot dead four miners near a gold pit in the north on Sunday, residents said."


def run(*args, stdin: bytes | None = None, cwd=None):
    return subprocess.run(EVENTWIRE + [str(a) for a in args], capture_output=True, input=stdin, cwd=cwd,
                          timeout=300)


def jsonl(rows) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def reasons(result) -> dict[str, str]:
    return {s.source: s.reason for s in result.skips}


# -- JSONL: lines end at a line feed only, and a bad line costs that line only ---------------

@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r"])
def test_a_raw_line_separator_inside_a_json_string_stays_in_its_row(tmp_path, separator):
    path = tmp_path / "rows.jsonl"
    rows = [{"id": "one", "text": f"Riot police{separator}dispersed a march in the capital."},
            {"id": "two", "text": STORY}]
    path.write_text(jsonl(rows), encoding="utf-8")  # ensure_ascii=False: the separator is written raw
    result = read_inputs([path])
    assert not result.skips
    assert [a.id for a in result.articles] == ["one", "two"]
    assert separator in result.articles[0].text


def test_a_nul_padded_tail_skips_only_that_line(tmp_path):
    path = tmp_path / "crashed.jsonl"
    path.write_bytes(jsonl([{"id": "a", "text": STORY}, {"id": "b", "text": STORY + " Again."}]).encode()
                     + b"\x00" * 4096)
    result = read_inputs([path])
    assert [a.id for a in result.articles] == ["a", "b"]
    assert reasons(result) == {f"{path}:3": "binary data (NUL bytes), not a JSON row"}


def test_every_line_is_an_article_or_a_skip_with_its_line_number(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"id": "ok1", "text": STORY}), "{not json", json.dumps(["a", "list"]), "",
             json.dumps({"id": "nul", "text": "a\x00b"}).replace("\\u0000", "\x00"), json.dumps({"title": "no text"}),
             json.dumps({"id": "ok2", "text": STORY})]
    path.write_text("\n".join(lines), encoding="utf-8")
    result = read_inputs([path])
    assert [(a.id, a.source) for a in result.articles] == [("ok1", f"{path}:1"), ("ok2", f"{path}:7")]
    assert sorted(reasons(result)) == [f"{path}:{n}" for n in (2, 3, 5, 6)]  # line 4 is blank: no row


def test_an_over_long_line_is_skipped_and_the_next_rows_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 2000)
    path = tmp_path / "long.jsonl"
    path.write_text(jsonl([{"id": "a", "text": STORY}, {"id": "big", "text": "x" * 10_000},
                           {"id": "c", "text": STORY}]), encoding="utf-8")
    result = read_inputs([path])
    assert [a.id for a in result.articles] == ["a", "c"]
    assert reasons(result) == {f"{path}:2": "line too long: more than 2000 bytes"}


def test_a_file_that_is_binary_from_its_first_line_is_one_skip(tmp_path):
    path = tmp_path / "image.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    result = read_inputs([path])
    assert not result.articles
    assert reasons(result) == {str(path): "binary file, not text"}


def test_a_broken_csv_line_costs_that_row_only(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(b'id,text\n1,"A march, then arrests"\n2,bad\x00row\n3,"Shelling\nhit a market"\n')
    result = read_inputs([path])
    assert [(a.id, a.source) for a in result.articles] == [("1", f"{path}:2"), ("3", f"{path}:5")]
    assert result.articles[1].text == "Shelling\nhit a market"
    assert reasons(result) == {f"{path}:3": "binary data (NUL bytes)"}


# -- encodings ---------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_decoded(tmp_path, codec):
    marked = codec if codec in ("utf-16", "utf-32", "utf-8-sig") else None
    data = "Clashes in the north\n\nTwo soldiers died in clashes near the border on Friday."
    txt = tmp_path / "story.txt"
    txt.write_bytes(data.encode(marked) if marked else b"\xfe\xff" + data.encode(codec))
    rows = tmp_path / "rows.jsonl"
    body = jsonl([{"id": "r1", "text": STORY}, {"id": "r2", "text": "Protesters marched in the city."}])
    rows.write_bytes(body.encode(marked) if marked else b"\xfe\xff" + body.encode(codec))
    result = read_inputs([txt, rows])
    assert not result.skips
    assert [a.id for a in result.articles] == ["story", "r1", "r2"]
    assert result.articles[0].title == "Clashes in the north"
    assert result.articles[2].source == f"{rows}:2"


def test_unmarked_windows_1252_text_is_read(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes("Title\n\nThe minister\u2019s convoy was attacked.".encode("cp1252"))
    [article] = read_inputs([path]).articles
    assert "minister\u2019s" in article.text


# -- only regular files are read ----------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_special_files_and_links_are_skips_never_reads(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # stat says 0 bytes; reading it never ends
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")  # opening it for reading would wait for a writer
    (tmp_path / "good.txt").write_text("A title\n\n" + STORY, encoding="utf-8")
    result = read_inputs([tmp_path])
    assert [a.id for a in result.articles] == ["good"]
    assert reasons(result) == {
        str(tmp_path / "zero.txt"): "not a regular file: a character device",
        str(tmp_path / "gone.txt"): "broken symbolic link: its target does not exist",
        str(tmp_path / "pipe.jsonl"): "not a regular file: a FIFO",
    }
    named = read_inputs([tmp_path / "pipe.jsonl", tmp_path / "gone.txt", "/dev/null"])
    assert [s.reason for s in named.skips] == ["not a regular file: a FIFO",
                                               "broken symbolic link: its target does not exist",
                                               "not a regular file: a character device"]


def test_a_linked_folder_is_read_and_a_link_loop_is_a_skip(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "story.txt").write_text("A title\n\n" + STORY, encoding="utf-8")
    top = tmp_path / "top"
    top.mkdir()
    (top / "linked").symlink_to(real)
    (real / "back").symlink_to(top)  # top/linked/back is top again
    result = read_inputs([top])
    assert [a.source for a in result.articles] == [str(top / "linked" / "story.txt")]
    assert reasons(result) == {str(top / "linked" / "back"): "a folder already read, reached again through a "
                                                              "symbolic link"}
    assert [a.id for a in read_inputs([top / "linked"]).articles] == ["story"]


def test_hidden_files_in_a_folder_are_listed_not_lost(tmp_path):
    (tmp_path / ".draft.txt").write_text("A title\n\n" + STORY, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / "story.txt").write_text("A title\n\n" + STORY, encoding="utf-8")
    result = read_inputs([tmp_path])
    assert [a.id for a in result.articles] == ["story"]
    assert reasons(result) == {str(tmp_path / ".draft.txt"): "hidden file", str(tmp_path / ".git"): "hidden folder"}


# -- bounded reads and streaming ----------------------------------------------------------

def test_a_document_is_read_up_to_the_limit_and_no_further(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 5000)

    class Endless(io.RawIOBase):
        served = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"x" * len(buffer)
            Endless.served += len(buffer)
            return len(buffer)

    result = read_inputs(["-"], stdin=Endless())
    assert reasons(result) == {"<stdin>": "too large: more than 5000 bytes, the most read of one document"}
    assert Endless.served <= 5001 + readers.SNIFF_BYTES


def test_rows_flow_before_the_whole_input_is_read():
    class Rows(io.RawIOBase):
        """A JSONL stream that counts how much of it has been read."""

        def __init__(self):
            self.data = jsonl([{"id": f"r{i}", "text": STORY} for i in range(20_000)]).encode()
            self.pos = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.data[self.pos:self.pos + len(buffer)]
            buffer[:len(chunk)] = chunk
            self.pos += len(chunk)
            return len(chunk)

    stream = Rows()
    items = iter_inputs(["-"], stdin=stream)
    first = next(items)
    assert isinstance(first, Article) and first.id == "r0"
    assert stream.pos < len(stream.data) / 10
    assert sum(1 for _ in items) == 19_999


def test_standard_input_is_sniffed_as_csv():
    [article] = read_inputs(["-"], stdin=io.BytesIO(b'id,text\nc1,"Troops shelled the town, locals said."\n')).articles
    assert article.id == "c1" and article.source == "<stdin>:2"


# -- through the command line -------------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_cli_skips_special_files_at_once_with_a_line_each(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.txt")
    done = run("code", tmp_path / "zero.txt", tmp_path / "pipe.txt", "--json")
    err = done.stderr.decode()
    assert done.returncode == 1 and done.stdout == b""
    assert f"skipped {tmp_path / 'zero.txt'}: not a regular file: a character device" in err
    assert f"skipped {tmp_path / 'pipe.txt'}: not a regular file: a FIFO" in err
    assert "Traceback" not in err


def test_cli_reads_a_utf16_file_and_rows_with_raw_separators(tmp_path):
    (tmp_path / "story.txt").write_bytes("Strike on a convoy\n\nAn air strike hit a convoy near Kunduz on "
                                         "Monday, killing six fighters, officials said.".encode("utf-16"))
    (tmp_path / "rows.jsonl").write_text(jsonl([{"id": "r1", "text": "Gunmen killed three\u2028villagers in "
                                                 "Zamfara state on Sunday, police said."}]), encoding="utf-8")
    done = run("code", tmp_path, "--json", "--published", "2024-03-06")
    assert done.returncode == 0, done.stderr.decode()
    # our own JSON lines escape U+2028, so even str.splitlines() reads one record a line
    ids = {json.loads(line)["article_id"] for line in done.stdout.decode().splitlines()}
    assert ids == {"story", "r1"}
    assert "skipped " not in done.stderr.decode()


def test_cli_refuses_what_it_cannot_code_without_loading_the_model(tmp_path):
    """Nothing to code: a missing model is never noticed, because it is never loaded."""
    (tmp_path / "french.txt").write_text("Manifestation\n\nLa police a dispersé les manifestants avec des gaz "
                                         "lacrymogènes mardi soir dans le centre de la capitale.", encoding="utf-8")
    done = run("code", tmp_path / "french.txt", "--spacy-model", "en_core_web_nonexistent")
    assert done.returncode == 1
    assert "not English: detected 'fr'" in done.stderr.decode()
    assert "nonexistent" not in done.stderr.decode()


def test_lazy_pipeline_loads_only_for_an_article_to_code():
    from eventwire import Pipeline
    from eventwire.ingest import make_article

    pipeline = Pipeline.load(lazy=True)
    results = list(pipeline.code_many([make_article("too short"), make_article("1234 5678 9999 " * 10)]))
    assert all(isinstance(r, Skipped) for _, r in results)
    assert not pipeline.loaded


def test_cli_stdin_over_the_limit_is_a_skip_not_a_crash():
    done = run("code", "-", stdin=b"word " * (readers.MAX_FILE_BYTES // 5 + 10))
    assert done.returncode == 1
    assert done.stderr.decode().splitlines()[0] == (
        f"skipped <stdin>: too large: more than {readers.MAX_FILE_BYTES} bytes, the most read of one document")


def test_lone_surrogates_in_a_row_become_replacement_characters(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"id": "s\\ud800", "text": "Police detained \\udfff two men.", "tags": ["\\ud83d"]}\n',
                    encoding="utf-8")
    [article] = read_inputs([path]).articles
    assert article.id == "s\ufffd" and "\ufffd two men" in article.text
    assert article.metadata == {"tags": ["\ufffd"]}


def test_cli_prints_one_line_per_skip_whatever_the_file_name(tmp_path):
    odd = tmp_path / "two\nlines.pdf"
    odd.write_bytes(b"%PDF")
    undecodable = os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt")
    with open(undecodable, "w", encoding="utf-8") as fh:
        fh.write("Titre\n\nLa police a dispersé les manifestants avec des gaz lacrymogènes mardi soir.")
    done = run("code", tmp_path)
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 1
    assert f"skipped {tmp_path}/two\\nlines.pdf: unsupported file type" in lines
    assert f"skipped {tmp_path}/caf\\xe9.txt: not English: detected 'fr'" in lines


def test_ingest_takes_the_coding_settings_too(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(jsonl([{"id": "a", "text": STORY}, {"id": "b", "text": STORY + " Two others were hurt."}]),
                    encoding="utf-8")
    done = run("ingest", rows, "--db", tmp_path / "s.db", "--json", "--max-seconds", "1e-9")
    summary = json.loads(done.stdout.decode().splitlines()[-1])
    assert (summary["new"], summary["skipped"]) == (0, 2)
    assert f"skipped {rows}:1: took longer than 1e-09 s" in done.stderr.decode()


# -- second review: more inputs that must cost one line, not a file or the run -------------------

def test_a_json_number_too_long_to_convert_skips_its_line_only(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"id": "n", "text": ' + "9" * 5000 + "}\n" + jsonl([{"id": "ok", "text": STORY}]),
                    encoding="utf-8")
    result = read_inputs([path])
    assert [a.id for a in result.articles] == ["ok"]
    assert reasons(result)[f"{path}:1"].startswith("invalid JSON: Exceeds the limit (4300 digits)")


def test_nul_characters_never_reach_a_database(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(jsonl([{"id": "a\u0000b", "text": STORY}, {"id": "c", "title": "T\u0000", "text": "x\u0000y " + STORY}]),
                    encoding="utf-8")
    result = read_inputs([path])
    assert reasons(result) == {f"{path}:1": "field 'id' holds a NUL character"}
    [article] = result.articles
    assert "\x00" not in article.text and article.text.startswith("T\ufffd\n\nx\ufffdy ")


def test_binary_lines_before_the_first_row_cost_those_lines_only(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_bytes(b"\n" + jsonl([{"id": "a", "text": STORY}]).encode() + b"\x00" * 20 + b"\n"
                     + jsonl([{"id": "b", "text": STORY}]).encode())
    table = tmp_path / "rows.csv"
    table.write_bytes(b"\x00\x00\x00\nid,text\nc,\"" + STORY.encode() + b"\"\n")
    result = read_inputs([rows, table])
    assert [a.id for a in result.articles] == ["a", "b", "c"]
    assert reasons(result) == {f"{rows}:3": "binary data (NUL bytes), not a JSON row",
                               f"{table}:1": "binary data (NUL bytes)"}


def test_a_quoted_csv_field_left_open_is_one_skip_for_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 5_000)
    path = tmp_path / "open.csv"
    path.write_text('id,text\nok,"' + STORY + '"\nbad,"never closed\n' + ("more text\n" * 1_000)
                    + 'later,"' + STORY + '"\n', encoding="utf-8")
    result = read_inputs([path])
    assert [a.id for a in result.articles] == ["ok"]
    [skip] = result.skips
    assert skip.reason == ("a quoted field runs on for more than 5000 bytes: the rest of the file cannot be split "
                           "into rows")


def test_a_csv_with_only_a_header_says_so(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("id,text,title\n", encoding="utf-8")
    assert reasons(read_inputs([path])) == {str(path): "CSV has a header but no rows"}


def test_an_html_page_is_read_up_to_its_own_smaller_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_HTML_BYTES", 3_000)
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>" + STORY * 60 + "</p></body></html>", encoding="utf-8")
    assert reasons(read_inputs([path])) == {
        str(path): "too large: more than 3000 bytes, the most read of one HTML page"}


def test_a_folder_named_like_a_feed_is_a_folder(tmp_path):
    from eventwire.batch import read_all

    folder = tmp_path / "news.urls"
    folder.mkdir()
    (folder / "story.txt").write_text("A title\n\n" + STORY, encoding="utf-8")
    assert [a.id for a in read_all([str(folder)]).articles] == ["story"]


def test_cli_closed_or_unreadable_standard_input_is_a_skip(tmp_path):
    closed = subprocess.run(EVENTWIRE + ["code", "-"], capture_output=True, stdin=subprocess.DEVNULL, timeout=60,
                            preexec_fn=lambda: os.close(0))
    assert closed.returncode == 1
    assert closed.stderr.decode().splitlines()[0] == "skipped <stdin>: standard input is closed"
    with open(tmp_path / "out", "w") as write_only:
        unreadable = subprocess.run(EVENTWIRE + ["code", "-"], capture_output=True, stdin=write_only, timeout=60)
    assert unreadable.returncode == 1
    assert unreadable.stderr.decode().splitlines()[0] == "skipped <stdin>: cannot read standard input: Bad file descriptor"
