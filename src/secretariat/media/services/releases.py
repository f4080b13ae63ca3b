"""新聞稿: drafted by any agency (or the Secretariat), approved by the agency's 新聞聯絡人 —
and, for a release in the mayor's name, by the Secretariat's press office — then public from
its publishing time on the news page and in the feed, and e-mailed to the media list.
A correction keeps the earlier text, shown as corrected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from secretariat.core import audit, roc, uploads
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.mail import queue_mail
from secretariat.core.models import Agency, RoleCode, User
from secretariat.core.permissions import SECRETARIAT_CODE
from secretariat.core.text import check_fields, model_rule
from secretariat.media.models import (
    Journalist,
    JournalistStatus,
    PressRelease,
    ReleaseCorrection,
    ReleaseFile,
    ReleaseStatus,
)
from secretariat.media.permissions import is_press_office, is_press_officer_of, is_staff

RELEASE_RULES = {
    "title": model_rule(PressRelease, "title"),
    "body": model_rule(PressRelease, "body", multiline=True),
    "contact_name": model_rule(PressRelease, "contact_name"),
    "contact_phone": model_rule(PressRelease, "contact_phone"),
}
CAPTION_RULE = model_rule(ReleaseFile, "caption")
NOTE_RULE = model_rule(ReleaseCorrection, "note")
REASON_RULE = model_rule(PressRelease, "returned_reason")
# Photos and attachments of one release.
MAX_FILES = 10
EDITABLE = (ReleaseStatus.DRAFT,)
BEFORE_APPROVAL = (
    ReleaseStatus.DRAFT,
    ReleaseStatus.SUBMITTED,
    ReleaseStatus.AWAITING_SECRETARIAT,
)


# --- Who may ------------------------------------------------------------------------------------


def may_draft(user, agency: Agency | None) -> bool:
    """Any staff member of the agency drafts its releases."""
    return agency is not None and is_staff(user) and user.agency_id == agency.pk


def may_approve(user, release: PressRelease) -> bool:
    """The step the person may take now: the agency's 新聞聯絡人 on a submitted release, the
    Secretariat's press office on one awaiting it (in the mayor's name)."""
    if release.status == ReleaseStatus.SUBMITTED:
        return is_press_officer_of(user, release.agency_id)
    if release.status == ReleaseStatus.AWAITING_SECRETARIAT:
        return _secretariat_press(user)
    return False


def may_correct(user, release: PressRelease) -> bool:
    """The agency's 新聞聯絡人 (and the Secretariat's press office for the mayor's releases)."""
    return is_press_officer_of(user, release.agency_id) or (
        release.in_mayors_name and _secretariat_press(user)
    )


def _secretariat_press(user) -> bool:
    return is_staff(user) and user.agency.code == SECRETARIAT_CODE and is_press_office(user)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _now() -> dt.datetime:
    return timezone.now()


# --- Drafting -----------------------------------------------------------------------------------


def _checked(values: dict[str, str]) -> dict[str, str]:
    cleaned, errors = check_fields(
        {name: (value or "").strip() for name, value in values.items()}, RELEASE_RULES
    )
    if not cleaned.get("title"):
        errors.setdefault("title", ["請填寫標題。"])
    if not cleaned.get("body"):
        errors.setdefault("body", ["請填寫內容。"])
    if errors:
        raise DomainError.invalid(errors)
    return cleaned


@transaction.atomic
def draft_release(
    *,
    agency: Agency,
    title: str,
    body: str,
    in_mayors_name: bool = False,
    publish_at: dt.datetime | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    by,
) -> PressRelease:
    """撰擬新聞稿 for the person's own agency. ``publish_at`` is the time it should go out
    (empty: when approved)."""
    _require(may_draft(by, agency), "只能為本機關撰擬新聞稿。")
    values = _checked(
        {
            "title": title,
            "body": body,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
        }
    )
    return PressRelease.objects.create(
        agency=agency,
        in_mayors_name=bool(in_mayors_name),
        publish_at=publish_at,
        drafted_by=by,
        **values,
    )


@transaction.atomic
def update_release(
    release: PressRelease,
    *,
    title: str,
    body: str,
    in_mayors_name: bool,
    publish_at: dt.datetime | None,
    contact_name: str = "",
    contact_phone: str = "",
    by,
) -> PressRelease:
    """Revise a draft (a returned one too)."""
    release = _locked(release)
    _require(may_draft(by, release.agency), "只能修改本機關的新聞稿。")
    if release.status not in EDITABLE:
        raise DomainError("not_draft", "只有草稿可以修改；已送核的新聞稿請先退回。")
    values = _checked(
        {
            "title": title,
            "body": body,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
        }
    )
    for name, value in values.items():
        setattr(release, name, value)
    release.in_mayors_name, release.publish_at = bool(in_mayors_name), publish_at
    release.save()
    return release


