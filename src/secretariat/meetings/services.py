"""Writes of 府級會議. Every function checks permission, validates, changes, audits and
notifies in one transaction, and raises ``DomainError`` with a zh-Hant message naming the
field. Directives are cases of the engine (kind ``meeting_directive``): this module writes
their own record through the engine's hooks and routes them with ``cases.services``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string

from secretariat.assist import services as assist
from secretariat.cases import selectors as case_selectors
from secretariat.cases import services as case_services
from secretariat.cases.kinds import OpenContext
from secretariat.core import audit, roc, uploads, workdays
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency, AgencyKind, Role
from secretariat.core.permissions import SECRETARIAT_CODE
from secretariat.core.text import TextRule, check_fields, model_rule
from secretariat.meetings import kinds, notices, selectors
from secretariat.meetings.models import (
    COUNT_FIELDS,
    DISTRICTS,
    AgendaAttachment,
    AgendaItem,
    Attendance,
    AttendanceKind,
    Directive,
    ItemKind,
    ItemStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesEntry,
    MinutesStatus,
    PaperlessTally,
    ResolutionKind,
    Review,
    ReviewStatus,
    RulesVersion,
    Seat,
)
from secretariat.meetings.permissions import (
    chairs,
    is_meeting_staff,
    proposes_for,
    seat_of,
)

# Agencies propose reports and discussions; the Secretariat adds lectures and 臨時動議.
PROPOSED_KINDS = (ItemKind.REPORT, ItemKind.DISCUSSION)
# Proposals are due by this time on the deadline day.
DEADLINE_TIME = dt.time(17, 0)
MAX_ATTACHMENTS = 10
TRACKING_REPORT_TITLE = "歷次會議裁示（決議）事項列管情形"


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def _require_staff(by) -> None:
    if not is_meeting_staff(by):
        raise PermissionDenied("只有秘書處議事人員可以執行此操作。")


def _invalid(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(code, message, {field: [message]})


def _checked(values: Mapping[str, str], rules: Mapping[str, TextRule]) -> dict[str, str]:
    """The texts stripped and checked (control characters, lengths); every problem at once."""
    cleaned, errors = check_fields({k: (v or "").strip() for k, v in values.items()}, rules)
    if errors:
        raise DomainError.invalid(errors)
    return cleaned


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# --- Series, seats and rules -------------------------------------------------------------------


SERIES_RULES = {
    "name": model_rule(MeetingSeries, "name"),
    "chair_title": model_rule(MeetingSeries, "chair_title"),
    "default_place": model_rule(MeetingSeries, "default_place"),
    "report_text": model_rule(MeetingSeries, "report_text"),
}


# A series' code names it in addresses and import files: short, lower-case, readable.
_SERIES_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


@transaction.atomic
def create_series(
    *,
    code: str,
    name: str,
    chair_title: str,
    chair_agency: Agency,
    default_place: str = "",
    is_open: bool = False,
    submission_days: int = 3,
    report_text: str = "",
    sort_order: int = 0,
    by,
) -> MeetingSeries:
    """A meeting series (會議系列), e.g. 市政會議 chaired by the mayor, approved by 市長室; the
    meeting staff add any other (a committee, a task force) on the meetings page."""
    _require_staff(by)
    texts = _checked(
        {
            "name": name,
            "chair_title": chair_title,
            "default_place": default_place,
            "report_text": report_text,
        },
        SERIES_RULES,
    )
    errors = {}
    if not texts["name"]:
        errors["name"] = ["請填寫會議名稱。"]
    if not texts["chair_title"]:
        errors["chair_title"] = ["請填寫主席（例：市長）。"]
    if not 0 <= submission_days <= 30:
        errors["submission_days"] = ["提案截止須為會議前0至30個工作天。"]
    if not _SERIES_CODE.fullmatch(code):
        errors["code"] = ["代號須為1至40個英文小寫字母、數字或連字號（例：city-council）。"]
    elif MeetingSeries.objects.filter(code=code).exists():
        errors["code"] = [f"代號「{code}」已使用。"]
    if MeetingSeries.objects.filter(name=texts["name"]).exists():
        errors["name"] = [f"已有「{texts['name']}」。"]
    if errors:
        raise DomainError.invalid(errors)
    return MeetingSeries.objects.create(
        code=code,
        chair_agency=chair_agency,
        is_open=is_open,
        submission_days=submission_days,
        sort_order=sort_order,
        **texts,
    )


@transaction.atomic
def add_seat(
    series: MeetingSeries,
    *,
    label: str,
    agency: Agency | None = None,
    agency_kind: str = "",
    role: str | None = None,
    job_title: str = "",
    by,
) -> Seat:
    """A seat by office (當然成員): the holders of an office of one agency (or of every agency
    of a kind) — by role, by 職稱, or both. Whoever holds the office sits."""
    _require_staff(by)
    texts = _checked(
        {"label": label, "job_title": job_title},
        {"label": model_rule(Seat, "label"), "job_title": model_rule(Seat, "job_title")},
    )
    errors = {}
    if not texts["label"]:
        errors["label"] = ["請填寫席次名稱（例：各一級機關首長）。"]
    if (agency is None) == (not agency_kind):
        errors["agency"] = ["請指定一個機關，或一類機關（例：一級機關），擇一。"]
    if agency_kind and agency_kind not in AgencyKind.values:
        errors["agency_kind"] = ["未知的機關類別。"]
    role_row = Role.objects.filter(code=role).first() if role else None
    if role and role_row is None:
        errors["role"] = [f"未知的角色：{role}"]
    if role_row is None and not texts["job_title"]:
        errors["role"] = ["請指定角色或職稱（至少一項），以認定誰擔任此席次。"]
    if errors:
        raise DomainError.invalid(errors)
    order = series.seats.aggregate(last=Max("sort_order"))["last"] or 0
    return Seat.objects.create(
        series=series,
        agency=agency,
        agency_kind=agency_kind,
        role=role_row,
        sort_order=order + 1,
        **texts,
    )


@transaction.atomic
def revise_rules(
    series: MeetingSeries, *, title: str, text: str, issued_on: dt.date, note: str = "", by
) -> RulesVersion:
    """修正發布 the series' rules of procedure (議事規則): a new version; earlier ones stay."""
    _require_staff(by)
    texts = _checked(
        {"title": title, "text": text, "note": note},
        {
            "title": model_rule(RulesVersion, "title"),
            "text": model_rule(RulesVersion, "text", multiline=True),
            "note": model_rule(RulesVersion, "note"),
        },
    )
    errors = {}
    if not texts["title"]:
        errors["title"] = ["請填寫規則名稱。"]
    if not texts["text"]:
        errors["text"] = ["請填寫條文。"]
    if issued_on > _today():
        errors["issued_on"] = ["發布日期不可晚於今天。"]
    latest = series.rules.order_by("-version").first()
    if latest is not None and issued_on < latest.issued_on:
        errors["issued_on"] = [f"不可早於前一版的發布日期（{roc.format_date(latest.issued_on)}）。"]
    if errors:
        raise DomainError.invalid(errors)
    version = (latest.version if latest else 0) + 1
    return RulesVersion.objects.create(series=series, version=version, issued_on=issued_on, **texts)


