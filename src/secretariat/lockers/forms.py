"""Forms of the locker pages; every rule is the services' (the forms only read input)."""

from __future__ import annotations

from django import forms

from secretariat.core.forms import DomainErrorForm, optional_text
from secretariat.core.models import Agency
from secretariat.lockers import selectors
from secretariat.lockers.models import Bank, Compartment, Site, Size

BIG = {"class": "kiosk-input", "autocomplete": "off"}


class PackForm(DomainErrorForm):
    """打包: the documents for one receiving agency, the bank and the package's size."""

    dispatches = forms.TypedMultipleChoiceField(
        label="要打包的公文", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    bank = forms.ModelChoiceField(label="投遞櫃組", queryset=Bank.objects.none(), empty_label=None)
    size = forms.ChoiceField(label="包件尺寸", choices=Size.choices, initial=Size.MEDIUM)

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispatches"].choices = [
            (
                row.pk,
                f"{row.document.reference}　{row.get_copy_display()}　{row.document.subject}",
            )
            for row in rows
        ]
        self.fields["bank"].queryset = selectors.active_banks()


class KioskPairForm(DomainErrorForm):
    key = forms.CharField(
        label="櫃組金鑰", max_length=80, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class DepositForm(DomainErrorForm):
    qr = forms.CharField(
        label="包件條碼（掃描或輸入封面條碼下方文字）",
        max_length=40,
        widget=forms.TextInput(attrs={**BIG, "autofocus": True}),
    )


class CodeForm(DomainErrorForm):
    code = forms.CharField(
        label="取件碼（8 位數字）",
        max_length=8,
        widget=forms.TextInput(attrs={**BIG, "inputmode": "numeric", "pattern": "[0-9]{8}"}),
    )


class SignForm(DomainErrorForm):
    signing_mode = forms.ChoiceField(
        label="收文簽核方式",
        choices=[("online", "線上簽核（以憑證卡簽章）"), ("paper", "紙本簽核")],
        initial="online",
    )
    pin = forms.CharField(
        label="憑證卡 PIN 碼（線上簽核）",
        max_length=32,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class SiteForm(DomainErrorForm):
    name = optional_text("地點名稱", Site._meta.get_field("name").max_length, required=True)
    address = optional_text("地址", Site._meta.get_field("address").max_length)


class BankForm(DomainErrorForm):
    site = forms.ModelChoiceField(label="地點", queryset=Site.objects.all(), empty_label=None)
    code = optional_text("櫃組代號（英數字，例如 city-hall-1f）", 20, required=True)
    name = optional_text("櫃組名稱", Bank._meta.get_field("name").max_length, required=True)
    simulated = forms.BooleanField(label="模擬控制器（展示用，無實體設備）", required=False)


def _agencies():
    return Agency.objects.filter(abolished_on__isnull=True).order_by("name")


class CompartmentsForm(DomainErrorForm):
    count = forms.IntegerField(label="新增格數", min_value=1, max_value=200, initial=10)
    size = forms.ChoiceField(label="尺寸", choices=Size.choices, initial=Size.MEDIUM)
    agency = forms.ModelChoiceField(
        label="固定機關（空白為共用櫃）", queryset=Agency.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()


class CompartmentForm(DomainErrorForm):
    compartment = forms.ModelChoiceField(label="格號", queryset=Compartment.objects.none())
    size = forms.ChoiceField(label="尺寸", choices=Size.choices)
    agency = forms.ModelChoiceField(
        label="固定機關（空白為共用櫃）", queryset=Agency.objects.none(), required=False
    )
    active = forms.BooleanField(label="使用中", required=False, initial=True)

    def __init__(self, *args, bank: Bank, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()
        self.fields["compartment"].queryset = bank.compartments.order_by("number")
        self.fields["compartment"].label_from_instance = lambda c: f"第 {c.number} 格"
