"""How the case engine plugs into the shell: navigation, dashboard items, search, daily jobs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from secretariat.core.modules import PendingItem

PENDING_LIMIT = 50


def pending_cases(user) -> list[PendingItem]:
    """我的案件: unanswered parts of the person's agency (their own first, then by deadline).
    What waits for a router (cases to route, requests to decide) is in their work queues."""
    from secretariat.cases import selectors

    items = []
    for part in selectors.my_open_parts(user, timezone.localdate())[:PENDING_LIMIT]:
        mine = "，由您承辦" if part.officer_id == user.pk else ""
        title = f"{part.case.number}（{part.get_role_display()}{mine}）{part.case.subject}"
        items.append(
            PendingItem("案件", title, part.case.get_absolute_url(), part.due_on, part.is_overdue)
        )
    return items


def register() -> None:
    from secretariat.cases import related, searchable
    from secretariat.cases.tasks import send_reminders_task
    from secretariat.core.modules import (
        NavItem,
        register_nav,
        register_pending,
        register_queues,
        register_setup,
    )
    from secretariat.core.tasks import register_daily

    register_nav(NavItem("cases", "分辦列管", "cases:list", order=10, section="cases:"))
    register_pending("cases", "我的案件", pending_cases)
    register_queues("cases", "分辦列管工作佇列", _queues)
    searchable.register()
    related.register()
    register_daily("cases.reminders", dt.time(8, 0), send_reminders_task.enqueue)
    register_setup("routing_keywords", "分辦關鍵字（各機關法定職掌）", _seed_keywords)
    from secretariat.cases import demo, history
    from secretariat.core.modules import register_demo

    history.register_sentences()
    register_demo("reply_templates", "回復範本示範資料", demo.load_demo)


def _queues(user):
    from secretariat.cases import selectors

    return selectors.queue_counts(user)


def _seed_keywords() -> str:
    from secretariat.cases import services

    return str(services.seed_routing_keywords())
