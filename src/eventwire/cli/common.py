"""What every command shares: the coding-settings flags, one-line messages and the progress line."""
from __future__ import annotations

import argparse
import sys
import time

from eventwire.settings import SETTINGS_TABLE, Settings

__all__ = ["add_settings_flags", "say", "one_line", "skip_line", "settings_from", "Progress", "Skips"]


def add_settings_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per coding setting (the settings table), for every command that codes articles."""
    group = parser.add_argument_group("coding settings")
    for name, default, help_text in SETTINGS_TABLE:
        flag = "--" + name.replace("_", "-")
        kind = _yes_no if isinstance(default, bool) else type(default)
        group.add_argument(flag, type=kind, default=None, help=f"{help_text} (default: {default!r})")


def _yes_no(value: str) -> bool:
    """A true/false flag value: true, yes, on, 1 or false, no, off, 0."""
    word = value.strip().lower()
    if word in ("true", "yes", "on", "1"):
        return True
    if word in ("false", "no", "off", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, not {value!r}")


def say(message: str) -> None:
    print(message, file=sys.stderr)


def one_line(text: object) -> str:
    """Text for a one-line message: line breaks and other control characters shown escaped."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for c in text)


def skip_line(source: str, reason: str) -> str:
    return f"skipped {one_line(source)}: {one_line(reason)}"


def settings_from(args: argparse.Namespace) -> Settings:
    values = {name: getattr(args, name) for name, _, _ in SETTINGS_TABLE
              if getattr(args, name, None) is not None}
    return Settings(**values)


class Progress:
    """The progress line of `code` and `ingest`: redrawn in place on a terminal, one final line otherwise.

    Inputs are streamed, so the total is not known in advance: the line counts what is done.
    """

    def __init__(self, unit: str = "event") -> None:
        self.unit = unit  # what the second count counts
        self.started = time.time()
        self.tty = sys.stderr.isatty()
        self.shown = False

    def line(self, done: int, events: int, skips: int, stored: int | None = None) -> str:
        rate = done / max(time.time() - self.started, 1e-6)
        already = f", {stored} already stored" if stored is not None else ""
        return f"{done} article(s), {rate:.1f}/s, {events} {self.unit}(s){already}, {skips} skipped"

    def update(self, done: int, events: int, skips: int, stored: int | None = None) -> None:
        if self.tty:
            print("\r\033[K" + self.line(done, events, skips, stored), file=sys.stderr, end="", flush=True)
            self.shown = True

    def clear(self) -> None:
        """Wipe the line before other output is printed on the terminal."""
        if self.shown:
            print("\r\033[K", file=sys.stderr, end="", flush=True)
            self.shown = False

    def finish(self, done: int, events: int, skips: int, stored: int | None = None) -> None:
        self.clear()
        print(self.line(done, events, skips, stored), file=sys.stderr)


class Skips:
    """Inputs and articles that were not coded: counted, and each listed on standard error as one
    ``skipped SOURCE: reason`` line (the progress line wiped first), so that nothing is lost silently."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.count = 0

    def __call__(self, s) -> None:
        self.count += 1
        self.progress.clear()
        print(skip_line(s.source, s.reason), file=sys.stderr)
