"""The council's fixtures (staff, term, councillors): the schedule is mailed to councillors.
And the press office's people: the Secretariat's and two agencies' 新聞聯絡人, officers,
supervisors and heads; a signed-up journalist."""

import pytest

from tests.council.conftest import council_session, councillors, staff, term  # noqa: F401


@pytest.fixture
def press_people(make_person):
    return {
        "press": make_person(
            "sec-press", "秘書處", "press_liaison", display_name="張新聞", email="sec-press@x.test"
        ),
        "sec_officer": make_person("sec-officer", "秘書處", "case_officer"),
        "udd_press": make_person(
            "udd-press", "都發局", "press_liaison", display_name="林新聞", email="udd-press@x.test"
        ),
        "udd_officer": make_person("udd-officer", "都發局", "case_officer", display_name="黃承辦"),
        "udd_head": make_person(
            "udd-head", "都發局", "head", display_name="周局長", email="udd-head@x.test"
        ),
        "police_press": make_person(
            "police-press", "警察局", "press_liaison", email="police-press@x.test"
        ),
        "police_officer": make_person("police-officer", "警察局", "case_officer"),
        "dot_press": make_person("dot-press", "交通局", "press_liaison", email="dot@x.test"),
    }


@pytest.fixture
def journalist_factory(registry):
    from secretariat.media import services

    def make(username="reporter", approve_by=None, **extra):
        values = {
            "name": "陳記者",
            "outlet": "臺北日報",
            "phone": "02-2345-0001",
            "email": f"{username}@news.example",
        }
        values.update(extra)
        journalist = services.register_journalist(
            username=username, password="correct-horse-115", **values
        )
        if approve_by is not None:
            journalist = services.decide_journalist(journalist, approve=True, by=approve_by)
        return journalist

    return make
