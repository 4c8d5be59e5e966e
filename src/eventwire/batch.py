"""Batch ingest: inputs → coded articles in the store, every input either coded or a recorded skip.

Order of work per article: read (files, directories, feeds, URL lists) → is it already stored
with this exact text? (then it is a duplicate and is not coded again) → code → write the article
and its events in one transaction. Linking runs after the batch over the events not yet in a
cluster, so an interrupted batch links on the next run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from eventwire.errors import StoreError
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


Progress = Callable[[int, int, IngestSummary], None]


def read_all(specs: Iterable[str], published: str | None = None, fetcher=None):
    """Everything the specs name: local files and folders, and feeds, URLs and URL lists."""
    from eventwire.ingest import read_inputs
    from eventwire.ingest.fetch import is_remote_or_feed, read_sources

    specs = list(specs)
    remote = [s for s in specs if is_remote_or_feed(s)]
    from pathlib import Path

    # local inputs by their absolute path, so a file is the same source however it was named
    local = [s if s == "-" or not Path(s).exists() else str(Path(s).resolve()) for s in specs if s not in remote]
    result = read_inputs(local, published=published)
    if remote:
        result.extend(read_sources(remote, fetcher))
    return result


def ingest(specs: Iterable[str], store, pipeline, progress: Progress | None = None, published: str | None = None,
           link: bool = True, fetcher=None) -> IngestSummary:
    from eventwire.store.link import link_events

    version = coder_version()
    result = read_all(specs, published=published, fetcher=fetcher)
    summary = IngestSummary(inputs=len(result.articles) + len(result.skips))
    for skip in result.skips:
        store.put_skip(skip, version)
        summary.skips.append(skip)
    summary.skipped = len(result.skips)
    total = len(result.articles)
    done = 0

    def fresh(articles: list[Article]) -> Iterator[Article]:
        nonlocal done
        for article in articles:
            same = store.is_stored(article)
            if same is not None:
                store.note_duplicate(article, same.same_as)
                summary.duplicates += 1
                done += 1
                if progress:
                    progress(done, total, summary)
                continue
            yield article

    for article, outcome in pipeline.code_many(fresh(result.articles)):
        if isinstance(outcome, Skipped):
            store.put_skip(outcome, version)
            summary.skips.append(outcome)
            summary.skipped += 1
        else:
            try:
                stored = store.put_article(article, outcome, version)
            except StoreError:
                raise  # the store itself is unusable: stop, the next run resumes
            except Exception as exc:  # one article the database refuses never stops the batch
                skip = Skipped(article.source or article.id, "store", f"{type(exc).__name__}: "
                               f"{str(exc).strip().splitlines()[0] if str(exc).strip() else ''}", article.id)
                store.put_skip(skip, version)
                summary.skips.append(skip)
                summary.skipped += 1
                done += 1
                if progress:
                    progress(done, total, summary)
                continue
            if stored.status == "duplicate":
                summary.duplicates += 1
            else:
                setattr(summary, stored.status, getattr(summary, stored.status) + 1)
                summary.events += stored.n_events
                summary.possible_duplicates += bool(stored.possible_duplicates)
        done += 1
        if progress:
            progress(done, total, summary)
    if link:
        report = link_events(store)
        summary.clusters_new, summary.clusters_joined = report.new_clusters, report.joined
    return summary
