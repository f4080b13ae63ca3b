"""Forms of 媒體聯繫's pages. They only parse input: the services check the rules."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from secretariat.core.forms import DomainErrorForm, RocDateField, RocTimeField, optional_text


class ScheduleItemForm(DomainErrorForm):
    day = RocDateField(
        label="日期", help_text="例：115/08/16。", error_messages={"required": "請填寫日期。"}
    )
    starts_at = RocTimeField(label="時間", error_messages={"required": "請填寫時間。"})
    title = optional_text("行程", 200, required=True)
    place = optional_text("地點", 200)

    def __init__(self, *args, day: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = day or timezone.localdate()
