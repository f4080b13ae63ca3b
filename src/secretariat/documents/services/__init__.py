"""Writes of the documents workflow (公文), one step a function. Each checks who may act,
validates, changes, audits and — for an online document — signs at its 簽核點, in one
transaction; bad input is a DomainError (zh-Hant) and changes nothing.

By concern: ``intake`` (收文, 創稿, 分文, 改分), ``drafting`` (the 簽 and 稿 and their
versions, attachments, 專案管制), ``chain`` (陳核, 會辦 and 加會, 決行 under the 分層負責明細表,
退回, 撤簽), ``outgoing`` (繕校, 用印, 發文, 歸檔), ``verification`` (驗章), ``setup``
(profiles, 發文代字, 分層負責明細表, signers and their cards), ``common`` (the signing act,
opening a confidential document)."""

from secretariat.documents.services.chain import (
    cosign,
    decide,
    decision_authority,
    decision_note,
    forward,
    required_level,
    return_document,
    send_for_cosign,
    submit,
    withdraw,
)
from secretariat.documents.services.common import (
    Opened,
    holds,
    latest_versions,
    may_open,
    open_document,
    signer_of,
)
from secretariat.documents.services.drafting import (
    EDITING_STEPS,
    add_attachments,
    decide_project_control,
    exchange_allowed,
    may_approve_control,
    request_project_control,
    save_draft,
)
from secretariat.documents.services.intake import (
    create_document,
    distribute,
    document_received,
    due_date,
    issuing_code,
    may_create,
    receive_document,
    reroute,
)
from secretariat.documents.services.outgoing import (
    dispatch,
    document_dispatched,
    document_filed,
    file_document,
    proof,
    seal,
    sealed_pdf,
)
from secretariat.documents.services.setup import (
    may_edit_delegation,
    register_card,
    rewrap_data_keys,
    set_agency_profile,
    set_issuing_code,
    set_matter_category,
    set_signer,
)
from secretariat.documents.services.verification import verify_all, verify_document

__all__ = [
    "EDITING_STEPS",
    "Opened",
    "add_attachments",
    "cosign",
    "create_document",
    "decide",
    "decide_project_control",
    "decision_authority",
    "decision_note",
    "dispatch",
    "distribute",
    "document_dispatched",
    "document_filed",
    "document_received",
    "due_date",
    "exchange_allowed",
    "file_document",
    "forward",
    "holds",
    "issuing_code",
    "latest_versions",
    "may_approve_control",
    "may_create",
    "may_edit_delegation",
    "may_open",
    "open_document",
    "proof",
    "receive_document",
    "register_card",
    "required_level",
    "reroute",
    "rewrap_data_keys",
    "request_project_control",
    "return_document",
    "save_draft",
    "seal",
    "sealed_pdf",
    "send_for_cosign",
    "set_agency_profile",
    "set_issuing_code",
    "set_matter_category",
    "set_signer",
    "signer_of",
    "submit",
    "verify_all",
    "verify_document",
    "withdraw",
]
