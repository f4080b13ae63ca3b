"""What can go wrong when signing or verifying, as stable codes with zh-Hant messages.

One table for both directions: ``load_credential``/``sign_detached`` raise
``DomainError(code, message)`` with these, and ``Verification.problem`` carries the same
message for the same code, so a page or the nightly check words a problem the same way.
"""

from __future__ import annotations

from secretariat.core.errors import DomainError

MESSAGES: dict[str, str] = {
    # credentials (憑證卡 / 憑證檔)
    "pin_incorrect": "憑證卡 PIN 碼錯誤。",
    "pin_locked": "憑證卡 PIN 碼已鎖住（錯誤次數過多），請洽憑證管理單位解鎖。",
    "pin_invalid": "PIN 碼須為 4 至 64 個字元，且不可含控制字元。",
    "token_missing": "找不到憑證卡「{label}」，請確認讀卡機已連接且卡片已插入。",
    "module_missing": "無法載入讀卡機的 PKCS#11 模組（{path}）。",
    "key_missing": "憑證卡上找不到簽章金鑰{which}。",
    "key_ambiguous": "憑證卡上有多把簽章金鑰，請指定金鑰標籤或代號。",
    "certificate_missing": "憑證卡上找不到與簽章金鑰對應的憑證。",
    "key_unsupported": "僅支援 2048 位元以上的 RSA 簽章金鑰。",
    "token_error": "憑證卡操作失敗（{detail}），請重新插卡後再試。",
    "pkcs12_missing": "找不到憑證檔（{path}）。",
    "pkcs12_password_incorrect": "憑證檔密碼錯誤，或檔案不是 PKCS#12 格式。",
    "text_invalid": "「{label}」須為 1 至 {limit} 個字元，且不可含控制字元。",
    "tsa_unavailable": "無法自時戳服務取得時戳（{detail}）。",
    # certificates (憑證)
    "cert_expired": "憑證已過期。",
    "cert_not_yet_valid": "憑證尚未生效。",
    "cert_untrusted": "憑證不受信任（無法連結到設定的信任憑證）。",
    "cert_revoked": "憑證已廢止。",
    "cert_key_usage": "憑證的金鑰用途不含數位簽章，不可用於簽章。",
    "cert_invalid": "憑證鏈驗證失敗。",
    "crl_stale": "憑證廢止清冊（CRL）已過期或無法驗證，請更新 CRL 檔。",
    # signatures (簽章)
    "signature_mismatch": "簽章與內容不符。",
    "signature_invalid": "簽章值驗證失敗：簽章遭竄改，或非此憑證所簽。",
    "signature_malformed": "簽章格式錯誤，無法解析。",
    "timestamp_invalid": "簽章所附的時戳無效。",
    # PDF (PAdES)
    "pdf_malformed": "無法讀取 PDF 檔。",
    "pdf_unsigned": "PDF 檔沒有數位簽章。",
    "pdf_modified": "PDF 檔在簽章後被修改。",
}


def message(code: str, **details: object) -> str:
    return MESSAGES[code].format(**details)


def problem(code: str, **details: object) -> DomainError:
    """The DomainError for ``code`` (``raise problem("pin_incorrect")``)."""
    return DomainError(code, message(code, **details))


def checked_text(value: str, *, label: str, limit: int) -> str:
    """A short free text (purpose, reason, location, labels): 1..limit characters, no
    control characters. Returns it stripped."""
    if not isinstance(value, str) or has_control_characters(value):
        raise problem("text_invalid", label=label, limit=limit)
    text = value.strip()
    if not text or len(text) > limit:
        raise problem("text_invalid", label=label, limit=limit)
    return text


def has_control_characters(text: str) -> bool:
    return any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text)
