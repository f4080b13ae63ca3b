"""What the professional consultations and the volunteers register with the project (imported
once by the app's ``ready``): report sections and indicators (chapter 六, orders 20–39), the
importers, the reminders' daily job, the public booking page on the home page and the demo
data."""

from __future__ import annotations

import datetime as dt

from secretariat.core import importing
from secretariat.core.modules import PublicService, register_demo, register_public_service
from secretariat.core.tasks import register_daily
from secretariat.reports.registry import register_indicator, register_section
from secretariat.service import (
    consult_importers,
    consult_reports,
    services,
    volunteer_importers,
    volunteer_reports,
)
from secretariat.service.demo_consult import load_demo

for section in (*consult_reports.SECTIONS, *volunteer_reports.SECTIONS):
    register_section(section)
for indicator in (*consult_reports.INDICATORS, *volunteer_reports.INDICATORS):
    register_indicator(indicator)
for importer in (*consult_importers.IMPORTERS, *volunteer_importers.IMPORTERS):
    importing.register(importer)
# The afternoon before: the desk still has time to phone the citizens.
register_daily(
    "service.consultation_reminders", dt.time(15, 0), services.send_reminders_task.enqueue
)
register_public_service(
    PublicService(
        "consult_booking",
        "免費專業諮詢預約",
        "service:consult_book",
        "預約律師、建築師、地政士的免費諮詢（面對面或電話），只需姓名與聯絡電話。",
        order=30,
    )
)
register_demo("service_consult", "專業諮詢及志工示範資料", load_demo)
