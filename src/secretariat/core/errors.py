"""Domain errors: a zh-Hant message for people and a stable code for machines."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A rule of the business was broken. ``fields`` maps a field name to its messages."""

    status = 400

    def __init__(self, code: str, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}

    @classmethod
    def invalid(cls, fields: dict[str, list[str]], code: str = "invalid") -> DomainError:
        """Every field's messages at once: 「資料有誤：請填寫主旨。；請選擇類別。」."""
        summary = "；".join(message for messages in fields.values() for message in messages)
        return cls(code, f"資料有誤：{summary}", fields)

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "fields": self.fields}

    @classmethod
    def from_validation(cls, error: ValidationError, code: str = "invalid") -> DomainError:
        if hasattr(error, "error_dict"):
            fields = {
                name: [m for e in errs for m in e.messages]
                for name, errs in error.error_dict.items()
            }
            summary = "；".join(f"{name}：{'、'.join(msgs)}" for name, msgs in fields.items())
            return cls(code, f"資料有誤：{summary}", fields)
        return cls(code, "；".join(error.messages))


class BadRequest(DomainError):
    """A request that cannot be read at all (Django refused it before any rule applied)."""

    def __init__(self, message: str = "請求內容無法處理，請檢查欄位。"):
        super().__init__("bad_request", message)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str = "您沒有執行此操作的權限。"):
        super().__init__("permission_denied", message)


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "查無此資料，或您沒有檢視權限。"):
        super().__init__("not_found", message)
