"""Cases in the one search: every kind of routed work (petitions, council questions, data
requests, service cases, commitments …) as one source, seen as the case list sees them.

A case's document is its number and subject (title) and its text (body), dated by its receipt,
with its status and lead agency for the filters. Replies are not indexed: an agency sees only
its own part of a case, and a snippet must not show it another agency's reply."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import OuterRef, Subquery

from secretariat.search.registry import Document, Source, Watch

SOURCE = "cases"


def documents(ids: Iterable[int] | None) -> Iterator[Document]:
    from secretariat.cases.models import Assignment, Case

    lead = Assignment.objects.leads().filter(case=OuterRef("pk")).values("agency_id")[:1]
    cases = Case.objects.annotate(lead_agency_id=Subquery(lead)).only(
        "pk", "kind", "number", "subject", "body", "received_on", "status"
    )
    if ids is not None:
        cases = cases.filter(pk__in=list(ids))
    for case in cases.order_by("pk").iterator(chunk_size=2000):
        yield Document(
            object_id=case.pk,
            kind=case.kind,
            title=f"{case.number} {case.subject}",
            body=case.body,
            date=case.received_on,
            url=case.get_absolute_url(),
            status=case.status,
            agency_id=case.lead_agency_id,
        )


def visible(user):
    from secretariat.cases.permissions import sees_all_cases
    from secretariat.cases.selectors import cases_for

    return None if sees_all_cases(user) else cases_for(user).values("pk")


def scope(user) -> str:
    """What the person finds of cases: the same as their case list."""
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
            kinds=kinds,
            statuses=statuses,
            scope=scope,
            watches=(
                Watch(Case, lambda case: [case.pk]),
                Watch(Assignment, lambda part: [part.case_id]),
            ),
        )
    )

    def imported(sender, cases, **kwargs) -> None:
        services.index_records(SOURCE, [case.pk for case in cases])

    cases_imported.connect(imported, sender=Case, weak=False, dispatch_uid="search:cases:import")
