"""Reads for the service desk (服務台)."""

from __future__ import annotations

from django.db.models import QuerySet

from secretariat.service.models import DeskVisit
from secretariat.service.permissions import is_desk_staff


def visits_for(user) -> QuerySet[DeskVisit]:
    """服務台服務紀錄: desk staff and supervisors see the desk's log; nobody else does."""
    if not is_desk_staff(user):
        return DeskVisit.objects.none()
    return DeskVisit.objects.select_related("category", "agency")
