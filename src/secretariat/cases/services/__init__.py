"""Writes of the case engine, one verb a function. Every function checks permission,
validates, changes, audits and enqueues notifications in one transaction, and raises
DomainError (zh-Hant) on bad input. Case kinds (petitions, council …) call these and plug in
through their ``CaseKind`` hooks; they never change cases directly.

By concern: ``intake`` (open a case, attachments, the requester), ``routing`` (分辦, officers,
the Secretariat's 改分 and deadlines), ``requests`` (改分 and 展期 asked by a holder),
``replies`` (replies, progress reports and 解除列管, 結案/存查/撤回), ``merging`` (併案),
``notes`` (internal notes and reply templates), ``importing`` (history from old systems),
``keywords`` (the routing keyword table's seed), ``filters`` (a person's saved filters of the
case list). The requester search is in ``intake``, beside the requester's identity."""

from secretariat.cases.services.filters import delete_filter, filter_query, save_filter
from secretariat.cases.services.importing import (
    ImportedCase,
    ImportedExtension,
    ImportedPart,
    cases_imported,
    import_cases,
)
from secretariat.cases.services.intake import (
    REQUESTER_RESULTS_MAX,
    attachment_errors,
    case_opened,
    check_attachment,
    check_case_text,
    may_search_requesters,
    next_number,
    open_case,
    requester_query_digest,
    reveal_requester,
    search_requesters,
)
from secretariat.cases.services.keywords import (
    ROUTING_KEYWORDS_PATH,
    KeywordSeedResult,
    seed_routing_keywords,
)
from secretariat.cases.services.merging import merge_case
from secretariat.cases.services.notes import add_note, delete_reply_template, save_reply_template
from secretariat.cases.services.replies import (
    approve_reply,
    close_case,
    draft_reply,
    file_case,
    may_release,
    next_report_due,
    release_part,
    report_progress,
    withdraw_case,
)
from secretariat.cases.services.requests import (
    decide_extension,
    decide_reassignment,
    reassign_until,
    request_extension,
    request_reassignment,
)
from secretariat.cases.services.routing import (
    Assignee,
    as_assignee,
    assign_officer,
    reroute_part,
    route_case,
    route_cases,
    set_due_date,
    take_part,
)

__all__ = [
    "REQUESTER_RESULTS_MAX",
    "ROUTING_KEYWORDS_PATH",
    "Assignee",
    "ImportedCase",
    "ImportedExtension",
    "ImportedPart",
    "KeywordSeedResult",
    "add_note",
    "approve_reply",
    "as_assignee",
    "assign_officer",
    "attachment_errors",
    "case_opened",
    "cases_imported",
    "check_attachment",
    "check_case_text",
    "close_case",
    "decide_extension",
    "decide_reassignment",
    "delete_filter",
    "delete_reply_template",
    "draft_reply",
    "file_case",
    "filter_query",
    "import_cases",
    "may_release",
    "may_search_requesters",
    "merge_case",
    "next_number",
    "next_report_due",
    "open_case",
    "reassign_until",
    "release_part",
    "report_progress",
    "request_extension",
    "request_reassignment",
    "requester_query_digest",
    "reroute_part",
    "reveal_requester",
    "route_case",
    "route_cases",
    "save_filter",
    "save_reply_template",
    "search_requesters",
    "seed_routing_keywords",
    "set_due_date",
    "take_part",
    "withdraw_case",
]
