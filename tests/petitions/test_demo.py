"""Demo petitions: created through the services in several states, idempotent."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from secretariat.cases.models import Case
from secretariat.petitions import demo, services
from secretariat.petitions.models import Petition

pytestmark = pytest.mark.django_db


def test_load_demo_needs_the_demo_accounts(registry):
    with pytest.raises(RuntimeError, match="police-supervisor"):
        demo.load_demo()
    assert Petition.objects.count() == 0


def test_demo_command_loads_petitions_idempotently_in_every_state(registry, capsys):
    call_command("demo")
    assert "人民陳情示範案件：新增 10 件" in capsys.readouterr().out
    assert demo.load_demo() == "新增 0 件"
    call_command("demo")
    assert Petition.objects.count() == 10
    states = Counter(Case.objects.values_list("status", flat=True))
    assert set(states) == {"pending", "in_progress", "replied", "closed", "filed"}
    leads = set(
        Case.objects.filter(assignments__role="lead").values_list(
            "assignments__agency__short_name", flat=True
        )
    )
    assert {"都發局", "警察局"} <= leads
    surveyed = Petition.objects.get(survey_rating__isnull=False)
    assert surveyed.case.status == "closed"
    number = surveyed.case.number
    assert services.open_for_citizen(number, demo.DEMO_PASSWORD, client_ip="127.0.0.1") == surveyed