def _locked(release: PressRelease) -> PressRelease:
    return PressRelease.objects.select_for_update().select_related("agency").get(pk=release.pk)


@transaction.atomic
def add_release_file(release: PressRelease, upload, *, caption: str = "", by) -> ReleaseFile:
    """A photo (JPEG, PNG, with its 替代文字) or an attachment (PDF, ODT, …) of a release not
    yet approved; checked by type and content (``core.uploads``)."""
    release = _locked(release)
    _require(may_draft(by, release.agency), "只能為本機關的新聞稿附加檔案。")
    if release.status not in BEFORE_APPROVAL:
        raise DomainError("published", "已核定的新聞稿不能再增刪檔案。")
    if release.files.count() >= MAX_FILES:
        raise DomainError(
            "too_many_files", f"每則新聞稿最多 {MAX_FILES} 個檔案。", {"file": ["檔案過多。"]}
        )
    content_type = uploads.check_upload(upload, field="file")
    caption = (caption or "").strip()
    problem = CAPTION_RULE.problem(caption)
    if problem:
        raise DomainError.invalid({"caption": [problem]})
    if content_type.startswith("image/") and not caption:
        raise DomainError.invalid({"caption": ["請為照片填寫說明（供視障讀者的替代文字）。"]})
    return ReleaseFile.objects.create(
        release=release,
        file=upload,
        original_name=upload.name[:200],
        size=upload.size,
        content_type=content_type,
        caption=caption,
    )


@transaction.atomic
def remove_release_file(file: ReleaseFile, *, by) -> None:
    release = _locked(file.release)
    _require(may_draft(by, release.agency), "只能刪除本機關新聞稿的檔案。")
    if release.status not in BEFORE_APPROVAL:
        raise DomainError("published", "已核定的新聞稿不能再增刪檔案。")
    file.file.delete(save=False)
    file.delete()


# --- Review ---------------------------------------------------------------------------------------


def _press_officers(agency_id: int) -> list[User]:
    return list(
        User.objects.filter(
            agency_id=agency_id, is_active=True, roles__code=RoleCode.PRESS_LIAISON
        ).distinct()
    )


def _tell(people: Sequence[User], title: str, release: PressRelease) -> None:
    for person in people:
        core_services.notify(person, title, url=release.get_absolute_url(), mail=True)


@transaction.atomic
def submit_release(release: PressRelease, *, by) -> PressRelease:
    """送核: the draft goes to the agency's 新聞聯絡人."""
    release = _locked(release)
    _require(may_draft(by, release.agency), "只能送核本機關的新聞稿。")
    if release.status != ReleaseStatus.DRAFT:
        raise DomainError("not_draft", "只有草稿可以送核。")
    if release.publish_at is not None and release.publish_at < _now() - dt.timedelta(minutes=5):
        raise DomainError.invalid({"publish_at": ["發布時間已過，請修改發布時間或留空。"]})
    release.status, release.returned_reason = ReleaseStatus.SUBMITTED, ""
    with audit.action("transition:submit_release"):
        release.save()
    _tell(_press_officers(release.agency_id), f"新聞稿待核：{release.title}", release)
    return release


@transaction.atomic
def return_release(release: PressRelease, reason: str, *, by) -> PressRelease:
    """退回: the reviewer sends the release back to its drafters with a reason."""
    release = _locked(release)
    _require(may_approve(by, release), "您不能退回此新聞稿。")
    reason = (reason or "").strip()
    problem = REASON_RULE.problem(reason) if reason else "請說明退回理由。"
    if problem:
        raise DomainError.invalid({"reason": [problem]})
    release.status, release.returned_reason = ReleaseStatus.DRAFT, reason
    with audit.action("transition:return_release"):
        release.save()
    if release.drafted_by is not None:
        _tell([release.drafted_by], f"新聞稿退回：{release.title}", release)
    return release


@transaction.atomic
def approve_release(
    release: PressRelease, *, publish_at: dt.datetime | None = None, by
) -> PressRelease:
    """核定: the agency's 新聞聯絡人 approves; a release in the mayor's name of another agency
    then awaits the Secretariat's press office. Once approved it is public from its
    publishing time (given here, set when drafted, or now) and the media list is mailed
    then."""
    release = _locked(release)
    _require(may_approve(by, release), "只有該機關的新聞聯絡人（市長名義者另經秘書處）可以核定。")
    if publish_at is not None:
        release.publish_at = publish_at
    if release.publish_at is not None and release.publish_at < _now() - dt.timedelta(minutes=5):
        raise DomainError.invalid({"publish_at": ["發布時間已過，請修改發布時間或留空。"]})
    needs_secretariat = (
        release.status == ReleaseStatus.SUBMITTED
        and release.in_mayors_name
        and release.agency.code != SECRETARIAT_CODE
    )
    release.approved_by = by
    if needs_secretariat:
        release.status = ReleaseStatus.AWAITING_SECRETARIAT
        with audit.action("transition:approve_release"):
            release.save()
        secretariat = Agency.objects.get(code=SECRETARIAT_CODE)
        _tell(_press_officers(secretariat.pk), f"市長名義新聞稿待核：{release.title}", release)
        return release
    release.status = ReleaseStatus.APPROVED
    release.publish_at = release.publish_at or _now()
    with audit.action("transition:publish_release"):
        release.save()
    _schedule_mailing(release)
    return release


