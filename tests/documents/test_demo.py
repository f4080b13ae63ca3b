"""The 公文 demo: the letter waiting at the desk gets a 分文建議 learned from the desk's past
分文 (the demo shows the suggestion working, not only the page that would hold it)."""

from __future__ import annotations

import pytest

from secretariat.core.models import User
from secretariat.documents import selectors
from secretariat.documents.demo import PAST_DISTRIBUTIONS, load_demo
from secretariat.documents.models import Document

pytestmark = pytest.mark.django_db


def test_the_demo_desk_is_suggested_the_unit_its_past_letters_went_to(registry, admin):
    load_demo()
    clerk = User.objects.get(username="sec-clerk")
    waiting = Document.objects.get(subject="檢送本局115年第4季公文時效統計表")
    suggestion = selectors.assistance_for(clerk, waiting).unit_suggestion
    assert suggestion.trained_on >= len(PAST_DISTRIBUTIONS)
    assert suggestion.ranked[0].label == "綜合企劃科"
    assert suggestion.preselected is not None
