"""The admin: versions with their figures, 「立即重新訓練」 for administrators (a background
job), and going back to an earlier version."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from secretariat.assist import selectors
from secretariat.assist import services as assist_services
from secretariat.assist.tasks import retrain_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_admin(people):
    person = people["admin"]
    person.is_staff = person.is_superuser = True
    person.save()
    return person


def test_administrators_retrain_from_the_admin(client, staff_admin, history):
    client.force_login(staff_admin)
    listing = reverse("admin:assist_trainedmodel_changelist")
    assert "立即重新訓練" in client.get(listing).content.decode()
    response = client.post(reverse("admin:assist_trainedmodel_retrain"))
    assert response.status_code == 302
    queued = DBTaskResult.objects.get(task_path__endswith="retrain_task")
    assert queued.args_kwargs["kwargs"] == {"requested_by": staff_admin.pk}
    assert retrain_task.call(requested_by=staff_admin.pk)["trained"] is True
    html = client.get(listing).content.decode()
    assert "管理介面" in html and "第一名正確率" in html


def test_an_earlier_version_can_be_put_back(client, staff_admin, history):
    first = assist_services.train_model()
    assist_services.train_model()
    client.force_login(staff_admin)
    response = client.post(
        reverse("admin:assist_trainedmodel_changelist"),
        {"action": "activate", "_selected_action": [first.pk]},
    )
    assert response.status_code == 302
    assert selectors.active_model() == first
