"""eventwire: news articles in, source-attributed, geolocated event records out.

Example::

    from eventwire import Pipeline, read_inputs
    pipeline = Pipeline.load()
    for article in read_inputs(["story.txt"]).articles:
        for event in pipeline.code(article):
            print(event.event_type, event.location and event.location.name)

The names below are imported when first used, so that importing one part of the package (the store,
the exports, the encoder) does not load the coder and its language model libraries.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_WHERE = {
    "Pipeline": "eventwire.pipeline", "Settings": "eventwire.settings", "read_inputs": "eventwire.ingest",
    "EventwireError": "eventwire.errors",
    **{name: "eventwire.models" for name in ("Actor", "Article", "Claim", "Event", "Mention", "Place", "Skipped",
                                             "Span")},
}

__all__ = [
    "__version__", "Pipeline", "Settings", "read_inputs", "EventwireError",
    "Actor", "Article", "Claim", "Event", "Mention", "Place", "Skipped", "Span",
]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'eventwire' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
