"""新聞聯繫線上通訊錄: every agency keeps its own spokesperson and press contacts (a change is
live at once and audited); journalists sign up on the public page, the Secretariat's press
office approves them, and every lookup of the directory by a signed-in person is audited.

A journalist is an account without an agency (like a contractor's person): it gets the role
記者 when approved, and the journalist middleware keeps it to the journalists' pages."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from secretariat.core import audit
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency, RoleCode
from secretariat.core.text import check_fields, model_rule
from secretariat.media.models import ContactRole, Journalist, JournalistStatus, PressContact
from secretariat.media.permissions import is_press_office, is_press_officer_of

CONTACT_FIELDS = (
    "name",
    "job_title",
    "office_phone",
    "mobile",
    "email",
    "line_id",
    "topics",
)
CONTACT_RULES = {name: model_rule(PressContact, name) for name in CONTACT_FIELDS}
JOURNALIST_FIELDS = ("name", "outlet", "job_title", "phone", "email", "beat")
JOURNALIST_RULES = {name: model_rule(Journalist, name) for name in JOURNALIST_FIELDS}
NOTE_RULE = model_rule(Journalist, "decision_note")


# --- The agencies' contacts ---------------------------------------------------------------------


def may_keep_contacts(user, agency: Agency) -> bool:
    """The agency's own 新聞聯絡人 (and the Secretariat's press office, which sees all)."""
    return is_press_officer_of(user, agency.pk) or is_press_office(user)


def _contact_values(values: dict[str, str], role: str) -> dict[str, str]:
    cleaned, errors = check_fields(
        {name: (values.get(name) or "").strip() for name in CONTACT_FIELDS}, CONTACT_RULES
    )
    if role not in ContactRole.values:
        errors["role"] = ["請選擇職務。"]
    if not cleaned["name"]:
        errors.setdefault("name", ["請填寫姓名。"])
    if not (cleaned["office_phone"] or cleaned["mobile"] or cleaned["email"]):
        errors.setdefault("office_phone", ["請至少填寫一種聯絡方式（電話、手機或電子郵件）。"])
    if cleaned["email"] and "email" not in errors:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = ["電子郵件格式不正確。"]
    if errors:
        raise DomainError.invalid(errors)
    return cleaned


def _check_backup(contact_agency: Agency, backup: PressContact | None, own_pk=None) -> None:
    if backup is None:
        return
    if backup.agency_id != contact_agency.pk or backup.pk == own_pk:
        raise DomainError.invalid({"backup": ["代理人須為同機關的其他新聞聯繫人員。"]})


@transaction.atomic
def add_contact(
    agency: Agency, *, role: str, backup: PressContact | None = None, by, **values: str
) -> PressContact:
    """A spokesperson, press contact or backup of the agency."""
    if not may_keep_contacts(by, agency):
        raise PermissionDenied("只有本機關的新聞聯絡人可以維護本機關的通訊錄。")
    cleaned = _contact_values(values, role)
    _check_backup(agency, backup)
    return PressContact.objects.create(agency=agency, role=role, backup=backup, **cleaned)


@transaction.atomic
def update_contact(
    contact: PressContact, *, role: str, backup: PressContact | None = None, by, **values: str
) -> PressContact:
    """Changes are live at once; each field's before and after is in the audit trail."""
    contact = PressContact.objects.select_for_update().select_related("agency").get(pk=contact.pk)
    if not may_keep_contacts(by, contact.agency):
        raise PermissionDenied("只有本機關的新聞聯絡人可以維護本機關的通訊錄。")
    cleaned = _contact_values(values, role)
    _check_backup(contact.agency, backup, contact.pk)
    for name, value in cleaned.items():
        setattr(contact, name, value)
    contact.role, contact.backup = role, backup
    contact.save()
    return contact


@transaction.atomic
def remove_contact(contact: PressContact, *, by) -> None:
    if not may_keep_contacts(by, contact.agency):
        raise PermissionDenied("只有本機關的新聞聯絡人可以維護本機關的通訊錄。")
    contact.delete()


def record_lookup(user, *, query: str, agency: Agency | None, contacts: Sequence, how: str) -> None:
    """Every lookup of the directory by a signed-in person is audited: who, what they asked
    (words, agency), how (頁面, vCard, API) and which contacts they were shown."""
    audit.record(
        None,
        "media:directory_lookup",
        {
            "query": query[:100],
            "agency": agency.code if agency is not None else "",
            "how": how,
            "contacts": [contact.pk for contact in contacts][:200],
        },
        object_type="media.presscontact",
        object_id="lookup",
        actor=audit.actor_of(user),
    )


# --- Journalists -----------------------------------------------------------------------------------


