"""The gate: development scores may never fall below their committed floors (eval/floors.json).

A floor is a lower bound for a "higher is better" metric, or an upper bound for a metric listed
in LOWER_IS_BETTER. Floors only ever rise: raise them when scores improve.
"""
from __future__ import annotations

import json
from pathlib import Path

from eventwire.errors import InputError

__all__ = ["load_floors", "check_floors", "LOWER_IS_BETTER"]

LOWER_IS_BETTER = frozenset({"median_km", "mean_km", "auc"})


def load_floors(path: str | Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"no floors file at {path}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON ({exc.msg})") from None


def check_floors(report: dict, floors: dict) -> list[str]:
    """Every metric that falls below (or, for lower-is-better ones, rises above) its floor."""
    failures = []
    for metric, floor in floors.items():
        value = report.get(metric)
        if value is None:
            failures.append(f"{metric}: missing from the report (floor {floor})")
        elif metric in LOWER_IS_BETTER and value > floor:
            failures.append(f"{metric}: {value} is above its ceiling {floor}")
        elif metric not in LOWER_IS_BETTER and value < floor:
            failures.append(f"{metric}: {value} is below its floor {floor}")
    return failures
