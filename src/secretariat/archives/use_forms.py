"""Forms of the 數位化、檔案應用、考評 pages: they parse (民國 dates, numbers, the rows of an
application, the score lines of an inspection); the services check every rule and their
DomainError comes back beside the field it names."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms

from secretariat.archives.models import InspectionKind, Manner, RefusalGround, RequestDecision
from secretariat.archives.services.use import (
    BATCH_ITEMS_MAX,
    BATCH_PAGES_MAX,
    COPIES_MAX,
    EXTENSION_DAYS_MAX,
    TARGET_MAX,
    UNIT_PRICE_MAX,
    Decision,
    Score,
    Wanted,
)
from secretariat.core import roc
from secretariat.core.forms import (
    AgencyChoiceField,
    DomainErrorForm,
    RocDateField,
    agencies_in_force,
    optional_text,
)

BLANK = [("", "—")]
REQUEST_ROWS = 5  # 檔號 rows on the application form
SCORE_LINES_MAX = 30


class ProjectForm(DomainErrorForm):
    """數位化專案."""

    year = forms.IntegerField(label="年度（民國）", min_value=1, max_value=300)
    title = optional_text("專案名稱", 200, required=True)
    target_items = forms.IntegerField(label="應數位化件數", min_value=1, max_value=TARGET_MAX)


class BatchForm(DomainErrorForm):
    """掃描批次."""

    scanned_on = RocDateField(label="掃描日期")
    items = forms.IntegerField(label="件數", min_value=1, max_value=BATCH_ITEMS_MAX)
    pages = forms.IntegerField(label="影像頁數", min_value=1, max_value=BATCH_PAGES_MAX)
    note = optional_text("說明", 300)


class QualityForm(DomainErrorForm):
    """品質檢查."""

    result = forms.ChoiceField(
        label="檢查結果", choices=[("passed", "合格"), ("redo", "重製")], widget=forms.RadioSelect
    )
    note = optional_text("說明（重製須填寫原因）", 300)


class ApplicationForm(DomainErrorForm):
    """檔案應用申請書: the agency holding the records, the applicant, and up to five 檔號."""

    agency = AgencyChoiceField(label="檔案管有機關", queryset=agencies_in_force())
    name = optional_text("申請人姓名", 60, required=True)
    email = optional_text("電子郵件", 200)
    phone = optional_text("電話", 30)
    purpose = optional_text("申請目的", 500, required=True, rows=3)

    def __init__(self, *args, citizen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if citizen:
            self.fields["email"].widget.attrs["aria-required"] = "true"
        for row in range(1, REQUEST_ROWS + 1):
            self.fields[f"file_code_{row}"] = optional_text(
                f"第{row}項 檔號", 60, required=row == 1
            )
            self.fields[f"manner_{row}"] = forms.ChoiceField(
                label=f"第{row}項 應用方式", choices=Manner.choices, required=False
            )
            self.fields[f"copies_{row}"] = forms.IntegerField(
                label=f"第{row}項 複製張數", min_value=0, max_value=COPIES_MAX, required=False
            )

    def wanted(self) -> list[Wanted]:
        data = self.cleaned_data
        return [
            Wanted(
                data[f"file_code_{row}"].strip(),
                data[f"manner_{row}"] or Manner.READ,
                data[f"copies_{row}"] or 0,
            )
            for row in range(1, REQUEST_ROWS + 1)
            if data[f"file_code_{row}"].strip()
        ]


class DecisionForm(DomainErrorForm):
    """准駁: one decision, ground and note per 申請項目."""

    def __init__(self, *args, requests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.requests = list(requests)
        for request in self.requests:
            code = request.item.file_code
            self.fields[f"decision_{request.pk}"] = forms.ChoiceField(
                label=f"{code} 准駁結果",
                choices=[c for c in RequestDecision.choices if c[0] != RequestDecision.PENDING],
            )
            self.fields[f"ground_{request.pk}"] = forms.ChoiceField(
                label=f"{code} 駁回理由（檔案法第18條）",
                choices=BLANK + RefusalGround.choices,
                required=False,
            )
            self.fields[f"note_{request.pk}"] = optional_text(f"{code} 准駁說明", 300)

    def decisions(self) -> list[Decision]:
        data = self.cleaned_data
        return [
            Decision(
                request.pk,
                data[f"decision_{request.pk}"],
                data[f"ground_{request.pk}"],
                data[f"note_{request.pk}"],
            )
            for request in self.requests
        ]


class ExtendForm(DomainErrorForm):
    days = forms.IntegerField(label="延長日數", min_value=1, max_value=EXTENSION_DAYS_MAX)
    reason = optional_text("延長理由", 300, required=True)


class FeeRateForm(DomainErrorForm):
    manner = forms.ChoiceField(label="應用方式", choices=Manner.choices)
    unit_price = forms.IntegerField(label="單價（元）", min_value=0, max_value=UNIT_PRICE_MAX)
    unit = optional_text("計費單位", 10, required=True)


def _lines(text: str, field: str, what: str) -> list[list[str]]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > SCORE_LINES_MAX:
        raise forms.ValidationError(f"{what}至多 {SCORE_LINES_MAX} 行。")
    return [[part.strip() for part in line.replace("，", ",").split(",")] for line in lines]


class InspectionForm(DomainErrorForm):
    """考評: scores as lines 「評分項目,配分,得分」, follow-ups as 「改善事項,改善期限」."""

    agency = AgencyChoiceField(label="受評機關", queryset=agencies_in_force())
    kind = forms.ChoiceField(label="考評類別", choices=InspectionKind.choices)
    inspected_on = RocDateField(label="考評日期")
    inspectors = optional_text("考評委員", 200)
    scores = optional_text(
        "評分項目（每行「項目,配分,得分」，例：立案編目,20,18.5）", 3000, required=True, rows=5
    )
    follow_ups = optional_text(
        "改善事項（每行「事項,改善期限」，例：庫房溫濕度紀錄,115/12/31）", 6000, rows=4
    )

    def clean_scores(self) -> list[Score]:
        scores = []
        for row, parts in enumerate(_lines(self.cleaned_data["scores"], "scores", "評分項目"), 1):
            try:
                item, marks, points = parts
                scores.append(Score(item, int(marks), Decimal(points)))
            except (ValueError, InvalidOperation) as error:
                raise forms.ValidationError(
                    f"第{row}行應為「評分項目,配分,得分」，配分為整數、得分為數字。"
                ) from error
        return scores

    def clean_follow_ups(self) -> list[tuple[str, object]]:
        follow_ups = []
        for row, parts in enumerate(
            _lines(self.cleaned_data["follow_ups"], "follow_ups", "改善事項"), 1
        ):
            try:
                text, due = parts
                follow_ups.append((text, roc.parse_date(due)))
            except (ValueError, roc.RocDateError) as error:
                raise forms.ValidationError(
                    f"第{row}行應為「改善事項,改善期限」，期限如 115/12/31。"
                ) from error
        return follow_ups


class FollowUpForm(DomainErrorForm):
    note = optional_text("辦理情形", 300, required=True)
