"""What the engine accepts as a case's text and its requester's details (收件): each field
bounded by its model's ``max_length`` (the text by ``BODY_MAX_LENGTH``) and free of control
characters, through ``core.text``. SQLite does not enforce ``max_length``, so this is what
keeps the database within the models' bounds whichever channel the case came by."""

from __future__ import annotations

from secretariat.cases.models import Case, Requester
from secretariat.core.text import TextRule, check_fields, model_rule

REQUESTER_FIELDS = ("name", "email", "phone", "address")

CASE_RULES: dict[str, TextRule] = {
    "subject": model_rule(Case, "subject"),
    "body": model_rule(Case, "body", multiline=True),
}
REQUESTER_RULES: dict[str, TextRule] = {
    name: model_rule(Requester, name) for name in REQUESTER_FIELDS
}


def check_case_text(
    subject: str, body: str, requester: dict[str, str]
) -> tuple[str, str, dict[str, str], dict[str, list[str]]]:
    """The subject, body and requester as they may be stored (line breaks of the body
    normalised), and every problem keyed by field (``subject``, ``body``, ``name`` …)."""
    case, errors = check_fields({"subject": subject, "body": body}, CASE_RULES)
    person, person_errors = check_fields(requester, REQUESTER_RULES)
    return case["subject"], case["body"], person, {**errors, **person_errors}
