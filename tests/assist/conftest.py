"""Routing-assistant fixtures: the Secretariat's router and administrator, a small history of
routed petitions (our own sentences, three agencies) and helpers to add more."""

from __future__ import annotations

import pytest

from secretariat.cases import services

HISTORY = {
    "交通局": (
        "路口號誌故障，行人綠燈秒數太短",
        "公車站牌位置不當，候車民眾站在車道上",
        "請增設機車停車格，機車停車位嚴重不足",
        "號誌時相設計不良，尖峰時段車輛回堵",
        "公車班次太少，等公車超過半小時",
        "路邊停車收費時段請調整",
    ),
    "環保局": (
        "垃圾車收運時間太晚，影響住戶作息",
        "工廠排放廢氣，空氣污染嚴重",
        "夜間施工噪音擾人，請派員稽查噪音",
        "資源回收未落實，垃圾堆積發臭",
        "餐廳油煙排放影響鄰居，空氣很差",
        "水溝孳生蚊蟲，請環境消毒",
    ),
    "警察局": (
        "深夜飆車擾民，請警方加強取締",
        "住家附近疑似有人販毒，請警方巡邏",
        "接到詐騙電話，請協助查緝詐騙集團",
        "公園有人聚賭，請警方加強巡邏",
        "酒駕肇事頻繁，請警方加強臨檢",
        "機車竊盜案件增加，請警方加強巡邏",
    ),
}


@pytest.fixture
def people(make_person):
    return {
        "router": make_person("sec-clerk", "秘書處", "registry_clerk"),
        "admin": make_person("sec-admin", "秘書處", "secretariat_admin"),
        "udd": make_person("udd-officer", "都發局", "case_officer"),
    }


@pytest.fixture
def petition(registry):
    """petition(subject, body=None, **extra) → a new case waiting to be routed."""

    def make(subject: str, body: str | None = None, **extra):
        return services.open_case(
            kind="petition",
            subject=subject,
            body=body or f"{subject}，請儘速處理。",
            channel="letter",
            requester={"name": "林小華", "email": "hua@example.test"},
            **extra,
        )

    return make


@pytest.fixture
def routed(petition, people, agency):
    """routed(subject, lead) → a petition routed to ``lead`` by the router."""

    def make(subject: str, lead: str, **extra):
        case = petition(subject, **extra)
        services.route_case(case, agency(lead), by=people["router"])
        return case

    return make


@pytest.fixture
def history(routed):
    """Eighteen routed petitions, six per agency."""
    return [routed(text, lead) for lead, texts in HISTORY.items() for text in texts]
