"""Fuzz: 1,200 generated bad inputs through the real `code` and `ingest` commands, with a fixed seed.

Each run must end without a traceback, and every input must be accounted for: `ingest` stores
each file, and each line of a JSONL file, as an article, an alias or a skip with its reason, and
`code` codes or skips exactly as many inputs as `ingest` read. The inputs are generated here, from
words written for this test, so the test needs no third-party data.
"""
from __future__ import annotations

import codecs
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SEED = 20261207
N_FILES = 1200
EVENTWIRE = [sys.executable, "-m", "eventwire.cli"]

WORDS = ("police soldiers militants protesters villagers officials rebels army forces gunmen troops "
         "killed wounded arrested fired shelled attacked marched dispersed detained seized burned "
         "in near on at the a of and said Monday Friday yesterday town market border camp village "
         "capital province district at least two five dozens 12 300 tear gas air strike drone car bomb "
         "ceasefire talks sanctions aid convoy hospital school spokesman witnesses according to").split()
JUNK = ["\x00", "\x01", "\x1b[31m", "\u202e", "\u200b", "\ufeff", "\ud7ff", "\U0001f600", "\r", "\t", "\x0c",
        "\u2028", "\u0085", "<", ">", "&amp;", "&#0;", "{", "}", '"', "\\", ",", "\n", "\n\n", "é", "ß", "中文",
        "العربية", "кириллица"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 30))]
    return " ".join(words).capitalize() + rng.choice([".", ".", "!", "?", "", ";"])


def _prose(rng: random.Random, n: int | None = None) -> str:
    return " ".join(_sentence(rng) for _ in range(n or rng.randint(1, 12)))


def _noisy(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 40)):
        parts.append(rng.choice(JUNK) if rng.random() < 0.3 else _sentence(rng))
    return " ".join(parts)


def _random_text(rng: random.Random) -> str:
    return "".join(chr(rng.choice([rng.randint(0, 0x7f), rng.randint(0x80, 0xd7ff), rng.randint(0xe000, 0x10ffff)]))
                   for _ in range(rng.randint(0, 400)))


def _row(rng: random.Random) -> str:
    """One JSONL line: a good row, a row of the wrong shape, or not JSON at all."""
    kind = rng.randrange(14)
    text = _prose(rng) if rng.random() < 0.7 else _noisy(rng)
    if kind == 0:
        return "{broken" + text[:50]
    if kind == 1:
        return json.dumps([text])
    if kind == 2:
        return json.dumps({"text": rng.choice([None, 5, [], {}, "", "   ", True])})
    if kind == 3:
        return json.dumps({"id": {"x": 1}, "text": text})
    if kind == 4:
        return json.dumps({"text": text, "published": rng.choice(["yesterday", "2024-13-45", "0000-00-00", 5])})
    if kind == 5:
        return "[" * rng.randint(1000, 50_000)
    if kind == 6:
        return json.dumps({"text": text}).replace("}", "", 1)
    if kind == 7:
        return "\x00" * rng.randint(1, 300)
    if kind == 8:
        return json.dumps({"id": f"s{rng.randrange(10**9)}\ud800", "text": text + " \udfff"})
    if kind == 9:
        # a URL of its own: a row without an id at a URL already stored is a newer version of that article
        return json.dumps({"text": text, "title": rng.choice(JUNK), "url": rng.choice(
            ["javascript:alert(1)", "http://", "ftp://x", "", "not a url", f"https://example.org/{rng.randrange(10**9)}"])},
            ensure_ascii=False)
    if kind == 10:
        return rng.choice(["", '{"text": ' + "7" * rng.randint(4301, 9000) + "}", '{"id": "n\\u0000", "text": "x"}'])
    if kind == 11:
        return json.dumps({"text": text, "extra": {"nested": [text] * 3}}, ensure_ascii=False)
    return json.dumps({"id": f"r{rng.randrange(10**9)}", "text": text, "title": _sentence(rng)},
                      ensure_ascii=rng.random() < 0.5)


