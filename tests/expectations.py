"""eventwire's own reader of must / must_not / counts expectation files (the format of
../shared/examples/README.md), so the team's golden articles run even where ../shared is absent."""
from __future__ import annotations

import math
import unicodedata


def norm(value) -> str:
    text = unicodedata.normalize("NFKD", str(value))
    return "".join(c for c in text.lower() if c.isalnum() and not unicodedata.combining(c))


def equal(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return norm(a) == norm(b)


def distance_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(h))


def texts(node) -> str:
    """Every 'text' in a record: its evidence and the spans of its fields."""
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return " ".join(own + [texts(v) for v in node.values()])
    if isinstance(node, list):
        return " ".join(texts(v) for v in node)
    return ""


def _contains(options, haystack: str) -> bool:
    return any(norm(o) in haystack for o in options)


def matches(record, want: dict) -> bool:
    if not isinstance(record, dict):
        return False
    for key, expected in want.items():
        if key in ("what", "within_km", "lat", "lon", "role"):
            continue
        if key == "claimant_any":
            ok = _contains(expected, norm(record.get("claimant")) + " " + norm(record.get("claimant_text")))
        elif key == "text_any":
            ok = _contains(expected, norm(record.get("text")) + " " + norm(record.get("name")))
        elif key == "admin1_any":
            ok = _contains(expected, norm(record.get("admin1") or ""))
        elif key.endswith("_any"):
            ok = any(equal(record.get(key[:-4]), option) for option in expected)
        elif key == "evidence_contains":
            ok = all(norm(o) in norm(texts(record)) for o in (expected if isinstance(expected, list) else [expected]))
        elif key in ("actor", "recipient"):
            role = expected.get("role", key)
            ok = any(matches(a, expected) for a in record.get("actors") or [] if equal(a.get("role"), role))
        elif key == "claims":
            wanted = expected if isinstance(expected, list) else [expected]
            ok = all(any(matches(c, w) for c in record.get("claims") or []) for w in wanted)
        elif isinstance(expected, dict):
            ok = matches(record.get(key), expected)
        else:
            ok = equal(record.get(key), expected)
        if not ok:
            return False
    if "within_km" in want:
        if record.get("lat") is None or record.get("lon") is None:
            return False
        return distance_km(record["lat"], record["lon"], want["lat"], want["lon"]) <= want["within_km"]
    return True


def failures(expected: dict, events: list[dict]) -> list[str]:
    """One line per expectation that does not hold (empty when all hold)."""
    out = []
    for want in expected.get("must", []):
        if not any(matches(e, want) for e in events):
            out.append("MISSING   " + want.get("what", ""))
    for want in expected.get("must_not", []):
        bad = [e.get("id") for e in events if matches(e, want)]
        if bad:
            out.append(f"FORBIDDEN {want.get('what', '')} {bad}")
    for want in expected.get("counts", []):
        n = sum(matches(e, {k: v for k, v in want.items() if k != "exactly"}) for e in events)
        if n != want["exactly"]:
            out.append(f"COUNT {n}   {want.get('what', '')}")
    return out
