"""Demo reply templates (回復範本) of the agencies with demo accounts, kept by their supervisors
through the service. Idempotent: a template whose title the agency has is skipped."""

from __future__ import annotations

from django.db import transaction

from secretariat.cases import services
from secretariat.cases.models import ReplyTemplate
from secretariat.core.models import User

# (the supervisor's demo account, title, the kind or "" for every kind, text)
TEMPLATES = [
    (
        "udd-supervisor",
        "已派員會勘",
        "petition",
        "您好：有關您反映的事項，本局已派員至現場會勘，將依會勘結果儘速改善，"
        "改善情形將另行通知。感謝您的寶貴意見。",
    ),
    (
        "udd-supervisor",
        "非本局權責",
        "",
        "您好：經查您反映的事項非屬本局權責，本局已移請權責機關辦理，並副知秘書處。",
    ),
    (
        "police-supervisor",
        "加強巡邏",
        "petition",
        "您好：有關您反映的事項，本局已責成轄區分局加強巡邏與取締，以維護交通秩序與安全。",
    ),
]


def load_demo() -> str:
    """Create the demo templates that do not exist yet; says how many were added."""
    created = 0
    for username, title, kind, text in TEMPLATES:
        keeper = User.objects.filter(username=username).first()
        if keeper is None:
            raise RuntimeError(f"缺少示範帳號 {username}，請先執行 secretariat demo 建立帳號。")
        if ReplyTemplate.objects.filter(agency=keeper.agency, kind=kind, title=title).exists():
            continue
        with transaction.atomic():
            services.save_reply_template(by=keeper, title=title, text=text, kind=kind)
        created += 1
    return f"新增 {created} 則"
