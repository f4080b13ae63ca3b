"""The exchange pages' forms (zh-Hant). They parse; the services check every rule."""

from __future__ import annotations

from django import forms

from secretariat.core.forms import DomainErrorForm, optional_text
from secretariat.documents.selectors import SigningMode
from secretariat.exchange.models import REASON_MAX


def _pin() -> forms.CharField:
    # Typed at each 簽收 of an online-signed 收文; never rendered back, never stored.
    return forms.CharField(
        label="憑證卡 PIN 碼",
        max_length=64,
        required=False,
        strip=False,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "inputmode": "numeric"}
        ),
        help_text="線上簽核的收文以您的憑證卡簽章；紙本簽核免填。",
    )


class SignForm(DomainErrorForm):
    """簽收: the 收文 is registered with this 簽核方式."""

    signing_mode = forms.ChoiceField(
        label="簽核方式", choices=SigningMode.choices, initial=SigningMode.ONLINE
    )
    pin = _pin()


class RefuseForm(DomainErrorForm):
    reason = optional_text("退文理由", REASON_MAX, required=True, rows=3)


class ImportForm(DomainErrorForm):
    package = forms.FileField(label="交換封包（zip：DI、SW 與附件）")
    signing_mode = forms.ChoiceField(
        label="簽核方式", choices=SigningMode.choices, initial=SigningMode.ONLINE
    )
    pin = _pin()
