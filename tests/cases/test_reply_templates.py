"""Reply templates per agency (回復範本): an agency's supervisors and head keep named texts,
for every kind or one kind; its officers choose one in the draft-reply form (htmx fills the
textarea); another agency never sees them; every change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.cases import selectors, services
from secretariat.cases.models import ReplyTemplate
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TEXT = "感謝您的來信。本局已派員查處，將於一週內完成改善。"


def template(by, title="派員查處", text=TEXT, kind=""):
    return services.save_reply_template(by=by, title=title, text=text, kind=kind)


def test_supervisors_keep_templates_and_officers_read_them(staff):
    kept = template(staff["udd_boss"])
    assert kept.agency == staff["udd_boss"].agency
    assert list(selectors.reply_templates_for(staff["udd"])) == [kept]
    with pytest.raises(PermissionDenied):
        template(staff["udd"], title="承辦人自己的")


def test_an_agency_never_sees_another_agencys_templates(staff, admin):
    udd = template(staff["udd_boss"])
    police = template(staff["police_boss"], title="加強巡邏", text="本局將加強巡邏。")
    assert list(selectors.reply_templates_for(staff["police"])) == [police]
    assert list(selectors.reply_templates_for(staff["udd"])) == [udd]
    with pytest.raises(PermissionDenied):
        services.save_reply_template(
            by=staff["police_boss"], title="改他人的", text="x", template=udd
        )
    with pytest.raises(PermissionDenied):
        services.delete_reply_template(udd, by=staff["police_boss"])
    # Administrators read every agency's (to help) but offer none in a draft form.
    assert set(selectors.reply_templates_for(admin)) == {udd, police}


def test_templates_for_one_kind_are_offered_for_that_kind_only(staff):
    every = template(staff["udd_boss"], title="通用")
    petitions = template(staff["udd_boss"], title="陳情", kind="petition")
    council = template(staff["udd_boss"], title="議員", kind="council_question")
    offered = set(selectors.own_reply_templates(staff["udd"], "petition"))
    assert offered == {every, petitions}
    assert council not in offered


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title": "", "text": ""}, {"title": ["請填寫範本名稱。"], "text": ["請填寫範本內容。"]}),
        ({"title": "名\n稱"}, {"title": ["範本名稱不可換行或含有定位字元（Tab）。"]}),
        ({"text": "內容\x07"}, {"text": ["範本內容含有不允許的控制字元。"]}),
        ({"title": "名" * 61}, {"title": ["範本名稱不可超過 60 字（目前 61 字）。"]}),
        ({"text": "字" * 4001}, {"text": ["範本內容不可超過 4,000 字（目前 4,001 字）。"]}),
        ({"kind": "nope"}, {"kind": ["未知的案件類別：nope"]}),
    ],
)
def test_bad_templates_are_refused(staff, fields, errors):
    values = {"title": "派員查處", "text": TEXT, "kind": "", **fields}
    with pytest.raises(DomainError) as refused:
        services.save_reply_template(by=staff["udd_boss"], **values)
    assert refused.value.fields == errors
    assert not ReplyTemplate.objects.exists()


def test_a_title_is_unique_per_agency_and_kind(staff):
    template(staff["udd_boss"])
    with pytest.raises(DomainError) as refused:
        template(staff["udd_boss"], text="另一段")
    assert refused.value.fields == {"title": ["本機關已有名為「派員查處」的範本。"]}
    template(staff["udd_boss"], kind="petition")  # another kind
    template(staff["police_boss"])  # another agency


def test_changes_are_audited(staff):
    kept = template(staff["udd_boss"])
    services.save_reply_template(
        by=staff["udd_boss"], title="派員查處", text="新的文字", template=kept
    )
    services.delete_reply_template(kept, by=staff["udd_boss"])
    entries = AuditEntry.objects.filter(object_type="cases.replytemplate").order_by("seq")
    assert [e.action for e in entries] == [
        "reply_template:save",
        "reply_template:save",
        "reply_template:delete",
    ]
    assert all(e.actor_id == staff["udd_boss"].pk for e in entries)
    assert entries[1].changes["text"] == [TEXT, "新的文字"]
    assert entries[2].changes["text"] == ["新的文字", None]


# --- Pages -----------------------------------------------------------------------------------


def test_the_templates_page_manages_the_agencys_templates(client, staff):
    client.force_login(staff["udd_boss"])
    page = client.get("/cases/reply-templates/")
    assert page.status_code == 200 and "新增範本" in page.content.decode()
    created = client.post(
        "/cases/reply-templates/", {"title": "派員查處", "text": TEXT, "kind": "petition"}
    )
    assert created.status_code == 302
    kept = ReplyTemplate.objects.get()
    assert kept.kind == "petition" and kept.updated_by == staff["udd_boss"]
    refused = client.post("/cases/reply-templates/", {"title": "", "text": ""})
    assert refused.status_code == 400 and "請填寫範本名稱。" in refused.content.decode()
    edit = reverse("cases:reply_template", args=[kept.pk])
    assert client.post(edit, {"title": "派員查處", "text": "改過", "kind": ""}).status_code == 302
    kept.refresh_from_db()
    assert kept.text == "改過" and kept.kind == ""
    delete = reverse("cases:reply_template_delete", args=[kept.pk])
    assert client.post(delete).status_code == 302
    assert not ReplyTemplate.objects.exists()


def test_officers_read_templates_and_other_agencies_get_404(client, staff):
    kept = template(staff["udd_boss"], text="都發局範本文字")
    client.force_login(staff["udd"])
    listing = client.get("/cases/reply-templates/").content.decode()
    assert "派員查處" in listing and "新增範本" not in listing
    one = client.get(reverse("cases:reply_template", args=[kept.pk])).content.decode()
    assert "都發局範本文字" in one and "儲存" not in one
    assert client.post("/cases/reply-templates/", {"title": "x", "text": "y"}).status_code == 403
    edit = reverse("cases:reply_template", args=[kept.pk])
    assert client.post(edit, {"title": "x", "text": "y"}).status_code == 403
    client.force_login(staff["police_boss"])
    assert "派員查處" not in client.get("/cases/reply-templates/").content.decode()
    assert client.get(edit).status_code == 404
    delete = reverse("cases:reply_template_delete", args=[kept.pk])
    assert client.post(delete).status_code == 404
    fill = client.get("/cases/reply-templates/text/", {"template": kept.pk, "part": 1})
    assert fill.status_code == 404


def test_the_draft_form_offers_the_templates_and_htmx_fills_the_text(client, staff, agency):
    case = services.open_case(
        kind="petition",
        subject="陳情路燈不亮",
        body="路燈不亮。",
        channel="letter",
        requester={"name": "王小明"},
        by=None,
    )
    lead, co = services.route_case(case, agency("都發局"), [agency("警察局")], by=staff["router"])
    kept = template(staff["udd_boss"])
    template(staff["police_boss"], title="警察局範本", text="本局將加強巡邏。")
    client.force_login(staff["udd"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert f'id="template-for-{lead.pk}"' in html and "派員查處" in html
    assert "警察局範本" not in html
    assert f'hx-target="#draft-{lead.pk}-reply_text"' in html
    fill = client.get("/cases/reply-templates/text/", {"template": kept.pk, "part": lead.pk})
    textarea = fill.content.decode()
    assert fill.status_code == 200
    assert textarea.startswith("<textarea") and f'id="draft-{lead.pk}-reply_text"' in textarea
    assert 'name="reply_text"' in textarea and TEXT in textarea and "autofocus" in textarea
    for bad in ({"template": kept.pk}, {"template": "x", "part": lead.pk}, {"part": 0}):
        assert client.get("/cases/reply-templates/text/", bad).status_code == 400
    # The police officer's form offers the police's template only.
    client.force_login(staff["police"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert "警察局範本" in html and "派員查處" not in html
