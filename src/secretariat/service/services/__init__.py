"""Writes of 市民諮詢及志工服務, one verb a function (permission → validation → change → audit
→ enqueue, in one transaction; DomainError in zh-Hant). By concern: ``desk`` (服務台)."""

from secretariat.service.services.desk import (
    MAX_ROOM_USES,
    add_category,
    add_room,
    arrival_url,
    arrive_by_link,
    call_agency,
    count_room_use,
    dispatch_for_token,
    import_dispatches,
    import_room_uses,
    import_visits,
    load_default_categories,
    log_visit,
    mark_arrived,
    remove_visit,
    rename_category,
    set_category_active,
    validate_visit,
)

__all__ = [
    "MAX_ROOM_USES",
    "add_category",
    "add_room",
    "arrival_url",
    "arrive_by_link",
    "call_agency",
    "count_room_use",
    "dispatch_for_token",
    "import_dispatches",
    "import_room_uses",
    "import_visits",
    "load_default_categories",
    "log_visit",
    "mark_arrived",
    "remove_visit",
    "rename_category",
    "set_category_active",
    "validate_visit",
]
from secretariat.service.services.consult import *  # noqa: E402, F403
from secretariat.service.services.volunteers import *  # noqa: E402, F403
