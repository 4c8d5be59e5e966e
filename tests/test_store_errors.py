"""A store that cannot be used is one line, never a traceback, and loses nothing: a missing store, a
file that is no store, a read-only file, folder or file system, a full disk, a PostgreSQL server
that goes away; and the read commands never change a store they only read.

Read-only media and full disks are real where the machine allows it: a read-only bind mount and a
tiny tmpfs in a user namespace (``unshare -Urm``), and, for a test run as root (which chmod does not
stop), a process without CAP_DAC_OVERRIDE (``setpriv``). Where neither is possible those cases skip
with the reason; the library-level cases (SQLite's ``max_page_count``, a file that answers ENOSPC)
run everywhere.
"""
from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import PG, ROOT
from eventwire.cli import main

STORM = ROOT / "tests" / "data" / "storm.jsonl"
AGAIN = "then run the same command again: everything stored so far is kept"
READ_COMMANDS = (["events"], ["stats"], ["skips"], ["explain", "c-000000000000"],
                 ["export", "--format", "jsonl", "-o", "{tmp}/out.jsonl"])


def cli(*argv, cwd=None, prefix=(), env=None, timeout=600) -> subprocess.CompletedProcess:
    """The real command line in a new process."""
    return subprocess.run([*prefix, sys.executable, "-m", "eventwire", *map(str, argv)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line(err: str) -> str:
    """The error line of a command that failed with one line and no traceback."""
    assert "Traceback" not in err, err
    lines = [x for x in err.splitlines() if x.startswith("eventwire: error: ")]
    assert len(lines) == 1, err
    return lines[0][len("eventwire: error: "):]


def digest(folder: Path) -> dict[str, str]:
    """Every file in a folder with its bytes' hash: what "left as it was" means."""
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def storm_db(tmp_path_factory, pipeline) -> Path:
    """A SQLite store of the media storm, built once; tests copy it."""
    from eventwire.batch import ingest
    from eventwire.store import open_store

    path = tmp_path_factory.mktemp("storm") / "storm.db"
    with open_store(path) as store:
        ingest([str(STORM)], store, pipeline)
    return path


def assert_unchanged(folder: Path, before: dict[str, str]) -> None:
    """The store's file has the same bytes; a WAL-mode reader may leave only its side files beside it
    (an empty -wal and the -shm index, where the folder lets it create them)."""
    after = digest(folder)
    for name in set(after) - set(before):
        assert name.endswith(("-shm", "-wal")), name
        assert not name.endswith("-wal") or (folder / name).stat().st_size == 0
        del after[name]
    assert after == before


def _copy(src: Path, folder: Path, name: str = "store.db") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, folder / name)
    return folder / name


# -- a missing store, a file that is no store ----------------------------------------------------

@pytest.mark.parametrize("argv", READ_COMMANDS, ids=lambda a: a[0])
def test_a_read_command_on_a_missing_store_says_how_to_make_one(capsys, tmp_path, argv):
    missing = tmp_path / "nothing.db"
    code, out, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv], "--db", missing)
    assert code == 2 and out == ""
    assert one_line(err) == f"no store at {missing} (create one with `eventwire ingest FILES --db {missing}`)"
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_events_without_a_store_creates_nothing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "EVENTWIRE_DB"}
    done = cli("events", cwd=tmp_path, env=env)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("eventwire: error: no store at eventwire.db (create one with `eventwire ingest FILES`, "
                           "or name another with --db or $EVENTWIRE_DB)\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", READ_COMMANDS + (["link"], ["ingest", str(STORM)]), ids=lambda a: a[0])
def test_a_sqlite_file_that_is_no_store_is_refused_and_left_as_it_was(capsys, tmp_path, argv):
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
        conn.execute("INSERT INTO customers VALUES ('Ada')")
    conn.close()
    before = digest(tmp_path)
    code, out, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv], "--db", foreign)
    assert code == 2 and out == ""
    assert one_line(err) == (f"{foreign} is not an eventwire store: it holds other tables (customers) "
                             "(give the path of an eventwire store, or a new file for a new one)")
    assert digest(tmp_path) == before  # its bytes unchanged, and no -wal or -shm beside it
    with sqlite3.connect(foreign) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]
    conn.close()