# --- Meetings ------------------------------------------------------------------------------------


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The N-th working day before ``day`` (the day itself when N is 0)."""
    while n > 0:
        day -= dt.timedelta(days=1)
        if workdays.is_working_day(day):
            n -= 1
    return day


def default_deadline(series: MeetingSeries, held_on: dt.date) -> dt.datetime:
    """Proposals are due at 17:00 on the series' working days before the meeting."""
    day = working_days_before(held_on, series.submission_days)
    return timezone.make_aware(dt.datetime.combine(day, DEADLINE_TIME))


MEETING_RULES = {"title": model_rule(Meeting, "title"), "place": model_rule(Meeting, "place")}


@transaction.atomic
def schedule_meeting(
    series: MeetingSeries,
    *,
    held_on: dt.date,
    starts_at: dt.time = dt.time(9, 0),
    ends_at: dt.time = dt.time(12, 0),
    place: str = "",
    district: str = "",
    number: int | None = None,
    title: str = "",
    submission_deadline: dt.datetime | None = None,
    paperless: bool = True,
    by,
) -> Meeting:
    """召開: schedule a meeting of the series; agencies may propose items until its deadline
    (by default the series' working days before, 17:00). A past date records a meeting held
    already (its agenda and minutes entered afterwards)."""
    _require_staff(by)
    texts = _checked({"title": title, "place": place or series.default_place}, MEETING_RULES)
    errors: dict[str, list[str]] = {}
    if starts_at >= ends_at:
        errors["ends_at"] = ["結束時間須晚於開始時間。"]
    if not texts["place"]:
        errors["place"] = ["請填寫會議地點。"]
    if district and district not in DISTRICTS:
        errors["district"] = ["請選擇臺北市的行政區。"]
    if number is not None and not 1 <= number <= 1_000_000:
        errors["number"] = ["次別須為正整數。"]
    if Meeting.objects.filter(series=series, held_on=held_on).exists():
        errors["held_on"] = [f"{series.name}於{roc.format_date(held_on)}已有會議。"]
    deadline = submission_deadline or default_deadline(series, held_on)
    if timezone.localdate(deadline) > held_on:
        errors["submission_deadline"] = ["提案截止時間不可晚於會議日期。"]
    if errors:
        raise DomainError.invalid(errors)
    if not texts["title"]:
        texts["title"] = (
            f"第{number:,}次{series.name}" if number else f"{roc.format_date(held_on)}{series.name}"
        )
        if district:
            texts["title"] += f"（行動{series.name}：{district}）"
    return Meeting.objects.create(
        series=series,
        number=number,
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        district=district,
        submission_deadline=deadline,
        paperless=paperless,
        created_by=by,
        **texts,
    )


def _recount(meeting: Meeting) -> None:
    """The meeting's counts by kind: its accepted items (the one rule reports read)."""
    accepted = meeting.items.filter(status=ItemStatus.ACCEPTED)
    for kind, field in COUNT_FIELDS.items():
        setattr(meeting, field, accepted.filter(kind=kind).count())
    meeting.save(update_fields=list(COUNT_FIELDS.values()))


ITEM_RULES = {
    "title": model_rule(AgendaItem, "title"),
    "summary": model_rule(AgendaItem, "summary", multiline=True),
    "speaker": model_rule(AgendaItem, "speaker"),
}


def check_attachment(upload) -> str:
    """An agenda file: documents or slides, up to ``MEETING_ATTACHMENT_MAX_BYTES``."""
    return uploads.check_upload(
        upload,
        field="attachments",
        types=uploads.PRESENTATION_TYPES,
        max_bytes=settings.MEETING_ATTACHMENT_MAX_BYTES,
    )


def _attachment_errors(files: Sequence) -> tuple[list[str], list[str]]:
    types, problems = [], []
    if len(files) > MAX_ATTACHMENTS:
        problems.append(f"附件最多 {MAX_ATTACHMENTS} 個。")
    for upload in files:
        try:
            types.append(check_attachment(upload))
        except DomainError as error:
            problems.extend(error.fields["attachments"])
    return types, problems


