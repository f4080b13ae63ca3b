"""The offline minutes drafting assistance on a generated meeting: every utterance lands in its
agenda item, the speakers and the chair's directives with the agencies they name come out, the
summaries keep the report and leave the asides, and the draft recovers most of the reference
minutes (ROUGE on characters). The figures measured on a 1-hour transcript are in
docs/performance.md (bench/meetings/drafting.py)."""

from __future__ import annotations

import pytest

from secretariat.assist import selectors as assist_selectors
from secretariat.assist import services as assist
from secretariat.assist.minutes import parse_transcript
from secretariat.core.registry import agency_by_name
from tests.meetings.transcripts import FILLERS, generate

pytestmark = pytest.mark.django_db


def _agenda(meeting):
    return [
        assist.AgendaEntry(
            title=item.title,
            kind="報告案",
            agency_code=agency_by_name(item.agency).code,
            agency_names=(agency_by_name(item.agency).name, item.agency),
            summary=item.summary,
            speaker=item.speaker,
        )
        for item in meeting.items
    ]


def test_a_draft_per_item_with_speakers_summaries_and_directives(registry):
    meeting = generate(items=5)
    draft = assist.draft_minutes(
        _agenda(meeting), meeting.transcript, chair_titles=("主席", "市長")
    )

    assert len(draft.items) == 5
    for reference, drafted in zip(meeting.items, draft.items, strict=True):
        presenter = f"{reference.agency}{reference.speaker}"
        assert drafted.speakers[:2] == ["主席", presenter]
        assert all(sentence in drafted.report for sentence in reference.report[:2])
        assert not any(filler in drafted.report for filler in FILLERS)
        codes = [candidate.agencies for candidate in drafted.candidates]
        expected = [
            tuple(agency_by_name(name).code for name in names) for _, names in reference.directives
        ]
        assert codes == expected
        assert [c.text for c in drafted.candidates] == [t for t, _ in reference.directives]
        assert drafted.resolution_kind == "directive"
    # The chair's opening and closing are not an item's; the secretary-general's advice in the
    # discussion is not a directive of the chair.
    assert "會議開始" in draft.opening[0].text
    assert all("請各機關注意" not in c.text for d in draft.items for c in d.candidates)


def test_every_utterance_lands_in_its_item(registry):
    meeting = generate(items=8, seed=7)
    from secretariat.assist.keywords import DISTRICTS, extractor
    from secretariat.assist.minutes import Words, segment

    words = Words(extractor(assist_selectors.known_names() + DISTRICTS))
    utterances = parse_transcript(meeting.transcript)
    assigned = segment(utterances, _agenda(meeting), words)
    expected = [-1] * len(utterances)
    for index, start in enumerate(meeting.boundaries):
        end = (
            meeting.boundaries[index + 1]
            if index + 1 < len(meeting.boundaries)
            else len(utterances) - 1
        )
        expected[start:end] = [index] * (end - start)
    # The closing line stays with the last item (a meeting does not go back to its opening).
    expected[-1] = len(meeting.items) - 1
    assert assigned == expected


def test_the_draft_recovers_most_of_the_reference_minutes(registry):
    meeting = generate(items=6, seed=3)
    draft = assist.draft_minutes(_agenda(meeting), meeting.transcript, chair_titles=("主席",))
    recalls = [
        assist_selectors.rouge(reference.reference_text, drafted.text)
        for reference, drafted in zip(meeting.items, draft.items, strict=True)
    ]
    assert min(score.rl[0] for score in recalls) > 0.8  # ROUGE-L recall per item
    assert min(score.r2[2] for score in recalls) > 0.7  # ROUGE-2 F1 per item


def test_rouge_on_characters():
    same = assist_selectors.rouge("請都發局提出計畫。", "請都發局提出計畫")
    assert same.r1 == (1.0, 1.0, 1.0) and same.rl[2] == 1.0
    half = assist_selectors.rouge("甲乙丙丁", "甲乙")
    assert half.r1[0] == 0.5 and half.r1[1] == 1.0
    assert assist_selectors.rouge("甲乙", "").r1 == (0.0, 0.0, 0.0)


def test_a_transcript_without_speakers_or_times_still_reads():
    utterances = parse_transcript("開場白\n主席：請交通局說明。\n交通局長: 好的\n補充一句。")
    assert [(u.speaker, u.text) for u in utterances] == [
        ("", "開場白"),
        ("主席", "請交通局說明。"),
        ("交通局長", "好的補充一句。"),
    ]
