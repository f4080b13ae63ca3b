"""Writes for petitions: intake from every channel (staff, web form, API, Open311), the
citizen's access with number + password, the satisfaction survey, and the e-mails.

The engine (``cases.services``) owns the case: number, text checks, attachments, routing and
replies. These functions add the petition's own fields and rules around it, in one
transaction each."""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from secretariat.cases import selectors as case_selectors
from secretariat.cases import services as case_services
from secretariat.cases.kinds import OpenContext
from secretariat.cases.selectors import CaseStatus, Channel
from secretariat.core import audit
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.mail import queue_mail
from secretariat.core.text import TextRule
from secretariat.petitions import selectors, throttle
from secretariat.petitions.catalogue import (
    CATEGORY_BY_CODE,
    CONSENT_REQUIRED,
    DEFAULT_CATEGORY,
)
from secretariat.petitions.models import Petition
from secretariat.service import selectors as service_selectors

if TYPE_CHECKING:
    from secretariat.cases.models import Case

KIND = "petition"


def routes_petitions(user) -> bool:
    """The Secretariat's staff who register and route petitions (and administrators)."""
    return case_selectors.is_router(user, KIND)


# No 0/O, 1/I/L: the password is read off a screen or a letter and typed back.
PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 8
STAFF_CHANNELS = (Channel.LETTER, Channel.EMAIL, Channel.COUNTER, Channel.PHONE)
PUBLIC_CHANNELS = (Channel.WEB, Channel.OPEN311)
ALL_CHANNELS = (*STAFF_CHANNELS, *PUBLIC_CHANNELS, Channel.API)
MAX_ATTACHMENTS = 5
MAX_SURVEY_COMMENT = 1000
# A latitude or longitude is a few digits (the model keeps six decimals); nothing longer is
# parsed.
COORDINATE_LENGTH = 20
ADDRESS_RULE = TextRule("地點", Petition._meta.get_field("address_string").max_length)
COMMENT_RULE = TextRule("意見", MAX_SURVEY_COMMENT, multiline=True)
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


def takes_counter_petitions(user) -> bool:
    """Who registers a petition handed in at the counter: the routers, and the service desk
    (協處陳情: the desk helps the citizen file it, channel 臨櫃)."""
    return routes_petitions(user) or service_selectors.is_desk_staff(user)


def _require_channel_permission(channel: str, by) -> None:
    if channel == Channel.COUNTER:
        if not takes_counter_petitions(by):
            raise PermissionDenied("只有秘書處收發人員或服務台人員可以登錄臨櫃陳情。")
    elif channel in STAFF_CHANNELS:
        if not routes_petitions(by):
            raise PermissionDenied("只有秘書處收發人員可以登錄書信、電子郵件或電話陳情。")
    elif channel == Channel.API:
        if not (routes_petitions(by) or getattr(by, "is_system_account", False)):
            raise PermissionDenied("只有系統介接帳號可以透過 API 登錄陳情。")
    elif channel not in PUBLIC_CHANNELS:
        raise DomainError(
            "invalid", f"陳情不接受此來源管道：{channel}", {"channel": ["來源管道不正確。"]}
        )


