"""Daily jobs of the case engine: deadline reminders (期限提醒) and overdue notices (逾期通知).

Registered in ``registrations.py`` to run at 08:00; :func:`send_reminders` holds the logic so
that it can be run and tested without a worker."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from secretariat.cases import kinds, selectors
from secretariat.cases.models import Assignment
from secretariat.core import roc, workdays
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError
from secretariat.core.models import RoleCode

DEFAULT_REMIND_DAYS = 1


@task()
def send_reminders_task() -> int:
    return send_reminders(timezone.localdate())


def _remind_days(kind: str) -> int:
    try:
        return kinds.rules_for(kind).remind_days_before
    except DomainError:  # a kind no longer registered keeps the default
        return DEFAULT_REMIND_DAYS


def send_reminders(today: dt.date) -> int:
    """Notify (in the app and by e-mail) about every unanswered part due within its kind's
    ``remind_days_before`` working days (before the deadline) and every overdue one (each
    working day after it). Recipients: the part's officer, or with none the agency's 承辦人,
    and always the agency's 研考人員. Runs on working days only. Returns the notices sent."""
    if not workdays.is_working_day(today):
        return 0
    horizons = {code: workdays.add_working_days(today, _remind_days(code)) for code in kinds.KINDS}
    latest = max(horizons.values(), default=today)
    recipients = _Recipients()
    sent = 0
    for part in selectors.parts_due_by(latest):
        horizon = horizons.get(part.case.kind)
        if horizon is None:
            horizon = workdays.add_working_days(today, _remind_days(part.case.kind))
        if part.due_on < today:
            title, body = _overdue_notice(part, today)
        elif part.due_on <= horizon:
            title, body = _reminder(part, today)
        else:
            continue
        for person in recipients.of(part):
            core_services.notify(person, title, body, url=part.case.get_absolute_url(), mail=True)
            sent += 1
    return sent


def _about(part: Assignment) -> str:
    return f"{part.agency.short_name}（{part.get_role_display()}）辦理的「{part.case.subject}」"


def _reminder(part: Assignment, today: dt.date) -> tuple[str, str]:
    left = workdays.working_days_between(today, part.due_on)
    when = "今天到期" if left == 0 else f"將於 {roc.format_date(part.due_on)} 到期"
    title = f"期限提醒：{part.case.number} {when}"
    remaining = "今天為回復期限" if left == 0 else f"尚餘 {left} 個工作天"
    body = f"{_about(part)}回復期限為 {roc.format_date(part.due_on, 'long')}，{remaining}。"
    return title, body


def _overdue_notice(part: Assignment, today: dt.date) -> tuple[str, str]:
    late = workdays.working_days_between(part.due_on, today)
    title = f"逾期通知：{part.case.number} 已逾回復期限 {late} 個工作天"
    body = (
        f"{_about(part)}回復期限為 {roc.format_date(part.due_on, 'long')}，至今尚未回復，"
        "請儘速辦理或申請展期。"
    )
    return title, body


class _Recipients:
    """Who hears about a part, with each agency's people looked up once per run."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, str], list] = {}

    def _people(self, agency_id: int, role: str) -> list:
        key = (agency_id, role)
        if key not in self._cache:
            self._cache[key] = selectors.agency_people(agency_id, [role])
        return self._cache[key]

    def of(self, part: Assignment) -> list:
        if part.officer is not None and part.officer.is_active:
            handling = [part.officer]
        else:
            handling = self._people(part.agency_id, RoleCode.CASE_OFFICER)
        people = {person.pk: person for person in handling}
        for person in self._people(part.agency_id, RoleCode.RDEC_OFFICER):
            people.setdefault(person.pk, person)
        return list(people.values())
