"""`secretariat check`: the audit chain's key file (outside the database) exists — it is
created here on first use — and is private."""

from __future__ import annotations

from django.core.checks import Error, Tags, Warning, register

from secretariat.core import audit_keys


@register(Tags.security)
def audit_key_file(app_configs, **kwargs) -> list:
    path = audit_keys.key_file()
    try:
        audit_keys.ensure()
    except (audit_keys.KeyFileError, OSError) as error:
        return [
            Error(
                f"稽核鏈金鑰檔 {path} 無法讀取或建立：{error}",
                hint="金鑰檔須可由本系統帳號讀寫，並與資料庫分開備份。",
                id="secretariat.E001",
            )
        ]
    if audit_keys.loose_permissions():
        return [
            Warning(
                f"稽核鏈金鑰檔 {path} 可被其他帳號讀取。",
                hint=f"chmod 600 {path}",
                id="secretariat.W001",
            )
        ]
    return []
