"""/api/v1/service: 市民諮詢及志工服務."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["市民諮詢"])
from secretariat.service import consult_api  # noqa: E402, F401 - its operations join the router
