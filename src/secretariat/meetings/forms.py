"""府級會議's forms: zh-Hant labels, 民國 dates; the services check every rule (these only
parse), and their DomainError comes back beside the field it names."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from secretariat.core.forms import (
    AgencyChoiceField,
    DomainErrorForm,
    MultipleFileField,
    RocDateField,
    RocTimeField,
    agencies_in_force,
    optional_text,
    required_text,
)
from secretariat.core.models import AgencyKind, Role
from secretariat.meetings.models import (
    DISTRICTS,
    AttendanceKind,
    ItemKind,
    MeetingSeries,
    ResolutionKind,
)
from secretariat.meetings.services import PROPOSED_KINDS

FILES_HELP = "可上傳 PDF、ODT、ODP、DOCX、PPTX、XLSX、ODS、圖片等，每檔 20 MB 以內。"


class MeetingForm(DomainErrorForm):
    """召開會議 (meeting staff)."""

    series = forms.ModelChoiceField(
        label="會議系列", queryset=MeetingSeries.objects.filter(is_active=True), empty_label=None
    )
    held_on = RocDateField(label="日期")
    starts_at = RocTimeField(label="開始時間", initial="09:00")
    ends_at = RocTimeField(label="結束時間", initial="12:00")
    number = forms.IntegerField(
        label="次別（選填）", required=False, min_value=1, max_value=1_000_000
    )
    place = optional_text("地點（空白為預設地點）", 100)
    district = forms.ChoiceField(
        label="行動會議行政區（選填）",
        required=False,
        choices=[("", "非行動會議")] + [(d, d) for d in DISTRICTS],
    )


class SeriesForm(DomainErrorForm):
    """新增會議系列 (meeting staff): a committee or task force beside 市政會議 and 主秘會報."""

    name = optional_text("名稱", 60, required=True)
    code = forms.CharField(
        label="代號",
        max_length=40,
        help_text="英文小寫字母、數字或連字號，用於網址與匯入檔（例：youth-committee）。",
    )
    chair_title = optional_text("主席", 40, required=True)
    chair_agency = AgencyChoiceField(label="主席辦公室（核定會議紀錄）", queryset=None)
    default_place = optional_text("預設地點", 100)
    submission_days = forms.IntegerField(
        label="提案截止（會議前工作天）", initial=3, min_value=0, max_value=30
    )
    is_open = forms.BooleanField(label="公開會議（紀錄核定公布後登載於公開頁面）", required=False)
    report_text = optional_text("工作報告說明（選填）", 300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair_agency"].queryset = agencies_in_force()


class ProposalForm(DomainErrorForm):
    """提案: an agency's 報告案 or 討論案, with its files."""

    kind = forms.ChoiceField(
        label="議案類別", choices=[(k, ItemKind(k).label) for k in PROPOSED_KINDS]
    )
    title = optional_text("案由", 200, required=True)
    summary = optional_text("說明", 5000, rows=5)
    speaker = optional_text("報告人（選填）", 100)
    attachments = MultipleFileField(label="附件", required=False, help_text=FILES_HELP)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"] = AgencyChoiceField(
                label="提案機關", queryset=agencies, empty_label=None
            )
            self.order_fields(["agency", "kind"])


class StaffItemForm(ProposalForm):
    """The Secretariat adds any kind of item (專題演講, 臨時動議 …) for any agency."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, agencies=agencies_in_force(), **kwargs)
        self.fields["kind"].choices = ItemKind.choices
        self.fields["speaker"].label = "報告人或講者（專題演講必填）"


class ReasonForm(DomainErrorForm):
    reason = optional_text("理由", 200, required=True)


class DeferForm(DomainErrorForm):
    to = forms.ModelChoiceField(label="改列會議", queryset=None, empty_label=None)
    reason = optional_text("緩議理由", 200, required=True)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = meetings


class AttachmentsForm(DomainErrorForm):
    attachments = MultipleFileField(label="附件", required=False, help_text=FILES_HELP)


class SubstituteForm(DomainErrorForm):
    """代理出席: sign in in a member's place (same agency)."""

    member = forms.ModelChoiceField(label="代理出席的成員", queryset=None, empty_label=None)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        from secretariat.core.models import User

        self.fields["member"].queryset = User.objects.filter(pk__in=[m.pk for m in members])
        self.fields["member"].label_from_instance = lambda p: f"{p}（{p.job_title}）"


class DeskAttendanceForm(DomainErrorForm):
    """The desk records a sign-in from the paper sheet or at the door."""

    kind = forms.ChoiceField(label="出席方式", choices=AttendanceKind.choices)
    member = forms.ModelChoiceField(label="成員（親自或代理出席時）", queryset=None, required=False)
    name = optional_text("出席者姓名（代理或列席時）", 60)
    title = optional_text("職稱", 60)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda p: (
            f"{p.agency.short_name if p.agency_id else ''} {p}（{p.job_title}）"
        )


class TranscriptForm(DomainErrorForm):
    """智慧輔助: the transcript (UTF-8 text) the draft is made from."""

    transcript = forms.FileField(label="逐字稿（UTF-8 文字檔 .txt）")


class EntryForm(DomainErrorForm):
    speakers = optional_text("發言者", 300)
    report = optional_text("報告內容", 10_000, rows=4)
    discussion = optional_text("討論摘要", 10_000, rows=4)
    resolution_kind = forms.ChoiceField(label="決議或裁示", choices=ResolutionKind.choices)
    resolution = optional_text("決議（裁示）內容", 5000, rows=3)


class MinutesHeadForm(DomainErrorForm):
    chair_name = optional_text("主席", 60)
    recorder = optional_text("紀錄", 60)
    notes = optional_text("其他事項", 5000, rows=3)


class ReviewForm(DomainErrorForm):
    confirmed = forms.BooleanField(label="無意見", required=False)
    comment = optional_text("修正意見", 2000, rows=3)


class DirectiveForm(DomainErrorForm):
    """交辦列管: a directive of approved minutes routed to agencies, tracked by 研考會."""

    text = required_text("裁示事項", rows=3)
    lead = AgencyChoiceField(label="主辦機關", queryset=None, empty_label=None)
    co_agencies = forms.ModelMultipleChoiceField(
        label="協辦機關（選填）", queryset=None, required=False
    )
    resolution_kind = forms.ChoiceField(label="類別", choices=ResolutionKind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = agencies_in_force()
        self.fields["lead"].queryset = agencies
        self.fields["co_agencies"].queryset = agencies
        self.fields["co_agencies"].label_from_instance = lambda a: a.short_name


class SeatForm(DomainErrorForm):
    label = optional_text("席次名稱", 60, required=True)
    agency = AgencyChoiceField(label="機關（或選機關類別）", queryset=None, required=False)
    agency_kind = forms.ChoiceField(
        label="機關類別",
        required=False,
        choices=[("", "（不限於一類）")] + list(AgencyKind.choices),
    )
    role = forms.ModelChoiceField(label="角色", queryset=Role.objects.all(), required=False)
    job_title = optional_text("職稱", 60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_force()


class RulesForm(DomainErrorForm):
    title = optional_text("名稱", 100, required=True)
    issued_on = RocDateField(label="發布日期", initial=timezone.localdate)
    note = optional_text("修正說明", 300)
    text = required_text("條文", rows=10)


class DirectiveFilterForm(DomainErrorForm):
    status = forms.ChoiceField(
        label="狀態",
        required=False,
        choices=[("open", "列管中"), ("released", "已解除列管"), ("", "全部")],
    )
    agency = AgencyChoiceField(label="主辦機關", queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_force()
