"""Writes of the volunteers (志工便民服務): posts, volunteers with their personal data, the
roster and its swaps (the supervisor rosters, the desk swaps), signing in and out with the
people served and leaflets handed out, trainings attended. Each function checks permission,
validates, writes and audits in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from secretariat.core import audit, text
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import User
from secretariat.service.models import (
    LEAFLETS_MAX,
    PEOPLE_MAX,
    Post,
    Shift,
    ShiftSwap,
    Training,
    Volunteer,
    VolunteerContact,
)
from secretariat.service.permissions import is_desk_staff, is_desk_supervisor
from secretariat.service.services.consult import PHONE

__all__ = [
    "add_post",
    "add_training",
    "add_volunteer",
    "import_shifts",
    "record_attendance",
    "roster_shift",
    "sign_in",
    "sign_out",
    "swap_shift",
]

# The roster is made up to a quarter ahead.
ROSTER_DAYS_AHEAD = 92
# Sign-in and sign-out are recorded as they happen; a forgotten sign-out may be entered the
# next day at the latest.
LATE_ENTRY = dt.timedelta(days=1)


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


def add_post(*, by: User, name: str, sort_order: int = 0) -> Post:
    """服務崗位 (a gate, the centre)."""
    _require(is_desk_supervisor(by), "只有服務台督導可以設定服務崗位。")
    errors: dict[str, list[str]] = {}
    name = _text(name, Post, "name", errors, required=True)
    if name and Post.objects.filter(name=name).exists():
        errors["name"] = [f"已有崗位名為「{name}」。"]
    if not 0 <= sort_order <= 1000:
        errors["sort_order"] = ["排序須介於 0 至 1000。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:add_post"):
        return Post.objects.create(name=name, sort_order=sort_order)


def add_volunteer(
    *,
    by: User,
    name: str,
    phone: str,
    joined_on: dt.date | None = None,
    email: str = "",
    address: str = "",
    birth_date: dt.date | None = None,
    emergency_contact: str = "",
) -> Volunteer:
    """志工 and their personal data (kept apart, read by the supervisor only)."""
    _require(is_desk_supervisor(by), "只有服務台督導可以登錄志工資料。")
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    name = _text(name, Volunteer, "name", errors, required=True)
    phone = _text(phone, VolunteerContact, "phone", errors, required=True)
    if phone and "phone" not in errors and not PHONE.fullmatch(phone):
        errors["phone"] = ["聯絡電話格式不正確。"]
    email = _text(email, VolunteerContact, "email", errors)
    address = _text(address, VolunteerContact, "address", errors)
    emergency_contact = _text(emergency_contact, VolunteerContact, "emergency_contact", errors)
    joined_on = joined_on or today
    if joined_on > today:
        errors["joined_on"] = ["加入日期不可晚於今天。"]
    if birth_date is not None and not dt.date(1900, 1, 1) <= birth_date <= today:
        errors["birth_date"] = ["出生日期不正確。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:add_volunteer"):
        volunteer = Volunteer.objects.create(name=name, joined_on=joined_on)
        VolunteerContact.objects.create(
            volunteer=volunteer,
            phone=phone,
            email=email,
            address=address,
            birth_date=birth_date,
            emergency_contact=emergency_contact,
        )
        return volunteer


def _overlapping(volunteer: Volunteer, day: dt.date, starts, ends, *, besides=None) -> bool:
    shifts = Shift.objects.filter(volunteer=volunteer, day=day, starts__lt=ends, ends__gt=starts)
    if besides is not None:
        shifts = shifts.exclude(pk=besides.pk)
    return shifts.exists()


def roster_shift(
    *,
    by: User,
    post: Post | None,
    volunteer: Volunteer | None,
    day: dt.date | None,
    starts: dt.time | None,
    ends: dt.time | None,
) -> Shift:
    """排班: a volunteer at a post on a day; a volunteer is at one post at a time."""
    _require(is_desk_supervisor(by), "只有服務台督導可以排班。")
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if post is None or not post.is_active:
        errors["post"] = ["請選擇使用中的崗位。"]
    if volunteer is None or not volunteer.is_active:
        errors["volunteer"] = ["請選擇服務中的志工。"]
    if day is None or not today <= day <= today + dt.timedelta(days=ROSTER_DAYS_AHEAD):
        errors["day"] = [f"日期須為今天起 {ROSTER_DAYS_AHEAD} 天內。"]
    if starts is None or ends is None:
        errors["starts"] = ["請填寫開始與結束時間。"]
    elif ends <= starts:
        errors["ends"] = ["結束時間須晚於開始時間。"]
    if not errors and _overlapping(volunteer, day, starts, ends):
        errors["volunteer"] = [f"{volunteer}當日此時段已有班次。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:roster_shift"):
        try:
            with transaction.atomic():
                return Shift.objects.create(
                    post=post, volunteer=volunteer, day=day, starts=starts, ends=ends
                )
        except IntegrityError:
            raise DomainError.invalid({"volunteer": [f"{volunteer}當日此時段已有班次。"]}) from None


def swap_shift(shift: Shift, *, by: User, to: Volunteer | None, reason: str = "") -> Shift:
    """換班: another volunteer takes the shift (before it is signed in); the swap is kept."""
    _require(is_desk_staff(by), "只有服務台人員可以登錄換班。")
    errors: dict[str, list[str]] = {}
    reason = _text(reason, ShiftSwap, "reason", errors)
    if shift.signed_in_at is not None:
        errors["shift"] = ["已簽到的班次不能換班。"]
    if shift.volunteer is None:
        errors["shift"] = ["匯入的統計班次沒有排班志工。"]
    if to is None or not to.is_active:
        errors["to"] = ["請選擇服務中的代班志工。"]
    elif to.pk == shift.volunteer_id:
        errors["to"] = ["代班志工與原排班志工相同。"]
    elif _overlapping(to, shift.day, shift.starts, shift.ends, besides=shift):
        errors["to"] = [f"{to}當日此時段已有班次。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:swap_shift"):
        ShiftSwap.objects.create(
            shift=shift,
            from_volunteer=shift.volunteer,
            to_volunteer=to,
            reason=reason,
            swapped_by=by,
        )
        shift.volunteer = to
        shift.save(update_fields=["volunteer"])
        return shift


def _moment(at: dt.datetime | None, shift: Shift, label: str, errors: dict) -> dt.datetime:
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=1):
        errors["at"] = [f"{label}不可晚於現在。"]
    elif at < now - LATE_ENTRY:
        errors["at"] = [f"{label}不可早於一天前。"]
    elif timezone.localdate(at) != shift.day:
        errors["at"] = [f"{label}須在班次當日。"]
    return at


def sign_in(shift: Shift, *, by: User, at: dt.datetime | None = None) -> Shift:
    """簽到: the volunteer is at the post."""
    _require(is_desk_staff(by), "只有服務台人員可以登錄志工簽到。")
    errors: dict[str, list[str]] = {}
    at = _moment(at, shift, "簽到時間", errors)
    if shift.volunteer is None:
        errors["shift"] = ["匯入的統計班次不能簽到。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:volunteer_sign_in"):
        locked = Shift.objects.select_for_update().get(pk=shift.pk)
        if locked.signed_in_at is not None:
            raise DomainError("already_signed_in", f"{locked.volunteer}已於此班次簽到。")
        locked.signed_in_at = at
        locked.save(update_fields=["signed_in_at"])
        return locked


def sign_out(
    shift: Shift,
    *,
    by: User,
    people_served: int | None,
    leaflets: int | None,
    at: dt.datetime | None = None,
) -> Shift:
    """簽退: the service hours end, and the shift's people served (人次) and leaflets handed
    out (文宣) are entered."""
    _require(is_desk_staff(by), "只有服務台人員可以登錄志工簽退。")
    errors: dict[str, list[str]] = {}
    at = _moment(at, shift, "簽退時間", errors)
    if people_served is None or not 0 <= people_served <= PEOPLE_MAX:
        errors["people_served"] = [f"服務人次須介於 0 至 {PEOPLE_MAX:,}。"]
    if leaflets is None or not 0 <= leaflets <= LEAFLETS_MAX:
        errors["leaflets"] = [f"發送文宣須介於 0 至 {LEAFLETS_MAX:,}。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:volunteer_sign_out"):
        locked = Shift.objects.select_for_update().get(pk=shift.pk)
        if locked.signed_in_at is None:
            raise DomainError("not_signed_in", "尚未簽到，不能簽退。")
        if locked.signed_out_at is not None:
            raise DomainError("already_signed_out", f"{locked.volunteer}已於此班次簽退。")
        if at < locked.signed_in_at:
            raise DomainError.invalid({"at": ["簽退時間不可早於簽到時間。"]})
        locked.signed_out_at = at
        locked.people_served = people_served
        locked.leaflets = leaflets
        locked.save(update_fields=["signed_out_at", "people_served", "leaflets"])
        return locked


def add_training(
    *, by: User, title: str, held_on: dt.date | None, hours: Decimal | None
) -> Training:
    """志工訓練課程."""
    _require(is_desk_supervisor(by), "只有服務台督導可以登錄志工訓練。")
    errors: dict[str, list[str]] = {}
    title = _text(title, Training, "title", errors, required=True)
    if held_on is None:
        errors["held_on"] = ["請填寫日期。"]
    if hours is None or not Decimal("0.5") <= hours <= Decimal("24"):
        errors["hours"] = ["時數須介於 0.5 至 24。"]
    elif hours != hours.quantize(Decimal("0.1")):
        errors["hours"] = ["時數至多一位小數。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:add_training"):
        return Training.objects.create(title=title, held_on=held_on, hours=hours)


def record_attendance(training: Training, volunteers: list[Volunteer], *, by: User) -> int:
    """參訓: who attended (added to those already recorded). Returns how many were added."""
    _require(is_desk_supervisor(by), "只有服務台督導可以登錄參訓志工。")
    if training.held_on > timezone.localdate():
        raise DomainError.invalid({"training": ["課程尚未舉辦。"]})
    with transaction.atomic(), audit.action("service:training_attendance"):
        before = set(training.attendees.values_list("pk", flat=True))
        added = [v for v in volunteers if v.pk not in before]
        training.attendees.add(*added)
        for volunteer in added:
            audit.record(training, "training_attended", {"volunteer": volunteer.pk})
        return len(added)


def import_shifts(shifts: list[Shift]) -> None:
    created = Shift.objects.bulk_create(shifts)
    audit.record_created(created)
