"""The home page (/): anonymous visitors get the public services (我要陳情, 案件查詢) and the
staff sign-in, never the dashboard; signed-in staff land on their dashboard."""

import pytest

from secretariat.core import modules

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_gets_the_public_services_and_the_staff_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h2><a href="/petitions/submit/">我要陳情</a></h2>' in page
    assert '<h2><a href="/petitions/status/">案件查詢</a></h2>' in page
    assert '<a href="/accounts/login/">登入業務作業平台</a>' in page
    assert "我的待辦" not in page and "功能模組" not in page
    # Every service the modules register is offered, in their order.
    labels = [service.label for service in modules.public_services()]
    assert labels[:2] == ["我要陳情", "案件查詢"]
    assert all(label in page for label in labels)


def test_signed_in_staff_land_on_their_dashboard(client, make_person):
    client.force_login(make_person("udd-officer", "都發局", "case_officer"))
    page = client.get("/").content.decode()
    assert "我的待辦" in page and "登入業務作業平台" not in page
