"""Case pages: the list (with the Secretariat's overview by agency and the exports), a case's
page with the steps the person may take, the escalation list and attachments.

Thin: selectors read (already limited to what the person may see), the engine's services
write and check every rule, forms parse. Each step is a small POST form; with htmx a refused
step comes back as the same form with the service's message beside its field, and a step
taken reloads the case's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from secretariat.cases import exports, history, kinds, selectors, services, suggest
from secretariat.cases.deadlines import part_deadline
from secretariat.cases.forms import (
    BulkRouteForm,
    CaseFilterForm,
    CloseForm,
    DecisionForm,
    DraftReplyForm,
    ExtensionRequestForm,
    FileForm,
    MergeForm,
    NoteForm,
    OfficerForm,
    ProgressForm,
    ReassignmentDecisionForm,
    ReassignmentRequestForm,
    ReleaseForm,
    ReplyForm,
    ReplyTemplateForm,
    RequesterSearchForm,
    RouteForm,
    TakePartForm,
    WithdrawForm,
)
from secretariat.cases.models import Assignment, Case, CaseStatus
from secretariat.cases.permissions import is_router
from secretariat.cases.selectors import assignees
from secretariat.core import errors, roc, workdays
from secretariat.core.errors import DomainError

PAGE_SIZE = 50
AUDIT_TRAIL_SIZE = 100


# --- The list -------------------------------------------------------------------------------


def _listing(request: HttpRequest, at: dt.datetime):
    """The filter form, whether the person sees every case, and the filtered rows: cases for
    the Secretariat (of the kinds it routes), the agency's own parts for an agency."""
    sees_all = selectors.lists_cases(request.user)
    queues = selectors.queues_of(request.user)
    form = CaseFilterForm(request.GET or None, sees_all=sees_all, queues=queues)
    filters = form.filters()
    if sees_all:
        rows = selectors.case_list_for(request.user, at, **filters)
    else:
        rows = selectors.part_list_for(request.user, at, **filters)
    return form, sees_all, rows


@dataclass(frozen=True)
class Row:
    """A case (Secretariat) or a part (agency) in the list, with what the list shows of it."""

    item: object
    kind: str
    requester: str
    routable: bool = False  # a case waiting to be routed that the person routes


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    form, sees_all, rows = _listing(request, now)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    cases = [item if sees_all else item.case for item in page]
    rows = [
        Row(
            item,
            kinds.label(case.kind),
            exports.masked_requester(case),
            sees_all and case.status == CaseStatus.PENDING and is_router(request.user, case.kind),
        )
        for item, case in zip(page, cases, strict=True)
    ]
    context = {
        "form": form,
        "sees_all": sees_all,
        "scope": selectors.scope_description(request.user),
        "page": page,
        "rows": rows,
        "today": today,
        "overview": [],
        "saved_filters": selectors.saved_filters_for(request.user),
        "filter_query": services.filter_query(request.GET.urlencode()),
        "bulk": BulkRouteForm() if any(row.routable for row in rows) else None,
        "may_search_requesters": services.may_search_requesters(request.user),
    }
    if sees_all:
        kind = form.filters()["kind"] or None
        context["overview"] = [
            (load, (today - load.oldest_assigned_on).days if load.oldest_assigned_on else None)
            for load in selectors.open_by_agency(request.user, now, kind=kind)
        ]
    return render(request, "cases/case_list.html", context)


