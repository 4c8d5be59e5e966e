"""Fetch news from the web: single pages, RSS/Atom feeds and lists of URLs.

Everything goes through one :class:`Fetcher`, which is polite (a User-Agent that names
eventwire, a minimum delay between two requests to the same host, bounded retries with
exponential back-off that honours ``Retry-After``) and careful (a timeout, a size limit,
http and https only). Pages are turned into Articles by the same trafilatura extraction as
local HTML files (:func:`eventwire.ingest.readers.read_text`).

As in :mod:`eventwire.ingest.readers`, nothing is lost: every URL and every feed entry
becomes an :class:`~eventwire.models.Article` or a :class:`~eventwire.models.Skipped` with a
one-line reason. Network failures are skipped at stage ``"fetch"``; content that cannot be
understood (no main text, not a feed, a bad line in a URL list) at stage ``"ingest"``.

Nothing touches the network at import time, and feedparser never fetches by itself: feeds
are fetched with the Fetcher and parsed from bytes.

Example::

    from eventwire.ingest.fetch import Fetcher, read_sources
    result = read_sources(["https://example.org/feed.rss", "links.urls"], Fetcher())
"""
from __future__ import annotations

import hashlib
import http.client
import io
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from email.message import Message
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable, Iterable

from eventwire.errors import FetchError, InputError, ResourceMissing
from eventwire.ingest.readers import MAX_FILE_BYTES, IngestResult, make_article, read_path, read_text
from eventwire.models import Article, Skipped

__all__ = [
    "Fetcher", "FetchResult", "read_url", "read_feed", "read_url_list", "read_sources",
    "is_remote_or_feed", "is_url", "url_id",
]

SCHEMES = ("http", "https")
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
URL_LIST_SUFFIX = ".urls"
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/x-rss+xml", "application/xml", "text/xml", "application/feed+json"}
FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf", b"jsonfeed.org/version")
HTML_TYPES = {"text/html", "application/xhtml+xml"}
MIN_SUMMARY_CHARS = 200
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")


# -- fetching --------------------------------------------------------------------------------

@dataclass(frozen=True)
class FetchResult:
    """One successful response. ``url`` is the final URL, after redirects."""

    url: str
    status: int
    content_type: str  # media type only, lower case ("text/html"); "" when the server sent none
    body: bytes
    encoding: str | None  # the charset the server declared, if any

    def text(self) -> str:
        """The body decoded: the declared charset, else UTF-8, else trafilatura's guess."""
        for encoding in (self.encoding, "utf-8-sig"):
            if encoding:
                try:
                    return self.body.decode(encoding)
                except (LookupError, UnicodeDecodeError):
                    pass
        from trafilatura.utils import decode_file

        return decode_file(self.body)


