"""Catalogue writes: the classification scheme and its versions, the filing rule, 歸檔 (the
officer proposes, the archivist checks and places the 件 in a 案卷) and the 案卷's derived
fields (highest 密等, longest 保存年限, dates, expiry)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from secretariat.archives import permissions
from secretariat.archives.models import (
    Disposal,
    Entry,
    FilingRule,
    FilingStatus,
    Folder,
    Item,
    Level,
    RecordStatus,
    Retention,
    Scheme,
    Secrecy,
)
from secretariat.core import audit, roc, workdays
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.text import check_text

CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.]{0,19}$")
FILING_DAYS_MAX = 30
DEFAULT_FILING_DAYS = 5
# Which dispositions go with which retention (保存年限區分表): a permanent file is kept (by the
# nation or the agency); a file with a term is appraised or destroyed when it ends.
PERMANENT_DISPOSALS = frozenset({Disposal.NATIONAL, Disposal.AGENCY_PERMANENT})
TERM_DISPOSALS = frozenset({Disposal.APPRAISE, Disposal.DESTROY})
# The documents module's 密等 codes, ranked as the archives rank them.
DOCUMENT_SECRECY = {
    "none": Secrecy.NONE,
    "secret": Secrecy.SECRET,
    "confidential": Secrecy.CONFIDENTIAL,
    "top_secret": Secrecy.TOP_SECRET,
    "absolute": Secrecy.ABSOLUTE,
}


def today() -> dt.date:
    return timezone.localdate()


def _require_archivist(user, agency_id: int) -> None:
    if not permissions.is_archivist(user, agency_id):
        raise PermissionDenied("只有該機關的檔案管理人員可以執行此操作。")


# --- Retention arithmetic -----------------------------------------------------------------------


def expiry_date(last_document: dt.date | None, retention: int) -> dt.date | None:
    """保存期限屆滿日: the retention counts whole years from 1 January after the 案卷's last
    document (次年起算), so it ends on 31 December of that year plus the retention; None for
    永久 or a 案卷 without dates."""
    if retention == Retention.PERMANENT or last_document is None:
        return None
    return dt.date(last_document.year + retention, 12, 31)


def retention_label(retention: int) -> str:
    return Retention(retention).label


def parse_retention(text: str) -> int | None:
    """「永久」, 「10年」 or 「10」 → the stored value; None when it is not one of the table's."""
    text = (text or "").strip()
    if text == "永久":
        return Retention.PERMANENT
    match = re.fullmatch(r"([0-9]{1,2})\s*年?", text)
    if match and int(match.group(1)) in Retention.values and int(match.group(1)) != 999:
        return int(match.group(1))
    return None


# --- The classification scheme ------------------------------------------------------------------


def current_scheme(agency_id: int) -> Scheme | None:
    """The version in force: the newest published one."""
    return Scheme.objects.filter(agency_id=agency_id, published=True).order_by("-version").first()


def draft_scheme(agency, *, by, note: str = "") -> Scheme:
    """A new version to edit (修訂), starting from the version in force; the open draft when
    there is one. Files keep the version they were filed under."""
    _require_archivist(by, agency.pk)
    note = check_text(note, "修訂說明", field="note", max_length=300)
    with transaction.atomic(), audit.action("archives:draft_scheme"):
        draft = Scheme.objects.filter(agency=agency, published=False).first()
        if draft is not None:
            return draft
        last = Scheme.objects.filter(agency=agency).aggregate(v=Max("version"))["v"] or 0
        draft = Scheme.objects.create(agency=agency, version=last + 1, note=note, created_by=by)
        source = current_scheme(agency.pk)
        if source is not None:
            copies: dict[int, Entry] = {}
            for entry in source.entries.order_by("level", "code"):
                copies[entry.pk] = Entry.objects.create(
                    scheme=draft,
                    code=entry.code,
                    name=entry.name,
                    level=entry.level,
                    parent=copies.get(entry.parent_id),
                    retention=entry.retention,
                    disposal=entry.disposal,
                    description=entry.description,
                )
    return draft


