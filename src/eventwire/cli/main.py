"""The `eventwire` command: its parser, and the commands that code articles, set up, train and evaluate."""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Sequence

from eventwire import __version__
from eventwire.errors import EventwireError
from eventwire.settings import Settings
from eventwire.cli.common import Progress, Skips, add_settings_flags, one_line, say as _say, settings_from
from eventwire.cli.store import STORE_COMMANDS, add_store_commands, explain_from_db, read_only_arg, run_store_command

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="eventwire", description="News articles in, event records out.")
    p.add_argument("--version", action="version", version=f"eventwire {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    code = sub.add_parser("code", help="code articles into events")
    code.add_argument("paths", nargs="+", help="files, directories, or - for standard input")
    code.add_argument("--json", action="store_true", help="one event record per line on standard output")
    code.add_argument("--explain", action="store_true", help="show the evidence behind every field")
    code.add_argument("--published", help="publication date YYYY-MM-DD (sets or overrides)")
    code.add_argument("--all", action="store_true", help="also show non-asserted events in the table")
    add_settings_flags(code)

    explain = sub.add_parser("explain", help="explain every field of every event in articles, or a stored "
                                             "event or cluster by its id (with --db)")
    explain.add_argument("paths", nargs="+", help="articles to code, or an event/cluster id from the store")
    explain.add_argument("--published")
    explain.add_argument("--db", help="explain a stored event or cluster: SQLite file or postgresql:// URL")
    explain.add_argument("--json", action="store_true", help="with --db: print the explanation as JSON")
    read_only_arg(explain)

    pl = sub.add_parser("places", help="geoparse articles: every toponym with its GeoNames reading, confidence "
                                       "and runner-up")
    pl.add_argument("paths", nargs="+", help="files, directories, or - for standard input")
    pl.add_argument("--json", action="store_true", help="one toponym record per line on standard output")
    pl.add_argument("--published", help="publication date YYYY-MM-DD (sets or overrides)")
    add_settings_flags(pl)

    add_store_commands(sub)

    sub.add_parser("setup", help="build the gazetteer index and check that the model loads")

    tr = sub.add_parser("train", help="train the learned event typer from the labelled WCEP sentences "
                                      "(needs requirements-train.txt; make train), the truecaser and the "
                                      "place ranker")
    tr.add_argument("--labels", default="labels/wcep", help="the team's labels (default labels/wcep)")
    tr.add_argument("--wcep", default="../shared/train/wcep/wcep_sentences.jsonl", help="the WCEP sentences")
    tr.add_argument("--out", help="folder for the artefact (default: the package's data/models)")
    tr.add_argument("--epochs", type=int, help="training epochs (default 8)")
    tr.add_argument("--layers", type=int, help="top encoder layers fine-tuned (default 3)")
    tr.add_argument("--geo", default="../shared/train/geo", help="the hand-resolved news for the place ranker")
    tr.add_argument("--only", choices=("truecaser", "places", "typer"), help="build one artefact (default: all)")

    ev = sub.add_parser("evaluate", help="score eventwire on gold data labelled by others")
    evsub = ev.add_subparsers(dest="what", required=True)
    e1 = evsub.add_parser("events", help="main event type per row against a gold label")
    e1.add_argument("file")
    e1.add_argument("--label-field", required=True, help="the row field holding the gold label")
    e1.add_argument("--scheme", required=True, choices=("plover", "acled"))
    e2 = evsub.add_parser("places", help="toponym spans and coordinates against gold")
    e2.add_argument("file")
    e3 = evsub.add_parser("entities", help="typed entity spans against re3d-style gold")
    e3.add_argument("file")
    for e in (e1, e2, e3):
        e.add_argument("--json", action="store_true", help="print one JSON object (keys documented in README)")
        e.add_argument("--errors", help="write every wrong item to this JSONL file")
    e4 = evsub.add_parser("gate", help="run every development set in the floors file and fail below a floor")
    e4.add_argument("--floors", default="eval/floors.json")
    e4.add_argument("--json", action="store_true")
    for e in (e1, e2, e3, e4):
        e.add_argument("--coder", choices=("rules", "learned", "hybrid"), help="event typing to evaluate (default: the "
                                                                     "setting's default)")
        e.add_argument("--places", choices=("rules", "learned"), help="place ranking to evaluate (default: the "
                                                                    "setting's default)")
    return p


def _cmd_code(args: argparse.Namespace) -> int:
    from eventwire.ingest.readers import iter_inputs
    from eventwire.models import Skipped, json_line
    from eventwire.pipeline import Pipeline
    from eventwire.pipeline import Coded
    from eventwire.render import explain_dropped, explain_event, event_table

    settings = settings_from(args) if hasattr(args, "spacy_model") else Settings()
    items = iter_inputs(args.paths, published=args.published)
    if "-" in args.paths and sys.stdin is not None and sys.stdin.isatty():
        print("eventwire: reading articles from standard input (end with Ctrl-D)", file=sys.stderr)
    as_json = getattr(args, "json", False)
    explain = getattr(args, "explain", False) or args.command == "explain"
    pipeline = Pipeline.load(settings, _say, lazy=True)  # the model loads when an article needs it
    progress = Progress()
    skip = Skips(progress)
    seen = coded = n_events = 0

    def articles():
        nonlocal seen
        for item in items:
            if isinstance(item, Skipped):
                skip(item)
                progress.update(seen, n_events, skip.count)
            else:
                seen += 1
                yield item

    for article, result in pipeline.code_many(articles(), detailed=explain):
        dropped = ()
        if isinstance(result, Coded):
            result, dropped = result.events, result.dropped
        if isinstance(result, Skipped):
            skip(result)
        else:
            coded += 1
            n_events += len(result)
            if as_json:
                for ev in result:
                    sys.stdout.write(json_line(ev.to_dict()) + "\n")
            else:
                progress.clear()
                if explain:
                    for ev in result:
                        print(explain_event(ev, article))
                    if dropped:
                        print(explain_dropped(dropped, article))
                else:
                    print(event_table(article, result, show_all=getattr(args, "all", False)))
            sys.stdout.flush()
        progress.update(seen, n_events, skip.count)
    if not seen:
        progress.clear()
        print("eventwire: nothing to code" + (f" ({skip.count} input(s) skipped)" if skip.count else ""),
              file=sys.stderr)
        return 1
    progress.clear()
    print(f"eventwire: {coded} article(s) coded, {n_events} event(s), {skip.count} skipped", file=sys.stderr)
    return 0 if coded else 1


def _cmd_places(args: argparse.Namespace) -> int:
    from eventwire.ingest.readers import iter_inputs
    from eventwire.models import Skipped, json_line
    from eventwire.pipeline import Pipeline
    from eventwire.render import toponym_table

    pipeline = Pipeline.load(settings_from(args), _say, lazy=True)
    if "-" in args.paths and sys.stdin is not None and sys.stdin.isatty():
        print("eventwire: reading articles from standard input (end with Ctrl-D)", file=sys.stderr)
    progress = Progress("toponym")
    skip = Skips(progress)
    seen = done = found = 0

    def articles():
        nonlocal seen
        for item in iter_inputs(args.paths, published=args.published):
            if isinstance(item, Skipped):
                skip(item)
            else:
                seen += 1
                yield item

    for article, result in pipeline.geoparse_many(articles()):
        if isinstance(result, Skipped):
            skip(result)
        else:
            done += 1
            found += len(result)
            if args.json:
                for t in result:
                    sys.stdout.write(json_line({"article_id": article.id, **t.to_dict()}) + "\n")
            else:
                progress.clear()
                print(toponym_table(article, result))
            sys.stdout.flush()
        progress.update(seen, found, skip.count)
    progress.clear()
    if not seen:
        print("eventwire: nothing to geoparse" + (f" ({skip.count} input(s) skipped)" if skip.count else ""),
              file=sys.stderr)
        return 1
    print(f"eventwire: {done} article(s) geoparsed, {found} toponym(s), {skip.count} skipped", file=sys.stderr)
    return 0 if done else 1


def _cmd_setup(args: argparse.Namespace) -> int:
    from eventwire.pipeline import Resources

    settings = Settings()
    started = time.time()
    resources = Resources.load(settings, _say)
    doc = resources.nlp("The US air strike hit a border post in al Bukamal, Syria.")
    print(f"eventwire {__version__}: model {settings.spacy_model} ({len(doc)} tokens parsed), "
          f"gazetteer {resources.gazetteer.path}, {len(resources.lexicon)} triggers; "
          f"ready in {time.time() - started:.1f}s", file=sys.stderr)
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from dataclasses import replace
    from pathlib import Path

    from eventwire.learn import TrainSettings, train_truecaser, train_typer

    settings = TrainSettings()
    if args.epochs is not None:
        settings = replace(settings, epochs=args.epochs)
    if args.layers is not None:
        settings = replace(settings, layers=args.layers)
    say = lambda m: print(f"train: {m}", file=sys.stderr)  # noqa: E731
    out = Path(args.out) if args.out else None
    if args.only in (None, "truecaser"):
        caser = train_truecaser(Path(args.wcep), out, say)
        print(f"eventwire: built {caser['name']}: {caser['words']} words; held-out casing accuracy "
              + ", ".join(f"{k} {v['accuracy']}" for k, v in caser["scores"].items()), file=sys.stderr)
    if args.only in (None, "places"):
        from eventwire import Pipeline, Settings
        from eventwire.learn_places import train_places

        pipeline = Pipeline.load(Settings())
        ranked = train_places(Path(args.geo), pipeline.parse, pipeline.r.gazetteer, pipeline.r.kb, out, say)
        test = ranked["scores"]["test"]
        print(f"eventwire: trained {ranked['name']} in {ranked['seconds']:.0f}s; test split: right candidate "
              + ", ".join(f"{k} {v['right']}" for k, v in test.items()), file=sys.stderr)
    if args.only in ("truecaser", "places"):
        return 0
    meta = train_typer(Path(args.labels), Path(args.wcep), out, settings, progress=say)
    test = meta["scores"]["test"]
    print(f"eventwire: trained {meta['name']} in {meta['seconds']:.0f}s; test split: ACLED accuracy "
          f"{test['acled']['accuracy']} ({test['acled_among_events']['accuracy']} among events, macro-F1 "
          f"{test['acled_among_events']['macro_f1']}), event F1 {test['acled_event_f1']}, PLOVER accuracy "
          f"{test['plover']['accuracy']}; weights sha256 {meta['weights_sha256'][:16]}", file=sys.stderr)
    return 0


def _evaluation_progress(label: str):
    started = time.time()

    def report(done: int, total: int) -> None:
        if sys.stderr.isatty() or done == total:
            end = "\n" if done == total else "\r"
            print(f"{label}: {done}/{total} ({time.time() - started:.0f}s)", file=sys.stderr, end=end)

    return report


def _run_evaluation(pipeline, what: str, file: str, label_field: str | None = None, scheme: str | None = None):
    from eventwire.evaluate import run_evaluation

    return run_evaluation(pipeline, what, file, label_field, scheme, _evaluation_progress(f"evaluate {what}"))


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from eventwire.pipeline import Pipeline
    from eventwire.render import evaluation_text

    settings = Settings(**{k: getattr(args, k) for k in ("coder", "places") if getattr(args, k, None)})
    pipeline = Pipeline.load(settings, progress=_say)
    if args.what == "gate":
        return _cmd_gate(args, pipeline)
    report, errors = _run_evaluation(pipeline, args.what, args.file, getattr(args, "label_field", None),
                                     getattr(args, "scheme", None))
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as fh:
            for e in errors:
                fh.write(json.dumps(e, ensure_ascii=False) + "\n")
        print(f"eventwire: {len(errors)} wrong item(s) written to {args.errors}", file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False) if args.json else evaluation_text(args.what, report))
    return 0


