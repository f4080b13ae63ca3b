"""The roles every deployment has (code, name, sees all agencies, description). Loaded by a
data migration; ``ensure_roles`` puts them back after a test database flush."""

ROLES = [
    ("system_admin", "系統管理者", True, "管理帳號、角色、系統設定與稽核驗證。"),
    ("secretariat_admin", "秘書處管理者", True, "秘書處業務管理，可檢視所有機關的案件與統計。"),
    ("registry_clerk", "收發人員", False, "收文、分文與發文。"),
    ("case_officer", "承辦人", False, "辦理分派給本機關的案件並擬復。"),
    ("supervisor", "主管/核稿", False, "核稿、核准本單位的回復。"),
    ("head", "機關首長/決行", False, "機關首長或授權決行者。"),
    ("rdec_officer", "研考人員", False, "追蹤本機關案件期限與逾期。"),
    ("council_liaison", "府會聯絡人", False, "本機關與議會之聯繫窗口。"),
    ("press_liaison", "新聞聯絡人", False, "本機關新聞與輿情聯繫窗口。"),
    ("service_desk", "服務台人員", False, "市政大樓服務台諮詢與陳情受理。"),
    ("contractor", "承攬廠商人員", False, "承攬廠商的人員：僅能檢視並回報分派給該廠商的案件。"),
    (
        "journalist",
        "記者",
        False,
        "經新聞聯絡人核准的媒體記者（不屬於機關）：僅能使用記者專區（新聞聯繫通訊錄、市長公開行程）。",
    ),
    ("archivist", "檔案管理人員", False, "本機關檔案管理：分類表、歸檔檢核、編目、銷毀與移轉。"),
]


def ensure_roles(role_model) -> None:
    """Create or refresh every role (``role_model`` may be a migration's historical model)."""
    for code, name, sees_all, description in ROLES:
        role_model.objects.update_or_create(
            code=code,
            defaults={"name": name, "sees_all_agencies": sees_all, "description": description},
        )
