"""書面答復資料彙編: order (councillors in speaking order, joint questions under the
first-named, 題序 within), replies (lead first, co-agencies in registry order, approved only),
the missing list, the ODT and PDF files and who may download them."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from odf import teletype
from odf.opendocument import load
from pypdf import PdfReader

from secretariat.cases import services as case_services
from secretariat.core.models import AgencyName
from secretariat.council import services
from secretariat.council.compilation import compile_event, render_odt, render_pdf
from secretariat.council.models import EventKind

pytestmark = pytest.mark.django_db

UDD = "臺北市政府都市發展局"
DOED = "臺北市政府產業發展局"
POLICE = "臺北市政府警察局"
TITLE = "市政總質詢書面答復資料彙編"


@pytest.fixture
def people(staff, make_person):
    return {
        **staff,
        "doed": make_person("doed-officer", "產業局", "case_officer"),
        "doed_head": make_person("doed-head", "產業局", "head"),
    }


def _reply(part, text, officer, head=None, on=dt.date(2025, 5, 16)):
    """擬復 by the agency's officer; 核定 by its head unless left as a draft."""
    part = case_services.draft_reply(part, text, by=officer)
    if head is not None:
        part = case_services.approve_reply(part, by=head, on=on)
    return part


@pytest.fixture
def event(council_session, councillors, people, agency):
    """Five questions: 陳 (1), 林 and 王 jointly (2), 王 (3), 陳 again (4: the lead's reply
    still a draft), 林 again (5: not routed)."""
    desk = people["desk"]
    udd, doed, police = agency("都發局"), agency("產業局"), agency("警察局")
    event = services.create_event(
        session=council_session,
        kind=EventKind.GENERAL,
        title="市政總質詢",
        start_on=dt.date(2025, 5, 5),
        end_on=dt.date(2025, 5, 14),
        sittings=8,
        by=desk,
    )
    chen, lin, wang = councillors["陳議員"], councillors["林議員"], councillors["王議員"]

    def ask(askers, day, subject, text):
        return services.record_question(
            event=event,
            councillors=askers,
            asked_on=dt.date(2025, 5, day),
            subject=subject,
            text=text,
            by=desk,
        )

    def route(question, lead, co=()):
        return case_services.route_case(question.case, lead, co, by=desk, on=question.asked_on)

    q1 = ask([chen], 5, "社會住宅興建進度", "請說明本市社會住宅興建進度。\n各基地何時完工？")
    (part,) = route(q1, udd)
    _reply(part, "本府社會住宅興建進度如下。\n第一期已完工。", people["udd"], people["udd_head"])

    q2 = ask([lin, wang], 5, "捷運站周邊治安與產業", "捷運站周邊治安及商圈發展如何改善？")
    # Co-agencies given out of registry order: the compilation puts 產業局 before 警察局.
    lead, co_police, co_doed = route(q2, udd, [police, doed])
    _reply(lead, "都發局答復：推動站區都市更新。", people["udd"], people["udd_head"])
    _reply(co_police, "警察局答復：加強巡邏。", people["police"], people["police_head"])
    _reply(co_doed, "產業局答復：輔導商圈。", people["doed"], people["doed_head"])

    q3 = ask([wang], 6, "交通違規檢舉", "交通違規檢舉案件量逐年增加，如何因應？")
    (part,) = route(q3, police)
    _reply(part, "警察局答復：擴充檢舉系統。", people["police"], people["police_head"])

    q4 = ask([chen], 7, "老舊公寓更新", "老舊公寓更新補助何時擴大？")
    lead, co = route(q4, udd, [police])
    _reply(lead, "都發局草稿：研議中。", people["udd"])  # drafted, not approved
    _reply(co, "警察局答復：配合辦理。", people["police"], people["police_head"])

    q5 = ask([lin], 8, "公園綠地維護", "公園綠地維護經費是否充足？")
    return {"event": event, "questions": [q1, q2, q3, q4, q5]}