def test_an_empty_file_is_no_store_to_read(capsys, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    code, _, err = run(capsys, "stats", "--db", empty)
    assert code == 2 and one_line(err) == (f"{empty} is empty, not an eventwire store "
                                           f"(create one with `eventwire ingest FILES --db {empty}`)")
    assert empty.read_bytes() == b""


def test_a_folder_is_no_store(capsys, tmp_path):
    code, _, err = run(capsys, "events", "--db", tmp_path)
    assert code == 2 and one_line(err) == f"{tmp_path} is a folder, not a store (give the store's file, " \
                                          f"e.g. {tmp_path / 'eventwire.db'})"


@pytest.mark.parametrize("argv", READ_COMMANDS + (["link"], ["ingest", str(STORM)]), ids=lambda a: a[0])
def test_a_fifo_is_no_store_and_nothing_waits_for_it(tmp_path, argv):
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    # a timeout, not a hang, if SQLite is ever handed the FIFO again (it waits for a writer)
    done = cli(*[a.format(tmp=tmp_path) for a in argv], "--db", fifo, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert one_line(done.stderr) == (f"{fifo} is a FIFO, not a store file "
                                     "(give the path of an eventwire store, or a new file for a new one)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.db"] and fifo.is_fifo()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("argv", (["events"], ["ingest", str(STORM)]), ids=lambda a: a[0])
def test_a_device_is_no_store(capsys, argv):
    code, out, err = run(capsys, *argv, "--db", "/dev/zero")
    assert code == 2 and out == ""
    assert one_line(err) == ("/dev/zero is a character device, not a store file "
                             "(give the path of an eventwire store, or a new file for a new one)")


# -- read commands read; they write only to link or upgrade, and only where they may -------------

def test_read_commands_leave_the_store_unchanged(capsys, storm_db, tmp_path):
    store = _copy(storm_db, tmp_path / "s")
    before = digest(store.parent)
    for argv in (["events"], ["stats", "--by", "country,week"], ["skips"],
                 ["export", "--format", "geojson", "-o", tmp_path / "out.geojson"]):
        code, _, err = run(capsys, *argv, "--db", store)
        assert code == 0, err
    assert_unchanged(store.parent, before)


def _unlinked_store(db_target, pipeline, tmp_path) -> int:
    """A store an interrupted ingest left with events not yet in a cluster; returns how many."""
    from eventwire.batch import ingest
    from eventwire.store import open_store

    with open_store(db_target) as store:
        ingest([str(STORM)], store, pipeline, link=False)
        return store.count_unlinked()


def test_stats_links_what_an_interrupted_ingest_left_only_where_it_may_write(db_target, pipeline, tmp_path, capsys):
    from eventwire.store import open_store

    unlinked = _unlinked_store(db_target, pipeline, tmp_path)
    assert unlinked > 10
    shown = db_target if "://" not in db_target else "postgresql://…@" + db_target.split("@", 1)[1]
    code, out, err = run(capsys, "stats", "--db", db_target, "--read-only", "--json")
    assert code == 0 and out == ""  # nothing is in a cluster yet: no groups
    assert err.splitlines()[0] == (f"eventwire: note: {unlinked} event(s) not yet in a cluster are left out; "
                                   f"`eventwire link --db {shown}` would link them")
    with open_store(db_target, readonly=True) as store:
        assert store.count_unlinked() == unlinked  # --read-only wrote nothing
    code, out, err = run(capsys, "stats", "--db", db_target, "--json")
    assert code == 0 and err.splitlines()[0] == f"eventwire: linked {unlinked} event(s) not yet in a cluster"
    assert sum(json.loads(line)["events"] for line in out.splitlines()) > 5
    with open_store(db_target, readonly=True) as store:
        assert store.count_unlinked() == 0


def test_an_older_schema_is_upgraded_only_where_it_may_be_written(db_target, capsys):
    from eventwire.store import SCHEMA_VERSION, Store
    from eventwire.store.db import connect
    from eventwire.store.schema import migrate, schema_version

    db = connect(db_target)
    migrate(db, target=SCHEMA_VERSION - 1)
    db.close()
    shown = db_target if "://" not in db_target else "postgresql://…@" + db_target.split("@", 1)[1]
    code, _, err = run(capsys, "events", "--db", db_target, "--read-only")
    assert code == 2 and one_line(err) == (
        f"{shown} has schema version {SCHEMA_VERSION - 1}, older than this eventwire's ({SCHEMA_VERSION}), and "
        f"cannot be upgraded: it was opened read-only (upgrade it once where it can be written "
        f"(`eventwire link --db {shown}`), then read it)")
    db = connect(db_target, readonly=True)
    assert schema_version(db) == SCHEMA_VERSION - 1
    db.close()
    code, out, err = run(capsys, "events", "--db", db_target)
    assert code == 0 and out == "(no rows)\n"
    assert err.splitlines()[0] == (f"eventwire: upgraded {shown} from schema v{SCHEMA_VERSION - 1} "
                                   f"to v{SCHEMA_VERSION}")
    with Store(connect(db_target), readonly=True) as store:
        assert store.schema == SCHEMA_VERSION


# -- read-only files, folders and file systems --------------------------------------------------

def _without_root_powers(tmp_path) -> list[str]:
    """A command prefix under which permissions hold: none for a normal user; for root, which chmod
    does not stop, setpriv dropping CAP_DAC_OVERRIDE; else the test skips."""
    if os.geteuid() != 0:
        return []
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0o444)
    try:
        tried = subprocess.run([*prefix, sys.executable, "-c", f"open({str(probe)!r}, 'w')"], capture_output=True)
    except OSError:
        tried = None
    probe.chmod(0o644)
    probe.unlink()
    if tried is None or tried.returncode == 0:
        pytest.skip("run as root, where chmod does not stop writes, and setpriv cannot drop CAP_DAC_OVERRIDE here")
    return prefix


READ_ONLY_FILE = ("the file is read-only", "make it writable (chmod u+w {db}), or give another --db")
READ_ONLY_FOLDER = ("its folder {folder} is read-only (SQLite writes store.db-wal and store.db-shm beside it)",
                    "make the folder writable, or move the store to one that is")


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_store_is_read_and_writers_say_why_they_cannot_write(storm_db, tmp_path, what):
    prefix = _without_root_powers(tmp_path)
    db = _copy(storm_db, tmp_path / "ro")
    folder = db.parent
    reason, hint = READ_ONLY_FILE if what == "file" else READ_ONLY_FOLDER
    db.chmod(0o444) if what == "file" else folder.chmod(0o555)
    try:
        before = digest(folder)
        for argv in (["ingest", STORM], ["link"]):
            done = cli(*argv, "--db", db, prefix=prefix, cwd=tmp_path)
            assert done.returncode == 2 and done.stdout == ""
            assert done.stderr == (f"eventwire: error: cannot write to {db}: {reason.format(folder=folder)} "
                                   f"({hint.format(db=db)})\n")
        done = cli("stats", "--db", db, "--by", "country", prefix=prefix, cwd=tmp_path)
        assert done.returncode == 0 and "SOM" in done.stdout, done.stderr
        done = cli("export", "--db", db, "--format", "jsonl", "-o", tmp_path / "out.jsonl", prefix=prefix,
                   cwd=tmp_path)
        assert done.returncode == 0 and (tmp_path / "out.jsonl").read_text().count("\n") > 5, done.stderr
        assert_unchanged(folder, before)
    finally:
        db.chmod(0o644)
        folder.chmod(0o755)


def test_reading_a_read_only_store_leaves_nothing_that_stops_a_writer_later(storm_db, tmp_path):
    prefix = _without_root_powers(tmp_path)
    db = _copy(storm_db, tmp_path / "ro")
    db.chmod(0o444)
    try:
        for argv in (["events"], ["stats"], ["skips"], ["export", "--format", "jsonl", "-o", tmp_path / "out.jsonl"]):
            done = cli(*argv, "--db", db, prefix=prefix, cwd=tmp_path)
            assert done.returncode == 0, done.stderr
        assert sorted(p.name for p in db.parent.iterdir()) == ["store.db"]  # no read-only -wal or -shm
    finally:
        db.chmod(0o644)  # as the writers' hint says: chmod u+w
    done = cli("link", "--db", db, prefix=prefix, cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_read_only_side_files_are_named_with_their_fix(storm_db, tmp_path):
    # what a reader of a read-only store used to leave: -wal and -shm files as read-only as the store
    prefix = _without_root_powers(tmp_path)
    db = _copy(storm_db, tmp_path / "ro")
    db.chmod(0o444)
    uri = f"file:{db}?mode=ro"
    read = subprocess.run([*prefix, sys.executable, "-c", "import sqlite3; sqlite3.connect(%r, uri=True)"
                           ".execute('SELECT COUNT(*) FROM articles').fetchone()" % uri], capture_output=True)
    db.chmod(0o644)
    assert read.returncode == 0 and sorted(p.name for p in db.parent.iterdir()) == [
        "store.db", "store.db-shm", "store.db-wal"]
    try:
        done = cli("link", "--db", db, prefix=prefix, cwd=tmp_path)
    finally:
        for side in db.parent.iterdir():
            side.chmod(0o644)
    assert done.returncode == 2 and done.stderr == (
        f"eventwire: error: cannot write to {db}: its side files store.db-wal and store.db-shm are read-only "
        f"(make them writable (chmod u+w {db}-wal {db}-shm), or give another --db)\n")


def test_a_store_that_may_not_be_read_says_so(storm_db, tmp_path):
    prefix = _without_root_powers(tmp_path)
    db = _copy(storm_db, tmp_path / "locked")
    db.chmod(0o000)
    try:
        done = cli("events", "--db", db, prefix=prefix, cwd=tmp_path)
    finally:
        db.chmod(0o644)
    assert done.returncode == 2 and done.stderr == (f"eventwire: error: cannot read {db}: permission denied "
                                                    "(ask its owner for read access)\n")


@functools.lru_cache(maxsize=1)
def _namespace_reason() -> str | None:
    if not shutil.which("unshare") or not shutil.which("mount"):
        return "unshare or mount is not installed"
    tried = subprocess.run(["unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null "
                                                             "|| mount -t tmpfs -o size=64k tmpfs /tmp"],
                           capture_output=True, text=True)
    if tried.returncode != 0:
        return f"no user namespace with mounts here ({(tried.stderr or 'unshare failed').strip()[:80]})"
    return None


needs_namespace = pytest.mark.skipif(_namespace_reason() is not None, reason=str(_namespace_reason()))

# Run inside the namespace, after the mount: every command, with its exit code and output, as JSON.
_DRIVER = textwrap.dedent("""
    import json, shutil, subprocess, sys
    commands, copy_from, copy_to = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
    out = []
    for argv in commands:
        done = subprocess.run([sys.executable, "-m", "eventwire", *argv], capture_output=True, text=True)
        out.append([done.returncode, done.stdout, done.stderr])
    if copy_to:
        shutil.copytree(copy_from, copy_to)
    print(json.dumps(out))
""")


def _in_namespace(mount: str, folder: Path, commands: list[list], copy_to: Path | None = None) -> list:
    """Run eventwire commands in a user namespace where ``mount`` (a shell command on "$1", the
    folder) has been done; optionally copy the folder out before the namespace (and a tmpfs) goes."""
    script = f'{mount} && exec "$2" -c "$3" "$4" "$1" "$5"'
    done = subprocess.run(["unshare", "-Urm", "sh", "-c", script, "sh", str(folder), sys.executable, _DRIVER,
                           json.dumps([[str(a) for a in c] for c in commands]), str(copy_to or "")],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@needs_namespace
def test_a_store_on_a_read_only_file_system_is_read_and_never_written(storm_db, pipeline, tmp_path):
    from eventwire.batch import ingest
    from eventwire.store import open_store

    db = _copy(storm_db, tmp_path / "media")
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "late", "text": "Gunmen attacked a bus near Garissa, Kenya, on Tuesday, "
                                 "killing six passengers, police said.", "published": "2026-03-11"}) + "\n")
    with open_store(db) as store:  # one article an interrupted ingest left unlinked
        ingest([str(extra)], store, pipeline, link=False)
        unlinked = store.count_unlinked()
    assert unlinked >= 1
    before = digest(db.parent)
    results = _in_namespace('mount --bind -o ro "$1" "$1"', db.parent, [
        ["events", "--db", db, "--country", "SOM"],
        ["stats", "--db", db, "--by", "country"],
        ["skips", "--db", db],
        ["export", "--db", db, "--format", "acled-csv", "-o", tmp_path / "out.csv"],
        ["ingest", extra, "--db", db],
        ["link", "--db", db],
    ])
    (events, stats, skips, export, ingest_, link) = results
    assert events[0] == 0 and "Baidoa" in events[1], events
    note = (f"eventwire: note: {unlinked} event(s) not yet in a cluster are left out; "
            f"`eventwire link --db {db}` would link them")
    assert stats[0] == 0 and "SOM" in stats[1] and stats[2].splitlines()[0] == note, stats
    assert skips[0] == 0 and skips[1] == "(no rows)\n", skips
    assert export[0] == 0 and export[2].splitlines()[0] == note, export
    assert (tmp_path / "out.csv").read_text().count("\n") > 5
    for done in (ingest_, link):
        assert done[0] == 2 and done[2] == (
            f"eventwire: error: cannot write to {db}: it is on a read-only file system (copy it to a writable disk "
            "to add to it; events, stats, skips, explain and export read it where it is)\n"), done
    assert digest(db.parent) == before


