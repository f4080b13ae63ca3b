"""檔案數位化、檔案應用、考評 writes. Each is one function: permission → validate → change →
audit (the records are :class:`~secretariat.core.audit.Audited`, inside ``audit.action``) →
notification, in one transaction.

The decision on a 檔案應用申請 is due 30 days after it is received (檔案法 §19, calendar days;
a last day that is not a working day moves to the next working day, 行政程序法 §48 IV). It may
be extended once, by at most the original period, with a reason (行政程序法 §51 IV). A record
that is 不開放 or classified (密等) cannot be given; refusing any record needs one of the
grounds of 檔案法 §18.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from secretariat.archives import permissions
from secretariat.archives.models import (
    Access,
    ApplicationStatus,
    DigitizationBatch,
    DigitizationProject,
    FeeRate,
    FilingStatus,
    FollowUp,
    Inspection,
    InspectionKind,
    InspectionScore,
    Item,
    Manner,
    Quality,
    RecordStatus,
    RefusalGround,
    RequestDecision,
    Secrecy,
    UseApplication,
    UseRequest,
)
from secretariat.core import audit, roc, throttle, workdays
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.mail import queue_mail
from secretariat.core.text import text_problem

DECISION_DAYS = 30  # 檔案法 §19
EXTENSION_DAYS_MAX = DECISION_DAYS  # 行政程序法 §51 IV: within the original period, once
TARGET_MAX = 50_000_000  # 件 an agency could ever hold
BATCH_ITEMS_MAX = 1_000_000
BATCH_PAGES_MAX = 50_000_000
REQUESTS_MAX = 50  # records in one application
COPIES_MAX = 5_000  # sheets copied per record
# Applications sent without signing in, per address (the public page is open to everyone).
PUBLIC_LIMIT = throttle.Limit(events=10, seconds=3600)
THROTTLE_SCOPE = "archives_use"
UNIT_PRICE_MAX = 1_000
SCORE_ITEMS_MAX = 30
FULL_MARKS_MAX = 100
FOLLOW_UPS_MAX = 30
# Fees applied when the Secretariat has set none (閱覽、抄錄 free; 複製 A4 NT$2 a sheet).
DEFAULT_UNIT_PRICES = {Manner.READ: 0, Manner.TRANSCRIBE: 0, Manner.COPY: 2}


def today() -> dt.date:
    return timezone.localdate()


def _text(errors: dict, field: str, value: str, label: str, limit: int, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append(f"請填寫{label}。")
    elif problem := text_problem(value, label, max_length=limit):
        errors.setdefault(field, []).append(problem)
    return value


def _bounded(errors: dict, field: str, value, label: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors.setdefault(field, []).append(f"{label}須為 {low:,} 至 {high:,} 之整數。")
        return low
    return value


def _require_archivist(user, agency_id: int) -> None:
    if not permissions.is_archivist(user, agency_id):
        raise PermissionDenied("只有該機關的檔案管理人員可以辦理。")


def _require_reviewer(user) -> None:
    if not permissions.is_reviewer(user):
        raise PermissionDenied("只有秘書處檔案管理人員可以辦理。")


# --- 檔案數位化 ----------------------------------------------------------------------------------


def start_project(agency, *, by, year: int, title: str, target_items: int) -> DigitizationProject:
    """A digitization plan for the agency's permanent paper files (應數位化件數)."""
    _require_archivist(by, agency.pk)
    errors: dict = {}
    title = _text(errors, "title", title, "專案名稱", 200)
    year = _bounded(errors, "year", year, "年度", 90, roc.roc_year(today()) + 1)
    target_items = _bounded(errors, "target_items", target_items, "應數位化件數", 1, TARGET_MAX)
    if DigitizationProject.objects.filter(agency=agency, year=year, title=title).exists():
        errors.setdefault("title", []).append("本年度已有同名的數位化專案。")
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:start_digitization"):
        return DigitizationProject.objects.create(
            agency=agency, year=year, title=title, target_items=target_items, created_by=by
        )