class _Retry(Exception):
    """A failure worth another try (connection error, timeout, HTTP 5xx or 429)."""

    def __init__(self, error: FetchError, retry_after: float | None = None):
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https URLs only (never file:, ftp: ...)."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> Any:
        target = urllib.parse.urljoin(req.full_url, newurl)
        if urllib.parse.urlsplit(target).scheme.lower() not in SCHEMES:
            raise FetchError(f"redirected to a URL that is not http or https: {target}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _default_user_agent() -> str:
    from eventwire import __version__

    return f"eventwire/{__version__} (+offline event coder)"


class Fetcher:
    """Polite HTTP GET for batch ingest. Not thread-safe: use one per thread.

    ``timeout`` bounds each socket operation and the whole body download (seconds);
    ``retries`` is how many more tries a connection error, timeout, HTTP 5xx or 429 gets,
    waiting ``backoff`` seconds, then twice that, and so on (or the server's ``Retry-After``,
    at most ``max_retry_after`` seconds, when that is longer); ``max_bytes`` limits the
    body; ``per_host_delay`` is the least time between the end of one request to a host
    and the start of the next. ``clock`` and ``sleep`` can be replaced in tests.
    """

    def __init__(self, timeout: float = 15.0, retries: int = 2, backoff: float = 1.0,
                 max_bytes: int = 5_000_000, per_host_delay: float = 1.0,
                 user_agent: str | None = None, max_retry_after: float = 60.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.per_host_delay = per_host_delay
        self.user_agent = user_agent or _default_user_agent()
        self.max_retry_after = max_retry_after
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}  # host -> clock() when its last request ended
        self._opener = urllib.request.build_opener(_HttpOnlyRedirects())

    def get(self, url: str) -> FetchResult:
        """GET ``url``; a :class:`FetchError` with a one-line message when it cannot."""
        check_url(url)
        attempt = 0
        while True:
            try:
                return self._get_once(url)
            except _Retry as retry:
                if attempt >= self.retries:
                    raise retry.error from None
                wait = self.backoff * 2 ** attempt
                if retry.retry_after is not None:
                    wait = max(wait, min(retry.retry_after, self.max_retry_after))
                if wait > 0:
                    self._sleep(wait)
                attempt += 1

    # -- one request ---------------------------------------------------------------------

    def _wait_for_host(self, host: str) -> None:
        last = self._last.get(host)
        if last is None or self.per_host_delay <= 0:
            return
        wait = last + self.per_host_delay - self._clock()
        if wait > 0:
            self._sleep(wait)

    def _get_once(self, url: str) -> FetchResult:
        host = urllib.parse.urlsplit(url).netloc.lower()
        self._wait_for_host(host)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent,
                                                       "Accept": ACCEPT})
        timed_out = FetchError(f"timed out after {self.timeout:g} s")
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length", "").strip()
                if length.isdigit() and int(length) > self.max_bytes:
                    raise self._too_large()
                body = self._read_body(response, time.monotonic() + self.timeout, timed_out)
                return FetchResult(url=response.geturl(), status=response.status,
                                   content_type=_media_type(response.headers), body=body,
                                   encoding=response.headers.get_content_charset())
        except urllib.error.HTTPError as exc:
            exc.close()
            if 300 <= exc.code < 400:  # urllib refused the redirect (a loop, a file: URL ...)
                raise FetchError(f"redirect failed (HTTP {exc.code}): {_one_line(exc.msg)}",
                                 status=exc.code) from None
            error = FetchError(f"HTTP {exc.code} for {exc.url or url}", status=exc.code)
            if exc.code >= 500 or exc.code == 429:
                raise _Retry(error, _retry_after(exc.headers)) from None
            raise error from None
        except TimeoutError:
            raise _Retry(timed_out) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise _Retry(timed_out) from None
            if isinstance(reason, socket.gaierror):
                raise FetchError(f"cannot resolve host {urllib.parse.urlsplit(url).hostname}") from None
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise FetchError(f"TLS certificate not trusted for {host}") from None
            raise _Retry(FetchError(f"cannot connect to {host}: {_one_line(reason)}")) from None
        except (http.client.HTTPException, OSError) as exc:  # reset connections, bad responses
            raise _Retry(FetchError(f"connection to {host} failed: {_one_line(exc)}")) from None
        finally:
            self._last[host] = self._clock()

    def _read_body(self, response: Any, deadline: float, timed_out: FetchError) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = response.read(65536)
            if not chunk:
                return b"".join(chunks)
            total += len(chunk)
            if total > self.max_bytes:
                raise self._too_large()
            if time.monotonic() > deadline:
                raise _Retry(timed_out)
            chunks.append(chunk)

    def _too_large(self) -> FetchError:
        return FetchError(f"too large: more than {self.max_bytes} bytes")


