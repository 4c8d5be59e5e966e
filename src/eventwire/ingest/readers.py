"""Readers for each input format. Nothing is lost: every input is an Article or a Skipped.

Reading is streamed and bounded. Only regular files are opened for reading (a FIFO, a device or a
broken link is a recorded skip, never a read that waits or never ends); a document (a text or HTML
file, or a text on standard input) is read up to ``MAX_FILE_BYTES`` and no further; JSONL and CSV
are read a line at a time, so a file of any size flows to coding row by row, each line no longer
than ``MAX_FILE_BYTES``. Every row read is either an Article or a Skipped that names its line.
JSONL lines end at a line feed only: a raw U+2028 or form feed inside a JSON string is part of its row.
"""
from __future__ import annotations

import codecs
import collections
import csv
import itertools
import errno
import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Union

from eventwire.errors import InputError
from eventwire.models import SURROGATE, Article, Skipped

__all__ = ["IngestResult", "Item", "iter_inputs", "iter_path", "read_inputs", "read_path", "read_text",
           "read_local_bytes", "make_article", "parse_date"]

MAX_FILE_BYTES = 50_000_000  # the most read of one document, and the longest line of a JSONL/CSV file
# HTML is extracted whole before the article checks can run: 10 MB of markup is already far more
# than any article's text (the default --max-chars is 200,000) and takes seconds to parse.
MAX_HTML_BYTES = 10_000_000
CHUNK_BYTES = 1 << 16
SNIFF_BYTES = 4096
MIN_HTML_TEXT = 40
SUFFIXES = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html",
            ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
KNOWN_FIELDS = {"id", "doc_id", "text", "title", "published", "url", "language"}


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    skips: list[Skipped] = field(default_factory=list)

    def extend(self, other: "IngestResult") -> None:
        self.articles.extend(other.articles)
        self.skips.extend(other.skips)

    def add(self, item: "Item") -> None:
        (self.articles if isinstance(item, Article) else self.skips).append(item)

    @classmethod
    def collect(cls, items: Iterable["Item"]) -> "IngestResult":
        result = cls()
        for item in items:
            result.add(item)
        return result


Item = Union[Article, Skipped]