def record_batch(
    project: DigitizationProject, *, by, scanned_on: dt.date, items: int, pages: int, note=""
) -> DigitizationBatch:
    """掃描批次: 件 and 影像頁數 scanned; waits for its quality check."""
    _require_archivist(by, project.agency_id)
    errors: dict = {}
    items = _bounded(errors, "items", items, "件數", 1, BATCH_ITEMS_MAX)
    pages = _bounded(errors, "pages", pages, "影像頁數", 1, BATCH_PAGES_MAX)
    if pages < items:
        errors.setdefault("pages", []).append("影像頁數不可少於件數（每件至少一頁）。")
    if scanned_on is None or scanned_on > today():
        errors.setdefault("scanned_on", []).append("掃描日期不可晚於今天。")
    note = _text(errors, "note", note, "說明", 300, required=False)
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:record_batch"):
        return DigitizationBatch.objects.create(
            project=project,
            agency_id=project.agency_id,
            scanned_on=scanned_on,
            items=items,
            pages=pages,
            note=note,
            recorded_by=by,
        )


def check_batch(batch: DigitizationBatch, *, by, passed: bool, note: str = "") -> DigitizationBatch:
    """品質檢查: 合格 counts towards completion; 重製 needs the reason and is scanned again
    (recorded as a new batch). A batch is checked by someone other than who recorded it."""
    _require_archivist(by, batch.agency_id)
    if batch.quality != Quality.PENDING:
        raise DomainError("wrong_state", "此批次已完成品質檢查。")
    if batch.recorded_by_id == by.pk:
        raise DomainError("four_eyes", "品質檢查須由登錄批次以外的人員辦理。")
    errors: dict = {}
    note = _text(errors, "note", note, "說明", 300, required=not passed)
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:check_batch"):
        batch.quality = Quality.PASSED if passed else Quality.REDO
        batch.checked_on = today()
        batch.checked_by = by
        if note:
            batch.note = note
        batch.save(update_fields=["quality", "checked_on", "checked_by", "note"])
    return batch


# --- 檔案應用 ------------------------------------------------------------------------------------


def decision_due(received_on: dt.date, days: int = DECISION_DAYS) -> dt.date:
    """The last day to decide: ``days`` calendar days after receipt (the day of receipt not
    counted), moved to the next working day when it is not one."""
    last = received_on + dt.timedelta(days=days)
    return last if workdays.is_working_day(last) else workdays.next_working_day(last)


def unit_price(manner: str) -> int:
    rate = FeeRate.objects.filter(manner=manner).values_list("unit_price", flat=True).first()
    return DEFAULT_UNIT_PRICES[Manner(manner)] if rate is None else rate


def set_fee_rate(manner: str, *, by, unit_price: int, unit: str = "張") -> FeeRate:
    """收費標準 (the Secretariat's, for every agency)."""
    _require_reviewer(by)
    errors: dict = {}
    if manner not in Manner.values:
        errors["manner"] = ["請選擇應用方式。"]
    unit_price = _bounded(errors, "unit_price", unit_price, "單價", 0, UNIT_PRICE_MAX)
    unit = _text(errors, "unit", unit, "計費單位", 10)
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:fee_rate"):
        rate, _ = FeeRate.objects.update_or_create(
            manner=manner, defaults={"unit_price": unit_price, "unit": unit}
        )
    return rate


@dataclass(frozen=True)
class Wanted:
    """One record asked for: its 檔號 and how it is to be used."""

    file_code: str
    manner: str
    copies: int = 0


def _next_number(year: int) -> str:
    prefix = f"U{year}-"
    last = (
        UseApplication.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:06d}"


def _find_items(agency, wanted: list[Wanted], errors: dict, *, staff: bool) -> list[Item]:
    """The catalogued 件 of the agency by 檔號. A citizen finds only what the public catalogue
    lists (classified records are not listed)."""
    codes = [w.file_code.strip() for w in wanted]
    found = Item.objects.filter(
        agency=agency, file_code__in=codes, filing=FilingStatus.FILED
    ).exclude(status=RecordStatus.DESTROYED)
    if not staff:
        found = found.filter(secrecy=Secrecy.NONE)
    by_code = {item.file_code: item for item in found}
    items = []
    for row, (code, want) in enumerate(zip(codes, wanted, strict=True), start=1):
        problems = []
        if code not in by_code:
            problems.append(f"第{row}項：{agency.short_name}查無檔號「{code[:60]}」。")
        if want.manner not in Manner.values:
            problems.append(f"第{row}項：請選擇應用方式（閱覽、抄錄或複製）。")
        copies_ok = isinstance(want.copies, int) and 0 <= want.copies <= COPIES_MAX
        if not copies_ok:
            problems.append(f"第{row}項：複製張數須為 0 至 {COPIES_MAX:,}。")
        elif want.manner == Manner.COPY and want.copies < 1:
            problems.append(f"第{row}項：複製須填寫張數。")
        if problems:
            errors.setdefault("requests", []).extend(problems)
        else:
            items.append(by_code[code])
    if len(set(codes)) != len(codes):
        errors.setdefault("requests", []).append("同一檔號請勿重複申請。")
    return items


