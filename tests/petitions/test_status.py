"""The public status page: number + password, zh-Hant status, replies only once every agency
replied, no requester identity, and the survey after closure (once, audited)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from secretariat.cases import selectors as case_selectors
from secretariat.cases import services as case_services
from secretariat.cases.models import Assignment, CaseStatus
from secretariat.core.errors import DomainError
from secretariat.core.models import AuditEntry
from secretariat.core.roc import format_date
from secretariat.petitions import services
from secretariat.petitions.models import Petition
from tests.petitions.conftest import REQUESTER

pytestmark = pytest.mark.django_db
GENERIC = "案件編號或查詢密碼不正確。"


def open_status(client, number, password):
    return client.post("/petitions/status/", {"number": number, "password": password})


def detail(client, number):
    return client.get(f"/petitions/status/{number}/")


def test_wrong_password_and_unknown_number_get_the_same_message(client, submit):
    receipt = submit()
    wrong = open_status(client, receipt.number, "WRONG234")
    unknown = open_status(client, "陳115999999", receipt.password)
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert GENERIC in response.content.decode()
        assert response.context["form"].errors == {"__all__": [GENERIC]}


def test_right_password_opens_the_status_page(client, submit):
    receipt = submit()
    response = open_status(client, receipt.number, receipt.password.lower())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert receipt.number in page and "待分辦" in page and "松仁路人行道破損" in page


def test_status_page_needs_the_password_first(client, submit):
    receipt = submit()
    response = detail(client, receipt.number)
    assert response.status_code == 302 and response["Location"] == "/petitions/status/"


def test_full_width_number_is_accepted(client, submit):
    receipt = submit()
    full_width = receipt.number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert open_status(client, f" {full_width} ", receipt.password).status_code == 302


def test_replies_are_shown_only_after_every_agency_replied(client, submit, flow):
    receipt = submit()
    lead, co = flow.route(receipt.petition.case)
    flow.reply(lead, "本局已派員查處，違建將依法拆除。")
    open_status(client, receipt.number, receipt.password)
    page = detail(client, receipt.number).content.decode()
    assert "辦理中" in page and "臺北市政府都市發展局、臺北市政府警察局" in page
    assert "本局已派員查處" not in page

    flow.reply(co, "本局將加強巡邏。")
    page = detail(client, receipt.number).content.decode()
    assert "已回復" in page
    assert "臺北市政府都市發展局（主辦）" in page and "臺北市政府警察局（協辦）" in page
    assert "本局已派員查處，違建將依法拆除。" in page and "本局將加強巡邏。" in page
    lead.refresh_from_db()
    assert f"回復日期：{format_date(lead.replied_on)}" in page


def test_requester_identity_is_never_on_the_status_page(client, submit, flow):
    receipt = submit()
    lead, co = flow.route(receipt.petition.case)
    flow.reply(lead, "已處理。")
    flow.reply(co, "已處理。")
    flow.close(receipt.petition.case)
    open_status(client, receipt.number, receipt.password)
    page = detail(client, receipt.number).content.decode()
    for value in REQUESTER.values():
        assert value not in page
    assert "王○明" not in page


def test_survey_only_after_closure_and_only_once(client, submit, flow):
    receipt = submit()
    lead, co = flow.route(receipt.petition.case)
    open_status(client, receipt.number, receipt.password)
    refused = client.post(
        f"/petitions/status/{receipt.number}/survey/", {"rating": "4"}, follow=True
    )
    assert "案件結案後才能填寫滿意度調查。" in refused.content.decode()
    assert "滿意度調查" not in detail(client, receipt.number).content.decode()

    flow.reply(lead, "已處理。")
    flow.reply(co, "已處理。")
    flow.close(receipt.petition.case)
    page = detail(client, receipt.number).content.decode()
    assert "送出滿意度調查" in page

    missing = client.post(f"/petitions/status/{receipt.number}/survey/", {"rating": ""})
    assert missing.context["survey_form"].errors["rating"] == ["請選擇 1 至 5 分的滿意度。"]

    done = client.post(
        f"/petitions/status/{receipt.number}/survey/", {"rating": "4", "comment": "回復很快"}
    )
    assert done.status_code == 302
    petition = Petition.objects.get()
    assert (petition.survey_rating, petition.survey_comment) == (4, "回復很快")
    page = detail(client, receipt.number).content.decode()
    assert "您已填寫滿意度調查（4 分）" in page and "送出滿意度調查" not in page

    again = client.post(f"/petitions/status/{receipt.number}/survey/", {"rating": "1"}, follow=True)
    assert "本案已填寫過滿意度調查" in again.content.decode()
    assert Petition.objects.get().survey_rating == 4
    entry = AuditEntry.objects.filter(action="petition:survey").get()
    assert entry.changes["survey_rating"] == [None, 4] and entry.actor_label == "匿名"


def test_survey_refuses_out_of_range_ratings(submit, flow):
    receipt = submit()
    lead, co = flow.route(receipt.petition.case)
    flow.reply(lead, "已處理。")
    flow.reply(co, "已處理。")
    flow.close(receipt.petition.case)
    with pytest.raises(DomainError) as caught:
        services.submit_survey(receipt.petition, 6)
    assert "rating" in caught.value.fields


def test_filed_case_shows_its_status(client, submit, people):
    from secretariat.cases import services as case_services

    receipt = submit()
    case_services.file_case(receipt.petition.case, "重複陳情", by=people["router"])
    assert receipt.petition.case.__class__.objects.get().status == CaseStatus.FILED
    open_status(client, receipt.number, receipt.password)
    page = detail(client, receipt.number).content.decode()
    assert "存查" in page and "重複陳情" not in page


def steps_shown(page: str) -> list[tuple[str, str]]:
    """(label, state) of each step on the page, the current one marked with ▶."""
    items = re.findall(
        r'<li class="(step-[a-z]+)"( aria-current="step")?>\s*'
        r'<span class="step-label">([^<]+)</span>\s*'
        r'<span class="step-state">([^<]+)</span>',
        page,
    )
    return [(("▶" if current else "") + label, state) for _, current, label, state in items]


def test_the_steps_and_the_expected_reply_follow_the_case(client, submit, flow, people):
    receipt = submit()
    case = receipt.petition.case
    open_status(client, receipt.number, receipt.password)
    page = detail(client, receipt.number).content.decode()
    received = format_date(case.received_on)
    assert steps_shown(page) == [
        ("收件", f"已完成　{received}"),
        ("▶分辦", "目前進行中"),
        ("機關辦理", "尚未進行"),
        ("回復", "尚未進行"),
        ("結案", "尚未進行"),
    ]
    # Before routing the rule says when: the kind's setting, in words.
    assert '<dd id="expected-reply">分辦後6個工作天內</dd>' in page

    lead, co = flow.route(case)
    case.refresh_from_db()
    page = detail(client, receipt.number).content.decode()
    assert steps_shown(page)[1:3] == [
        ("分辦", f"已完成　{format_date(case.routed_on)}"),
        ("▶機關辦理", "目前進行中"),
    ]
    expected = case_selectors.expected_reply(case)
    assert f'<dd id="expected-reply">{expected}以前</dd>' in page
    assert f"預計於{expected}以前回復" in page and "已逾預計回復日期" not in page

    flow.reply(lead, "已處理。")
    flow.reply(co, "已處理。")
    case.refresh_from_db()
    page = detail(client, receipt.number).content.decode()
    assert steps_shown(page)[2:] == [
        ("機關辦理", "已完成"),
        ("回復", f"已完成　{format_date(case.replied_on)}"),
        ("▶結案", "目前進行中"),
    ]
    assert 'id="expected-reply"' not in page  # the replies are there instead

    flow.close(case)
    case.refresh_from_db()
    page = detail(client, receipt.number).content.decode()
    assert steps_shown(page)[-1] == ("▶結案", f"已完成　{format_date(case.closed_on)}")


def test_a_past_expected_reply_says_the_secretariat_chases_it(client, submit, flow, people):
    receipt = submit()
    flow.route(receipt.petition.case)
    Assignment.objects.update(due_on=dt.date(2025, 3, 3))
    open_status(client, receipt.number, receipt.password)
    page = detail(client, receipt.number).content.decode()
    assert '<dd id="expected-reply">114年3月3日以前</dd>' in page
    assert "已逾預計回復日期；在各機關回復以前，秘書處每個工作天催辦。" in page


@pytest.mark.parametrize(("end", "label"), [("file_case", "存查"), ("withdraw_case", "撤回")])
def test_a_filed_or_withdrawn_case_ends_its_steps_as_such(client, submit, people, end, label):
    receipt = submit()
    getattr(case_services, end)(receipt.petition.case, "重複陳情", by=people["router"])
    open_status(client, receipt.number, receipt.password)
    page = detail(client, receipt.number).content.decode()
    closed = receipt.petition.case.__class__.objects.get().closed_on
    assert steps_shown(page) == [
        ("收件", f"已完成　{format_date(receipt.petition.case.received_on)}"),
        (f"▶{label}", f"已完成　{format_date(closed)}"),
    ]
    assert "重複陳情" not in page and 'id="expected-reply"' not in page
    assert "本案沒有機關回復。" in page
