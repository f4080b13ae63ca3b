"""Writes for core records. Each function checks permission, validates, changes and audits in
one transaction, and raises DomainError with a zh-Hant message on bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from secretariat.core import audit
from secretariat.core.auth import Attempts, totp_code_valid
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import (
    Agency,
    ApiToken,
    CalendarAdjustment,
    Contractor,
    DayKind,
    Notification,
    ReportGroup,
    ReportGroupMembership,
    Role,
    RoleCode,
    Unit,
    User,
)
from secretariat.core.permissions import is_administrator, is_system_administrator

TOKEN_PREFIX_LENGTH = 8


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def _full_clean(instance, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise DomainError.from_validation(error) from error


def _set_strong_password(person: User, password: str) -> None:
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise DomainError(
            "weak_password",
            "密碼強度不足：" + "".join(error.messages),
            {"password": error.messages},
        ) from error
    person.set_password(password)


# --- People ---------------------------------------------------------------------------------


@transaction.atomic
def create_person(
    *,
    by,
    username: str,
    password: str | None,
    agency: Agency | None,
    display_name: str = "",
    email: str = "",
    unit: Unit | None = None,
    job_title: str = "",
    roles: Iterable[str] = (),
    is_system_account: bool = False,
    contractor: Contractor | None = None,
) -> User:
    """Create a staff (or API system) account in an agency with the given role codes, or an
    account of a contractor's person (no agency; the role 承攬廠商人員 is given)."""
    _require(by is None or is_administrator(by))
    if unit is not None and agency is not None and unit.agency_id != agency.pk:
        raise DomainError(
            "unit_agency_mismatch", "單位不屬於所選機關。", {"unit": ["單位不屬於所選機關。"]}
        )
    if contractor is not None:
        if agency is not None or unit is not None:
            message = "承攬廠商人員不屬於機關或單位，僅能檢視其廠商的案件。"
            raise DomainError("contractor_agency", message, {"agency": [message]})
        roles = {*roles, RoleCode.CONTRACTOR}
    person = User(
        username=username,
        display_name=display_name,
        email=email,
        agency=agency,
        unit=unit,
        contractor=contractor,
        job_title=job_title,
        is_system_account=is_system_account,
    )
    if password:
        _set_strong_password(person, password)
    else:
        person.set_unusable_password()
    _full_clean(person, exclude=["password"])
    person.save()
    set_roles(person, roles, by=by)
    return person


@transaction.atomic
def register_contractor(
    *,
    by,
    name: str,
    agency: Agency,
    unit: Unit | None = None,
    contact_name: str = "",
    phone: str = "",
    email: str = "",
    contract_until: dt.date | None = None,
) -> Contractor:
    """承攬廠商: a contractor the agency manages, which can then be assigned routed work."""
    _require(by is None or is_administrator(by))
    if unit is not None and unit.agency_id != agency.pk:
        raise DomainError(
            "unit_agency_mismatch", "單位不屬於所選機關。", {"unit": ["單位不屬於所選機關。"]}
        )
    contractor = Contractor(
        name=(name or "").strip(),
        agency=agency,
        unit=unit,
        contact_name=contact_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        contract_until=contract_until,
    )
    _full_clean(contractor)
    contractor.save()
    return contractor