def _store(item: AgendaItem, files: Sequence, types: Sequence[str], by) -> None:
    for upload, content_type in zip(files, types, strict=True):
        AgendaAttachment.objects.create(
            item=item,
            file=upload,
            original_name=upload.name[:200],
            size=upload.size,
            content_type=content_type,
            uploaded_by=by,
        )


def deadline_text(meeting: Meeting) -> str:
    """The proposal deadline as people read it: 115年12月3日下午5時."""
    return roc.format_datetime(meeting.submission_deadline)


@transaction.atomic
def propose_item(
    meeting: Meeting,
    *,
    kind: str,
    title: str,
    agency: Agency,
    summary: str = "",
    speaker: str = "",
    attachments: Sequence = (),
    by,
) -> AgendaItem:
    """提案: an agency proposes a 報告案 or 討論案 (with its files) before the deadline; the
    Secretariat's meeting staff add any kind at any time before the agenda is approved
    (their items go on the agenda at once)."""
    staff = is_meeting_staff(by)
    if not staff and not proposes_for(by, agency.pk):
        raise PermissionDenied("只有該機關的承辦人、主管或首長可以為機關提案。")
    meeting = _locked(Meeting, meeting.pk)
    if meeting.status != MeetingStatus.PLANNING:
        raise DomainError(
            "agenda_closed",
            f"{meeting.title}議程已核定（{meeting.get_status_display()}），不再受理提案。",
        )
    if not staff and meeting.submission_deadline and _now() > meeting.submission_deadline:
        raise _invalid(
            "title",
            f"提案已於{deadline_text(meeting)}截止，無法再提案；如有急要事項，請洽秘書處議事人員。",
            "after_deadline",
        )
    texts = _checked({"title": title, "summary": summary, "speaker": speaker}, ITEM_RULES)
    errors: dict[str, list[str]] = {}
    if kind not in ItemKind.values:
        errors["kind"] = ["請選擇議案類別。"]
    elif not staff and kind not in PROPOSED_KINDS:
        errors["kind"] = ["機關提案限報告案或討論案；專題演講及臨時動議由秘書處安排。"]
    if not texts["title"]:
        errors["title"] = ["請填寫案由。"]
    if kind == ItemKind.LECTURE and not texts["speaker"]:
        errors["speaker"] = ["專題演講請填寫講者。"]
    types, problems = _attachment_errors(attachments)
    if problems:
        errors["attachments"] = problems
    if errors:
        raise DomainError.invalid(errors)
    order = (meeting.items.aggregate(last=Max("order"))["last"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=kind,
        agency=agency,
        status=ItemStatus.ACCEPTED if staff else ItemStatus.PROPOSED,
        order=order,
        proposed_by=by,
        proposed_at=_now(),
        **texts,
    )
    _store(item, attachments, types, by)
    if staff:
        _recount(meeting)
    else:
        for person in selectors.meeting_staff():
            core_services.notify(
                person,
                f"新提案：{agency.short_name}「{item.title}」",
                f"{meeting.title}收到{agency.short_name}的{item.get_kind_display()}，請審查。",
                meeting.get_absolute_url(),
            )
    return item


@transaction.atomic
def add_attachments(item: AgendaItem, files: Sequence, *, by) -> list[AgendaAttachment]:
    """More files for an item, by its agency (while the agenda is open) or the meeting staff
    (until the meeting is held)."""
    item = _locked(AgendaItem, item.pk)
    meeting = item.meeting
    staff = is_meeting_staff(by)
    if not staff and not proposes_for(by, item.agency_id):
        raise PermissionDenied("只有提案機關或秘書處議事人員可以上傳附件。")
    open_to = (
        (MeetingStatus.PLANNING,)
        if not staff
        else (
            MeetingStatus.PLANNING,
            MeetingStatus.AGENDA_APPROVED,
            MeetingStatus.NOTIFIED,
        )
    )
    if meeting.status not in open_to:
        raise DomainError("agenda_closed", "此會議已不受理附件。")
    if not files:
        raise _invalid("attachments", "請選擇要上傳的檔案。")
    if item.attachments.count() + len(files) > MAX_ATTACHMENTS:
        raise _invalid("attachments", f"每案附件最多 {MAX_ATTACHMENTS} 個。")
    types, problems = _attachment_errors(files)
    if problems:
        raise DomainError.invalid({"attachments": problems})
    _store(item, files, types, by)
    return list(item.attachments.all())


def _decidable(item: AgendaItem, by) -> AgendaItem:
    _require_staff(by)
    item = _locked(AgendaItem, item.pk)
    if item.meeting.status != MeetingStatus.PLANNING:
        raise DomainError("agenda_closed", "議程已核定，不能再變更議案。")
    return item


def _tell_proposer(item: AgendaItem, title: str, body: str) -> None:
    if item.proposed_by is not None and item.proposed_by.is_active:
        core_services.notify(item.proposed_by, title, body, item.meeting.get_absolute_url())


@transaction.atomic
def accept_item(item: AgendaItem, *, by) -> AgendaItem:
    """排入議程: the Secretariat accepts a proposal (at the end of the agenda)."""
    item = _decidable(item, by)
    if item.status == ItemStatus.ACCEPTED:
        raise DomainError("already_accepted", "此案已排入議程。")
    item.status = ItemStatus.ACCEPTED
    item.decision_note = ""
    item.order = (item.meeting.items.aggregate(last=Max("order"))["last"] or 0) + 1
    with audit.action("meetings:accept_item"):
        item.save()
    _recount(item.meeting)
    _tell_proposer(item, f"提案已排入議程：{item.title}", f"已排入{item.meeting.title}議程。")
    return item


def _reason(reason: str, field: str, message: str) -> str:
    cleaned = _checked({field: reason}, {field: model_rule(AgendaItem, "decision_note")})[field]
    if not cleaned:
        raise _invalid(field, message)
    return cleaned


@transaction.atomic
def return_item(item: AgendaItem, reason: str, *, by) -> AgendaItem:
    """退回: the Secretariat returns a proposal to its agency, with the reason."""
    reason = _reason(reason, "reason", "請說明退回理由。")
    item = _decidable(item, by)
    item.status, item.decision_note = ItemStatus.RETURNED, reason
    with audit.action("meetings:return_item"):
        item.save()
    _recount(item.meeting)
    _tell_proposer(item, f"提案退回：{item.title}", f"退回理由：{reason}")
    return item


@transaction.atomic
def defer_item(item: AgendaItem, to: Meeting, reason: str, *, by) -> AgendaItem:
    """緩議: the item moves to a later meeting of the same series (still taking proposals),
    where it waits for the Secretariat's decision again."""
    reason = _reason(reason, "reason", "請說明緩議理由。")
    item = _decidable(item, by)
    source = item.meeting
    target = _locked(Meeting, to.pk)
    if target.series_id != source.series_id or target.held_on <= source.held_on:
        raise _invalid("to", "請選擇同一會議系列、日期較晚的會議。")
    if target.status != MeetingStatus.PLANNING:
        raise _invalid("to", f"{target.title}議程已核定，不能排入。")
    item.meeting, item.deferred_from = target, source
    item.status, item.decision_note = ItemStatus.PROPOSED, reason
    item.order = (target.items.aggregate(last=Max("order"))["last"] or 0) + 1
    with audit.action("meetings:defer_item"):
        item.save()
    _recount(source)
    _recount(target)
    _tell_proposer(item, f"提案緩議：{item.title}", f"改列{target.title}審查；理由：{reason}")
    return item


@transaction.atomic
def move_item(item: AgendaItem, step: int, *, by) -> AgendaItem:
    """Move an accepted item up (−1) or down (+1) the agenda."""
    item = _decidable(item, by)
    agenda = list(item.meeting.items.filter(status=ItemStatus.ACCEPTED).order_by("order", "pk"))
    position = next(i for i, other in enumerate(agenda) if other.pk == item.pk)
    target = position + (1 if step > 0 else -1)
    if not 0 <= target < len(agenda):
        return item
    agenda[position], agenda[target] = agenda[target], agenda[position]
    with audit.action("meetings:reorder"):
        for order, row in enumerate(agenda, start=1):
            if row.order != order:
                row.order = order
                row.save(update_fields=["order"])
    return item


@transaction.atomic
def add_tracking_report(meeting: Meeting, *, by) -> AgendaItem:
    """The open directives of the series as a 報告案 of 研考會 on the agenda (歷次會議裁示事項
    列管情形): the list as it stands now is the item's 說明; the page shows it live."""
    _require_staff(by)
    rdec = Agency.objects.get(code=kinds.TRACKING_OFFICE)
    rows = selectors.open_directives(meeting.series, _today())
    if not rows:
        raise DomainError("no_open_directives", f"{meeting.series.name}目前沒有列管中的裁示事項。")
    lines = [f"{row.number}　{row.lead}：{row.subject}（{row.status}）" for row in rows]
    summary = f"列管中{len(rows)}項：\n" + "\n".join(lines)
    return propose_item(
        meeting,
        kind=ItemKind.REPORT,
        title=TRACKING_REPORT_TITLE,
        agency=rdec,
        summary=summary[: AgendaItem._meta.get_field("summary").max_length],
        by=by,
    )


@transaction.atomic
def approve_agenda(meeting: Meeting, *, by) -> Meeting:
    """核定議程: every proposal decided and at least one item on the agenda."""
    _require_staff(by)
    meeting = _locked(Meeting, meeting.pk)
    if meeting.status != MeetingStatus.PLANNING:
        raise DomainError(
            "illegal_transition", f"會議目前為「{meeting.get_status_display()}」，不能核定議程。"
        )
    pending = list(meeting.items.filter(status=ItemStatus.PROPOSED).select_related("agency"))
    if pending:
        names = "、".join(f"{item.agency.short_name}「{item.title}」" for item in pending)
        raise DomainError("pending_proposals", f"尚有{len(pending)}件提案未審查：{names}。")
    if not meeting.items.filter(status=ItemStatus.ACCEPTED).exists():
        raise DomainError("empty_agenda", "議程沒有任何議案，請先排入議案。")
    meeting.status = MeetingStatus.AGENDA_APPROVED
    with audit.action("meetings:approve_agenda"):
        meeting.save()
    return meeting


@dataclass(frozen=True)
class Notice:
    """What a 開會通知 consists of: the ODT, the iCalendar file, and who receives it."""

    subject: str
    odt: bytes
    ics: bytes
    members: tuple
    observers: tuple


def notice_for(meeting: Meeting, *, method: str = "REQUEST") -> Notice:
    """The meeting's notice as it stands: members by office now, the presenting agencies'
    proposers as observers (列席). The documents app may call this to send it as a 公文."""
    items = list(selectors.agenda(meeting))
    members = list(selectors.members_of(meeting.series))
    member_ids = {person.pk for person in members}
    observers = [p for p in selectors.presenters(meeting) if p.pk not in member_ids]
    invitees = [notices.Invitee(str(p), p.email, "出席") for p in members]
    invitees += [notices.Invitee(str(p), p.email, "列席") for p in observers]

    def label(person) -> str:
        agency = person.agency.short_name if person.agency_id else ""
        return f"{agency}{person.job_title or ''}{person}"

    return Notice(
        subject=notices.notice_subject(meeting),
        odt=notices.notice_odt(
            meeting,
            items,
            [label(p) for p in members],
            sorted({p.agency.short_name for p in observers if p.agency_id}),
        ),
        ics=notices.invitation_ics(meeting, items, invitees, method=method),
        members=tuple(members),
        observers=tuple(observers),
    )


def _send(meeting: Meeting, notice: Notice, title: str, body: str) -> int:
    """Notify every recipient, e-mailing the invitation as an .ics attachment."""
    from secretariat.core.mail import queue_mail

    sent = 0
    for person in (*notice.members, *notice.observers):
        core_services.notify(person, title, body, meeting.get_absolute_url())
        if person.email:
            queue_mail(
                title,
                body,
                [person.email],
                purpose="meetings:notice",
                attachments=[("invite.ics", notice.ics, notices.ICS_CONTENT_TYPE)],
            )
        sent += 1
    return sent


@transaction.atomic
def send_notice(meeting: Meeting, *, by) -> Meeting:
    """發開會通知單: to the members (by office) and the presenting agencies, in the app and by
    mail with the iCalendar invitation; sending again after a change raises its SEQUENCE so
    calendars update the event. The ODT goes to ``MEETINGS_NOTICE_SENDER`` when set."""
    _require_staff(by)
    meeting = _locked(Meeting, meeting.pk)
    if meeting.status not in (MeetingStatus.AGENDA_APPROVED, MeetingStatus.NOTIFIED):
        raise DomainError("illegal_transition", "議程核定後才能發開會通知。")
    if meeting.held_on < _today():
        raise DomainError("past_meeting", "會議日期已過，不能再發通知。")
    again = meeting.status == MeetingStatus.NOTIFIED
    meeting.notice_sequence += 1 if again else 0
    meeting.status, meeting.notified_at = MeetingStatus.NOTIFIED, _now()
    with audit.action("meetings:send_notice"):
        meeting.save()
    notice = notice_for(meeting)
    if not notice.members:
        raise DomainError("no_members", f"{meeting.series.name}沒有任何成員（請先設定席次）。")
    prefix = "更新" if again else ""
    body = f"{meeting.when}於{meeting.place}召開，議程與附件請至系統檢視。"
    _send(meeting, notice, f"{prefix}{notice.subject}", body)
    if settings.MEETINGS_NOTICE_SENDER:
        import_string(settings.MEETINGS_NOTICE_SENDER)(meeting, notice, by)
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, reason: str, *, by) -> Meeting:
    """取消: before it is held, with the reason; those notified get the cancellation."""
    _require_staff(by)
    reason = _checked({"reason": reason}, {"reason": model_rule(Meeting, "cancel_reason")})[
        "reason"
    ]
    if not reason:
        raise _invalid("reason", "請說明取消理由。")
    meeting = _locked(Meeting, meeting.pk)
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        raise DomainError(
            "illegal_transition", f"會議目前為「{meeting.get_status_display()}」，不能取消。"
        )
    notified = meeting.status == MeetingStatus.NOTIFIED
    meeting.status, meeting.cancel_reason = MeetingStatus.CANCELLED, reason
    meeting.notice_sequence += 1
    with audit.action("meetings:cancel"):
        meeting.save()
    if notified:
        notice = notice_for(meeting, method="CANCEL")
        _send(meeting, notice, f"會議取消：{meeting.title}", f"取消理由：{reason}")
    return meeting


