"""The pages' forms (zh-Hant). They parse; the services check every rule — a missing 主旨,
a recipient without 機關代碼, a wrong PIN — and their refusals appear beside the fields."""

from __future__ import annotations

from django import forms

from secretariat.core.forms import (
    DomainErrorForm,
    MultipleFileField,
    RocDateField,
    TextForm,
    check_date_range,
    optional_text,
)
from secretariat.documents import content as contents
from secretariat.documents.models import (
    OPINION_MAX,
    SUBJECT_MAX,
    CopyKind,
    DeliveryMethod,
    DocType,
    DraftingMethod,
    Level,
    MediaType,
    Origin,
    SealKind,
    Secrecy,
    SigningMode,
    Speed,
    Status,
)

RECIPIENT_ROWS = 8


def pin_field(label: str = "憑證卡 PIN 碼", *, required: bool = False) -> forms.CharField:
    """A PIN typed at each signing; never rendered back, never stored."""
    return forms.CharField(
        label=label,
        max_length=64,
        required=required,
        strip=False,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "inputmode": "numeric"}
        ),
        help_text="線上簽核的公文以您的憑證卡簽章；紙本簽核免填。",
    )


def _opinion(label: str = "意見（選填）", rows: int = 3) -> forms.CharField:
    return optional_text(label, OPINION_MAX, rows=rows)


class ReceiveForm(DomainErrorForm):
    origin = forms.ChoiceField(
        label="來文方式",
        choices=[(Origin.PAPER, Origin.PAPER.label), (Origin.ELECTRONIC, Origin.ELECTRONIC.label)],
        widget=forms.RadioSelect,
        initial=Origin.PAPER,
    )
    doc_type = forms.ChoiceField(label="文別", choices=DocType.choices, initial=DocType.LETTER)
    subject = optional_text("主旨", SUBJECT_MAX, required=True, rows=2)
    sender_name = optional_text("來文機關", 100, required=True)
    sender_code = forms.CharField(label="來文機關代碼（選填）", max_length=10, required=False)
    sender_number = forms.CharField(label="來文字號（選填）", max_length=60, required=False)
    sender_date = RocDateField(label="來文日期（選填）", required=False)
    sender_deadline = RocDateField(label="來文限期（限期公文，選填）", required=False)
    speed = forms.ChoiceField(label="速別", choices=Speed.choices, initial=Speed.NORMAL)
    secrecy = forms.ChoiceField(label="密等", choices=Secrecy.choices, initial=Secrecy.NONE)
    declassify = forms.CharField(
        label="解密條件或保密期限（密件必填）", max_length=200, required=False
    )
    signing_mode = forms.ChoiceField(
        label="簽核方式", choices=SigningMode.choices, initial=SigningMode.ONLINE
    )
    scan = forms.FileField(
        label="紙本來文掃描檔（PDF；讀取時亦可為 PNG、JPEG 圖片）",
        required=False,
        help_text="按「讀取掃描檔」可由文字辨識預填來文機關、字號、日期、速別、密等及主旨。",
    )
    # The scan read before (文件登錄) waits under this token until the form is saved.
    scan_token = forms.CharField(label="", required=False, max_length=22, widget=forms.HiddenInput)
    attachments = MultipleFileField(label="附件（選填）", required=False)
    pin = pin_field()


