"""新聞聯繫線上通訊錄: each agency keeps its own contacts (live at once, audited); journalists
sign up and are approved by the press office; private numbers only for approved journalists
and staff — on the pages, in the vCards and in the API; every lookup is recorded; a
journalist's account is kept to the journalists' pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry, RoleCode
from secretariat.media import selectors, services, vcard
from secretariat.media.models import ContactRole, JournalistStatus

pytestmark = pytest.mark.django_db

MOBILE, LINE = "0912-000-202", "udd-press-line"


@pytest.fixture
def contacts(press_people, agency):
    udd = services.add_contact(
        agency("都發局"),
        role=ContactRole.CONTACT,
        name="林新聞",
        job_title="新聞聯絡人",
        office_phone="02-2720-8889#2001",
        mobile=MOBILE,
        email="udd-press@gov.example",
        line_id=LINE,
        topics="社會住宅、都市更新",
        by=press_people["udd_press"],
    )
    police = services.add_contact(
        agency("警察局"),
        role=ContactRole.SPOKESPERSON,
        name="王發言",
        office_phone="02-2331-3561",
        mobile="0912-000-301",
        topics="治安、交通違規",
        by=press_people["police_press"],
    )
    return {"udd": udd, "police": police}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_agency_keeps_its_own_contacts_and_changes_are_audited(press_people, agency, contacts):
    with pytest.raises(PermissionDenied):
        services.add_contact(
            agency("警察局"),
            role=ContactRole.CONTACT,
            name="x",
            office_phone="1",
            by=press_people["udd_press"],
        )
    with pytest.raises(PermissionDenied):
        services.update_contact(
            contacts["udd"],
            role=ContactRole.CONTACT,
            name="林新聞",
            office_phone="1",
            by=press_people["udd_officer"],
        )
    with pytest.raises(DomainError) as refused:
        services.add_contact(
            agency("都發局"), role=ContactRole.CONTACT, name="陳聯絡", by=press_people["udd_press"]
        )
    assert "office_phone" in refused.value.fields
    services.update_contact(
        contacts["udd"],
        role=ContactRole.CONTACT,
        name="林新聞",
        office_phone="02-2720-8889#2009",
        mobile=MOBILE,
        topics="社會住宅、都市更新",
        by=press_people["udd_press"],
    )
    # Live at once: the next lookup shows the new number.
    (found,) = selectors.contact_lookup("社會住宅")
    assert found.office_phone == "02-2720-8889#2009"
    change = AuditEntry.objects.filter(
        object_type="media.presscontact", object_id=str(contacts["udd"].pk), action="update"
    ).get()
    assert change.changes["office_phone"] == ["02-2720-8889#2001", "02-2720-8889#2009"]


def test_a_journalist_signs_up_and_waits_for_the_press_office(press_people, journalist_factory):
    journalist = journalist_factory()
    assert journalist.status == JournalistStatus.PENDING and not journalist.user.is_active
    assert journalist.user.agency is None and not journalist.user.has_role(RoleCode.JOURNALIST)
    with pytest.raises(PermissionDenied):
        services.decide_journalist(journalist, approve=True, by=press_people["udd_press"])
    journalist = services.decide_journalist(journalist, approve=True, by=press_people["press"])
    journalist.user.refresh_from_db()
    assert journalist.user.is_active and journalist.user.has_role(RoleCode.JOURNALIST)
    services.suspend_journalist(journalist, note="冒用身分", by=press_people["press"])
    journalist.user.refresh_from_db()
    assert not journalist.user.is_active


def test_a_weak_password_or_a_taken_username_is_refused(journalist_factory):
    journalist_factory("reporter")
    with pytest.raises(DomainError):
        journalist_factory("reporter")
    from secretariat.media import services as media

    with pytest.raises(DomainError) as weak:
        media.register_journalist(
            username="other", password="123", name="x", outlet="y", phone="1", email="a@b.example"
        )
    assert "password" in weak.value.fields


@pytest.mark.parametrize(
    ("who", "private"),
    [("udd_officer", True), ("police_press", True), ("approved", True), ("pending", None)],
)
def test_private_numbers_by_role(press_people, contacts, journalist_factory, who, private):
    """Staff and approved journalists see mobile numbers and LINE IDs; a journalist waiting
    for approval cannot sign in; the public page never shows them."""
    approved = journalist_factory("approved-reporter", approve_by=press_people["press"])
    pending = journalist_factory("pending-reporter")
    users = {**press_people, "approved": approved.user, "pending": pending.user}
    client = Client()
    if who == "pending":
        assert not client.login(username="pending-reporter", password="correct-horse-115")
        return
    client.force_login(users[who])
    page = client.get(reverse("press:contacts"), {"q": "社會住宅"}).content.decode()
    assert (MOBILE in page) is private and (LINE in page) is private
    card = client.get(reverse("press:contact_vcard", args=[contacts["udd"].pk])).content.decode()
    assert "TEL;TYPE=cell;VALUE=text:0912-000-202" in card
    api = client.get("/api/v1/media/contacts", {"q": "社會住宅"}).json()
    assert api[0]["mobile"] == MOBILE


def test_the_public_page_and_a_suspended_journalist_get_no_private_numbers(
    press_people, contacts, journalist_factory
):
    page = Client().get(reverse("news:contacts")).content.decode()
    assert "林新聞" in page and "02-2720-8889#2001" in page
    assert MOBILE not in page and LINE not in page
    journalist = journalist_factory(approve_by=press_people["press"])
    services.suspend_journalist(journalist, note="停用", by=press_people["press"])
    journalist.user.is_active = True  # even if the account were open again by mistake
    journalist.user.save()
    client = signed_in(journalist.user)
    assert client.get(reverse("press:contacts"), {"q": "社會住宅"}).status_code == 403
    assert client.get("/api/v1/media/contacts").status_code == 403
    assert client.get(reverse("press:contacts_vcard")).status_code == 403


def test_every_lookup_is_recorded(press_people, contacts, journalist_factory):
    journalist = journalist_factory(approve_by=press_people["press"])
    client = signed_in(journalist.user)
    client.get(reverse("press:contacts"), {"q": "治安"})
    client.get(reverse("press:contacts_vcard"), {"q": "治安"})
    client.get("/api/v1/media/contacts", {"agency": "police"})
    lookups = AuditEntry.objects.filter(action="media:directory_lookup", actor=journalist.user)
    assert [entry.changes["how"] for entry in lookups.order_by("seq")] == ["頁面", "vCard", "API"]
    assert lookups.order_by("seq").first().changes["contacts"] == [contacts["police"].pk]


def test_the_reports_section_counts_the_directory_and_the_periods_lookups(
    press_people, contacts, journalist_factory
):
    from django.utils import timezone

    from secretariat.core.roc import Period
    from secretariat.media.reports import press_directory

    today = timezone.localdate()
    period = Period.half_containing(today)
    journalist = journalist_factory(approve_by=press_people["press"])
    # The directory alone is no record of the period: its use is.
    assert not press_directory(period).has_records
    signed_in(journalist.user).get(reverse("press:contacts"), {"q": "治安"})
    section = press_directory(period)
    figures = {figure.key: figure.value for figure in section.figures}
    assert section.has_records
    assert figures == {"agencies": 2, "contacts": 2, "journalists": 1, "lookups": 1}
    assert "收錄2個機關2位新聞聯繫人員" in section.paragraphs[0]
    assert f"{period.label}計查詢1次" in section.paragraphs[0]
    earlier = Period.half_containing(period.start - dt.timedelta(days=1))
    assert not press_directory(earlier).has_records
    assert {f.key: f.value for f in press_directory(earlier).figures}["journalists"] == 0


def test_a_journalist_finds_contacts_by_agency_or_topic(contacts, agency):
    assert selectors.contact_lookup("", agency("警察局")) == [contacts["police"]]
    assert selectors.contact_lookup("交通") == [contacts["police"]]
    assert selectors.contact_lookup("都發局") == [contacts["udd"]]
    # Simplified script and half-width forms match too.
    assert selectors.contact_lookup("社会住宅") == [contacts["udd"]]


def test_a_journalists_account_is_kept_to_the_journalists_pages(
    press_people, journalist_factory, contacts
):
    journalist = journalist_factory(approve_by=press_people["press"])
    client = signed_in(journalist.user)
    assert client.get("/").url == reverse("press:home")
    for url in ("/agencies/", "/council/liaisons/", "/cases/", "/media/", "/search/?q=x"):
        assert client.get(url).status_code == 403, url
    assert client.get("/api/v1/agencies").status_code == 403
    for url in (reverse("press:home"), reverse("press:schedule"), reverse("news:list")):
        assert client.get(url).status_code == 200, url


def test_vcard_escapes_and_folds():
    assert vcard.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "NOTE:" + "業務範圍" * 20
    folded = vcard.fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(part.encode()) <= 75 for part in parts)
