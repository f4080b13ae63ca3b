"""Writes for petitions: intake from every channel (staff, web form, API, Open311), the
citizen's access with number + password, the satisfaction survey, and the e-mails.

The engine (``cases.services``) owns the case: number, text checks, attachments, routing and
replies. These functions add the petition's own fields and rules around it, in one
transaction each."""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from secretariat.cases import services as case_services
from secretariat.cases.models import Case, CaseStatus, Channel, Requester
from secretariat.cases.permissions import is_router
from secretariat.core import audit
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.petitions import selectors, throttle
from secretariat.petitions.catalogue import (
    CATEGORY_BY_CODE,
    CONSENT_REQUIRED,
    DEFAULT_CATEGORY,
)
from secretariat.petitions.models import Petition

KIND = "petition"


def routes_petitions(user) -> bool:
    """The Secretariat's staff who register and route petitions (and administrators)."""
    return is_router(user, KIND)


# No 0/O, 1/I/L: the password is read off a screen or a letter and typed back.
PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 8
STAFF_CHANNELS = (Channel.LETTER, Channel.EMAIL, Channel.COUNTER, Channel.PHONE)
PUBLIC_CHANNELS = (Channel.WEB, Channel.OPEN311)
MAX_ATTACHMENTS = 5
MAX_SURVEY_COMMENT = 1000
WRONG_CREDENTIALS = "案件編號或查詢密碼不正確。"


@dataclass(frozen=True)
class Receipt:
    """What the citizen gets once: the case number and the password in clear."""

    petition: Petition
    password: str
    emailed: bool = False

    @property
    def number(self) -> str:
        return self.petition.case.number


def generate_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def normalize_number(text: str) -> str:
    """陳１１５０００００１ or ' 陳115000001 ' → 陳115000001."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def normalize_password(text: str) -> str:
    """Full-width letters, spaces, hyphens and lower case are forgiven."""
    folded = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(ch for ch in folded if ch not in " -")


def status_url() -> str:
    """The public status page, absolute when ``PUBLIC_BASE_URL`` is set (for e-mails)."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("petitions:status")


# --- Intake -------------------------------------------------------------------------------------


class _DryRun(Exception):
    """Raised inside a savepoint to undo a trial register_case."""


def _require_channel_permission(channel: str, by) -> None:
    if channel in STAFF_CHANNELS:
        if not is_router(by, KIND):
            raise PermissionDenied("只有秘書處收發人員可以登錄書信、電子郵件、電話或臨櫃陳情。")
    elif channel == Channel.API:
        if not (is_router(by, KIND) or getattr(by, "is_system_account", False)):
            raise PermissionDenied("只有系統介接帳號可以透過 API 登錄陳情。")
    elif channel not in PUBLIC_CHANNELS:
        raise DomainError(
            "invalid", f"陳情不接受此來源管道：{channel}", {"channel": ["來源管道不正確。"]}
        )


