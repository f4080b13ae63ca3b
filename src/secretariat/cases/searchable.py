"""Cases in the one search: every kind of routed work (petitions, council questions, data
requests, service cases, commitments …) as one source, seen as the case list sees them.

A case's document is its number and subject (title) and its text (body), dated by its receipt,
with its status and lead agency for the filters and the holder keys of every part in force for
the scope (``permissions.holder_keys``: the agency, the unit or the contractor that holds it). Replies are not indexed: an agency sees only its own part of a case, and a snippet must
not show it another agency's reply. Confidential cases (密件) are not indexed at all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from secretariat.search.registry import Document, Scope, Source, Watch

SOURCE = "cases"
BATCH = 2000


def documents(ids: Iterable[int] | None) -> Iterator[Document]:
    from secretariat.cases.models import Assignment, AssignmentRole, Case
    from secretariat.cases.permissions import holder_keys

    cases = Case.objects.only(
        "pk", "kind", "number", "subject", "body", "received_on", "status", "confidential"
    )
    if ids is not None:
        cases = cases.filter(pk__in=list(ids))
    rows = cases.order_by("pk").iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):
        lead, holders = {}, defaultdict(set)
        parts = Assignment.objects.current().filter(case_id__in=[case.pk for case in batch])
        for part in parts.only("case_id", "agency_id", "unit_id", "contractor_id", "role"):
            holders[part.case_id] |= holder_keys(part)
            if part.role == AssignmentRole.LEAD:
                lead[part.case_id] = part.agency_id
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
                holders=tuple(sorted(holders[case.pk])),
                confidential=case.confidential,
            )


def visible(user):
    from secretariat.cases.permissions import sees_all_cases
    from secretariat.cases.selectors import cases_for

    return None if sees_all_cases(user) else cases_for(user).values("pk")


def scope(user) -> Scope | None:
    """The same rule as ``visible`` (``cases_for``), in the engine's terms: the kinds the
    person routes or tracks, and the holder keys of the parts they hold."""
    from secretariat.cases.permissions import scope_keys, sees_all_cases, watched_kinds

    if sees_all_cases(user):
        return None
    return Scope(frozenset(watched_kinds(user)), frozenset(scope_keys(user)))


def describe(user) -> str:
    """What the person finds of cases, in words: the same as their case list says."""
    from secretariat.cases.selectors import scope_description

    return scope_description(user)


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
            describe=describe,
            watches=(
                Watch(Case, lambda case: [case.pk]),
                Watch(Assignment, lambda part: [part.case_id]),
            ),
        )
    )

    def imported(sender, cases, **kwargs) -> None:
        services.index_records(SOURCE, [case.pk for case in cases])

    cases_imported.connect(imported, sender=Case, weak=False, dispatch_uid="search:cases:import")
