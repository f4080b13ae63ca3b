"""人民陳情: the petition kind's own fields beside the engine's Case."""

from __future__ import annotations

from django.db import models

from secretariat.core.audit import Audited
from secretariat.petitions.catalogue import CATEGORY_BY_CODE, DEFAULT_CATEGORY


class Petition(Audited):
    """One petition to the mayor. The routed work (number, text, status, agencies, replies)
    lives in ``case``; the requester's identity in the engine's Requester. The citizen's
    password is stored only as a hash."""

    audit_exclude = {"password_hash"}

    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="petition"
    )
    # A code of catalogue.CATEGORIES (data, not choices: adding a category needs no migration).
    category = models.CharField("陳情類別", max_length=40, default=DEFAULT_CATEGORY, db_index=True)
    password_hash = models.CharField("查詢密碼（雜湊）", max_length=200)
    consented_at = models.DateTimeField("同意個資告知時間", null=True, blank=True)
    # 公開同意: a consent of its own, apart from the 個資 one. Without it the Open311 feed
    # publishes neither the subject nor the place (catalogue.PUBLICATION_NOTICE).
    publication_consented_at = models.DateTimeField("同意公開時間", null=True, blank=True)
    address_string = models.CharField("陳情地點", max_length=200, blank=True)
    lat = models.DecimalField("緯度", max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField("經度", max_digits=9, decimal_places=6, null=True, blank=True)
    survey_rating = models.PositiveSmallIntegerField("滿意度（1–5）", null=True, blank=True)
    survey_comment = models.TextField("滿意度意見", blank=True)
    surveyed_at = models.DateTimeField("填答滿意度時間", null=True, blank=True)

    class Meta:
        verbose_name = "人民陳情"
        verbose_name_plural = "人民陳情"
        ordering = ["-case__created_at", "-id"]

    def __str__(self) -> str:
        return str(self.case)

    def audit_agency_id(self) -> int | None:
        return self.case.audit_agency_id()

    @property
    def publishable(self) -> bool:
        """Whether the citizen agreed to publish the subject and the place (公開同意)."""
        return self.publication_consented_at is not None

    @property
    def category_name(self) -> str:
        category = CATEGORY_BY_CODE.get(self.category)
        return category.name if category else self.category