@needs_namespace
def test_changes_a_read_only_file_system_keeps_from_being_read_are_an_error(storm_db, tmp_path):
    folder = tmp_path / "media"
    db = _copy(storm_db, folder)
    with sqlite3.connect(db) as conn:  # a writer that stopped before merging its log into the file
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("UPDATE articles SET title = title || '!'")
        conn.commit()
        for name in (f"{db.name}-wal", f"{db.name}-shm"):
            shutil.copy(db.parent / name, tmp_path / name)
    conn.close()
    shutil.copy(tmp_path / f"{db.name}-wal", folder / f"{db.name}-wal")
    (folder / f"{db.name}-shm").unlink(missing_ok=True)  # its index is gone, and cannot be rebuilt there
    [(code, out, err)] = _in_namespace('mount --bind -o ro "$1" "$1"', folder, [["events", "--db", db]])
    assert code == 2 and out == ""
    assert err == (f"eventwire: error: cannot read {db}: {db.name}-wal holds changes that cannot be read here: it "
                   "is on a read-only file system (open it once where it can be written, which merges them into "
                   "the file, or copy the store with its -wal file to a writable folder)\n")
    shutil.copy(tmp_path / f"{db.name}-shm", folder / f"{db.name}-shm")  # with its index it reads as it is
    [(code, out, err)] = _in_namespace('mount --bind -o ro "$1" "$1"', folder, [["events", "--db", db, "--json"]])
    assert code == 0 and all(json.loads(line)["title"].endswith("!") for line in out.splitlines())


