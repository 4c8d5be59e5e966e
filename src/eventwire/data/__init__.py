"""Reviewed domain knowledge as plain TSV files, read with importlib.resources."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

__all__ = ["read_tsv", "word_class", "models_folder"]


def models_folder() -> Path:
    """Where the trained artefacts live (``eventwire/data/models``): the typer, the truecaser, the place ranker."""
    return Path(str(resources.files("eventwire").joinpath("data", "models")))


@lru_cache(maxsize=None)
def read_tsv(*parts: str) -> tuple[MappingProxyType, ...]:
    """Rows of a TSV data file under ``eventwire/data`` as dicts keyed by its header.

    Blank lines and lines starting with ``#`` are ignored; missing trailing cells are "".
    """
    text = resources.files("eventwire").joinpath("data", *parts).read_text(encoding="utf-8")
    lines = [ln.rstrip("\r") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append(MappingProxyType({h: c.strip() for h, c in zip(header, cells)}))  # shared: read-only
    return tuple(rows)


@lru_cache(maxsize=None)
def word_class(name: str) -> frozenset[str]:
    """The members of a class in ``data/classes.tsv``: word and code classes that several stages share,
    each defined there once."""
    for row in read_tsv("classes.tsv"):
        if row["class"] == name:
            return frozenset(row["members"].split())
    raise KeyError(f"no class {name!r} in data/classes.tsv")