def apply_for_use(
    agency,
    *,
    by=None,
    name: str,
    purpose: str,
    wanted: list[Wanted],
    email: str = "",
    phone: str = "",
    on: dt.date | None = None,
    client_ip: str = "",
) -> UseApplication:
    """檔案應用申請 by a citizen (``by`` None or anonymous: the public page, limited per
    address) or a signed-in person."""
    staff = by is not None and permissions.signed_in(by)
    if not staff and throttle.exceeded(THROTTLE_SCOPE, client_ip, PUBLIC_LIMIT):
        raise throttle.RateLimited(
            f"此網路位址申請次數過多，請於 {PUBLIC_LIMIT.minutes} 分鐘後再試。"
        )
    errors: dict = {}
    name = _text(errors, "name", name, "申請人姓名", 60)
    purpose = _text(errors, "purpose", purpose, "申請目的", 500)
    email = _text(errors, "email", email, "電子郵件", 200, required=not staff)
    phone = _text(errors, "phone", phone, "電話", 30, required=False)
    if email and ("@" not in email or " " in email):
        errors.setdefault("email", []).append("電子郵件格式不正確。")
    if not wanted:
        errors["requests"] = ["請至少填寫一個檔號。"]
    elif len(wanted) > REQUESTS_MAX:
        errors["requests"] = [f"一次申請至多 {REQUESTS_MAX} 個檔號。"]
    items = (
        _find_items(agency, wanted, errors, staff=staff)
        if wanted and not errors.get("requests")
        else []
    )
    if errors:
        raise DomainError.invalid(errors)
    received_on = on or today()
    if not staff:
        throttle.hit(THROTTLE_SCOPE, client_ip)
    with transaction.atomic(), audit.action("archives:apply_for_use"):
        application = UseApplication.objects.create(
            number=_next_number(roc.roc_year(received_on)),
            agency=agency,
            applicant_name=name,
            applicant_email=email,
            applicant_phone=phone,
            purpose=purpose,
            applicant=by if staff else None,
            received_on=received_on,
            decision_due=decision_due(received_on),
        )
        for item, want in zip(items, wanted, strict=True):
            UseRequest.objects.create(
                application=application,
                item=item,
                manner=want.manner,
                copies=want.copies if want.manner == Manner.COPY else 0,
            )
    return application


def extend_decision(application: UseApplication, *, by, days: int, reason: str) -> UseApplication:
    """延長准駁期限: once, by at most the original period, with the reason, before it lapses."""
    _require_archivist(by, application.agency_id)
    if application.status != ApplicationStatus.RECEIVED:
        raise DomainError("wrong_state", "此申請已准駁。")
    if application.extended_due:
        raise DomainError("extended_once", "准駁期限以延長一次為限。")
    if today() > application.decision_due:
        raise DomainError("lapsed", "准駁期限已屆滿，不可再延長。")
    errors: dict = {}
    days = _bounded(errors, "days", days, "延長日數", 1, EXTENSION_DAYS_MAX)
    reason = _text(errors, "reason", reason, "延長理由", 300)
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:extend_use_decision"):
        last = application.decision_due + dt.timedelta(days=days)
        application.extended_due = (
            last if workdays.is_working_day(last) else (workdays.next_working_day(last))
        )
        application.extension_reason = reason
        application.save(update_fields=["extended_due", "extension_reason"])
    return application


@dataclass(frozen=True)
class Decision:
    """The decision on one 申請項目: approved (in part, with what is withheld) or refused on
    a ground of 檔案法 §18."""

    request_id: int
    decision: str
    ground: str = ""
    note: str = ""