def _coordinate(value, name: str, label: str, bound: int, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if len(text) > COORDINATE_LENGTH:
        errors[name] = [f"{label}必須是數字。"]
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        errors[name] = [f"{label}必須是數字。"]
        return None
    if not number.is_finite() or not -bound <= number <= bound:
        errors[name] = [f"{label}必須介於 -{bound} 與 {bound} 之間。"]
        return None
    return number.quantize(Decimal("0.000001"))


def _location(fields: Mapping[str, Any], errors: dict) -> tuple[Decimal | None, Decimal | None]:
    lat = _coordinate(fields.get("lat"), "lat", "緯度", 90, errors)
    long = _coordinate(fields.get("long"), "long", "經度", 180, errors)
    if (lat is None) != (long is None) and "lat" not in errors and "long" not in errors:
        errors["lat" if lat is None else "long"] = ["緯度與經度須同時提供。"]
    return lat, long


def validate_petition(fields: Mapping[str, Any], context: OpenContext) -> dict[str, list[str]]:
    """The petition's own fields (the kind's ``validate`` hook): the engine checks subject,
    body, requester, channel, dates and files in the same pass."""
    errors: dict[str, list[str]] = {}
    if fields.get("category", DEFAULT_CATEGORY) not in CATEGORY_BY_CODE:
        errors["category"] = ["請選擇陳情類別。"]
    if context.channel in PUBLIC_CHANNELS and not fields.get("consent"):
        errors["consent"] = [CONSENT_REQUIRED]
    if fields.get("publish") and context.channel not in PUBLIC_CHANNELS:
        # 公開同意 is the citizen's own choice, asked on the web form and by Open311 only.
        errors["publish"] = ["公開同意只能由陳情人於網路表單或 Open311 表示。"]
    if problem := ADDRESS_RULE.problem((fields.get("address_string") or "").strip()):
        errors["address_string"] = [problem]
    _location(fields, errors)
    if len(context.attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [f"附件最多 {MAX_ATTACHMENTS} 個。"]
    return errors


def create_petition(case: Case, fields: Mapping[str, Any], context: OpenContext) -> Petition:
    """The petition beside its case (the kind's ``create`` hook); ``password`` is the
    citizen's, kept only as a hash. Opened without one (by the engine alone), the petition
    cannot be looked up on the status page, like an imported one."""
    lat, long = _location(fields, {})
    public = context.channel in PUBLIC_CHANNELS
    return Petition.objects.create(
        case=case,
        category=fields.get("category", DEFAULT_CATEGORY),
        password_hash=make_password(fields.get("password")),
        consented_at=timezone.now() if fields.get("consent") and public else None,
        publication_consented_at=timezone.now() if fields.get("publish") and public else None,
        address_string=(fields.get("address_string") or "").strip(),
        lat=lat,
        long=long,
    )


def _clean_requester(requester: dict | None, channel: str) -> dict | None:
    cleaned = {k: (requester or {}).get(k) or "" for k in ("name", "email", "phone", "address")}
    # A letter may come without a name (匿名陳情); people using the public channels must
    # give one, so the engine is always asked to check it for them.
    if channel not in PUBLIC_CHANNELS and not any(v.strip() for v in cleaned.values()):
        return None
    return cleaned


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
    publish: bool = False,
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
    account; the web form and Open311 are open to anyone and need consent to the 個資 notice;
    there the citizen may also agree to publish the subject and the place (``publish``, 公開同意).
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
    requester = _clean_requester(requester, channel)
    password = normalize_password(password) if password else generate_password()
    case = case_services.open_case(
        KIND,
        subject=subject,
        body=body,
        channel=channel,
        received_on=received_on,
        requester=requester,
        attachments=attachments,
        by=by,
        category=category,
        consent=consent,
        publish=publish,
        address_string=address_string,
        lat=lat,
        long=long,
        password=password,
    )
    petition = case.kind_record
    if anonymous:
        throttle.hit(throttle.SUBMIT, client_ip)
    email = (requester or {}).get("email", "").strip()
    if email:
        # The one place the password exists in clear after this request: sealed in the
        # queued mail until the worker has sent it (core.mail).
        mail = _receipt_mail(petition, password, (requester or {}).get("name", ""), status_page_url)
        queue_mail(*mail, [email], purpose="petition:receipt")
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
        raise DomainError.invalid(missing)
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
    if problem := COMMENT_RULE.problem(comment):
        errors["comment"] = [problem]
    if errors:
        raise DomainError.invalid(errors)
    petition.survey_rating, petition.survey_comment = rating, COMMENT_RULE.clean(comment)
    petition.surveyed_at = timezone.now()
    with audit.action("petition:survey"):
        petition.save()
    return petition


# --- Reply e-mail -------------------------------------------------------------------------------


def mail_replies(case: Case) -> bool:
    """E-mail every agency's approved reply to the requester (queued on the mail queue).
    Called when the engine reports that all agencies replied — for a petition merged into
    another (併案), when that one is answered: its replies answer this requester too. False
    when there is no address on file. The kind's ``on_replied`` hook."""
    email = case_selectors.requester_email(case)
    if not email:
        return False
    answering = case_selectors.answering_case(case)
    replies = selectors.replies(answering)
    merged_into = answering if answering.pk != case.pk else None
    context = {
        "case": case,
        "merged_into": merged_into,
        "replies": replies,
        "status_url": status_url(),
    }
    body = render_to_string("petitions/email/replied.txt", context)
    detail = {"replies": len(replies)}
    if merged_into is not None:
        detail["merged_into"] = merged_into.number
    with transaction.atomic():
        audit.record(case, "petition:mail_replies", detail)
        queue_mail(f"陳情案件回復通知（{case.number}）", body, [email], purpose="petition:replies")
    return True


def mail_merged(case: Case, into: Case) -> bool:
    """The kind's ``on_merged`` hook: tell the requester of a petition merged into another
    (併案) — with the replies at once when that one is already answered, otherwise that they
    will come with its replies. False when there is no address on file."""
    if into.status in selectors.ANSWERED_STATUSES:
        return mail_replies(case)
    email = case_selectors.requester_email(case)
    if not email:
        return False
    context = {"case": case, "into": into, "status_url": status_url()}
    body = render_to_string("petitions/email/merged.txt", context)
    with transaction.atomic():
        audit.record(case, "petition:mail_merged", {"merged_into": into.number})
        queue_mail(f"陳情案件併案通知（{case.number}）", body, [email], purpose="petition:merged")
    return True