def _media_type(headers: Message) -> str:
    return (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()


def _retry_after(headers: Message | None) -> float | None:
    """``Retry-After`` in seconds (it may be a number or an HTTP date); None if absent or bad."""
    value = (headers.get("Retry-After") if headers is not None else None) or ""
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _one_line(value: Any) -> str:
    text = " ".join(str(value).split())
    return text or type(value).__name__


# -- URLs ------------------------------------------------------------------------------------

def is_url(spec: str) -> bool:
    """True for an absolute http or https URL with a host."""
    if not isinstance(spec, str) or any(c.isspace() for c in spec):
        return False
    parts = urllib.parse.urlsplit(spec)
    return parts.scheme.lower() in SCHEMES and bool(parts.netloc)


def check_url(url: str) -> None:
    """FetchError unless ``url`` is an http or https URL."""
    if is_url(url):
        return
    scheme = urllib.parse.urlsplit(str(url)).scheme
    if scheme and scheme.lower() not in SCHEMES:
        raise FetchError(f"unsupported URL scheme {scheme!r} (only http and https)")
    raise FetchError(f"not an http or https URL: {url!r}")


def url_id(url: str) -> str:
    """A stable article id for a URL (its fragment ignored): ``url-`` and 16 hex digits."""
    url = urllib.parse.urldefrag(url).url
    return "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def is_remote_or_feed(spec: str | Path) -> bool:
    """Whether :func:`read_sources` (not ``readers.read_inputs``) reads this spec: a URL
    (any ``scheme://``, so that unsupported schemes get a clear skip), or a local
    ``.rss``/``.atom``/``.xml`` feed or ``.urls`` list."""
    text = str(spec)
    if "://" in text and urllib.parse.urlsplit(text).scheme:
        return True
    return Path(text).suffix.lower() in FEED_SUFFIXES | {URL_LIST_SUFFIX}


# -- pages -----------------------------------------------------------------------------------

def _skip(source: str, stage: str, reason: str) -> IngestResult:
    return IngestResult(skips=[Skipped(source, stage, reason)])


def _page_kind(result: FetchResult) -> str | None:
    """``html`` or ``txt`` for what readers.read_text can parse; None for anything else."""
    media = result.content_type
    if media in HTML_TYPES:
        return "html"
    if media == "text/plain":
        return "txt"
    if media in ("", "application/octet-stream") or media.startswith("text/"):
        return "html" if result.body.lstrip()[:1] == b"<" else "txt"
    return None


def _page(result: FetchResult, source: str) -> IngestResult:
    """The Article in a fetched page; ``source`` is the URL as it was asked for."""
    kind = _page_kind(result)
    if kind is None:
        return _skip(source, "ingest", f"not a web page ({result.content_type})")
    article_id = url_id(result.url)
    parsed = read_text(result.text(), kind, source=source, stem=article_id)
    articles = []
    for article in parsed.articles:
        metadata = dict(article.metadata)
        if article.url and article.url != result.url:
            metadata["canonical_url"] = article.url
        articles.append(replace(article, id=article_id, url=result.url, metadata=metadata))
    return IngestResult(articles=articles, skips=parsed.skips)


def read_url(url: str, fetcher: Fetcher | None = None) -> IngestResult:
    """Fetch one web page and extract its article."""
    fetcher = fetcher or Fetcher()
    try:
        result = fetcher.get(url)
    except FetchError as exc:
        return _skip(url, "fetch", exc.message)
    return _page(result, url)


# -- feeds -----------------------------------------------------------------------------------

class _TextOnly(HTMLParser):
    """Feed summaries are HTML fragments; this keeps their text, one paragraph a line."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @classmethod
    def text(cls, fragment: str) -> str:
        parser = cls()
        parser.feed(fragment)
        parser.close()
        lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _parse_feed(body: bytes, base: str | None, content_type: str = "") -> Any:
    try:
        import feedparser
    except ImportError:
        raise ResourceMissing("feedparser is not installed; it reads RSS and Atom feeds",
                              "pip install feedparser") from None
    headers = {"content-type": content_type} if content_type else {}
    if base:
        headers["content-location"] = base
    # A stream, never a string: given a string that looks like a URL, feedparser fetches it.
    return feedparser.parse(io.BytesIO(body), response_headers=headers)


def _entry_text(entry: Any) -> str:
    """The longest of the entry's content and summary, as plain text."""
    candidates = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content") or []]
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary") or "", detail.get("type") or ""))
    texts = [value.strip() if kind == "text/plain" else _TextOnly.text(value)
             for value, kind in candidates if value]
    return max(texts, key=len, default="")


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except (AttributeError, ValueError):
                continue
    return None


def _entry_link(entry: Any, base: str | None) -> str:
    link = (entry.get("link") or "").strip()
    if not link:
        for candidate in entry.get("links") or []:
            if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
                link = candidate["href"].strip()
                break
    return urllib.parse.urljoin(base, link) if link and base else link


def _is_empty(entry: Any) -> bool:
    return not (entry.get("link") or entry.get("links") or entry.get("title")
                or entry.get("summary") or entry.get("content"))


def _fill_in(article: Article, title: str, published: date | None, feed: str) -> Article:
    """The page's article, with the feed's title and date where the page has none."""
    metadata = {**article.metadata, "feed": feed}
    if (article.title or not title) and (article.published or not published):
        return replace(article, metadata=metadata)
    return make_article(article.text[article.body_start:], title=article.title or title,
                        id=article.id, published=article.published or published, url=article.url,
                        language=article.language, source=article.source, metadata=metadata)


def _feed_articles(parsed: Any, spec: str, base: str | None, fetcher: Fetcher,
                   seen: set[str]) -> IngestResult:
    entries = [e for e in parsed.get("entries") or [] if not _is_empty(e)]
    if not entries:
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
        detail = f": {_one_line(problem)}" if problem else ""
        if not parsed.get("version"):
            return _skip(spec, "ingest", f"not an RSS or Atom feed{detail}")
        if problem:
            return _skip(spec, "ingest", f"broken feed{detail}")
        return _skip(spec, "ingest", "the feed has no entries")
    result = IngestResult()
    for number, entry in enumerate(entries, 1):
        link = _entry_link(entry, base)
        title = " ".join((entry.get("title") or "").split())
        published = _entry_date(entry)
        where = link or f"{spec}#entry-{number}"
        page: IngestResult | None = None
        why = ""
        if not link:
            why = "the feed entry has no link"
        elif not is_url(link):
            why = f"the feed entry's link is not an http or https URL: {link}"
        elif link in seen:
            result.skips.append(Skipped(link, "ingest", "duplicate URL (already read)"))
            continue
        else:
            seen.add(link)
            try:
                page = _page(fetcher.get(link), link)
            except FetchError as exc:
                why = exc.message
        if page is not None and page.articles:
            result.articles.extend(_fill_in(a, title, published, spec) for a in page.articles)
            continue
        summary = _entry_text(entry)
        if len(summary) >= MIN_SUMMARY_CHARS:
            reason = why or (page.skips[0].reason if page is not None and page.skips else "")
            result.articles.append(make_article(
                summary, title=title, id=url_id(link or f"{spec}#{entry.get('id') or number}"),
                published=published, url=link if is_url(link) else None, source=where,
                metadata={"feed": spec, "text_from": "feed summary", "page_problem": reason}))
        elif page is not None:
            result.skips.extend(page.skips)
        else:
            result.skips.append(Skipped(where, "fetch" if is_url(link) else "ingest", why))
    return result


def _read_feed(spec: str, fetcher: Fetcher, seen: set[str]) -> IngestResult:
    if is_url(spec):
        try:
            fetched = fetcher.get(spec)
        except FetchError as exc:
            return _skip(spec, "fetch", exc.message)
        parsed = _parse_feed(fetched.body, fetched.url, fetched.content_type)
        return _feed_articles(parsed, spec, fetched.url, fetcher, seen)
    body = _read_local(spec)
    if isinstance(body, IngestResult):
        return body
    return _feed_articles(_parse_feed(body, None), spec, None, fetcher, seen)


def read_feed(spec: str | Path, fetcher: Fetcher | None = None) -> IngestResult:
    """Read an RSS or Atom feed (an http(s) URL or a local file) and fetch each entry's page.

    The entry's title and date fill in where the page has none; an entry whose page cannot
    be fetched (or has no main text) keeps the feed's own text if that has at least
    200 characters, and is skipped otherwise.
    """
    return _read_feed(str(spec), fetcher or Fetcher(), set())


# -- URL lists and dispatch ------------------------------------------------------------------

def _read_local(path: str) -> bytes | IngestResult:
    """The bytes of a local file, or a skip that says why not."""
    p = Path(path)
    if not p.is_file():
        return _skip(path, "ingest", "no such file")
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            return _skip(path, "ingest", f"file too large: {size} bytes (limit {MAX_FILE_BYTES})")
        return p.read_bytes()
    except OSError as exc:
        return _skip(path, "ingest", f"cannot read: {exc.strerror or _one_line(exc)}")


def _looks_like_feed(result: FetchResult) -> bool:
    head = result.body[:1024].lstrip().lower()
    return result.content_type in FEED_TYPES or any(m in head for m in FEED_MARKERS)


def _read_remote(url: str, fetcher: Fetcher, seen: set[str]) -> IngestResult:
    """One URL, fetched once: a feed if it says or parses as one, else a page."""
    if url in seen:
        return _skip(url, "ingest", "duplicate URL (already read)")
    seen.add(url)
    try:
        fetched = fetcher.get(url)
    except FetchError as exc:
        return _skip(url, "fetch", exc.message)
    if _looks_like_feed(fetched):
        parsed = _parse_feed(fetched.body, fetched.url, fetched.content_type)
        if parsed.get("entries") or fetched.content_type in FEED_TYPES:
            return _feed_articles(parsed, url, fetched.url, fetcher, seen)
    return _page(fetched, url)


def _read_url_list(path: str, fetcher: Fetcher, seen: set[str]) -> IngestResult:
    body = _read_local(path)
    if isinstance(body, IngestResult):
        return body
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _skip(path, "ingest", "not UTF-8 text")
    result = IngestResult()
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            result.skips.append(Skipped(f"{path}:{number}", "ingest", "not a URL"))
            continue
        result.extend(_read_remote(line, fetcher, seen))
    return result


def read_url_list(path: str | Path, fetcher: Fetcher | None = None) -> IngestResult:
    """Read a text file of URLs, one a line (blank lines and ``#`` comments ignored).

    Each URL is read as by :func:`read_sources`: a feed URL brings in its entries.
    """
    return _read_url_list(str(path), fetcher or Fetcher(), set())


def read_sources(specs: Iterable[str | Path], fetcher: Fetcher | None = None) -> IngestResult:
    """Read URLs, feeds and URL lists into one result; a URL is read only once.

    An http(s) URL is fetched once and read as a feed when its content type says so or its
    body parses as a feed with entries, else as a page. A local ``.rss``/``.atom``/``.xml``
    file is a feed, a ``.urls`` file a URL list; any other local path goes to
    ``readers.read_path``.
    """
    fetcher = fetcher or Fetcher()
    seen: set[str] = set()
    result = IngestResult()
    for spec in specs:
        text = str(spec)
        suffix = Path(text).suffix.lower()
        if is_url(text):
            result.extend(_read_remote(text, fetcher, seen))
        elif "://" in text and urllib.parse.urlsplit(text).scheme:
            try:
                check_url(text)
            except InputError as exc:
                result.extend(_skip(text, "fetch", exc.message))
        elif suffix in FEED_SUFFIXES:
            result.extend(_read_feed(text, fetcher, seen))
        elif suffix == URL_LIST_SUFFIX:
            result.extend(_read_url_list(text, fetcher, seen))
        else:
            result.extend(read_path(text))
    return result