def _cmd_gate(args: argparse.Namespace, pipeline) -> int:
    from pathlib import Path

    from eventwire.evaluate import check_floors, load_floors

    config = load_floors(args.floors)
    base = Path(args.floors).resolve().parent
    failed, results = False, {}
    for name, spec in config.items():
        if name.startswith("_"):
            continue
        file = (base / spec["file"]).resolve()
        if not file.exists():
            print(f"gate {name}: skipped, {file} is absent", file=sys.stderr)
            continue
        report, _ = _run_evaluation(pipeline, spec["command"], str(file), spec.get("label_field"), spec.get("scheme"))
        failures = check_floors(report, spec["floors"])
        results[name] = {"ok": not failures, "failures": failures,
                         "scores": {k: report.get(k) for k in spec["floors"]}}
        failed |= bool(failures)
        for line in failures:
            print(f"gate {name}: FAIL {line}", file=sys.stderr)
        if not failures:
            print(f"gate {name}: ok " + ", ".join(f"{k}={report.get(k)}" for k in spec["floors"]), file=sys.stderr)
    if args.json:
        print(json.dumps(results))
    return 1 if failed else 0


def _stored_id(args: argparse.Namespace) -> bool:
    """`explain ID --db FILE`, or `explain ID` with an id that is no file while a default store exists."""
    import os
    from pathlib import Path

    if len(args.paths) != 1 or Path(args.paths[0]).exists():
        return False
    if args.db:
        return True
    ident = args.paths[0]
    return ident.startswith(("ev-", "c-")) and Path(os.environ.get("EVENTWIRE_DB") or "eventwire.db").exists()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "explain" and _stored_id(args):
            return explain_from_db(args.paths[0], args.db, args.json, args.read_only)
        if args.command in ("code", "explain"):
            return _cmd_code(args)
        if args.command == "places":
            return _cmd_places(args)
        if args.command in STORE_COMMANDS:
            return run_store_command(args)
        if args.command == "setup":
            return _cmd_setup(args)
        if args.command == "train":
            return _cmd_train(args)
        if args.command == "evaluate":
            return _cmd_evaluate(args)
    except EventwireError as exc:
        print(f"eventwire: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("eventwire: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