def _sequences(compilation):
    return [entry.sequence for entry in compilation.entries]


def test_entries_are_in_speaking_order_then_question_order(event):
    compilation = compile_event(event["event"])

    assert [group.councillor for group in compilation.groups] == ["陳議員", "林議員", "王議員"]
    assert _sequences(compilation) == [1, 4, 2, 5, 3]
    joint = compilation.entries[2]
    assert joint.askers == ("林議員", "王議員")
    assert joint.case_number == event["questions"][1].case.number
    assert joint.asked_on == dt.date(2025, 5, 5)
    assert joint.text == "捷運站周邊治安及商圈發展如何改善？"


def test_replies_lead_first_then_co_agencies_approved_only(event):
    entries = {entry.sequence: entry for entry in compile_event(event["event"]).entries}

    joint = entries[2]
    assert [(r.agency, r.role) for r in joint.replies] == [
        (UDD, "主辦"),
        (DOED, "協辦"),
        (POLICE, "協辦"),
    ]
    assert joint.replies[0].text == "都發局答復：推動站區都市更新。"
    assert joint.replies[0].replied_on_text == "114年5月16日"
    assert joint.complete

    # A draft awaiting the head's approval is not a reply.
    partial = entries[4]
    assert [(r.agency, r.answered, r.text) for r in partial.replies] == [
        (UDD, False, ""),
        (POLICE, True, "警察局答復：配合辦理。"),
    ]
    assert not partial.complete
    assert entries[5].replies == ()


def test_missing_lists_unanswered_questions_and_agencies(event):
    compilation = compile_event(event["event"])

    assert not compilation.complete
    assert [(m.sequence, m.routed, m.agencies) for m in compilation.missing] == [
        (4, True, (UDD,)),
        (5, False, ()),
    ]
    assert compilation.missing[1].askers == ("林議員",)


def test_complete_once_every_part_is_approved(event, people, agency):
    q4, q5 = event["questions"][3:]
    draft = q4.case.assignments.get(agency=agency("都發局"))
    case_services.approve_reply(draft, by=people["udd_head"], on=dt.date(2025, 5, 19))
    (part,) = case_services.route_case(q5.case, agency("產業局"), by=people["desk"], on=q5.asked_on)
    _reply(part, "產業局答復：經費充足。", people["doed"], people["doed_head"])

    compilation = compile_event(event["event"])

    assert compilation.complete and compilation.missing == ()
    assert all(entry.complete for entry in compilation.entries)
    lines = _odt_lines(render_odt(compilation))
    assert lines[3] == "陳議員"
    assert "（尚未答復）" not in lines


def test_agency_named_as_on_the_question_date(event, agency):
    # A hypothetical earlier name of 警察局 that was in force when the questions were asked.
    AgencyName.objects.create(
        agency=agency("警察局"),
        name="臺北市政府警察局（舊銜）",
        short_name="警察局",
        valid_to=dt.date(2025, 6, 1),
    )

    entries = {entry.sequence: entry for entry in compile_event(event["event"]).entries}

    assert entries[3].replies[0].agency == "臺北市政府警察局（舊銜）"


def _odt_lines(data: bytes) -> list[str]:
    document = load(io.BytesIO(data))
    return [
        teletype.extractText(node)
        for node in document.text.childNodes
        if node.qname[1] in ("p", "h")
    ]


