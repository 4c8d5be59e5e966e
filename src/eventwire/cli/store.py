"""Store commands for the CLI: ingest, events, stats, skips, link, export, and explain by id."""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from typing import Any, Sequence

from eventwire.cli.common import Progress, add_settings_flags, settings_from, skip_line
from eventwire.models import json_line

__all__ = ["add_store_commands", "run_store_command", "STORE_COMMANDS", "explain_from_db", "read_only_arg"]

STORE_COMMANDS = ("ingest", "events", "stats", "skips", "link", "export")


def _db_arg(p: argparse.ArgumentParser, reads: bool = False) -> None:
    p.add_argument("--db", help="SQLite file or postgresql:// URL (default $EVENTWIRE_DB or ./eventwire.db)")
    if reads:
        read_only_arg(p)


def read_only_arg(p: argparse.ArgumentParser) -> None:
    """--read-only for the commands that read the store (they write only to upgrade it or to link)."""
    p.add_argument("--read-only", dest="read_only", action="store_true",
                   help="never write to the store: no schema upgrade, no linking of events an interrupted "
                        "ingest left unlinked (they are then left out, with a note)")


def _filter_args(p: argparse.ArgumentParser, modality: bool = True) -> None:
    g = p.add_argument_group("filters")
    g.add_argument("--since", help="on or after YYYY-MM-DD")
    g.add_argument("--until", help="on or before YYYY-MM-DD")
    g.add_argument("--country", help="ISO code or name; a comma list for several")
    g.add_argument("--admin1", help="first-level admin area (state, province, governorate)")
    g.add_argument("--type", help="PLOVER event type(s), e.g. ASSAULT or PROTEST,COERCE")
    g.add_argument("--acled-type", dest="acled_type", help="ACLED event or sub-event type, e.g. 'Air/drone strike'")
    g.add_argument("--actor", help="actor name (substring), code or country code")
    g.add_argument("--bbox", help="WEST,SOUTH,EAST,NORTH in degrees")
    g.add_argument("--text", help="full-text search over the articles")
    if modality:
        g.add_argument("--modality", default="asserted",
                       help="asserted (default), negated, hypothetical, future, historical, a comma list, or all")


def add_store_commands(sub) -> None:
    ing = sub.add_parser("ingest", help="code files, folders, feeds and URL lists into the store")
    ing.add_argument("paths", nargs="+", help="files, folders, RSS/Atom feeds (URL or .rss/.atom/.xml), "
                                               "URLs, or .urls files with one URL per line")
    _db_arg(ing)
    ing.add_argument("--published", help="publication date YYYY-MM-DD (sets or overrides)")
    ing.add_argument("--no-link", action="store_true", help="do not link events across articles after the batch")
    ing.add_argument("--json", action="store_true", help="print the summary as JSON")
    ing.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for a web page (default 15)")
    ing.add_argument("--retries", type=int, default=2, help="retries of a failed fetch, with back-off (default 2)")
    ing.add_argument("--delay", type=float, default=1.0,
                     help="seconds between two requests to the same host (default 1)")
    ing.add_argument("--max-bytes", type=int, default=5_000_000, help="largest page fetched (default 5 MB)")
    ing.add_argument("--ignore-robots", action="store_true",
                     help="do not read robots.txt (only for your own sites); says so once per site")

    add_settings_flags(ing)

    ev = sub.add_parser("events", help="list stored events (asserted only unless --modality says otherwise)")
    _db_arg(ev, reads=True)
    _filter_args(ev)
    ev.add_argument("--limit", type=int, help="at most this many rows")
    out = ev.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object per line")
    out.add_argument("--csv", action="store_true", help="CSV with a header row")

    st = sub.add_parser("stats", help="real events (clusters), articles and fatalities per group")
    _db_arg(st, reads=True)
    st.add_argument("--by", default="country", help="comma list of: country, admin1, day, week, month, year, "
                                                    "type, acled_type (default country)")
    _filter_args(st, modality=False)
    out = st.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true")

    sk = sub.add_parser("skips", help="inputs that were not coded, and why")
    _db_arg(sk, reads=True)
    sk.add_argument("--json", action="store_true")

    ln = sub.add_parser("link", help="link stored events across articles (ingest does this after each batch)")
    _db_arg(ln)
    ln.add_argument("--relink", action="store_true", help="forget every cluster and link all events afresh")

    ex = sub.add_parser("export", help="write the dataset: acled-csv, plover-json, geojson, parquet or jsonl")
    _db_arg(ex, reads=True)
    ex.add_argument("--format", required=True, help="acled-csv, plover-json, geojson, parquet or jsonl "
                                                    "(columns: docs/exports.md)")
    ex.add_argument("-o", "--output", required=True, help="file to write")
    _filter_args(ex, modality=False)


def _store(args):
    """The store for a command that writes (ingest, link): created when missing, upgraded when older."""
    from eventwire.store import open_store

    store = open_store(args.db)
    _say_upgraded(store)
    return store


