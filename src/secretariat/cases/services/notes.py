"""What staff write for themselves on cases: internal notes (內部註記) and an agency's reply
templates (回復範本). Neither ever reaches the requester."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from secretariat.cases import kinds
from secretariat.cases.models import (
    NOTE_MAX_LENGTH,
    REPLY_TEMPLATE_MAX_LENGTH,
    Case,
    CaseNote,
    ReplyTemplate,
)
from secretariat.cases.permissions import is_involved, keeps_reply_templates
from secretariat.cases.services.common import field_error, require
from secretariat.core import audit
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency
from secretariat.core.text import TextRule, model_rule

NOTE_RULE = TextRule("註記內容", NOTE_MAX_LENGTH, multiline=True)
TEMPLATE_RULES = {
    "title": model_rule(ReplyTemplate, "title"),
    "text": TextRule("範本內容", REPLY_TEMPLATE_MAX_LENGTH, multiline=True),
}


def _text(value: str, rule: TextRule, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, missing)
    if problem := rule.problem(value):
        raise field_error(field, problem)
    return rule.clean(value)


@transaction.atomic
def add_note(case: Case, text: str, *, by, for_agency: Agency | None = None) -> CaseNote:
    """內部註記: a note by staff of an agency involved in the case (its routers, or a holder of
    a part in force), for everyone involved or for one agency involved only. Audited."""
    require(is_involved(by, case), "只有本案相關機關的人員可以新增內部註記。")
    text = _text(text, NOTE_RULE, "text", "請填寫註記內容。")
    if for_agency is not None:
        from secretariat.cases.selectors.casework import note_agencies

        if for_agency not in note_agencies(case):
            raise field_error("for_agency", f"{for_agency.short_name} 不是本案的相關機關。")
    author_agency = by.agency if by.agency_id is not None else None
    if author_agency is None:
        raise field_error("text", "您的帳號沒有所屬機關，不能新增內部註記。")
    with audit.acting_as(audit.actor_of(by)), audit.action("case_note"):
        return CaseNote.objects.create(
            case=case, author=by, author_agency=author_agency, for_agency=for_agency, text=text
        )


def _check_kind(kind: str) -> str:
    kind = (kind or "").strip()
    if kind and kind not in kinds.KINDS:
        raise field_error("kind", f"未知的案件類別：{kind}")
    return kind


@transaction.atomic
def save_reply_template(
    *,
    by,
    title: str,
    text: str,
    kind: str = "",
    template: ReplyTemplate | None = None,
) -> ReplyTemplate:
    """Create (or, given ``template``, change) a reply template of the person's agency: its
    supervisors and head keep them. A title is unique per agency and kind."""
    require(keeps_reply_templates(by), "只有機關的主管或首長可以維護回復範本。")
    if template is not None:
        template = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
        require(template.agency_id == by.agency_id, "只能維護本機關的回復範本。")
    errors: dict[str, list[str]] = {}
    values = {}
    for name, value, missing in (
        ("title", title, "請填寫範本名稱。"),
        ("text", text, "請填寫範本內容。"),
    ):
        try:
            values[name] = _text(value, TEMPLATE_RULES[name], name, missing)
        except DomainError as error:
            errors.update(error.fields)
    try:
        kind = _check_kind(kind)
    except DomainError as error:
        errors.update(error.fields)
    if errors:
        raise DomainError.invalid(errors)
    if template is None:
        template = ReplyTemplate(agency_id=by.agency_id)
    template.title, template.text, template.kind = values["title"], values["text"], kind
    template.updated_by = by
    taken = ReplyTemplate.objects.filter(agency_id=by.agency_id, kind=kind, title=template.title)
    if taken.exclude(pk=template.pk).exists():
        raise field_error("title", f"本機關已有名為「{template.title}」的範本。")
    try:
        actor = audit.acting_as(audit.actor_of(by))
        with transaction.atomic(), actor, audit.action("reply_template:save"):
            template.save()
    except IntegrityError as error:  # a colleague saved the same title a moment earlier
        raise field_error("title", f"本機關已有名為「{template.title}」的範本。") from error
    return template


@transaction.atomic
def delete_reply_template(template: ReplyTemplate, *, by) -> None:
    """Delete one of the agency's reply templates (the audit trail keeps its text)."""
    template = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
    require(
        keeps_reply_templates(by) and template.agency_id == by.agency_id,
        "只有本機關的主管或首長可以刪除回復範本。",
    )
    with audit.acting_as(audit.actor_of(by)), audit.action("reply_template:delete"):
        template.delete()
