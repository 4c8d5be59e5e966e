from datetime import date

import pytest

from eventwire.resolve.dates import resolve_date

FRIDAY = date(2021, 2, 26)


@pytest.mark.parametrize("text, expected, precision", [
    ("Thursday", "2021-02-25", "day"),
    ("on Thursday", "2021-02-25", "day"),
    ("Thursday morning", "2021-02-25", "day"),
    ("Friday", "2021-02-26", "day"),          # the publication day itself
    ("last Friday", "2021-02-19", "day"),     # the week before
    ("Saturday", "2021-02-20", "day"),
    ("yesterday", "2021-02-25", "day"),
    ("two days ago", "2021-02-24", "day"),
    ("last week", "2021-02-15", "week"),
    ("last month", "2021-01-01", "month"),
    ("last year", "2020-01-01", "year"),
    ("2017", "2017-01-01", "year"),
    ("in 2017", "2017-01-01", "year"),
    ("February 3", "2021-02-03", "day"),
    ("March 3", "2020-03-03", "day"),          # never after publication: last year's March
    ("3 January 2019", "2019-01-03", "day"),
    ("January 2019", "2019-01-01", "month"),
])
def test_resolves_against_publication(text, expected, precision):
    got = resolve_date(text, FRIDAY)
    assert (got.value.isoformat(), got.precision) == (expected, precision)


@pytest.mark.parametrize("text", ["Thursday", "yesterday", "last week", "two days ago"])
def test_relative_dates_stay_unresolved_without_publication(text):
    got = resolve_date(text, None)
    assert got.value is None
    assert "publication" in got.note


@pytest.mark.parametrize("text", ["next Thursday", "2031", "several years", "for years"])
def test_no_future_or_durations(text):
    assert resolve_date(text, FRIDAY).value is None


def test_absolute_date_without_publication():
    assert resolve_date("3 January 2019", None).value == date(2019, 1, 3)