def _reader(args, link: bool = False):
    """The store for a command that reads (events, stats, skips, explain, export), opened read-only;
    see ``eventwire.store.open_for_reading`` for when it writes (an upgrade, linking)."""
    from eventwire.store import open_for_reading

    store = open_for_reading(args.db, link=link, write=not getattr(args, "read_only", False))
    _say_upgraded(store)
    if store.linked is not None:
        print(f"eventwire: linked {store.linked.linked} event(s) not yet in a cluster", file=sys.stderr)
    if store.unlinked:
        print(f"eventwire: note: {store.unlinked} event(s) not yet in a cluster are left out; "
              f"`eventwire link --db {store.display}` would link them", file=sys.stderr)
    return store


def _say_upgraded(store) -> None:
    if store.upgraded_from and store.upgraded_from < _schema():
        print(f"eventwire: upgraded {store.display} from schema v{store.upgraded_from} to v{_schema()}",
              file=sys.stderr)


def _schema() -> int:
    from eventwire.store import SCHEMA_VERSION

    return SCHEMA_VERSION


def _progress_bar():

    bar = Progress()
    return lambda done, s: bar.update(done, s.events, s.skipped, s.duplicates), bar


def _table(rows: list[dict[str, Any]], columns: Sequence[str], widths: dict[str, int] | None = None) -> str:
    widths = widths or {"source": 70, "reason": 70}

    def cell(value, column: str) -> str:
        text = "" if value is None else str(value)
        width = widths.get(column, 40)
        if len(text) <= width:
            return text
        return "…" + text[-(width - 1):] if column == "source" else text[:width - 1] + "…"  # a path's end tells most

    cells = [[cell(r.get(c), c) for c in columns] for r in rows]
    w = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = lambda vals: "  ".join(v.ljust(w[i]) for i, v in enumerate(vals)).rstrip()  # noqa: E731
    return "\n".join([line(columns), line(["-" * x for x in w])] + [line(row) for row in cells])


def _print_rows(rows: list[dict[str, Any]], args, columns: Sequence[str]) -> None:
    if getattr(args, "json", False):
        for r in rows:
            sys.stdout.write(json_line(r, default=str) + "\n")
    elif getattr(args, "csv", False):
        from eventwire.export import csv_cell

        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()) if rows else list(columns))
        w.writeheader()
        w.writerows({k: csv_cell(v) for k, v in r.items()} for r in rows)
    else:
        print(_table(rows, columns) if rows else "(no rows)")


def run_store_command(args) -> int:
    from eventwire.store.query import cluster_records, filters_from, find_events, stats

    if args.command == "ingest":
        return _cmd_ingest(args)
    if args.command == "link":
        with _store(args) as store:
            return _cmd_link(store, args)
    if args.command == "export":
        from eventwire.errors import InputError
        from eventwire.export import FORMATS, SUFFIXES, check_output

        if args.format not in FORMATS:  # before reading the store
            raise InputError(f"unknown export format {args.format!r}", "use one of: " + ", ".join(FORMATS))
        check_output(args.output, SUFFIXES[args.format])
    # stats and export count clusters: they link what an earlier run left unlinked, where they may write
    with _reader(args, link=args.command in ("stats", "export")) as store:
        if args.command == "events":
            rows = find_events(store, filters_from(args), args.limit)
            _print_rows(rows, args, ("id", "date", "event_type", "acled_sub_event_type", "actor", "recipient",
                                     "place", "country", "killed_best", "publisher", "cluster_id"))
            print(f"eventwire: {len(rows)} event(s)", file=sys.stderr)
            return 0
        if args.command == "stats":
            started = time.perf_counter()
            by = [b.strip() for b in args.by.split(",") if b.strip()]
            rows = stats(store, by, filters_from(args))
            _print_rows(rows, args, by + ["events", "articles", "fatalities_low", "fatalities_best",
                                          "fatalities_high"])
            print(f"eventwire: {len(rows)} group(s), {sum(r['events'] for r in rows)} event(s) "
                  f"in {time.perf_counter() - started:.2f}s", file=sys.stderr)
            return 0
        if args.command == "skips":
            rows = store.skips()
            _print_rows(rows, args, ("source", "stage", "reason"))
            print(f"eventwire: {len(rows)} skipped input(s)", file=sys.stderr)
            return 0
        if args.command == "export":
            from eventwire.export import export

            records = cluster_records(store, filters_from(args))
            result = export(args.format, records, args.output)
            left = "; ".join(f"{n} left out: {why}" for why, n in sorted(result.left_out.items()))
            print(f"eventwire: {result.written} of {len(records)} event(s) written to {args.output} ({args.format})"
                  + (f"; {left}" if left else ""), file=sys.stderr)
            return 0
    return 2


def _cmd_link(store, args) -> int:
    from eventwire.store.link import link_events

    if args.relink:
        with store.db.transaction():
            store.db.execute("UPDATE events SET cluster_id = NULL")
            store.db.execute("DELETE FROM cluster_links")
            store.db.execute("DELETE FROM clusters")
    report = link_events(store)
    print(f"eventwire: {report.linked} event(s) linked: {report.new_clusters} new cluster(s), "
          f"{report.joined} joined an existing one", file=sys.stderr)
    return 0