@transaction.atomic
def register_journalist(
    *, username: str, password: str, receives_releases: bool = True, **values: str
) -> Journalist:
    """記者註冊 (public): an inactive account without an agency and a request the press
    office decides on. The password must be strong (the platform's validators)."""
    cleaned, errors = check_fields(
        {name: (values.get(name) or "").strip() for name in JOURNALIST_FIELDS}, JOURNALIST_RULES
    )
    for name, message in (
        ("name", "請填寫姓名。"),
        ("outlet", "請填寫服務媒體。"),
        ("phone", "請填寫聯絡電話。"),
        ("email", "請填寫電子郵件。"),
    ):
        if not cleaned[name]:
            errors.setdefault(name, [message])
    if cleaned["email"] and "email" not in errors:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = ["電子郵件格式不正確。"]
    if errors:
        raise DomainError.invalid(errors)
    user = core_services.create_person(
        by=None,
        username=(username or "").strip(),
        password=password,
        agency=None,
        display_name=cleaned["name"],
        email=cleaned["email"],
        job_title=cleaned["job_title"],
    )
    core_services.update_person(user, by=None, is_active=False, phone=cleaned["phone"])
    journalist = Journalist.objects.create(
        user=user, receives_releases=bool(receives_releases), **cleaned
    )
    for officer in _press_office_people():
        core_services.notify(
            officer,
            f"記者帳號申請：{journalist}",
            url=reverse("media:journalists"),
        )
    return journalist


def _press_office_people():
    from secretariat.core.models import User
    from secretariat.core.permissions import SECRETARIAT_CODE

    return User.objects.filter(
        is_active=True, agency__code=SECRETARIAT_CODE, roles__code=RoleCode.PRESS_LIAISON
    ).distinct()


def _require_press_office(by) -> None:
    if not is_press_office(by):
        raise PermissionDenied("只有秘書處新聞聯絡人可以審核記者帳號。")


@transaction.atomic
def decide_journalist(journalist: Journalist, *, approve: bool, note: str = "", by) -> Journalist:
    """核准 (the account is opened with the role 記者 and the journalist is mailed) or 不核准
    (the account stays closed), with an optional note."""
    _require_press_office(by)
    journalist = Journalist.objects.select_for_update().select_related("user").get(pk=journalist.pk)
    if journalist.status not in (JournalistStatus.PENDING, JournalistStatus.SUSPENDED):
        raise DomainError("decided", f"此申請已{journalist.get_status_display()}。")
    note = (note or "").strip()
    problem = NOTE_RULE.problem(note)
    if problem:
        raise DomainError.invalid({"note": [problem]})
    journalist.status = JournalistStatus.APPROVED if approve else JournalistStatus.REJECTED
    journalist.decided_by, journalist.decided_at = by, timezone.now()
    journalist.decision_note = note
    with audit.action("media:approve_journalist" if approve else "media:reject_journalist"):
        journalist.save()
        core_services.update_person(journalist.user, by=None, is_active=approve)
        core_services.set_roles(journalist.user, [RoleCode.JOURNALIST] if approve else [], by=None)
    _mail_decision(journalist)
    return journalist


@transaction.atomic
def suspend_journalist(journalist: Journalist, *, note: str, by) -> Journalist:
    """停用 an approved journalist's account (it may be approved again)."""
    _require_press_office(by)
    journalist = Journalist.objects.select_for_update().select_related("user").get(pk=journalist.pk)
    if journalist.status != JournalistStatus.APPROVED:
        raise DomainError("not_approved", "只有已核准的記者帳號可以停用。")
    note = (note or "").strip()
    problem = NOTE_RULE.problem(note) if note else "請說明停用理由。"
    if problem:
        raise DomainError.invalid({"note": [problem]})
    journalist.status, journalist.decision_note = JournalistStatus.SUSPENDED, note
    journalist.decided_by, journalist.decided_at = by, timezone.now()
    with audit.action("media:suspend_journalist"):
        journalist.save()
        core_services.update_person(journalist.user, by=None, is_active=False)
        core_services.set_roles(journalist.user, [], by=None)
    return journalist


def _mail_decision(journalist: Journalist) -> None:
    from secretariat.core.mail import queue_mail

    if journalist.approved:
        subject = "臺北市政府新聞聯繫通訊錄：記者帳號已核准"
        body = (
            f"{journalist.name}您好：\n\n您申請的記者帳號（{journalist.user.username}）已核准，"
            "請登入後使用記者專區查詢本府各機關新聞聯繫窗口及市長公開行程。\n\n臺北市政府秘書處"
        )
    else:
        subject = "臺北市政府新聞聯繫通訊錄：記者帳號申請結果"
        reason = f"\n說明：{journalist.decision_note}" if journalist.decision_note else ""
        body = (
            f"{journalist.name}您好：\n\n您申請的記者帳號未獲核准。{reason}\n"
            "如有疑問請洽臺北市政府秘書處。\n\n臺北市政府秘書處"
        )
    queue_mail(subject, body, [journalist.email], purpose="media:journalist")
