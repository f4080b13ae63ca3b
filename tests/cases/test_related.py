"""Related cases (issue 15, finding 2): linking runs in a job after the registering
transaction has committed, over a bounded text fingerprint (cases/related.py)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from secretariat.cases import related, services
from secretariat.cases.models import BODY_MAX_LENGTH, Case, CaseLink, RelatedTextKey
from secretariat.core.importing import run_import

pytestmark = pytest.mark.django_db

WORDS = "人行道破損路燈不亮公園樹木違規停車噪音交通號誌故障排水溝堵塞垃圾清運騎樓占用"


def maximal_text(seed: int) -> str:
    """A text of the largest accepted length, different for every seed."""
    generator = random.Random(seed)
    return "".join(generator.choice(WORDS) for _ in range(BODY_MAX_LENGTH))


def register(body: str, **requester) -> Case:
    return services.open_case(
        kind="petition",
        subject="陳情",
        body=body,
        channel="letter",
        requester=requester or None,
    )


def test_a_maximal_submission_commits_without_the_similarity_work(
    client, registry, immediate_jobs, django_capture_on_commit_callbacks
):
    earlier = [register(maximal_text(seed)) for seed in range(20)]
    related.fill_missing_keys_task.call()  # the daily job gives the earlier cases their keys
    assert RelatedTextKey.objects.filter(case__in=earlier).count() == 20 * related.BANDS
    description = "人行道破損\n" + earlier[7].body[: BODY_MAX_LENGTH - 6]
    form = {
        "service_code": "roads",
        "description": description,
        "first_name": "小明",
        "last_name": "王",
        "attribute[consent]": "agree",
    }
    with django_capture_on_commit_callbacks() as jobs, CaptureQueriesContext(connection) as sql:
        response = client.post("/open311/v2/requests.json", form)
    assert response.status_code == 201
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert len(case.body) == BODY_MAX_LENGTH
    # Inside the request: no related-case table is touched and no other case's text is read.
    statements = [query["sql"] for query in sql.captured_queries]
    assert not [s for s in statements if "cases_caselink" in s or "cases_relatedtextkey" in s]
    own = (f'"cases_case"."id" = {case.pk}', f'"cases_case"."id" IN ({case.pk})')
    reads = [s for s in statements if s.startswith("SELECT") and '"cases_case"."body"' in s]
    assert all(any(mark in s for mark in own) for s in reads)
    # After the commit, the job links the case to the earlier one with the same text.
    assert not CaseLink.objects.filter(case=case).exists()
    for job in jobs:
        job()
    link = CaseLink.objects.get(case=case)
    assert (link.related, link.reason) == (earlier[7], related.SIMILAR_TEXT)
    assert CaseLink.objects.filter(case=earlier[7], related=case).exists()


def test_keys_are_bounded_and_the_same_in_every_process():
    text = maximal_text(1) * 3  # longer than any accepted text
    assert len(related.normalise(text)) == related.TEXT_LIMIT
    keys = related.band_keys(related.shingles(related.normalise(text)))
    assert len(keys) == related.BANDS
    assert all(-(2**63) <= key < 2**63 for key in keys)  # a BigIntegerField holds them
    # Fixed seeds and blake2b, not Python's hash() (salted anew in every process, so this
    # pinned value would not hold from run to run). A change of the algorithm would need the
    # stored keys rebuilt: this pins it.
    assert related.band_keys({"人行道"})[0] == 2727056837289396015


def test_near_identical_texts_are_linked_and_others_are_not(registry):
    base = maximal_text(3)[:600]
    edited = base[:300] + "（補充：已多次陳情）" + base[300:]  # one added passage
    unrelated = maximal_text(4)[:600]
    cases = [register(base), register(edited), register(unrelated)]
    for case in cases:
        related.link_related(case)
    assert {link.related for link in cases[0].links.all()} == {cases[1]}
    assert not cases[2].links.exists()
    related.link_related(cases[1])  # a second run adds nothing
    assert CaseLink.objects.count() == 2


def test_cases_outside_the_window_are_not_related(registry):
    old = services.open_case(
        kind="petition",
        subject="陳情",
        body="人行道破損請修復",
        channel="letter",
        received_on=timezone.localdate() - dt.timedelta(days=related.WINDOW_DAYS + 1),
    )
    related.link_related(old)
    new = register("人行道破損請修復")
    assert related.link_related(new) == []


def test_imported_cases_get_their_keys_from_a_job(
    registry, immediate_jobs, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    header = "案號,收件日期,主旨,內容,主辦機關\r\n"
    line = f"陳114000001,{today.isoformat()},騎樓占用,信義路騎樓遭商家占用，請取締。,都發局\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import("petitions", (header + line).encode()).created == 1
    imported = Case.objects.get(number="陳114000001")
    assert RelatedTextKey.objects.filter(case=imported).count() == related.BANDS
    assert not CaseLink.objects.exists()  # imports are not linked, only made findable
    new = register("信義路騎樓遭商家占用，請取締！")
    assert [link.related for link in related.link_related(new)] == [imported]
