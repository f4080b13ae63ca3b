"""`secretariat check`: the master key on a PKCS#11 token (DOCUMENTS_MASTER_TOKEN) answers —
found out at deployment, not at the first confidential document."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from secretariat.core.errors import DomainError


def master_token_reachable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Nothing without DOCUMENTS_MASTER_TOKEN; otherwise a data key wrapped and unwrapped on
    the token, an error naming what failed (no token, no key, a wrong PIN)."""
    from secretariat.documents import secrecy

    if not settings.DOCUMENTS_MASTER_TOKEN:
        return []
    try:
        secrecy.check_master_key()
    except (DomainError, ValueError) as error:
        reason = getattr(error, "message", str(error))
        return [
            checks.Error(
                f"機密文書的主金鑰（DOCUMENTS_MASTER_TOKEN）無法使用：{reason}",
                id="documents.E001",
            )
        ]
    return []
