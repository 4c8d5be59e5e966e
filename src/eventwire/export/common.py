"""What every export format shares: the record shape, safe values and atomic files."""
from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from eventwire.errors import OutputError, first_line
from eventwire.models import http_url, json_line

FORMATS = ("acled-csv", "plover-json", "geojson", "parquet", "jsonl")
SUFFIXES = {"acled-csv": ".csv", "plover-json": ".json", "geojson": ".geojson", "parquet": ".parquet",
            "jsonl": ".jsonl"}

Record = dict[str, Any]


@dataclass
class ExportResult:
    """Rows written, and how many clusters were left out for each reason."""

    written: int = 0
    left_out: dict[str, int] = field(default_factory=dict)



# ---------------------------------------------------------------- shared helpers


def _event(rec: Record) -> Record:
    return rec.get("event") or {}


def _location(ev: Record) -> Record:
    return ev.get("location") or {}


def _day(value: Any) -> date | None:
    """A date from an ISO string (or a date), None when missing or malformed."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _figure(rng: Record | None, key: str) -> int | None:
    value = (rng or {}).get(key)
    return int(value) if isinstance(value, (int, float)) else None


def _parties(ev: Record, role: str) -> list[Record]:
    """Named actors in ``role``, those with a sector first, each name once, else in coded order."""
    named = [a for a in ev.get("actors") or [] if a.get("role") == role and a.get("name")]
    named.sort(key=lambda a: 0 if a.get("sector") else 1)  # stable: coded order within each group
    seen: set[str] = set()
    out = []
    for actor in named:
        key = actor["name"].casefold()
        if key not in seen:
            seen.add(key)
            out.append(actor)
    return out


def _first(actors: list[Record]) -> Record:
    return actors[0] if actors else {}


def _publisher(source: Record) -> str:
    """The publisher's name, else the URL's host, else the article id."""
    if source.get("publisher"):
        return str(source["publisher"])
    url = http_url(source.get("url")) or ""
    host = re.sub(r"^www\.", "", re.sub(r"^[a-z]+://", "", url, flags=re.I).split("/")[0])
    return host or str(source.get("article_id") or "unknown source")


def _publishers(rec: Record) -> list[str]:
    """Every source's publisher once, in the cluster's source order."""
    return list(dict.fromkeys(_publisher(s) for s in rec.get("sources") or []))


def _open_text(path: str | Path) -> TextIO:
    return open(path, "w", encoding="utf-8", newline="")


# ---------------------------------------------------------------- safe values and safe files

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text and never runs as a formula.

    OWASP's rule for CSV injection: text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading ``'``. Numbers are left as they are, so a numeric column stays
    numeric: values that are not strings, strings that are a plain number (``-3.5``, ``+2``, ``1e-3``)
    and a lone ``-`` or ``+`` (nothing to run). Used for every CSV eventwire writes (``events --csv``,
    ``stats --csv``, the acled-csv export).

    >>> csv_cell("=1+2"), csv_cell("-3.5"), csv_cell(-3.5)
    ("'=1+2", '-3.5', -3.5)
    """
    if (isinstance(value, str) and value.startswith(_FORMULA_START) and value not in ("-", "+")
            and not _NUMBER.fullmatch(value)):
        return "'" + value
    return value


def _safe_urls(rec: Record) -> Record:
    """The record with every URL field that is not an http(s) URL emptied (None)."""
    out = dict(rec)
    if rec.get("sources"):
        out["sources"] = [dict(s, url=http_url(s["url"])) if isinstance(s, dict) and "url" in s else s
                          for s in rec["sources"]]
    if rec.get("members"):
        out["members"] = [dict(m, article=dict(m["article"], url=http_url(m["article"]["url"])))
                          if isinstance(m, dict) and isinstance(m.get("article"), dict) and "url" in m["article"]
                          else m
                          for m in rec["members"]]
    return out


def check_output(path: str | Path, suffix: str = ".csv") -> Path:
    """``path`` as a Path when a file can be written there; else an OutputError that says why
    (it is a folder, or its folder does not exist)."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder", f"give a file name, e.g. {target / ('events' + suffix)}")
    parent = target.parent
    if not parent.exists():
        raise OutputError(f"cannot write {path}: folder {parent} does not exist",
                          f"create it first (mkdir -p {parent}), or write elsewhere")
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: {parent} is a file, not a folder", "give a path inside a folder")
    return target


def _output_error(exc: OSError, path: str | Path) -> OutputError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc):
        return OutputError(f"cannot write {path}: the disk is full",
                           "free some space, or write elsewhere; no partial file was left")
    if exc.errno == errno.EROFS:
        return OutputError(f"cannot write {path}: read-only file system", "write it to a writable disk")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return OutputError(f"cannot write {path}: permission denied", "write it to a folder you may write to")
    return OutputError(f"cannot write {path}: {exc.strerror or exc}", "no partial file was left")


def _special_kind(target: Path) -> str | None:
    """What an existing target that is not a regular file is ("a character device", "a FIFO"), else None."""
    from eventwire.ingest.readers import file_kind

    try:
        mode = target.stat().st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else file_kind(mode)


@contextlib.contextmanager
def _atomic(path: str | Path, suffix: str) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed to ``path`` once the block has written it entirely
    (and flushed it to disk); removed, and nothing renamed, when the block fails. A device or a FIFO
    (/dev/null, /dev/stdout, a shell's process substitution) is written directly: it cannot be
    replaced by a rename, and is never removed."""
    target = check_output(path, suffix)
    kind = _special_kind(target)
    if kind is not None:
        try:
            yield target
        except OSError as exc:
            raise OutputError(f"cannot write {path}, {kind}: {exc.strerror or first_line(exc)}",
                              "write to a regular file instead") from exc
        return
    if target.is_symlink():
        target = target.resolve()
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise _output_error(exc, path) from exc
        raise


def _file_writer(suffix: str):
    """Make a writer safe: atomic output (``_atomic``) and only http(s) URLs in the records."""
    def wrap(write):
        @functools.wraps(write)
        def safe(records: Iterable[Record], path: str | Path, *args, **kwargs) -> ExportResult:
            with _atomic(path, suffix) as tmp:
                return write((_safe_urls(r) for r in records), tmp, *args, **kwargs)
        return safe
    return wrap



def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def _dumps(value: Any) -> str:
    return json_line(value, default=_json_default)

