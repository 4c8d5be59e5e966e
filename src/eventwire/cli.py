"""The thin command layer: the only module that prints or exits."""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Sequence

from eventwire import __version__
from eventwire.errors import EventwireError
from eventwire.settings import SETTINGS_TABLE, Settings

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
    for name, default, help_text in SETTINGS_TABLE:
        flag = "--" + name.replace("_", "-")
        code.add_argument(flag, type=type(default), default=None, help=f"{help_text} (default: {default!r})")

    explain = sub.add_parser("explain", help="code articles and explain every field of every event")
    explain.add_argument("paths", nargs="+")
    explain.add_argument("--published")

    sub.add_parser("setup", help="build the gazetteer index and check that the model loads")
    return p


def _settings(args: argparse.Namespace) -> Settings:
    values = {name: getattr(args, name) for name, _, _ in SETTINGS_TABLE
              if getattr(args, name, None) is not None}
    return Settings(**values)


def _progress(done: int, total: int, events: int, skips: int, started: float) -> None:
    if not sys.stderr.isatty() and done != total:
        return
    rate = done / max(time.time() - started, 1e-6)
    width = 24
    filled = int(width * done / max(total, 1))
    bar = "#" * filled + "-" * (width - filled)
    end = "\n" if done == total else "\r"
    print(f"[{bar}] {done}/{total} articles, {rate:.1f}/s, {events} events, {skips} skipped",
          file=sys.stderr, end=end)


def _cmd_code(args: argparse.Namespace) -> int:
    from eventwire.ingest import read_inputs
    from eventwire.pipeline import Pipeline
    from eventwire.render import explain_event, event_table

    settings = _settings(args) if hasattr(args, "spacy_model") else Settings()
    ingest = read_inputs(args.paths, published=args.published)
    skips = list(ingest.skips)
    for s in ingest.skips:
        print(f"skipped {s.source}: {s.reason}", file=sys.stderr)
    if not ingest.articles:
        print("eventwire: nothing to code" + (f" ({len(skips)} input(s) skipped)" if skips else ""),
              file=sys.stderr)
        return 1
    as_json = getattr(args, "json", False)
    pipeline = Pipeline.load(settings)
    started = time.time()
    coded = n_events = 0
    all_events = []
    total = len(ingest.articles)
    for i, (article, result) in enumerate(pipeline.code_many(ingest.articles), 1):
        if isinstance(result, list):
            coded += 1
            n_events += len(result)
            if as_json:
                for ev in result:
                    sys.stdout.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                all_events.append((article, result))
        else:
            skips.append(result)
            print(f"\nskipped {result.source}: {result.reason}", file=sys.stderr)
        _progress(i, total, n_events, len(skips), started)
    if not as_json:
        explain = getattr(args, "explain", False) or args.command == "explain"
        for article, events in all_events:
            if explain:
                for ev in events:
                    print(explain_event(ev, article))
            else:
                print(event_table(article, events, show_all=getattr(args, "all", False)))
    print(f"eventwire: {coded} article(s) coded, {n_events} event(s), {len(skips)} skipped", file=sys.stderr)
    return 0 if coded else 1


def _cmd_setup(args: argparse.Namespace) -> int:
    from eventwire.pipeline import Resources

    settings = Settings()
    started = time.time()
    resources = Resources.load(settings)
    doc = resources.nlp("The US air strike hit a border post in al Bukamal, Syria.")
    print(f"eventwire {__version__}: model {settings.spacy_model} ({len(doc)} tokens parsed), "
          f"gazetteer {resources.gazetteer.path}, {len(resources.lexicon)} triggers; "
          f"ready in {time.time() - started:.1f}s", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command in ("code", "explain"):
            return _cmd_code(args)
        if args.command == "setup":
            return _cmd_setup(args)
    except EventwireError as exc:
        print(f"eventwire: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("eventwire: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
