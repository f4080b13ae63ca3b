"""Petition fixtures: the people of the routing flow, a petition from the web form, uploads,
and helpers that route, reply and close through the engine's services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.cases import services as case_services
from secretariat.cases.models import Channel

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(make_person):
    return {
        "router": make_person("sec-clerk", "秘書處", "registry_clerk"),
        "udd": make_person("udd-officer", "都發局", "case_officer"),
        "udd_boss": make_person("udd-supervisor", "都發局", "supervisor"),
        "police": make_person("police-officer", "警察局", "case_officer"),
        "police_boss": make_person("police-supervisor", "警察局", "supervisor"),
    }


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


REQUESTER = {"name": "王小明", "email": "xiaoming@example.test", "phone": "0912-345-678"}


@pytest.fixture
def submit(registry):
    """submit(**overrides) → a Receipt from the web channel with consent."""
    from secretariat.petitions import services

    def make(**overrides):
        fields = {
            "channel": Channel.WEB,
            "subject": "松仁路人行道破損",
            "body": "信義區松仁路人行道地磚破損，請儘速修復。",
            "requester": dict(REQUESTER),
            "category": "roads",
            "consent": True,
            "client_ip": "203.0.113.9",
        }
        fields.update(overrides)
        return services.submit_petition(**fields)

    return make


@pytest.fixture
def flow(people, agency):
    """Route, reply and close a case with the engine's services."""

    class Flow:
        def route(self, case, lead="都發局", co=("警察局",)):
            return case_services.route_case(
                case, agency(lead), [agency(name) for name in co], by=people["router"]
            )

        def reply(self, assignment, text):
            officer, boss = {
                "都發局": ("udd", "udd_boss"),
                "警察局": ("police", "police_boss"),
            }[assignment.agency.short_name]
            case_services.draft_reply(assignment, text, by=people[officer])
            return case_services.approve_reply(assignment, by=people[boss])

        def close(self, case):
            return case_services.close_case(case, by=people["router"])

    return Flow()