# --- Sign-in (簽到) -------------------------------------------------------------------------------


def _sign_in_open(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.NOTIFIED:
        raise DomainError(
            "sign_in_closed", f"會議目前為「{meeting.get_status_display()}」，未開放簽到。"
        )
    if meeting.held_on != _today():
        raise DomainError(
            "not_meeting_day", f"簽到限會議當天（{roc.format_date(meeting.held_on)}）。"
        )


def _title_of(person) -> str:
    return person.job_title or ""


@transaction.atomic
def sign_in(meeting: Meeting, *, by, for_member=None) -> Attendance:
    """電子簽到 on the meeting day: a member in person; someone of the same agency in a
    member's place (代理出席, ``for_member``); or a presenting agency's person (列席)."""
    meeting = _locked(Meeting, meeting.pk)
    _sign_in_open(meeting)
    if Attendance.objects.filter(meeting=meeting, attendee=by).exists():
        raise DomainError("signed_in", "您已完成簽到。")
    series = meeting.series
    if for_member is not None:
        seat = seat_of(for_member, series)
        if not seat:
            raise _invalid("member", f"{for_member}不是{series.name}的成員。")
        if for_member.agency_id != by.agency_id:
            raise _invalid("member", "代理出席限同一機關的人員。")
        if for_member.pk == by.pk:
            raise _invalid("member", "本人出席請直接簽到。")
        member, kind = for_member, AttendanceKind.SUBSTITUTE
    elif seat := seat_of(by, series):
        member, kind = by, AttendanceKind.PRESENT
    elif by.agency_id in selectors.presenting_agency_ids(meeting) or is_meeting_staff(by):
        member, kind, seat = None, AttendanceKind.OBSERVER, ""
    else:
        raise PermissionDenied(f"您不是{series.name}的成員或列席機關人員。")
    if member is not None:
        taken = Attendance.objects.filter(meeting=meeting, member=member).first()
        if taken is not None:
            raise _invalid(
                "member", f"{member}已由{taken.attendee_name}簽到（{taken.get_kind_display()}）。"
            )
    return Attendance.objects.create(
        meeting=meeting,
        kind=kind,
        member=member,
        seat_label=seat,
        attendee=by,
        attendee_name=str(by),
        attendee_title=_title_of(by),
        attendee_agency=by.agency,
        signed_at=_now(),
        recorded_by=by,
    )


@transaction.atomic
def record_attendance(
    meeting: Meeting,
    *,
    kind: str,
    name: str,
    title: str = "",
    agency: Agency | None = None,
    member=None,
    by,
) -> Attendance:
    """The desk records someone who signed on paper: a member present, a substitute (代理出席,
    name and title) for a member, or an observer."""
    _require_staff(by)
    meeting = _locked(Meeting, meeting.pk)
    # The desk also enters a paper sign-in sheet after the meeting, until the minutes go out.
    minutes = Minutes.objects.filter(meeting=meeting).first()
    entering_sheet = meeting.status == MeetingStatus.HELD and (
        minutes is None or minutes.status in (MinutesStatus.DRAFTING, MinutesStatus.IN_REVIEW)
    )
    if not entering_sheet:
        _sign_in_open(meeting)
    texts = _checked(
        {"name": name, "title": title},
        {
            "name": model_rule(Attendance, "attendee_name"),
            "title": model_rule(Attendance, "attendee_title"),
        },
    )
    errors: dict[str, list[str]] = {}
    if kind not in AttendanceKind.values:
        errors["kind"] = ["請選擇出席方式。"]
    if kind in (AttendanceKind.PRESENT, AttendanceKind.SUBSTITUTE):
        if member is None or not seat_of(member, meeting.series):
            errors["member"] = ["請選擇成員。"]
        elif Attendance.objects.filter(meeting=meeting, member=member).exists():
            errors["member"] = [f"{member}已簽到。"]
    if kind != AttendanceKind.PRESENT and not texts["name"]:
        errors["name"] = ["請填寫出席者姓名。"]
    if errors:
        raise DomainError.invalid(errors)
    present = kind == AttendanceKind.PRESENT
    return Attendance.objects.create(
        meeting=meeting,
        kind=kind,
        member=member if kind != AttendanceKind.OBSERVER else None,
        seat_label=seat_of(member, meeting.series) if member is not None else "",
        attendee=member if present else None,
        attendee_name=str(member) if present else texts["name"],
        attendee_title=_title_of(member) if present else texts["title"],
        attendee_agency=member.agency if present else (agency or getattr(member, "agency", None)),
        signed_at=_now(),
        recorded_by=by,
    )


@transaction.atomic
def close_meeting(meeting: Meeting, *, by) -> Minutes:
    """散會: the meeting is held; its minutes open for drafting, one entry per agenda item.
    A meeting recorded afterwards may be closed without a notice sent."""
    _require_staff(by)
    meeting = _locked(Meeting, meeting.pk)
    if meeting.status not in (MeetingStatus.AGENDA_APPROVED, MeetingStatus.NOTIFIED):
        raise DomainError("illegal_transition", "議程核定後的會議才能登錄為已開會。")
    if meeting.held_on > _today():
        raise DomainError("future_meeting", "會議尚未召開。")
    meeting.status = MeetingStatus.HELD
    with audit.action("meetings:close"):
        meeting.save()
    minutes = Minutes.objects.create(meeting=meeting, chair_name=meeting.series.chair_title)
    for item in selectors.agenda(meeting):
        MinutesEntry.objects.create(minutes=minutes, item=item)
    return minutes


# --- Minutes (會議紀錄) ---------------------------------------------------------------------------


def _minutes(minutes: Minutes, *allowed: str) -> Minutes:
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__series").get(pk=minutes.pk)
    )
    if minutes.status not in allowed:
        raise DomainError(
            "illegal_transition",
            f"會議紀錄目前為「{minutes.get_status_display()}」，不能執行此操作。",
        )
    return minutes


