"""Built-in evaluation on gold data labelled by others: events, places and entities, and the gate."""
from eventwire.evaluate.events import evaluate_events
from eventwire.evaluate.places import evaluate_places
from eventwire.evaluate.entities import evaluate_entities
from eventwire.evaluate.gate import check_floors, load_floors

__all__ = ["evaluate_events", "evaluate_places", "evaluate_entities", "check_floors", "load_floors"]