def save_entry(
    scheme: Scheme,
    *,
    by,
    code: str,
    name: str,
    level: int,
    parent_code: str = "",
    retention: int | None = None,
    disposal: str = "",
    description: str = "",
) -> Entry:
    """Add or change one row of a draft version: 分類號, 類目名稱, 階層 under its parent, and
    (for a row files go under) 保存年限 with its 屆期處置."""
    _require_archivist(by, scheme.agency_id)
    if scheme.published:
        raise DomainError("scheme_published", "已公告的分類表版本不可修改，請先建立新版本。")
    errors: dict[str, list[str]] = {}
    code = check_text(code or "", "分類號", field="code", max_length=20).strip()
    name = check_text(name or "", "類目名稱", field="name", max_length=100).strip()
    description = check_text(description or "", "說明", field="description", max_length=300)
    if not CODE_PATTERN.match(code):
        errors["code"] = ["分類號須為1至20個英數字（可含「.」）。"]
    if not name:
        errors["name"] = ["請填寫類目名稱。"]
    if level not in Level.values:
        errors["level"] = ["階層須為類、綱、目或節。"]
    parent = None
    if level and level > Level.CLASS:
        parent = scheme.entries.filter(code=parent_code).first() if parent_code else None
        if parent is None or parent.level != level - 1:
            errors["parent_code"] = [f"{Level(level).label}須屬於一個上一階層的類目。"]
    elif parent_code:
        errors["parent_code"] = ["「類」沒有上層類目。"]
    if retention is not None and retention not in Retention.values:
        errors["retention"] = ["保存年限須為永久或30、25、20、15、10、5、3、1年。"]
    elif retention is not None:
        allowed = PERMANENT_DISPOSALS if retention == Retention.PERMANENT else TERM_DISPOSALS
        if disposal not in allowed:
            labels = "、".join(Disposal(d).label for d in sorted(allowed))
            errors["disposal"] = [f"{retention_label(retention)}的屆期處置須為{labels}。"]
    elif disposal:
        errors["disposal"] = ["沒有保存年限的類目不可指定屆期處置。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:save_entry"):
        entry, _ = Entry.objects.update_or_create(
            scheme=scheme,
            code=code,
            defaults={
                "name": name,
                "level": level,
                "parent": parent,
                "retention": retention,
                "disposal": disposal if retention is not None else "",
                "description": description,
            },
        )
    return entry


def publish_scheme(scheme: Scheme, *, by, effective_on: dt.date | None = None) -> Scheme:
    """公告: the draft becomes the version in force for files filed from now on."""
    _require_archivist(by, scheme.agency_id)
    if scheme.published:
        raise DomainError("scheme_published", "此版本已公告。")
    if not scheme.entries.filter(retention__isnull=False).exists():
        raise DomainError("scheme_empty", "分類表至少須有一個訂有保存年限的類目，才能公告。")
    with transaction.atomic(), audit.action("archives:publish_scheme"):
        scheme.published = True
        scheme.effective_on = effective_on or today()
        scheme.save()
    return scheme


def set_filing_rule(agency, working_days: int, *, by) -> FilingRule:
    """歸檔期限: closed documents are filed within this many working days."""
    _require_archivist(by, agency.pk)
    if not 1 <= working_days <= FILING_DAYS_MAX:
        raise DomainError.invalid({"working_days": [f"歸檔期限須為1至{FILING_DAYS_MAX}個工作天。"]})
    with transaction.atomic(), audit.action("archives:filing_rule"):
        rule, _ = FilingRule.objects.update_or_create(
            agency=agency, defaults={"working_days": working_days}
        )
    return rule


def filing_days(agency_id: int) -> int:
    rule = FilingRule.objects.filter(agency_id=agency_id).first()
    return rule.working_days if rule else DEFAULT_FILING_DAYS


# --- 歸檔 ----------------------------------------------------------------------------------------


def _filable_entry(agency_id: int, code: str) -> Entry | None:
    scheme = current_scheme(agency_id)
    if scheme is None or not code:
        return None
    return scheme.entries.filter(code=code, retention__isnull=False).first()


def receive_filed_document(document) -> Item:
    """A 公文 closed with 歸檔 (the ``document_filed`` signal) waits for the archivist's check
    as a proposed 件: the officer's 分類號 (the document's 檔號 field, when it names a row of
    the version in force) and 保存年限; until checked a 件 without either is kept as 永久, so
    nothing can expire by default."""
    existing = Item.objects.filter(document=document).first()
    if existing is not None:
        return existing
    entry = _filable_entry(document.agency_id, (document.file_code or "").strip())
    retention = (
        entry.retention
        if entry is not None
        else parse_retention(document.retention) or Retention.PERMANENT
    )
    secrecy = DOCUMENT_SECRECY.get(document.secrecy, Secrecy.NONE)
    closed_on = document.closed_on or document.filed_on or today()
    title = document.subject or f"（密不錄由）{document.number}"
    with transaction.atomic(), audit.action("archives:receive_filed"):
        return Item.objects.create(
            agency_id=document.agency_id,
            document=document,
            entry=entry,
            title=title[:300],
            retention=retention,
            secrecy=secrecy,
            correspondent=(document.sender_name or "")[:200],
            doc_number=document.number,
            produced_on=document.sender_date or document.received_on,
            closed_on=closed_on,
            filing_due=workdays.add_working_days(closed_on, filing_days(document.agency_id)),
            filed_on=document.filed_on or today(),
            filing=FilingStatus.PROPOSED,
            proposed_by=document.officer,
            media="電子",
        )


