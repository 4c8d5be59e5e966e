"""Readers for each input format. Nothing is lost: every input is an Article or a Skipped."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from eventwire.errors import InputError
from eventwire.models import Article, Skipped

__all__ = ["IngestResult", "read_inputs", "read_path", "make_article", "parse_date"]

MAX_FILE_BYTES = 50_000_000
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
    """Build an Article whose text is the title, a blank line, then the body."""
    title = " ".join((title or "").split())
    body = (body or "").strip("\n")
    text = f"{title}\n\n{body}" if title else body
    return Article(
        id=str(id) if id not in (None, "") else text_hash(text),
        text=text, title=title, published=parse_date(published), url=url or None,
        language=language or None, source=source, metadata=dict(metadata or {}),
    )


def _decode(raw: bytes, source: str) -> str:
    if b"\x00" in raw[:8192]:
        raise InputError(f"{source}: binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(f"{source}: not UTF-8 text") from None
        return text


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


def _from_rows(rows: Iterable[tuple[int, Any]], source: str) -> IngestResult:
    result = IngestResult()
    for number, row in rows:
        where = f"{source}:{number}"
        if isinstance(row, InputError):
            result.skips.append(Skipped(where, "ingest", row.message))
            continue
        try:
            result.articles.append(_row_article(row, where))
        except InputError as exc:
            result.skips.append(Skipped(where, "ingest", exc.message))
    return result


def _jsonl_rows(text: str) -> Iterable[tuple[int, Any]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, InputError(f"invalid JSON: {exc.msg} at column {exc.colno}")


def _csv_rows(text: str) -> Iterable[tuple[int, Any]]:
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        yield 1, InputError(f"broken CSV: {exc}")
        return
    if not fieldnames or "text" not in fieldnames:
        yield 1, InputError("CSV has no 'text' column")
        return
    try:
        for row in reader:
            yield reader.line_num, {k: v for k, v in row.items() if k is not None}
    except csv.Error as exc:
        yield reader.line_num, InputError(f"broken CSV: {exc}")


def _sniff(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("<"):
        return "html"
    return "txt"


def read_text(text: str, kind: str, source: str, stem: str) -> IngestResult:
    """Parse already-decoded input of a known kind (txt, html, jsonl, csv)."""
    if kind == "txt":
        return _from_txt(text, source, stem)
    if kind == "html":
        return _from_html(text, source, stem)
    if kind == "jsonl":
        result = _from_rows(_jsonl_rows(text), source)
    else:
        result = _from_rows(_csv_rows(text), source)
    if not result.articles and not result.skips:
        result.skips.append(Skipped(source, "ingest", "empty file"))
    return result


def read_path(path: str | Path, stdin: Any = None) -> IngestResult:
    """Read one file, directory or ``-`` (standard input)."""
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin
        raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        raw = raw.encode("utf-8") if isinstance(raw, str) else raw
        try:
            text = _decode(raw, "<stdin>")
        except InputError as exc:
            return IngestResult(skips=[Skipped("<stdin>", "ingest", exc.message)])
        return read_text(text, _sniff(text), "<stdin>", "stdin")
    p = Path(path)
    if p.is_dir():
        result = IngestResult()
        for child in sorted(x for x in p.rglob("*") if x.is_file()):
            if child.name.startswith("."):
                continue
            if child.suffix.lower() not in SUFFIXES:
                result.skips.append(Skipped(str(child), "ingest", "unsupported file type"))
                continue
            result.extend(read_path(child))
        return result
    if not p.exists():
        return IngestResult(skips=[Skipped(str(p), "ingest", "no such file")])
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        return IngestResult(skips=[Skipped(str(p), "ingest", f"file too large: {size} bytes (limit {MAX_FILE_BYTES})")])
    try:
        text = _decode(p.read_bytes(), str(p))
    except InputError as exc:
        return IngestResult(skips=[Skipped(str(p), "ingest", exc.message.split(": ", 1)[-1])])
    except OSError as exc:
        return IngestResult(skips=[Skipped(str(p), "ingest", f"cannot read: {exc.strerror}")])
    kind = SUFFIXES.get(p.suffix.lower()) or _sniff(text)
    return read_text(text, kind, str(p), p.stem)


def read_inputs(paths: Iterable[str | Path], published: Any = None, stdin: Any = None) -> IngestResult:
    """Read every path; ``published`` (YYYY-MM-DD) sets or overrides the publication date."""
    override = parse_date(published)
    result = IngestResult()
    for path in paths:
        result.extend(read_path(path, stdin=stdin))
    if override is not None:
        from dataclasses import replace
        result.articles = [replace(a, published=override) for a in result.articles]
    return result
