"""Fetch news from the web: single pages, RSS/Atom feeds and lists of URLs.

Everything goes through one :class:`Fetcher` (on httpx), which is polite: it reads each
site's robots.txt once and obeys it, names eventwire in its User-Agent, waits between two
requests to the same host (at least the site's ``Crawl-delay``) and retries a failed request
a few times with exponential back-off that honours ``Retry-After``. It is also careful: a
deadline for the whole response, a size limit, redirects to http and https URLs only. Pages
are turned into Articles by the same trafilatura extraction as local HTML files
(:func:`eventwire.ingest.readers.read_text`).

As in :mod:`eventwire.ingest.readers`, nothing is lost: every URL and every feed entry
becomes an :class:`~eventwire.models.Article` or a :class:`~eventwire.models.Skipped` with a
one-line reason. Network failures and pages robots.txt keeps us from are skipped at stage
``"fetch"``; content that cannot be understood (no main text, not a feed, a bad line in a URL
list) at stage ``"ingest"``.

Nothing touches the network at import time, and feedparser never fetches by itself: feeds
are fetched with the Fetcher and parsed from bytes.

Example::

    from eventwire.ingest.fetch import Fetcher, iter_sources
    with Fetcher() as fetcher:
        for item in iter_sources(["https://example.org/feed.rss", "links.urls"], fetcher):
            print(item)
"""
from __future__ import annotations

import hashlib
import io
import socket
import ssl
import time
import urllib.parse
import weakref
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.robotparser import RobotFileParser

import httpx

from eventwire.errors import FetchError, InputError, ResourceMissing, first_line
from eventwire.ingest.readers import IngestResult, iter_path, make_article, read_local_bytes, read_text
from eventwire.models import Article, Skipped

