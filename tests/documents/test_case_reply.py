"""A case's reply may point to the 公文 that answered it (a dispatched document of the part's
agency that the officer may see)."""

from __future__ import annotations

import pytest
from django.test import Client

from secretariat.cases import services as cases
from secretariat.core.errors import DomainError

from .flow import whole_path

pytestmark = pytest.mark.django_db


def test_a_reply_points_to_the_dispatched_document(office):
    document = whole_path(office)
    case = cases.open_case(
        kind="petition",
        subject="市政大樓節能",
        body="請說明市政大樓節能改善進度。",
        channel="letter",
        requester={},
        by=None,
    )
    (part,) = cases.route_case(case, office.agency, by=office.admin)
    with pytest.raises(DomainError) as refused:
        cases.draft_reply(part, "已函復。", by=office.officer, document_number="1159999999")
    assert refused.value.fields["document_number"] == [
        "查無秘書處已發文的公文「1159999999」（請填 10 碼文號）。"
    ]
    part.refresh_from_db()
    assert part.reply_document is None and part.reply_text == ""
    cases.draft_reply(part, "已函復。", by=office.officer, document_number=document.number)
    part.refresh_from_db()
    assert part.reply_document == document
    client = Client()
    client.force_login(office.officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'href="{document.get_absolute_url()}"' in page and document.reference in page
