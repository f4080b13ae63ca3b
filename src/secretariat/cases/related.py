"""Related cases (關聯案件) shown to the router: earlier or later cases of the same kind within
90 days from the same requester (同一陳情人: e-mail or phone) or with near-identical text
(內容近似).

Linking runs in a job after the case's transaction has committed (``link_after_commit``), so a
long text never holds the write lock, and its cost is bounded whatever the text:

* the text is normalised (``core.zh.project``: Traditional/Simplified, width and case folded;
  only letters and digits kept) and cut at ``TEXT_LIMIT`` characters;
* its set of character trigrams is summarised by a MinHash signature of ``BANDS`` × ``ROWS``
  values, stored as one key per band (``RelatedTextKey``). Two texts whose trigram sets have
  Jaccard similarity J share at least one key with probability 1 − (1 − J³)¹⁰: 98.5 % at
  J = 0.7, 1 % at J = 0.1;
* candidates are the cases sharing a key (one indexed lookup, at most ``CANDIDATE_ROWS`` rows),
  the ``VERIFIED`` sharing the most keys are compared exactly, and J ≥ ``JACCARD_MIN`` links.

The keys of imported cases are made by a job after the import, and a daily job fills in any
case of the window without keys (e.g. those received before this module existed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from secretariat.cases.models import BODY_MAX_LENGTH, Case, CaseLink, RelatedTextKey, Requester
from secretariat.core import zh

WINDOW_DAYS = 90
SAME_PERSON = "同一陳情人"
SIMILAR_TEXT = "內容近似"
TEXT_LIMIT = BODY_MAX_LENGTH
SHINGLE = 3
BANDS, ROWS = 10, 3
JACCARD_MIN = 0.7
CANDIDATE_ROWS = 500
VERIFIED = 50
SAME_PERSON_LIMIT = 50
BATCH = 1000

# The hash functions h(x) = (a·x + b) mod p of the signature. Fixed (a seeded generator), so
# that every process and every release computes the same keys for the same text.
_PRIME = (1 << 61) - 1
_generator = random.Random(115)
_PERMUTATIONS = [
    (_generator.randrange(1, _PRIME), _generator.randrange(0, _PRIME)) for _ in range(BANDS * ROWS)
]


def normalise(text: str) -> str:
    """The matching form of a text: folded by ``core.zh.project``, letters and digits only
    (punctuation and spaces say nothing about sameness), at most ``TEXT_LIMIT`` characters."""
    return "".join(ch for ch in zh.project(text[: TEXT_LIMIT * 2]) if ch.isalnum())[:TEXT_LIMIT]


def shingles(text: str) -> set[str]:
    """The character trigrams of a normalised text (a shorter text is its own one)."""
    if len(text) < SHINGLE:
        return {text} if text else set()
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def _hash64(data: str) -> int:
    return int.from_bytes(hashlib.blake2b(data.encode(), digest_size=8).digest(), "big")


def band_keys(grams: set[str]) -> list[int]:
    """The MinHash signature of a trigram set, one signed 64-bit key per band."""
    if not grams:
        return []
    hashed = [_hash64(gram) for gram in grams]
    signature = [min((a * x + b) % _PRIME for x in hashed) for a, b in _PERMUTATIONS]
    keys = []
    for band in range(BANDS):
        values = signature[band * ROWS : (band + 1) * ROWS]
        keys.append(_hash64(f"{band}:{','.join(map(str, values))}") - (1 << 63))
    return keys


def jaccard(first: set[str], second: set[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def store_keys(cases: list[Case]) -> dict[int, tuple[set[str], list[int]]]:
    """Compute and (re)write the text keys of ``cases``; their trigram sets and keys by id."""
    computed = {}
    rows = []
    for case in cases:
        grams = shingles(normalise(case.body))
        keys = band_keys(grams)
        computed[case.pk] = (grams, keys)
        rows += [
            RelatedTextKey(case=case, kind=case.kind, received_on=case.received_on, key=key)
            for key in keys
        ]
    with transaction.atomic():
        RelatedTextKey.objects.filter(case__in=[case.pk for case in cases]).delete()
        RelatedTextKey.objects.bulk_create(rows)
    return computed


def _window(case: Case):
    since = case.received_on - dt.timedelta(days=WINDOW_DAYS)
    return Case.objects.filter(kind=case.kind, received_on__gte=since).exclude(pk=case.pk)


def _same_person(case: Case) -> list[int]:
    requester = Requester.objects.filter(case=case).first()
    same = Q()
    if requester and requester.email:
        same |= Q(requester__email__iexact=requester.email)
    if requester and requester.phone:
        same |= Q(requester__phone=requester.phone)
    if not same:
        return []
    return list(_window(case).filter(same).values_list("pk", flat=True)[:SAME_PERSON_LIMIT])


def _similar_text(case: Case, grams: set[str], keys: list[int], skip: set[int]) -> list[int]:
    since = case.received_on - dt.timedelta(days=WINDOW_DAYS)
    shared = Counter(
        RelatedTextKey.objects.filter(key__in=keys, kind=case.kind, received_on__gte=since)
        .exclude(case=case)
        .values_list("case_id", flat=True)[:CANDIDATE_ROWS]
    )
    candidates = [pk for pk, _ in shared.most_common() if pk not in skip][:VERIFIED]
    bodies = Case.objects.filter(pk__in=candidates).values_list("pk", "body")
    return [pk for pk, body in bodies if jaccard(grams, shingles(normalise(body))) >= JACCARD_MIN]


def link_related(case: Case) -> list[CaseLink]:
    """Store the case's text keys and link it (both ways) to the related cases of its
    window. Running it again for the same case adds nothing twice."""
    grams, keys = store_keys([case])[case.pk]
    matched = dict.fromkeys(_same_person(case), SAME_PERSON)
    for pk in _similar_text(case, grams, keys, set(matched)):
        matched[pk] = SIMILAR_TEXT
    links = []
    with transaction.atomic():
        for other, reason in matched.items():
            link, _ = CaseLink.objects.get_or_create(
                case=case, related_id=other, defaults={"reason": reason}
            )
            CaseLink.objects.get_or_create(case_id=other, related=case, defaults={"reason": reason})
            links.append(link)
    return links


@task()
def link_related_task(case_id: int) -> dict:
    case = Case.objects.filter(pk=case_id).first()
    if case is None:  # deleted before the job ran
        return {"case": case_id, "links": 0}
    return {"case": case_id, "links": len(link_related(case))}


def link_after_commit(case: Case) -> None:
    """Queue the linking of a just registered case for when its transaction has committed."""
    case_id = case.pk
    transaction.on_commit(lambda: link_related_task.enqueue(case_id))


@task()
def store_keys_task(case_ids: list[int]) -> dict:
    cases = list(Case.objects.filter(pk__in=case_ids).only("pk", "kind", "received_on", "body"))
    store_keys(cases)
    return {"cases": len(cases)}


def missing_keys(today: dt.date | None = None):
    """Cases of the window before ``today`` with text and without keys."""
    since = (today or timezone.localdate()) - dt.timedelta(days=WINDOW_DAYS)
    return Case.objects.filter(received_on__gte=since, text_keys__isnull=True).exclude(body="")


@task()
def fill_missing_keys_task() -> dict:
    """Daily: the keys of the window's cases that have none, a batch at a time (in order of
    id: a text without letters or digits has no keys and is passed over)."""
    done, last = 0, 0
    pending = missing_keys().order_by("pk")
    while ids := list(pending.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH]):
        store_keys(list(Case.objects.filter(pk__in=ids)))
        done, last = done + len(ids), ids[-1]
    return {"cases": done}


def _imported(sender, cases, **kwargs) -> None:
    since = timezone.localdate() - dt.timedelta(days=WINDOW_DAYS)
    ids = [case.pk for case in cases if case.received_on >= since and case.body]

    def enqueue() -> None:
        for start in range(0, len(ids), BATCH):
            store_keys_task.enqueue(ids[start : start + BATCH])

    if ids:
        transaction.on_commit(enqueue)


def register() -> None:
    from secretariat.cases.services import cases_imported
    from secretariat.core.tasks import register_daily

    cases_imported.connect(_imported, sender=Case, weak=False, dispatch_uid="cases:related:import")
    register_daily("cases.fill_related_keys", dt.time(3, 0), fill_missing_keys_task.enqueue)