def _content(rng: random.Random) -> tuple[str, bytes]:
    """(file suffix, bytes) of one generated input."""
    kind = rng.randrange(16)
    if kind == 0:
        return rng.choice([".txt", ".jsonl", ".csv", ".html"]), os.urandom(0) + rng.randbytes(rng.randint(0, 3000))
    if kind == 1:
        return ".txt", _random_text(rng).encode("utf-8", "surrogatepass")
    if kind == 2:
        return ".txt", (_sentence(rng) + "\n\n" + _noisy(rng)).encode("utf-8", "surrogatepass")
    if kind == 3:
        return ".txt", (_sentence(rng) + "\n\n" + _prose(rng)).encode("utf-8")
    if kind in (4, 5):
        lines = [_row(rng) for _ in range(rng.randint(0, 12))]
        sep = rng.choice(["\n", "\n", "\r\n"])
        return ".jsonl", sep.join(lines).encode("utf-8", "surrogatepass")
    if kind == 6:
        # ids unique to the file: the same id in two files is one article, changed (the identity rule)
        rows = ["id,text,title"] + [f'{rng.randrange(10**9)}-{i},"{_prose(rng, 2)}",{rng.choice(JUNK)}'
                                    for i in range(rng.randint(0, 6))]
        if rng.random() < 0.5:
            rows.insert(rng.randint(1, len(rows)), rng.choice(['"unclosed,quote', "a,b\x00c", "1,2,3,4,5,6", ""]))
        return ".csv", "\n".join(rows).encode("utf-8", "surrogatepass")
    if kind == 7:
        return ".csv", rng.choice([b"", b"\n\n", b"id,body\n1,x\n", b'"\n', b"\r0", b"text\n" + b"\x00" * 50])
    if kind == 8:
        tags = ["<html>", "<body>", "<p>", "</p>", "<script>", "<!--", "-->", "<![CDATA[", "<div", "<title>",
                "<meta charset='x'>", "</html>"]
        parts = [rng.choice(tags) if rng.random() < 0.5 else _sentence(rng) for _ in range(rng.randint(0, 60))]
        return ".html", "".join(parts).encode("utf-8")
    if kind == 9:
        text = _sentence(rng) + "\n\n" + _prose(rng)
        codec = rng.choice(["utf-16", "utf-32", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-8-sig"])
        return rng.choice([".txt", ".jsonl"]), text.encode(codec, "replace")
    if kind == 10:
        return ".jsonl", codecs.BOM_UTF16_LE + "\n".join(_row(rng) for _ in range(4)).encode("utf-16-le",
                                                                                          "surrogatepass")
    if kind == 11:
        return rng.choice([".txt", ".jsonl", ".csv", ".html"]), rng.choice(
            [b"", b" ", b"\n\n\n", b"\t\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00"])
    if kind == 12:
        word = rng.choice(["killed", "police", "said", "in", "attack"])
        return ".txt", ("Title\n\n" + (word + rng.choice([" ", ". ", ", "])) * rng.randint(100, 3000)).encode()
    if kind == 13:
        return rng.choice([".pdf", ".docx", "", ".JSONL", ".TXT", ".json", ".md"]), rng.randbytes(rng.randint(0, 200))
    if kind == 14:
        return ".txt", ("x" * rng.randint(1, 50) + " " + "\u0301" * rng.randint(0, 500)).encode()
    return ".jsonl", ("\n" * rng.randint(0, 5)).encode() + rng.randbytes(rng.randint(1, 100))


def _name(rng: random.Random, i: int) -> bytes:
    stem = rng.choice([f"in{i:04d}", f"in {i:04d}", f"in-{i:04d}-é", f"in{i:04d}\xff", f"in{i:04d}\nx", f"-in{i:04d}"])
    return stem.encode("utf-8", "surrogateescape") if "\xff" not in stem else stem.replace("\xff", "").encode() + b"\xff"


def generate(folder: Path, n: int = N_FILES, seed: int = SEED) -> list[bytes]:
    """Write n generated inputs into folder (plus a few special files); return their paths as bytes."""
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        suffix, data = _content(rng)
        path = bytes(folder) + b"/" + _name(rng, i) + suffix.encode()
        with open(path, "wb") as fh:
            fh.write(data)
        paths.append(path)
    specials = {b"zero.txt": "/dev/zero", b"gone.txt": str(folder / "nothing-here"), b"loop": str(folder)}
    for name, target in specials.items():
        os.symlink(target, bytes(folder) + b"/" + name)
        paths.append(bytes(folder) + b"/" + name)
    os.mkfifo(bytes(folder) + b"/pipe.jsonl")
    paths.append(bytes(folder) + b"/pipe.jsonl")
    return paths


def _label(path: bytes) -> str:
    """A path as eventwire names it in skips and the store."""
    return path.decode("utf-8", "backslashreplace")


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    paths = generate(folder)
    return folder, paths


def _run(args, cwd):
    return subprocess.run(EVENTWIRE + [str(a) for a in args] + ["--max-seconds", "20"], capture_output=True,
                          cwd=cwd, timeout=1200)


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="needs a POSIX system")
def test_fuzzed_inputs_are_each_coded_or_skipped_with_a_reason(fuzzed, tmp_path):
    folder, paths = fuzzed
    db = tmp_path / "fuzz.db"
    ingest = _run(["ingest", folder, "--db", db, "--json", "--no-link"], tmp_path)
    err = ingest.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-3000:]
    assert ingest.returncode in (0, 1), err[-3000:]
    summary = json.loads(ingest.stdout.decode().splitlines()[-1])
    assert summary["inputs"] == summary["new"] + summary["updated"] + summary["already_stored"] + summary["skipped"]
    assert summary["updated"] == 0  # every generated article has an id, URL and text of its own
    assert summary["inputs"] >= len(paths)

    with sqlite3.connect(db) as conn:
        seen = [r[0] for r in conn.execute("SELECT source FROM articles UNION ALL SELECT source FROM "
                                           "article_aliases UNION ALL SELECT source FROM skips")]
        reasons = [r[0] for r in conn.execute("SELECT reason FROM skips")]
    assert all(reason and reason.strip() for reason in reasons)
    sources = set(seen)
    files = {s.rsplit(":", 1)[0] if re.search(r":\d+$", s) else s for s in sources}
    root = str(folder.resolve())
    missing = [p for p in paths if _label(p).replace(str(folder), root) not in files]
    assert not missing, missing[:10]

    # every non-blank JSONL line of a file that was read as rows is a row in the store
    for path in paths:
        label = _label(path).replace(str(folder), root)
        if not path.endswith(b".jsonl") or label in sources or not os.path.isfile(path):
            continue  # a skip for the whole file (binary, a FIFO, ...)
        with open(path, "rb") as fh:
            data = fh.read()
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
            continue  # decoded before it is split: line numbers follow the decoded text
        numbers = [n for n, line in enumerate(data.split(b"\n"), 1) if line.strip(b" \t\r\n")]
        rows = {f"{label}:{n}" for n in numbers}
        assert rows <= sources, sorted(rows - sources)[:5]

    # `code` reads the same inputs and accounts for as many
    code = _run(["code", folder, "--json"], tmp_path)
    err = code.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-3000:]
    assert code.returncode in (0, 1)
    last = err.strip().splitlines()[-1]
    coded, _, skipped = map(int, re.match(r"eventwire: (\d+) article\(s\) coded, (\d+) event\(s\), (\d+) skipped",
                                         last).groups())
    assert coded + skipped == summary["inputs"]
    for line in code.stdout.decode().splitlines():
        json.loads(line)
    for line in err.splitlines()[:-1]:
        assert re.match(r"(skipped .+: .+|Building .*|.*gazetteer.*|eventwire: .*)$", line), line
