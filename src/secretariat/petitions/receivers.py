"""How petitions follow the engine: the reply e-mail when every agency has replied, and the
petition's last-change time (Open311 ``updated_datetime``) whenever its case moves."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.utils import timezone

from secretariat.cases.models import Assignment, Case
from secretariat.cases.services import case_replied
from secretariat.petitions.models import Petition


def on_case_replied(sender, case: Case, **kwargs) -> None:
    from secretariat.petitions import services

    services.mail_replies(case)


def touch_for_case(sender, instance: Case, raw: bool = False, **kwargs) -> None:
    if not raw and instance.kind == "petition":
        Petition.objects.filter(case_id=instance.pk).update(updated_at=timezone.now())


def touch_for_assignment(sender, instance: Assignment, raw: bool = False, **kwargs) -> None:
    if not raw:
        Petition.objects.filter(case_id=instance.case_id).update(updated_at=timezone.now())


def connect() -> None:
    case_replied.connect(on_case_replied, sender=Case, dispatch_uid="petitions-mail-replies")
    post_save.connect(touch_for_case, sender=Case, dispatch_uid="petitions-touch-case")
    post_save.connect(
        touch_for_assignment, sender=Assignment, dispatch_uid="petitions-touch-assignment"
    )