def _check_decision(request: UseRequest, decision: Decision, row: int) -> list[str]:
    item = request.item
    code = item.file_code
    if decision.decision not in (
        RequestDecision.APPROVED,
        RequestDecision.PARTLY,
        RequestDecision.REFUSED,
    ):
        return [f"第{row}項（{code}）：請選擇准予應用、部分提供或駁回。"]
    problems = []
    if problem := text_problem(decision.note, "准駁說明", max_length=300):
        problems.append(f"第{row}項（{code}）：{problem}")
    if decision.decision == RequestDecision.REFUSED:
        if decision.ground not in RefusalGround.values:
            problems.append(f"第{row}項（{code}）：駁回須敘明檔案法第18條之理由。")
        return problems
    if item.access == Access.CLOSED or item.secrecy != Secrecy.NONE:
        why = "列為不開放" if item.access == Access.CLOSED else "屬國家機密"
        problems.append(f"第{row}項（{code}）：此檔案{why}，應駁回並敘明法定理由。")
    elif item.access == Access.RESTRICTED and decision.decision != RequestDecision.PARTLY:
        problems.append(
            f"第{row}項（{code}）：此檔案為限制開放，僅能就限制應用以外之部分提供（部分提供）。"
        )
    if decision.decision == RequestDecision.PARTLY and not decision.note.strip():
        problems.append(f"第{row}項（{code}）：部分提供須說明不提供之部分及理由。")
    return problems


def decide_use(application: UseApplication, *, by, decisions: list[Decision]) -> UseApplication:
    """准駁: every 申請項目 decided at once; the fee from the 收費標準 for what is given."""
    _require_archivist(by, application.agency_id)
    if application.status != ApplicationStatus.RECEIVED:
        raise DomainError("wrong_state", "此申請已准駁。")
    requests = {r.pk: r for r in application.requests.select_related("item")}
    given = {d.request_id: d for d in decisions}
    if set(given) != set(requests):
        raise DomainError.invalid({"decisions": ["請就每一申請項目作成准駁。"]})
    problems = []
    for row, pk in enumerate(sorted(requests), start=1):
        problems += _check_decision(requests[pk], given[pk], row)
    if problems:
        raise DomainError.invalid({"decisions": problems})
    with transaction.atomic(), audit.action("archives:decide_use"):
        total = 0
        for pk, request in requests.items():
            decision = given[pk]
            request.decision = decision.decision
            request.ground = decision.ground if decision.decision == RequestDecision.REFUSED else ""
            request.note = decision.note.strip()
            request.fee = 0
            if decision.decision != RequestDecision.REFUSED:
                units = request.copies if request.manner == Manner.COPY else 1
                request.fee = units * unit_price(request.manner)
            total += request.fee
            request.save(update_fields=["decision", "ground", "note", "fee"])
        application.status = ApplicationStatus.DECIDED
        application.decided_on = today()
        application.decided_by = by
        application.fee = total
        application.save(update_fields=["status", "decided_on", "decided_by", "fee"])
        if application.applicant_email:
            _notify_decision(application, list(requests.values()))
    return application


def _notify_decision(application: UseApplication, requests: list[UseRequest]) -> None:
    """准駁通知 (檔案法 §19: in writing), by mail to the address the applicant gave."""
    lines = []
    for request in requests:
        line = (
            f"{request.item.file_code}（{request.get_manner_display()}）："
            f"{request.get_decision_display()}"
        )
        if request.ground:
            line += f"，理由：{request.get_ground_display()}"
        if request.note:
            line += f"（{request.note}）"
        lines.append(line)
    body = (
        f"{application.applicant_name} 您好：\n\n"
        f"您於{roc.format_date(application.received_on, 'long')}向{application.agency.name}"
        f"申請應用檔案（申請編號 {application.number}），准駁結果如下：\n\n"
        + "\n".join(lines)
        + f"\n\n應繳費用：{application.fee:,} 元。\n"
        "駁回部分如有不服，得依法提起訴願。\n"
    )
    queue_mail(
        f"檔案應用申請准駁通知（{application.number}）",
        body,
        [application.applicant_email],
        purpose="archives:use_decision",
    )


# --- 考評 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    item: str
    full_marks: int
    points: Decimal