@transaction.atomic
def draft_from_transcript(minutes: Minutes, transcript: str, *, name: str = "", by) -> Minutes:
    """智慧輔助: a draft of every item's minutes from the meeting's transcript (offline,
    ``assist.services.draft_minutes``). It fills the entries (the staff edit them after) and
    keeps the draft beside each, with the candidate directives and the agencies they name."""
    _require_staff(by)
    minutes = _minutes(minutes, MinutesStatus.DRAFTING)
    problem = _checked(
        {"transcript": transcript},
        {"transcript": TextRule("逐字稿", 2_000_000, multiline=True)},
    )["transcript"]
    if not problem:
        raise _invalid("transcript", "逐字稿是空的。")
    entries = list(selectors.entries(minutes))
    items = [
        assist.AgendaEntry(
            title=entry.item.title,
            kind=entry.item.get_kind_display(),
            agency_code=entry.item.agency.code,
            agency_names=(entry.item.agency.name, entry.item.agency.short_name),
            summary=entry.item.summary,
            speaker=entry.item.speaker,
        )
        for entry in entries
    ]
    chair = minutes.meeting.series.chair_title
    result = assist.draft_minutes(items, problem, chair_titles=("主席", chair))
    codes = {code for d in result.items for c in d.candidates for code in c.agencies}
    known = set(Agency.objects.filter(code__in=codes).values_list("code", flat=True))
    with audit.action("meetings:draft_minutes"):
        for entry, drafted in zip(entries, result.items, strict=True):
            entry.speakers = "、".join(drafted.speakers)[:300]
            entry.report, entry.discussion = drafted.report, drafted.discussion
            entry.resolution = drafted.resolution
            entry.resolution_kind = drafted.resolution_kind
            entry.draft = drafted.text
            entry.candidates = [
                {"text": c.text, "agencies": [a for a in c.agencies if a in known]}
                for c in drafted.candidates
                if c.directive
            ]
            entry.save()
        minutes.assisted, minutes.transcript_name = True, name[:200]
        minutes.save()
    return minutes