def _cmd_ingest(args) -> int:
    from eventwire.batch import ingest
    from eventwire.pipeline import Pipeline

    settings = settings_from(args)
    with _store(args) as store:
        pipeline = Pipeline.load(settings, progress=lambda m: print(m, file=sys.stderr), lazy=True)
        started = time.time()
        from eventwire.ingest.fetch import Fetcher

        update, bar = _progress_bar()

        def robots_ignored(site: str) -> None:
            bar.clear()
            print(f"eventwire: robots.txt ignored for {site} (--ignore-robots)", file=sys.stderr)

        with Fetcher(timeout=args.timeout, retries=args.retries, per_host_delay=args.delay, max_bytes=args.max_bytes,
                     ignore_robots=args.ignore_robots, on_robots_ignored=robots_ignored) as fetcher:
            summary = ingest(args.paths, store, pipeline, progress=update, published=args.published,
                             link=not args.no_link, fetcher=fetcher)
        bar.clear()
        seconds = time.time() - started
        for s in summary.skips:
            print(skip_line(s.source, s.reason), file=sys.stderr)
        counts = store.counts()
        result = {"inputs": summary.inputs, "new": summary.new, "updated": summary.updated,
                  "already_stored": summary.duplicates, "skipped": summary.skipped, "events": summary.events,
                  "possible_duplicates": summary.possible_duplicates,
                  "clusters_new": summary.clusters_new, "clusters_joined": summary.clusters_joined,
                  "seconds": round(seconds, 2), "store": counts, "db": store.url}
        if args.json:
            print(json.dumps(result))
        twins = (f"; {summary.possible_duplicates} of those coded share a URL with another article (possible "
                 "duplicates)" if summary.possible_duplicates else "")
        print(f"eventwire: {summary.new} new, {summary.updated} updated, {summary.duplicates} already stored, "
              f"{summary.skipped} skipped{twins}; {summary.events} event(s); {summary.clusters_new} new cluster(s), "
              f"{summary.clusters_joined} event(s) joined a cluster; store now holds {counts['articles']} "
              f"article(s), {counts['events']} event(s), {counts['clusters']} cluster(s) ({seconds:.1f}s)",
              file=sys.stderr)
        return 0 if summary.coded or summary.duplicates or not summary.inputs else 1


def explain_from_db(ident: str, db: str | None, as_json: bool = False, read_only: bool = False) -> int:
    from eventwire.errors import StoreError
    from eventwire.store.query import explain_id

    with _reader(argparse.Namespace(db=db, read_only=read_only)) as store:
        found = explain_id(store, ident)
    if found is None:
        raise StoreError(f"no event or cluster {ident!r} in the store", "list them with `eventwire events`")
    if as_json:
        print(json_line(found, default=str))
        return 0
    if found["kind"] == "event":
        rec = found["record"]
        print(f"event {rec['id']}: {rec['event_type']} ({rec['modality']}), {rec.get('date')}, "
              f"source {found['article']['publisher'] or '-'} {found['article']['url'] or ''}".rstrip())
        for ev in found["evidence"]:
            print(f"  {ev['field']:<10} [{ev['span_start']}:{ev['span_end']}] {ev['text']}")
        for pair in found.get("possible_duplicates") or ():
            other = pair["other_id"] if pair["article_id"] == rec["article_id"] else pair["article_id"]
            print(f"  possible duplicate of article {other}: {pair['reason']}")
        if found["link"]:
            link = found["link"]
            print(f"  cluster {link['cluster_id']}" + (f", joined with {link['joined_with']} (score {link['score']})"
                                                       if link["joined_with"] else "") + ":")
            for reason in link["reasons"]:
                print(f"    - {reason}")
        return 0
    c = found["cluster"]
    print(f"cluster {c['id']}: {c['event_type']} in {c['admin1'] or '-'}, {c['country'] or '-'} on {c['date']}; "
          f"{c['n_articles']} article(s), first report {c['first_report']}; "
          f"killed low/best/high {c['killed_low']}/{c['killed_best']}/{c['killed_high']}")
    print("members (and why each joined):")
    for m in found["members"]:
        head = f"  {m['event_id']} {m['publisher'] or '-'} {m['published'] or ''} at {m['place'] or '-'}"
        print(head + (f", joined with {m['joined_with']} (score {m['score']})" if m["joined_with"] else ""))
        for reason in m["reasons"]:
            print(f"      - {reason}")
    if found["claims"]:
        print("claims:")
        for cl in found["claims"]:
            figures = ", ".join(f"{k} {cl[k]}" for k in ("killed", "injured") if cl[k] is not None) or "no figure"
            print(f"  {cl['publisher'] or '-'}: {cl['claimant'] or 'unattributed'}: {figures}")
    return 0
