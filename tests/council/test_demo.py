"""The council demo: loaded by `secretariat demo` through the services, idempotent, in every
state the pages show."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from secretariat.cases.models import CaseStatus
from secretariat.council import demo
from secretariat.council.compilation import compile_event
from secretariat.council.models import CouncilQuestion, DataRequest, QuestionEvent, ServiceCase

pytestmark = pytest.mark.django_db


def test_needs_the_demo_accounts(registry):
    with pytest.raises(RuntimeError, match="sec-council"):
        demo.load_demo()
    assert not QuestionEvent.objects.exists()


def test_demo_command_loads_the_council_once(registry, capsys):
    call_command("demo")
    assert "府會事務示範資料" in capsys.readouterr().out
    call_command("demo")
    event = QuestionEvent.objects.get()
    assert CouncilQuestion.objects.count() == len(demo.QUESTIONS)
    statuses = set(CouncilQuestion.objects.values_list("case__status", flat=True))
    assert statuses == {CaseStatus.PENDING, CaseStatus.IN_PROGRESS, CaseStatus.REPLIED}
    assert len(compile_event(event).missing) == 2
    assert DataRequest.objects.count() == 2
    assert list(ServiceCase.objects.exclude(grade="").values_list("grade", flat=True)) == ["A"]
