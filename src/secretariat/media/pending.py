"""The dashboard's 我的待辦 of 媒體聯繫: releases waiting for the person's approval, and for
the press office opinion items waiting to be routed and journalists waiting for a decision."""

from __future__ import annotations

from django.urls import reverse

from secretariat.cases import selectors as case_selectors
from secretariat.core.modules import PendingItem
from secretariat.media import selectors
from secretariat.media.kinds import OPINION
from secretariat.media.permissions import is_press_office

LIMIT = 20


def pending_for(user) -> list[PendingItem]:
    items = [
        PendingItem("新聞稿待核", release.title, release.get_absolute_url())
        for release in selectors.releases_to_approve(user)[:LIMIT]
    ]
    if case_selectors.is_router(user, OPINION):
        waiting = selectors.opinion_items_for(user).filter(
            case__status=case_selectors.CaseStatus.PENDING
        )
        items += [
            PendingItem(
                "輿情待分辦", f"{item.case.number} {item.case.subject}", item.get_absolute_url()
            )
            for item in waiting.order_by("case__received_on", "case__pk")[:LIMIT]
        ]
    if is_press_office(user):
        count = selectors.pending_journalists().count()
        if count:
            items.append(
                PendingItem("記者帳號申請", f"{count} 件待審核", reverse("media:journalists"))
            )
    return items