ENTRY_RULES = {
    "speakers": model_rule(MinutesEntry, "speakers"),
    "report": model_rule(MinutesEntry, "report", multiline=True),
    "discussion": model_rule(MinutesEntry, "discussion", multiline=True),
    "resolution": model_rule(MinutesEntry, "resolution", multiline=True),
}


@transaction.atomic
def update_entry(
    entry: MinutesEntry,
    *,
    speakers: str = "",
    report: str = "",
    discussion: str = "",
    resolution_kind: str = ResolutionKind.DIRECTIVE,
    resolution: str = "",
    by,
) -> MinutesEntry:
    """Edit an item's minutes while drafting or under review (after an agency's comment)."""
    _require_staff(by)
    _minutes(entry.minutes, MinutesStatus.DRAFTING, MinutesStatus.IN_REVIEW)
    texts = _checked(
        {
            "speakers": speakers,
            "report": report,
            "discussion": discussion,
            "resolution": resolution,
        },
        ENTRY_RULES,
    )
    if resolution_kind not in ResolutionKind.values:
        raise _invalid("resolution_kind", "請選擇決議或裁示。")
    entry = _locked(MinutesEntry, entry.pk)
    for name, value in texts.items():
        setattr(entry, name, value)
    entry.resolution_kind = resolution_kind
    entry.save()
    return entry


