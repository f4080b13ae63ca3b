"""檔案管理 API (/api/v1/archives): catalogue search by 檔號 prefix and 案名 words, and the
目錄彙送 export — through the same selectors as the pages. JSON, ISO dates."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["archives"])
