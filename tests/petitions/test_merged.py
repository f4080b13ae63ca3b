"""A petition merged into another (併案) is answered with the other's replies: its citizen is
told of the merge, mailed the replies when the other petition is answered (or at once when it
already was), and its status page says where it went and shows those replies."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from secretariat.cases import history
from secretariat.cases import selectors as case_selectors
from secretariat.cases import services as case_services
from secretariat.core.models import AuditEntry

pytestmark = pytest.mark.django_db

FIRST = {"name": "王小明", "email": "xiaoming@example.test"}
SECOND = {"name": "李大華", "email": "dahua@example.test"}


@pytest.fixture
def merged_pair(submit, flow, people, immediate_jobs, django_capture_on_commit_callbacks):
    """Two citizens' petitions on the same street light; the second merged into the first."""
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(subject="松仁路路燈不亮", requester=dict(FIRST))
        second = submit(subject="松仁路路燈整排不亮", requester=dict(SECOND))
        lead, co = flow.route(first.petition.case)
        flow.route(second.petition.case, co=())
    mail.outbox.clear()  # the receipts
    with django_capture_on_commit_callbacks(execute=True):
        case_services.merge_case(
            second.petition.case, first.petition.case, "同一路段重複陳情", by=people["router"]
        )
    return first, second, lead, co


def test_both_citizens_are_mailed_the_replies(
    merged_pair, flow, people, django_capture_on_commit_callbacks
):
    first, second, lead, co = merged_pair
    [notice] = mail.outbox
    assert notice.to == [SECOND["email"]]
    assert notice.subject == f"陳情案件併案通知（{second.number}）"
    assert "已併入該案辦理" in notice.body and first.number in notice.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        flow.reply(lead, "本局已派員修復路燈。")
        flow.reply(co, "本局將加強巡邏。")
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {FIRST["email"], SECOND["email"]}
    for message in by_address.values():
        assert "本局已派員修復路燈。" in message.body and "本局將加強巡邏。" in message.body
    theirs = by_address[SECOND["email"]]
    assert theirs.subject == f"陳情案件回復通知（{second.number}）"
    assert f"已併入陳情案件 {first.number} 辦理" in theirs.body
    assert "滿意度調查" not in theirs.body  # a merged petition is never closed itself
    audited = AuditEntry.objects.get(
        action="petition:mail_replies", object_id=str(second.petition.case.pk)
    )
    assert audited.changes == {"replies": 2, "merged_into": first.number}
    # The case page's history tells both mails.
    router = people["router"]
    shown = case_selectors.case_for(router, second.number)
    told = [line.text for line in history.case_history(router, shown, 100).lines]
    assert f"以電子郵件通知陳情人已併入 {first.number} 辦理" in told
    assert f"以電子郵件將 {first.number} 的回復內容寄給陳情人（併案）" in told


def test_a_petition_merged_into_one_already_answered_gets_the_replies_at_once(
    submit, flow, people, immediate_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(requester=dict(FIRST))
        (lead,) = flow.route(first.petition.case, co=())
        flow.reply(lead, "本局已修復。")
        late = submit(requester=dict(SECOND))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.merge_case(
            late.petition.case, first.petition.case, "重複陳情", by=people["router"]
        )
    [message] = mail.outbox
    assert message.to == [SECOND["email"]] and "本局已修復。" in message.body
    assert message.subject == f"陳情案件回復通知（{late.number}）"


def test_the_merged_petitions_status_page_shows_the_merge_and_the_replies(
    client, merged_pair, flow
):
    first, second, lead, co = merged_pair
    client.post("/petitions/status/", {"number": second.number, "password": second.password})
    page = client.get(f"/petitions/status/{second.number}/").content.decode()
    assert "併案" in page and "已併入該案辦理" in page and first.number in page
    assert "臺北市政府都市發展局" in page  # the agencies answering it
    steps = page.split('id="steps-heading"')[1].split("</ol>")[0]
    assert "併案" in steps and 'aria-current="step"' in steps
    assert f"本案已併入陳情案件 {first.number} 辦理" in steps
    assert 'id="expected-reply"' in page  # the expected reply of the petition it joined
    assert "本局已派員修復路燈。" not in page
    flow.reply(lead, "本局已派員修復路燈。")
    flow.reply(co, "本局將加強巡邏。")
    page = client.get(f"/petitions/status/{second.number}/").content.decode()
    assert "本局已派員修復路燈。" in page and "本局將加強巡邏。" in page
    assert "同一路段重複陳情" not in page  # the reason is the staff's, like a 存查 reason
    assert SECOND["name"] not in page and FIRST["name"] not in page


def test_open311_and_the_api_say_where_a_merged_petition_went(client, merged_pair, people):
    first, second, _, _ = merged_pair
    published = client.get(f"/open311/v2/requests/{second.number}.json").json()[0]
    assert published["status"] == "closed"
    assert f"已併入 {first.number} 辦理" in published["status_notes"]
    client.force_login(people["router"])
    answer = client.get(f"/api/v1/petitions/{second.number}").json()
    assert answer["status"] == "merged" and answer["merged_into"] == first.number
    assert json.dumps(answer, ensure_ascii=False).count("同一路段重複陳情") == 0
