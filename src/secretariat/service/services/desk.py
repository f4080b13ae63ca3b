"""Writes at the service desk (服務台): the visits it logs, its categories and their names,
the calls to agencies with the 10-minute clock and the arrivals, the nursing rooms' uses.
Each function checks permission, validates, writes and audits in one transaction."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from secretariat.core import audit, text
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, NotFound, PermissionDenied
from secretariat.core.models import Agency, RoleCode, User
from secretariat.service.models import (
    DISPATCH_MINUTES,
    ArrivalBy,
    CategoryName,
    ConsultationCategory,
    DeskVisit,
    Dispatch,
    NursingRoom,
    NursingRoomUse,
    Referral,
    VisitKind,
)
from secretariat.service.permissions import is_desk_staff, is_desk_supervisor

# The arrival link works once, and only while the call is of the day (a phone's mail app may
# keep it for weeks).
ARRIVAL_LINK_SALT = "service.dispatch-arrival"
ARRIVAL_LINK_SECONDS = 12 * 60 * 60
# A call's time may be entered late, but not for a call older than this (the desk enters
# calls as they are made; history comes by import).
BACKDATE_LIMIT = dt.timedelta(days=1)
MAX_ROOM_USES = 500  # uses of one room in one entry: far above a day's


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _text(value: str, model, field: str, errors: dict, *, required: bool = False) -> str:
    value = (value or "").strip()
    rule = text.model_rule(model, field)
    if required and not value:
        errors[field] = [f"請填寫{rule.label}。"]
    elif value and (problem := rule.problem(value)):
        errors[field] = [problem]
    return value


def _moment(value: dt.datetime | None, field: str, label: str, errors: dict) -> dt.datetime:
    now = timezone.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + dt.timedelta(minutes=1):
        errors[field] = [f"{label}不可晚於現在。"]
    elif value < now - BACKDATE_LIMIT:
        errors[field] = [f"{label}不可早於一天前（歷史資料請用匯入）。"]
    return value


# --- Visits -------------------------------------------------------------------------------------


def validate_visit(
    *,
    kind: str,
    category: ConsultationCategory | None,
    referral: str,
    errors: dict,
    live: bool = True,
) -> None:
    """The rules of one visit, for the desk and the importer alike (history may name a
    category retired since: ``live`` False)."""
    if kind not in VisitKind.values:
        errors["kind"] = ["服務類型不正確。"]
    elif kind == VisitKind.CONSULTATION and category is None:
        errors["category"] = ["諮詢服務須選擇諮詢類別。"]
    if live and category is not None and not category.is_active:
        errors["category"] = [f"類別「{category}」已停用。"]
    if referral not in Referral.values:
        errors["referral"] = ["轉介方式不正確。"]


def log_visit(
    *,
    by: User,
    kind: str = VisitKind.CONSULTATION,
    category: ConsultationCategory | None = None,
    agency: Agency | None = None,
    referral: str = "",
    note: str = "",
    served_at: dt.datetime | None = None,
) -> DeskVisit:
    """Log one citizen served at the desk (two taps: the category, then optionally an
    agency and a note). A petition assisted (協處陳情) needs no category."""
    _require(is_desk_staff(by), "只有服務台人員可以登錄服務紀錄。")
    errors: dict[str, list[str]] = {}
    note = _text(note, DeskVisit, "note", errors)
    served_at = _moment(served_at, "served_at", "服務時間", errors)
    validate_visit(kind=kind, category=category, referral=referral or "", errors=errors)
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:log_visit"):
        return DeskVisit.objects.create(
            served_at=served_at,
            kind=kind,
            category=category,
            agency=agency,
            referral=referral or "",
            note=note,
            logged_by=by,
        )


def remove_visit(visit: DeskVisit, *, by: User) -> None:
    """Undo a tap made by mistake: the desk may remove what it logged within the day."""
    _require(is_desk_staff(by), "只有服務台人員可以刪除服務紀錄。")
    if timezone.localdate(visit.served_at) != timezone.localdate() and not is_desk_supervisor(by):
        raise DomainError("too_late", "只能刪除當天的服務紀錄；更早的紀錄請洽服務台督導。")
    with transaction.atomic(), audit.action("service:remove_visit"):
        visit.delete()


def import_visits(visits: list[DeskVisit]) -> None:
    """Write imported visits (the importer checked them), audited one by one in bulk."""
    created = DeskVisit.objects.bulk_create(visits)
    audit.record_created(created)


# --- Categories ---------------------------------------------------------------------------------

# The six categories of the 106年 table (seed 000 §五, as issue 23 quotes it).
DEFAULT_CATEGORIES = (
    ("civil", "民政"),
    ("finance-construction", "財政建設"),
    ("education", "教育"),
    ("transport", "交通"),
    ("public-works", "工務"),
    ("police-health", "警政衛生"),
)
# A first name is in force since before any record.
FIRST_NAMED = dt.date(1911, 1, 1)


def load_default_categories() -> int:
    """``secretariat setup``: the six categories, when the desk has none yet."""
    if ConsultationCategory.objects.exists():
        return 0
    with transaction.atomic(), audit.action("setup:service_categories"):
        for order, (code, name) in enumerate(DEFAULT_CATEGORIES, start=1):
            category = ConsultationCategory.objects.create(code=code, sort_order=order * 10)
            CategoryName.objects.create(category=category, name=name, valid_from=FIRST_NAMED)
    return len(DEFAULT_CATEGORIES)


def _category_name(name: str, errors: dict) -> str:
    return _text(name, CategoryName, "name", errors, required=True)


def add_category(*, by: User, code: str, name: str, sort_order: int = 0) -> ConsultationCategory:
    """A new category (諮詢類別), named from today."""
    _require(is_desk_supervisor(by), "只有服務台督導或管理者可以設定諮詢類別。")
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    name = _category_name(name, errors)
    if not code or not code.isascii() or not code.replace("-", "").replace("_", "").isalnum():
        errors["code"] = ["代號限英數字、連字號或底線。"]
    elif len(code) > 40:
        errors["code"] = ["代號不可超過 40 字。"]
    elif ConsultationCategory.objects.filter(code=code).exists():
        errors["code"] = [f"代號「{code}」已有類別使用。"]
    if not 0 <= sort_order <= 1000:
        errors["sort_order"] = ["排序須介於 0 至 1000。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:add_category"):
        category = ConsultationCategory.objects.create(code=code, sort_order=sort_order)
        CategoryName.objects.create(category=category, name=name, valid_from=dt.date(1911, 1, 1))
        return category


def rename_category(
    category: ConsultationCategory, *, by: User, name: str, valid_from: dt.date | None = None
) -> CategoryName:
    """Rename a category from ``valid_from`` (today by default): its visits stay its own, and
    a report of an earlier period still prints the earlier name."""
    _require(is_desk_supervisor(by), "只有服務台督導或管理者可以設定諮詢類別。")
    errors: dict[str, list[str]] = {}
    name = _category_name(name, errors)
    valid_from = valid_from or timezone.localdate()
    current = category.name_on(valid_from)
    if name and name == current:
        errors["name"] = [f"類別於該日已名為「{name}」。"]
    if category.names.filter(valid_from__gt=valid_from).exists():
        errors["valid_from"] = ["該日之後已有更名紀錄，請改自最後一次更名之後生效。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:rename_category"):
        try:
            with transaction.atomic():
                return CategoryName.objects.create(
                    category=category, name=name, valid_from=valid_from
                )
        except IntegrityError:
            raise DomainError.invalid({"valid_from": ["同一天只能更名一次。"]}) from None


def set_category_active(category: ConsultationCategory, active: bool, *, by: User) -> None:
    _require(is_desk_supervisor(by), "只有服務台督導或管理者可以設定諮詢類別。")
    with transaction.atomic(), audit.action("service:set_category_active"):
        category.is_active = active
        category.save(update_fields=["is_active"])


# --- The 10-minute dispatch ---------------------------------------------------------------------


def arrival_token(dispatch: Dispatch) -> str:
    return signing.dumps({"d": dispatch.pk, "n": dispatch.link_nonce}, salt=ARRIVAL_LINK_SALT)


def arrival_url(dispatch: Dispatch) -> str:
    return reverse("service:arrival", args=[arrival_token(dispatch)])


def _call_recipients(agency: Agency) -> list[User]:
    """Who at the agency is told of a call: its counter staff (服務台人員), or failing those
    its 主管."""
    people = User.objects.filter(agency=agency, is_active=True, is_system_account=False)
    for role in (RoleCode.SERVICE_DESK, RoleCode.SUPERVISOR):
        found = list(people.filter(roles__code=role).distinct())
        if found:
            return found
    return []


def call_agency(
    *,
    by: User,
    agency: Agency | None,
    purpose: str,
    contact: str = "",
    called_at: dt.datetime | None = None,
) -> Dispatch:
    """The desk phoned ``agency`` to send someone (派員到場): the clock starts at
    ``called_at``; the agency's counter staff get a notice (in the app and by mail) with a
    one-time link to report their arrival."""
    _require(is_desk_staff(by), "只有服務台人員可以通知機關派員。")
    errors: dict[str, list[str]] = {}
    purpose = _text(purpose, Dispatch, "purpose", errors, required=True)
    contact = _text(contact, Dispatch, "contact", errors)
    called_at = _moment(called_at, "called_at", "通知時間", errors)
    if agency is None:
        errors["agency"] = ["請選擇通知機關。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:call_agency"):
        dispatch = Dispatch.objects.create(
            agency=agency,
            called_at=called_at,
            purpose=purpose,
            contact=contact,
            called_by=by,
            link_nonce=secrets.token_urlsafe(24),
        )
        url = arrival_url(dispatch)
        due = timezone.localtime(dispatch.due_at)
        for person in _call_recipients(agency):
            core_services.notify(
                person,
                f"服務台通知派員：請於{DISPATCH_MINUTES}分鐘內（{due:%H:%M}前）到場",
                f"事由：{purpose}\n到場後請開啟連結回報到場時間。",
                url,
                mail=True,
                subject=dispatch,
            )
        return dispatch


def _arrive(dispatch: Dispatch, at: dt.datetime, how: str, by: User | None) -> Dispatch:
    if dispatch.arrived_at is not None:
        raise DomainError("already_arrived", "此次派員已登錄到場。")
    if at < dispatch.called_at:
        raise DomainError.invalid({"arrived_at": ["到場時間不可早於通知時間。"]})
    dispatch.arrived_at = at
    dispatch.arrival_by = how
    dispatch.arrival_recorded_by = by
    dispatch.link_nonce = ""
    dispatch.save(update_fields=["arrived_at", "arrival_by", "arrival_recorded_by", "link_nonce"])
    core_services.resolve_notifications(dispatch)
    return dispatch


def mark_arrived(dispatch: Dispatch, *, by: User, at: dt.datetime | None = None) -> Dispatch:
    """The desk saw the agency's person arrive."""
    _require(is_desk_staff(by), "只有服務台人員可以登錄到場。")
    errors: dict[str, list[str]] = {}
    at = _moment(at, "arrived_at", "到場時間", errors)
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:mark_arrived"):
        locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        return _arrive(locked, at, ArrivalBy.DESK, by)


