"""Reads of cases and parts limited to what the person may see (``permissions.part_scope``):
an agency, unit or contractor sees the cases it holds a part of, and only its own parts; the
Secretariat's routers see every case of the kinds they route."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as Choose
from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from secretariat.cases.models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseLink,
    Extension,
    Reassignment,
    RequestStatus,
)
from secretariat.cases.permissions import (
    REPLY_ROLES,
    holder_scope,
    part_scope,
    sees_all_cases,
    watched_kinds,
)


def cases_for(user, kind: str | None = None) -> QuerySet[Case]:
    """Cases the person may see: all of the kinds they route or track; otherwise the cases
    they hold a part of (one that was not withdrawn by 改分)."""
    queryset = Case.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    if sees_all_cases(user):
        return queryset
    held = Assignment.objects.current().filter(holder_scope(user), case=OuterRef("pk"))
    scope = Q(Exists(held))
    if watched := watched_kinds(user):
        scope |= Q(kind__in=watched)
    return queryset.filter(scope)


def assignments_for(user, case: Case | None = None) -> QuerySet[Assignment]:
    queryset = Assignment.objects.select_related("agency", "unit", "contractor", "officer", "case")
    if case is not None:
        queryset = queryset.filter(case=case)
    scope = part_scope(user)
    return queryset if scope is None else queryset.filter(scope)


def case_for(user, number: str) -> Case:
    """The case with that number if the person may see it; Http404 otherwise. It carries
    ``visible_assignments``: the parts in force the person sees, the lead first."""
    lead_first = Choose(When(role=AssignmentRole.LEAD, then=0), default=1)
    visible = assignments_for(user).current().order_by(lead_first, "agency__code", "pk")
    case = (
        cases_for(user)
        .prefetch_related(
            Prefetch("assignments", queryset=visible, to_attr="visible_assignments"), "attachments"
        )
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    return case


def related_cases(user, case: Case) -> list[CaseLink]:
    visible = cases_for(user).values("pk")
    return list(CaseLink.objects.filter(case=case, related__in=visible).select_related("related"))


def pending_requests(
    user, case: Case | None = None
) -> tuple[QuerySet[Reassignment], QuerySet[Extension]]:
    reassign = Reassignment.objects.filter(status=RequestStatus.PENDING).select_related(
        "assignment__case", "assignment__agency"
    )
    extend = Extension.objects.filter(status=RequestStatus.PENDING).select_related(
        "assignment__case", "assignment__agency"
    )
    if case is not None:
        reassign, extend = (
            reassign.filter(assignment__case=case),
            extend.filter(assignment__case=case),
        )
    scope = part_scope(user, "assignment__")
    if scope is not None:
        reassign, extend = reassign.filter(scope), extend.filter(scope)
    return reassign, extend


def open_assignments_for(user, at: dt.date | dt.datetime, **filters) -> QuerySet[Assignment]:
    """Open parts the person may see, with ``is_overdue`` computed for ``at``."""
    return assignments_for(user).active().filter(**filters).with_overdue(at)


def my_open_parts(user, at: dt.date | dt.datetime) -> list[Assignment]:
    """Unanswered parts the person holds: their own first, then by deadline."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine_first = Choose(
        When(officer_id=user.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    parts = open_assignments_for(user, at).filter(holder_scope(user))
    return list(parts.order_by(mine_first, "due_on", "due_at", "case__number"))


def assignable_officers(assignment: Assignment):
    """People who hold the part and may handle it (承辦人, 主管, 首長; a contractor's people)."""
    from secretariat.cases.services.common import holders
    from secretariat.core.models import User

    people = [person.pk for person in holders(assignment, REPLY_ROLES)]
    return User.objects.filter(pk__in=people).order_by("display_name", "username")


def audit_trail_for(user, case: Case):
    """Audit entries of the case, of the parts (and their requests and progress reports) and
    of the internal notes the person may see, newest first. Whoever sees every case of the
    kind (its routers, its tracking office) reads the whole trail of those records; others
    read them under the core agency scope."""
    from secretariat.cases.models import ProgressReport
    from secretariat.cases.selectors.casework import notes_for
    from secretariat.core.models import AuditEntry
    from secretariat.core.selectors import audit_entries_for

    watched = watched_kinds(user)
    if watched is None or case.kind in watched:
        entries = AuditEntry.objects.select_related("actor").order_by("-seq")
    else:
        entries = audit_entries_for(user)
    # Every part of the case the person may see, those withdrawn by 改分 or 併案 too: their
    # steps are part of the story.
    parts = list(assignments_for(user, case).values_list("pk", flat=True))
    related = {
        "cases.reassignment": Reassignment.objects.filter(assignment__in=parts),
        "cases.extension": Extension.objects.filter(assignment__in=parts),
        "cases.progressreport": ProgressReport.objects.filter(assignment__in=parts),
        "cases.casenote": notes_for(user, case),
    }
    wanted = Q(object_type="cases.case", object_id=str(case.pk)) | Q(
        object_type="cases.assignment", object_id__in=[str(pk) for pk in parts]
    )
    for object_type, queryset in related.items():
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        wanted |= Q(object_type=object_type, object_id__in=ids)
    return entries.filter(wanted)


def progress_reports(part: Assignment):
    """A tracked part's progress reports, oldest first (the part comes from a scoped read)."""
    return part.progress_reports.select_related("reported_by").order_by("reported_on", "pk")


def requester_email(case: Case) -> str:
    """The address to send the requester their own case's news (a receipt, the replies).
    Not a view of personal data by a person, so not ``reveal_requester``: the caller audits
    the use."""
    from secretariat.cases.models import Requester

    return Requester.objects.filter(case=case).values_list("email", flat=True).first() or ""
