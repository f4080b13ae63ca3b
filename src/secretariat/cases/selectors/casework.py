"""Reads for the staff's own work on a case: internal notes (內部註記), an agency's reply
templates (回復範本), cases merged into a case (併案) and the requester search — each limited
to what the person may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.http import Http404

from secretariat.cases.models import Assignment, Case, CaseNote, ReplyTemplate
from secretariat.cases.permissions import (
    holder_scope,
    is_involved,
    requester_kinds,
    routed_kinds,
    sees_all_cases,
)
from secretariat.cases.selectors.scoped import cases_for
from secretariat.core.models import Agency
from secretariat.core.permissions import SECRETARIAT_CODE, sees_all_agencies

# --- Internal notes -----------------------------------------------------------------------


def notes_for(user, case: Case) -> QuerySet[CaseNote]:
    """The case's internal notes the person may read, oldest first: none unless they are
    involved in the case (``permissions.is_involved``); every note for the kind's routers;
    for an agency's people the notes for everyone, for their agency, or written by it."""
    notes = CaseNote.objects.filter(case=case).select_related(
        "author", "author_agency", "for_agency"
    )
    if not is_involved(user, case):
        return notes.none()
    if sees_all_cases(user) or case.kind in (routed_kinds(user) or ()):
        return notes
    own = user.agency_id
    return notes.filter(Q(for_agency__isnull=True) | Q(for_agency_id=own) | Q(author_agency_id=own))


def note_agencies(case: Case) -> list[Agency]:
    """The agencies a note may be kept for: those holding a part in force, and the
    Secretariat (the routers')."""
    held = Assignment.objects.current().filter(case=case).values("agency")
    return list(
        Agency.objects.filter(Q(pk__in=held) | Q(code=SECRETARIAT_CODE)).order_by(
            "sort_order", "code"
        )
    )


# --- Reply templates ----------------------------------------------------------------------


def reply_templates_for(user, kind: str | None = None) -> QuerySet[ReplyTemplate]:
    """The reply templates the person may read: their own agency's (administrators: every
    agency's, to help). With ``kind``, those for every kind and for that kind."""
    templates = ReplyTemplate.objects.select_related("agency", "updated_by")
    if not sees_all_agencies(user):
        if (
            not getattr(user, "is_authenticated", False)
            or getattr(user, "contractor_id", None) is not None
            or user.agency_id is None
        ):
            return templates.none()
        templates = templates.filter(agency_id=user.agency_id)
    if kind is not None:
        templates = templates.filter(Q(kind="") | Q(kind=kind))
    return templates


def reply_template_for(user, pk: int) -> ReplyTemplate:
    """One template the person may read, or Http404."""
    template = reply_templates_for(user).filter(pk=pk).first()
    if template is None:
        raise Http404
    return template


def own_reply_templates(user, kind: str) -> QuerySet[ReplyTemplate]:
    """What a draft-reply form offers: the person's own agency's templates for the kind (an
    administrator drafting for an agency is not offered another agency's)."""
    return reply_templates_for(user, kind).filter(agency_id=user.agency_id)


# --- Merged cases (併案) ---------------------------------------------------------------------


def merged_cases(case: Case) -> QuerySet[Case]:
    """The cases merged into ``case`` (a case the caller already may see: whoever answers it
    answers their requesters too, so they read their text)."""
    return case.merged_cases.order_by("received_on", "number")


def answering_case(case: Case) -> Case:
    """The case whose replies answer ``case``'s requester: the case it was merged into, or
    itself."""
    return case.merged_into if case.merged_into_id is not None else case


# --- The requester search -----------------------------------------------------------------


@dataclass(frozen=True)
class RequesterQuery:
    """A checked requester search (``services.search_requesters``): a name to match, or the
    digits of a phone number."""

    name: str = ""
    phone_digits: str = ""


def _digits_only(field: str):
    """The phone column without the separators people write (0912-345-678, (02) 2720 8889)."""
    expression = F(field)
    for separator in ("-", " ", "(", ")", "+", "."):
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def requester_matches(user, query: RequesterQuery, limit: int = 100) -> QuerySet[Case]:
    """Cases whose requester matches the query, among the cases whose requesters the person
    may see (``permissions.requester_kinds``: every case of the kinds they route; of the
    other kinds, the cases they hold a part of when their role may see its requesters),
    newest first."""
    kinds = requester_kinds(user)
    cases = cases_for(user).select_related("requester")
    if kinds is not None:
        routed = routed_kinds(user) or frozenset()
        held = Assignment.objects.current().filter(holder_scope(user), case=OuterRef("pk"))
        cases = cases.filter(
            Q(kind__in=sorted(routed)) | (Q(kind__in=sorted(kinds)) & Q(Exists(held)))
        )
    if query.phone_digits:
        cases = cases.annotate(requester_phone=_digits_only("requester__phone")).filter(
            requester_phone__contains=query.phone_digits
        )
    else:
        cases = cases.filter(requester__name__icontains=query.name)
    return cases.order_by("-received_on", "-number")[:limit]
