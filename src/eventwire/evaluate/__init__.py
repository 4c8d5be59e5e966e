"""Built-in evaluation on gold data labelled by others: events, places and entities, and the gate."""
from eventwire.evaluate.events import evaluate_events
from eventwire.evaluate.places import evaluate_places
from eventwire.evaluate.entities import evaluate_entities
from eventwire.evaluate.gate import LOWER_IS_BETTER, check_floors, load_floors

__all__ = ["evaluate_events", "evaluate_places", "evaluate_entities", "check_floors", "load_floors", "run_evaluation",
           "LOWER_IS_BETTER"]


def run_evaluation(pipeline, what: str, file: str, label_field: str | None = None, scheme: str | None = None,
                   progress=None) -> tuple[dict, list[dict]]:
    """Run one evaluation (``events``, ``places`` or ``entities``); the report includes its seconds."""
    import time

    started = time.time()
    if what == "events":
        report, errors = evaluate_events(pipeline, file, label_field, scheme, progress)
    elif what == "places":
        report, errors = evaluate_places(pipeline, file, progress)
    else:
        report, errors = evaluate_entities(pipeline, file, progress)
    report["seconds"] = round(time.time() - started, 1)
    return report, errors
