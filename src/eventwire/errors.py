"""The one error tree. Library code raises these; only the CLI turns them into messages."""
from __future__ import annotations

__all__ = ["EventwireError", "InputError", "FetchError", "ResourceMissing", "SettingsError", "StoreError",
           "StoreReadOnly", "OutputError", "TimeLimitExceeded", "first_line"]


def first_line(exc: BaseException) -> str:
    r"""Another library's exception as text for a one-line message: its first non-blank line with
    runs of whitespace made one space, or its type's name when it says nothing.

    >>> first_line(ValueError("no such table: articles\nDETAIL:  ..."))
    'no such table: articles'
    """
    for line in str(exc).splitlines():
        if line.strip():
            return " ".join(line.split())
    return type(exc).__name__


class EventwireError(Exception):
    """Base of every error eventwire raises on purpose. ``hint`` says how to fix it."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(EventwireError):
    """An input that cannot be read or understood."""


class FetchError(InputError):
    """A URL that could not be fetched ("HTTP 404 for URL", "timed out after 15 s", ...).

    ``status`` is the HTTP status when the server answered, else None.
    """

    def __init__(self, message: str, hint: str | None = None, status: int | None = None):
        super().__init__(message, hint)
        self.status = status


class ResourceMissing(EventwireError):
    """A model or data file is not installed; the hint names the command that installs it."""


class SettingsError(EventwireError):
    """A setting with a bad value."""


class StoreError(EventwireError):
    """The event store cannot be opened, upgraded, written or queried (a newer schema, a bad URL, a bad
    filter, a full disk, a lost server)."""


class StoreReadOnly(StoreError):
    """The store can be read but not written: a read-only file, folder, file system or server.

    ``reason`` is the cause alone ("it is on a read-only file system"), for messages that add context.
    """

    def __init__(self, message: str, hint: str | None = None, reason: str | None = None):
        super().__init__(message, hint)
        self.reason = reason or message


class OutputError(EventwireError):
    """An output file that cannot be written (a folder, a missing folder, a full disk)."""


class TimeLimitExceeded(EventwireError):
    """Coding one article took longer than its time budget (the ``max_seconds`` setting).

    ``where`` says how far it got ("while finding events, at sentence 812 of 4,000").
    """

    def __init__(self, seconds: float, where: str):
        super().__init__(f"took longer than {seconds:g} s: stopped {where}",
                         "raise --max-seconds, or set it to 0 for no limit")
        self.seconds = seconds
        self.where = where
