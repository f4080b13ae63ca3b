"""Demo 檔案管理 records in the current half-year, made through the services: the
Secretariat's classification scheme (a few 類/綱/目 with their 保存年限區分表) published, a
filing rule, a legacy catalogue imported (案卷 created over past years, some expiring this
year), a 銷毀目錄 waiting for the business units' opinions, 都發局's list received for 初審, an
older list approved and tracked, and a transfer of 國家檔案. Idempotent: nothing is added once
the demo scheme exists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from secretariat.archives import reports, selectors, services
from secretariat.archives.models import (
    DestructionReview,
    Disposal,
    Folder,
    Level,
    RecordStatus,
    Retention,
    Scheme,
    Transfer,
)
from secretariat.core import registry, roc
from secretariat.core import services as core_services
from secretariat.core.models import IndicatorTarget, RoleCode, User

DEMO_PASSWORD = "taipei-demo-115"
PEOPLE = [
    ("sec-archivist", "馬檔管", "秘書處", "檔案管理人員", [RoleCode.ARCHIVIST]),
    ("sec-archivist2", "溫檔管", "秘書處", "檔案管理人員", [RoleCode.ARCHIVIST]),
    ("udd-archivist", "詹檔管", "都發局", "檔案管理人員", [RoleCode.ARCHIVIST]),
]
# (code, name, level, parent, retention, disposal)
ENTRIES = [
    ("01", "綜合規劃", Level.CLASS, "", None, ""),
    ("0101", "施政計畫", Level.SECTION, "01", Retention.PERMANENT, Disposal.NATIONAL),
    ("0102", "工作報告", Level.SECTION, "01", Retention.Y10, Disposal.DESTROY),
    ("02", "文書檔案", Level.CLASS, "", None, ""),
    ("0201", "文書處理", Level.SECTION, "02", Retention.Y5, Disposal.DESTROY),
    ("0202", "檔案管理", Level.SECTION, "02", Retention.Y10, Disposal.APPRAISE),
    ("020201", "檔案銷毀", Level.HEADING, "0202", Retention.PERMANENT, Disposal.AGENCY_PERMANENT),
    ("03", "事務管理", Level.CLASS, "", None, ""),
    ("0301", "財產管理", Level.SECTION, "03", Retention.Y15, Disposal.DESTROY),
    ("0302", "車輛管理", Level.SECTION, "03", Retention.Y3, Disposal.DESTROY),
]


def _people() -> dict[str, User]:
    found = {}
    for username, name, agency_name, title, roles in PEOPLE:
        person = User.objects.filter(username=username).first()
        if person is None:
            person = core_services.create_person(
                by=None,
                username=username,
                password=DEMO_PASSWORD,
                agency=registry.agency_by_name(agency_name),
                display_name=name,
                job_title=title,
                email=f"{username}@demo.secretariat.localhost",
                roles=roles,
            )
        found[username] = person
    return found


def _legacy(agency, today: dt.date) -> None:
    """Past years' files, as a legacy catalogue import writes them: 5-year 車輛管理 files
    whose retention ends this year, 10-year 工作報告, permanent 施政計畫."""
    year = today.year
    records = []
    plans = [
        ("0302", Retention.Y3, Disposal.DESTROY, year - 3, "公務車輛保養紀錄", 3),
        ("0201", Retention.Y5, Disposal.DESTROY, year - 5, "收發文登記簿", 4),
        ("0102", Retention.Y10, Disposal.DESTROY, year - 10, "秘書處工作報告", 2),
        ("0101", Retention.PERMANENT, Disposal.NATIONAL, year - 30, "市政建設計畫", 2),
    ]
    for class_code, retention, disposal, produced_year, title, count in plans:
        roc_year = produced_year - 1911
        for case_no in (1, 2):
            for item_no in range(1, count + 1):
                produced = dt.date(produced_year, min(12, 2 + item_no), 10)
                records.append(
                    services.CatalogueRecord(
                        agency=agency,
                        parts=(str(roc_year), class_code, str(case_no), "1", str(item_no)),
                        folder_title=f"{roc_year}年{title}（{case_no}）",
                        location=("市政大樓B1檔案庫", f"{case_no:02d}", "3", f"{item_no:03d}"),
                        shelf_metres=Decimal("0.350"),
                        disposal=disposal,
                        catalogued_on=min(produced + dt.timedelta(days=20), today),
                        item={
                            "title": f"{title}第{item_no}件",
                            "subject": title,
                            "correspondent": "臺北市政府秘書處",
                            "doc_number": f"府秘文字第{roc_year}{case_no:03d}{item_no:04d}號",
                            "produced_on": produced,
                            "retention": retention,
                            "secrecy": 0,
                            "access": "open",
                            "media": "紙本",
                            "quantity": 1,
                            "topics": title,
                            "abstract": "",
                        },
                    )
                )
    services.import_catalogue(records)


def load_demo() -> str:
    if Scheme.objects.filter(agency__code="sec").exists():
        return "已存在"
    today = timezone.localdate()
    people = _people()
    archivist, second = people["sec-archivist"], people["sec-archivist2"]
    secretariat = archivist.agency
    with transaction.atomic():
        scheme = services.draft_scheme(secretariat, by=archivist, note="115年度分類表")
        for code, name, level, parent, retention, disposal in ENTRIES:
            services.save_entry(
                scheme,
                by=archivist,
                code=code,
                name=name,
                level=level,
                parent_code=parent,
                retention=retention,
                disposal=disposal,
            )
        services.publish_scheme(scheme, by=archivist, effective_on=today.replace(month=1, day=1))
        services.set_filing_rule(secretariat, 5, by=archivist)
        _legacy(secretariat, today)
        expiring = selectors.expiring_folders(secretariat.pk, today.year)
        ids = list(expiring.values_list("pk", flat=True))
        if ids:
            listing = services.build_destruction_list(
                secretariat, by=archivist, year=today.year, folder_ids=ids
            )
            services.ask_opinions(listing, by=archivist)
        udd = registry.agency_by_name("都發局")
        half = roc.Period.half_containing(today)
        services.receive_review(
            udd,
            by=second,
            received_on=min(today, half.start + dt.timedelta(days=20)),
            reference="北市都秘字第1153000123號",
            items=12_480,
            cases=36,
            volumes=540,
            shelf_metres=Decimal("64.800"),
        )
        old = services.receive_review(
            registry.agency_by_name("警察局"),
            by=second,
            received_on=min(today, half.start + dt.timedelta(days=5)),
            reference="北市警秘字第1153000045號",
            items=8_300,
            cases=21,
            volumes=410,
            shelf_metres=Decimal("48.200"),
        )
        services.decide_review(old, by=second, forward=True)
        services.track_destruction(
            old,
            by=second,
            approval_number="檔徵字第1150000321號",
            approved_on=min(today, half.start + dt.timedelta(days=12)),
        )
        national = Folder.objects.filter(
            agency=secretariat, disposal=Disposal.NATIONAL, status=RecordStatus.ACTIVE
        )
        services.record_transfer(
            secretariat,
            by=archivist,
            title=f"{roc.roc_year(today)}年移轉國家檔案目錄",
            approval_number="檔移字第1150000088號",
            transferred_on=max(half.start, today - dt.timedelta(days=3)),
            folder_ids=list(national.values_list("pk", flat=True)[:1]),
        )
        year = roc.roc_year(today)
        for code, value in ((reports.REVIEW_ITEMS, 15_000), (reports.ON_TIME_RATE, 95)):
            IndicatorTarget.objects.get_or_create(
                indicator=code, year=year, defaults={"value": Decimal(value)}
            )
    folders = Folder.objects.filter(agency=secretariat).count()
    reviews = DestructionReview.objects.count()
    return (
        f"分類表類目 {len(ENTRIES)} 個、案卷 {folders} 卷、屆期送意見 {len(ids)} 卷、"
        f"初審 {reviews} 件、移轉 {Transfer.objects.count()} 次"
    )