@transaction.atomic
def update_minutes(minutes: Minutes, *, chair_name: str, recorder: str, notes: str, by) -> Minutes:
    _require_staff(by)
    minutes = _minutes(minutes, MinutesStatus.DRAFTING, MinutesStatus.IN_REVIEW)
    texts = _checked(
        {"chair_name": chair_name, "recorder": recorder, "notes": notes},
        {
            "chair_name": model_rule(Minutes, "chair_name"),
            "recorder": model_rule(Minutes, "recorder"),
            "notes": model_rule(Minutes, "notes", multiline=True),
        },
    )
    for name, value in texts.items():
        setattr(minutes, name, value)
    minutes.save()
    return minutes


def _secretariat_id() -> int | None:
    return Agency.objects.filter(code=SECRETARIAT_CODE).values_list("pk", flat=True).first()


@transaction.atomic
def send_for_review(minutes: Minutes, *, by) -> Minutes:
    """送核閱: each presenting agency reads its items' minutes (the Secretariat's own items
    need no reading); every item needs its decision first."""
    _require_staff(by)
    minutes = _minutes(minutes, MinutesStatus.DRAFTING)
    entries = list(selectors.entries(minutes))
    missing = [e.item.title for e in entries if not e.resolution.strip()]
    if missing:
        raise DomainError("no_resolution", f"尚有議案未填決議或裁示：{'、'.join(missing)}。")
    secretariat = _secretariat_id()
    for entry in entries:
        own = entry.item.agency_id == secretariat
        Review.objects.update_or_create(
            entry=entry,
            defaults={
                "agency": entry.item.agency,
                "status": ReviewStatus.CONFIRMED if own else ReviewStatus.PENDING,
                "comment": "",
                "reviewed_by": by if own else None,
                "reviewed_at": _now() if own else None,
            },
        )
    minutes.status = MinutesStatus.IN_REVIEW
    with audit.action("meetings:send_for_review"):
        minutes.save()
    for people in selectors.reviewers(minutes).values():
        for person in people:
            core_services.notify(
                person,
                f"會議紀錄核閱：{minutes.meeting.title}",
                "請核閱貴機關議案的紀錄內容。",
                minutes.meeting.get_absolute_url(),
            )
    return minutes


@transaction.atomic
def review_entry(entry: MinutesEntry, *, confirmed: bool, comment: str = "", by) -> Review:
    """核閱: the presenting agency confirms its item's minutes, or comments (a comment is
    required when it does not confirm)."""
    review = Review.objects.select_for_update().select_related("entry__minutes").get(entry=entry)
    if not proposes_for(by, review.agency_id):
        raise PermissionDenied("只有提案機關的承辦人、主管或首長可以核閱此紀錄。")
    if review.entry.minutes.status != MinutesStatus.IN_REVIEW:
        raise DomainError("illegal_transition", "此紀錄目前不在核閱階段。")
    comment = _checked(
        {"comment": comment}, {"comment": model_rule(Review, "comment", multiline=True)}
    )["comment"]
    if not confirmed and not comment:
        raise _invalid("comment", "請填寫修正意見，或勾選「無意見」。")
    review.status = ReviewStatus.CONFIRMED if confirmed else ReviewStatus.COMMENTED
    review.comment = "" if confirmed else comment
    review.reviewed_by, review.reviewed_at = by, _now()
    with audit.action("meetings:review"):
        review.save()
    return review


@transaction.atomic
def submit_minutes(minutes: Minutes, *, by) -> Minutes:
    """送主席核定: once every presenting agency has read (comments taken in by the staff)."""
    _require_staff(by)
    minutes = _minutes(minutes, MinutesStatus.IN_REVIEW)
    pending = list(
        Review.objects.filter(entry__minutes=minutes, status=ReviewStatus.PENDING)
        .select_related("agency")
        .order_by("agency__sort_order")
    )
    if pending:
        names = "、".join(dict.fromkeys(r.agency.short_name for r in pending))
        raise DomainError("reviews_pending", f"尚有機關未完成核閱：{names}。")
    minutes.status, minutes.submitted_at = MinutesStatus.SUBMITTED, _now()
    with audit.action("meetings:submit_minutes"):
        minutes.save()
    for person in selectors.approvers(minutes.meeting.series):
        core_services.notify(
            person,
            f"會議紀錄待核定：{minutes.meeting.title}",
            "請核定會議紀錄。",
            minutes.meeting.get_absolute_url(),
        )
    return minutes


