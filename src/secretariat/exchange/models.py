"""公文交換: one exchange of a document with one recipient (``Exchange``) and its log
(``ExchangeEvent``: sent, delivered, received, signed for, refused)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models

from secretariat.core.audit import Audited
from secretariat.core.models import Agency

NAME_MAX = 100
REASON_MAX = 500


class State(models.TextChoices):
    """The state of an exchange as the sender sees it."""

    SENT = "sent", "已送出（交換閘道）"
    DELIVERED = "delivered", "已送達"
    SIGNED = "signed", "已簽收"
    REFUSED = "refused", "退文"


class Route(models.TextChoices):
    """How the package travelled."""

    PLATFORM = "platform", "平台內交換"
    GATEWAY = "gateway", "交換閘道（外部機關）"
    UPLOAD = "upload", "上傳交換封包"


class EventKind(models.TextChoices):
    SENT = "sent", "發送"
    DELIVERED = "delivered", "送達"
    RECEIVED = "received", "收文"
    SIGNED = "signed", "簽收"
    REFUSED = "refused", "退文"


def package_path(instance: Exchange, filename: str) -> str:
    return f"exchange/{instance.uid}.zip"


class Exchange(Audited):
    """交換紀錄: one package of one document for one recipient. Inside the platform the same
    row is the sender's 發文交換 and the receiver's 來文交換; an external package uploaded by a
    收發 (or refused on arrival) has no sending document here."""

    audit_exclude: ClassVar[set[str]] = {"package"}

    uid = models.UUIDField("識別碼", default=uuid.uuid4, unique=True, editable=False)
    route = models.CharField("交換方式", max_length=10, choices=Route.choices)
    state = models.CharField("狀態", max_length=10, choices=State.choices, db_index=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name="發文",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchanges",
    )
    sender_agency = models.ForeignKey(
        Agency,
        verbose_name="發文機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchanges_sent",
    )
    sender_name = models.CharField("發文機關全銜", max_length=NAME_MAX, blank=True)
    sender_code = models.CharField("發文機關代碼", max_length=10, blank=True)
    sender_number = models.CharField("發文字號", max_length=60, blank=True)
    subject = models.CharField("主旨", max_length=500, blank=True, help_text="密件為「密不錄由」。")
    recipient_agency = models.ForeignKey(
        Agency,
        verbose_name="受文機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchanges_received",
    )
    recipient_name = models.CharField("受文者全銜", max_length=NAME_MAX, blank=True)
    recipient_code = models.CharField("受文者機關代碼", max_length=10, blank=True)
    copy = models.CharField("正副本", max_length=10, blank=True)
    package = models.FileField("交換封包", upload_to=package_path, blank=True)
    package_name = models.CharField("封包檔名", max_length=140, blank=True)
    received_document = models.ForeignKey(
        "documents.Document",
        verbose_name="收文",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField("退文理由", max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    updated_at = models.DateTimeField("更新時間", auto_now=True)

    class Meta:
        verbose_name = "公文交換紀錄"
        verbose_name_plural = "公文交換紀錄"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sender_agency", "state"], name="exchange_sender_idx"),
            models.Index(fields=["recipient_agency", "state"], name="exchange_recipient_idx"),
        ]

    def __str__(self) -> str:
        # Never the subject (a 密 document's is secret).
        return f"{self.sender_number or self.package_name} → {self.recipient_name or '—'}"

    def audit_agency_id(self) -> int | None:
        return self.sender_agency_id or self.recipient_agency_id


class ExchangeEvent(Audited):
    """One line of the exchange log (交換紀錄): what happened, when, by whom, and why."""

    exchange = models.ForeignKey(
        Exchange, verbose_name="交換紀錄", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事件", max_length=10, choices=EventKind.choices)
    at = models.DateTimeField("時間", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("說明", max_length=REASON_MAX, blank=True)

    class Meta:
        verbose_name = "公文交換事件"
        verbose_name_plural = "公文交換事件"
        ordering = ["exchange", "at", "id"]

    def __str__(self) -> str:
        return f"{self.exchange} {self.get_kind_display()}"

    def audit_agency_id(self) -> int | None:
        return self.exchange.audit_agency_id()
