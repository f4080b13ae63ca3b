"""Cases in the one search: every kind of routed work (petitions, council questions, data
requests, service cases, commitments …) as one source, seen as the case list sees them.

A case's document is its number and subject (title) and its text (body), dated by its receipt,
with its status and lead agency for the filters and every agency holding a part of it for the
scope. Replies are not indexed: an agency sees only its own part of a case, and a snippet must
not show it another agency's reply. Confidential cases (密件) are not indexed at all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from secretariat.search.registry import Document, Scope, Source, Watch

SOURCE = "cases"
BATCH = 2000


def documents(ids: Iterable[int] | None) -> Iterator[Document]:
    from secretariat.cases.models import AssignmentRole, Case
    from secretariat.cases.selectors import held_parts

    cases = Case.objects.only(
        "pk", "kind", "number", "subject", "body", "received_on", "status", "confidential"
    )
    if ids is not None:
        cases = cases.filter(pk__in=list(ids))
    rows = cases.order_by("pk").iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):
        lead, holders = {}, defaultdict(set)
        parts = held_parts().filter(case_id__in=[case.pk for case in batch])
        for case_id, agency_id, role in parts.values_list("case_id", "agency_id", "role"):
            holders[case_id].add(agency_id)
            if role == AssignmentRole.LEAD:
                lead[case_id] = agency_id
        for case in batch:
            yield Document(
                object_id=case.pk,
                kind=case.kind,
                title=f"{case.number} {case.subject}",
                body=case.body,
                date=case.received_on,
                url=case.get_absolute_url(),
                status=case.status,
                agency_id=lead.get(case.pk),
                agencies=tuple(sorted(holders[case.pk])),
                confidential=case.confidential,
            )


def visible(user):
    from secretariat.cases.permissions import sees_all_cases
    from secretariat.cases.selectors import cases_for

    return None if sees_all_cases(user) else cases_for(user).values("pk")


def scope(user) -> Scope | None:
    from secretariat.cases.selectors import case_visibility

    visibility = case_visibility(user)
    if visibility is None:
        return None
    kinds, agency_id = visibility
    return Scope(kinds, frozenset() if agency_id is None else frozenset({agency_id}))


def kinds() -> dict[str, str]:
    from secretariat.cases import kinds as case_kinds

    return {code: kind.label for code, kind in case_kinds.KINDS.items()}


def statuses() -> dict[str, str]:
    from secretariat.cases.models import CaseStatus

    return dict(CaseStatus.choices)


def register() -> None:
    from secretariat.cases.models import Assignment, Case
    from secretariat.cases.services import cases_imported
    from secretariat.search import registry, services

    registry.register(
        Source(
            key=SOURCE,
            label="案件",
            documents=documents,
            visible=visible,
            scope=scope,
            kinds=kinds,
            statuses=statuses,
            watches=(
                Watch(Case, lambda case: [case.pk]),
                Watch(Assignment, lambda part: [part.case_id]),
            ),
        )
    )

    def imported(sender, cases, **kwargs) -> None:
        services.index_records(SOURCE, [case.pk for case in cases])

    cases_imported.connect(imported, sender=Case, weak=False, dispatch_uid="search:cases:import")
