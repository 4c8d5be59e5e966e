"""Readable text for people: the events table and the per-field explanation."""
from __future__ import annotations

import textwrap

from eventwire.models import Article, Event, Span, Toponym

__all__ = ["event_table", "explain_event", "highlight", "evaluation_text", "toponym_table"]


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


def toponym_table(article: Article, toponyms: list[Toponym]) -> str:
    """A fixed-width table of one article's toponyms: the reading, how sure, and the runner-up; an
    unresolved toponym shows why."""
    head = f"{article.id}: {_cut(article.title or article.text[:60], 70)}"
    cols = ("chars", "toponym", "reading", "admin1", "ctry", "lat, lon", "kind", "conf", "by", "runner-up")
    widths = (11, 18, 20, 16, 4, 17, 7, 4, 12, 26)
    lines = [head, ("  " + "  ".join(c.ljust(w) for c, w in zip(cols, widths))).rstrip(),
             "  " + "  ".join("-" * w for w in widths)]
    for t in toponyms:
        kind = t.feature_code or "-"
        if t.role != "place":
            kind += "*"
        if t.lat is None:
            cells = (f"{t.span.start}-{t.span.end}", t.text, "(unresolved)")
            lines.append("  " + "  ".join(_cut(str(c), w).ljust(w) for c, w in zip(cells, widths[:3]))
                         + "  " + (t.reason or "-"))
            continue
        r = t.runner_up
        runner = f"{r.name}, {r.country_code or '-'} {r.confidence:.2f}" if r is not None and r.confidence else "-"
        cells = (f"{t.span.start}-{t.span.end}", t.text, t.name or "-", t.admin1 or "-", t.country_code or "-",
                 f"{t.lat:.3f}, {t.lon:.3f}", kind, "-" if t.confidence is None else f"{t.confidence:.2f}",
                 t.resolved_by or "-", runner)
        lines.append(("  " + "  ".join(_cut(str(c), w).ljust(w) for c, w in zip(cells, widths))).rstrip())
    if not toponyms:
        lines.append("  (no toponyms)")
    if any(t.role != "place" for t in toponyms):
        lines.append("  * a source's base (\"UK-based\") or a name inside an organisation's name: never an event's place")
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
    if event.typing is not None:
        t = event.typing
        probs = lambda d: ", ".join(f"{k} {v:.2f}" for k, v in d.items())  # noqa: E731
        out.append(f"  typed by {t.coder}: P(no event) {t.p_none:.2f}; ACLED {probs(t.acled_probs)}; "
                   f"PLOVER {probs(t.plover_probs)}")
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


def evaluation_text(what: str, r: dict) -> str:
    """An evaluation report as a readable table."""
    out = [f"{r.get('file')}  ({r.get('seconds')} s)"]
    if what == "events":
        out.append(f"n={r['n']}  accuracy={r['accuracy']} (95% CI {r['accuracy_ci95'][0]}-{r['accuracy_ci95'][1]})  "
                   f"macro-F1={r['macro_f1']}  weighted-F1={r['weighted_f1']}")
        if "source_country_f1" in r:
            out.append(f"source_country_f1={r['source_country_f1']}  target_country_f1={r['target_country_f1']}")
        out.append(f"  {'class':<36}{'prec':>7}{'rec':>7}{'F1':>7}{'n':>6}")
        for label, c in sorted(r["per_class"].items(), key=lambda kv: -kv[1]["support"]):
            out.append(f"  {label[:35]:<36}{c['precision']:>7.2f}{c['recall']:>7.2f}{c['f1']:>7.2f}{c['support']:>6}")
        labels = sorted(r["confusion"])
        cols = sorted({p for row in r["confusion"].values() for p in row})
        out.append("confusion (rows gold, columns predicted):")
        out.append("  " + " " * 12 + "".join(f"{c[:6]:>7}" for c in cols))
        for g in labels:
            out.append(f"  {g[:12]:<12}" + "".join(f"{r['confusion'][g].get(c, 0) or '.':>7}" for c in cols))
    elif what == "places":
        out.append(f"gold toponyms={r['n_gold']}  predicted={r['n_predicted']}")
        out.append(f"overlap: precision={r['precision']} recall={r['recall']} F1={r['f1']}   exact F1={r['exact_f1']}")
        out.append(f"over {r['n_scored_km']} matched with coordinates: acc@161km={r['acc_161km']} "
                   f"(95% CI {r['acc_161km_ci95']})  median={r['median_km']} km  mean={r['mean_km']} km  AUC={r['auc']}")
        out.append(f"country_acc={r['country_acc']}  admin1_acc={r['admin1_acc']}")
    else:
        out.append(f"precision={r['precision']} recall={r['recall']} F1={r['f1']}  core4_f1={r['core4_f1']}")
        out.append(f"  {'type':<20}{'prec':>7}{'rec':>7}{'F1':>7}{'n':>6}")
        for t, c in sorted(r["per_type"].items(), key=lambda kv: -kv[1]["support"]):
            out.append(f"  {t:<20}{c['precision']:>7.2f}{c['recall']:>7.2f}{c['f1']:>7.2f}{c['support']:>6}")
    return "\n".join(out) + "\n"


def explain_dropped(dropped, article: Article) -> str:
    """The candidates the event typer did not keep, each with its sentence and the typer's reason."""
    out = [f"== candidates not kept as events (article {article.id})"]
    for d in dropped:
        m = d.mention
        out.append(f"  {m.event_type}/{m.mode or '-'} {m.modality} «{m.trigger.text}»: {d.coder}: {d.reason}")
        out.append("    " + "\n    ".join(textwrap.wrap(highlight(m.sentence, [m.trigger]), 100)))
    return "\n".join(out)
