"""公文 in the one search: an ordinary document's number, subject and the text of its newest
簽 and 稿, seen as its agency and its chain see it (``selectors.holder_keys``). A confidential
document is never yielded — its text is not even decrypted for the index — so on either
engine it is removed from the index, its tokens and its snippets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from secretariat.search.registry import Document as Indexed
from secretariat.search.registry import Scope, Source, Watch

SOURCE = "documents"
BATCH = 1000


def documents(ids: Iterable[int] | None) -> Iterator[Indexed]:
    from secretariat.documents import content, selectors, storage
    from secretariat.documents.models import Document, DraftVersion, Secrecy

    rows = Document.objects.filter(secrecy=Secrecy.NONE).only(
        "pk", "agency_id", "number", "prefix", "subject", "doc_type", "received_on", "status"
    )
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    found = rows.order_by("pk").iterator(chunk_size=BATCH)
    while batch := list(islice(found, BATCH)):
        holders = selectors.holder_keys([document.pk for document in batch])
        newest: dict[int, dict[int, DraftVersion]] = {}
        for version in DraftVersion.objects.filter(
            draft__document_id__in=[document.pk for document in batch]
        ).select_related("draft"):
            drafts = newest.setdefault(version.draft.document_id, {})
            if version.draft_id not in drafts or version.number > drafts[version.draft_id].number:
                drafts[version.draft_id] = version
        for document in batch:
            texts = [
                content.plain_text(storage.version_content(document, version))
                for version in newest.get(document.pk, {}).values()
            ]
            yield Indexed(
                object_id=document.pk,
                kind=document.doc_type,
                title=f"{document.reference} {document.subject}",
                body="\n".join(texts),
                date=document.received_on,
                url=document.get_absolute_url(),
                status=document.status,
                agency_id=document.agency_id,
                holders=tuple(sorted(holders[document.pk])),
            )


def visible(user):
    from secretariat.documents import selectors

    return selectors.visible_documents(user).values("pk")


def scope(user) -> Scope | None:
    """The same rule as ``visible`` in the engine's terms (confidential documents, seen only
    by their chain, are never in the index)."""
    from secretariat.documents import selectors

    keys = selectors.scope_keys(user)
    return None if keys is None else Scope(holders=frozenset(keys))


def kinds() -> dict[str, str]:
    from secretariat.documents.models import DocType

    return {f"{code}": f"公文：{label}" for code, label in DocType.choices}


def statuses() -> dict[str, str]:
    from secretariat.documents.models import Status

    return {code: f"公文{label}" for code, label in Status.choices}


def register() -> None:
    from secretariat.documents.models import Document, DraftVersion, Point
    from secretariat.search import registry

    registry.register(
        Source(
            key=SOURCE,
            label="公文",
            documents=documents,
            visible=visible,
            scope=scope,
            kinds=kinds,
            statuses=statuses,
            watches=(
                Watch(Document, lambda document: [document.pk]),
                Watch(DraftVersion, lambda version: [version.draft.document_id]),
                # Who is on the chain decides who finds it (Scope.holders).
                Watch(Point, lambda point: [point.document_id]),
            ),
        )
    )