@transaction.atomic
def update_person(person: User, *, by, **fields) -> User:
    """Change a person's details; ``by`` None is the system (a module's own rule decided, e.g.
    the press office approving a journalist's sign-up)."""
    _require(by is None or is_administrator(by))
    allowed = {"display_name", "email", "agency", "unit", "job_title", "phone", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError("unknown_field", f"不可修改的欄位：{'、'.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(person, name, value)
    if person.unit_id and person.unit.agency_id != person.agency_id:
        raise DomainError(
            "unit_agency_mismatch", "單位不屬於所選機關。", {"unit": ["單位不屬於所選機關。"]}
        )
    _full_clean(person, exclude=["password"])
    person.save()
    return person


@transaction.atomic
def set_roles(person: User, codes: Iterable[str], *, by) -> None:
    _require(by is None or is_administrator(by))
    codes = set(codes)
    found = set(Role.objects.filter(code__in=codes).values_list("code", flat=True))
    if codes - found:
        raise DomainError(
            "unknown_role",
            f"未知的角色：{'、'.join(sorted(codes - found))}",
            {"roles": [f"未知的角色：{c}" for c in sorted(codes - found)]},
        )
    if by is not None and not is_system_administrator(by) and "system_admin" in codes:
        raise PermissionDenied("只有系統管理者可以指派系統管理者角色。")
    person.roles.set(sorted(found))
    for cached in ("_role_codes", "_sees_all"):
        person.__dict__.pop(cached, None)


@transaction.atomic
def change_password(person: User, new_password: str, *, by) -> None:
    _require(by.pk == person.pk or is_administrator(by))
    _set_strong_password(person, new_password)
    person.save(update_fields=["password"])
    audit.record(person, "password_changed", {})


# --- The second factor (雙因素驗證) ------------------------------------------------------------

WRONG_CODE = "驗證碼不正確或已過期。"


def verify_second_factor(person: User, code: str, *, client_ip: str) -> None:
    """Check a TOTP code of ``person``'s secret. Wrong codes are counted and throttled like
    wrong passwords (``core.auth``) and audited; not atomic, so that a refused code still
    counts."""
    attempts = Attempts("totp", person.username, client_ip)
    attempts.check()
    if not totp_code_valid(person.totp_secret, code):
        attempts.record_failure(person, "login_second_factor_failed")
        raise DomainError("wrong_code", WRONG_CODE, {"code": [WRONG_CODE]})
    attempts.succeeded()


def enable_second_factor(person: User, secret: str, code: str, *, by) -> None:
    """Turn TOTP on with a new secret, confirmed by a code the person's app shows for it."""
    _require(by.pk == person.pk)
    if person.totp_enabled:
        raise DomainError("already_enabled", "已啟用雙因素驗證；如要更換裝置，請先停用。")
    if not totp_code_valid(secret, code):
        raise DomainError("wrong_code", WRONG_CODE, {"code": [WRONG_CODE]})
    with transaction.atomic(), audit.action("second_factor:enable"):
        person.totp_secret, person.totp_enabled = secret, True
        person.save(update_fields=["totp_secret", "totp_enabled"])


def disable_second_factor(person: User, code: str, *, by, client_ip: str) -> None:
    """Turn TOTP off: only with a valid current code, so a stolen password (or an unattended
    session) cannot remove the second factor."""
    _require(by.pk == person.pk)
    if not person.totp_enabled:
        raise DomainError("not_enabled", "尚未啟用雙因素驗證。")
    verify_second_factor(person, code, client_ip=client_ip)
    with transaction.atomic(), audit.action("second_factor:disable"):
        person.totp_enabled, person.totp_secret = False, ""
        person.save(update_fields=["totp_enabled", "totp_secret"])


# --- Agencies and report groups --------------------------------------------------------------


@dataclass(frozen=True)
class GroupMember:
    """An agency in a report group for a period (``valid_to`` exclusive; None: no limit)."""

    agency: Agency
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@transaction.atomic
def set_report_group(
    *,
    by,
    code: str,
    label: str,
    members: Iterable[Agency | GroupMember],
    sort_order: int = 0,
) -> ReportGroup:
    """Create or change a report grouping rule (e.g. 民政局（含區公所）). ``members`` are
    agencies (members without a time limit) or :class:`GroupMember` periods; the group's
    memberships become exactly these, each added, changed or removed row audited."""
    _require(by is None or is_administrator(by))
    group = ReportGroup.objects.filter(code=code).first() or ReportGroup(code=code)
    group.label, group.sort_order = label, sort_order
    _full_clean(group)
    group.save()
    wanted = [m if isinstance(m, GroupMember) else GroupMember(m) for m in members]
    if not wanted:
        raise DomainError(
            "empty_group", "報表合併列至少要包含一個機關。", {"members": ["至少要包含一個機關。"]}
        )
    _sync_memberships(group, wanted)
    return group


def _sync_memberships(group: ReportGroup, wanted: list[GroupMember]) -> None:
    """Make the group's membership rows equal ``wanted``, matching rows by (agency, valid_from)
    so an unchanged period is not rewritten."""
    rows = [
        ReportGroupMembership(
            group=group, agency=m.agency, valid_from=m.valid_from, valid_to=m.valid_to
        )
        for m in wanted
    ]
    for position, row in enumerate(rows):
        if row.valid_from and row.valid_to and row.valid_to <= row.valid_from:
            raise DomainError(
                "invalid_period",
                f"{row.agency.short_name}的成員期間截止日期必須晚於起始日期。",
                {"members": ["截止日期必須晚於起始日期。"]},
            )
        if any(row.agency.pk == o.agency.pk and row.overlaps(o) for o in rows[position + 1 :]):
            raise DomainError(
                "overlapping_periods",
                f"{row.agency.short_name}在報表合併列「{group.label}」的兩段成員期間重疊。",
                {"members": ["同一機關的成員期間不可重疊。"]},
            )
    existing = {(m.agency_id, m.valid_from): m for m in group.memberships.all()}
    for row in rows:
        current = existing.pop((row.agency.pk, row.valid_from), None)
        if current is None:
            row.save()
        elif current.valid_to != row.valid_to:
            current.valid_to = row.valid_to
            current.save()
    for stale in existing.values():
        stale.delete()


# --- Calendar ---------------------------------------------------------------------------------


@transaction.atomic
def set_calendar_day(
    *, by, date: dt.date, kind: str, reason: str, city: str = ""
) -> CalendarAdjustment:
    """Record a closure (停止上班, e.g. a typhoon day), an extra holiday or a make-up workday."""
    _require(by is None or is_administrator(by))
    if kind not in DayKind.values:
        raise DomainError(
            "invalid_kind", "類別必須是停止上班、放假或上班。", {"kind": ["類別不正確。"]}
        )
    adjustment = CalendarAdjustment.objects.filter(
        date=date, city=city
    ).first() or CalendarAdjustment(date=date, city=city)
    adjustment.kind, adjustment.reason = kind, reason.strip()
    _full_clean(adjustment)
    adjustment.save()
    return adjustment


@transaction.atomic
def remove_calendar_day(adjustment: CalendarAdjustment, *, by) -> None:
    _require(is_administrator(by))
    adjustment.delete()


# --- Notifications ------------------------------------------------------------------------------


def notify(
    recipient: User,
    title: str,
    body: str = "",
    url: str = "",
    *,
    mail: bool = False,
    subject=None,
) -> Notification:
    """Tell one person something; with ``mail`` the message is also e-mailed by a background
    job: the same title and text, and the link made absolute (``PUBLIC_BASE_URL``). A notice
    that asks for an action names the record it is about (``subject``), so that it is marked
    done when the action is (:func:`resolve_notifications`)."""
    notification = Notification(recipient=recipient, title=title[:200], body=body, url=url)
    if subject is not None:
        notification.subject_type = ContentType.objects.get_for_model(subject)
        notification.subject_id = subject.pk
    notification.save()
    if mail and recipient.email:
        from secretariat.core.mail import absolute_url, queue_mail

        text = "\n\n".join(part for part in (body, absolute_url(url) if url else "") if part)
        queue_mail(title, text, [recipient.email], purpose="notification")
    return notification


def resolve_notifications(subject, *, at: dt.datetime | None = None) -> int:
    """The action the notices about ``subject`` ask for is done (by anyone): they are marked
    done. Returns how many were open."""
    return Notification.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        resolved_at__isnull=True,
    ).update(resolved_at=at or timezone.now())


def mark_notifications_read(user: User, ids: Iterable[int] | None = None) -> int:
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.update(read_at=timezone.now())


# --- API tokens ---------------------------------------------------------------------------------


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_token(
    user: User, name: str, *, by, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a bearer token for an agency system account. The key is returned once only."""
    _require(by is None or is_administrator(by))
    if not name.strip():
        raise DomainError("invalid", "請填寫權杖用途。", {"name": ["此欄位為必填。"]})
    for _ in range(5):
        prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
        key = f"{prefix}.{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name.strip(),
                    prefix=prefix,
                    key_hash=hash_token(key),
                    expires_at=expires_at,
                )
            return token, key
        except IntegrityError:
            continue
    raise DomainError("token_collision", "無法產生唯一的權杖，請再試一次。")


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by) -> None:
    _require(is_administrator(by) or by.pk == token.user_id)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def user_for_token(key: str) -> User | None:
    """The active account a presented bearer key belongs to, or None."""
    prefix = key.split(".", 1)[0]
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not secrets.compare_digest(token.key_hash, hash_token(key)):
        return None
    now = timezone.now()
    if (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
