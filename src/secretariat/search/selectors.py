"""Reads of the search: every searchable kind at once, limited to what the person may see.

Ordering: newest first (record date, then newest record), or by relevance (相關程度). On the
database engines relevance is the number of terms found in the title first, then the shorter
text (a term weighs more in a short record), then newest first — defined on stored columns, so
SQLite and PostgreSQL give the same order; on tantivy it is BM25 with the title boosted
(``tantivy_index``).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from secretariat.core.errors import DomainError
from secretariat.search import backends, registry
from secretariat.search.models import SearchDocument
from secretariat.search.text import Term, highlight, parse

ORDERS = {"newest": "最新優先", "relevance": "相關程度"}
PER_PAGE = 20
# Counting every hit of a frequent term costs as much as finding them all: the first this many
# are counted and paged, and the page says 「以上」.
COUNT_LIMIT = 1000
SNIPPET_WIDTH = 120
# Rows a page reads beyond what it shows where candidates are checked one by one.
CHECK_SLACK = 10


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    agency_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    order: str = "newest"

    def check(self) -> None:
        problems: dict[str, list[str]] = {}
        unknown = [k for k in self.kinds if k not in registry.kind_labels()]
        if unknown:
            problems["kind"] = [f"未知的類別：{'、'.join(unknown)}。"]
        unknown = [s for s in self.statuses if s not in registry.status_labels()]
        if unknown:
            problems["status"] = [f"未知的狀態：{'、'.join(unknown)}。"]
        if self.date_from and self.date_to and self.date_from > self.date_to:
            problems["date_to"] = ["迄日不可早於起日。"]
        if self.order not in ORDERS:
            problems["order"] = [f"排序方式須為 {'、'.join(ORDERS)} 之一。"]
        if problems:
            summary = "；".join(m for messages in problems.values() for m in messages)
            raise DomainError("invalid_filter", f"搜尋條件有誤：{summary}", problems)


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    kind_label: str
    status_label: str
    title_html: str
    snippet_html: str


@dataclass(frozen=True)
class Results:
    terms: list[Term]
    page: Page  # of SearchDocument, at most COUNT_LIMIT of them in all
    hits: list[Hit]
    filters: Filters = field(default_factory=Filters)

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def capped(self) -> bool:
        """At least COUNT_LIMIT hits: the count says 「以上」."""
        return self.total >= COUNT_LIMIT


def visible(user) -> Q:
    """What the person may see of every source; ``None`` is the command line (the server's
    operator), who sees everything."""
    if user is None:
        return Q()
    parts = []
    for key, source in registry.SOURCES.items():
        visible = source.visible(user)
        parts.append(Q(source=key) if visible is None else Q(source=key, object_id__in=visible))
    return functools.reduce(operator.or_, parts) if parts else Q(pk__in=[])


def _title_hits(terms: list[Term]):
    found = [
        Case(
            When(GreaterThan(StrIndex("match_title", Value(term.text)), 0), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for term in terms
    ]
    return functools.reduce(operator.add, found)


def _candidates(engine, user, terms: list[Term], filters: Filters) -> QuerySet:
    """What the engine's index finds, scoped and filtered, in the filters' order."""
    queryset = SearchDocument.objects.filter(engine.candidates(terms))
    queryset = queryset.filter(visible(user))
    if filters.kinds:
        queryset = queryset.filter(kind__in=filters.kinds)
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.agency_id is not None:
        queryset = queryset.filter(agency_id=filters.agency_id)
    if filters.date_from:
        queryset = queryset.filter(date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(date__lte=filters.date_to)
    return queryset.order_by(*_ordering(terms, filters))


def _ordering(terms: list[Term], filters: Filters) -> tuple:
    if filters.order == "relevance":
        return (_title_hits(terms).desc(), "length", "-date", "-id")
    return ("-date", "-id")


def documents_for(engine, user, terms: list[Term], filters: Filters = Filters()) -> QuerySet:
    """The documents holding every term that the person may see (``user`` None: all of them,
    for the command line), in the filters' order, on a database engine."""
    unchecked = engine.unchecked(terms)
    queryset = _candidates(engine, user, terms, filters)
    return queryset.filter(backends.check(unchecked)) if unchecked else queryset


def matches(user, terms: list[Term], filters: Filters = Filters(), first: int = 0):
    """The hits on the engine in use, as the paginator sees them: ``count()`` (up to
    COUNT_LIMIT), a slice is a list of ``SearchDocument`` rows, and ``every()`` the set of
    (source, record) of every hit. ``first``: the size of the first page, which an engine may
    find in the same pass as the count."""
    return backends.backend().matches(user, terms, filters, first)


class DatabaseMatches:
    """The hits on a database engine: counted up to COUNT_LIMIT; a page is one query whose
    ordered part selects ids only (the sort over every match carries narrow rows), the page's
    rows read by those ids. Where the index is not exact, each candidate is checked on its
    match text; false candidates are rare, so a page reads a few rows more than it shows and
    only seldom a second time."""

    def __init__(self, engine, user, terms: list[Term], filters: Filters = Filters()):
        self.exact = documents_for(engine, user, terms, filters)
        self.unchecked = engine.unchecked(terms)
        self.candidates = _candidates(engine, user, terms, filters)
        self.ordering = _ordering(terms, filters)

    def count(self) -> int:
        return self.exact.order_by()[:COUNT_LIMIT].count()

    def every(self) -> set[tuple[str, int]]:
        return set(self.exact.values_list("source", "object_id"))

    def __getitem__(self, window: slice) -> list[SearchDocument]:
        start, stop = window.start or 0, window.stop
        if not self.unchecked:
            return self._read(start, stop)
        found: list[SearchDocument] = []
        read, batch = 0, stop + CHECK_SLACK
        while len(found) < stop:
            chunk = self._read(read, read + batch)
            found += [
                row
                for row in chunk
                if backends.holds(row.match_title, row.match_body, self.unchecked)
            ]
            read += len(chunk)
            if len(chunk) < batch:
                break
            batch *= 2
        return found[start:stop]

    def _read(self, start: int, stop: int) -> list[SearchDocument]:
        ids = self.candidates.values("id")[start:stop]
        rows = SearchDocument.objects.filter(id__in=ids).select_related("agency")
        return list(rows.order_by(*self.ordering))


def _aligned(text: str, match_text: str) -> str | None:
    """The stored match text when it is the projection itself (no white space was collapsed,
    so positions agree): highlighting need not project the text again."""
    return match_text if len(match_text) == len(text) else None


def search(
    user, query: str, filters: Filters = Filters(), page: int | str = 1, per_page: int = PER_PAGE
) -> Results:
    """One page of hits with highlighted title and snippet (the first COUNT_LIMIT hits are
    paged). DomainError for a bad query or filter, naming the field."""
    terms = parse(query)
    filters.check()
    current = Paginator(matches(user, terms, filters, per_page), per_page).get_page(page)
    return Results(terms, current, hits_of(current.object_list, terms), filters)


def hits_of(rows: list[SearchDocument], terms: list[Term]) -> list[Hit]:
    """The rows as the page shows them: labels, the title and a snippet with the terms marked."""
    kinds, statuses = registry.kind_labels(), registry.status_labels()
    return [
        Hit(
            row,
            kinds.get(row.kind, row.kind),
            statuses.get(row.status, row.status),
            highlight(row.title, terms, projected=_aligned(row.title, row.match_title)),
            highlight(row.body, terms, SNIPPET_WIDTH, _aligned(row.body, row.match_body)),
        )
        for row in rows
    ]
