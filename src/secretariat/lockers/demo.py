"""Demo 文件智取櫃 records for the current half-year, made through the services: a site in the
市政大樓 with a simulated bank (no hardware: its commands are acknowledged as issued) of 24
compartments, two fixed to 警察局 and 都發局; three paper letters the Secretariat dispatched by
專差 (two packed for 警察局 and deposited, waiting for pickup; one for 都發局 waiting to be
packed); the half-year's earlier months as imported monthly counts; the indicators' targets.
Idempotent: nothing is added once the demo site exists."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from secretariat.core import audit, registry, roc
from secretariat.core import services as core_services
from secretariat.core.models import IndicatorTarget, RoleCode, User
from secretariat.documents import services as documents
from secretariat.lockers import reports, services
from secretariat.lockers.models import PackageTally, Site, Size

DEMO_PASSWORD = "taipei-demo-115"
SITE = "市政大樓1樓東側"
# Pairs of the imported history: (sender, receiver, packages a month).
HISTORY = [
    ("秘書處", "警察局", 42),
    ("秘書處", "都發局", 35),
    ("警察局", "秘書處", 28),
    ("都發局", "秘書處", 24),
    ("秘書處", "研考會", 18),
    ("研考會", "秘書處", 12),
]


def _letter(people, subject: str, receiver: str):
    """A 函 of the Secretariat, decided by the head and dispatched on paper by 專差."""
    document = documents.create_document(
        doc_type="letter",
        subject=subject,
        method="draft_only",
        signing_mode="paper",
        by=people["sec-officer"],
    )
    documents.save_draft(
        document,
        "outgoing",
        doc_type="letter",
        subject=subject,
        sections={"說明": "依本府文書處理實施要點辦理。", "辦法": "請查照。"},
        recipients=[{"copy": "original", "name": receiver, "method": "courier"}],
        by=people["sec-officer"],
    )
    documents.submit(document, to=people["sec-head"], by=people["sec-officer"])
    documents.decide(document, opinion="如擬。", by=people["sec-head"])
    documents.proof(document, by=people["sec-officer"])
    documents.seal(document, seal_kind="agency_seal", impressions=1, by=people["sec-seal"])
    documents.dispatch(document, by=people["sec-clerk"])
    return document


def _police_clerk() -> User:
    clerk = User.objects.filter(username="police-clerk").first()
    if clerk is None:
        clerk = core_services.create_person(
            by=None,
            username="police-clerk",
            password=DEMO_PASSWORD,
            agency=registry.agency_by_name("警察局"),
            display_name="簡收發",
            job_title="收發人員",
            email="police-clerk@demo.secretariat.localhost",
            roles=[RoleCode.REGISTRY_CLERK],
        )
    return clerk


def _history(today: dt.date) -> int:
    first = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
    months = []
    month = first
    while month < today.replace(day=1):
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    rows = []
    for n, month in enumerate(months):
        for sender, receiver, packages in HISTORY:
            count = packages + n
            rows.append(
                PackageTally(
                    month=month,
                    agency=registry.agency_by_name(sender),
                    receiver=registry.agency_by_name(receiver),
                    packages=count,
                    collected=count,
                    pickup_minutes=count * 95,
                )
            )
    with audit.action("lockers:demo-history"):
        audit.record_created(PackageTally.objects.bulk_create(rows))
    return len(rows)


def load_demo() -> str:
    if Site.objects.filter(name=SITE).exists():
        return "已存在"
    admin = User.objects.get(username="admin")
    people = {
        name: User.objects.get(username=name)
        for name in ("sec-officer", "sec-head", "sec-seal", "sec-clerk")
    }
    _police_clerk()
    site = services.create_site(name=SITE, address="臺北市信義區市府路1號", by=admin)
    bank, _key = services.create_bank(
        site, code="city-hall-1f", name="A 櫃組", simulated=True, by=admin
    )
    services.add_compartments(bank, count=2, size=Size.LARGE, by=admin)
    for compartment, agency in zip(
        bank.compartments.order_by("number"), ("警察局", "都發局"), strict=True
    ):
        services.set_compartment(
            compartment,
            size=compartment.size,
            agency=registry.agency_by_name(agency),
            active=True,
            by=admin,
        )
    services.add_compartments(bank, count=16, size=Size.MEDIUM, by=admin)
    services.add_compartments(bank, count=6, size=Size.SMALL, by=admin)
    letters = [
        _letter(people, "檢送本處115年度文書處理講習講義，請查照。", "臺北市政府警察局"),
        _letter(people, "有關市政大樓公務車輛停放調整一案，請查照。", "臺北市政府警察局"),
        _letter(people, "函送市政大樓公共區域清潔維護排程，請查照。", "臺北市政府都市發展局"),
    ]
    clerk = people["sec-clerk"]
    rows = [
        row.pk
        for row in services.documents.paper_dispatches(clerk).filter(document__in=letters[:2])
    ]
    package = services.make_package(
        receiver=registry.agency_by_name("警察局"), dispatches=rows, bank=bank, by=clerk
    )
    services.deposit(bank, package.token)
    tallies = _history(timezone.localdate())
    year = roc.roc_year(timezone.localdate())
    for indicator, value in ((reports.AGENCIES_USING, 62), (reports.PACKAGES, 6000)):
        IndicatorTarget.objects.get_or_create(
            indicator=indicator, year=year, defaults={"value": value}
        )
    return f"櫃組 1 組 24 格、包件 1 包（待取件）、待打包發文 1 件、歷史統計 {tallies} 列"