def _coordinate(value, name: str, label: str, bound: int, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[name] = [f"{label}必須是數字。"]
        return None
    if not number.is_finite() or not -bound <= number <= bound:
        errors[name] = [f"{label}必須介於 -{bound} 與 {bound} 之間。"]
        return None
    return number.quantize(Decimal("0.000001"))


def _own_errors(
    *, channel, category, consent, received_on, address_string, lat, long, attachments
) -> tuple[dict[str, list[str]], Decimal | None, Decimal | None]:
    """The petition's own rules; the engine checks subject, body, requester and files."""
    errors: dict[str, list[str]] = {}
    if category not in CATEGORY_BY_CODE:
        errors["category"] = ["請選擇陳情類別。"]
    if channel in PUBLIC_CHANNELS and not consent:
        errors["consent"] = [CONSENT_REQUIRED]
    if received_on is not None and received_on > timezone.localdate():
        errors["received_on"] = ["收件日期不可晚於今天。"]
    if len(address_string) > 200:
        errors["address_string"] = ["地點不可超過 200 字。"]
    lat_value = _coordinate(lat, "lat", "緯度", 90, errors)
    long_value = _coordinate(long, "long", "經度", 180, errors)
    if (lat_value is None) != (long_value is None) and "lat" not in errors and "long" not in errors:
        errors["lat" if lat_value is None else "long"] = ["緯度與經度須同時提供。"]
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [f"附件最多 {MAX_ATTACHMENTS} 個。"]
    for upload in attachments:
        try:
            case_services.check_attachment(upload)
        except DomainError as error:
            errors.setdefault("attachments", []).extend(error.fields["attachments"])
    return errors, lat_value, long_value


def _engine_errors(case_fields: dict) -> dict[str, list[str]]:
    """The engine's field errors for the same input, without keeping anything: a trial
    register_case (without files) inside a savepoint that is always rolled back."""
    try:
        with transaction.atomic():
            case_services.register_case(**case_fields, attachments=())
            raise _DryRun
    except _DryRun:
        return {}
    except DomainError as error:
        return error.fields


def _clean_requester(requester: dict | None, channel: str) -> dict | None:
    cleaned = {k: (requester or {}).get(k) or "" for k in ("name", "email", "phone", "address")}
    # A letter may come without a name (匿名陳情); people using the public channels must
    # give one, so the engine is always asked to check it for them.
    if channel not in PUBLIC_CHANNELS and not any(v.strip() for v in cleaned.values()):
        return None
    return cleaned


def _raise_invalid(errors: dict[str, list[str]]) -> None:
    summary = "；".join(m for messages in errors.values() for m in messages)
    raise DomainError("invalid", f"資料有誤：{summary}", errors)


@transaction.atomic
def submit_petition(
    *,
    channel: str,
    subject: str,
    body: str,
    requester: dict | None = None,
    category: str = DEFAULT_CATEGORY,
    attachments: Sequence = (),
    consent: bool = False,
    received_on: dt.date | None = None,
    address_string: str = "",
    lat=None,
    long=None,
    by=None,
    client_ip: str = "",
    status_page_url: str = "",
    password: str | None = None,
) -> Receipt:
    """Register a petition (收件) from any channel and return its number and password.

    Staff channels (letter, e-mail, phone, counter) need a router; the API needs a system
    account; the web form and Open311 are open to anyone and need consent to the 個資 notice.
    Anonymous submissions count against the per-address limit. Every bad field is reported
    at once and nothing is kept. ``password`` is for demo data only; otherwise a random one
    is generated. The receipt e-mail (number + password) is queued on commit."""
    _require_channel_permission(channel, by)
    anonymous = not getattr(by, "is_authenticated", False)
    if anonymous:
        limit = throttle.submit_limit()
        if throttle.exceeded(throttle.SUBMIT, client_ip, limit):
            raise throttle.RateLimited(
                f"同一來源於 {limit.minutes} 分鐘內已送出 {limit.events} 件陳情，已達上限，"
                "請稍後再試，或改以書信、電子郵件或臨櫃方式陳情。"
            )
    address_string = (address_string or "").strip()
    errors, lat_value, long_value = _own_errors(
        channel=channel,
        category=category,
        consent=consent,
        received_on=received_on,
        address_string=address_string,
        lat=lat,
        long=long,
        attachments=attachments,
    )
    requester = _clean_requester(requester, channel)
    case_fields = {
        "kind": KIND,
        "subject": subject,
        "body": body,
        "channel": channel,
        "received_on": received_on,
        "requester": requester,
        "by": by,
    }
    if errors:
        _raise_invalid({**_engine_errors(case_fields), **errors})
    case = case_services.register_case(**case_fields, attachments=attachments)
    password = normalize_password(password) if password else generate_password()
    petition = Petition.objects.create(
        case=case,
        category=category,
        password_hash=make_password(password),
        consented_at=timezone.now() if consent and channel in PUBLIC_CHANNELS else None,
        address_string=address_string,
        lat=lat_value,
        long=long_value,
    )
    if anonymous:
        throttle.hit(throttle.SUBMIT, client_ip)
    email = (requester or {}).get("email", "").strip()
    if email:
        mail = _receipt_mail(petition, password, (requester or {}).get("name", ""), status_page_url)
        _queue_mail(*mail, email)
    return Receipt(petition, password, emailed=bool(email))


def _receipt_mail(petition: Petition, password: str, name: str, url: str) -> tuple[str, str]:
    context = {
        "case": petition.case,
        "password": password,
        "name": name.strip(),
        "status_url": url or status_url(),
    }
    subject = f"陳情案件受理通知（{petition.case.number}）"
    return subject, render_to_string("petitions/email/receipt.txt", context)


def _queue_mail(subject: str, body: str, recipient: str) -> None:
    from secretariat.core.tasks import send_mail_task

    transaction.on_commit(
        lambda: send_mail_task.enqueue(subject=subject, body=body, recipients=[recipient])
    )


# --- The citizen's access -------------------------------------------------------------------


def open_for_citizen(number: str, password: str, *, client_ip: str) -> Petition:
    """The petition for a number + password, or a DomainError that does not say whether the
    number exists. Wrong passwords count per number and per address; past the limit every
    try is refused, right or wrong, until the window has passed. Every check is a password
    hash (~0.2 s of CPU), so checks of any outcome are also limited per address."""
    number, password = normalize_number(number), normalize_password(password)
    missing = {}
    if not number:
        missing["number"] = ["請填寫案件編號。"]
    if not password:
        missing["password"] = ["請填寫查詢密碼。"]
    if missing:
        _raise_invalid(missing)
    limit = throttle.lookup_limit()
    if throttle.exceeded(throttle.WRONG_NUMBER, number, limit) or throttle.exceeded(
        throttle.WRONG_ADDRESS, client_ip, limit
    ):
        raise throttle.RateLimited(
            f"查詢錯誤次數過多，請於 {limit.minutes} 分鐘後再試；如遺失密碼，請洽秘書處。"
        )
    checks = throttle.check_limit()
    if throttle.exceeded(throttle.CHECK, client_ip, checks):
        raise throttle.RateLimited(f"查詢次數過多，請於 {checks.minutes} 分鐘後再試。")
    throttle.hit(throttle.CHECK, client_ip)
    petition = selectors.petition_by_number(number)
    if petition is None:
        make_password(password)  # the same hashing time whether or not the number exists
        correct = False
    else:
        correct = check_password(password, petition.password_hash)
    if not correct:
        with transaction.atomic():
            throttle.hit(throttle.WRONG_NUMBER, number)
            throttle.hit(throttle.WRONG_ADDRESS, client_ip)
        raise DomainError("wrong_credentials", WRONG_CREDENTIALS)
    return petition


# --- Satisfaction survey ------------------------------------------------------------------------


@transaction.atomic
def submit_survey(petition: Petition, rating, comment: str = "") -> Petition:
    """滿意度調查: once per petition, after the case is closed (結案)."""
    petition = Petition.objects.select_for_update().select_related("case").get(pk=petition.pk)
    if petition.case.status != CaseStatus.CLOSED:
        raise DomainError("not_closed", "案件結案後才能填寫滿意度調查。")
    if petition.surveyed_at is not None:
        raise DomainError("survey_done", "本案已填寫過滿意度調查，感謝您的意見。")
    errors: dict[str, list[str]] = {}
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = None
    if rating is None or not 1 <= rating <= 5:
        errors["rating"] = ["請選擇 1 至 5 分的滿意度。"]
    comment = (comment or "").strip()
    if len(comment) > MAX_SURVEY_COMMENT:
        errors["comment"] = [f"意見不可超過 {MAX_SURVEY_COMMENT} 字。"]
    if errors:
        _raise_invalid(errors)
    petition.survey_rating, petition.survey_comment = rating, comment
    petition.surveyed_at = petition.updated_at = timezone.now()
    with audit.action("petition:survey"):
        petition.save()
    return petition


# --- Reply e-mail -------------------------------------------------------------------------------


def _requester_email(case: Case) -> str:
    """The address to send the requester's own replies to. Not a view of personal data by a
    person, so not reveal_requester (which needs a role); the use is audited below."""
    return Requester.objects.filter(case=case).values_list("email", flat=True).first() or ""


def mail_replies(case: Case) -> bool:
    """E-mail every agency's approved reply to the requester (queued on the mail queue).
    Called when the engine reports that all agencies replied; False when there is no
    address on file."""
    if case.kind != KIND:
        return False
    email = _requester_email(case)
    if not email:
        return False
    replies = selectors.replies(case)
    context = {"case": case, "replies": replies, "status_url": status_url()}
    body = render_to_string("petitions/email/replied.txt", context)
    with transaction.atomic():
        audit.record(case, "petition:mail_replies", {"replies": len(replies)})
        _queue_mail(f"陳情案件回復通知（{case.number}）", body, email)
    return True