def _check_scores(scores: list[Score], errors: dict) -> None:
    if not scores:
        errors["scores"] = ["請至少填寫一個評分項目。"]
        return
    if len(scores) > SCORE_ITEMS_MAX:
        errors["scores"] = [f"評分項目至多 {SCORE_ITEMS_MAX} 項。"]
        return
    seen = set()
    for row, score in enumerate(scores, start=1):
        label = f"第{row}項"
        if not score.item.strip():
            errors.setdefault("scores", []).append(f"{label}：請填寫評分項目。")
        elif problem := text_problem(score.item, "評分項目", max_length=100):
            errors.setdefault("scores", []).append(f"{label}：{problem}")
        if score.item in seen:
            errors.setdefault("scores", []).append(f"{label}：評分項目「{score.item}」重複。")
        seen.add(score.item)
        if not isinstance(score.full_marks, int) or not 1 <= score.full_marks <= FULL_MARKS_MAX:
            errors.setdefault("scores", []).append(f"{label}：配分須為 1 至 {FULL_MARKS_MAX}。")
        elif not 0 <= score.points <= score.full_marks:
            errors.setdefault("scores", []).append(f"{label}：得分須介於 0 與配分之間。")
        elif score.points != score.points.quantize(Decimal("0.1")):
            errors.setdefault("scores", []).append(f"{label}：得分至多一位小數。")
    if not errors.get("scores") and sum(s.full_marks for s in scores) > FULL_MARKS_MAX:
        errors["scores"] = [f"配分合計不可超過 {FULL_MARKS_MAX} 分。"]


def record_inspection(
    agency,
    *,
    by,
    kind: str,
    inspected_on: dt.date,
    inspectors: str,
    scores: list[Score],
    follow_ups: list[tuple[str, dt.date]],
    imported: bool = False,
) -> Inspection:
    """考評 (the Secretariat's archivists): scores per item and the follow-up items."""
    _require_reviewer(by)
    errors: dict = {}
    if kind not in InspectionKind.values:
        errors["kind"] = ["請選擇考評類別。"]
    if inspected_on is None or inspected_on > today():
        errors["inspected_on"] = ["考評日期不可晚於今天。"]
    inspectors = _text(errors, "inspectors", inspectors, "考評委員", 200, required=False)
    _check_scores(scores, errors)
    if len(follow_ups) > FOLLOW_UPS_MAX:
        errors["follow_ups"] = [f"改善事項至多 {FOLLOW_UPS_MAX} 項。"]
    for row, (text, due) in enumerate(follow_ups[:FOLLOW_UPS_MAX], start=1):
        if problem := text_problem(text, "改善事項", max_length=300):
            errors.setdefault("follow_ups", []).append(f"第{row}項：{problem}")
        elif not text.strip():
            errors.setdefault("follow_ups", []).append(f"第{row}項：請填寫改善事項。")
        if inspected_on and (due is None or due <= inspected_on):
            errors.setdefault("follow_ups", []).append(f"第{row}項：改善期限須晚於考評日期。")
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:record_inspection"):
        inspection = Inspection.objects.create(
            agency=agency,
            year=roc.roc_year(inspected_on),
            kind=kind,
            inspected_on=inspected_on,
            inspectors=inspectors,
            imported=imported,
            recorded_by=by,
        )
        for score in scores:
            InspectionScore.objects.create(
                inspection=inspection,
                item=score.item.strip(),
                full_marks=score.full_marks,
                points=score.points,
            )
        for text, due in follow_ups:
            FollowUp.objects.create(inspection=inspection, text=text.strip(), due_on=due)
    return inspection


def complete_follow_up(follow_up: FollowUp, *, by, note: str) -> FollowUp:
    """改善事項辦理完成 (the inspected agency's archivist reports what was done)."""
    _require_archivist(by, follow_up.inspection.agency_id)
    if follow_up.done_on:
        raise DomainError("wrong_state", "此改善事項已辦理完成。")
    errors: dict = {}
    note = _text(errors, "note", note, "辦理情形", 300)
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:complete_follow_up"):
        follow_up.done_on = today()
        follow_up.done_note = note
        follow_up.done_by = by
        follow_up.save(update_fields=["done_on", "done_note", "done_by"])
    return follow_up


def import_digitization(batches: list[tuple[DigitizationProject, DigitizationBatch]]) -> int:
    """Write imported digitization figures (``use_importers.DigitizationImporter``), checked
    whole: the projects not yet saved, then the passed batches. Returns the batches written."""
    projects = list({id(p): p for p, _ in batches if p.pk is None}.values())
    with transaction.atomic(), audit.action("archives:import_digitization"):
        created = DigitizationProject.objects.bulk_create(projects)
        audit.record_created(created, agency_of=lambda project: project.agency_id)
        for project, batch in batches:
            batch.project_id = project.pk
        written = DigitizationBatch.objects.bulk_create([batch for _, batch in batches])
        audit.record_created(written, agency_of=lambda batch: batch.agency_id)
    return len(written)
