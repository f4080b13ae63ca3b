"""The petitions' sentences in a case's history (``core.history``): the mails to the citizen."""

from __future__ import annotations

from secretariat.core import history


def _replies_mailed(entry, context) -> str:
    into = (entry.changes or {}).get("merged_into")
    if into:
        return f"以電子郵件將 {into} 的回復內容寄給陳情人（併案）"
    return "以電子郵件將回復內容寄給陳情人"


def _merge_mailed(entry, context) -> str:
    return f"以電子郵件通知陳情人已併入 {(entry.changes or {}).get('merged_into', '')} 辦理"


def register() -> None:
    history.register("cases.case", "petition:mail_replies", _replies_mailed)
    history.register("cases.case", "petition:mail_merged", _merge_mailed)
