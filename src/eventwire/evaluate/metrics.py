"""Scoring helpers shared by the evaluations: per-class P/R/F1, confusion, bootstrap intervals."""
from __future__ import annotations

import random
from collections import Counter
from typing import Hashable, Sequence

__all__ = ["classification_report", "bootstrap_ci", "prf", "NONE_LABEL"]

NONE_LABEL = "none"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def bootstrap_ci(values: Sequence[float], n: int = 1000, seed: int = 13) -> tuple[float, float]:
    """95% percentile interval of the mean of ``values`` (fixed seed: repeatable)."""
    if not values:
        return 0.0, 0.0
    rng = random.Random(seed)
    k = len(values)
    means = sorted(sum(values[rng.randrange(k)] for _ in range(k)) / k for _ in range(n))
    return round(means[int(0.025 * n)], 4), round(means[min(n - 1, int(0.975 * n))], 4)


def classification_report(gold: Sequence[Hashable | None], pred: Sequence[Hashable | None]) -> dict:
    """Accuracy, macro/weighted F1 over the gold classes, per-class table and confusion matrix.

    ``None`` (no event expected / none predicted) is its own class, reported as "none".
    Macro-F1 averages over the classes that occur in the gold labels.
    """
    g = [NONE_LABEL if x is None else x for x in gold]
    p = [NONE_LABEL if x is None else x for x in pred]
    n = len(g)
    correct = [1.0 if a == b else 0.0 for a, b in zip(g, p)]
    support = Counter(g)
    labels = sorted(set(g) | set(p), key=str)
    per_class = {}
    for label in labels:
        tp = sum(1 for a, b in zip(g, p) if a == b == label)
        fp = sum(1 for a, b in zip(g, p) if b == label and a != label)
        fn = sum(1 for a, b in zip(g, p) if a == label and b != label)
        pr, rc, f1 = prf(tp, fp, fn)
        per_class[str(label)] = {"precision": round(pr, 4), "recall": round(rc, 4), "f1": round(f1, 4),
                                 "support": support.get(label, 0)}
    gold_labels = [str(x) for x in sorted(support, key=str)]
    macro = sum(per_class[x]["f1"] for x in gold_labels) / len(gold_labels) if gold_labels else 0.0
    weighted = sum(per_class[x]["f1"] * per_class[x]["support"] for x in gold_labels) / n if n else 0.0
    confusion: dict[str, dict[str, int]] = {}
    for a, b in zip(g, p):
        row = confusion.setdefault(str(a), {})
        row[str(b)] = row.get(str(b), 0) + 1
    accuracy = sum(correct) / n if n else 0.0
    return {"n": n, "accuracy": round(accuracy, 4), "accuracy_ci95": list(bootstrap_ci(correct)),
            "macro_f1": round(macro, 4), "weighted_f1": round(weighted, 4), "per_class": per_class,
            "confusion": confusion}
