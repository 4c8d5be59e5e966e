"""The README's dataset examples work on the store `make demo` builds, copied as they are.

The demo store is built the way the Makefile's ``demo`` target builds it (its ``ingest`` line, read
from the Makefile), then every command in the README's "A dataset: ingest, link, query, export"
code block runs through the real command line with only the store's path (and an output file's
folder) put elsewhere, and must answer something. A README that drifts from what eventwire does (a
cluster id the demo does not produce, a flag that is gone) fails here.
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from conftest import ROOT

README = ROOT / "README.md"
MAKEFILE = ROOT / "Makefile"
SECTION = "## A dataset: ingest, link, query, export"


def _makefile_demo() -> tuple[str, list[str]]:
    """(the demo store's file name, the ingest arguments) from the Makefile's demo target."""
    text = MAKEFILE.read_text(encoding="utf-8")
    store = re.search(r"^DEMO_DB\s*:=\s*(\S+)", text, re.M).group(1)
    target = text.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    [line] = [x.strip() for x in target.splitlines() if "/bin/eventwire ingest " in x]
    argv = shlex.split(line.replace("$(DEMO_DB)", store))
    return store, argv[1:]


def _readme_commands() -> list[list[str]]:
    """Every command of the first code block after the section heading, comments dropped."""
    text = README.read_text(encoding="utf-8")
    block = text.split(SECTION, 1)[1].split("```", 2)[1]
    commands = [shlex.split(line, comments=True) for line in block.splitlines()]
    commands = [c for c in commands if c]
    assert commands and all(c[0] == ".venv/bin/eventwire" for c in commands), commands
    return [c[1:] for c in commands]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory, pipeline):
    from eventwire.batch import ingest
    from eventwire.store import open_store

    name, argv = _makefile_demo()
    assert argv[0] == "ingest" and "--db" in argv
    paths = [str(ROOT / a) for a in argv[1:argv.index("--db")]]
    path = tmp_path_factory.mktemp("demo") / name
    with open_store(path) as store:
        summary = ingest(paths, store, pipeline)
    assert summary.new > 45
    return name, path


def test_the_readme_examples_use_the_demo_store():
    name, _ = _makefile_demo()
    for argv in _readme_commands():
        assert argv[argv.index("--db") + 1] == name, argv  # every example names the store make demo built


@pytest.mark.parametrize("argv", _readme_commands(), ids=lambda argv: argv[0])
def test_a_readme_example_answers_on_the_demo_store(demo_store, argv, tmp_path):
    name, path = demo_store
    argv = [str(path) if a == name else a for a in argv]
    if "-o" in argv:
        output = tmp_path / argv[argv.index("-o") + 1]
        argv[argv.index("-o") + 1] = str(output)
    done = subprocess.run([sys.executable, "-m", "eventwire", *argv], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-1500:]
    assert "Traceback" not in done.stderr
    if argv[0] == "ingest":
        assert re.search(r"eventwire: 0 new, 0 updated, [1-9]\d* already stored", done.stderr), done.stderr
    elif argv[0] == "export":
        assert len(output.read_text(encoding="utf-8").splitlines()) > 1  # a header and rows
    else:
        assert done.stdout.strip() and done.stdout.strip() != "(no rows)", done.stdout