__all__ = [
    "Fetcher", "FetchResult", "read_url", "read_feed", "read_url_list", "read_sources", "iter_sources",
    "is_remote_or_feed", "is_url", "check_url", "url_id",
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
MAX_REDIRECTS = 10
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB; the rest is ignored
MAX_CRAWL_DELAY = 60.0  # a site that asks for a longer wait is skipped rather than stalling the run

Item = Article | Skipped


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


def _default_user_agent() -> str:
    from eventwire import __version__

    return f"eventwire/{__version__} (+offline event coder)"


class Fetcher:
    """Polite HTTP GET for batch ingest. Not thread-safe: use one per thread.

    ``timeout`` bounds each network wait and the whole response, a slowly dripping body
    included (seconds; the whole is checked as each piece of the body comes); ``retries``
    is how many more tries a connection error, timeout, HTTP 5xx or 429 gets, waiting
    ``backoff`` seconds, then twice that, and so on (or the server's ``Retry-After``, at most
    ``max_retry_after`` seconds, when that is longer); ``max_bytes`` limits the body;
    ``per_host_delay`` is the least time between the end of one request to a host and the
    start of the next, or the ``Crawl-delay`` of the site's robots.txt when that is longer.

    Each site's robots.txt is read once (with the same timeout and delays) and obeyed for the
    User-Agent's first word, ``eventwire``: a URL it disallows is a :class:`FetchError`
    "disallowed by robots.txt ...". ``ignore_robots=True``, for one's own sites, reads none and
    calls ``on_robots_ignored(origin)`` once per site instead. ``clock``, ``sleep`` and the
    httpx ``transport`` can be replaced in tests. Connections are kept open for the next
    request; :meth:`close` (or ``with Fetcher() as fetcher``) closes them.
    """

    def __init__(self, timeout: float = 15.0, retries: int = 2, backoff: float = 1.0,
                 max_bytes: int = 5_000_000, per_host_delay: float = 1.0,
                 user_agent: str | None = None, max_retry_after: float = 60.0,
                 ignore_robots: bool = False, on_robots_ignored: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None):
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.per_host_delay = per_host_delay
        self.user_agent = user_agent or _default_user_agent()
        self.max_retry_after = max_retry_after
        self.ignore_robots = ignore_robots
        self.on_robots_ignored = on_robots_ignored
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}  # host -> clock() when its last request ended
        self._crawl_delay: dict[str, float] = {}  # host -> the Crawl-delay its robots.txt asks for
        self._robots: dict[str, RobotFileParser | str | None] = {}  # origin -> _read_robots()
        self._client = httpx.Client(headers={"User-Agent": self.user_agent, "Accept": ACCEPT},
                                    transport=transport)
        # closes the pooled connections when the Fetcher is garbage-collected, if close() was not called
        self._finalizer = weakref.finalize(self, self._client.close)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._finalizer()

    def get(self, url: str) -> FetchResult:
        """GET ``url``; a :class:`FetchError` with a one-line message when it cannot.

        Redirects are followed here rather than by httpx, so that each hop is checked like
        the first: http or https only, allowed by robots.txt, after the delay for its host.
        """
        check_url(url)
        return self._follow(url)

    def _follow(self, url: str, robots_txt: bool = False) -> FetchResult:
        for _ in range(MAX_REDIRECTS + 1):
            if not robots_txt:
                self._obey_robots(url)
            fetched = self._with_retries(url, robots_txt)
            if isinstance(fetched, FetchResult):
                return fetched
            url = fetched
        raise FetchError(f"redirect failed: more than {MAX_REDIRECTS} redirects")

    def _with_retries(self, url: str, robots_txt: bool) -> FetchResult | str:
        attempt = 0
        while True:
            try:
                return self._get_once(url, robots_txt)
            except _Retry as retry:
                if attempt >= self.retries:
                    raise retry.error from None
                wait = self.backoff * 2 ** attempt
                if retry.retry_after is not None:
                    wait = max(wait, min(retry.retry_after, self.max_retry_after))
                if wait > 0:
                    self._sleep(wait)
                attempt += 1

    # -- robots.txt ----------------------------------------------------------------------

    def _obey_robots(self, url: str) -> None:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, str):
            raise FetchError(f"disallowed by robots.txt: {rules}")
        if rules is not None and not rules.can_fetch(self.user_agent, url):
            raise FetchError(f"disallowed by robots.txt ({rules.url})")

    def _read_robots(self, origin: str) -> RobotFileParser | str | None:
        """The site's rules; None when everything is allowed; a string that says why nothing is."""
        if self.ignore_robots:
            if self.on_robots_ignored is not None:
                self.on_robots_ignored(origin)
            return None
        url = f"{origin}/robots.txt"
        try:
            body = self._follow(url, robots_txt=True).body
        except FetchError as exc:
            # No robots.txt (404, 410, other 4xx) allows everything. 401 and 403 disallow everything
            # (the robotstxt.org convention, as in Python's robotparser), and so does a robots.txt
            # that cannot be read (5xx, 429, timeouts, network errors: RFC 9309's "unreachable").
            if exc.status in (401, 403):
                return f"{url} answered HTTP {exc.status}"
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return None
            return f"{url} could not be read ({exc.message})"
        rules = RobotFileParser(url)
        rules.parse(body.decode("utf-8-sig", "replace").splitlines())
        delay = float(rules.crawl_delay(self.user_agent) or 0)
        if delay > MAX_CRAWL_DELAY:
            return f"{url} asks for a Crawl-delay of {delay:g} s, more than eventwire waits ({MAX_CRAWL_DELAY:g} s)"
        self._crawl_delay[_host(url)] = delay
        return rules

    # -- one request ---------------------------------------------------------------------

    def _get_once(self, url: str, robots_txt: bool) -> FetchResult | str:
        """One GET: the response, or the URL a redirect points to."""
        host = _host(url)
        if host in self._last:
            delay = max(self.per_host_delay, self._crawl_delay.get(host, 0.0))
            wait = self._last[host] + delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        deadline = time.monotonic() + self.timeout
        try:
            with self._client.stream("GET", url, timeout=self.timeout) as response:
                return self._read_response(url, response, robots_txt, deadline)
        except httpx.TimeoutException:
            raise _Retry(self._timed_out()) from None
        except httpx.ConnectError as exc:
            raise _connect_error(exc, url) from None
        except httpx.TransportError as exc:  # reset connections, bad responses
            raise _Retry(FetchError(f"connection to {host} failed: {first_line(exc)}")) from None
        except (httpx.DecodingError, httpx.InvalidURL) as exc:
            raise FetchError(f"cannot fetch {url}: {first_line(exc)}") from None
        finally:
            self._last[host] = self._clock()

    def _read_response(self, url: str, response: httpx.Response, robots_txt: bool,
                       deadline: float) -> FetchResult | str:
        status = response.status_code
        if 300 <= status < 400:
            return _redirect_target(url, response)
        if not 200 <= status < 300:
            error = FetchError(f"HTTP {status} for {url}", status=status)
            if status >= 500 or status == 429:
                raise _Retry(error, _retry_after(response.headers.get("Retry-After")))
            raise error
        limit = ROBOTS_MAX_BYTES if robots_txt else self.max_bytes
        length = response.headers.get("Content-Length", "").strip()
        if not robots_txt and length.isdigit() and int(length) > limit:
            raise self._too_large()
        body = bytearray()
        for chunk in response.iter_bytes():  # decompressed, so the limit holds for gzip bombs too
            body += chunk
            if len(body) > limit:
                if not robots_txt:
                    raise self._too_large()
                del body[limit:]  # what is past the limit of a robots.txt is ignored
                break
            if time.monotonic() > deadline:
                raise _Retry(self._timed_out())
        return FetchResult(url=url, status=status, content_type=_media_type(response.headers),
                           body=bytes(body), encoding=response.charset_encoding)

    def _timed_out(self) -> FetchError:
        return FetchError(f"timed out after {self.timeout:g} s")

    def _too_large(self) -> FetchError:
        return FetchError(f"too large: more than {self.max_bytes} bytes")


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc.lower()


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _redirect_target(url: str, response: httpx.Response) -> str:
    status = response.status_code
    location = response.headers.get("Location", "").strip()
    if not location:
        raise FetchError(f"redirect failed (HTTP {status}): no Location header", status=status)
    target = urllib.parse.urljoin(url, location)
    if not is_url(target):
        raise FetchError(f"redirect failed (HTTP {status}): not an http or https URL: {target}",
                         status=status)
    return target


