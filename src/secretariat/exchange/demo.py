"""Demo (`secretariat demo`): 機關代碼 for the Secretariat and 都發局 where none is recorded
(示範用代碼), a 收發 for 都發局 (`udd-clerk`), and exchanges of the current half-year through
the services: a 函 from 都發局 waiting for the Secretariat's 簽收, one from the Secretariat
waiting at 都發局, and an upload refused (退文). The documents demo's own 電子交換
發文 to 臺北市政府 goes to the gateway outbox by itself (``document_dispatched``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from secretariat.core import audit, registry
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError
from secretariat.core.models import IndicatorTarget, RoleCode, User
from secretariat.core.roc import roc_year
from secretariat.documents.selectors import LetterFile, LetterRecipient, OutgoingLetter
from secretariat.exchange import reports, services
from secretariat.exchange.models import Exchange

DEMO_PASSWORD = "taipei-demo-115"
# 示範用機關代碼 (an administrator records the real ones in the agency registry).
DEMO_CODES = {"秘書處": "379130000C", "都發局": "379190000A"}
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _codes() -> dict:
    found = {}
    with audit.action("exchange:demo_codes"):
        for name, code in DEMO_CODES.items():
            agency = registry.agency_by_name(name)
            if not agency.official_code:
                agency.official_code = code
                agency.save()
            found[name] = agency
    return found


def _clerk(agency) -> User:
    clerk = User.objects.filter(username="udd-clerk").first()
    if clerk is None:
        clerk = core_services.create_person(
            by=None,
            username="udd-clerk",
            password=DEMO_PASSWORD,
            agency=agency,
            display_name="吳收發",
            job_title="收發人員",
            email="udd-clerk@demo.secretariat.localhost",
            roles=[RoleCode.REGISTRY_CLERK],
        )
    return clerk


def _letter(sender, recipient, serial: int, day: dt.date, subject: str, prefix: str):
    return OutgoingLetter(
        document=None,
        doc_type="letter",
        sender_name=f"臺北市政府{sender.short_name}",
        sender_code=sender.official_code,
        prefix=prefix,
        year=day.year - 1911,
        serial=serial,
        reference=f"{prefix}字第{day.year - 1911:03d}{serial:07d}號",
        dispatched_on=day,
        speed="normal",
        secrecy="none",
        declassify="",
        subject=subject,
        sections=[
            ["說明", [{"text": "依本府文書流程簡化計畫辦理。"}, {"text": "檢送相關資料1份。"}]]
        ],
        meeting={},
        contact=["地址：臺北市信義區市府路1號"],
        signature=[],
        recipients=[
            LetterRecipient(
                "original",
                f"臺北市政府{recipient.short_name}",
                recipient.official_code,
                "exchange",
                True,
                recipient.pk,
            )
        ],
        files=[LetterFile("資料.pdf", "application/pdf", PDF)],
    )


def load_demo() -> str:
    if Exchange.objects.filter(sender_code__in=DEMO_CODES.values()).exists():
        return "已存在"
    agencies = _codes()
    sec, udd = agencies["秘書處"], agencies["都發局"]
    udd_clerk = _clerk(udd)
    sec_clerk = User.objects.filter(username="sec-clerk").first()
    today = timezone.localdate()
    day = max(today.replace(day=1), today - dt.timedelta(days=10))
    with transaction.atomic():
        services.send_letter(
            _letter(udd, sec, 1000101, day, "函送都市更新案件會勘資料，請查照。", "北市都新")
        )
        services.send_letter(
            _letter(
                sec, udd, 3000901, day, "有關市政大樓會議室借用規定修正一案，請查照。", "北市秘事"
            )
        )
        count = 2
        if sec_clerk is not None:
            # A 收文 from a package would be one more document at the desk; the demo leaves
            # the 簽收 to the visitor and shows a refused upload instead.
            try:
                services.import_package(
                    b"not a package", by=sec_clerk, name="損毀.zip", signing_mode="paper"
                )
            except DomainError:
                pass  # refused and logged (退文): that is the point of this one
            count += 1
    IndicatorTarget.objects.get_or_create(
        indicator=reports.SIGNED_RATE, year=roc_year(today), defaults={"value": 99}
    )
    return f"交換紀錄 {count} 筆、收發帳號 {udd_clerk.username}"