class CreateForm(DomainErrorForm):
    doc_type = forms.ChoiceField(label="文別", choices=DocType.choices, initial=DocType.LETTER)
    subject = optional_text("主旨", SUBJECT_MAX, required=True, rows=2)
    method = forms.ChoiceField(
        label="擬辦方式", choices=DraftingMethod.choices, initial=DraftingMethod.DRAFT_ONLY
    )
    matter = forms.ModelChoiceField(
        label="分層負責項目（決定決行層級；空白由首長決行）", queryset=None, required=False
    )
    speed = forms.ChoiceField(label="速別", choices=Speed.choices, initial=Speed.NORMAL)
    secrecy = forms.ChoiceField(label="密等", choices=Secrecy.choices, initial=Secrecy.NONE)
    declassify = forms.CharField(
        label="解密條件或保密期限（密件必填）", max_length=200, required=False
    )
    signing_mode = forms.ChoiceField(
        label="簽核方式", choices=SigningMode.choices, initial=SigningMode.ONLINE
    )

    def __init__(self, *args, matters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters


class DistributeForm(DomainErrorForm):
    officer = forms.ModelChoiceField(label="承辦人", queryset=None)
    pin = pin_field()

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda u: f"{u.unit.name}　{u}"


class ReviewerForm(DomainErrorForm):
    """陳核 or 核轉 to someone up the chain."""

    to = forms.ModelChoiceField(label="陳核對象", queryset=None)
    opinion = _opinion()
    pin = pin_field()

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = reviewers
        self.fields["to"].label_from_instance = lambda u: (
            f"{u.unit.name if u.unit else ''}　{u.job_title}　{u}"
        )


class CosignRequestForm(DomainErrorForm):
    units = forms.ModelMultipleChoiceField(
        label="會辦單位", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    parallel = forms.TypedChoiceField(
        label="會辦方式",
        choices=[("1", "平行會辦（同時送各單位）"), ("0", "依序會辦（依所列順序）")],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    opinion = _opinion()
    pin = pin_field()

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class OpinionForm(DomainErrorForm):
    opinion = _opinion()
    pin = pin_field()


class ReasonForm(DomainErrorForm):
    reason = optional_text("理由", OPINION_MAX, required=True, rows=3)
    pin = pin_field()


class SealForm(DomainErrorForm):
    seal_kind = forms.ChoiceField(label="印信", choices=SealKind.choices)
    impressions = forms.IntegerField(label="用印次數", min_value=1, max_value=10_000, initial=1)
    note = forms.CharField(label="備註（選填）", max_length=200, required=False)
    pin = pin_field("監印人員憑證卡 PIN 碼")
    seal_pin = pin_field("機關憑證卡 PIN 碼（電子發文加蓋電子印信時填寫）")


class FileForm(DomainErrorForm):
    file_code = forms.CharField(label="檔號（選填）", max_length=60, required=False)
    retention = forms.CharField(label="保存年限（永久或 N年，選填）", max_length=20, required=False)
    opinion = _opinion()
    pin = pin_field()


class ControlRequestForm(DomainErrorForm):
    due_on = RocDateField(label="申請辦理期限（收文後 30 日以上）")
    reason = optional_text("專案管制理由", 300, required=True, rows=2)


class AttachForm(DomainErrorForm):
    attachments = MultipleFileField(label="附件檔案")
    media = forms.ChoiceField(label="媒體型式", choices=MediaType.choices)
    count = forms.IntegerField(label="份數", min_value=1, max_value=999, initial=1)


class DraftForm(DomainErrorForm):
    """A 簽 or 稿: the subject, each section of its 文別 (one item a line; numbers are
    added automatically), a notice's meeting details and a 稿's recipients (fixed rows)."""

    doc_type = forms.ChoiceField(label="文別", choices=DocType.choices)
    subject = optional_text("主旨", SUBJECT_MAX, required=True, rows=2)

    def __init__(self, *args, doc_type: str, addressed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.doc_type, self.addressed = doc_type, addressed
        self.fields["subject"].label = contents.subject_label(doc_type)
        self.section_names = []
        for position, title in enumerate(contents.sections_for(doc_type)):
            name = f"section_{position}"
            self.fields[name] = optional_text(
                f"{title}（一行一項；以「（一）」「1、」或縮排表示下一層，項次自動編號）",
                contents.SECTION_MAX,
                rows=6,
            )
            self.section_names.append((name, title))
        self.meeting_names = []
        if doc_type in contents.NOTICE_TYPES:
            for key, label in contents.MEETING_FIELDS:
                self.fields[f"meeting_{key}"] = forms.CharField(
                    label=label, max_length=contents.MEETING_FIELD_MAX, required=False
                )
                self.meeting_names.append((f"meeting_{key}", key))
        self.recipient_rows = []
        if addressed and doc_type in contents.ADDRESSED:
            for row in range(RECIPIENT_ROWS):
                number = row + 1
                self.fields[f"r{row}_copy"] = forms.ChoiceField(
                    label=f"第{number}個受文者：正副本",
                    choices=[("", "—")] + list(CopyKind.choices),
                    required=False,
                )
                self.fields[f"r{row}_name"] = forms.CharField(
                    label=f"第{number}個受文者：名稱", max_length=100, required=False
                )
                self.fields[f"r{row}_code"] = forms.CharField(
                    label=f"第{number}個受文者：機關代碼", max_length=10, required=False
                )
                self.fields[f"r{row}_method"] = forms.ChoiceField(
                    label=f"第{number}個受文者：發文方式",
                    choices=[("", "—")] + list(DeliveryMethod.choices),
                    required=False,
                )
                self.fields[f"r{row}_attachments"] = forms.BooleanField(
                    label=f"第{number}個受文者：含附件", required=False, initial=True
                )
                self.recipient_rows.append(row)

    def section_fields(self) -> list:
        return [self[name] for name, _ in self.section_names]

    def meeting_fields(self) -> list:
        return [self[name] for name, _ in self.meeting_names]

    def recipient_fields(self) -> list[list]:
        """Each recipient row's fields (正副本, 名稱, 機關代碼, 發文方式, 含附件)."""
        parts = ("copy", "name", "code", "method", "attachments")
        return [[self[f"r{row}_{part}"] for part in parts] for row in self.recipient_rows]

    def sections(self) -> dict[str, str]:
        return {title: self.cleaned_data.get(name, "") for name, title in self.section_names}

    def meeting(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(name, "") for name, key in self.meeting_names}

    def recipients(self) -> list[dict]:
        found = []
        for row in self.recipient_rows:
            name = (self.cleaned_data.get(f"r{row}_name") or "").strip()
            copy = self.cleaned_data.get(f"r{row}_copy") or ""
            method = self.cleaned_data.get(f"r{row}_method") or ""
            if not (name or copy or method):
                continue
            found.append(
                {
                    "copy": copy,
                    "name": name,
                    "code": self.cleaned_data.get(f"r{row}_code") or "",
                    "method": method,
                    "with_attachments": bool(self.cleaned_data.get(f"r{row}_attachments")),
                }
            )
        return found

    @staticmethod
    def initial_for(content: dict) -> dict:
        initial = {"doc_type": content.get("doc_type"), "subject": content.get("subject", "")}
        texts = contents.section_texts(content)
        for position, title in enumerate(contents.sections_for(content.get("doc_type", ""))):
            initial[f"section_{position}"] = texts.get(title, "")
        for key, _ in contents.MEETING_FIELDS:
            initial[f"meeting_{key}"] = (content.get("meeting") or {}).get(key, "")
        for row, recipient in enumerate(contents.recipients_of(content)[:RECIPIENT_ROWS]):
            initial.update(
                {
                    f"r{row}_copy": recipient.copy,
                    f"r{row}_name": recipient.name,
                    f"r{row}_code": recipient.code,
                    f"r{row}_method": recipient.method,
                    f"r{row}_attachments": recipient.with_attachments,
                }
            )
        return initial


class CardForm(DomainErrorForm):
    token_label = forms.CharField(label="憑證卡標籤", max_length=32)
    key_label = forms.CharField(
        label="金鑰標籤（卡上有多把金鑰時填寫）", max_length=64, required=False
    )
    pin = pin_field(required=True)


class MatterForm(DomainErrorForm):
    code = forms.CharField(label="項目編號", max_length=20)
    name = forms.CharField(label="工作項目", max_length=200)
    level = forms.TypedChoiceField(label="決行層級", choices=Level.choices, coerce=int)
    note = forms.CharField(label="備註（選填）", max_length=200, required=False)
    active = forms.BooleanField(label="使用中", required=False, initial=True)


class RegisterFilterForm(TextForm):
    start = RocDateField(label="起日", required=False)
    end = RocDateField(label="迄日", required=False)
    speed = forms.ChoiceField(
        label="速別", choices=[("", "全部")] + list(Speed.choices), required=False
    )
    status = forms.ChoiceField(
        label="狀態", choices=[("", "全部")] + list(Status.choices), required=False
    )
    q = forms.CharField(label="文號或來文機關", max_length=60, required=False)

    def clean(self):
        cleaned = super().clean()
        check_date_range(self, "start", "end")
        return cleaned