def _connect_error(exc: httpx.ConnectError, url: str) -> FetchError | _Retry:
    """DNS and certificate failures are final; other connection failures are worth a retry."""
    host = _host(url)
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return FetchError(f"cannot resolve host {urllib.parse.urlsplit(url).hostname}")
        if isinstance(cause, ssl.SSLCertVerificationError):
            return FetchError(f"TLS certificate not trusted for {host}")
        cause = cause.__cause__ or cause.__context__
    return _Retry(FetchError(f"cannot connect to {host}: {first_line(exc)}"))


def _media_type(headers: httpx.Headers) -> str:
    return (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds (it may be a number or an HTTP date); None if absent or bad."""
    value = (value or "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


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
    ``.rss``/``.atom``/``.xml`` feed or ``.urls`` list (a folder of that name is a folder)."""
    text = str(spec)
    if "://" in text and urllib.parse.urlsplit(text).scheme:
        return True
    return Path(text).suffix.lower() in FEED_SUFFIXES | {URL_LIST_SUFFIX} and not Path(text).is_dir()


# -- pages -----------------------------------------------------------------------------------

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


def _page(result: FetchResult, source: str) -> Iterator[Item]:
    """The Article in a fetched page; ``source`` is the URL as it was asked for."""
    kind = _page_kind(result)
    if kind is None:
        yield Skipped(source, "ingest", f"not a web page ({result.content_type})")
        return
    article_id = url_id(result.url)
    parsed = read_text(result.text(), kind, source=source, stem=article_id)
    for article in parsed.articles:
        metadata = dict(article.metadata)
        if article.url and article.url != result.url:
            metadata["canonical_url"] = article.url
        yield replace(article, id=article_id, url=result.url, metadata=metadata)
    yield from parsed.skips


def _read_page(url: str, fetcher: Fetcher) -> Iterator[Item]:
    try:
        fetched = fetcher.get(url)
    except FetchError as exc:
        yield Skipped(url, "fetch", exc.message)
        return
    yield from _page(fetched, url)


def read_url(url: str, fetcher: Fetcher | None = None) -> IngestResult:
    """Fetch one web page and extract its article."""
    return IngestResult.collect(_read_page(url, fetcher or Fetcher()))


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


def _feed_entry(entry: Any, number: int, spec: str, base: str | None, fetcher: Fetcher,
                seen: set[str]) -> Iterator[Item]:
    """The entry's page, else its own text if long enough, else a skip that says why."""
    link = _entry_link(entry, base)
    title = " ".join((entry.get("title") or "").split())
    published = _entry_date(entry)
    page: IngestResult | None = None
    why = ""
    if not link:
        why = "the feed entry has no link"
    elif not is_url(link):
        why = f"the feed entry's link is not an http or https URL: {link}"
    elif link in seen:
        yield Skipped(link, "ingest", "duplicate URL (already read)")
        return
    else:
        seen.add(link)
        try:
            page = IngestResult.collect(_page(fetcher.get(link), link))
        except FetchError as exc:
            why = exc.message
    if page is not None and page.articles:
        yield from (_fill_in(a, title, published, spec) for a in page.articles)
        return
    summary = _entry_text(entry)
    if len(summary) >= MIN_SUMMARY_CHARS:
        reason = why or (page.skips[0].reason if page is not None and page.skips else "")
        yield make_article(
            summary, title=title, id=url_id(link or f"{spec}#{entry.get('id') or number}"),
            published=published, url=link if is_url(link) else None, source=link or f"{spec}#entry-{number}",
            metadata={"feed": spec, "text_from": "feed summary", "page_problem": reason})
    elif page is not None:
        yield from page.skips
    else:
        yield Skipped(link or f"{spec}#entry-{number}", "fetch" if is_url(link) else "ingest", why)


def _feed_articles(parsed: Any, spec: str, base: str | None, fetcher: Fetcher,
                   seen: set[str]) -> Iterator[Item]:
    entries = [e for e in parsed.get("entries") or [] if not _is_empty(e)]
    if not entries:
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
        detail = f": {first_line(problem)}" if problem else ""
        if not parsed.get("version"):
            yield Skipped(spec, "ingest", f"not an RSS or Atom feed{detail}")
        elif problem:
            yield Skipped(spec, "ingest", f"broken feed{detail}")
        else:
            yield Skipped(spec, "ingest", "the feed has no entries")
    for number, entry in enumerate(entries, 1):
        yield from _feed_entry(entry, number, spec, base, fetcher, seen)


def _read_feed(spec: str, fetcher: Fetcher, seen: set[str]) -> Iterator[Item]:
    if is_url(spec):
        try:
            fetched = fetcher.get(spec)
        except FetchError as exc:
            yield Skipped(spec, "fetch", exc.message)
            return
        parsed = _parse_feed(fetched.body, fetched.url, fetched.content_type)
        yield from _feed_articles(parsed, spec, fetched.url, fetcher, seen)
        return
    body = read_local_bytes(spec)
    if isinstance(body, Skipped):
        yield body
        return
    yield from _feed_articles(_parse_feed(body, None), spec, None, fetcher, seen)


def read_feed(spec: str | Path, fetcher: Fetcher | None = None) -> IngestResult:
    """Read an RSS or Atom feed (an http(s) URL or a local file) and fetch each entry's page.

    The entry's title and date fill in where the page has none; an entry whose page cannot
    be fetched (or has no main text, or robots.txt disallows) keeps the feed's own text if
    that has at least 200 characters, and is skipped otherwise.
    """
    return IngestResult.collect(_read_feed(str(spec), fetcher or Fetcher(), set()))


# -- URL lists and dispatch ------------------------------------------------------------------

def _looks_like_feed(result: FetchResult) -> bool:
    head = result.body[:1024].lstrip().lower()
    return result.content_type in FEED_TYPES or any(m in head for m in FEED_MARKERS)


def _read_remote(url: str, fetcher: Fetcher, seen: set[str]) -> Iterator[Item]:
    """One URL, fetched once: a feed if it says or parses as one, else a page."""
    if url in seen:
        yield Skipped(url, "ingest", "duplicate URL (already read)")
        return
    seen.add(url)
    try:
        fetched = fetcher.get(url)
    except FetchError as exc:
        yield Skipped(url, "fetch", exc.message)
        return
    if _looks_like_feed(fetched):
        parsed = _parse_feed(fetched.body, fetched.url, fetched.content_type)
        if parsed.get("entries") or fetched.content_type in FEED_TYPES:
            yield from _feed_articles(parsed, url, fetched.url, fetcher, seen)
            return
    yield from _page(fetched, url)


def _read_url_list(path: str, fetcher: Fetcher, seen: set[str]) -> Iterator[Item]:
    body = read_local_bytes(path)
    if isinstance(body, Skipped):
        yield body
        return
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield Skipped(path, "ingest", "not UTF-8 text")
        return
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            yield Skipped(f"{path}:{number}", "ingest", "not a URL")
            continue
        yield from _read_remote(line, fetcher, seen)


def read_url_list(path: str | Path, fetcher: Fetcher | None = None) -> IngestResult:
    """Read a text file of URLs, one a line (blank lines and ``#`` comments ignored).

    Each URL is read as by :func:`read_sources`: a feed URL brings in its entries.
    """
    return IngestResult.collect(_read_url_list(str(path), fetcher or Fetcher(), set()))


def iter_sources(specs: Iterable[str | Path], fetcher: Fetcher | None = None) -> Iterator[Item]:
    """Read URLs, feeds and URL lists, yielding each Article or Skipped as soon as it is ready.

    A URL is read only once. An http(s) URL is fetched once and read as a feed when its content
    type says so or its body parses as a feed with entries, else as a page. A local
    ``.rss``/``.atom``/``.xml`` file is a feed, a ``.urls`` file a URL list; any other local
    path goes to ``readers.iter_path``.

    Example::

        for item in iter_sources(["https://example.org/feed.rss"]):
            print(item.title if isinstance(item, Article) else item.reason)
    """
    fetcher = fetcher or Fetcher()
    seen: set[str] = set()
    for spec in specs:
        text = str(spec)
        suffix = Path(text).suffix.lower()
        if is_url(text):
            yield from _read_remote(text, fetcher, seen)
        elif "://" in text and urllib.parse.urlsplit(text).scheme:
            try:
                check_url(text)
            except InputError as exc:
                yield Skipped(text, "fetch", exc.message)
        elif suffix in FEED_SUFFIXES:
            yield from _read_feed(text, fetcher, seen)
        elif suffix == URL_LIST_SUFFIX:
            yield from _read_url_list(text, fetcher, seen)
        else:
            yield from iter_path(text)


def read_sources(specs: Iterable[str | Path], fetcher: Fetcher | None = None) -> IngestResult:
    """Everything :func:`iter_sources` yields, collected into one result."""
    return IngestResult.collect(iter_sources(specs, fetcher))