@login_required
def case_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current filtered list (every page) as CSV or ODS."""
    if fmt not in ("csv", "ods"):
        raise Http404
    now = timezone.now()
    today = timezone.localdate(now)
    _, sees_all, rows = _listing(request, now)
    sheet = exports.case_sheet(rows) if sees_all else exports.part_sheet(rows)
    if fmt == "csv":
        content, content_type = exports.to_csv(sheet), "text/csv; charset=utf-8"
    else:
        content, content_type = (
            exports.to_ods(sheet),
            "application/vnd.oasis.opendocument.spreadsheet",
        )
    response = HttpResponse(content, content_type=content_type)
    filename = f"{sheet.title}_{roc.format_date(today, 'compact')}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    """The escalation list (逾期案件): the overdue parts the person may see, most overdue
    first — every part of the kinds a router routes, an agency's own parts."""
    now = timezone.now()
    today = timezone.localdate(now)
    page = Paginator(selectors.overdue_assignments(request.user, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    late = workdays.working_days_since([part.due_on for part in page], today)
    rows = list(zip(page, late, strict=True))
    context = {
        "page": page,
        "rows": rows,
        "today": today,
        "scope": selectors.scope_description(request.user),
    }
    return render(request, "cases/overdue_list.html", context)


# --- Steps on a case ------------------------------------------------------------------------

Perform = Callable[[object, Case, object, forms.Form], object]


@dataclass(frozen=True)
class Step:
    """One thing a person may do on a case: its form, the service it calls and where."""

    key: str
    title: str
    submit: str
    form_class: type[forms.Form]
    target: str  # "case", "part", "reassignment" or "extension"
    done: str
    perform: Perform


# Each takes (person, case, part or request, valid form) and calls one service.


def _route(user, case, _, form):
    data = form.cleaned_data
    due, reason = form.deadline()
    return services.route_case(
        case, data["lead"], data["co_agencies"], by=user, due=due, due_reason=reason
    )


def _take(user, _, part, form):
    return services.take_part(part, by=user)


def _file(user, case, _, form):
    return services.file_case(case, form.cleaned_data["filed_reason"], by=user)


def _close(user, case, _, form):
    return services.close_case(case, by=user, **form.cleaned_data)


def _withdraw(user, case, _, form):
    return services.withdraw_case(case, form.cleaned_data["filed_reason"], by=user)


def _report_progress(user, _, part, form):
    data = form.cleaned_data
    return services.report_progress(part, data["text"], by=user, asks_release=data["asks_release"])


def _release(user, _, part, form):
    return services.release_part(part, form.cleaned_data["reason"], by=user)


def _assign_officer(user, _, part, form):
    return services.assign_officer(part, form.cleaned_data["officer"], by=user)


def _draft(user, _, part, form):
    data = form.cleaned_data
    return services.draft_reply(
        part,
        data["reply_text"],
        by=user,
        attachments=data.get("attachments") or (),
        document_number=(data.get("document_number") or "").strip(),
    )


def _approve(user, _, part, form):
    return services.approve_reply(part, by=user, text=form.cleaned_data["reply_text"])


def _request_extension(user, _, part, form):
    data = form.cleaned_data
    return services.request_extension(part, data["reason"], data["requested_due_on"], by=user)


def _request_reassignment(user, _, part, form):
    data = form.cleaned_data
    return services.request_reassignment(
        part, data["reason"], by=user, suggested_agency=data["suggested_agency"]
    )


def _decide_reassignment(user, _, request, form):
    data = form.cleaned_data
    return services.decide_reassignment(
        request, approve=form.approve, by=user, new_agency=data["new_agency"], note=data["note"]
    )


def _decide_extension(user, _, request, form):
    return services.decide_extension(request, approve=form.approve, by=user)


def _note(user, case, _, form):
    data = form.cleaned_data
    return services.add_note(case, data["text"], by=user, for_agency=data["for_agency"])


def _merge(user, case, _, form):
    data = form.cleaned_data
    return services.merge_case(case, data["into"], data["reason"], by=user)


STEPS: dict[str, Step] = {
    step.key: step
    for step in (
        Step("route", "分辦", "分辦", RouteForm, "case", "已分辦並通知受分辦機關。", _route),
        Step("file", "存查", "存查", FileForm, "case", "已存查。", _file),
        Step("close", "結案", "結案", CloseForm, "case", "已結案。", _close),
        Step("withdraw", "撤回", "登錄撤回", WithdrawForm, "case", "已登錄撤回。", _withdraw),
        Step(
            "officer", "指定承辦人", "指定", OfficerForm, "part", "已指定承辦人。", _assign_officer
        ),
        Step("take", "指定由我承辦", "指定由我承辦", TakePartForm, "part", "已由您承辦。", _take),
        Step("draft", "擬復", "送核", DraftReplyForm, "part", "已儲存回復稿。", _draft),
        Step("approve", "核定回復", "核定回復", ReplyForm, "part", "已核定回復。", _approve),
        Step(
            "progress",
            "填報進度",
            "送出進度報告",
            ProgressForm,
            "part",
            "已填報進度。",
            _report_progress,
        ),
        Step("release", "解除列管", "解除列管", ReleaseForm, "part", "已解除列管。", _release),
        Step(
            "extend",
            "申請展期",
            "送出展期申請",
            ExtensionRequestForm,
            "part",
            "已送出展期申請，待秘書處核定。",
            _request_extension,
        ),
        Step(
            "reassign",
            "申請改分",
            "送出改分申請",
            ReassignmentRequestForm,
            "part",
            "已送出改分申請，待秘書處核定。",
            _request_reassignment,
        ),
        Step(
            "decide-reassignment",
            "核定改分申請",
            "送出核定",
            ReassignmentDecisionForm,
            "reassignment",
            "已核定改分申請。",
            _decide_reassignment,
        ),
        Step(
            "decide-extension",
            "核定展期申請",
            "送出核定",
            DecisionForm,
            "extension",
            "已核定展期申請。",
            _decide_extension,
        ),
        Step("note", "新增內部註記", "新增註記", NoteForm, "case", "已新增內部註記。", _note),
        Step("merge", "併案", "併案", MergeForm, "case", "已併案。", _merge),
    )
}


@dataclass
class Action:
    """A step's form as a page shows it."""

    step: Step
    key: str  # unique on the page: the form's element ids start with it
    url: str
    form: forms.Form
    submit: str
    level: int = 3  # heading level of the form's title
    # A second button (name "then", this value and label): 「分辦並處理下一件」.
    then: tuple[str, str] | None = None


@dataclass
class PartView:
    part: object
    overdue: bool
    reassign_until: dt.date | None
    actions: list[Action] = field(default_factory=list)
    reports: list = field(default_factory=list)  # progress reports of a tracked part
    # 指定承辦人 would offer an empty list: the holder has nobody who may handle the part.
    nobody: str = ""
    templates: list = field(default_factory=list)  # reply templates the draft form offers


def _key(step: Step, target) -> str:
    return step.key if step.target == "case" else f"{step.key}-{target.pk}"


def _case_text(case: Case) -> str:
    return f"{case.subject}\n{case.body}"


def _initial(step: Step, case: Case, target) -> dict:
    if step.key == "route":
        # Only a suggestion at or above the suggester's abstain threshold is pre-selected.
        preselected = suggest.ranking(_case_text(case), limit=1).preselected
        return {"lead": preselected.agency} if preselected else {}
    if step.key in ("draft", "approve"):
        return {"reply_text": target.reply_text}
    if step.key == "officer":
        return {"officer": target.officer}
    if step.key == "decide-reassignment":
        return {"new_agency": target.suggested_agency}
    return {}


def _form(step: Step, case: Case, target, data=None, files=None) -> forms.Form:
    kwargs = {"auto_id": f"{_key(step, target)}-%s"}
    form_class = step.form_class
    if form_class is OfficerForm:
        kwargs["assignment"] = target
    if form_class is RouteForm:
        kwargs["case"] = case
        kwargs["default_due"] = part_deadline(case, timezone.now())
    if form_class is NoteForm:
        kwargs["case"] = case
    if form_class is CloseForm:
        form_class = CloseForm.for_kind(kinds.KINDS.get(case.kind))
    if data is None:
        return form_class(initial=_initial(step, case, target), **kwargs)
    return form_class(data, files, **kwargs)


def _action(step: Step, case: Case, target=None, form=None, *, level: int = 3) -> Action:
    args = [case.number, step.key] + ([] if step.target == "case" else [target.pk])
    submit = step.submit
    if step.key == "draft" and not kinds.get(case.kind).reply_approval:
        submit = "送出回復"
    return Action(
        step=step,
        key=_key(step, target),
        url=reverse("cases:step", args=args),
        form=form if form is not None else _form(step, case, target),
        submit=submit,
        level=level,
        then=("next", "分辦並處理下一件") if step.key == "route" else None,
    )


def _target(user, case: Case, step: Step, pk: int | None):
    """The part or request a step acts on, among those the person may see (404 otherwise)."""
    if step.target == "case":
        if pk is not None:
            raise Http404
        return None
    if step.target == "part":
        found = next((p for p in case.visible_assignments if p.pk == pk), None)
    else:
        reassignments, extensions = selectors.pending_requests(user, case)
        pending = reassignments if step.target == "reassignment" else extensions
        found = pending.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _detail_context(
    request: HttpRequest,
    case: Case,
    *,
    bound: dict[str, forms.Form] | None = None,
) -> dict:
    user, today, bound = request.user, timezone.localdate(), bound or {}
    allowed = selectors.actions_for(user, case, today)
    tracked = kinds.get(case.kind).tracking is not None

    def action(key: str, target=None, level: int = 3) -> Action:
        step = STEPS[key]
        return _action(step, case, target, bound.get(_key(step, target)), level=level)

    parts = []
    for part in case.visible_assignments:
        can = allowed.parts[part.pk]
        nobody = ""
        if can.assign_officer and not selectors.assignable_officers(part).exists():
            nobody = (
                f"{part.assignee_name}目前沒有可指定的承辦人（在職的承辦人、主管或首長帳號），"
                "請聯絡系統管理者建立帳號。"
            )
        offered = (
            ("officer", can.assign_officer and not nobody),
            ("take", can.take),
            ("draft", can.draft),
            ("approve", can.approve),
            ("progress", can.report_progress),
            ("release", can.release),
            ("extend", can.request_extension),
            ("reassign", can.request_reassignment),
        )
        parts.append(
            PartView(
                part=part,
                overdue=part.is_overdue_at(timezone.now()),
                reassign_until=can.reassign_until,
                actions=[action(key, part, level=4) for key, ok in offered if ok],
                reports=list(selectors.progress_reports(part)) if tracked else [],
                nobody=nobody,
            )
        )
    reassignments, extensions = selectors.pending_requests(user, case)
    routing = action("route") if allowed.route else None
    ends = (
        ("close", allowed.close),
        ("file", allowed.file),
        ("withdraw", allowed.withdraw),
        ("merge", allowed.merge),
    )
    closing = [action(k) for k, ok in ends if ok]
    decide = allowed.decide
    reassignments = [
        (r, action("decide-reassignment", r, 4) if decide else None) for r in reassignments
    ]
    extensions = [(e, action("decide-extension", e, 4) if decide else None) for e in extensions]
    noting = action("note") if allowed.note else None
    offered = [routing, noting, *closing, *(a for _, a in reassignments + extensions)]
    offered += [a for view in parts for a in view.actions]
    shown = {a.key for a in offered if a is not None}
    kind = kinds.KINDS.get(case.kind)
    return {
        "case": case,
        "kind": kind,
        "today": today,
        "requester": exports.masked_requester(case),
        "attachments": [a for a in case.attachments.all() if a.assignment_id is None],
        "kind_facts": kind.facts(case) if kind and kind.facts else [],
        "related": selectors.related_cases(user, case),
        "parts": parts,
        "routing": routing,
        "ranking": suggest.ranking(_case_text(case)) if routing else None,
        "suggestion_wording": suggest.wording() if routing else None,
        "keywords": suggest.keywords(_case_text(case)),
        "closing": closing,
        "reassignments": reassignments,
        "extensions": extensions,
        # A refused step whose form the page does not offer (the case has moved on, or the
        # person may not take it) has its messages shown at the top of the page.
        "refusals": [
            message
            for key, form in bound.items()
            if key not in shown
            for field_messages in form.errors.values()
            for message in field_messages
        ],
        **_casework_context(request, case, parts, noting),
    }


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_for(request.user, number)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_step(request: HttpRequest, number: str, step: str, pk: int | None = None) -> HttpResponse:
    """Take one step on a case through the engine's service."""
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    case = selectors.case_for(request.user, number)
    target = _target(request.user, case, spec, pk)
    form = _form(spec, case, target, data=request.POST, files=request.FILES)
    status = 400
    if form.is_valid():
        try:
            spec.perform(request.user, case, target, form)
        except DomainError as error:
            form.add_domain_error(error)
            status = error.status
        else:
            messages.success(request, f"{case.number}：{spec.done}")
            target_url = case.get_absolute_url()
            if spec.key == "route":
                routed = selectors.case_for(request.user, case.number)
                warn_nobody(request, routed.visible_assignments)
                if request.POST.get("then") == "next":
                    target_url = _next_to_route(request, case)
            if request.htmx:
                return HttpResponseClientRedirect(target_url)
            return redirect(target_url)
    if request.htmx:
        # htmx swaps only successful responses: the form with its messages comes back as 200.
        level = 3 if spec.target == "case" else 4
        context = {"action": _action(spec, case, target, form, level=level)}
        return render(request, "cases/_action.html", context)
    case = selectors.case_for(request.user, number)
    context = _detail_context(request, case, bound={_key(spec, target): form})
    return render(request, "cases/case_detail.html", context, status=status)


def warn_nobody(request: HttpRequest, parts) -> None:
    """After routing: say which new parts nobody was told of (the holder has no one who
    receives parts), instead of letting them wait silently."""
    for part in parts:
        if part.is_active and not assignees.part_receivers(part):
            warning = assignees.nobody_warning(part.assignee_name)
            messages.warning(request, f"{part.case.number}：{warning}")


def _next_to_route(request: HttpRequest, case: Case) -> str:
    """「分辦並處理下一件」: the next case of the 待分辦 queue, or the queue when none is left."""
    following = selectors.next_to_route(request.user, case)
    if following is not None:
        return following.get_absolute_url()
    messages.info(request, f"{kinds.label(case.kind)}已沒有待分辦的案件。")
    return f"{reverse('cases:list')}?status=pending&kind={case.kind}"


@login_required
@require_POST
def reveal_requester(request: HttpRequest, number: str) -> HttpResponse:
    """「顯示陳情人資料」: the identity for roles that may see it (the service audits the
    view); others get a polite refusal."""
    case = selectors.case_for(request.user, number)
    try:
        revealed, refused = services.reveal_requester(case, by=request.user), False
    except errors.PermissionDenied:
        revealed, refused = None, True
    shown = {"revealed": revealed, "refused": refused, "absent": revealed is None and not refused}
    if request.htmx:
        context = {"case": case, "requester": exports.masked_requester(case), **shown}
        return render(request, "cases/_requester.html", context)
    context = {**_detail_context(request, case), **shown}
    return render(request, "cases/case_detail.html", context, status=403 if refused else 200)


@login_required
def attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """An attachment of a case the person may see (404 otherwise)."""
    case = selectors.case_for(request.user, number)
    # A reply's files go with the reply: only to those who see that agency's part.
    parts = {part.pk for part in case.visible_assignments}
    item = next(
        (
            a
            for a in case.attachments.all()
            if a.pk == pk and (a.assignment_id is None or a.assignment_id in parts)
        ),
        None,
    )
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("附件檔案不存在。") from error
    return FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


# --- Internal notes, reply templates, 併案 and the readable history (the case page) ----------


def _casework_context(request: HttpRequest, case: Case, parts: list[PartView], noting) -> dict:
    """What the case page shows of the staff's own work on the case: internal notes and their
    form, the cases merged into it (or the case it was merged into), reply templates for the
    draft forms, and the history in sentences (with the raw entries for auditors)."""
    user = request.user
    for view in parts:
        if any(action.step.key == "draft" for action in view.actions):
            view.templates = list(selectors.own_reply_templates(user, case.kind))
    merged = list(selectors.merged_cases(case))
    linked = [case.merged_into_id, *(c.pk for c in merged)]
    visible = set(selectors.cases_for(user).filter(pk__in=linked).values_list("pk", flat=True))
    return {
        "notes": list(selectors.notes_for(user, case)),
        "noting": noting,
        "merged": [(c, c.pk in visible) for c in merged],
        "merged_into_visible": case.merged_into_id in visible,
        "history": history.case_history(user, case, AUDIT_TRAIL_SIZE),
        "history_limit": AUDIT_TRAIL_SIZE,
        "raw_audit": user.has_perm("core.view_audit"),
    }


# --- Reply templates (回復範本) ---------------------------------------------------------------


def _templates_page(request: HttpRequest, form: ReplyTemplateForm | None, status: int = 200):
    user = request.user
    keeps = selectors.keeps_reply_templates(user)
    templates = list(selectors.reply_templates_for(user).order_by("agency__sort_order", "title"))
    for template in templates:
        template.kind_label = kinds.label(template.kind) if template.kind else "所有類別"
    context = {
        "templates": templates,
        "form": form or (ReplyTemplateForm(auto_id="template-%s") if keeps else None),
    }
    return render(request, "cases/reply_templates.html", context, status=status)


def _save_template(request: HttpRequest, form: ReplyTemplateForm, template=None) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.save_reply_template(
            by=request.user,
            title=data["title"],
            text=data["text"],
            kind=data["kind"],
            template=template,
        )
    except DomainError as error:
        form.add_domain_error(error)
        return False
    return True


@login_required
def reply_templates(request: HttpRequest) -> HttpResponse:
    """回復範本: the agency's templates; its supervisors and head add them here."""
    if request.method != "POST":
        return _templates_page(request, None)
    if not selectors.keeps_reply_templates(request.user):
        raise PermissionDenied
    form = ReplyTemplateForm(request.POST, auto_id="template-%s")
    if _save_template(request, form):
        messages.success(request, f"已新增回復範本「{form.cleaned_data['title'].strip()}」。")
        return redirect("cases:reply_templates")
    return _templates_page(request, form, status=400)


@login_required
def reply_template(request: HttpRequest, pk: int) -> HttpResponse:
    """One template: its text, and for its agency's supervisors and head the form to change
    it and the button to delete it."""
    template = selectors.reply_template_for(request.user, pk)
    keeps = (
        selectors.keeps_reply_templates(request.user)
        and template.agency_id == request.user.agency_id
    )
    initial = {"title": template.title, "text": template.text, "kind": template.kind}
    form = ReplyTemplateForm(initial=initial, auto_id="template-%s") if keeps else None
    status = 200
    if request.method == "POST":
        if not keeps:
            raise PermissionDenied
        form = ReplyTemplateForm(request.POST, auto_id="template-%s")
        if _save_template(request, form, template):
            messages.success(request, f"已更新回復範本「{form.cleaned_data['title'].strip()}」。")
            return redirect("cases:reply_templates")
        status = 400
    context = {
        "template": template,
        "form": form,
        "kind_label": kinds.label(template.kind) if template.kind else "所有類別",
    }
    return render(request, "cases/reply_template.html", context, status=status)


@login_required
@require_POST
def reply_template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.reply_template_for(request.user, pk)
    try:
        services.delete_reply_template(template, by=request.user)
    except errors.PermissionDenied as error:
        raise PermissionDenied(error.message) from error
    messages.success(request, f"已刪除回復範本「{template.title}」。")
    return redirect("cases:reply_templates")


@login_required
def reply_template_text(request: HttpRequest) -> HttpResponse:
    """htmx: the draft form's 回復內容 filled with a template (``?template=<id>&part=<id>``),
    to swap for the textarea — the officer's choice from 「套用範本」, without a script of
    our own under the Content-Security-Policy."""
    try:
        template_pk = int(request.GET.get("template", ""))
        part_pk = int(request.GET.get("part", ""))
    except ValueError:
        return HttpResponse("請選擇回復範本。", status=400)
    if not (0 < template_pk < 2**63 and 0 < part_pk < 2**63):
        return HttpResponse("請選擇回復範本。", status=400)
    template = selectors.reply_template_for(request.user, template_pk)
    auto_id = f"{_key(STEPS['draft'], Assignment(pk=part_pk))}-%s"
    form = DraftReplyForm(initial={"reply_text": template.text}, auto_id=auto_id)
    # The officer continues in the text: the focus moves there once it is swapped in.
    form.fields["reply_text"].widget.attrs["autofocus"] = True
    return HttpResponse(str(form["reply_text"]))


# --- The requester search (陳情人查詢) --------------------------------------------------------


@login_required
def requester_search(request: HttpRequest) -> HttpResponse:
    """Cases by their requester's name or phone, for roles that may see requesters (403 for
    others). Sent by POST so that a name or a number stays out of addresses, history and
    logs; every search is audited by the service."""
    if not services.may_search_requesters(request.user):
        raise PermissionDenied
    form = RequesterSearchForm(request.POST or None, auto_id="search-%s")
    found, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                found = services.search_requesters(form.cleaned_data["requester"], by=request.user)
                status = 200
            except DomainError as error:
                form.add_domain_error(error)
    context = {
        "form": form,
        "found": found,
        "rows": [(case, exports.masked_requester(case)) for case in found or []],
        "limit": services.REQUESTER_RESULTS_MAX,
    }
    return render(request, "cases/requester_search.html", context, status=status)
