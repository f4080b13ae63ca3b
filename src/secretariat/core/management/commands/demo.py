"""Demo data: the reference data of `setup` (the agency registry …), one account per role, and
sample records. Idempotent."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction

from secretariat.core import modules, registry, services
from secretariat.core.models import (
    CalendarAdjustment,
    Contractor,
    DayKind,
    Notification,
    RoleCode,
    Unit,
    User,
)

DEMO_PASSWORD = "taipei-demo-115"

# (username, display name, agency short name, unit, job title, roles)
DEMO_PEOPLE = [
    ("admin", "王系統", "秘書處", "資訊室", "系統管理師", [RoleCode.SYSTEM_ADMIN]),
    ("sec-admin", "林管理", "秘書處", "綜合企劃科", "科長", [RoleCode.SECRETARIAT_ADMIN]),
    ("sec-clerk", "陳收發", "秘書處", "文書科", "收發人員", [RoleCode.REGISTRY_CLERK]),
    ("sec-press", "張新聞", "秘書處", "媒體事務組", "新聞聯絡人", [RoleCode.PRESS_LIAISON]),
    ("sec-desk", "李服務", "秘書處", "市民服務組", "服務台人員", [RoleCode.SERVICE_DESK]),
    ("sec-council", "趙府會", "秘書處", "府會聯絡組", "府會業務", [RoleCode.COUNCIL_LIAISON]),
    ("udd-officer", "黃承辦", "都發局", "住宅企劃科", "承辦人", [RoleCode.CASE_OFFICER]),
    ("udd-supervisor", "吳主管", "都發局", "住宅企劃科", "科長", [RoleCode.SUPERVISOR]),
    ("udd-head", "周首長", "都發局", "局本部", "局長", [RoleCode.HEAD]),
    ("udd-rdec", "鄭研考", "都發局", "秘書室", "研考人員", [RoleCode.RDEC_OFFICER]),
    ("udd-liaison", "蔡府會", "都發局", "秘書室", "府會聯絡人", [RoleCode.COUNCIL_LIAISON]),
    ("police-officer", "許承辦", "警察局", "行政科", "承辦人", [RoleCode.CASE_OFFICER]),
    ("police-supervisor", "賴主管", "警察局", "行政科", "科長", [RoleCode.SUPERVISOR]),
]
# A contractor the Secretariat's 事務科 manages (the city hall's maintenance), and its person.
DEMO_CONTRACTOR = ("市府大樓機電維護廠商（示範）", "秘書處", "事務科", "何經理", "02-2720-8889")
DEMO_CONTRACTOR_PERSON = ("contractor", "何技師", "機電技師")


class Command(BaseCommand):
    help = "載入示範資料（基本資料、各角色示範帳號、範例行事曆調整與各模組範例）；可重複執行。"

    @transaction.atomic
    def handle(self, *args, **options):
        for label, result in modules.load_setup():
            self.stdout.write(f"{label}：{result}")
        created = 0
        for username, name, agency_name, unit_name, title, roles in DEMO_PEOPLE:
            if User.objects.filter(username=username).exists():
                continue
            agency = registry.agency_by_name(agency_name)
            unit, _ = Unit.objects.get_or_create(agency=agency, name=unit_name)
            person = services.create_person(
                by=None,
                username=username,
                password=DEMO_PASSWORD,
                agency=agency,
                unit=unit,
                display_name=name,
                job_title=title,
                email=f"{username}@demo.secretariat.localhost",
                roles=roles,
            )
            if username == "admin":
                person.is_staff = person.is_superuser = True
                person.save(update_fields=["is_staff", "is_superuser"])
            services.notify(person, "歡迎使用秘書處業務作業平台", "這是示範帳號，密碼請見 README。")
            created += 1
        created += self._contractor()
        self.stdout.write(f"示範帳號：新增 {created} 個（密碼皆為 {DEMO_PASSWORD}）")
        # A typhoon day off announced for Taipei (an example administrators can edit).
        if not CalendarAdjustment.objects.filter(date=dt.date(2025, 7, 29), city="臺北市").exists():
            services.set_calendar_day(
                by=None,
                date=dt.date(2025, 7, 29),
                city="臺北市",
                kind=DayKind.CLOSURE,
                reason="颱風停止上班（示範）",
            )
        for provider in modules.DEMO.values():
            self.stdout.write(f"{provider.label}：{provider.fn()}")
        self.stdout.write(f"通知：{Notification.objects.count()} 則")

    def _contractor(self) -> int:
        """The demo contractor and its person's account (1 when the account was created)."""
        name, agency_name, unit_name, contact, phone = DEMO_CONTRACTOR
        username, display_name, title = DEMO_CONTRACTOR_PERSON
        agency = registry.agency_by_name(agency_name)
        contractor = Contractor.objects.filter(agency=agency, name=name).first()
        if contractor is None:
            unit, _ = Unit.objects.get_or_create(agency=agency, name=unit_name)
            contractor = services.register_contractor(
                by=None, name=name, agency=agency, unit=unit, contact_name=contact, phone=phone
            )
        if User.objects.filter(username=username).exists():
            return 0
        services.create_person(
            by=None,
            username=username,
            password=DEMO_PASSWORD,
            agency=None,
            contractor=contractor,
            display_name=display_name,
            job_title=title,
            email=f"{username}@demo.secretariat.localhost",
        )
        return 1
