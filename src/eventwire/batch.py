"""Batch ingest: inputs → coded articles in the store, every input either coded or a recorded skip.

Order of work per article: read (files, directories, feeds, URL lists) → is it already stored
with this exact text? (then it is a duplicate and is not coded again) → code → write the article
and its events in one transaction. Linking runs after the batch over the events not yet in a
cluster, so an interrupted batch links on the next run.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator

from eventwire.errors import StoreError, first_line
from eventwire.models import Article, Skipped

__all__ = ["IngestSummary", "ingest", "coder_version"]


def coder_version() -> str:
    from eventwire.pipeline import CODER_VERSIONS

    parts = [f"{k}={v}" for k, v in sorted(CODER_VERSIONS.items()) if k != "eventwire"]
    return f"eventwire {CODER_VERSIONS['eventwire']} ({', '.join(parts)})"


@dataclass
class IngestSummary:
    inputs: int = 0
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    skipped: int = 0
    events: int = 0
    clusters_new: int = 0
    clusters_joined: int = 0
    possible_duplicates: int = 0  # articles stored that share a URL with another article, not its id
    skips: list[Skipped] = field(default_factory=list)

    @property
    def coded(self) -> int:
        return self.new + self.updated


Progress = Callable[[int, IngestSummary], None]
"""Called after each article with the number of articles done so far and the running summary."""


def iter_all(specs: Iterable[str], published: str | None = None, fetcher=None) -> Iterator[Article | Skipped]:
    """Everything the specs name, streamed: local files and folders first, then feeds, URLs and URL lists.

    A bad ``published`` raises InputError before anything is read.
    """
    from pathlib import Path

    from eventwire.ingest.fetch import is_remote_or_feed, iter_sources
    from eventwire.ingest.readers import iter_inputs, parse_date

    parse_date(published)
    specs = list(specs)
    remote = [s for s in specs if is_remote_or_feed(s)]
    # local inputs by their absolute path, so a file is the same source however it was named
    local = [s if s == "-" or not Path(s).exists() else str(Path(s).resolve()) for s in specs if s not in remote]

    def items() -> Iterator[Article | Skipped]:
        yield from iter_inputs(local, published=published)
        if remote:
            yield from iter_sources(remote, fetcher)

    return items()


def read_all(specs: Iterable[str], published: str | None = None, fetcher=None):
    """Everything the specs name, read whole (see :func:`iter_all`)."""
    from eventwire.ingest.readers import IngestResult

    return IngestResult.collect(iter_all(specs, published, fetcher))


def ingest(specs: Iterable[str], store, pipeline, progress: Progress | None = None, published: str | None = None,
           link: bool = True, fetcher=None) -> IngestSummary:
    """Code and store everything the specs name, streamed: each input is read, coded and stored in turn.

    The pipeline may be lazy (``Pipeline.load(lazy=True)``): a batch of duplicates and skips never
    loads the model.
    """
    from eventwire.store.link import link_events

    version = coder_version()
    items = iter_all(specs, published=published, fetcher=fetcher)
    summary = IngestSummary()
    done = 0

    def skipped(skip: Skipped) -> None:
        store.put_skip(skip, version)
        summary.skips.append(skip)
        summary.skipped += 1

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, summary)

    def refused(article: Article, exc: Exception) -> None:
        """One article the database refuses (a value it cannot hold) is that article's skip, never the
        batch's end; a StoreError (the store itself is unusable) is never passed here."""
        skip = Skipped(article.source or article.id, "store", f"{type(exc).__name__}: {first_line(exc)}", article.id)
        try:
            store.put_skip(skip, version)
        except StoreError:
            raise
        except Exception:  # the database refuses the article's id itself: keep the skip without it
            store.put_skip(replace(skip, article_id=None), version)
        summary.skips.append(skip)
        summary.skipped += 1
        tick()

    def fresh() -> Iterator[Article]:
        for item in items:
            summary.inputs += 1
            if isinstance(item, Skipped):
                skipped(item)
                continue
            try:
                same = store.is_stored(item)
                if same is not None:
                    store.note_duplicate(item, same.same_as)
            except StoreError:
                raise  # the store itself is unusable: stop, the next run resumes
            except Exception as exc:
                refused(item, exc)
                continue
            if same is not None:
                summary.duplicates += 1
                tick()
                continue
            yield item

    for article, outcome in pipeline.code_many(fresh()):
        if isinstance(outcome, Skipped):
            skipped(outcome)
            tick()
            continue
        try:
            stored = store.put_article(article, outcome, version)
        except StoreError:
            raise  # the store itself is unusable: stop, the next run resumes
        except Exception as exc:
            refused(article, exc)
            continue
        if stored.status == "duplicate":
            summary.duplicates += 1
        else:
            setattr(summary, stored.status, getattr(summary, stored.status) + 1)
            summary.events += stored.n_events
            summary.possible_duplicates += bool(stored.possible_duplicates)
        tick()
    if link:
        report = link_events(store)
        summary.clusters_new, summary.clusters_joined = report.new_clusters, report.joined
    return summary
