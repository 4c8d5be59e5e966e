"""Readable text for people: the events table and the per-field explanation."""
from __future__ import annotations

import textwrap

from eventwire.models import Article, Event, Span

__all__ = ["event_table", "explain_event", "highlight"]


def _actor_cell(event: Event, role: str) -> str:
    names = []
    for a in event.actors:
        if a.role != role:
            continue
        label = a.code or a.text
        if a.associated_country:
            label += f" ({a.associated_country}-backed)"
        names.append(label)
    return "; ".join(names) or "-"


def _range(r) -> str:
    if r is None:
        return "-"
    if r.low == r.high:
        return str(r.best)
    return f"{r.best} ({r.low}-{r.high})"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def event_table(article: Article, events: list[Event], show_all: bool = False) -> str:
    """A fixed-width table of one article's events (asserted ones unless ``show_all``)."""
    rows = [e for e in events if show_all or e.modality == "asserted"]
    hidden = len(events) - len(rows)
    head = f"{article.id}: {_cut(article.title or article.text[:60], 70)}"
    cols = ("type", "mode", "modality", "date", "actor", "recipient", "location", "killed", "conf")
    widths = (9, 13, 12, 10, 18, 22, 24, 8, 4)
    lines = [head, "  " + "  ".join(c.ljust(w) for c, w in zip(cols, widths))]
    lines.append("  " + "  ".join("-" * w for w in widths))
    for e in rows:
        loc = "-"
        if e.location:
            loc = ", ".join(x for x in (e.location.name, e.location.country_code) if x)
        cells = (e.event_type, e.mode or "-", e.modality, e.date or "-", _actor_cell(e, "actor"),
                 _actor_cell(e, "recipient"), loc, _range(e.fatalities), f"{e.confidence:.2f}")
        lines.append("  " + "  ".join(_cut(str(c), w).ljust(w) for c, w in zip(cells, widths)))
    if not rows:
        lines.append("  (no asserted events)")
    if hidden:
        lines.append(f"  + {hidden} non-asserted event(s) (hypothetical, negated, future, historical): --all shows them")
    return "\n".join(lines) + "\n"


def highlight(sentence: Span, spans: list[Span]) -> str:
    """The sentence with the given spans (inside it) wrapped in [[ ]]."""
    text = sentence.text
    inside = sorted({(s.start, s.end) for s in spans if s and sentence.start <= s.start and s.end <= sentence.end},
                    reverse=True)
    last = None
    for start, end in inside:
        if last is not None and end > last:
            continue
        a, b = start - sentence.start, end - sentence.start
        text = text[:a] + "[[" + text[a:b] + "]]" + text[b:]
        last = start
    return " ".join(text.split())


def explain_event(event: Event, article: Article) -> str:
    """Every field of the event with the sentence and the highlighted words that produced it."""
    sentences = [s for s in event.evidence if s.text.strip()]
    full = sorted({s for s in sentences if any(s.start <= t.start and t.end <= s.end for t in sentences if t != s)}
                  or set(sentences), key=lambda s: s.start)

    def where(span: Span | None) -> str:
        if span is None:
            return "    (not from the text)"
        host = next((s for s in full if s.start <= span.start and span.end <= s.end), None)
        if host is None:
            return f"    «{span.text}»"
        return "    " + "\n    ".join(textwrap.wrap(highlight(host, [span]), 100))

    out = [f"== {event.id}  {event.event_type}/{event.mode or '-'}  {event.modality}  "
           f"confidence {event.confidence:.2f}  (article {article.id})"]
    out.append(f"  event_type {event.event_type} (quad class {event.quad_class}), CAMEO {event.cameo_code}, "
               f"ACLED {event.acled_event_type or '-'} / {event.acled_sub_event_type or '-'}: trigger")
    out.append(where(event.trigger))
    out.append(f"  modality {event.modality}" + (": cue" if event.modality_span else ": no cue found"))
    if event.modality_span:
        out.append(where(event.modality_span))
    out.append(f"  date {event.date or '-'} ({event.date_precision or '-'})" +
               (f": {event.date_note}" if event.date_note else ""))
    if event.date_span:
        out.append(where(event.date_span))
    for a in event.actors:
        desc = ", ".join(f"{k}={v}" for k, v in (("code", a.code), ("country", a.country), ("sector", a.sector),
                                                  ("associated", a.associated_country)) if v)
        out.append(f"  {a.role}: {a.text} -> {desc or 'unresolved'}")
        out.append(where(a.span))
    if event.location:
        p = event.location
        out.append(f"  location: {p.name}, {p.admin1 or '-'}, {p.country_code} ({p.lat}, {p.lon}), "
                   f"precision {p.precision}, geonameid {p.geonameid}")
        out.append(where(p.span))
    else:
        out.append("  location: none found")
    for c in event.claims:
        figs = "no figure given" if c.no_figure else ", ".join(
            f"{k} {v}" for k, v in (("killed", c.killed), ("injured", c.injured), ("arrested", c.arrested))
            if v is not None)
        out.append(f"  claim by {c.claimant or 'the article'}: {figs}" + (f" ({c.hedge})" if c.hedge else ""))
        out.append(where(c.span))
    out.append(f"  fatalities {_range(event.fatalities)}, injured {_range(event.injured)}")
    return "\n".join(out) + "\n"
