import pytest


@pytest.fixture
def categories(registry):
    from secretariat.service import services
    from secretariat.service.models import ConsultationCategory

    services.load_default_categories()
    return {c.code: c for c in ConsultationCategory.objects.all()}


@pytest.fixture
def desk(make_person):
    """服務台人員 of the Secretariat."""
    return make_person("sec-desk", "秘書處", "service_desk")


@pytest.fixture
def desk_supervisor(make_person):
    """服務台督導: desk staff who are also 主管."""
    return make_person("sec-desk-chief", "秘書處", "service_desk", "supervisor")
