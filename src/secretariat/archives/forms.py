"""檔案管理's forms: zh-Hant labels, 民國 dates; the services check every rule (these only
parse), and their DomainError comes back beside the field it names."""

from __future__ import annotations

from django import forms

from secretariat.archives.models import Access, Disposal, Level, Opinion, Retention
from secretariat.core.forms import (
    AgencyChoiceField,
    DomainErrorForm,
    RocDateField,
    agencies_in_force,
    optional_text,
    required_text,
)

BLANK = [("", "—")]


class SearchForm(DomainErrorForm):
    """檔案目錄查詢: 檔號 prefix and 案名 words."""

    code_prefix = optional_text("檔號（開頭）", 60)
    words = optional_text("案名關鍵字（以空白分隔）", 100)
    level = forms.ChoiceField(
        label="層級", choices=[("item", "件"), ("folder", "案卷")], required=False
    )


class EntryForm(DomainErrorForm):
    """分類表項目 (draft version)."""

    code = optional_text("分類號", 20, required=True)
    name = optional_text("類目名稱", 100, required=True)
    level = forms.TypedChoiceField(label="階層", choices=Level.choices, coerce=int)
    parent_code = optional_text("上層分類號（類免填）", 20)
    retention = forms.TypedChoiceField(
        label="保存年限",
        choices=BLANK + Retention.choices,
        coerce=int,
        required=False,
        empty_value=None,
    )
    disposal = forms.ChoiceField(label="屆期處置", choices=BLANK + Disposal.choices, required=False)
    description = optional_text("說明", 300)


class PublishForm(DomainErrorForm):
    effective_on = RocDateField(label="生效日期", required=False)


class FilingRuleForm(DomainErrorForm):
    working_days = forms.IntegerField(label="歸檔期限（工作天）", min_value=1, max_value=30)


class ProposeForm(DomainErrorForm):
    """擬定分類號 (the officer)."""

    entry_code = optional_text("分類號", 20, required=True)


class CheckForm(DomainErrorForm):
    """檢核歸檔 (the archivist)."""

    entry_code = optional_text("分類號（空白為承辦人所擬）", 20)
    folder_code = optional_text("併入案卷檔號（空白為新立案）", 60)
    folder_title = optional_text("新立案之案名（空白取本件主旨）", 300)
    topics = optional_text("主題項", 200)
    abstract = optional_text("案情摘要", 2000, rows=3)
    access = forms.ChoiceField(label="應用限制", choices=BLANK + Access.choices, required=False)


class ExpiringForm(DomainErrorForm):
    year = forms.IntegerField(label="屆期年度（民國）", min_value=1, max_value=300)


class BuildListForm(DomainErrorForm):
    title = optional_text("目錄名稱（空白為「○年屆期檔案銷毀目錄」）", 200)
    folders = forms.TypedMultipleChoiceField(
        label="列入銷毀目錄的案卷", coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folders"].choices = [(f.pk, f"{f.file_code} {f.title}") for f in folders]


class OpinionForm(DomainErrorForm):
    """業務單位意見."""

    opinion = forms.ChoiceField(
        label="意見",
        choices=[(Opinion.AGREE, Opinion.AGREE.label), (Opinion.EXTEND, Opinion.EXTEND.label)],
        widget=forms.RadioSelect,
    )
    extend_years = forms.IntegerField(label="延長年限", min_value=1, max_value=30, required=False)
    extend_reason = optional_text("延長理由", 300)


class ApprovalForm(DomainErrorForm):
    """登錄檔案管理局核准."""

    approval_number = optional_text("核准文號", 60, required=True)
    approved_on = RocDateField(label="核准日期")


class DestroyForm(DomainErrorForm):
    """銷毀 with 監毀."""

    destroyed_on = RocDateField(label="銷毀日期")
    witness = optional_text("監毀人員", 100, required=True)
    method = optional_text("銷毀方式（例：碎紙、化漿）", 60)


class ReceiveReviewForm(DomainErrorForm):
    """初審收件 (a list received on paper or from another system)."""

    agency = AgencyChoiceField(label="送審機關", queryset=agencies_in_force())
    reference = optional_text("來文字號", 60, required=True)
    received_on = RocDateField(label="收件日期")
    items = forms.IntegerField(label="件數", min_value=0, max_value=100_000_000)
    cases = forms.IntegerField(label="案數", min_value=0, max_value=100_000_000)
    volumes = forms.IntegerField(label="卷數", min_value=0, max_value=10_000_000)
    shelf_metres = forms.DecimalField(
        label="實體檔案長度（公尺）",
        min_value=0,
        max_value=999_999,
        decimal_places=3,
        required=False,
    )


class DecideReviewForm(DomainErrorForm):
    decision = forms.ChoiceField(
        label="審查結果", choices=[("forward", "轉陳檔案管理局"), ("return", "退回補正")]
    )
    remarks = required_text("審查意見", rows=2)


class TrackForm(DomainErrorForm):
    """銷毀追蹤 (a list kept in the agency's own system)."""

    approval_number = optional_text("核准文號", 60)
    approved_on = RocDateField(label="核准日期", required=False)
    destroyed_on = RocDateField(label="銷毀日期", required=False)


class TransferForm(DomainErrorForm):
    title = optional_text("移轉目錄名稱", 200, required=True)
    approval_number = optional_text("核准文號", 60, required=True)
    transferred_on = RocDateField(label="移轉日期")
    folders = forms.TypedMultipleChoiceField(
        label="移轉的案卷", coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folders"].choices = [(f.pk, f"{f.file_code} {f.title}") for f in folders]


class ExportForm(DomainErrorForm):
    year = forms.IntegerField(label="年度（民國）", min_value=1, max_value=300)
    half = forms.TypedChoiceField(label="半年", choices=[(1, "上半年"), (2, "下半年")], coerce=int)
    format = forms.ChoiceField(label="格式", choices=[("xml", "XML（目錄彙送）"), ("csv", "CSV")])
