"""Shared fixtures: the pipeline is loaded once per test session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent (third-party data tier)")


@pytest.fixture(scope="session")
def pipeline():
    """The default pipeline; EVENTWIRE_TEST_CODER=learned runs the golden and probe articles with the
    learned typer instead (a measurement: `make test` uses the default)."""
    from eventwire import Pipeline, Settings

    coder = os.environ.get("EVENTWIRE_TEST_CODER")
    return Pipeline.load(Settings(coder=coder) if coder else None)


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


# -- stores: SQLite always, PostgreSQL when EVENTWIRE_TEST_PG names a server (.ci/run starts one) --
PG = os.environ.get("EVENTWIRE_TEST_PG")
STORE_TABLES = ("possible_duplicates", "article_aliases", "cluster_links", "clusters", "evidence", "claims", "places",
                "actors", "events", "skips", "articles", "schema_version")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG, reason="EVENTWIRE_TEST_PG is not set: no PostgreSQL server to test against (.ci/run starts one)"))]


def reset_pg() -> None:
    import psycopg

    with psycopg.connect(PG, autocommit=True) as conn:
        for table in STORE_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table} CASCADE")


@pytest.fixture(params=BACKENDS)
def db_target(request, tmp_path):
    """A fresh, empty store location: a SQLite file, or the test PostgreSQL database emptied."""
    if request.param == "sqlite":
        return str(tmp_path / "events.db")
    reset_pg()
    return PG
