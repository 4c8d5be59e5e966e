"""Property tests: every parser and stage survives arbitrary text without raising."""
from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from eventwire.extract.casualties import find_counts, parse_number
from eventwire.ingest import make_article
from eventwire.ingest.readers import IngestResult, read_text
from eventwire.models import MODALITIES, Article, Event, Skipped
from eventwire.resolve.dates import resolve_date
from eventwire.resolve.gazetteer import norm_key, strip_article

FAST = settings(max_examples=150, deadline=None)
KINDS = ("txt", "html", "jsonl", "csv")

# Fragments that steer generated text into the parsers' interesting branches.
DATE_WORDS = st.sampled_from([
    "yesterday", "today", "tonight", "last week", "this month", "two days ago", "3 weeks earlier",
    "Monday", "on Friday", "next Saturday", "March", "5 March 2021", "2021-02-29", "12/31/2020",
    "31.12.2020", "1999", "2099", "the 1990s", "early 2024", "late last year", "in 9999", "0/0",
    "Feb 30", "day 1", "an year ago", "a month before", "10000 days ago",
])
COUNT_WORDS = st.sampled_from([
    "at least 12 people were killed", "dozens injured", "no one was hurt", "killing 3",
    "1,000,000,000 dead", "twenty-five wounded", "hundreds of thousands arrested", "2021 killed",
    "Resolution 2254 killed", "three dozen detained", "several dozen abducted", "no casualties",
    "left 4 dead", "0.5 killed", "1e9 killed", "ninety nine hundred thousand million dead",
])
TEXT_WORDS = st.sampled_from([
    "Police fired tear gas at protesters", "in Kabul", "on Monday", "killing 3 people", ".", ",",
    "Russian troops shelled Kharkiv", "the president said", "would not attack", "\n", "\n\n",
    "Al-Bukamal", "U.S.", "Hamas", "air strike", "ceasefire", "\u200b", "\u202e", "🙂", "ʼ", "’",
])


def mixed(words: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Arbitrary unicode, domain fragments, and the two glued together."""
    return st.one_of(
        st.text(),
        words,
        st.lists(st.one_of(words, st.text(max_size=8)), max_size=8).map(" ".join),
    )


DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
REALISTIC_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


# -- ingest ------------------------------------------------------------------------------

def _check_ingest(result: IngestResult, text: str) -> None:
    assert isinstance(result, IngestResult)
    assert all(isinstance(a, Article) for a in result.articles)
    assert all(isinstance(s, Skipped) and s.reason for s in result.skips)
    if text:
        assert result.articles or result.skips


@FAST
@given(text=st.text(), kind=st.sampled_from(("txt", "jsonl", "csv")))
@example(text="\r0", kind="csv")  # a bare CR in the CSV header row: csv.Error from DictReader.fieldnames
def test_read_text_survives_arbitrary_text(text, kind):
    _check_ingest(read_text(text, kind, "input", "stem"), text)


@settings(max_examples=60, deadline=None)
@given(text=st.one_of(st.text(), st.lists(st.sampled_from(
    ["<html>", "<body>", "<p>", "</p>", "<script>", "<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "<meta", "<title>",
     "Police fired tear gas.", "\x00", "<", ">"]), max_size=12).map("".join)))
def test_read_html_survives_arbitrary_text(text):
    _check_ingest(read_text(text, "html", "input", "stem"), text)


@FAST
@given(
    rows=st.lists(st.fixed_dictionaries({}, optional={
        "id": st.one_of(st.text(), st.integers(), st.none()),
        "text": st.one_of(st.text(), st.integers(), st.none(), st.lists(st.text(), max_size=2)),
        "title": st.one_of(st.text(), st.none()),
        "published": st.one_of(st.text(), st.none()),
        "extra": st.text(),
    }), max_size=4),
    junk=st.text(),
)
def test_read_jsonl_survives_odd_rows(rows, junk):
    import json

    text = "\n".join([json.dumps(r) for r in rows] + [junk])
    _check_ingest(read_text(text, "jsonl", "input", "stem"), text)


@FAST
@given(header=st.lists(st.sampled_from(["id", "text", "title", "published", "url", "x", ""]), max_size=5),
       body=st.text())
def test_read_csv_survives_odd_rows(header, body):
    text = ",".join(header) + "\n" + body
    _check_ingest(read_text(text, "csv", "input", "stem"), text)


# -- dates -------------------------------------------------------------------------------

@FAST
@given(text=mixed(DATE_WORDS), published=st.one_of(st.none(), DATES))
def test_resolve_date_survives_and_never_passes_publication(text, published):
    resolved = resolve_date(text, published)
    if resolved.value is not None:
        assert isinstance(resolved.value, date)
        if published is not None:
            assert resolved.value <= published


@FAST
@given(text=mixed(DATE_WORDS), published=st.one_of(st.none(), REALISTIC_DATES))
def test_resolve_date_realistic_publication(text, published):
    resolved = resolve_date(text, published)
    if resolved.value is not None and published is not None:
        assert resolved.value <= published


@FAST
@given(text=mixed(DATE_WORDS), published=st.one_of(st.none(), DATES))
def test_resolve_future_date_survives(text, published):
    resolved = resolve_date(text, published, future=True)
    assert resolved.value is None or isinstance(resolved.value, date)


# -- casualties --------------------------------------------------------------------------

@FAST
@given(text=mixed(COUNT_WORDS))
def test_find_counts_survives(text):
    for count in find_counts(text):
        assert type(count.value) is int and count.value >= 0
        assert count.kind in {"killed", "injured", "arrested", "abducted"}
        assert 0 <= count.start <= count.end <= len(text)


@FAST
@given(text=st.one_of(st.text(), st.sampled_from([
    "12", "1,200", "2.5 thousand", "dozens", "three dozen", "a few dozen", "twenty-one", "one hundred",
    "five thousand three hundred", "thousand", "million", "0", "00", "1e5", "nan", "inf", "-3", "½", "١٢",
])))
def test_parse_number_survives(text):
    value, vague = parse_number(text)
    assert isinstance(vague, bool)
    assert value is None or (type(value) is int and value >= 0)


# -- gazetteer keys ----------------------------------------------------------------------

@FAST
@given(text=mixed(TEXT_WORDS))
def test_norm_key_and_strip_article_survive(text):
    key = norm_key(text)
    assert isinstance(key, str)
    assert key == key.strip()
    stripped = strip_article(key)
    assert isinstance(stripped, str) and key.endswith(stripped)
    assert isinstance(strip_article(text), str)


# -- whole pipeline ----------------------------------------------------------------------

@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=mixed(TEXT_WORDS), title=st.one_of(st.just(""), st.text(max_size=30)),
       published=st.one_of(st.none(), REALISTIC_DATES))
def test_pipeline_survives_arbitrary_text(pipeline, body, title, published):
    article = make_article(body, title=title, published=published)
    skipped = pipeline.check(article)
    assert skipped is None or (isinstance(skipped, Skipped) and skipped.reason)
    events = pipeline.code(article)
    assert isinstance(events, list)
    for event in events:
        assert isinstance(event, Event)
        assert event.modality in MODALITIES
        assert event.trigger.text == article.text[event.trigger.start:event.trigger.end]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(
    st.just(""),
    st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=60),
    st.text(alphabet="0123456789", min_size=1, max_size=200),
    st.text(alphabet="0123456789 \n", min_size=1, max_size=200),
))
def test_check_skips_text_without_words(pipeline, text):
    skipped = pipeline.check(make_article(text))
    assert isinstance(skipped, Skipped)
    assert skipped.stage == "check"
    assert skipped.reason