# -- a full disk -------------------------------------------------------------------------------

def _integrity(db: Path) -> tuple[int, int]:
    """(articles, articles whose stored events are not all there) of a store, after checking the file."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        torn = conn.execute("SELECT COUNT(*) FROM articles a WHERE n_events <> "
                            "(SELECT COUNT(*) FROM events e WHERE e.article_id = a.id)").fetchone()[0]
    conn.close()
    return articles, torn


def _finish_and_check(db: Path, pipeline) -> None:
    """The same batch run again, with room, stores every article once."""
    from eventwire.batch import ingest
    from eventwire.store import open_store

    with open_store(db) as store:
        ingest([str(STORM)], store, pipeline)
        assert store.counts()["articles"] == 45 and store.skips() == []
        assert store.db.one("SELECT COUNT(DISTINCT content_hash) AS n FROM articles")["n"] == 45


def test_a_full_disk_stops_an_ingest_with_one_error_and_loses_nothing(pipeline, tmp_path):
    from eventwire.batch import ingest
    from eventwire.errors import StoreError
    from eventwire.store import open_store

    db = tmp_path / "full.db"
    store = open_store(db)
    pages = store.db.one("PRAGMA page_count")["page_count"]
    store.db.execute(f"PRAGMA max_page_count = {pages + 50}")  # room for some of the 45 articles only
    with pytest.raises(StoreError) as caught:
        ingest([str(STORM)], store, pipeline)
    store.close()
    assert str(caught.value) == f"cannot write to {db}: the disk is full (free some space, {AGAIN})"
    articles, torn = _integrity(db)
    assert 0 < articles < 45 and torn == 0
    with open_store(db) as store:
        assert store.skips() == []  # no article was recorded as a skip for want of space
    _finish_and_check(db, pipeline)


_FULL_AFTER = textwrap.dedent("""
    import sys
    from eventwire.store import db
    opened = db.SQLiteDatabase.__init__

    def small(self, path, readonly=False):  # a disk with room for 40 more pages than an empty store needs
        opened(self, path, readonly)
        self.conn.execute("PRAGMA max_page_count = 84")

    db.SQLiteDatabase.__init__ = small
    from eventwire.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_full_disk_during_ingest_through_the_command_line(pipeline, tmp_path):
    db = tmp_path / "full.db"
    done = subprocess.run([sys.executable, "-c", _FULL_AFTER, "ingest", str(STORM), "--db", str(db)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and done.stdout == ""
    assert one_line(done.stderr) == f"cannot write to {db}: the disk is full (free some space, {AGAIN})"
    articles, torn = _integrity(db)
    assert 0 < articles < 45 and torn == 0
    _finish_and_check(db, pipeline)


@needs_namespace
def test_a_really_full_disk_stops_ingest_and_export_with_one_line(storm_db, pipeline, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    db = small / "store.db"
    (results, exported) = _in_namespace('mount -t tmpfs -o size=600k tmpfs "$1"', small, [
        ["ingest", STORM, "--db", db],
        ["export", "--db", storm_db, "--format", "jsonl", "-o", small / "out.jsonl"],
    ], copy_to=tmp_path / "copied")
    assert results[0] == 2 and one_line(results[2]) == f"cannot write to {db}: the disk is full (free some space, " \
                                                       f"{AGAIN})"
    assert exported[0] == 2 and exported[2] == (f"eventwire: error: cannot write {small / 'out.jsonl'}: the disk is "
                                                "full (free some space, or write elsewhere; no partial file was left)\n")
    copied = tmp_path / "copied"
    assert sorted(p.name for p in copied.iterdir() if not p.name.startswith("store.db")) == []  # no export, no temp
    articles, torn = _integrity(copied / "store.db")
    assert articles < 45 and torn == 0
    _finish_and_check(copied / "store.db", pipeline)


# -- exports: where they cannot be written, and a disk that fills up while writing -----------------

def test_export_to_a_folder_or_into_a_missing_folder(storm_db, tmp_path):
    done = cli("export", "--db", storm_db, "--format", "acled-csv", "-o", tmp_path)
    assert done.returncode == 2 and done.stderr == (f"eventwire: error: cannot write {tmp_path}: it is a folder "
                                                    f"(give a file name, e.g. {tmp_path / 'events.csv'})\n")
    target = tmp_path / "no" / "such" / "x.geojson"
    done = cli("export", "--db", storm_db, "--format", "geojson", "-o", target)
    assert done.returncode == 2 and done.stderr == (
        f"eventwire: error: cannot write {target}: folder {target.parent} does not exist "
        f"(create it first (mkdir -p {target.parent}), or write elsewhere)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _full_device(path: Path) -> Path:
    """A twin of /dev/full (a character device that refuses every write), where this process may make one."""
    import stat

    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here ({exc.strerror}): only root with CAP_MKNOD can")
    return path


@pytest.mark.parametrize("fmt", ["acled-csv", "plover-json", "geojson", "jsonl", "parquet"])
def test_export_to_a_device_that_refuses_it_is_one_line_and_keeps_the_device(storm_db, tmp_path, fmt):
    device = _full_device(tmp_path / "full")
    done = cli("export", "--db", storm_db, "--format", fmt, "-o", device)
    assert done.returncode == 2 and done.stderr == (f"eventwire: error: cannot write {device}, a character device: "
                                                    "No space left on device (write to a regular file instead)\n")
    assert device.is_char_device()  # pyarrow removes a path it failed to write: it is never given one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]  # and no temporary file beside it


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_export_to_a_fifo_is_written_directly(storm_db, tmp_path, fmt):
    import io
    import threading

    import eventwire.export as ex
    from eventwire.store import open_store
    from eventwire.store.query import cluster_records

    with open_store(storm_db, readonly=True) as store:
        records = cluster_records(store)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert ex.export(fmt, records, fifo).written == len(records)
    reader.join(timeout=60)
    [body] = received
    if fmt == "parquet":
        import pyarrow.parquet as pq

        assert pq.read_table(io.BytesIO(body)).num_rows == len(records)
    else:
        assert len(body.decode("utf-8").splitlines()) == len(records)
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


class _FillsUp:
    """A text file on a disk that is full after ``room`` characters."""

    def __init__(self, path, room: int):
        self.fh = open(path, "w", encoding="utf-8", newline="")
        self.room = room

    def write(self, text: str) -> int:
        if len(text) > self.room:
            self.fh.write(text[:self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(text)
        return self.fh.write(text)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()


@pytest.mark.parametrize("fmt", ["acled-csv", "plover-json", "geojson", "jsonl", "parquet"])
def test_a_full_disk_never_leaves_a_truncated_export(storm_db, tmp_path, monkeypatch, fmt):
    import eventwire.export as ex
    from eventwire.errors import OutputError
    from eventwire.store import open_store
    from eventwire.store.query import cluster_records

    with open_store(storm_db, readonly=True) as store:
        records = cluster_records(store)
    target = tmp_path / "events.out"
    target.write_text("an earlier, complete export\n")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        def fills_up(table, where, **kw):
            where.write(b"PAR1 half a file")  # pyarrow is given an open file, never a path to remove
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(pq, "write_table", fills_up)
    else:
        for writer in (ex.acled, ex.plover, ex.geojson, ex.tables):  # each format's module opens its file
            monkeypatch.setattr(writer, "_open_text", lambda path: _FillsUp(path, room=2000))
    with pytest.raises(OutputError) as caught:
        ex.export(fmt, records, target)
    assert str(caught.value) == (f"cannot write {target}: the disk is full "
                                 "(free some space, or write elsewhere; no partial file was left)")
    assert [p.name for p in tmp_path.iterdir()] == ["events.out"]  # no temporary file left behind
    assert target.read_text() == "an earlier, complete export\n"


def test_an_export_appears_only_when_complete(storm_db, tmp_path, monkeypatch):
    import eventwire.export as ex
    from eventwire.store import open_store
    from eventwire.store.query import cluster_records

    with open_store(storm_db, readonly=True) as store:
        records = cluster_records(store)
    seen = []
    real = ex.tables._open_text

    def watched(path):
        seen.append((Path(path).name, sorted(p.name for p in tmp_path.iterdir())))
        return real(path)
    monkeypatch.setattr(ex.tables, "_open_text", watched)
    ex.export("jsonl", records, tmp_path / "events.jsonl")
    [(written_to, present)] = seen
    assert written_to.startswith(".events.jsonl.") and written_to.endswith(".part") and present == []
    assert [p.name for p in tmp_path.iterdir()] == ["events.jsonl"]
    assert len((tmp_path / "events.jsonl").read_text().splitlines()) == len(records)


# -- a PostgreSQL server that goes away --------------------------------------------------------

@pytest.mark.skipif(not PG, reason="EVENTWIRE_TEST_PG is not set: no PostgreSQL server to test against")
def test_the_postgresql_server_going_away_mid_ingest_is_one_line(capsys, monkeypatch):
    import psycopg

    from conftest import reset_pg
    from eventwire.store import Store

    reset_pg()
    put = Store.put_article
    stored = []

    def put_then_cut(self, *args, **kwargs):
        result = put(self, *args, **kwargs)
        stored.append(result)
        if len(stored) == 3:  # the server drops the store's connection (a restart, an admin, a failover)
            with psycopg.connect(PG, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s, 5000)", (self.db.conn.info.backend_pid,))
        return result
    monkeypatch.setattr(Store, "put_article", put_then_cut)
    code, out, err = run(capsys, "ingest", STORM, "--db", PG)
    assert code == 2 and out == ""
    shown = "postgresql://…@" + PG.split("@", 1)[1]
    assert one_line(err) == (f"lost the connection to {shown}: terminating connection due to administrator command "
                             f"(check that the server is running, {AGAIN})")
    monkeypatch.setattr(Store, "put_article", put)
    code, out, err = run(capsys, "ingest", STORM, "--db", PG, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["new"] == 42 and summary["already_stored"] == 3 and summary["store"]["articles"] == 45
