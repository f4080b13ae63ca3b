"""公文 in the one search: an ordinary document's number, subject and the text of its newest
簽 and 稿, seen as its agency sees it. A confidential document is never indexed — the
source bars it (``excluded``), so neither its subject nor its text reaches the index, its
tokens or a snippet."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from secretariat.search.registry import Document as Indexed
from secretariat.search.registry import Source, Watch

SOURCE = "documents"


def documents(ids: Iterable[int] | None) -> Iterator[Indexed]:
    from secretariat.documents import content, storage
    from secretariat.documents.models import Document, DraftVersion, Secrecy

    rows = Document.objects.filter(secrecy=Secrecy.NONE).only(
        "pk", "agency_id", "number", "prefix", "subject", "doc_type", "received_on", "status"
    )
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    for document in rows.order_by("pk").iterator(chunk_size=1000):
        texts = []
        newest: dict[int, DraftVersion] = {}
        for version in DraftVersion.objects.filter(draft__document=document).select_related(
            "draft"
        ):
            if version.draft_id not in newest or version.number > newest[version.draft_id].number:
                newest[version.draft_id] = version
        for version in newest.values():
            texts.append(content.plain_text(storage.version_content(document, version)))
        yield Indexed(
            object_id=document.pk,
            kind=document.doc_type,
            title=f"{document.reference} {document.subject}",
            body="\n".join(texts),
            date=document.received_on,
            url=document.get_absolute_url(),
            status=document.status,
            agency_id=document.agency_id,
        )


def excluded(ids: Iterable[int]) -> Iterable[int]:
    from secretariat.documents.models import Document, Secrecy

    return (
        Document.objects.filter(pk__in=list(ids))
        .exclude(secrecy=Secrecy.NONE)
        .values_list("pk", flat=True)
    )


def visible(user):
    from secretariat.documents import selectors

    return selectors.visible_documents(user).values("pk")


def kinds() -> dict[str, str]:
    from secretariat.documents.models import DocType

    return {f"{code}": f"公文：{label}" for code, label in DocType.choices}


def statuses() -> dict[str, str]:
    from secretariat.documents.models import Status

    return {code: f"公文{label}" for code, label in Status.choices}


def register() -> None:
    from secretariat.documents.models import Document, DraftVersion
    from secretariat.search import registry

    registry.register(
        Source(
            key=SOURCE,
            label="公文",
            documents=documents,
            visible=visible,
            kinds=kinds,
            statuses=statuses,
            watches=(
                Watch(Document, lambda document: [document.pk]),
                Watch(DraftVersion, lambda version: [version.draft.document_id]),
            ),
            excluded=excluded,
        )
    )
