"""What the professional consultations and the volunteers register with the project (imported
once by the app's ``ready``): report sections and indicators (chapter 六, orders 20–39), the
importers, the reminders' daily job and the demo data."""

from __future__ import annotations

import datetime as dt

from secretariat.core import importing
from secretariat.core.modules import register_demo
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
register_demo("service_consult", "專業諮詢及志工示範資料", load_demo)
