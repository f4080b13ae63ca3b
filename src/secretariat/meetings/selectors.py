"""Reads of 府級會議, already limited to what the person may see (one rule each):

* **meetings**: the meeting staff and administrators see every meeting; every signed-in
  person sees the meetings still taking proposals (date, place, deadline — and only their own
  agency's proposals); once the notice is out a meeting is seen by the members of its series
  (by office), the chair's office, and the agencies presenting an item on its agenda;
* **minutes**: the staff always; the chair's office once submitted; the presenting agencies
  their items' entries during review; the members and presenters once published; anyone at
  all, on the public page, once published for an open series;
* **directives** are cases of the engine and follow its scope (``cases.selectors``): the
  routers (the meeting staff), the tracking office (研考會's 研考人員) and the agencies
  holding a part.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from secretariat.cases import selectors as case_selectors
from secretariat.core import roc
from secretariat.core.models import Agency, User
from secretariat.core.permissions import SECRETARIAT_CODE
from secretariat.meetings import kinds
from secretariat.meetings.models import (
    AgendaAttachment,
    AgendaItem,
    Attendance,
    Directive,
    ItemStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesEntry,
    MinutesStatus,
    PaperlessTally,
    Review,
    RulesVersion,
)
from secretariat.meetings.permissions import (
    APPROVER_ROLES,
    PROPOSER_ROLES,
    STAFF_ROLES,
    chair_series_q,
    chairs,
    is_meeting_staff,
    member_series_ids,
    members_q,
    signed_in,
)

NOTIFIED = (MeetingStatus.NOTIFIED, MeetingStatus.HELD)
PUBLISHED = MinutesStatus.PUBLISHED


# --- People ------------------------------------------------------------------------------------


def series_list() -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.select_related("chair_agency").prefetch_related("seats__role")


def members_of(series: MeetingSeries) -> QuerySet[User]:
    """Who sits on the series now, by office (a new head the day their account holds it)."""
    return (
        User.objects.filter(members_q(series))
        .select_related("agency")
        .distinct()
        .order_by("agency__sort_order", "pk")
    )


def meeting_staff() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, agency__code=SECRETARIAT_CODE, roles__code__in=STAFF_ROLES
    ).distinct()


def approvers(series: MeetingSeries) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, agency_id=series.chair_agency_id, roles__code__in=APPROVER_ROLES
    ).distinct()


def presenting_agency_ids(meeting: Meeting) -> set[int]:
    return set(meeting.items.filter(status=ItemStatus.ACCEPTED).values_list("agency_id", flat=True))


def presenters(meeting: Meeting) -> QuerySet[User]:
    """The presenting agencies' proposers (列席)."""
    return (
        User.objects.filter(
            is_active=True,
            agency_id__in=presenting_agency_ids(meeting),
            roles__code__in=PROPOSER_ROLES,
        )
        .select_related("agency")
        .distinct()
        .order_by("agency__sort_order", "pk")
    )


def reviewers(minutes: Minutes) -> dict[int, list[User]]:
    """The people of each agency whose review is pending."""
    pending = Review.objects.filter(entry__minutes=minutes, status="pending")
    agency_ids = set(pending.values_list("agency_id", flat=True))
    people = User.objects.filter(
        is_active=True, agency_id__in=agency_ids, roles__code__in=PROPOSER_ROLES
    ).distinct()
    grouped: dict[int, list[User]] = defaultdict(list)
    for person in people:
        grouped[person.agency_id].append(person)
    return grouped


# --- Meetings ------------------------------------------------------------------------------------


def _presenting(user) -> Q:
    if not signed_in(user) or user.agency_id is None:
        return Q(pk__in=[])
    items = AgendaItem.objects.filter(
        meeting=OuterRef("pk"), agency_id=user.agency_id, status=ItemStatus.ACCEPTED
    )
    return Q(Exists(items))


