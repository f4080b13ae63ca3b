"""Daily jobs of the case engine: deadline reminders (期限提醒) and overdue notices (逾期通知).

Registered in ``registrations.py`` to run at 08:00; :func:`send_reminders` holds the logic so
that it can be run and tested without a worker."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from secretariat.cases import kinds, selectors
from secretariat.cases.models import Assignment
from secretariat.cases.services.common import holders
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
    working day after it). Recipients: the part's officer, or with none its holder's 承辦人
    (a contractor's people), and always the agency's 研考人員. Runs on working days only.
    Returns the notices sent."""
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
        if part.is_overdue_at(today):
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
    return f"{part.assignee_name}（{part.get_role_display()}）辦理的「{part.case.subject}」"


def _due_label(part: Assignment) -> str:
    """回復期限, or 進度報告期限 for a tracked part (列管)."""
    tracked = kinds.KINDS.get(part.case.kind) and kinds.KINDS[part.case.kind].tracking
    return "進度報告期限" if tracked else "回復期限"


def _due_text(part: Assignment) -> str:
    if part.due_at is not None:
        return roc.format_datetime(part.due_at)
    return roc.format_date(part.due_on, "long")


def _reminder(part: Assignment, today: dt.date) -> tuple[str, str]:
    left = workdays.working_days_between(today, part.due_on)
    when = "今天到期" if left == 0 else f"將於 {roc.format_date(part.due_on)} 到期"
    title = f"期限提醒：{part.case.number} {when}"
    remaining = f"今天為{_due_label(part)}" if left == 0 else f"尚餘 {left} 個工作天"
    body = f"{_about(part)}{_due_label(part)}為 {_due_text(part)}，{remaining}。"
    return title, body


def _overdue_notice(part: Assignment, today: dt.date) -> tuple[str, str]:
    late = workdays.working_days_between(part.due_on, today)
    label = _due_label(part)
    title = f"逾期通知：{part.case.number} 已逾{label} {late} 個工作天"
    body = f"{_about(part)}{label}為 {_due_text(part)}，至今尚未辦理，請儘速辦理或申請展期。"
    return title, body


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
