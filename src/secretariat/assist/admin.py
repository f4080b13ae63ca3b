"""Django admin of the routing assistant: the trained versions (figures, which one is in use,
a button to retrain now, an action to go back to an earlier version) and the routers'
feedback. Everything is read-only here: versions are made by training, feedback by routing."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from secretariat.assist import services
from secretariat.assist.models import RoutingFeedback, TrainedModel
from secretariat.assist.tasks import retrain_task
from secretariat.core import roc
from secretariat.core.errors import DomainError
from secretariat.core.permissions import is_administrator


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _figure(key: str, label: str):
    @admin.display(description=label)
    def show(_admin, record: TrainedModel) -> str:
        value = record.evaluation.get(key)
        return "—" if value is None else roc.format_percent(value, 1)

    return show


@admin.register(TrainedModel)
class TrainedModelAdmin(ReadOnly):
    list_display = (
        "version",
        "is_active",
        "trained_at",
        "trigger",
        "training_size",
        "label_count",
        "top1",
        "top3",
        "coverage",
        "precision",
        "feedback_cases",
        "overruled_cases",
        "seconds",
    )
    list_filter = ("is_active", "trigger")
    exclude = ("weights",)
    actions = ["activate"]

    top1 = _figure("top1", "第一名正確率")
    top3 = _figure("top3", "前三名命中率")
    coverage = _figure("coverage", "提供建議比例")
    precision = _figure("precision_at_threshold", "門檻以上精確率")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("weights")

    def get_urls(self):
        retrain = self.admin_site.admin_view(require_POST(self.retrain_view))
        return [
            path("retrain/", retrain, name="assist_trainedmodel_retrain"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_retrain": is_administrator(request.user)}
        return super().changelist_view(request, extra_context)

    def retrain_view(self, request: HttpRequest):
        """「立即重新訓練」: a background job trains and activates a new version."""
        if is_administrator(request.user):
            retrain_task.enqueue(requested_by=request.user.pk)
            messages.success(request, "已排入背景重新訓練，完成後新版本會出現在列表並自動啟用。")
        else:
            messages.error(request, "只有系統管理者或秘書處管理者可以重新訓練分辦建議模型。")
        return HttpResponseRedirect(reverse("admin:assist_trainedmodel_changelist"))

    @admin.action(description="啟用選取的版本")
    def activate(self, request, queryset) -> None:
        if queryset.count() != 1:
            messages.error(request, "請只選取一個版本啟用。")
            return
        try:
            record = services.activate_model(queryset.get(), by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已啟用{record}。")


@admin.register(RoutingFeedback)
class RoutingFeedbackAdmin(ReadOnly):
    list_display = (
        "case",
        "trained_model",
        "suggested_agency",
        "lead",
        "accepted",
        "abstained",
        "routed_by",
        "routed_at",
    )
    list_filter = ("accepted", "abstained", "trained_model")
    search_fields = ("case__number", "case__subject")
    list_select_related = ("case", "lead", "routed_by", "trained_model")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("trained_model__weights")

    @admin.display(description="建議主辦機關（代號）")
    def suggested_agency(self, feedback: RoutingFeedback) -> str:
        return feedback.top_suggestion or "—"
