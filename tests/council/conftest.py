"""The council the tests work with: the 14th term, its 6th regular session, councillors of
three caucuses, the Secretariat's 府會 staff and two agencies' staff."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.council.models import Councillor, Session, SessionKind, Term


@pytest.fixture
def term(registry):
    return Term.objects.create(number=14, start_on=dt.date(2022, 12, 25))


@pytest.fixture
def council_session(term):
    return Session.objects.create(
        term=term,
        kind=SessionKind.REGULAR,
        number=6,
        start_on=dt.date(2025, 3, 4),
        end_on=dt.date(2025, 6, 20),
    )


@pytest.fixture
def councillors(term):
    made = {}
    for name, caucus, district, email in [
        ("林議員", "甲黨團", "第一選舉區", "lin@council.example.test"),
        ("陳議員", "乙黨團", "第二選舉區", "chen@council.example.test"),
        ("王議員", "丙黨團", "第三選舉區", ""),
    ]:
        made[name] = Councillor.objects.create(
            term=term,
            name=name,
            caucus=caucus,
            district=district,
            email=email,
            active_from=term.start_on,
        )
    return made


@pytest.fixture
def staff(make_person):
    return {
        "desk": make_person("sec-council", "秘書處", "council_liaison", display_name="府會科"),
        "clerk": make_person("sec-clerk", "秘書處", "registry_clerk"),
        "udd": make_person("udd-officer", "都發局", "case_officer", display_name="黃承辦"),
        "udd_boss": make_person("udd-supervisor", "都發局", "supervisor"),
        "udd_head": make_person("udd-head", "都發局", "head", display_name="周局長"),
        "udd_liaison": make_person("udd-liaison", "都發局", "council_liaison"),
        "police": make_person("police-officer", "警察局", "case_officer"),
        "police_head": make_person("police-head", "警察局", "head"),
        "police_liaison": make_person("police-liaison", "警察局", "council_liaison"),
    }
