"""Date expressions resolved against the publication date.

Rules (news usage): a bare weekday ("on Thursday") is the most recent such day on or before
publication, so "on Friday" in a Friday paper is the publication day; "last Friday" is the
one strictly before it; "yesterday", "a day earlier", "two days ago", "last week", "last month"
and "last year" are relative to publication; absolute dates go through dateparser with
RELATIVE_BASE = publication and PREFER_DATES_FROM = past. No date is ever after publication,
and without a publication date relative expressions stay unresolved with a reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = ["ResolvedDate", "resolve_date", "WEEKDAYS"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
        "forty": 40, "fifty": 50, "several": None, "few": None}
_AGO = re.compile(r"(?<![\w-])((?:twenty|thirty|forty|fifty)-(?:one|two|three|four|five|six|seven|eight|nine)|a|an|one|"
                  r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|\d+)"
                  r"\s+(day|week|month|year|decade)s?\s+(ago|earlier|before)\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_RELATIVE_WORDS = re.compile(r"\b(yesterday|today|tonight|this (morning|afternoon|evening|week|month|year)|"
                             r"last (week|month|year|night)|overnight|earlier|ago|"
                             + "|".join(WEEKDAYS) + r")\b")


@dataclass(frozen=True)
class ResolvedDate:
    value: date | None
    precision: str | None  # day | week | month | year
    note: str | None = None


def _weekday_before(pub: date, weekday: int, strictly: bool) -> date:
    delta = (pub.weekday() - weekday) % 7
    if delta == 0 and strictly:
        delta = 7
    return pub - timedelta(days=delta)


def resolve_date(text: str, published: date | None, future: bool = False) -> ResolvedDate:
    """Resolve one date expression (e.g. the text of a spaCy DATE entity).

    ``future=True`` resolves forward, for the due date of a planned act ("the truce takes
    effect on Saturday"): such dates are never an event's ``date``.
    """
    try:
        if future:
            return _resolve_future(text, published)
        return _resolve_past(text, published)
    except (OverflowError, ValueError):  # "10000 days ago" in year 28
        return ResolvedDate(None, None, f"out of the calendar's range: {text!r}")


def _resolve_past(text: str, published: date | None) -> ResolvedDate:
    t = " ".join(text.lower().replace("’", "'").split())
    if not t:
        return ResolvedDate(None, None, "empty date expression")
    if not re.search(r"[a-z]", t) and not _YEAR.search(t) and not re.search(r"\d+[/.-]\d+", t):
        return ResolvedDate(None, None, f"not a date: {t!r}")
    is_relative = bool(_RELATIVE_WORDS.search(t) or _AGO.search(t))
    if published is None:
        if is_relative or not _YEAR.search(t):
            return ResolvedDate(None, None, "relative date and no publication date to resolve it against")
    pub = published
    if pub is not None:
        for i, name in enumerate(WEEKDAYS):
            if re.search(rf"\b{name}\b", t):
                strictly = bool(re.search(rf"\blast\s+{name}\b|\b{name}\s+(week|before)\b", t))
                if re.search(rf"\bnext\s+{name}\b", t):
                    return ResolvedDate(None, None, "a future weekday")
                day = _weekday_before(pub, i, strictly)
                if re.search(r"\b(week|before)\b", t) and not strictly:
                    day -= timedelta(days=7)
                return ResolvedDate(day, "day")
        m = _AGO.search(t)
        if m:
            word = m.group(1)
            if "-" in word:  # "twenty-one"
                tens, unit = word.split("-")
                n = _NUM[tens] + _NUM[unit]
            else:
                n = _NUM.get(word) if not word.isdigit() else int(word)
            if n is None:
                return ResolvedDate(None, None, "vague interval")
            unit = m.group(2)
            if unit == "decade":
                unit, n = "year", 10 * n
            if unit == "year" and re.search(r"\bago (today|this day)\b", t):  # "ten years ago today"
                day = pub.day if (pub.month, pub.day) != (2, 29) else 28
                return ResolvedDate(date(pub.year - n, pub.month, day), "day")
            if unit == "day":
                return ResolvedDate(pub - timedelta(days=n), "day")
            if unit == "week":
                return ResolvedDate(pub - timedelta(days=7 * n), "week")
            if unit == "month":
                y, mth = pub.year, pub.month - n
                while mth <= 0:
                    y, mth = y - 1, mth + 12
                return ResolvedDate(date(y, mth, 1), "month")
            return ResolvedDate(date(pub.year - n, 1, 1), "year")
        if re.search(r"\b(yesterday|last night|overnight)\b", t):
            return ResolvedDate(pub - timedelta(days=1), "day")
        if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", t):
            return ResolvedDate(pub, "day")
        if re.search(r"\blast week\b|\bthis week\b|\bearlier this week\b", t):
            back = 7 if "last" in t else 0
            monday = pub - timedelta(days=pub.weekday() + back)
            return ResolvedDate(monday, "week")
        if re.search(r"\blast month\b", t):
            first = pub.replace(day=1) - timedelta(days=1)
            return ResolvedDate(first.replace(day=1), "month")
        if re.search(r"\bthis month\b|\bearlier this month\b", t):
            return ResolvedDate(pub.replace(day=1), "month")
        if re.search(r"\blast year\b", t):
            return ResolvedDate(date(pub.year - 1, 1, 1), "year")
        if re.search(r"\bthis year\b|\bearlier this year\b", t):
            return ResolvedDate(date(pub.year, 1, 1), "year")
    if re.fullmatch(r"(in |since |during |early |late |mid-?)?(1[89]\d\d|20\d\d)s?", t):
        year = int(_YEAR.search(t).group(1))
        if t.endswith("s") or (pub and year > pub.year):
            return ResolvedDate(None, None, "a decade or a future year")
        return ResolvedDate(date(year, 1, 1), "year")
    return _dateparser(t, pub)


def _resolve_future(text: str, pub: date | None) -> ResolvedDate:
    t = " ".join(text.lower().split())
    if pub is None:
        return ResolvedDate(None, None, "no publication date")
    for i, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", t):
            delta = (i - pub.weekday()) % 7 or 7
            if re.search(rf"\bnext\s+{name}\b", t) and delta < 7:
                delta += 7 if delta <= 2 else 0
            return ResolvedDate(pub + timedelta(days=delta), "day")
    if "tomorrow" in t:
        return ResolvedDate(pub + timedelta(days=1), "day")
    if re.search(r"\bnext week\b", t):
        return ResolvedDate(pub + timedelta(days=7 - pub.weekday()), "week")
    if re.search(r"\bnext month\b", t):
        y, m = (pub.year + 1, 1) if pub.month == 12 else (pub.year, pub.month + 1)
        return ResolvedDate(date(y, m, 1), "month")
    if re.search(r"\bnext year\b", t):
        return ResolvedDate(date(pub.year + 1, 1, 1), "year")
    import dateparser

    try:
        parsed = dateparser.parse(t, languages=["en"], settings={
            "PREFER_DATES_FROM": "future", "RELATIVE_BASE": datetime(pub.year, pub.month, pub.day, 12)})
    except Exception:  # dateparser raises assorted errors on odd strings
        parsed = None
    if parsed is None or parsed.date() < pub:
        return ResolvedDate(None, None, f"could not resolve {t!r} forward")
    return ResolvedDate(parsed.date(), "day")


def _dateparser(t: str, pub: date | None) -> ResolvedDate:
    import dateparser

    if re.search(r"\b(years?|decades?|months?|weeks?|days?)\b", t) and not re.search(r"\d", t):
        return ResolvedDate(None, None, "a duration, not a date")
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False,
                "REQUIRE_PARTS": [], "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False}
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day, 12)
    cleaned = re.sub(r"^(on|in|since|by|from|during|until|early|late|mid)\s+", "", t)
    cleaned = re.sub(r"\b(morning|afternoon|evening|night)\b", "", cleaned).strip()
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd strings
        parsed = None
    if parsed is None:
        return ResolvedDate(None, None, f"could not resolve {t!r}")
    has_day = bool(re.search(r"\b\d{1,2}(st|nd|rd|th)?\b", cleaned.replace(str(parsed.year), "")))
    has_month = bool(re.search(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", cleaned))
    precision = "day" if has_day and has_month else "month" if has_month else "year"
    value = parsed.date()
    if precision == "month":
        value = value.replace(day=1)
    elif precision == "year":
        value = date(value.year, 1, 1)
    if pub is not None and value > pub:
        if precision == "day" and not _YEAR.search(cleaned):
            try:
                value = value.replace(year=value.year - 1)
            except ValueError:
                return ResolvedDate(None, None, "after the publication date")
        else:
            return ResolvedDate(None, None, "after the publication date")
        if value > pub:
            return ResolvedDate(None, None, "after the publication date")
    if pub is None and not _YEAR.search(cleaned):
        return ResolvedDate(None, None, "no year and no publication date")
    return ResolvedDate(value, precision)