def dispatch_for_token(token: str) -> Dispatch:
    """The call a link names, if the link is genuine, unused and of the day."""
    try:
        data = signing.loads(token, salt=ARRIVAL_LINK_SALT, max_age=ARRIVAL_LINK_SECONDS)
        dispatch = Dispatch.objects.select_related("agency").get(pk=int(data["d"]))
    except (signing.BadSignature, Dispatch.DoesNotExist, KeyError, TypeError, ValueError):
        raise NotFound("此到場回報連結無效或已逾期。") from None
    if not dispatch.link_nonce or not secrets.compare_digest(dispatch.link_nonce, str(data["n"])):
        raise NotFound("此到場回報連結已使用過。")
    return dispatch


def arrive_by_link(token: str) -> Dispatch:
    """The agency's person reports arrival from the notice's link (no sign-in: the link is
    the proof, and it works once)."""
    with transaction.atomic(), audit.action("service:arrive_by_link"):
        dispatch = dispatch_for_token(token)
        locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if locked.link_nonce != dispatch.link_nonce:
            raise NotFound("此到場回報連結已使用過。")
        return _arrive(locked, timezone.now(), ArrivalBy.LINK, None)


def import_dispatches(dispatches: list[Dispatch]) -> None:
    created = Dispatch.objects.bulk_create(dispatches)
    audit.record_created(created)