def propose_filing(item: Item, *, by, entry_code: str) -> Item:
    """The officer (or the archivist) proposes the 分類號; the 保存年限 follows the row."""
    if item.filing != FilingStatus.PROPOSED:
        raise DomainError("already_filed", "此件已完成歸檔檢核。")
    officer = (
        by.is_authenticated
        and by.agency_id == item.agency_id
        and by.has_role(*permissions.OFFICER_ROLES)
    )
    if not (officer or permissions.is_archivist(by, item.agency_id)):
        raise PermissionDenied("只有本機關的承辦人或檔案管理人員可以擬定分類號。")
    entry = _filable_entry(item.agency_id, (entry_code or "").strip())
    if entry is None:
        raise DomainError.invalid({"entry_code": ["分類號須為現行分類表中訂有保存年限的類目。"]})
    with transaction.atomic(), audit.action("archives:propose_filing"):
        item.entry = entry
        item.retention = entry.retention
        item.proposed_by = by
        item.save()
    return item


def folder_code(year: int, class_code: str, case_no: int, volume_no: int) -> str:
    """檔號 of a 案卷: 年度號-分類號-案次號-卷次號 (fixed widths so codes sort and prefix-match)."""
    return f"{year:03d}-{class_code}-{case_no:03d}-{volume_no:03d}"


def item_code(folder: Folder, item_no: int) -> str:
    """檔號 of a 件: the 案卷's and its 目次號."""
    return f"{folder.file_code}-{item_no:06d}"


def open_folder(
    agency_id: int,
    entry: Entry,
    *,
    year: int,
    title: str,
    case_no: int | None = None,
    volume_no: int = 1,
) -> Folder:
    """A new 案卷 (立案): the next 案次號 of the year and 分類號 unless given (a new 卷 of a
    known 案)."""
    if case_no is None:
        last = Folder.objects.filter(agency_id=agency_id, year=year, class_code=entry.code)
        case_no = (last.aggregate(n=Max("case_no"))["n"] or 0) + 1
    return Folder.objects.create(
        agency_id=agency_id,
        entry=entry,
        year=year,
        class_code=entry.code,
        case_no=case_no,
        volume_no=volume_no,
        file_code=folder_code(year, entry.code, case_no, volume_no),
        title=title[:300],
        retention=entry.retention,
        disposal=entry.disposal,
    )


def check_filing(
    item: Item,
    *,
    by,
    entry_code: str = "",
    folder: Folder | None = None,
    folder_title: str = "",
    topics: str = "",
    abstract: str = "",
    access: str = "",
) -> Item:
    """檢核歸檔 (the archivist): confirms or corrects the 分類號, places the 件 in a 案卷 (an
    open one of the same 分類號, or a new 案), gives it its 目次號 and 檔號, and refreshes the
    案卷 (highest 密等, longest 保存年限)."""
    _require_archivist(by, item.agency_id)
    if item.filing != FilingStatus.PROPOSED:
        raise DomainError("already_filed", "此件已完成歸檔檢核。")
    errors: dict[str, list[str]] = {}
    entry = _filable_entry(item.agency_id, (entry_code or "").strip()) if entry_code else item.entry
    if entry is None or entry.scheme.agency_id != item.agency_id:
        errors["entry_code"] = ["請指定現行分類表中訂有保存年限的分類號。"]
    if folder is not None and (
        folder.agency_id != item.agency_id or folder.status != RecordStatus.ACTIVE
    ):
        errors["folder"] = ["案卷須為本機關保存中的案卷。"]
    elif folder is not None and entry is not None and folder.class_code != entry.code:
        errors["folder"] = [f"案卷 {folder.file_code} 的分類號不是 {entry.code}。"]
    topics = check_text(topics or "", "主題項", field="topics", max_length=200)
    abstract = check_text(
        abstract or "", "案情摘要", field="abstract", multiline=True, max_length=2000
    )
    folder_title = check_text(folder_title or "", "案名", field="folder_title", max_length=300)
    if access and access not in ("open", "restricted", "closed"):
        errors["access"] = ["應用限制須為開放、限制開放或不開放。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:check_filing"):
        day = today()
        if folder is None:
            folder = open_folder(
                item.agency_id,
                entry,
                year=roc.roc_year(day),
                title=folder_title.strip() or item.title,
            )
        else:
            folder = Folder.objects.select_for_update().get(pk=folder.pk)
        item.folder = folder
        item.entry = entry
        item.retention = entry.retention
        item.item_no = (folder.items.aggregate(n=Max("item_no"))["n"] or 0) + 1
        item.file_code = item_code(folder, item.item_no)
        item.filing = FilingStatus.FILED
        item.checked_on = day
        item.checked_by = by
        if topics:
            item.topics = topics
        if abstract:
            item.abstract = abstract
        if access:
            item.access = access
        item.save()
        refresh_folder(folder)
    return item