def _schedule_mailing(release: PressRelease) -> None:
    from secretariat.media.tasks import mail_release_task

    release_id, at = release.pk, release.publish_at

    def enqueue() -> None:
        if at > _now() and mail_release_task.get_backend().supports_defer:
            mail_release_task.using(run_after=at).enqueue(release_id)
        else:
            mail_release_task.enqueue(release_id)

    transaction.on_commit(enqueue)


# --- Publication -------------------------------------------------------------------------------


def media_list() -> list[str]:
    """The media list (媒體名單): approved journalists who receive releases by e-mail."""
    return list(
        Journalist.objects.filter(
            status=JournalistStatus.APPROVED, receives_releases=True, user__is_active=True
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
        .distinct()
    )


def release_mail(release: PressRelease, *, correction: ReleaseCorrection | None = None):
    """Subject and body of a release mailed to the media list."""
    agency = release.agency.name
    prefix = "【更正】" if correction is not None else ""
    subject = f"{prefix}{release.agency.short_name}新聞稿：{release.title}"
    lines = [release.title, f"{agency}　{roc.format_datetime(release.publish_at)}", ""]
    if correction is not None:
        lines += [f"更正說明：{correction.note}", ""]
    lines.append(release.body)
    if release.contact_name:
        contact = f"新聞聯絡人：{release.contact_name}"
        if release.contact_phone:
            contact += f"（{release.contact_phone}）"
        lines += ["", contact]
    lines += ["", f"全文及照片：{_site_url(release.public_url())}"]
    return subject, "\n".join(lines)


def _site_url(path: str) -> str:
    from django.conf import settings

    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _mail_media_list(release: PressRelease, correction: ReleaseCorrection | None = None) -> int:
    subject, body = release_mail(release, correction=correction)
    addresses = media_list()
    # One mail each: journalists of competing outlets do not see each other's addresses.
    for address in addresses:
        queue_mail(subject, body, [address], purpose="media:release")
    return len(addresses)


@transaction.atomic
def mail_release(release_id: int) -> int:
    """Mail a published release to the media list, once (``mailed_at``); a release not yet
    public (or never approved) sends nothing. Returns the number of mails."""
    release = (
        PressRelease.objects.select_for_update()
        .select_related("agency")
        .filter(pk=release_id)
        .first()
    )
    if release is None or release.mailed_at is not None or not release.is_published_at(_now()):
        return 0
    sent = _mail_media_list(release)
    release.mailed_at = _now()
    release.save(update_fields=["mailed_at"])
    return sent


def mail_due_releases() -> int:
    """The releases whose time has come and that were not mailed (a lost or late job)."""
    due = PressRelease.objects.published(_now()).filter(mailed_at__isnull=True)
    return sum(mail_release(pk) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def correct_release(
    release: PressRelease, *, title: str, body: str, note: str, by
) -> ReleaseCorrection:
    """更正 a published release: the earlier title and text are kept (shown as corrected on
    the news page and in the feed) and the media list is mailed the corrected release."""
    release = _locked(release)
    _require(may_correct(by, release), "只有該機關的新聞聯絡人可以更正新聞稿。")
    if not release.is_published_at(_now()):
        raise DomainError("not_published", "只有已發布的新聞稿需要更正；未發布者請退回修改。")
    values = _checked(
        {
            "title": title,
            "body": body,
            "contact_name": release.contact_name,
            "contact_phone": release.contact_phone,
        }
    )
    note = (note or "").strip()
    problem = NOTE_RULE.problem(note) if note else "請說明更正的內容。"
    if problem:
        raise DomainError.invalid({"note": [problem]})
    if values["title"] == release.title and values["body"] == release.body:
        raise DomainError.invalid({"body": ["更正後的標題與內容與原稿相同。"]})
    correction = ReleaseCorrection.objects.create(
        release=release,
        previous_title=release.title,
        previous_body=release.body,
        note=note,
        corrected_at=_now(),
        corrected_by=by,
    )
    release.title, release.body = values["title"], values["body"]
    release.corrected_at = correction.corrected_at
    with audit.action("media:correct_release"):
        release.save()
    _mail_media_list(release, correction)
    return correction
