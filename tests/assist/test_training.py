"""Training from the routed history: the final lead agency as the label, versions with their
evaluation, the daily job, permissions and the models that keep their weights."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.assist import learning, selectors
from secretariat.assist import services as assist_services
from secretariat.assist.models import TrainedModel
from secretariat.assist.tasks import retrain_task
from secretariat.cases import services
from secretariat.cases.models import RoutingKeyword
from secretariat.core import tasks as core_tasks
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency

pytestmark = pytest.mark.django_db


def test_training_learns_the_final_lead_agency_of_routed_cases(history, routed, people, agency):
    moved = routed("巷口號誌整晚閃黃燈", "交通局")
    services.reroute_part(
        moved.assignments.get(), agency("警察局"), "由警察局處理", by=people["router"]
    )
    secret = routed("陳情某工廠排放廢水", "環保局", confidential=True)
    examples = {e.case_id: e for e in selectors.training_examples()}
    assert examples[moved.pk].agency == agency("警察局").code
    assert secret.pk not in examples
    assert len(examples) == len(history) + 1

    record = assist_services.train_model()
    assert (record.version, record.is_active) == (1, True)
    assert (record.training_size, record.label_count) == (19, 3)
    assert {"top1", "top3", "coverage", "precision_at_threshold"} <= set(record.evaluation)
    assert record.size == len(selectors.model_weights(record.pk)) > 0

    second = assist_services.train_model()
    record.refresh_from_db()
    assert second.version == 2 and second.is_active and not record.is_active


def test_the_keyword_table_trains_the_model_too(history, agency):
    """Keywords of agencies in force are training-only cases of the agencies the history has:
    a duty no case has touched yet goes to its agency. An agency nobody was routed to does not
    become a suggestion through its keywords, and an abolished agency's keywords are not read."""
    text = "有人在網路上販賣槍械"
    plain = assist_services.train_model()
    assert _model(plain).rank(text)[0].label != "police"
    RoutingKeyword.objects.create(keyword="槍械", agency=agency("警察局"))
    RoutingKeyword.objects.create(keyword="消防栓", agency=agency("消防局"), weight=2)
    gone = Agency.objects.create(
        code="gone",
        name="臺北市政府已裁撤局",
        short_name="已裁撤局",
        kind="first_level",
        abolished_on=dt.date(2020, 1, 1),
    )
    RoutingKeyword.objects.create(keyword="舊業務", agency=gone)
    priors = selectors.keyword_priors()
    assert [(p.text, p.label, p.weight) for p in priors] == [
        ("槍械", "police", 1.0),
        ("消防栓", "fire", 2.0),
    ]
    record = assist_services.train_model()
    assert (record.training_size, record.label_count) == (18, 3)
    assert record.evaluation["keyword_priors"] == 1 and record.evaluation["n"] == 18
    model = _model(record)
    assert "fire" not in model.labels
    assert model.rank(text)[0].label == "police"


def _model(record) -> learning.Model:
    return learning.Model.from_bytes(selectors.model_weights(record.pk))


def test_too_little_history_is_refused(routed):
    for text in ("公車誤點", "垃圾未收"):
        routed(text, "交通局")
    with pytest.raises(DomainError) as error:
        assist_services.train_model()
    assert error.value.code == "assist_not_enough_data"
    assert "訓練資料不足" in error.value.message and "目前 2 件、1 個機關" in error.value.message
    assert not TrainedModel.objects.exists()


def test_only_administrators_train_and_activate(history, people):
    with pytest.raises(PermissionDenied):
        assist_services.train_model(by=people["router"])
    record = assist_services.train_model(by=people["admin"])
    assert record.trained_by == people["admin"]
    with pytest.raises(PermissionDenied):
        assist_services.activate_model(record, by=people["router"])


def test_old_versions_keep_their_figures_but_not_their_weights(history, people):
    records = [assist_services.train_model() for _ in range(assist_services.KEEP_WEIGHTS + 1)]
    oldest = TrainedModel.objects.get(pk=records[0].pk)
    assert oldest.weights is None and oldest.evaluation == records[0].evaluation
    assert all(selectors.model_weights(r.pk) for r in records[1:])
    with pytest.raises(DomainError) as error:
        assist_services.activate_model(oldest, by=people["admin"])
    assert error.value.code == "assist_no_weights"
    back = assist_services.activate_model(records[1], by=people["admin"])
    assert back.is_active and selectors.active_model() == back


def test_the_daily_job_retrains(history):
    job = core_tasks.DAILY_JOBS["assist.retrain"]
    assert job.at.hour == 3
    assert retrain_task.call() == {"trained": True, "version": 1, "training_size": 18}


def test_the_daily_job_reports_too_little_data(registry):
    result = retrain_task.call()
    assert result["trained"] is False and "訓練資料不足" in result["message"]
