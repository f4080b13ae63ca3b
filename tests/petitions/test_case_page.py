"""The staff case page of a petition: the place the citizen gave (地點, coordinates) and the
公開同意 are shown to staff who see the case — and to no one else."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_staff_who_see_the_case_see_the_place_and_the_publication_consent(
    client, submit, flow, people, make_person
):
    receipt = submit(address_string="臺北市信義區松仁路100號", lat="25.033964", long="121.565")
    case = receipt.petition.case
    flow.route(case, co=())
    for person in (people["router"], people["udd"]):
        client.force_login(person)
        page = client.get(f"/cases/{case.number}/").content.decode()
        assert "<dt>問題發生地點</dt><dd>臺北市信義區松仁路100號</dd>" in page
        assert "<dt>座標</dt><dd>緯度 25.033964、經度 121.565000</dd>" in page
        assert "<dt>公開同意</dt><dd>未同意：開放資料不公開主旨及地點</dd>" in page
        assert "<dt>陳情類別</dt><dd>道路、人行道與路燈</dd>" in page
    # Another agency does not see the case at all.
    client.force_login(make_person("tcg-officer", "交通局", "case_officer"))
    assert client.get(f"/cases/{case.number}/").status_code == 404


def test_a_consent_to_publish_is_shown_with_its_time(client, submit, people):
    receipt = submit(publish=True)
    client.force_login(people["router"])
    page = client.get(f"/cases/{receipt.number}/").content.decode()
    assert "<dt>公開同意</dt><dd>同意公開主旨及地點（" in page
    assert "問題發生地點" not in page  # none given
