"""Demo reply templates: kept by the demo agencies' supervisors, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from secretariat.cases import demo, selectors
from secretariat.cases.models import ReplyTemplate
from secretariat.core.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_keeps_reply_templates_once(registry, capsys):
    call_command("demo")
    assert "回復範本示範資料：新增 3 則" in capsys.readouterr().out
    assert demo.load_demo() == "新增 0 則"
    officer = User.objects.get(username="udd-officer")
    offered = [t.title for t in selectors.own_reply_templates(officer, "petition")]
    assert sorted(offered) == ["已派員會勘", "非本局權責"]
    assert ReplyTemplate.objects.filter(agency__short_name="警察局").count() == 1
