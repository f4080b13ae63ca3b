"""Daily jobs of the case engine: deadline reminders (期限提醒) and overdue notices (逾期通知).

Registered in ``registrations.py`` to run at 08:00; :func:`send_reminders` holds the logic so
that it can be run and tested without a worker."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from secretariat.cases import notices, selectors
from secretariat.cases.deadlines import reminder_horizon, reminder_horizons
from secretariat.cases.models import Assignment
from secretariat.cases.services.common import holders
from secretariat.core import services as core_services
from secretariat.core import workdays
from secretariat.core.models import RoleCode


@task()
def send_reminders_task() -> int:
    return send_reminders(timezone.localdate())


def send_reminders(today: dt.date) -> int:
    """Notify (in the app and by e-mail) about every unanswered part due within its kind's
    ``remind_days_before`` working days (before the deadline) and every overdue one (each
    working day after it). Recipients: the part's officer, or with none its holder's 承辦人
    (a contractor's people), and always the agency's 研考人員. Runs on working days only.
    Returns the notices sent."""
    if not workdays.is_working_day(today):
        return 0
    horizons = reminder_horizons(today)
    latest = max(horizons.values(), default=today)
    recipients = _Recipients()
    sent = 0
    for part in selectors.parts_due_by(latest):
        horizon = horizons.get(part.case.kind)
        if horizon is None:
            horizon = reminder_horizon(part.case.kind, today)
        if part.is_overdue_at(today):
            title, body = notices.overdue(part, workdays.working_days_between(part.due_on, today))
        elif part.due_on <= horizon:
            title, body = notices.reminder(part, workdays.working_days_between(today, part.due_on))
        else:
            continue
        for person in recipients.of(part):
            core_services.notify(
                person, title, body, url=part.case.get_absolute_url(), mail=True, subject=part
            )
            sent += 1
    return sent


class _Recipients:
    """Who hears about a part, with each agency's people looked up once per run."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, str], list] = {}

    def _people(self, part: Assignment, role: str) -> list:
        key = (part.agency_id, part.unit_id, part.contractor_id, role)
        if key not in self._cache:
            self._cache[key] = holders(part, [role])
        return self._cache[key]

    def of(self, part: Assignment) -> list:
        if part.officer is not None and part.officer.is_active:
            handling = [part.officer]
        else:
            handling = self._people(part, RoleCode.CASE_OFFICER)
        people = {person.pk: person for person in handling}
        if part.contractor_id is None:
            for person in self._people(part, RoleCode.RDEC_OFFICER):
                people.setdefault(person.pk, person)
        return list(people.values())
