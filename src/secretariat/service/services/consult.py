"""Writes of the professional consultations (專業諮詢服務): the partner associations, their
professionals and sessions (supervisor), bookings online or at the desk (name and phone only),
walk-ins, consultations recorded with their mode and topic, no-shows, and the reminders of the
next day's bookings. Each function checks permission, validates, writes and audits in one
transaction."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from secretariat.core import audit, text
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.mail import queue_mail
from secretariat.core.models import RoleCode, User
from secretariat.service.models import (
    CAPACITY_MAX,
    Association,
    Booking,
    BookingChannel,
    BookingStatus,
    Consultation,
    ConsultSession,
    Mode,
    Profession,
    Professional,
)
from secretariat.service.permissions import is_desk_staff, is_desk_supervisor

__all__ = [
    "BOOKING_DAYS_AHEAD",
    "add_association",
    "add_professional",
    "add_session",
    "book",
    "cancel_booking",
    "import_consultations",
    "mark_no_show",
    "record_consultation",
    "send_reminders",
    "send_reminders_task",
]

# Sessions are opened for booking up to two months ahead (the associations' rota).
BOOKING_DAYS_AHEAD = 62
# A Taiwanese phone number as people write it: 02-2720-8889、0912 345 678、+886 2 2720 8889.
PHONE = re.compile(r"\+?[0-9][0-9 \-()#]{6,18}[0-9]")


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


def _starts_at(session: ConsultSession) -> dt.datetime:
    return dt.datetime.combine(session.day, session.starts, tzinfo=timezone.get_current_timezone())


# --- Associations, professionals, sessions (the supervisor) -------------------------------------


def add_association(*, by: User, name: str, profession: str, email: str = "") -> Association:
    """合作公會."""
    _require(is_desk_supervisor(by), "只有服務台督導可以設定合作公會。")
    errors: dict[str, list[str]] = {}
    name = _text(name, Association, "name", errors, required=True)
    email = _text(email, Association, "email", errors)
    if profession not in Profession.values:
        errors["profession"] = ["請選擇專業領域。"]
    if name and Association.objects.filter(name=name).exists():
        errors["name"] = [f"已有公會名為「{name}」。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:add_association"):
        return Association.objects.create(name=name, profession=profession, email=email)


def add_professional(
    *, by: User, association: Association | None, name: str, email: str = ""
) -> Professional:
    """志工專業人員 of an association."""
    _require(is_desk_supervisor(by), "只有服務台督導可以設定諮詢人員。")
    errors: dict[str, list[str]] = {}
    name = _text(name, Professional, "name", errors, required=True)
    email = _text(email, Professional, "email", errors)
    if association is None:
        errors["association"] = ["請選擇公會。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:add_professional"):
        return Professional.objects.create(association=association, name=name, email=email)


def add_session(
    *,
    by: User,
    association: Association | None,
    day: dt.date | None,
    starts: dt.time | None,
    ends: dt.time | None,
    mode: str,
    place: str,
    capacity: int | None,
    professional: Professional | None = None,
) -> ConsultSession:
    """諮詢時段: a day, a time, a room or phone line, and how many citizens it takes."""
    _require(is_desk_supervisor(by), "只有服務台督導可以設定諮詢時段。")
    errors: dict[str, list[str]] = {}
    place = _text(place, ConsultSession, "place", errors, required=True)
    today = timezone.localdate()
    if association is None:
        errors["association"] = ["請選擇公會。"]
    elif not association.is_active:
        errors["association"] = [f"「{association}」已停止合作。"]
    if professional is not None and association is not None:
        if professional.association_id != association.pk:
            errors["professional"] = [f"{professional}不是{association}的諮詢人員。"]
    if day is None:
        errors["day"] = ["請填寫日期。"]
    elif not today <= day <= today + dt.timedelta(days=BOOKING_DAYS_AHEAD * 3):
        errors["day"] = ["日期須為今天起半年內。"]
    if starts is None or ends is None:
        errors["starts"] = ["請填寫開始與結束時間。"]
    elif ends <= starts:
        errors["ends"] = ["結束時間須晚於開始時間。"]
    if mode not in Mode.values:
        errors["mode"] = ["請選擇諮詢方式。"]
    if capacity is None or not 1 <= capacity <= CAPACITY_MAX:
        errors["capacity"] = [f"名額須介於 1 至 {CAPACITY_MAX}。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:add_session"):
        return ConsultSession.objects.create(
            association=association,
            professional=professional,
            day=day,
            starts=starts,
            ends=ends,
            mode=mode,
            place=place,
            capacity=capacity,
        )


# --- Bookings -----------------------------------------------------------------------------------


def _contact(name: str, phone: str, errors: dict) -> tuple[str, str]:
    name = _text(name, Booking, "name", errors, required=True)
    phone = _text(phone, Booking, "phone", errors, required=True)
    if phone and "phone" not in errors and not PHONE.fullmatch(phone):
        errors["phone"] = ["聯絡電話格式不正確（例：02-2720-8889 或 0912-345-678）。"]
    return name, phone


def book(
    session: ConsultSession,
    *,
    name: str,
    phone: str,
    by: User | None = None,
    slot: int | None = None,
) -> Booking:
    """預約: the citizen's name and phone take a slot of ``session`` — online (``by`` None,
    the public page) or at the desk (desk staff, who may name the slot). A taken slot is
    refused: the service checks, and the database's unique slot settles two bookings racing
    for the same one."""
    if by is not None:
        _require(is_desk_staff(by), "只有服務台人員可以臨櫃預約。")
    errors: dict[str, list[str]] = {}
    name, phone = _contact(name, phone, errors)
    if _starts_at(session) <= timezone.now():
        errors["session"] = ["此時段已開始或已結束，無法預約。"]
    elif session.day > timezone.localdate() + dt.timedelta(days=BOOKING_DAYS_AHEAD):
        errors["session"] = ["此時段尚未開放預約。"]
    if slot is not None and not 1 <= slot <= session.capacity:
        errors["slot"] = [f"序號須介於 1 至 {session.capacity}。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:book_consultation"):
        live = Booking.objects.filter(session=session).exclude(status=BookingStatus.CANCELLED)
        if phone and live.filter(phone=phone).exists():
            raise DomainError.invalid({"phone": ["此電話已預約這個時段。"]}, code="already_booked")
        taken = set(live.values_list("slot", flat=True))
        if slot is None:
            free = [n for n in range(1, session.capacity + 1) if n not in taken]
            if not free:
                raise DomainError(
                    "full", "此時段名額已滿，請選擇其他時段。", {"session": ["已額滿"]}
                )
            slot = free[0]
        elif slot in taken:
            raise _slot_taken(slot)
        try:
            with transaction.atomic():
                return Booking.objects.create(
                    session=session,
                    slot=slot,
                    name=name,
                    phone=phone,
                    channel=BookingChannel.ONLINE if by is None else BookingChannel.DESK,
                )
        except IntegrityError:
            raise _slot_taken(slot) from None


def _slot_taken(slot: int) -> DomainError:
    return DomainError(
        "slot_taken", f"第{slot}號已有人預約，請選擇其他序號或時段。", {"slot": ["已有人預約"]}
    )


def cancel_booking(booking: Booking, *, by: User) -> Booking:
    """取消預約 (the citizen phoned the desk): the slot is free again."""
    _require(is_desk_staff(by), "只有服務台人員可以取消預約。")
    if booking.status != BookingStatus.BOOKED:
        raise DomainError("not_booked", f"此預約{booking.get_status_display()}，無法取消。")
    with transaction.atomic(), audit.action("service:cancel_booking"):
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        return booking


def mark_no_show(booking: Booking, *, by: User) -> Booking:
    """未到: the citizen did not come (or answer) once the session started."""
    _require(is_desk_staff(by), "只有服務台人員可以登錄未到。")
    if booking.status != BookingStatus.BOOKED:
        raise DomainError("not_booked", f"此預約{booking.get_status_display()}，無法登錄未到。")
    if _starts_at(booking.session) > timezone.now():
        raise DomainError("not_started", "時段開始後才能登錄未到。")
    with transaction.atomic(), audit.action("service:consultation_no_show"):
        booking.status = BookingStatus.NO_SHOW
        booking.save(update_fields=["status"])
        return booking


def record_consultation(
    *,
    by: User,
    topic: str,
    booking: Booking | None = None,
    association: Association | None = None,
    mode: str = "",
    session: ConsultSession | None = None,
) -> Consultation:
    """A consultation given: of a booking (its session's association and mode), or a walk-in
    (現場諮詢: the association and mode chosen at the desk). Only the topic is kept — the
    advice is between the citizen and the professional."""
    _require(is_desk_staff(by), "只有服務台人員可以登錄專業諮詢。")
    errors: dict[str, list[str]] = {}
    topic = _text(topic, Consultation, "topic", errors)
    if booking is not None:
        session = booking.session
        association = session.association
        mode = mode or session.mode
        if booking.status != BookingStatus.BOOKED:
            errors["booking"] = [f"此預約{booking.get_status_display()}。"]
    elif session is not None:
        association = session.association
        mode = mode or session.mode
    if association is None:
        errors["association"] = ["請選擇公會。"]
    if mode not in Mode.values:
        errors["mode"] = ["請選擇面對面或電話諮詢。"]
    held_on = session.day if session is not None else timezone.localdate()
    if held_on > timezone.localdate():
        errors["session"] = ["時段尚未到，無法登錄諮詢。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("service:record_consultation"):
        if booking is not None:
            booking.status = BookingStatus.ATTENDED
            booking.save(update_fields=["status"])
        return Consultation.objects.create(
            association=association,
            session=session,
            booking=booking,
            held_on=held_on,
            mode=mode,
            topic=topic,
            walk_in=booking is None,
            recorded_by=by,
        )


def import_consultations(consultations: list[Consultation]) -> None:
    created = Consultation.objects.bulk_create(consultations)
    audit.record_created(created)


# --- Reminders ----------------------------------------------------------------------------------


def send_reminders(day: dt.date) -> int:
    """提醒: the day before, each professional is mailed their session's bookings, and the
    desk staff get the list of citizens to phone (a citizen left a phone number only). A
    booking is reminded once. Returns the bookings reminded."""
    bookings = list(
        Booking.objects.select_related("session__association", "session__professional")
        .filter(session__day=day, status=BookingStatus.BOOKED, reminded_at__isnull=True)
        .order_by("session__starts", "session_id", "slot")
    )
    if not bookings:
        return 0
    with transaction.atomic(), audit.action("service:consultation_reminders"):
        by_session: dict[int, list[Booking]] = {}
        for booking in bookings:
            by_session.setdefault(booking.session_id, []).append(booking)
        for session_bookings in by_session.values():
            session = session_bookings[0].session
            professional = session.professional
            if professional is not None and professional.email:
                queue_mail(
                    f"明日專業諮詢預約提醒：{session.starts:%H:%M}（{len(session_bookings)}位）",
                    f"{professional.name}您好：明日{session.starts:%H:%M}至{session.ends:%H:%M}於"
                    f"{session.place}之{session.get_mode_display()}，已有"
                    f"{len(session_bookings)}位民眾預約。",
                    [professional.email],
                    purpose="service:consultation_reminder",
                )
        lines = [
            f"{b.session.starts:%H:%M} {b.session.association} 第{b.slot}號 {b.name} {b.phone}"
            for b in bookings
        ]
        url = reverse("service:consult") + f"?day={day.isoformat()}"
        for person in User.objects.filter(
            is_active=True, roles__code=RoleCode.SERVICE_DESK, is_system_account=False
        ).distinct():
            if is_desk_staff(person):
                core_services.notify(
                    person, f"明日專業諮詢預約{len(bookings)}位，請電話提醒", "\n".join(lines), url
                )
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(reminded_at=timezone.now())
    return len(bookings)


@task()
def send_reminders_task() -> int:
    """Daily: remind the next day's bookings."""
    return send_reminders(timezone.localdate() + dt.timedelta(days=1))