def meetings_for(user) -> QuerySet[Meeting]:
    """Meetings the person may open (see the module's docstring)."""
    meetings = Meeting.objects.select_related("series", "series__chair_agency")
    if is_meeting_staff(user):
        return meetings
    if not signed_in(user):
        return meetings.none()
    series = MeetingSeries.objects.filter(
        Q(pk__in=member_series_ids(user)) | chair_series_q(user)
    ).values("pk")
    notified = Q(status__in=NOTIFIED) & (Q(series__in=series) | _presenting(user))
    return meetings.filter(Q(status=MeetingStatus.PLANNING) | notified)


def meeting_for(user, pk: int) -> Meeting:
    meeting = meetings_for(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def sees_agenda(user, meeting: Meeting) -> bool:
    """Sees the whole agenda (not only their own proposals): staff, and once notified the
    members, the chair's office and the presenters (``meetings_for`` let them in)."""
    return is_meeting_staff(user) or meeting.status in NOTIFIED


def agenda(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The accepted items in their order."""
    return (
        meeting.items.filter(status=ItemStatus.ACCEPTED)
        .select_related("agency")
        .prefetch_related("attachments")
        .order_by("order", "pk")
    )


def items_for(user, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The items the person sees: the whole agenda (and, for staff, every proposal) where
    they may, and their own agency's proposals in any state."""
    items = meeting.items.select_related("agency", "deferred_from").prefetch_related("attachments")
    if is_meeting_staff(user):
        return items.order_by("status", "order", "pk")
    own = Q(agency_id=user.agency_id) if user.agency_id else Q(pk__in=[])
    if sees_agenda(user, meeting):
        own |= Q(status=ItemStatus.ACCEPTED)
    return items.filter(own).order_by("order", "pk")


def item_for(user, pk: int) -> AgendaItem:
    """An item of a meeting the person may open, if they see that item."""
    item = AgendaItem.objects.select_related("meeting").filter(pk=pk).first()
    if item is None or not meetings_for(user).filter(pk=item.meeting_id).exists():
        raise Http404
    found = items_for(user, item.meeting).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def attachment_for(user, pk: int) -> AgendaAttachment:
    """A file of an item the person sees."""
    attachment = AgendaAttachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    item_for(user, attachment.item_id)
    return attachment


def public_attachment(pk: int) -> AgendaAttachment:
    """A file of an agenda item whose meeting's minutes are published on the public page."""
    attachment = AgendaAttachment.objects.filter(
        pk=pk,
        item__status=ItemStatus.ACCEPTED,
        item__meeting__in=public_meetings().values("pk"),
    ).first()
    if attachment is None:
        raise Http404
    return attachment


def upcoming(user, today: dt.date) -> QuerySet[Meeting]:
    return meetings_for(user).filter(held_on__gte=today).exclude(status=MeetingStatus.CANCELLED)


def later_meetings(meeting: Meeting) -> QuerySet[Meeting]:
    """Where an item may be deferred to: the same series, later, still taking proposals."""
    return Meeting.objects.filter(
        series=meeting.series, held_on__gt=meeting.held_on, status=MeetingStatus.PLANNING
    ).order_by("held_on")


def attendance(meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendance.select_related("member", "attendee", "attendee_agency").order_by(
        "signed_at", "pk"
    )


@dataclass(frozen=True)
class SeatRow:
    """A member on the sign-in sheet and how they attended (None: not yet)."""

    member: User
    attendance: Attendance | None


def sign_in_sheet(meeting: Meeting) -> tuple[list[SeatRow], list[Attendance]]:
    """The members by office with their sign-in, and the observers (列席)."""
    signed = {row.member_id: row for row in attendance(meeting) if row.member_id}
    members = [SeatRow(person, signed.get(person.pk)) for person in members_of(meeting.series)]
    listed = {row.member.pk for row in members}
    # A member who signed and has since left the office still shows.
    members += [SeatRow(row.member, row) for pk, row in signed.items() if pk not in listed]
    observers = [row for row in attendance(meeting) if row.member_id is None]
    return members, observers


def substitutable(user, meeting: Meeting) -> list[User]:
    """Members of the person's agency they may sign in for (代理出席)."""
    if not signed_in(user) or user.agency_id is None:
        return []
    signed = set(meeting.attendance.exclude(member=None).values_list("member_id", flat=True))
    return [
        person
        for person in members_of(meeting.series).filter(agency_id=user.agency_id)
        if person.pk != user.pk and person.pk not in signed
    ]


# --- Minutes -----------------------------------------------------------------------------------


def entries(minutes: Minutes) -> QuerySet[MinutesEntry]:
    return minutes.entries.select_related("item__agency", "review__agency").order_by(
        "item__order", "item__pk"
    )


def minutes_for(user, meeting: Meeting) -> Minutes | None:
    """The meeting's minutes if the person may read them now (see the module's docstring)."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        return None
    if is_meeting_staff(user):
        return minutes
    if minutes.status == PUBLISHED:
        return minutes
    if minutes.status in (MinutesStatus.SUBMITTED, MinutesStatus.APPROVED) and (
        signed_in(user) and user.agency_id == meeting.series.chair_agency_id
    ):
        return minutes
    if minutes.status == MinutesStatus.IN_REVIEW and signed_in(user):
        if Review.objects.filter(entry__minutes=minutes, agency_id=user.agency_id).exists():
            return minutes
    return None


def visible_entries(user, minutes: Minutes) -> QuerySet[MinutesEntry]:
    """The entries the person reads: all of them, except during review, when an agency reads
    only its own items'."""
    rows = entries(minutes)
    if minutes.status == MinutesStatus.IN_REVIEW and not is_meeting_staff(user):
        return rows.filter(item__agency_id=user.agency_id)
    return rows


def public_meetings() -> QuerySet[Meeting]:
    """Open series' meetings whose minutes are published (the public page)."""
    return Meeting.objects.filter(series__is_open=True, minutes__status=PUBLISHED).select_related(
        "series", "minutes"
    )


def public_meeting(pk: int) -> Meeting:
    meeting = public_meetings().filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def may_approve(user, minutes: Minutes) -> bool:
    return minutes.status == MinutesStatus.SUBMITTED and chairs(user, minutes.meeting.series)


# --- Directives ----------------------------------------------------------------------------------


def directive_facts(case) -> list[tuple[str, str, str | None]]:
    """The kind's facts on the engine's case page: the meeting, the item, 決議 or 裁示."""
    from django.urls import reverse

    directive = Directive.objects.select_related("meeting", "item").filter(case=case).first()
    if directive is None:
        return []
    facts = [
        ("會議", directive.meeting.title, reverse("meetings:meeting", args=[directive.meeting_id])),
        ("會議日期", roc.format_date(directive.meeting.held_on), None),
        ("類別", directive.get_kind_display(), None),
    ]
    if directive.item is not None:
        facts.append(("議案", directive.item.title, None))
    facts.append(("列管情形", "裁示事項頁", reverse("meetings:directive", args=[case.number])))
    return facts


def directives_for(user) -> QuerySet[Directive]:
    """Directives whose case the person may see (the engine's scope)."""
    visible = case_selectors.cases_for(user, kinds.DIRECTIVE).values("pk")
    return Directive.objects.filter(case__in=visible).select_related(
        "case", "meeting__series", "item"
    )


def directive_for(user, number: str) -> tuple[Directive, object]:
    """A directive and its case (with the parts the person sees), or Http404."""
    case = case_selectors.case_for(user, number)
    directive = (
        Directive.objects.select_related("meeting__series", "item").filter(case=case).first()
    )
    if directive is None:
        raise Http404
    return directive, case


@dataclass(frozen=True)
class DirectiveRow:
    number: str
    subject: str
    lead: str
    status: str
    next_due: dt.date | None
    overdue: bool
    url: str


def open_directives(series: MeetingSeries, at: dt.date | dt.datetime) -> list[DirectiveRow]:
    """The series' directives still tracked (列管中), oldest first, as of ``at``: what the next
    meeting's agenda lists for report."""
    directives = list(
        Directive.objects.filter(
            meeting__series=series, case__status__in=case_selectors.OPEN_STATUSES
        )
        .select_related("case")
        .order_by("meeting__held_on", "case__number")
    )
    parts = defaultdict(list)
    for part in case_selectors.current_parts().filter(case__in=[d.case_id for d in directives]):
        parts[part.case_id].append(part)
    rows = []
    for directive in directives:
        case, own = directive.case, parts[directive.case_id]
        lead = next((p for p in own if p.role == "lead"), None)
        active = [p for p in own if p.is_active]
        rows.append(
            DirectiveRow(
                number=case.number,
                subject=case.subject,
                lead=lead.agency.short_name if lead else "—",
                status=case.get_status_display(),
                next_due=min((p.due_on for p in active), default=None),
                overdue=any(p.is_overdue_at(at) for p in active),
                url=directive_url(case.number),
            )
        )
    return rows


def directive_url(number: str) -> str:
    from django.urls import reverse

    return reverse("meetings:directive", args=[number])


def tracking_list(user, at: dt.datetime, *, status: str = "open", agency: Agency | None = None):
    """研考's list: the directives the person sees, with each lead, next report due and
    overdue; ``status`` open (列管中), released (已解除列管) or "" (all)."""
    rows = case_selectors.case_list_for(
        user, at, kind=kinds.DIRECTIVE, status="open" if status == "open" else "", agency=agency
    )
    if status == "released":
        rows = rows.filter(
            status__in=(case_selectors.CaseStatus.REPLIED, case_selectors.CaseStatus.CLOSED)
        )
    meetings = {
        d.case_id: d
        for d in Directive.objects.filter(case__in=rows.values("pk")).select_related("meeting")
    }
    return [(case, meetings.get(case.pk)) for case in rows]


# --- Figures for the report ----------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesFigures:
    series: MeetingSeries
    meetings: int
    mobile: int
    report_items: int
    discussion_items: int
    lectures: int
    motions: int


def held_meetings(start: dt.date, end: dt.date) -> QuerySet[Meeting]:
    """Meetings held in the period (live or imported); cancelled and planned ones are not."""
    return Meeting.objects.filter(held_on__range=(start, end), status=MeetingStatus.HELD)


def meetings_by_series(start: dt.date, end: dt.date) -> list[SeriesFigures]:
    """Per series (in its order), the meetings held in the period and their items by kind."""
    rows = (
        held_meetings(start, end)
        .values("series")
        .annotate(
            n=Count("pk"),
            mobile=Count("pk", filter=~Q(district="")),
            report=Sum("report_items"),
            discussion=Sum("discussion_items"),
            lectures=Sum("lectures"),
            motions=Sum("motions"),
        )
        .order_by()
    )
    series = MeetingSeries.objects.in_bulk([r["series"] for r in rows])
    figures = [
        SeriesFigures(
            series[r["series"]],
            r["n"],
            r["mobile"],
            r["report"] or 0,
            r["discussion"] or 0,
            r["lectures"] or 0,
            r["motions"] or 0,
        )
        for r in rows
    ]
    return sorted(figures, key=lambda f: (f.series.sort_order, f.series.code))


def rules_issued(start: dt.date, end: dt.date) -> QuerySet[RulesVersion]:
    """Rules of procedure revised (修正發布) in the period; a series' first version is its
    enactment, counted too."""
    return (
        RulesVersion.objects.filter(issued_on__range=(start, end))
        .select_related("series")
        .order_by("issued_on")
    )


@dataclass(frozen=True)
class PaperlessRow:
    agency: str
    meetings: int
    paperless: int
    sheets_saved: int

    @property
    def rate(self) -> Decimal | None:
        return roc.percent_value(self.paperless, self.meetings) if self.meetings else None


def paperless_by_agency(start: dt.date, end: dt.date) -> list[PaperlessRow]:
    """電子化會議 per agency: the agencies' monthly tallies of the months starting in the
    period, and the platform's own meetings held in it (under 秘書處, which runs them)."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    tallies = (
        PaperlessTally.objects.filter(month__range=(start, end))
        .values("agency")
        .annotate(n=Sum("meetings"), p=Sum("paperless"), s=Sum("sheets_saved"))
        .order_by()
    )
    for row in tallies:
        counts[row["agency"]][0] += row["n"]
        counts[row["agency"]][1] += row["p"]
        counts[row["agency"]][2] += row["s"]
    own = held_meetings(start, end).aggregate(
        n=Count("pk"), p=Count("pk", filter=Q(paperless=True))
    )
    if own["n"]:
        secretariat = Agency.objects.get(code=SECRETARIAT_CODE)
        counts[secretariat.pk][0] += own["n"]
        counts[secretariat.pk][1] += own["p"]
    agencies = Agency.objects.in_bulk(list(counts))
    rows = [
        (agencies[pk], PaperlessRow(agencies[pk].short_name_on(end), n, p, s))
        for pk, (n, p, s) in counts.items()
    ]
    rows.sort(key=lambda pair: (-pair[1].meetings, pair[0].sort_order))
    return [row for _, row in rows]


def assisted_minutes(start: dt.date, end: dt.date) -> QuerySet[MinutesEntry]:
    """Items whose minutes were drafted by the assistance, of meetings held in the period and
    approved since (the approved text is what the draft is measured against)."""
    return MinutesEntry.objects.filter(
        minutes__meeting__held_on__range=(start, end),
        minutes__assisted=True,
        minutes__status__in=(MinutesStatus.APPROVED, MinutesStatus.PUBLISHED),
    ).exclude(draft="")


def directives_by_agency(
    start: dt.date, end: dt.date, as_of: dt.date
) -> list[case_selectors.TrackedCounts]:
    """Directives given at meetings held in the period (the case's received date is the
    meeting's) by lead agency: the engine's figures of a tracked kind."""
    return case_selectors.tracked_by_lead_agency(kinds.DIRECTIVE, start, end, as_of)


def pending_for(user) -> list:
    """我的待辦: proposals to decide (staff), minutes to read (presenting agencies) or to
    approve (the chair's office), and today's meetings to sign in to (members)."""
    from django.utils import timezone

    from secretariat.core.modules import PendingItem

    if not signed_in(user):
        return []
    items = []
    today = timezone.localdate()
    if is_meeting_staff(user):
        proposals = (
            AgendaItem.objects.filter(
                status=ItemStatus.PROPOSED, meeting__status=MeetingStatus.PLANNING
            )
            .values("meeting")
            .annotate(n=Count("pk"))
            .order_by()
        )
        meetings = Meeting.objects.in_bulk([row["meeting"] for row in proposals])
        for row in proposals:
            meeting = meetings[row["meeting"]]
            items.append(
                PendingItem(
                    "待審提案",
                    f"{meeting.title}：{row['n']}件提案待審查",
                    meeting.get_absolute_url(),
                    meeting.held_on,
                )
            )
    if user.agency_id is not None and user.has_role(*PROPOSER_ROLES):
        pending = Review.objects.filter(
            agency_id=user.agency_id,
            status="pending",
            entry__minutes__status=MinutesStatus.IN_REVIEW,
        ).select_related("entry__minutes__meeting", "entry__item")
        for review in pending:
            meeting = review.entry.minutes.meeting
            items.append(
                PendingItem(
                    "紀錄核閱",
                    f"{meeting.title}：{review.entry.item.title}",
                    meeting.get_absolute_url(),
                )
            )
    waiting = Minutes.objects.filter(
        status=MinutesStatus.SUBMITTED, meeting__series__chair_agency_id=user.agency_id
    ).select_related("meeting__series")
    for minutes in waiting:
        if chairs(user, minutes.meeting.series):
            items.append(
                PendingItem(
                    "紀錄核定",
                    f"{minutes.meeting.title}紀錄待核定",
                    minutes.meeting.get_absolute_url(),
                )
            )
    member_of = member_series_ids(user)
    for meeting in Meeting.objects.filter(
        held_on=today, status=MeetingStatus.NOTIFIED, series__in=member_of
    ):
        if not meeting.attendance.filter(Q(attendee=user) | Q(member=user)).exists():
            items.append(
                PendingItem(
                    "會議簽到", f"今天{meeting.title}，請簽到", meeting.get_absolute_url(), today
                )
            )
    return items
