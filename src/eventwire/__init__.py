"""eventwire: news articles in, source-attributed, geolocated event records out.

Example::

    from eventwire import Pipeline, read_inputs
    pipeline = Pipeline.load()
    for article in read_inputs(["story.txt"]).articles:
        for event in pipeline.code(article):
            print(event.event_type, event.location and event.location.name)
"""
__version__ = "0.1.0"

from eventwire.errors import EventwireError  # noqa: E402
from eventwire.ingest import read_inputs  # noqa: E402
from eventwire.models import Actor, Article, Claim, Event, Mention, Place, Skipped, Span  # noqa: E402
from eventwire.pipeline import Pipeline  # noqa: E402
from eventwire.settings import Settings  # noqa: E402

__all__ = [
    "__version__", "Pipeline", "Settings", "read_inputs", "EventwireError",
    "Actor", "Article", "Claim", "Event", "Mention", "Place", "Skipped", "Span",
]
