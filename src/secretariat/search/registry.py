"""Searchable sources: how a module puts its records into the one search.

A module registers a :class:`Source` in its ``AppConfig.ready()``: how to turn its records into
:class:`Document` s, which of them a person may see (as a queryset for the database, and as a
:class:`Scope` the search engine applies itself), and which models' changes re-index which
records. The search app keeps the index in step with those models (signals, in the record's
transaction), and ``secretariat search reindex`` rebuilds it from ``documents(None)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Document:
    """What the index holds of one record: its text, and what the filters read.

    ``holders`` are the keys of who holds the record (with :class:`Scope`; the cases use
    ``cases.permissions.holder_keys``: an agency, a unit, a contractor);
    ``agency_id`` is the one the agency filter reads (主辦機關). A ``confidential`` record
    (密件, 密等) never enters the index: it is dropped as if the source no longer yielded it."""

    object_id: int
    kind: str
    title: str
    body: str
    date: dt.date
    url: str
    status: str = ""
    agency_id: int | None = None
    holders: tuple[str, ...] = ()
    confidential: bool = False


@dataclass(frozen=True)
class Scope:
    """What a person sees of a source, in terms the search engine applies inside its query: a
    record whose kind is one of ``kinds`` or that one of ``holders`` holds (Document.holders).
    It says the same as the source's ``visible`` queryset, which the page checks its rows
    against as well."""

    kinds: frozenset[str] = frozenset()
    holders: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Watch:
    """A model whose saves and deletes change records of the source: ``records(instance)``
    gives their ids. The source's own model maps an instance to its own pk."""

    model: type[Model]
    records: Callable[[Model], Iterable[int]]


@dataclass(frozen=True)
class Source:
    """``documents(ids)`` yields the documents of those records (all records for None, in
    batches, for a rebuild); a record it does not yield, or marks confidential, is removed from
    the index. ``visible(user)`` is a queryset of the pks the person may see, and
    ``scope(user)`` the same rule as a :class:`Scope`; both None for all of them.
    ``kinds`` and ``statuses`` name the values of the kind and status filters. ``describe(user)``
    says in words which records the person sees (the search page shows it, so a search that
    finds less for one person than another says why)."""

    key: str
    label: str
    documents: Callable[[Iterable[int] | None], Iterator[Document]]
    visible: Callable[[object], QuerySet | None]
    scope: Callable[[object], Scope | None]
    kinds: Callable[[], dict[str, str]]
    statuses: Callable[[], dict[str, str]] = field(default=lambda: {})
    watches: tuple[Watch, ...] = ()
    describe: Callable[[object], str] | None = None


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


def described_scopes(user) -> list[tuple[str, str]]:
    """(source label, what the person sees of it, in words) for the sources that say."""
    return [(s.label, s.describe(user)) for s in SOURCES.values() if s.describe is not None]
