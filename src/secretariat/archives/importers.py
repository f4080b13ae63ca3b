"""Importing archives (``secretariat import <type> FILE``; docs/import.md):

* ``archive-catalogue`` — a legacy catalogue at 件 level, one row per 件 under its full 檔號
  (年度號-分類號-案次號-卷次號-目次號); the 案卷 are made from the 檔號 and take their 件's
  highest 密等 and longest 保存年限;
* ``destruction-reviews`` — 銷毀目錄初審 received before (件/案/卷, shelf metres), with the
  decision and the destruction tracking.

Every file is checked whole first: nothing is written if any row is wrong."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.utils import timezone

from secretariat.archives import services
from secretariat.archives.models import (
    Access,
    DestructionReview,
    Disposal,
    Item,
    ReviewStatus,
    Secrecy,
)
from secretariat.core import importing
from secretariat.core.importing import Column, Importer, Plan, Problems, Row
from secretariat.core.registry import AgencyIndex

AGENCY = "機關"
FILE_CODE = "檔號"
FOLDER_TITLE = "案卷案名"
TITLE = "案名"
SUBJECT = "案由"
CORRESPONDENT = "來(受)文者"
DOC_NUMBER = "收發文字號"
PRODUCED = "文件產生日期"
RETENTION = "保存年限"
DISPOSAL = "屆期處置"
SECRECY = "密等"
ACCESS = "應用限制"
MEDIA = "媒體型式"
QUANTITY = "數量"
TOPICS = "主題項"
ABSTRACT = "案情摘要"
STORE, SHELF, LAYER, BOX = "庫房", "架", "層", "箱"
METRES = "排架長度"
CATALOGUED = "編目日期"
CODE_PATTERN = re.compile(r"^(\d{2,3})-([0-9A-Za-z.]{1,20})-(\d{1,6})-(\d{1,3})-(\d{1,6})$")
DISPOSALS = {choice.label: choice.value for choice in Disposal}
SECRECIES = {choice.label: str(choice.value) for choice in Secrecy}
ACCESSES = {choice.label: choice.value for choice in Access} | {"開放": Access.OPEN}


def _count(text: str, row: Row, column: str, problems: Problems, most: int) -> int:
    """A whole number 0 … ``most`` (blank: 0; a wrong one is reported and read as 0)."""
    return importing.parse_whole(text, row.number, column, problems, most=most, blank=0) or 0


def _metres(text: str, row: Row, column: str, problems: Problems) -> Decimal:
    folded = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    if not folded:
        return Decimal(0)
    try:
        value = Decimal(folded)
    except InvalidOperation:
        value = Decimal(-1)
    if not Decimal(0) <= value <= Decimal(999_999) or value.as_tuple().exponent < -3:
        problems.add(row.number, column, f"須為0至999,999公尺、至多3位小數：「{text}」。")
        return Decimal(0)
    return value


class CatalogueImporter(Importer):
    type = "archive-catalogue"
    label = "檔案目錄（舊系統）"
    columns = (
        Column(AGENCY, True, "機關全銜、簡稱或舊名。"),
        Column(
            FILE_CODE,
            True,
            "件的檔號：年度號-分類號-案次號-卷次號-目次號，例 106-0101-001-001-000001（自然鍵：機關＋檔號）。",
            60,
        ),
        Column(FOLDER_TITLE, False, "案卷的案名；空白時取該案卷第一件的案名。", 300),
        Column(TITLE, True, "件的案名（主旨）。", 300),
        Column(SUBJECT, False, "案由。", 500),
        Column(CORRESPONDENT, False, "來文者或受文者。", 200),
        Column(DOC_NUMBER, False, "收文或發文字號。", 60),
        Column(PRODUCED, True, "文件產生日期。"),
        Column(RETENTION, True, "永久或30、25、20、15、10、5、3、1年。"),
        Column(
            DISPOSAL,
            False,
            f"{'、'.join(DISPOSALS)}；空白：永久為機關永久保存，其餘為依規定程序銷毀。",
        ),
        Column(SECRECY, False, f"{'、'.join(SECRECIES)}；空白為普通。"),
        Column(ACCESS, False, f"{'、'.join(ACCESSES)}；空白為開放應用。"),
        Column(MEDIA, False, "例：紙本、電子；空白為紙本。", 40),
        Column(QUANTITY, False, "數量（頁或件）；空白為1。"),
        Column(TOPICS, False, "主題項。", 200),
        Column(ABSTRACT, False, "案情摘要（一段，不換行）。", 2000),
        Column(STORE, False, "", 40),
        Column(SHELF, False, "", 20),
        Column(LAYER, False, "", 20),
        Column(BOX, False, "", 20),
        Column(METRES, False, "案卷的排架長度（公尺，同一案卷填一次即可）。"),
        Column(CATALOGUED, False, "立案編目日期；空白為文件產生日期。"),
    )
    unique = (FILE_CODE,)

    @cached_property
    def agencies(self) -> AgencyIndex:
        return AgencyIndex.build()

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        read: list[tuple[Row, dict]] = []
        for row in rows:
            found = len(problems)
            produced = importing.parse_date(
                row[PRODUCED], row.number, PRODUCED, problems, not_after=today
            )
            catalogued = importing.parse_date(
                row[CATALOGUED], row.number, CATALOGUED, problems, not_after=today
            )
            agency = importing.parse_agency(
                self.agencies, row[AGENCY], row.number, AGENCY, problems, produced, record="檔案"
            )
            match = CODE_PATTERN.match(unicodedata.normalize("NFKC", row[FILE_CODE]))
            if row[FILE_CODE] and not match:
                problems.add(
                    row.number,
                    FILE_CODE,
                    f"檔號格式不正確：「{row[FILE_CODE]}」（年度號-分類號-案次號-卷次號-目次號）。",
                )
            retention = services.parse_retention(row[RETENTION])
            if row[RETENTION] and retention is None:
                problems.add(row.number, RETENTION, "須為永久或30、25、20、15、10、5、3、1年。")
            disposal = importing.parse_choice(
                row[DISPOSAL], row.number, DISPOSAL, problems, DISPOSALS
            )
            if retention is not None and disposal:
                allowed = (
                    services.PERMANENT_DISPOSALS if retention == 999 else services.TERM_DISPOSALS
                )
                if disposal not in allowed:
                    problems.add(row.number, DISPOSAL, f"與保存年限「{row[RETENTION]}」不相符。")
            secrecy = importing.parse_choice(row[SECRECY], row.number, SECRECY, problems, SECRECIES)
            access = importing.parse_choice(row[ACCESS], row.number, ACCESS, problems, ACCESSES)
            quantity = _count(row[QUANTITY], row, QUANTITY, problems, 1_000_000)
            metres = _metres(row[METRES], row, METRES, problems)
            if catalogued and produced and catalogued < produced:
                problems.add(row.number, CATALOGUED, "編目日期不可早於文件產生日期。")
            if len(problems) == found:
                read.append(
                    (
                        row,
                        {
                            "agency": agency,
                            "parts": match.groups(),
                            "code": "-".join(match.groups()),
                            "produced": produced,
                            "catalogued": catalogued or produced,
                            "retention": retention,
                            "disposal": disposal
                            or ("agency_permanent" if retention == 999 else "destroy"),
                            "secrecy": int(secrecy or 0),
                            "access": access or Access.OPEN,
                            "quantity": quantity or 1,
                            "metres": metres,
                        },
                    )
                )
            tick()
        plan = Plan()
        existing = {
            (agency_id, code): title
            for agency_id, code, title in Item.objects.filter(
                file_code__in={r["code"] for _, r in read}
            ).values_list("agency_id", "file_code", "title")
        }
        for row, record in read:
            before = existing.get((record["agency"].pk, record["code"]))
            if before is None:
                plan.new.append((row, record))
            elif before == row[TITLE]:
                plan.unchanged += 1
            else:
                problems.add(
                    row.number,
                    FILE_CODE,
                    f"檔號 {record['code']} 已匯入且案名不同；匯入不會修改既有目錄。",
                )
        return plan

    def write(self, plan: Plan, *, by) -> None:
        services.import_catalogue(
            [
                services.CatalogueRecord(
                    agency=record["agency"],
                    parts=record["parts"],
                    folder_title=row[FOLDER_TITLE] or row[TITLE],
                    location=(row[STORE], row[SHELF], row[LAYER], row[BOX]),
                    shelf_metres=record["metres"],
                    disposal=record["disposal"],
                    catalogued_on=record["catalogued"],
                    item={
                        "title": row[TITLE],
                        "subject": row[SUBJECT],
                        "correspondent": row[CORRESPONDENT],
                        "doc_number": row[DOC_NUMBER],
                        "produced_on": record["produced"],
                        "retention": record["retention"],
                        "secrecy": record["secrecy"],
                        "access": record["access"],
                        "media": row[MEDIA] or "紙本",
                        "quantity": record["quantity"],
                        "topics": row[TOPICS],
                        "abstract": row[ABSTRACT],
                    },
                )
                for row, record in plan.new
            ]
        )


# --- destruction-reviews --------------------------------------------------------------------------

RECEIVED = "收件日期"
REFERENCE = "來文字號"
ITEMS, CASES, VOLUMES = "件數", "案數", "卷數"
DECISION = "審查結果"
REVIEWED = "審畢日期"
REMARKS = "審查意見"
APPROVAL = "核准文號"
APPROVED = "核准日期"
DESTROYED = "銷毀日期"
DECISIONS = {"轉陳": ReviewStatus.FORWARDED, "退回": ReviewStatus.RETURNED}


class ReviewImporter(Importer):
    type = "destruction-reviews"
    label = "銷毀目錄初審與銷毀追蹤"
    columns = (
        Column(AGENCY, True, "送審機關。"),
        Column(REFERENCE, True, "來文字號（自然鍵：機關＋來文字號）。", 60),
        Column(RECEIVED, True, "收件日期。"),
        Column(ITEMS, True, "目錄所列件數。"),
        Column(CASES, True, "案數。"),
        Column(VOLUMES, True, "卷數。"),
        Column(METRES, False, "實體檔案長度（公尺）。"),
        Column(DECISION, False, "轉陳或退回；空白為尚未審畢。"),
        Column(REVIEWED, False, "審畢日期（有審查結果時必填）。"),
        Column(REMARKS, False, "退回時的審查意見。", 500),
        Column(APPROVAL, False, "檔案管理局核准文號。", 60),
        Column(APPROVED, False, "核准日期。"),
        Column(DESTROYED, False, "實際銷毀日期。"),
    )

    @cached_property
    def agencies(self) -> AgencyIndex:
        return AgencyIndex.build()

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        seen: dict[tuple[int, str], int] = {}
        read = []
        for row in rows:
            found = len(problems)

            def day(column: str, row: Row = row) -> dt.date | None:
                return importing.parse_date(
                    row[column], row.number, column, problems, not_after=today
                )

            received, reviewed, approved, destroyed = (
                day(RECEIVED),
                day(REVIEWED),
                day(APPROVED),
                day(DESTROYED),
            )
            agency = importing.parse_agency(
                self.agencies, row[AGENCY], row.number, AGENCY, problems, received, record="目錄"
            )
            items = _count(row[ITEMS], row, ITEMS, problems, 100_000_000)
            cases = _count(row[CASES], row, CASES, problems, 100_000_000)
            volumes = _count(row[VOLUMES], row, VOLUMES, problems, 10_000_000)
            metres = _metres(row[METRES], row, METRES, problems)
            decision = importing.parse_choice(
                row[DECISION], row.number, DECISION, problems, DECISIONS
            )
            if decision and reviewed is None and not row[REVIEWED]:
                problems.add(row.number, REVIEWED, "有審查結果時須填寫審畢日期。")
            if decision == ReviewStatus.RETURNED and not row[REMARKS]:
                problems.add(row.number, REMARKS, "退回須填寫審查意見。")
            if (approved or destroyed) and decision != ReviewStatus.FORWARDED:
                problems.add(row.number, DECISION, "有核准或銷毀日期的目錄，審查結果須為轉陳。")
            if approved and not row[APPROVAL]:
                problems.add(row.number, APPROVAL, "有核准日期時須填寫核准文號。")
            if destroyed and not approved:
                problems.add(row.number, APPROVED, "有銷毀日期時須填寫核准日期。")
            for earlier, later, column, what in (
                (received, reviewed, REVIEWED, "收件日期"),
                (reviewed, approved, APPROVED, "審畢日期"),
                (approved, destroyed, DESTROYED, "核准日期"),
            ):
                if earlier and later and later < earlier:
                    problems.add(row.number, column, f"不可早於{what}。")
            if agency is not None:
                key = (agency.pk, row[REFERENCE])
                if key in seen:
                    problems.add(
                        row.number, REFERENCE, f"與第{seen[key]}列是同一機關、同一來文字號。"
                    )
                seen.setdefault(key, row.number)
            if len(problems) == found:
                review = DestructionReview(
                    agency=agency,
                    reference=row[REFERENCE],
                    received_on=received,
                    items=items,
                    cases=cases,
                    volumes=volumes,
                    shelf_metres=metres,
                    status=decision or ReviewStatus.RECEIVED,
                    reviewed_on=reviewed,
                    remarks=row[REMARKS],
                    approval_number=row[APPROVAL],
                    approved_on=approved,
                    destroy_due=services.add_months(approved, services.DESTROY_WITHIN_MONTHS)
                    if approved
                    else None,
                    destroyed_on=destroyed,
                )
                read.append((row, review))
            tick()
        plan = Plan()
        existing = {
            (r.agency_id, r.reference): r
            for r in DestructionReview.objects.filter(reference__in={r.reference for _, r in read})
        }
        for row, review in read:
            before = existing.get((review.agency_id, review.reference))
            if before is None:
                plan.new.append(review)
            elif (before.items, before.cases, before.volumes) == (
                review.items,
                review.cases,
                review.volumes,
            ):
                plan.unchanged += 1
            else:
                problems.add(
                    row.number, REFERENCE, "此目錄已匯入且件、案、卷數不同；匯入不會修改既有資料。"
                )
        return plan

    def write(self, plan: Plan, *, by) -> None:
        services.import_reviews(plan.new)


IMPORTERS = (CatalogueImporter, ReviewImporter)