def refresh_folder(folder: Folder) -> Folder:
    """A 案卷 takes the highest 密等, the longest 保存年限 and the most restrictive 應用限制 of
    its 件, spans their dates, counts them, and expires by the longest retention."""
    items = folder.items.exclude(status=RecordStatus.DESTROYED)
    figures = items.aggregate(
        secrecy=Max("secrecy"),
        retention=Max("retention"),
        started=Min("produced_on"),
        ended=Max("produced_on"),
    )
    if figures["retention"] is None:
        return folder
    folder.secrecy = max(figures["secrecy"], folder.secrecy)
    folder.retention = max(figures["retention"], folder.retention)
    folder.started_on = figures["started"]
    folder.ended_on = figures["ended"]
    folder.quantity = items.count()
    accesses = set(items.values_list("access", flat=True))
    folder.access = next(
        (a for a in ("closed", "restricted") if a in accesses), folder.access or "open"
    )
    if folder.retention == Retention.PERMANENT and folder.disposal in ("", *TERM_DISPOSALS):
        folder.disposal = Disposal.AGENCY_PERMANENT
    folder.expires_on = expiry_date(folder.ended_on, folder.retention)
    folder.save()
    for item in items.exclude(expires_on=folder.expires_on):
        item.expires_on = folder.expires_on
        item.save(update_fields=["expires_on"])
    return folder


# --- Legacy catalogue import ----------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueRecord:
    """One checked row of a legacy catalogue (``importers.CatalogueImporter``): the 件's
    fields and its 案卷's (from the 檔號's parts)."""

    agency: object
    parts: tuple[str, str, str, str, str]  # 年度號, 分類號, 案次號, 卷次號, 目次號
    folder_title: str
    location: tuple[str, str, str, str]  # 庫房, 架, 層, 箱
    shelf_metres: Decimal
    disposal: str
    catalogued_on: dt.date
    item: dict


def import_catalogue(records: list[CatalogueRecord]) -> int:
    """Write imported 件 (already checked whole), making their 案卷 from the 檔號, then
    refresh each 案卷 (highest 密等, longest 保存年限, dates, expiry)."""
    folders: dict[tuple[int, str], Folder] = {}
    for record in records:
        year, class_code, case_no, volume_no, item_no = (
            record.parts[0],
            record.parts[1],
            *(int(part) for part in record.parts[2:]),
        )
        code = folder_code(int(year), class_code, case_no, volume_no)
        key = (record.agency.pk, code)
        folder = folders.get(key)
        if folder is None:
            store, shelf, layer, box = record.location
            folder, _ = Folder.objects.get_or_create(
                agency=record.agency,
                file_code=code,
                defaults={
                    "year": int(year),
                    "class_code": class_code,
                    "case_no": case_no,
                    "volume_no": volume_no,
                    "title": record.folder_title[:300],
                    "retention": record.item["retention"],
                    "disposal": record.disposal,
                    "store": store,
                    "shelf": shelf,
                    "layer": layer,
                    "box": box,
                },
            )
            folders[key] = folder
        if record.shelf_metres:
            folder.shelf_metres = record.shelf_metres
        if record.item["retention"] > folder.retention:
            folder.disposal = record.disposal
        Item.objects.create(
            agency=record.agency,
            folder=folder,
            item_no=item_no,
            file_code=item_code(folder, item_no),
            filing=FilingStatus.FILED,
            checked_on=record.catalogued_on,
            filed_on=record.catalogued_on,
            imported=True,
            **record.item,
        )
    for folder in folders.values():
        refresh_folder(folder)
    return len(records)
