"""People the case-engine tests act as: the Secretariat's router and two agencies' staff."""

from __future__ import annotations

import pytest


@pytest.fixture
def staff(make_person):
    return {
        "router": make_person("sec-clerk", "秘書處", "registry_clerk"),
        "udd": make_person(
            "udd-officer", "都發局", "case_officer", display_name="黃承辦", email="udd@example.test"
        ),
        "udd2": make_person("udd-officer2", "都發局", "case_officer"),
        "udd_boss": make_person("udd-supervisor", "都發局", "supervisor"),
        "udd_rdec": make_person("udd-rdec", "都發局", "rdec_officer"),
        "police": make_person("police-officer", "警察局", "case_officer"),
        "police_boss": make_person("police-supervisor", "警察局", "supervisor"),
        "police_rdec": make_person("police-rdec", "警察局", "rdec_officer"),
    }