# --- Nursing rooms ------------------------------------------------------------------------------


def add_room(*, by: User, name: str, place: str = "", sort_order: int = 0) -> NursingRoom:
    _require(is_desk_supervisor(by), "只有服務台督導或管理者可以設定哺集乳室。")
    errors: dict[str, list[str]] = {}
    name = _text(name, NursingRoom, "name", errors, required=True)
    place = _text(place, NursingRoom, "place", errors)
    if name and NursingRoom.objects.filter(name=name).exists():
        errors["name"] = [f"已有哺集乳室名為「{name}」。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:add_room"):
        return NursingRoom.objects.create(name=name, place=place, sort_order=sort_order)


def count_room_use(
    room: NursingRoom, *, by: User, count: int = 1, on: dt.date | None = None
) -> NursingRoomUse:
    """Add ``count`` uses of ``room`` on ``on`` (today). Only the count is kept."""
    _require(is_desk_staff(by), "只有服務台人員可以登錄哺集乳室使用。")
    today = timezone.localdate()
    on = on or today
    errors: dict[str, list[str]] = {}
    if not 1 <= count <= MAX_ROOM_USES:
        errors["count"] = [f"使用人次須介於 1 至 {MAX_ROOM_USES}。"]
    if on > today:
        errors["on"] = ["日期不可晚於今天。"]
    if not room.is_active:
        errors["room"] = [f"「{room}」已停用。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:count_room_use"):
        use, _ = NursingRoomUse.objects.select_for_update().get_or_create(
            room=room, used_on=on, defaults={"count": 0}
        )
        use.count = F("count") + count
        use.save(update_fields=["count"])
        use.refresh_from_db()
        return use


def import_room_uses(uses: list[NursingRoomUse]) -> None:
    created = NursingRoomUse.objects.bulk_create(uses)
    audit.record_created(created)
