"""Fetching pages, feeds and URL lists from a local HTTP server (never the internet)."""
from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import pytest

from eventwire.errors import FetchError, InputError
from eventwire.ingest import fetch
from eventwire.ingest.fetch import (
    Fetcher, is_remote_or_feed, iter_sources, read_feed, read_sources, read_url, read_url_list, url_id,
)
from eventwire.models import Article, Skipped

BODY = ("<p>Hundreds of farmers marched through the centre of the city to demand lower fuel "
        "prices, and police fired tear gas at the crowd near the parliament building.</p>"
        "<p>Organisers said the protest would continue until the government agreed to talks "
        "with the farmers' unions about the price of diesel and fertiliser.</p>")
PAGE = f"<html><head><title>Farmers march on parliament</title></head><body><article>{BODY}</article></body></html>"
UNTITLED = f"<html><body><article>{BODY}</article></body></html>"
LONG_SUMMARY = ("Dock workers walked off the job at the port on Monday after talks over pay broke "
                "down, leaving dozens of container ships waiting offshore. The union said the strike "
                "would last until the port authority made a new offer to its members.")


class Route:
    """What the server answers on one path: a status, a body, headers, a delay (before the
    headers), and a drip (a pause before each of ``pieces`` pieces of the body)."""

    def __init__(self, body: str | bytes = b"", status: int = 200, content_type: str = "text/html; charset=utf-8",
                 headers: dict[str, str] | None = None, delay: float = 0.0, length: bool = True,
                 drip: float = 0.0, pieces: int = 40):
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.status, self.content_type, self.delay, self.length = status, content_type, delay, length
        self.drip, self.pieces = drip, pieces
        self.headers = headers or {}


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Route | Callable[[int], Route]] = {}
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.hits[self.path] += 1
                server.agents.append(self.headers.get("User-Agent", ""))
                route = server.routes.get(self.path, Route("not here", status=404))
                if callable(route):
                    route = route(server.hits[self.path])
                time.sleep(route.delay)
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    if route.length:
                        self.send_header("Content-Length", str(len(route.body)))
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if route.drip:
                        step = max(1, len(route.body) // route.pieces)
                        for start in range(0, len(route.body), step):
                            time.sleep(route.drip)
                            self.wfile.write(route.body[start:start + step])
                    else:
                        self.wfile.write(route.body)
                except OSError:  # the client gave up (timeouts, size limits)
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.handle_error = lambda *a: None  # type: ignore[method-assign]
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@pytest.fixture()
def server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    srv = Server()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def fast(**kw) -> Fetcher:
    kw.setdefault("per_host_delay", 0.0)
    kw.setdefault("backoff", 0.01)
    kw.setdefault("timeout", 5.0)
    return Fetcher(**kw)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


# -- pages -----------------------------------------------------------------------------------

def test_page_becomes_an_article(server):
    server.routes["/story"] = Route(PAGE)
    result = read_url(server.url("/story"), fast())
    assert not result.skips
    [article] = result.articles
    assert article.url == server.url("/story")
    assert article.id == url_id(server.url("/story")) and article.id.startswith("url-")
    assert article.title == "Farmers march on parliament"
    assert article.text.startswith("Farmers march on parliament\n\n")
    assert "police fired tear gas" in article.text
    assert article.source == server.url("/story")
    assert server.agents[0].startswith("eventwire/") and "offline event coder" in server.agents[0]


def test_redirect_gives_the_final_url(server):
    server.routes["/old"] = Route(b"", status=301, headers={"Location": "/story"})
    server.routes["/story"] = Route(PAGE)
    [article] = read_url(server.url("/old"), fast()).articles
    assert article.url == server.url("/story")
    assert article.source == server.url("/old")


def test_404_is_skipped(server):
    result = read_url(server.url("/gone"), fast())
    assert not result.articles
    [skip] = result.skips
    assert skip.source == server.url("/gone") and skip.stage == "fetch"
    assert "404" in skip.reason
    assert server.hits["/gone"] == 1  # client errors are not retried


def test_503_then_200_is_retried(server):
    server.routes["/flaky"] = lambda n: Route("busy", status=503) if n == 1 else Route(PAGE)
    result = read_url(server.url("/flaky"), fast())
    assert [a.title for a in result.articles] == ["Farmers march on parliament"]
    assert server.hits["/flaky"] == 2


def test_retries_give_up_with_backoff(server):
    server.routes["/down"] = Route("busy", status=503)
    fake = FakeClock()
    with pytest.raises(FetchError) as info:
        fast(retries=2, backoff=0.5, clock=fake.clock, sleep=fake.sleep).get(server.url("/down"))
    assert info.value.message == f"HTTP 503 for {server.url('/down')}" and info.value.status == 503
    assert isinstance(info.value, InputError)
    assert server.hits["/down"] == 3
    assert fake.sleeps == [0.5, 1.0]


def test_retry_after_is_honoured_and_capped(server):
    server.routes["/slow-down"] = lambda n: (Route("wait", status=429, headers={"Retry-After": "3"}) if n == 1
                                             else Route("wait", status=429, headers={"Retry-After": "900"}) if n == 2
                                             else Route(PAGE))
    fake = FakeClock()
    fetched = fast(backoff=0.01, max_retry_after=5, clock=fake.clock, sleep=fake.sleep).get(server.url("/slow-down"))
    assert fetched.status == 200
    assert fake.sleeps == [3.0, 5.0]


# The bounds on elapsed time below are half of what the server takes to answer in full: a loaded CI
# machine may be many times slower than the timeout, never 30 s late (the server's thread, a daemon,
# gives up at its next write once the client has gone).
SERVER_TAKES = 60.0


def test_slow_response_times_out(server):
    server.routes["/slow"] = Route(PAGE, delay=SERVER_TAKES)
    started = time.monotonic()
    [skip] = read_url(server.url("/slow"), fast(timeout=0.3, retries=0)).skips
    assert skip.reason == "timed out after 0.3 s"
    assert time.monotonic() - started < SERVER_TAKES / 2  # gave up long before the page came


def test_slowly_dripping_body_times_out(server):
    # one byte every 0.15 s: no single wait is long, the whole body takes a minute
    body = PAGE.encode("utf-8").ljust(int(SERVER_TAKES / 0.15))
    server.routes["/drip"] = Route(body, drip=0.15, pieces=len(body))
    started = time.monotonic()
    [skip] = read_url(server.url("/drip"), fast(timeout=0.5, retries=0)).skips
    assert skip.reason == "timed out after 0.5 s"
    assert time.monotonic() - started < SERVER_TAKES / 2  # the deadline holds for the whole body


@pytest.mark.parametrize("length", [True, False], ids=["content-length", "streamed"])
def test_body_over_max_bytes_is_too_large(server, length):
    server.routes["/big"] = Route(b"<p>" + b"x" * 5000 + b"</p>", length=length)
    [skip] = read_url(server.url("/big"), fast(max_bytes=1000)).skips
    assert skip.reason == "too large: more than 1000 bytes"
    assert server.hits["/big"] == 1


def test_only_http_and_https(server):
    with pytest.raises(FetchError, match="only http and https"):
        fast().get("file:///etc/passwd")
    [skip] = read_url("ftp://example.org/x", fast()).skips
    assert "unsupported URL scheme 'ftp'" in skip.reason
    server.routes["/to-file"] = Route(b"", status=302, headers={"Location": "file:///etc/passwd"})
    [skip] = read_url(server.url("/to-file"), fast()).skips
    assert skip.reason.startswith("redirect failed (HTTP 302)") and "file:///etc/passwd" in skip.reason


def test_per_host_delay_with_a_fake_clock(server):
    server.routes["/story"] = Route(PAGE)
    fake = FakeClock()  # robots.txt is a request too (test_robots_txt_request_counts_for_the_host_delay)
    fetcher = Fetcher(per_host_delay=2.0, clock=fake.clock, sleep=fake.sleep, ignore_robots=True)
    fetcher.get(server.url("/story"))
    assert fake.sleeps == []
    fake.now += 0.5
    fetcher.get(server.url("/story"))
    assert fake.sleeps == [1.5]
    fetcher.get(server.url("/story", host="localhost"))  # another host: no wait
    assert fake.sleeps == [1.5]
    fake.now += 10
    fetcher.get(server.url("/story"))
    assert fake.sleeps == [1.5]


def test_per_host_delay_in_real_time(server):
    server.routes["/story"] = Route(PAGE)
    fetcher = fast(per_host_delay=0.2)
    started = time.monotonic()
    for _ in range(3):
        fetcher.get(server.url("/story"))
    assert time.monotonic() - started >= 0.4


# -- feeds -----------------------------------------------------------------------------------

def rss(server) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local news</title><link>{server.url("/")}</link>
<item><title>Feed title for the march</title><link>{server.url("/story")}</link>
  <pubDate>Tue, 02 Mar 2021 10:00:00 GMT</pubDate><description>Short.</description></item>
<item><title>Port strike begins</title><link>{server.url("/untitled")}</link>
  <pubDate>Wed, 03 Mar 2021 09:30:00 GMT</pubDate></item>
<item><title>Dock workers strike</title><link>{server.url("/missing")}</link>
  <pubDate>Thu, 04 Mar 2021 08:00:00 GMT</pubDate><description>&lt;p&gt;{LONG_SUMMARY}&lt;/p&gt;</description></item>
<item><title>Short and gone</title><link>{server.url("/also-missing")}</link>
  <description>Too short to code.</description></item>
</channel></rss>"""


def atom(server) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title><id>urn:x</id>
<updated>2021-03-06T00:00:00Z</updated>
<entry><title>Atom title for the strike</title><id>urn:1</id>
  <link rel="alternate" href="{server.url("/untitled")}"/>
  <published>2021-03-05T08:00:00Z</published><updated>2021-03-06T08:00:00Z</updated></entry>
<entry><title>Only updated</title><id>urn:2</id>
  <link href="{server.url("/story")}"/><updated>2021-03-07T08:00:00Z</updated></entry>
</feed>"""


def test_rss_feed(server):
    server.routes["/feed"] = Route(rss(server), content_type="application/rss+xml")
    server.routes["/story"] = Route(PAGE)
    server.routes["/untitled"] = Route(UNTITLED)
    result = read_feed(server.url("/feed"), fast())
    by_url = {a.url: a for a in result.articles}
    assert len(result.articles) == 3
    story = by_url[server.url("/story")]
    assert story.title == "Farmers march on parliament"  # the page's own title wins
    assert story.published == date(2021, 3, 2)  # the page has no date: the feed's
    assert story.metadata["feed"] == server.url("/feed")
    untitled = by_url[server.url("/untitled")]
    assert untitled.title == "Port strike begins"
    assert untitled.text.startswith("Port strike begins\n\n") and "tear gas" in untitled.text
    assert untitled.text[untitled.body_start:].startswith("Hundreds of farmers")
    assert untitled.published == date(2021, 3, 3)
    from_summary = by_url[server.url("/missing")]  # the page 404s; the summary is long enough
    assert from_summary.title == "Dock workers strike"
    assert from_summary.text == f"Dock workers strike\n\n{LONG_SUMMARY}"
    assert from_summary.published == date(2021, 3, 4)
    assert from_summary.metadata["text_from"] == "feed summary" and "404" in from_summary.metadata["page_problem"]
    [skip] = result.skips  # the short summary cannot stand in for the page
    assert skip.source == server.url("/also-missing") and skip.stage == "fetch" and "404" in skip.reason


def test_atom_feed_via_read_sources(server):
    server.routes["/atom"] = Route(atom(server), content_type="application/atom+xml")
    server.routes["/story"] = Route(PAGE)
    server.routes["/untitled"] = Route(UNTITLED)
    result = read_sources([server.url("/atom")], fast())
    assert not result.skips
    first, second = result.articles
    assert first.title == "Atom title for the strike" and first.published == date(2021, 3, 5)
    assert first.url == server.url("/untitled") and first.id == url_id(server.url("/untitled"))
    assert second.title == "Farmers march on parliament" and second.published == date(2021, 3, 7)
    assert server.hits["/atom"] == 1


def test_feed_served_with_a_generic_type_is_sniffed(server):
    server.routes["/feed.bin"] = Route(rss(server), content_type="application/octet-stream")
    server.routes["/story"] = Route(PAGE)
    server.routes["/untitled"] = Route(UNTITLED)
    result = read_sources([server.url("/feed.bin")], fast())
    assert len(result.articles) == 3 and len(result.skips) == 1


def test_local_feed_file(server, tmp_path):
    path = tmp_path / "news.atom"
    path.write_text(atom(server), encoding="utf-8")
    server.routes["/story"] = Route(PAGE)
    server.routes["/untitled"] = Route(UNTITLED)
    result = read_sources([path], fast())
    assert [a.title for a in result.articles] == ["Atom title for the strike", "Farmers march on parliament"]


@pytest.mark.parametrize("body", ["this is not a feed at all", "<rss><channel><item><title>",
                                  "<html><body><p>A web page</p></body></html>"])
def test_broken_feed_is_one_skip(server, tmp_path, body):
    path = tmp_path / "broken.rss"
    path.write_text(body, encoding="utf-8")
    result = read_feed(path, fast())
    assert not result.articles
    [skip] = result.skips
    assert skip.source == str(path)
    assert skip.reason.startswith(("not an RSS or Atom feed", "broken feed: "))


def test_broken_feed_by_url_and_empty_feed(server):
    server.routes["/bad"] = Route("<<< not xml", content_type="application/rss+xml")
    server.routes["/empty"] = Route('<rss version="2.0"><channel><title>x</title></channel></rss>',
                                    content_type="application/rss+xml")
    result = read_sources([server.url("/bad"), server.url("/empty")], fast())
    assert not result.articles
    assert [s.source for s in result.skips] == [server.url("/bad"), server.url("/empty")]
    assert "not an RSS or Atom feed" in result.skips[0].reason
    assert result.skips[1].reason == "the feed has no entries"


# -- URL lists and dispatch ------------------------------------------------------------------

def test_url_list(server, tmp_path):
    server.routes["/story"] = Route(PAGE)
    path = tmp_path / "links.urls"
    path.write_text(f"# today's links\n\n{server.url('/story')}\nnot a url\n{server.url('/gone')}\n"
                    f"{server.url('/story')}\n", encoding="utf-8")
    result = read_url_list(path, fast())
    assert [a.url for a in result.articles] == [server.url("/story")]
    assert [(s.source, s.reason) for s in result.skips[:1]] == [(f"{path}:4", "not a URL")]
    assert "404" in result.skips[1].reason
    assert result.skips[2].reason == "duplicate URL (already read)"
    assert server.hits["/story"] == 1


def test_read_sources_mixes_everything(server, tmp_path):
    server.routes["/story"] = Route(PAGE)
    local = tmp_path / "note.txt"
    local.write_text("A local title\n\nSome local body text about a protest.", encoding="utf-8")
    result = read_sources([server.url("/story"), str(local), "ftp://example.org/x",
                           str(tmp_path / "nothing.urls")], fast())
    assert [a.title for a in result.articles] == ["Farmers march on parliament", "A local title"]
    assert [s.reason for s in result.skips] == ["unsupported URL scheme 'ftp' (only http and https)",
                                                "no such file"]


def test_is_remote_or_feed():
    assert is_remote_or_feed("https://example.org/a")
    assert is_remote_or_feed("ftp://example.org/a")
    assert is_remote_or_feed("news/feed.RSS") and is_remote_or_feed("a.atom") and is_remote_or_feed("a.xml")
    assert is_remote_or_feed("links.urls")
    assert not is_remote_or_feed("story.html") and not is_remote_or_feed("-") and not is_remote_or_feed("data/")


def test_iter_sources_yields_each_item_as_soon_as_it_is_ready(server):
    server.routes["/story"] = Route(PAGE)
    items = iter_sources([server.url("/story"), server.url("/gone"), "ftp://example.org/x"], fast())
    first = next(items)
    assert isinstance(first, Article) and first.url == server.url("/story")
    assert server.hits["/gone"] == 0  # the next URL is not fetched before the first article is handed on
    rest = list(items)
    assert [type(i) for i in rest] == [Skipped, Skipped] and server.hits["/gone"] == 1


def test_public_names():
    assert set(fetch.__all__) == {"Fetcher", "FetchResult", "read_url", "read_feed", "read_url_list", "read_sources",
                                  "iter_sources", "is_remote_or_feed", "is_url", "check_url", "url_id"}
    assert all(hasattr(fetch, name) for name in fetch.__all__)


def test_fetcher_closes_its_connections(server):
    server.routes["/story"] = Route(PAGE)
    with fast() as fetcher:
        assert fetcher.get(server.url("/story")).status == 200
    assert fetcher._client.is_closed


# -- robots.txt ------------------------------------------------------------------------------

def robots(text: str, **kw) -> Route:
    return Route(text, content_type="text/plain", **kw)


def test_disallowed_page_is_skipped_and_never_requested(server):
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /private/\n")
    server.routes["/private/story"] = Route(PAGE)
    server.routes["/story"] = Route(PAGE)
    result = read_sources([server.url("/private/story"), server.url("/story")], fast())
    assert [a.url for a in result.articles] == [server.url("/story")]  # allowed pages are fetched
    [skip] = result.skips
    assert (skip.source, skip.stage) == (server.url("/private/story"), "fetch")
    assert skip.reason == f"disallowed by robots.txt ({server.url('/robots.txt')})"
    assert server.hits["/private/story"] == 0 and server.hits["/robots.txt"] == 1


@pytest.mark.parametrize("text, allowed", [
    ("User-agent: eventwire\nDisallow: /\n\nUser-agent: *\nAllow: /\n", False),
    ("User-agent: otherbot\nDisallow: /\n", True),
    ("User-agent: *\nDisallow: /\n\nUser-agent: eventwire\nAllow: /\n", True),
    ("User-agent: *\nDisallow:\n", True),
], ids=["eventwire-disallowed", "other-agent", "eventwire-allowed-others-not", "empty-disallow"])
def test_robots_rules_for_eventwire(server, text, allowed):
    server.routes["/robots.txt"] = robots(text)
    server.routes["/story"] = Route(PAGE)
    result = read_url(server.url("/story"), fast())
    assert bool(result.articles) is allowed
    assert server.hits["/story"] == (1 if allowed else 0)


def test_robots_txt_is_read_once_per_host(server, tmp_path):
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /private/\n")
    for n in range(6):
        server.routes[f"/story{n}"] = Route(PAGE)
    path = tmp_path / "links.urls"
    urls = [server.url(f"/story{n}") for n in range(6)] + [server.url(f"/private/{n}") for n in range(3)]
    urls += [server.url("/story0", host="localhost"), server.url("/private/9", host="localhost")]
    path.write_text("\n".join(urls), encoding="utf-8")
    result = read_url_list(path, fast())
    assert len(result.articles) == 7 and len(result.skips) == 4
    assert all(s.reason.startswith("disallowed by robots.txt") for s in result.skips)
    assert server.hits["/robots.txt"] == 2  # 127.0.0.1 and localhost are two sites


def test_a_redirect_into_a_disallowed_path_is_not_followed(server):
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /private/\n")
    server.routes["/old"] = Route(b"", status=301, headers={"Location": "/private/story"})
    server.routes["/private/story"] = Route(PAGE)
    [skip] = read_url(server.url("/old"), fast()).skips
    assert skip.reason.startswith("disallowed by robots.txt") and server.hits["/private/story"] == 0


@pytest.mark.parametrize("status", [404, 410])
def test_no_robots_txt_allows_everything(server, status):
    server.routes["/robots.txt"] = robots("gone", status=status)
    server.routes["/story"] = Route(PAGE)
    assert read_url(server.url("/story"), fast()).articles
    assert server.hits["/robots.txt"] == 1 and server.hits["/story"] == 1


@pytest.mark.parametrize("status", [401, 403])
def test_robots_txt_behind_a_login_disallows_everything(server, status):
    server.routes["/robots.txt"] = robots("no", status=status)
    server.routes["/story"] = Route(PAGE)
    [skip] = read_url(server.url("/story"), fast()).skips
    assert skip.reason == f"disallowed by robots.txt: {server.url('/robots.txt')} answered HTTP {status}"
    assert server.hits["/story"] == 0


def test_robots_txt_server_error_disallows_everything_after_retries(server):
    server.routes["/robots.txt"] = robots("busy", status=503)
    server.routes["/a"] = Route(PAGE)
    server.routes["/b"] = Route(PAGE)
    result = read_sources([server.url("/a"), server.url("/b")], fast(retries=2))
    robots_url = server.url("/robots.txt")
    assert [s.reason for s in result.skips] == [
        f"disallowed by robots.txt: {robots_url} could not be read (HTTP 503 for {robots_url})"] * 2
    assert server.hits["/robots.txt"] == 3  # the first try and two retries, then never again in this run
    assert server.hits["/a"] == server.hits["/b"] == 0


def test_robots_txt_timeout_disallows_everything(server):
    server.routes["/robots.txt"] = robots("User-agent: *\nAllow: /\n", delay=3.0)
    server.routes["/story"] = Route(PAGE)
    [skip] = read_url(server.url("/story"), fast(timeout=0.3, retries=0)).skips
    assert skip.reason == (f"disallowed by robots.txt: {server.url('/robots.txt')} could not be read "
                           "(timed out after 0.3 s)")
    assert server.hits["/story"] == 0


def test_unreachable_site_is_one_skip_that_names_the_cause(server):
    import socket

    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [skip] = read_url(f"http://127.0.0.1:{port}/story", fast(retries=0)).skips
    assert skip.reason.startswith(f"disallowed by robots.txt: http://127.0.0.1:{port}/robots.txt could not be read "
                                  f"(cannot connect to 127.0.0.1:{port}")


def test_large_robots_txt_is_read_up_to_the_limit(server):
    rules = "User-agent: *\nDisallow: /private/\n"
    server.routes["/robots.txt"] = robots(rules + "# padding\n" * 60_000 + "Disallow: /story\n")
    server.routes["/story"] = Route(PAGE)
    server.routes["/private/x"] = Route(PAGE)
    result = read_sources([server.url("/story"), server.url("/private/x")], fast(max_bytes=1000 * 1000))
    assert [a.url for a in result.articles] == [server.url("/story")]  # the rule past 500 KiB is not read
    assert server.hits["/private/x"] == 0


def test_crawl_delay_is_a_floor_for_the_host_delay(server):
    server.routes["/robots.txt"] = robots("User-agent: *\nCrawl-delay: 3\nDisallow: /private/\n")
    server.routes["/story"] = Route(PAGE)
    fake = FakeClock()
    fetcher = Fetcher(per_host_delay=0.5, clock=fake.clock, sleep=fake.sleep)
    fetcher.get(server.url("/story"))  # robots.txt first, then the page 3 s later
    fetcher.get(server.url("/story"))
    assert fake.sleeps == [3.0, 3.0]
    fetcher = Fetcher(per_host_delay=5.0, clock=fake.clock, sleep=fake.sleep)
    fetcher.get(server.url("/story"))
    assert fake.sleeps[2:] == [5.0]  # a shorter Crawl-delay does not shorten our own


def test_a_crawl_delay_too_long_to_wait_for_is_a_skip(server):
    server.routes["/robots.txt"] = robots("User-agent: eventwire\nCrawl-delay: 3600\n")
    server.routes["/story"] = Route(PAGE)
    [skip] = read_url(server.url("/story"), fast()).skips
    assert skip.reason == (f"disallowed by robots.txt: {server.url('/robots.txt')} asks for a Crawl-delay of "
                           "3600 s, more than eventwire waits (60 s)")
    assert server.hits["/story"] == 0


def test_robots_txt_request_counts_for_the_host_delay(server):
    server.routes["/story"] = Route(PAGE)
    fake = FakeClock()
    Fetcher(per_host_delay=2.0, clock=fake.clock, sleep=fake.sleep).get(server.url("/story"))
    assert fake.sleeps == [2.0] and server.hits["/robots.txt"] == 1


def test_feed_with_entries_partly_disallowed(server):
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /untitled\nDisallow: /missing\n"
                                          "Disallow: /also-missing\n")
    server.routes["/feed"] = Route(rss(server), content_type="application/rss+xml")
    server.routes["/story"] = Route(PAGE)
    server.routes["/untitled"] = Route(UNTITLED)
    result = read_feed(server.url("/feed"), fast())
    story, from_summary = result.articles
    assert story.url == server.url("/story")
    # the feed's own text stands in for a page we may not fetch, and says why
    assert from_summary.metadata["text_from"] == "feed summary"
    assert from_summary.metadata["page_problem"].startswith("disallowed by robots.txt")
    assert [(s.source, s.stage) for s in result.skips] == [(server.url("/untitled"), "fetch"),
                                                            (server.url("/also-missing"), "fetch")]
    assert all(s.reason.startswith("disallowed by robots.txt") for s in result.skips)
    assert [server.hits[p] for p in ("/untitled", "/missing", "/also-missing")] == [0, 0, 0]


