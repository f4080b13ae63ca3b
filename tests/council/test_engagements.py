"""市長赴黨團溝通 and 議員與市長座談會: what each needs, who may log them, commitments
registered as cases and routed on the engine like any case, the counts per kind, and the
pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from secretariat.cases import services as case_services
from secretariat.cases.models import Case, CaseStatus, Channel
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.council import kinds, selectors, services
from secretariat.council.models import Commitment, Engagement, EngagementKind

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 10)
CAUCUS_VISIT, MAYOR_MEETING = EngagementKind.CAUCUS_VISIT, EngagementKind.MAYOR_MEETING


def caucus_visit(by, held_on=DAY, caucus="甲黨團", **extra):
    return services.log_engagement(
        CAUCUS_VISIT, held_on, "說明總預算案", caucus, officials="市長、秘書長", by=by, **extra
    )


def test_a_caucus_visit_needs_the_caucus(staff):
    with pytest.raises(DomainError) as refused:
        caucus_visit(staff["desk"], caucus=" ")
    assert refused.value.fields == {"caucus": ["市長赴黨團溝通請選擇黨團。"]}
    visit = caucus_visit(staff["desk"], notes="黨團關切捷運延伸線。")
    assert (visit.kind, visit.caucus, visit.officials) == (CAUCUS_VISIT, "甲黨團", "市長、秘書長")
    assert not visit.councillors.exists()


def test_a_mayor_meeting_needs_councillors_in_office(staff, councillors):
    desk = staff["desk"]
    with pytest.raises(DomainError) as refused:
        services.log_engagement(MAYOR_MEETING, DAY, "地方建設座談", by=desk)
    assert refused.value.fields == {"councillors": ["議員與市長座談會請選擇至少一位出席議員。"]}

    chen = councillors["陳議員"]
    chen.active_to = DAY - dt.timedelta(days=1)
    chen.save()
    with pytest.raises(DomainError) as refused:
        services.log_engagement(
            MAYOR_MEETING, DAY, "地方建設座談", councillors=[councillors["林議員"], chen], by=desk
        )
    assert refused.value.fields == {"councillors": ["陳議員 於該日不在任。"]}

    meeting = services.log_engagement(
        MAYOR_MEETING, DAY, "地方建設座談", councillors=[councillors["林議員"]], by=desk
    )
    assert list(meeting.councillors.all()) == [councillors["林議員"]]


def test_an_engagement_needs_a_kind_a_day_and_a_topic(staff):
    with pytest.raises(DomainError) as refused:
        services.log_engagement("lunch", None, "", by=staff["desk"])
    assert refused.value.fields == {
        "kind": ["請選擇類別。"],
        "topic": ["請填寫主題。"],
        "held_on": ["請填寫日期。"],
    }
    assert not Engagement.objects.exists()


def test_only_council_staff_log_engagements_and_commitments(staff):
    for person in ("udd", "udd_head", "udd_liaison", "clerk"):
        with pytest.raises(PermissionDenied):
            caucus_visit(staff[person])
    visit = caucus_visit(staff["desk"])
    with pytest.raises(PermissionDenied):
        services.add_commitment(visit, "捷運延伸線", "研議延伸至第一選舉區。", by=staff["udd"])
    assert not Case.objects.exists()


def test_a_commitment_is_a_case_received_on_the_day_routed_like_any_case(staff, agency):
    visit = caucus_visit(staff["desk"])
    commitment = services.add_commitment(
        visit, "捷運延伸線", "研議延伸至第一選舉區。", by=staff["desk"]
    )
    case = commitment.case
    assert (case.kind, case.channel, case.received_on) == (
        kinds.COMMITMENT,
        Channel.COUNCIL,
        DAY,
    )
    assert case.number.startswith("諾")
    assert case.subject == "捷運延伸線"
    assert case.body.startswith("研議延伸至第一選舉區。")
    assert "市長赴黨團溝通，114年3月10日：說明總預算案" in case.body
    assert list(selectors.engagement_commitments(visit)) == [commitment]

    (part,) = case_services.route_case(case, agency("都發局"), by=staff["desk"])
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert part.agency == agency("都發局")


def test_a_commitment_needs_a_subject_and_its_text(staff):
    visit = caucus_visit(staff["desk"])
    with pytest.raises(DomainError) as refused:
        services.add_commitment(visit, "捷運延伸線", "  ", by=staff["desk"])
    assert refused.value.fields == {"text": ["請填寫承諾內容。"]}
    with pytest.raises(DomainError) as refused:
        services.add_commitment(visit, "", "研議延伸。", by=staff["desk"])
    assert refused.value.fields == {"subject": ["請填寫主旨。"]}
    assert not Commitment.objects.exists() and not Case.objects.exists()


def test_engagements_in_a_period_counted_per_kind(staff, councillors):
    desk, lin = staff["desk"], councillors["林議員"]
    for day in (DAY, DAY + dt.timedelta(days=7)):
        caucus_visit(desk, held_on=day)
    for day in (DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)):
        services.log_engagement(MAYOR_MEETING, day, "座談", councillors=[lin], by=desk)
    caucus_visit(desk, held_on=dt.date(2025, 8, 1))

    figures = selectors.engagements_in(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert figures.counts == {CAUCUS_VISIT: 2, MAYOR_MEETING: 3}
    assert figures.by_kind == [("市長赴黨團溝通", 2), ("議員與市長座談會", 3)]
    assert len(figures.engagements) == 5
    assert figures.engagements[0].held_on == DAY + dt.timedelta(days=7)


# --- Pages ------------------------------------------------------------------------------------


def test_engagement_pages_are_for_council_staff(client, staff):
    visit = caucus_visit(staff["desk"])
    client.force_login(staff["udd_head"])
    assert client.get(reverse("council:engagements")).status_code == 403
    assert client.get(reverse("council:engagement", args=[visit.pk])).status_code == 403
    response = client.post(
        reverse("council:engagement", args=[visit.pk]), {"subject": "x", "text": "y"}
    )
    assert response.status_code == 403


def test_logging_an_engagement_through_the_page(client, staff, councillors):
    client.force_login(staff["desk"])
    url = reverse("council:engagements")
    form = client.get(url).context["form"]
    assert [c for c, _ in form.fields["caucus"].choices] == ["", "丙黨團", "乙黨團", "甲黨團"]

    bad = client.post(url, {"kind": MAYOR_MEETING, "held_on": "114/03/10", "topic": "座談"})
    assert bad.status_code == 400
    assert "議員與市長座談會請選擇至少一位出席議員。" in bad.content.decode()
    assert not Engagement.objects.exists()

    data = {
        "kind": MAYOR_MEETING,
        "held_on": "114/03/10",
        "topic": "地方建設座談",
        "councillors": [councillors["林議員"].pk, councillors["王議員"].pk],
    }
    response = client.post(url, data, follow=True)
    engagement = Engagement.objects.get()
    assert response.redirect_chain[-1][0] == reverse("council:engagement", args=[engagement.pk])
    assert "已登錄議員與市長座談會 地方建設座談。" in response.content.decode()
    listing = client.get(url, {"period": "114年上半年"}).content.decode()
    assert "議員與市長座談會：1場" in listing and "地方建設座談" in listing


def test_adding_a_commitment_through_the_page_links_its_case(client, staff):
    visit = caucus_visit(staff["desk"])
    client.force_login(staff["desk"])
    url = reverse("council:engagement", args=[visit.pk])

    bad = client.post(url, {"subject": "", "text": ""})
    assert bad.status_code == 400
    assert "請填寫承諾內容。" in bad.content.decode()

    response = client.post(url, {"subject": "捷運延伸線", "text": "研議延伸。"}, follow=True)
    case = Commitment.objects.get().case
    html = response.content.decode()
    assert f"已登錄承諾事項{case.number}，請至案件頁分辦。" in html
    assert f'href="{case.get_absolute_url()}"' in html