def parse_date(value: Any) -> date | None:
    """An ISO date or datetime string (or date) as a date; None for empty; InputError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(f"not a date: {text!r}", "use YYYY-MM-DD") from None


def text_hash(text: str, length: int = 16) -> str:
    """A hash of the text with whitespace normalised (an article id of last resort; the store's identity)."""
    norm = " ".join(text.split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:length]


def make_article(body: str, *, title: str = "", id: str | None = None, published: Any = None,
                 url: str | None = None, language: str | None = None, source: str | None = None,
                 metadata: dict[str, Any] | None = None) -> Article:
    """Build an Article whose text is the title, a blank line, then the body.

    NUL characters, which no database text column takes, become U+FFFD in the text; an id holding
    one is an InputError (an id must name the article exactly).
    """
    title = " ".join((title or "").replace("\x00", "\ufffd").split())
    body = (body or "").replace("\x00", "\ufffd").strip("\n")
    text = f"{title}\n\n{body}" if title else body
    if id not in (None, "") and "\x00" in str(id):
        raise InputError("field 'id' holds a NUL character")
    return Article(
        id=str(id) if id not in (None, "") else text_hash(text),
        text=text, title=title, published=parse_date(published), url=url or None,
        language=language or None, source=source, metadata=dict(metadata or {}),
    )



def _skip(source: str | Path, reason: str) -> Skipped:
    return Skipped(_name(source), "ingest", reason)


def _name(path: str | Path) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 shown as \\xNN."""
    text = str(path)
    return os.fsencode(text).decode("utf-8", "backslashreplace") if SURROGATE.search(text) else text


def _clean(value: Any) -> Any:
    """A parsed JSON value with lone surrogates ("\\ud800" escapes, valid JSON but not text) as U+FFFD."""
    if isinstance(value, str):
        return SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


# -- bytes in: bounded reads of one stream ------------------------------------------------------

# Byte-order marks, longest first: UTF-32's starts with UTF-16's.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _bom(head: bytes) -> tuple[str | None, int]:
    """The codec a byte-order mark names and the mark's length, else (None, 0)."""
    for mark, codec in BOMS:
        if head.startswith(mark):
            return codec, len(mark)
    return None, 0


def _decode_8bit(raw: bytes) -> str | None:
    """UTF-8, else Windows-1252 (what unmarked non-UTF-8 news text nearly always is), else None."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return None


class _Stream:
    """A binary stream read in chunks, never more than asked: a document up to a limit, or lines."""

    def __init__(self, fh: Any, limit: int | None = None):
        self.fh = fh
        self.limit = limit or MAX_FILE_BYTES
        self.buf = bytearray()
        self.eof = False

    def _fill(self, want: int = CHUNK_BYTES) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(want)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        return True

    def chunks(self) -> Iterator[bytes]:
        """The rest of the stream, buffered bytes first, a chunk at a time."""
        while self.buf or self._fill():
            chunk = bytes(self.buf)
            self.buf.clear()
            yield chunk

    def head(self, n: int = SNIFF_BYTES) -> bytes:
        while len(self.buf) < n and self._fill(n - len(self.buf)):
            pass
        return bytes(self.buf[:n])

    def skip(self, n: int) -> None:
        self.head(n)
        del self.buf[:n]

    def document(self) -> bytes | None:
        """Everything, or None when there is more than ``limit`` bytes (reading stops there)."""
        while len(self.buf) <= self.limit and self._fill(min(CHUNK_BYTES, self.limit + 1 - len(self.buf))):
            pass
        return None if len(self.buf) > self.limit else bytes(self.buf)

    def byte_lines(self) -> Iterator[bytes | None]:
        """Lines split at line feeds only, without them; None for a line longer than ``limit`` (skipped whole)."""
        scan = 0
        while True:
            cut = self.buf.find(b"\n", scan)
            if cut >= 0:
                line = bytes(self.buf[:cut]) if cut <= self.limit else None
                del self.buf[:cut + 1]
                scan = 0
                yield line
                continue
            if len(self.buf) > self.limit:
                yield None
                self._drop_to_newline()
                scan = 0
                continue
            scan = len(self.buf)
            if not self._fill():
                if self.buf:
                    line = bytes(self.buf)
                    self.buf.clear()
                    yield line
                return

    def _drop_to_newline(self) -> None:
        while True:
            cut = self.buf.find(b"\n")
            if cut >= 0:
                del self.buf[:cut + 1]
                return
            self.buf.clear()
            if not self._fill():
                return


JSON_SPACE = " \t\r\n"  # a line of nothing else is blank; any other character makes it a row to read
TOO_LONG = object()  # a line over the limit
UNDECODABLE = object()  # a line in no encoding we read


def _text_lines(stream: _Stream, codec: str | None) -> Iterator[tuple[int, Any]]:
    """(line number, text with its line feed) for each line; TOO_LONG or UNDECODABLE in place of a bad one.

    Unmarked text is split as bytes, so one undecodable or over-long line costs that line only.
    Text with a UTF-16/32 mark is decoded as it streams and split at line feeds after decoding.
    """
    if codec is None or codec == "utf-8":
        for number, raw in enumerate(stream.byte_lines(), 1):
            if raw is None:
                yield number, TOO_LONG
                continue
            text = _decode_8bit(raw)
            yield number, (UNDECODABLE if text is None else text + "\n")
        return
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    limit = stream.limit // 2  # characters: at least two bytes each in UTF-16 and UTF-32
    parts: list[str] = []  # the line so far, in pieces: joined once, so a long line costs its length
    size = number = 0
    too_long = False
    for chunk in itertools.chain(stream.chunks(), [None]):
        text = decoder.decode(chunk, final=False) if chunk is not None else decoder.decode(b"", final=True)
        pieces = text.split("\n")
        for piece in pieces[:-1]:
            number += 1
            yield number, (TOO_LONG if too_long or size + len(piece) > limit else "".join(parts) + piece + "\n")
            parts, size, too_long = [], 0, False
        last = pieces[-1]
        if too_long or size + len(last) > limit:
            parts, size, too_long = [], 0, True  # keep reading to its end, holding nothing
        else:
            parts.append(last)
            size += len(last)
    if too_long or size:
        yield number + 1, TOO_LONG if too_long else "".join(parts)


def _decode_document(raw: bytes, codec: str | None) -> str:
    """A whole document as text; InputError("binary file, not text" | "not ... text")."""
    if codec and codec != "utf-8":
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            raise InputError(f"not valid {codec.upper()} text") from None
    if b"\x00" in raw[:8192]:
        raise InputError("binary file, not text")
    text = _decode_8bit(raw)
    if text is None:
        raise InputError("not UTF-8 text")
    return text


# -- documents and rows -------------------------------------------------------------------
def _from_txt(text: str, source: str, stem: str) -> IngestResult:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.strip("\n").split("\n", 1)
    if not lines[0].strip():
        return IngestResult(skips=[Skipped(source, "ingest", "empty file")])
    title, body = lines[0].strip(), (lines[1] if len(lines) > 1 else "")
    return IngestResult(articles=[make_article(body.strip("\n"), title=title, id=stem, source=source)])


def _from_html(html: str, source: str, stem: str) -> IngestResult:
    import trafilatura

    if not html.strip():
        return IngestResult(skips=[Skipped(source, "ingest", "empty file")])
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          as_dict=True)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return IngestResult(skips=[Skipped(source, "ingest", f"HTML could not be parsed: {type(exc).__name__}")])
    text = (doc or {}).get("text") or ""
    if len(text.strip()) < MIN_HTML_TEXT:
        return IngestResult(skips=[Skipped(source, "ingest", f"no main text found in the HTML "
                                                             f"({len(text.strip())} characters)")])
    published = None
    try:
        published = parse_date(doc.get("date"))
    except InputError:
        published = None
    article = make_article(doc["text"], title=doc.get("title") or "", id=stem, published=published,
                           url=doc.get("url"), source=source)
    return IngestResult(articles=[article])


def _row_article(row: dict[str, Any], source: str) -> Article:
    if not isinstance(row, dict):
        raise InputError("row is not an object")
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("row has no 'text'")
    for name in ("title", "url", "language", "published"):
        if row.get(name) is not None and not isinstance(row[name], str):
            raise InputError(f"field {name!r} is not a string")
    rid = row.get("id")
    if rid in (None, ""):
        rid = row.get("doc_id")
    meta = {k: v for k, v in row.items() if k not in KNOWN_FIELDS}
    if "doc_id" in row and rid != row.get("doc_id"):
        meta["doc_id"] = row["doc_id"]
    try:
        published = parse_date(row.get("published"))
    except InputError as exc:  # keep the article; relative dates then stay unresolved
        published = None
        meta["published_unparsed"] = row.get("published")
        meta["note"] = f"publication date ignored: {exc.message}"
    if isinstance(rid, (dict, list)):
        raise InputError("field 'id' is not a string or number")
    return make_article(text, title=row.get("title") or "", id=rid, published=published,
                        url=row.get("url"), language=row.get("language"), source=source, metadata=meta)




def _jsonl_items(lines: Iterable[tuple[int, Any]], source: str) -> Iterator[Item]:
    for number, line in lines:
        where = f"{source}:{number}"
        if line is TOO_LONG:
            yield _skip(where, f"line too long: more than {MAX_FILE_BYTES} bytes")
            continue
        if line is UNDECODABLE:
            yield _skip(where, "not UTF-8 text")
            continue
        if "\x00" in line:
            yield _skip(where, "binary data (NUL bytes), not a JSON row")
            continue
        if not line.strip(JSON_SPACE):
            continue
        try:
            row = json.loads(line)
            if "\\u" in line:
                row = _clean(row)
        except json.JSONDecodeError as exc:
            yield _skip(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield _skip(where, "invalid JSON: nested too deeply")
            continue
        except ValueError as exc:  # e.g. an integer longer than Python converts
            yield _skip(where, f"invalid JSON: {str(exc).split(';')[0]}")
            continue
        yield _row_item(row, where)


def _row_item(row: Any, where: str) -> Item:
    try:
        return _row_article(row, where)
    except InputError as exc:
        return _skip(where, exc.message)


class _RunawayRecord(Exception):
    """A CSV record (a quoted field left open) ran past the limit: its end cannot be found."""


def _csv_items(lines: Iterable[tuple[int, Any]], source: str) -> Iterator[Item]:
    """Rows of a CSV file with a header; a broken or unreadable line costs that line only.

    A quoted field left open swallows the lines after it; once one record has read more than the
    limit, the rest of the file cannot be split into records again, so that is one skip for the rest.
    """
    csv.field_size_limit(MAX_FILE_BYTES)
    bad: collections.deque[Skipped] = collections.deque()
    last = [0]
    record_bytes = [0]

    def clean() -> Iterator[str]:
        for number, line in lines:
            last[0] = number
            if line is TOO_LONG or line is UNDECODABLE or "\x00" in line:
                why = ("line too long" if line is TOO_LONG else "not UTF-8 text" if line is UNDECODABLE
                       else "binary data (NUL bytes)")
                bad.append(_skip(f"{source}:{number}", why))
                continue
            record_bytes[0] += len(line)
            if record_bytes[0] > MAX_FILE_BYTES:
                raise _RunawayRecord
            yield line

    reader = csv.reader(clean())
    header: list[str] | None = None
    rows = 0
    while True:
        record_bytes[0] = 0
        try:
            record = next(reader)
        except StopIteration:
            break
        except _RunawayRecord:
            yield from _drain(bad)
            yield _skip(f"{source}:{last[0]}", f"a quoted field runs on for more than {MAX_FILE_BYTES} bytes: "
                                               "the rest of the file cannot be split into rows")
            return
        except csv.Error as exc:
            yield from _drain(bad)
            yield _skip(f"{source}:{last[0]}", f"broken CSV: {exc}")
            continue
        yield from _drain(bad)
        if header is None:
            if not any(cell.strip() for cell in record):
                continue
            header = record
            if "text" not in header:
                yield _skip(f"{source}:{last[0]}", "CSV has no 'text' column")
                return
            continue
        if not any(cell.strip() for cell in record):
            continue
        rows += 1
        row = {name: value for name, value in zip(header, record) if name}
        yield _row_item(row, f"{source}:{last[0]}")
    yield from _drain(bad)
    if header is not None and not rows:
        yield _skip(source, "CSV has a header but no rows")


def _drain(bad: collections.deque[Skipped]) -> Iterator[Skipped]:
    while bad:
        yield bad.popleft()


def _sniff(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("<"):
        return "html"
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        if "," in first and "text" in next(csv.reader([first]), []):
            return "csv"
    except csv.Error:
        pass
    return "txt"


def read_text(text: str, kind: str, source: str, stem: str) -> IngestResult:
    """Parse already-decoded input of a known kind (txt, html, jsonl, csv)."""
    return IngestResult.collect(_text_items(text, kind, source, stem))


def _text_items(text: str, kind: str, source: str, stem: str) -> Iterator[Item]:
    if kind in ("txt", "html"):
        result = (_from_txt if kind == "txt" else _from_html)(text, source, stem)
        yield from result.articles
        yield from result.skips
        return
    lines = ((n, line + "\n") for n, line in enumerate(text.split("\n"), 1))
    yield from _rows(lines, kind, source)


def _rows(lines: Iterable[tuple[int, Any]], kind: str, source: str) -> Iterator[Item]:
    empty = True
    for item in (_jsonl_items if kind == "jsonl" else _csv_items)(lines, source):
        empty = False
        yield item
    if empty:
        yield _skip(source, "empty file")


def _binary_without_rows(head: bytes, kind: str) -> bool:
    """NUL bytes in the first few kilobytes and not one line there that starts a row: not a row file.

    One bad line (a NUL-padded tail, a stray binary line) leaves the file's rows to be read.
    """
    if b"\x00" not in head:
        return False
    for line in head.split(b"\n"):
        line = line.strip()
        if kind == "jsonl" and line.startswith(b"{"):
            return False
        if kind == "csv" and b"text" in line and b"\x00" not in line:
            return False
    return True


def _stream_items(fh: Any, source: str, stem: str, kind: str | None) -> Iterator[Item]:
    """Everything in one binary stream: a document read whole (bounded), or rows a line at a time."""
    stream = _Stream(fh)
    head = stream.head()
    codec, mark = _bom(head)
    if kind is None:
        sample = head[mark:]
        kind = _sniff(sample.decode(codec or "utf-8", errors="ignore"))
    stream.skip(mark)
    if kind in ("jsonl", "csv"):
        if codec is None and _binary_without_rows(head[mark:], kind):
            yield _skip(source, "binary file, not text")
            return
        lines = _text_lines(stream, codec)
        yield from _rows(lines, kind, source)
        return
    if kind == "html":
        stream.limit = min(stream.limit, MAX_HTML_BYTES)
    raw = stream.document()
    if raw is None:
        yield _skip(source, f"too large: more than {stream.limit} bytes, the most read of one "
                            f"{'HTML page' if kind == 'html' else 'document'}")
        return
    try:
        text = _decode_document(raw, codec)
    except InputError as exc:
        yield _skip(source, exc.message)
        return
    yield from _text_items(text, kind, source, stem)


# -- paths: only regular files are read -------------------------------------------------------

FILE_TYPES = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
              (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, from its ``st_mode``: "a FIFO", "a folder", ..."""
    return next((name for test, name in FILE_TYPES if test(mode)), "not a file")


def _not_regular(mode: int) -> str:
    return f"not a regular file: {file_kind(mode)}"


def _stat(p: Path) -> os.stat_result | Skipped:
    """The stat of what the path points at, or the skip that says why it cannot be read."""
    try:
        return p.stat()
    except FileNotFoundError:
        return _skip(str(p), "broken symbolic link: its target does not exist" if p.is_symlink() else "no such file")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _skip(str(p), "symbolic link loop")
        return _skip(str(p), f"cannot read: {exc.strerror or exc}")


def _open_regular(p: Path) -> BinaryIO | Skipped:
    """Open a regular file for reading without ever blocking on a FIFO or a device."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        return _skip(str(p), f"cannot read: {exc.strerror or exc}")
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        return _skip(str(p), _not_regular(mode))
    return os.fdopen(fd, "rb")


def read_local_bytes(path: str | Path, limit: int | None = None) -> bytes | Skipped:
    """The bytes of a regular file of at most ``limit`` bytes, or the skip that says why not."""
    p = Path(path)
    found = _stat(p)
    if isinstance(found, Skipped):
        return found
    if not stat.S_ISREG(found.st_mode):
        return _skip(str(p), _not_regular(found.st_mode))
    fh = _open_regular(p)
    if isinstance(fh, Skipped):
        return fh
    stream = _Stream(fh, limit)
    with fh:
        try:
            raw = stream.document()
        except OSError as exc:
            return _skip(str(p), f"cannot read: {exc.strerror or exc}")
    return raw if raw is not None else _skip(str(p), f"too large: more than {stream.limit} bytes")


def _file_items(p: Path) -> Iterator[Item]:
    fh = _open_regular(p)
    if isinstance(fh, Skipped):
        yield fh
        return
    with fh:
        try:
            yield from _stream_items(fh, _name(p), _name(p.stem), SUFFIXES.get(p.suffix.lower()))
        except OSError as exc:  # a read error part-way: what was read is kept, the rest is a skip
            yield _skip(str(p), f"cannot read: {exc.strerror or exc}")


def _dir_items(root: Path) -> Iterator[Item]:
    """Every file under a folder, in name order, symbolic links followed once (a loop is a skip).

    Hidden files and folders (a name starting with '.') are not read, and each is listed as a
    skip, so nothing under the folder goes unmentioned.
    """
    seen: set[tuple[int, int]] = set()

    def walk(folder: Path, info: os.stat_result) -> Iterator[Item]:
        key = (info.st_dev, info.st_ino)
        if key in seen:
            yield _skip(str(folder), "a folder already read, reached again through a symbolic link")
            return
        seen.add(key)
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            yield _skip(str(folder), f"cannot read folder: {exc.strerror or exc}")
            return
        for name in names:
            child = folder / name
            found = _stat(child)
            if isinstance(found, Skipped):
                yield found
            elif name.startswith("."):
                yield _skip(str(child), "hidden " + ("folder" if stat.S_ISDIR(found.st_mode) else "file"))
            elif stat.S_ISDIR(found.st_mode):
                yield from walk(child, found)
            elif not stat.S_ISREG(found.st_mode):
                yield _skip(str(child), _not_regular(found.st_mode))
            elif child.suffix.lower() not in SUFFIXES:
                yield _skip(str(child), "unsupported file type")
            else:
                yield from _file_items(child)

    found = _stat(root)
    if isinstance(found, Skipped):
        yield found
    else:
        yield from walk(root, found)


def iter_path(path: str | Path, stdin: Any = None) -> Iterator[Item]:
    """Each article or skip in one file, folder or ``-`` (standard input), as it is read."""
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin
        if stream is None:
            yield _skip("<stdin>", "standard input is closed")
            return
        try:
            yield from _stream_items(getattr(stream, "buffer", stream), "<stdin>", "stdin", None)
        except OSError as exc:  # a closed or write-only descriptor
            yield _skip("<stdin>", f"cannot read standard input: {exc.strerror or exc}")
        return
    p = Path(path)
    found = _stat(p)
    if isinstance(found, Skipped):
        yield found
    elif stat.S_ISDIR(found.st_mode):
        yield from _dir_items(p)
    elif not stat.S_ISREG(found.st_mode):
        yield _skip(str(p), _not_regular(found.st_mode))
    else:
        yield from _file_items(p)


def read_path(path: str | Path, stdin: Any = None) -> IngestResult:
    """Read one file, directory or ``-`` (standard input) whole."""
    return IngestResult.collect(iter_path(path, stdin))


def iter_inputs(paths: Iterable[str | Path], published: Any = None, stdin: Any = None) -> Iterator[Item]:
    """Each article or skip in every path, streamed; ``published`` (YYYY-MM-DD) sets the publication date.

    A bad ``published`` raises InputError before anything is read.
    """
    override = parse_date(published)

    def items() -> Iterator[Item]:
        for path in paths:
            for item in iter_path(path, stdin=stdin):
                yield replace(item, published=override) if override and isinstance(item, Article) else item

    return items()


def read_inputs(paths: Iterable[str | Path], published: Any = None, stdin: Any = None) -> IngestResult:
    """Read every path whole; ``published`` (YYYY-MM-DD) sets or overrides the publication date."""
    return IngestResult.collect(iter_inputs(paths, published, stdin))