def test_odt_has_the_replies_in_order_and_marks_missing_ones(event):
    compilation = compile_event(event["event"])
    data = render_odt(compilation)
    lines = _odt_lines(data)

    assert lines[:4] == [TITLE, "第14屆第6次定期大會", "114年5月5日至5月14日", "尚有2題未完成答復"]
    headings = [line for line in lines if line.startswith("第") and "題 " in line]
    assert headings == [
        "第1題 社會住宅興建進度",
        "第4題 老舊公寓更新",
        "第2題 捷運站周邊治安與產業",
        "第5題 公園綠地維護",
        "第3題 交通違規檢舉",
    ]
    joint = lines[lines.index("第2題 捷運站周邊治安與產業") :]
    assert joint[1:5] == [
        "質詢議員：林議員、王議員",
        f"案號：{event['questions'][1].case.number}",
        "質詢日期：114年5月5日",
        "質詢內容：",
    ]
    assert joint[6:15] == [
        f"{UDD}（主辦）答復",
        "都發局答復：推動站區都市更新。",
        "答復日期：114年5月16日",
        f"{DOED}（協辦）答復",
        "產業局答復：輔導商圈。",
        "答復日期：114年5月16日",
        f"{POLICE}（協辦）答復",
        "警察局答復：加強巡邏。",
        "答復日期：114年5月16日",
    ]
    # Multi-line texts become one paragraph per line.
    first = lines[lines.index("第1題 社會住宅興建進度") :]
    assert first[5:7] == ["請說明本市社會住宅興建進度。", "各基地何時完工？"]
    assert first[8:10] == ["本府社會住宅興建進度如下。", "第一期已完工。"]

    partial = lines[lines.index("第4題 老舊公寓更新") :]
    assert partial[6:9] == [f"{UDD}（主辦）答復", "（尚未答復）", f"{POLICE}（協辦）答復"]
    assert "都發局草稿：研議中。" not in lines
    unrouted = lines[lines.index("第5題 公園綠地維護") :]
    assert unrouted[6] == "（尚未答復）"


def test_odt_declares_the_cjk_font_and_heading_outline(event):
    document = load(io.BytesIO(render_odt(compile_event(event["event"]))))

    xml = document.stylesxml()
    assert 'style:font-name="Noto Sans CJK TC"' in xml
    assert 'style:font-name-asian="Noto Sans CJK TC"' in xml
    assert 'fo:page-width="21cm"' in xml
    levels = [
        node.getAttribute("outlinelevel")
        for node in document.text.childNodes
        if node.qname[1] == "h"
    ]
    assert levels[:3] == ["1", "2", "3"]


def test_pdf_is_a4_with_title_case_numbers_and_page_numbers(event):
    compilation = compile_event(event["event"])
    reader = PdfReader(io.BytesIO(render_pdf(compilation)))

    text = "".join(page.extract_text() for page in reader.pages)
    assert TITLE in text
    for question in event["questions"]:
        assert question.case.number in text
    assert "都發局答復：推動站區都市更新。" in text
    assert "（尚未答復）" in text
    assert f"第 1 頁，共 {len(reader.pages)} 頁" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Sans-CJK-TC" in font for font in fonts), fonts


# --- Views -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "suffix"),
    [
        ("council:compilation_odt", "application/vnd.oasis.opendocument.text", "odt"),
        ("council:compilation_pdf", "application/pdf", "pdf"),
    ],
)
def test_council_staff_download_the_compilation(client, event, people, name, content_type, suffix):
    client.force_login(people["desk"])

    response = client.get(reverse(name, args=[event["event"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote(f"{TITLE}.{suffix}") in disposition
    assert response.content[:4] == (b"PK\x03\x04" if suffix == "odt" else b"%PDF")


@pytest.mark.parametrize("name", ["council:compilation_odt", "council:compilation_pdf"])
def test_agency_staff_may_not_download(client, event, people, name):
    for person in (people["udd"], people["udd_liaison"]):
        client.force_login(person)
        assert client.get(reverse(name, args=[event["event"].pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, event):
    url = reverse("council:compilation_pdf", args=[event["event"].pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_unknown_event_is_not_found(client, people):
    client.force_login(people["desk"])

    response = client.get(reverse("council:compilation_odt", args=[999999]))

    assert response.status_code == 404


def test_a_filed_question_is_left_out(event, people):
    unrouted = event["questions"][4]
    case_services.file_case(unrouted.case, "議員已撤回質詢。", by=people["desk"])
    compilation = compile_event(event["event"])
    assert 5 not in _sequences(compilation)
    assert [m.sequence for m in compilation.missing] == [4]