@transaction.atomic
def approve_minutes(minutes: Minutes, *, by) -> Minutes:
    """核定: the chair's office approves the minutes."""
    minutes = _minutes(minutes, MinutesStatus.SUBMITTED)
    if not chairs(by, minutes.meeting.series):
        raise PermissionDenied(
            f"只有{minutes.meeting.series.chair_agency.short_name}的主管或首長可以核定會議紀錄。"
        )
    minutes.status, minutes.approved_by, minutes.approved_at = MinutesStatus.APPROVED, by, _now()
    with audit.action("meetings:approve_minutes"):
        minutes.save()
    for person in selectors.meeting_staff():
        core_services.notify(
            person,
            f"會議紀錄已核定：{minutes.meeting.title}",
            "",
            minutes.meeting.get_absolute_url(),
        )
    return minutes


@transaction.atomic
def return_minutes(minutes: Minutes, reason: str, *, by) -> Minutes:
    """退回修正: the chair's office sends the minutes back to drafting, with the reason."""
    minutes = _minutes(minutes, MinutesStatus.SUBMITTED)
    if not chairs(by, minutes.meeting.series):
        raise PermissionDenied("只有主席辦公室的主管或首長可以退回會議紀錄。")
    reason = _checked({"reason": reason}, {"reason": model_rule(Minutes, "notes", multiline=True)})[
        "reason"
    ]
    if not reason:
        raise _invalid("reason", "請說明退回修正的理由。")
    minutes.status = MinutesStatus.DRAFTING
    with audit.action("meetings:return_minutes"):
        minutes.save()
    audit.record(minutes, "meetings:return_reason", {"reason": reason}, actor=audit.actor_of(by))
    for person in selectors.meeting_staff():
        core_services.notify(
            person,
            f"會議紀錄退回修正：{minutes.meeting.title}",
            reason,
            minutes.meeting.get_absolute_url(),
        )
    return minutes


@transaction.atomic
def publish_minutes(minutes: Minutes, *, by) -> Minutes:
    """公布: to the members (and, for an open series, on the public page with attachments)."""
    _require_staff(by)
    minutes = _minutes(minutes, MinutesStatus.APPROVED)
    minutes.status, minutes.published_at = MinutesStatus.PUBLISHED, _now()
    with audit.action("meetings:publish_minutes"):
        minutes.save()
    meeting = minutes.meeting
    for person in selectors.members_of(meeting.series):
        core_services.notify(
            person, f"會議紀錄公布：{meeting.title}", "請至系統檢視。", meeting.get_absolute_url()
        )
    return minutes


# --- Directives (裁示事項): a case kind of the engine ----------------------------------------------


def validate_directive(fields: Mapping[str, Any], context: OpenContext) -> dict[str, list[str]]:
    """The kind's own fields, checked with the engine's in ``open_case``."""
    errors: dict[str, list[str]] = {}
    meeting = fields.get("meeting")
    item = fields.get("item")
    if not isinstance(meeting, Meeting):
        errors["meeting"] = ["請指定會議。"]
    elif item is not None and item.meeting_id != meeting.pk:
        errors["item"] = ["議案不屬於此會議。"]
    if fields.get("resolution_kind", ResolutionKind.DIRECTIVE) not in ResolutionKind.values:
        errors["resolution_kind"] = ["請選擇決議或裁示。"]
    return errors


def create_directive(case, fields: Mapping[str, Any], context: OpenContext) -> Directive:
    return Directive.objects.create(
        case=case,
        meeting=fields["meeting"],
        item=fields.get("item"),
        kind=fields.get("resolution_kind", ResolutionKind.DIRECTIVE),
    )


SUBJECT_LENGTH = 80


def _subject(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return first if len(first) <= SUBJECT_LENGTH else first[: SUBJECT_LENGTH - 1] + "…"


@transaction.atomic
def issue_directive(
    entry: MinutesEntry,
    *,
    text: str,
    lead: Agency,
    co_agencies: Iterable[Agency] = (),
    due: dt.date | None = None,
    due_reason: str = "",
    resolution_kind: str | None = None,
    on: dt.date | None = None,
    by,
):
    """交辦列管: a decision or directive of approved minutes that asks for action becomes a
    ``meeting_directive`` case, routed at once to its lead and co-agencies; 研考會 tracks it
    (progress reports every month until 解除列管). ``on`` dates the routing (default today).
    Returns the case."""
    _require_staff(by)
    minutes = Minutes.objects.select_related("meeting").get(pk=entry.minutes_id)
    if minutes.status not in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
        raise DomainError("minutes_not_approved", "會議紀錄核定後，才能將裁示事項交辦列管。")
    meeting, item = minutes.meeting, entry.item
    text = (text or "").strip()
    case = case_services.open_case(
        kinds.DIRECTIVE,
        subject=_subject(text),
        body=text,
        channel=kinds.CHANNEL,
        received_on=meeting.held_on,
        by=by,
        meeting=meeting,
        item=item,
        resolution_kind=resolution_kind or entry.resolution_kind,
    )
    case_services.route_case(case, lead, co_agencies, by=by, on=on, due=due, due_reason=due_reason)
    # The engine stepped a locked copy of the case along (django-fsm's field does not reload).
    return case_selectors.Case.objects.get(pk=case.pk)


# --- Imported history ------------------------------------------------------------------------------


def import_meetings(rows: Sequence[Meeting]) -> list[Meeting]:
    """Write imported meetings (checked whole by ``importers.MeetingImporter``) in bulk,
    each with its audit entry, inside the import's transaction."""
    created = Meeting.objects.bulk_create(rows)
    audit.record_created(created)
    return created


def import_tallies(rows: Sequence[PaperlessTally]) -> list[PaperlessTally]:
    """Write imported monthly statistics of 電子化會議 (``importers.TallyImporter``)."""
    created = PaperlessTally.objects.bulk_create(rows)
    audit.record_created(created, agency_of=lambda tally: tally.agency_id)
    return created
