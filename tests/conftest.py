"""Shared fixtures: the pipeline is loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent (third-party data tier)")


@pytest.fixture(scope="session")
def pipeline():
    from eventwire import Pipeline

    return Pipeline.load()


@pytest.fixture(scope="session")
def nlp(pipeline):
    return pipeline.r.nlp


@pytest.fixture(scope="session")
def kb(pipeline):
    return pipeline.r.kb


@pytest.fixture(scope="session")
def gazetteer(pipeline):
    return pipeline.r.gazetteer


@pytest.fixture()
def code(pipeline):
    """Code one snippet: code(text, published='2021-02-26', title='') -> list[Event]."""
    from eventwire.ingest import make_article

    def run(text: str, published: str | None = "2024-03-08", title: str = ""):
        return pipeline.code(make_article(text, title=title, id="t", published=published))

    return run
