"""Searchable sources: how a module puts its records into the one search.

A module registers a :class:`Source` in its ``AppConfig.ready()``: how to turn its records into
:class:`Document` s, which of them a person may see, and which models' changes re-index which
records. The search app keeps the index in step with those models in the same transaction
(signals), and ``secretariat search reindex`` rebuilds it from ``documents(None)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Document:
    """What the index holds of one record: its text, and what the filters read."""

    object_id: int
    kind: str
    title: str
    body: str
    date: dt.date
    url: str
    status: str = ""
    agency_id: int | None = None


@dataclass(frozen=True)
class Watch:
    """A model whose saves and deletes change records of the source: ``records(instance)``
    gives their ids. The source's own model maps an instance to its own pk."""

    model: type[Model]
    records: Callable[[Model], Iterable[int]]


@dataclass(frozen=True)
class Source:
    """``documents(ids)`` yields the documents of those records (all records for None, in
    batches, for a rebuild); a record it does not yield is removed from the index.
    ``visible(user)`` is a queryset of the pks the person may see, or None for all of them.
    ``kinds`` and ``statuses`` name the values of the kind and status filters.
    ``excluded(ids)`` names the records among ``ids`` that must never be in the index (a
    confidential 公文): the search drops them whatever ``documents`` yields, so one rule
    keeps their text out of the index, its tokens and its snippets."""

    key: str
    label: str
    documents: Callable[[Iterable[int] | None], Iterator[Document]]
    visible: Callable[[object], QuerySet | None]
    kinds: Callable[[], dict[str, str]]
    statuses: Callable[[], dict[str, str]] = field(default=lambda: {})
    watches: tuple[Watch, ...] = ()
    excluded: Callable[[Iterable[int]], Iterable[int]] = field(default=lambda ids: ())

    def indexable(self, ids: Iterable[int] | None) -> Iterator[Document]:
        """The documents of ``ids`` (all for None) that may be indexed."""
        for batch in _batched(self.documents(ids)):
            barred = set(self.excluded([document.object_id for document in batch]))
            yield from (document for document in batch if document.object_id not in barred)


def _batched(documents: Iterable[Document], size: int = 1000) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    from secretariat.search import sync

    SOURCES[source.key] = source
    sync.connect(source)


def get(key: str) -> Source:
    return SOURCES[key]


def kind_labels() -> dict[str, str]:
    return {code: label for source in SOURCES.values() for code, label in source.kinds().items()}


def status_labels() -> dict[str, str]:
    return {code: label for source in SOURCES.values() for code, label in source.statuses().items()}