def test_ignore_robots_fetches_everything_and_says_so_once_per_site(server):
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /\n")
    server.routes["/story"] = Route(PAGE)
    ignored: list[str] = []
    fetcher = fast(ignore_robots=True, on_robots_ignored=ignored.append)
    result = read_sources([server.url("/story"), server.url("/gone"), server.url("/story", host="localhost")], fetcher)
    assert len(result.articles) == 2
    assert server.hits["/robots.txt"] == 0
    assert ignored == [f"http://127.0.0.1:{server.port}", f"http://localhost:{server.port}"]


def test_ingest_cli_obeys_robots_unless_told_not_to(server, tmp_path, capsys, monkeypatch, pipeline):
    from eventwire import Pipeline
    from eventwire.cli import main

    monkeypatch.setattr(Pipeline, "load", classmethod(lambda cls, *a, **kw: pipeline))  # loaded once per session
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /\n")
    server.routes["/story"] = Route(PAGE)
    db = str(tmp_path / "store.db")
    args = ["ingest", server.url("/story"), "--db", db, "--delay", "0", "--retries", "0", "--no-link"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"skipped {server.url('/story')}: disallowed by robots.txt" in err and server.hits["/story"] == 0
    assert main(args + ["--ignore-robots"]) == 0
    err = capsys.readouterr().err
    assert f"eventwire: robots.txt ignored for http://127.0.0.1:{server.port} (--ignore-robots)\n" in err
    assert server.hits["/story"] == 1 and server.hits["/robots.txt"] == 1


def test_one_helper_of_each_kind():
    # STYLE.md: one definition. The one-line text of another library's exception is errors.first_line
    # (the CLI's one_line, which escapes control characters for the terminal, stays in the CLI).
    from eventwire import batch, errors
    from eventwire.ingest import readers
    from eventwire.store import db

    assert errors.first_line(ValueError("no such table: articles\nDETAIL:  at  line 1")) == "no such table: articles"
    assert errors.first_line(OSError("\n  a   b \n c")) == "a b"
    assert errors.first_line(KeyError()) == "KeyError"
    assert fetch.first_line is db.first_line is batch.first_line is errors.first_line
    assert fetch.read_local_bytes is readers.read_local_bytes
    assert [name for name in ("_one_line", "_collect", "_read_local") if hasattr(fetch, name)] == []
    assert not hasattr(db, "_first_line")
