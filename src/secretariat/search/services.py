"""Writes of the search index. The index is derived from the records: these functions bring it
in step with them and are not audited themselves (the record's own change is)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import transaction

from secretariat.core.errors import DomainError
from secretariat.search import backends, registry
from secretariat.search.models import SearchDocument
from secretariat.search.registry import Document
from secretariat.search.text import match_form

BATCH = 1000
_META_FIELDS = ("kind", "status", "agency_id", "holders", "date", "url", "title", "body")


def _row(source_key: str, document: Document) -> SearchDocument:
    match_title, match_body = match_form(document.title), match_form(document.body)
    return SearchDocument(
        source=source_key,
        object_id=document.object_id,
        kind=document.kind,
        status=document.status,
        agency_id=document.agency_id,
        date=document.date,
        url=document.url,
        title=document.title[:300],
        body=document.body,
        match_title=match_title,
        match_body=match_body,
        length=len(match_title) + len(match_body),
        holders=list(document.holders),
    )


def _tokens_of(rows: Iterable[SearchDocument]) -> list[backends.Row]:
    return [(row.id, row.match_title, row.match_body) for row in rows]


@transaction.atomic
def index_records(source_key: str, ids: Iterable[int]) -> None:
    """Index these records of the source as they now stand; drop those it no longer yields
    (deleted, or no longer searchable) or marks confidential."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), BATCH):
        _index_batch(source_key, ordered[start : start + BATCH])


def _index_batch(source_key: str, ids: list[int]) -> None:
    source, engine = registry.get(source_key), backends.backend()
    fresh = {d.object_id: _row(source_key, d) for d in source.documents(ids) if not d.confidential}
    stored = {
        row.object_id: row
        for row in SearchDocument.objects.filter(source=source_key, object_id__in=ids)
    }
    gone = [row for object_id, row in stored.items() if object_id not in fresh]
    retokenize, relabel, new = [], [], []
    for object_id, row in fresh.items():
        old = stored.get(object_id)
        if old is None:
            new.append(row)
            continue
        row.id = old.id
        if (old.match_title, old.match_body) != (row.match_title, row.match_body):
            retokenize.append((old, row))
        elif any(getattr(old, f) != getattr(row, f) for f in _META_FIELDS):
            relabel.append(row)
    SearchDocument.objects.filter(pk__in=[row.id for row in gone]).delete()
    changed = [row for _, row in retokenize] + relabel
    if changed:
        fields = [*_META_FIELDS, "match_title", "match_body", "length"]
        SearchDocument.objects.bulk_update(changed, fields, batch_size=BATCH)
    SearchDocument.objects.bulk_create(new, batch_size=BATCH)
    touched = {row.object_id for row in gone + changed + new}
    removed = _tokens_of(gone) + _tokens_of(old for old, _ in retokenize)
    engine.changed(source_key, removed, _tokens_of([row for _, row in retokenize] + new), touched)


@dataclass(frozen=True)
class Rebuilt:
    source: str
    label: str
    documents: int


def _batches(documents: Iterator[Document]) -> Iterator[list[Document]]:
    while batch := list(islice(documents, BATCH)):
        yield batch


def reindex(source_keys: Iterable[str] | None = None) -> list[Rebuilt]:
    """Rebuild the index of these sources (all for None) from their records, in one
    transaction: searches see the old index until the new one is complete."""
    keys = list(source_keys) if source_keys is not None else list(registry.SOURCES)
    unknown = [key for key in keys if key not in registry.SOURCES]
    if unknown:
        names = "、".join(registry.SOURCES)
        raise DomainError(
            "unknown_source", f"未知的檢索來源：{'、'.join(unknown)}（可用：{names}）"
        )
    engine, done = backends.backend(), []
    every_source = set(keys) == set(registry.SOURCES)
    with transaction.atomic():
        stored = (
            SearchDocument.objects.all()
            if every_source
            else SearchDocument.objects.filter(source__in=keys)
        )
        engine.forget(stored.only("id", "match_title", "match_body"), every_source)
        stored.delete()
        for key in keys:
            count = 0
            for batch in _batches(iter(registry.get(key).documents(None))):
                rows = SearchDocument.objects.bulk_create(
                    [_row(key, d) for d in batch if not d.confidential]
                )
                engine.restore(_tokens_of(rows))
                count += len(rows)
            done.append(Rebuilt(key, registry.get(key).label, count))
    engine.rebuilt(keys, every_source)
    return done
