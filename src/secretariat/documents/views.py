"""公文 pages for every role: 收發 (收文, 分文, 發文, the registers), 承辦人 (擬辦, versions,
陳核), 主管 and 首長 (核轉, 決行), 會辦 units, the seal keeper (用印). Thin: forms parse,
services act and check, selectors read within the person's scope."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from secretariat.core import errors, roc
from secretariat.core.errors import DomainError
from secretariat.core.models import Unit
from secretariat.core.permissions import is_administrator
from secretariat.core.text import spreadsheet_cell
from secretariat.documents import (
    changes,
    forms,
    rendering,
    scans,
    selectors,
    services,
    storage,
    trail,
)
from secretariat.documents import content as contents
from secretariat.documents.models import (
    DecisionMark,
    DocType,
    Document,
    DraftRole,
    Level,
    Origin,
    Secrecy,
    Speed,
    Status,
    Step,
)

PAGE_SIZE = 50


def _document(request: HttpRequest, agency: str, number: str) -> Document:
    try:
        return selectors.document_for(request.user, agency, number)
    except errors.NotFound as missing:
        raise Http404 from missing


def _opened(request: HttpRequest, document: Document) -> services.Opened:
    try:
        return services.open_document(document, by=request.user)
    except errors.PermissionDenied as refused:
        raise PermissionDenied(refused.message) from refused


# --- Inbox ---------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """我的公文: what waits for me (and my unit, and my desk), and what I am the officer of."""
    inbox = list(selectors.inbox_for(request.user)[:200])
    today = timezone.localdate()
    context = {
        "inbox": inbox,
        "drafting": selectors.drafting_for(request.user)[:100],
        "today": today,
        "may_receive": request.user.has_role("registry_clerk"),
        "may_create": services.may_create(request.user),
        "registers": selectors.may_view_registers(request.user),
        "signer": selectors.my_signer(request.user),
    }
    return render(request, "documents/home.html", context)


# --- 收文 and 創稿 ---------------------------------------------------------------------------------


def _write(request: HttpRequest, form, write, done: str):
    """Run a service for a valid form; its refusal goes beside the fields (400/403)."""
    if not form.is_valid():
        return None, 400
    try:
        written = write(form.cleaned_data)
    except errors.PermissionDenied as refused:
        raise PermissionDenied(refused.message) from refused
    except DomainError as error:
        form.add_domain_error(error)
        return None, error.status
    messages.success(request, done)
    return written, 200


# What each field read from a scan is called on the page (文件登錄).
READ_FIELDS = {
    "sender_name": "來文機關",
    "sender_number": "發文字號",
    "sender_date": "發文日期",
    "speed": "速別",
    "secrecy": "密等",
    "subject": "主旨",
}
# Read only when printed (a confidential letter's 解密條件), listed only then.
READ_WHEN_FOUND = {"declassify": "解密條件或保密期限"}


def _read_rows(reading) -> list[dict]:
    """The OCR readings as the page lists them: label, value as shown, confidence, source."""
    shown = {"speed": dict(Speed.choices), "secrecy": dict(Secrecy.choices)}
    rows = []
    labels = READ_FIELDS | {k: v for k, v in READ_WHEN_FOUND.items() if k in reading.fields}
    for name, label in labels.items():
        found = reading.fields.get(name)
        if found is None:
            rows.append({"label": label, "value": "", "confidence": None, "source": ""})
            continue
        value = found.value
        if name == "sender_date":
            value = roc.format_date(dt.date.fromisoformat(value), "long")
        value = shown.get(name, {}).get(value, value)
        rows.append(
            {
                "label": label,
                "value": value,
                "confidence": round(found.confidence * 100),
                "source": found.source,
            }
        )
    return rows


def _read_scan(request: HttpRequest):
    """文件登錄: read the uploaded scan and return the 收文 form pre-filled with what OCR
    found (the clerk confirms and saves; the scan waits under the form's token)."""
    try:
        read = services.read_scan(request.FILES.get("scan"), by=request.user)
    except DomainError as error:
        form = forms.ReceiveForm(request.POST)
        form.is_valid()
        form.add_domain_error(error)
        return render(request, "documents/receive.html", {"form": form}, status=error.status)
    reading = read.reading
    initial = {name: found.value for name, found in reading.fields.items()}
    if "sender_date" in initial:
        initial["sender_date"] = dt.date.fromisoformat(initial["sender_date"])
    initial.update(origin=Origin.PAPER, scan_token=read.token, sender_code=reading.sender_code)
    context = {
        "form": forms.ReceiveForm(initial=initial),
        "read_rows": _read_rows(reading),
        "scan_name": read.name,
        "read_seconds": reading.seconds,
    }
    return render(request, "documents/receive.html", context)


@login_required
def receive(request: HttpRequest) -> HttpResponse:
    """收文 (收發人員); with 「讀取掃描檔」 OCR pre-fills the form from a paper letter's scan."""
    if not request.user.has_role("registry_clerk"):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("read"):
        return _read_scan(request)
    form = forms.ReceiveForm(request.POST or None, request.FILES or None)
    status, context = 200, {"form": form}
    if request.method == "POST":
        kept = None
        if form.is_valid() and not form.cleaned_data.get("scan"):
            kept = scans.pending(request.user, form.cleaned_data.get("scan_token", ""))
            if kept is not None:
                form.cleaned_data["scan"] = kept.upload()
                context["scan_name"] = kept.name
        document, status = _write(
            request,
            form,
            lambda data: services.receive_document(
                **{k: v for k, v in data.items() if k != "scan_token"}, by=request.user
            ),
            "已收文，請分文。",
        )
        if document is not None:
            if kept is not None:
                scans.drop(request.user, kept.token)
            return redirect(document)
    return render(request, "documents/receive.html", context, status=status)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """創稿 (承辦人)."""
    if not services.may_create(request.user):
        raise PermissionDenied
    form = forms.CreateForm(
        request.POST or None, matters=selectors.matters_for(request.user.agency_id)
    )
    status = 200
    if request.method == "POST":
        document, status = _write(
            request,
            form,
            lambda data: services.create_document(**data, by=request.user),
            "已創號，請擬稿。",
        )
        if document is not None:
            return redirect(document)
    return render(request, "documents/create.html", {"form": form}, status=status)


# --- One document ----------------------------------------------------------------------------------


@dataclass
class Action:
    """A step the person may take now: its form, posted to the step's URL."""

    step: str
    label: str
    form: object
    button: str
    help: str = ""
    unit_suggestion: object = None  # 分文建議 (assist.Learned)
    filing_proposal: object = None  # 檔案編目 proposals (assist.FilingProposal)


def _actions(request: HttpRequest, document: Document, posted: dict | None = None) -> list[Action]:
    """The forms for the steps the person may take; ``posted`` = {step: bound form}."""
    user, held = request.user, selectors.held_steps(request.user, document)
    helped = selectors.assistance_for(user, document, held)
    posted = posted or {}
    found: list[Action] = []

    def add(step, label, form_class, button, help="", **kwargs):
        form = posted.get(step) or form_class(auto_id=f"{step}-%s", **kwargs)
        found.append(Action(step, label, form, button, help))
        return found[-1]

    def add_filing(label):
        proposal = helped.filing_proposal
        retention = proposal.retention.value if proposal and proposal.retention else ""
        add("file", label, forms.FileForm, "歸檔", initial={"retention": retention})
        found[-1].filing_proposal = proposal

    if Step.DISTRIBUTE in held:
        add(
            "distribute",
            "分文",
            forms.DistributeForm,
            "分文",
            officers=selectors.officers_for(document),
        ).unit_suggestion = helped.unit_suggestion
    if Step.DRAFT in held:
        if document.may_be_filed_at({Step.DRAFT}):
            add_filing("歸檔（存查）")
        add(
            "submit",
            "陳核",
            forms.ReviewerForm,
            "陳核",
            reviewers=selectors.reviewers_for(document, user),
        )
        add("cosign-request", "送會", forms.CosignRequestForm, "送會", units=_cosign_units(user))
        if document.received and document.distributed_at is not None:
            add("reroute", "改分（分文當日退回收發）", forms.ReasonForm, "改分")
    if Step.REVIEW in held:
        add("decide", "決行", forms.OpinionForm, "決行", _authority_help(user, document))
        add(
            "forward",
            "核轉（陳上一層）",
            forms.ReviewerForm,
            "核轉",
            reviewers=selectors.reviewers_for(document, user),
        )
        add("cosign-request", "加會", forms.CosignRequestForm, "加會", units=_cosign_units(user))
        add("return", "退回承辦人", forms.ReasonForm, "退回")
    if Step.COSIGN in held:
        add("cosign", "會辦", forms.OpinionForm, "會辦完成")
        add("return", "退回承辦人", forms.ReasonForm, "退回")
    if Step.PROOF in held:
        add("proof", "繕校", forms.OpinionForm, "繕校完成")
    if Step.SEAL in held:
        add("seal", "用印", forms.SealForm, "用印")
    if Step.DISPATCH in held:
        add("dispatch", "發文", forms.OpinionForm, "發文")
    if Step.FILE in held:
        add_filing("歸檔")
    if (
        document.officer_id == user.pk
        and not held
        and document.status
        in (
            Status.DRAFTING,
            Status.REVIEWING,
            Status.APPROVED,
        )
    ):
        add("withdraw", "撤簽", forms.ReasonForm, "撤簽")
    return found


def _cosign_units(user):
    return Unit.objects.filter(agency_id=user.agency_id).exclude(pk=user.unit_id).order_by("name")


def _authority_help(user, document: Document) -> str:
    level = services.required_level(document)
    authority = services.decision_authority(services.signer_of(user), level)
    if not authority.allowed:
        return authority.reason
    mark = (
        "" if authority.mark == DecisionMark.NONE else f"（{DecisionMark(authority.mark).label}）"
    )
    return f"本案依分層負責由{Level(level).label}決行{mark}。"


@dataclass
class DraftView:
    role: str
    label: str
    version: object
    sheet: rendering.Sheet
    versions: list


def _drafts(document: Document) -> list[DraftView]:
    found = []
    for role in (DraftRole.MEMO, DraftRole.OUTGOING):
        versions = selectors.versions_of(document, role)
        if not versions:
            continue
        latest = versions[-1]
        content = storage.version_content(document, latest)
        sheet = rendering.sheet(document, role, content, dated=document.dispatched_on)
        found.append(DraftView(role, DraftRole(role).label, latest, sheet, versions))
    return found


def _incoming(document: Document) -> dict | None:
    versions = selectors.versions_of(document, DraftRole.INCOMING)
    return storage.version_content(document, versions[0]) if versions else None


def _detail_context(request: HttpRequest, document: Document, posted: dict | None = None) -> dict:
    opened = _opened(request, document)
    points = selectors.trail_of(document)
    for point in points:
        point.opinion_text = storage.opinion_of(document, point)
    attachments = [(a, storage.file_name(document, a)) for a in document.attachments.order_by("pk")]
    held = selectors.held_steps(request.user, document)
    return {
        "document": document,
        "subject": opened.subject,
        "incoming": _incoming(document),
        "drafts": _drafts(document),
        "attachments": attachments,
        "points": points,
        "actions": _actions(request, document, posted),
        "editable": bool(held & set(services.EDITING_STEPS)),
        "attach_form": forms.AttachForm(auto_id="attach-%s")
        if held & set(services.EDITING_STEPS)
        else None,
        "control_form": forms.ControlRequestForm(auto_id="control-%s")
        if Step.DRAFT in held and document.received and not document.control_approved
        else None,
        "may_approve_control": document.control_requested_due
        and not document.control_approved
        and services.may_approve_control(request.user, document),
        "seal_uses": list(document.seal_uses.order_by("pk")),
        "recipients": list(document.recipients.order_by("pk")),
        "runs": document.verification_runs.order_by("-started_at")[:1],
        "today": timezone.localdate(),
        "overdue": document.is_overdue_on(timezone.localdate()),
        "signed_points": sum(1 for p in points if p.signature),
    }


@login_required
def detail(request: HttpRequest, agency: str, number: str) -> HttpResponse:
    document = _document(request, agency, number)
    return render(request, "documents/detail.html", _detail_context(request, document))


STEP_FORMS = {
    "distribute": forms.DistributeForm,
    "submit": forms.ReviewerForm,
    "forward": forms.ReviewerForm,
    "cosign-request": forms.CosignRequestForm,
    "cosign": forms.OpinionForm,
    "decide": forms.OpinionForm,
    "return": forms.ReasonForm,
    "withdraw": forms.ReasonForm,
    "reroute": forms.ReasonForm,
    "proof": forms.OpinionForm,
    "seal": forms.SealForm,
    "dispatch": forms.OpinionForm,
    "file": forms.FileForm,
}
STEP_DONE = {
    "distribute": "已分文。",
    "submit": "已陳核。",
    "forward": "已核轉。",
    "cosign-request": "已送會。",
    "cosign": "已會辦。",
    "decide": "已決行。",
    "return": "已退回承辦人。",
    "withdraw": "已撤簽。",
    "reroute": "已改分退回收發。",
    "proof": "已繕校。",
    "seal": "已用印。",
    "dispatch": "已發文。",
    "file": "已歸檔。",
}


def _service_call(step: str, document: Document, data: dict, by):
    pin = data.get("pin") or None
    opinion = data.get("opinion", "")
    calls = {
        "distribute": lambda: services.distribute(
            document, officer=data["officer"], by=by, pin=pin
        ),
        "submit": lambda: services.submit(document, to=data["to"], opinion=opinion, by=by, pin=pin),
        "forward": lambda: services.forward(
            document, to=data["to"], opinion=opinion, by=by, pin=pin
        ),
        "cosign-request": lambda: services.send_for_cosign(
            document,
            units=list(data["units"]),
            parallel=data["parallel"],
            opinion=opinion,
            by=by,
            pin=pin,
        ),
        "cosign": lambda: services.cosign(document, opinion=opinion, by=by, pin=pin),
        "decide": lambda: services.decide(document, opinion=opinion, by=by, pin=pin),
        "return": lambda: services.return_document(document, reason=data["reason"], by=by, pin=pin),
        "withdraw": lambda: services.withdraw(document, reason=data["reason"], by=by, pin=pin),
        "reroute": lambda: services.reroute(document, reason=data["reason"], by=by, pin=pin),
        "proof": lambda: services.proof(document, opinion=opinion, by=by, pin=pin),
        "seal": lambda: services.seal(
            document,
            seal_kind=data["seal_kind"],
            impressions=data["impressions"],
            note=data["note"],
            by=by,
            pin=pin,
            seal_pin=data.get("seal_pin") or None,
        ),
        "dispatch": lambda: services.dispatch(document, by=by, pin=pin),
        "file": lambda: services.file_document(
            document,
            file_code=data["file_code"],
            retention=data["retention"],
            opinion=opinion,
            by=by,
            pin=pin,
        ),
    }
    return calls[step]()


def _step_form(step: str, request: HttpRequest, document: Document):
    kwargs = {"auto_id": f"{step}-%s"}
    if step == "distribute":
        kwargs["officers"] = selectors.officers_for(document)
    elif step in ("submit", "forward"):
        kwargs["reviewers"] = selectors.reviewers_for(document, request.user)
    elif step == "cosign-request":
        kwargs["units"] = _cosign_units(request.user)
    return STEP_FORMS[step](request.POST, **kwargs)


@login_required
@require_POST
def step(request: HttpRequest, agency: str, number: str, step: str) -> HttpResponse:
    """One step of the flow: the form of the step, the service behind it."""
    if step not in STEP_FORMS:
        raise Http404
    document = _document(request, agency, number)
    form = _step_form(step, request, document)
    written, status = _write(
        request,
        form,
        lambda data: _service_call(step, document, data, request.user),
        STEP_DONE[step],
    )
    if written is not None:
        document.refresh_from_db()
        if services.may_open(request.user, document):
            return redirect(document)
        return redirect("documents:home")
    document.refresh_from_db()
    context = _detail_context(request, document, {step: form})
    context["failed_step"] = step
    return render(request, "documents/detail.html", context, status=status)


@login_required
@require_POST
def attach(request: HttpRequest, agency: str, number: str) -> HttpResponse:
    document = _document(request, agency, number)
    form = forms.AttachForm(request.POST, request.FILES, auto_id="attach-%s")
    written, status = _write(
        request,
        form,
        lambda data: services.add_attachments(
            document, data["attachments"], media=data["media"], count=data["count"], by=request.user
        ),
        "已加入附件。",
    )
    if written is not None:
        return redirect(document)
    context = _detail_context(request, document)
    context["attach_form"] = form
    return render(request, "documents/detail.html", context, status=status)


@login_required
@require_POST
def control(request: HttpRequest, agency: str, number: str) -> HttpResponse:
    """專案管制: the officer's request, or a supervisor's decision on it."""
    document = _document(request, agency, number)
    decision = request.POST.get("decision")
    if decision in ("approve", "reject"):
        try:
            services.decide_project_control(
                document, approve=decision == "approve", by=request.user
            )
        except errors.PermissionDenied as refused:
            raise PermissionDenied(refused.message) from refused
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(document)
        messages.success(request, "已核定專案管制。" if decision == "approve" else "已駁回申請。")
        return redirect(document)
    form = forms.ControlRequestForm(request.POST, auto_id="control-%s")
    written, status = _write(
        request,
        form,
        lambda data: services.request_project_control(document, **data, by=request.user),
        "已申請專案管制，待主管核定。",
    )
    if written is not None:
        return redirect(document)
    context = _detail_context(request, document)
    context["control_form"] = form
    return render(request, "documents/detail.html", context, status=status)


@login_required
def edit_draft(request: HttpRequest, agency: str, number: str, role: str) -> HttpResponse:
    """Write the 簽 or the 稿: every save is a new version."""
    if role not in (DraftRole.MEMO, DraftRole.OUTGOING):
        raise Http404
    document = _document(request, agency, number)
    opened = _opened(request, document)
    versions = selectors.versions_of(document, role)
    content = storage.version_content(document, versions[-1]) if versions else None
    requested = request.POST.get("doc_type") or request.GET.get("doc_type")
    if role == DraftRole.MEMO:
        doc_type = "memo"
    elif requested in DocType.values and requested != DocType.MEMO:
        doc_type = requested
    else:
        doc_type = (content or {}).get("doc_type") or document.doc_type
        if doc_type == "memo":
            doc_type = "letter"
    if content is not None and content.get("doc_type") == doc_type:
        initial = forms.DraftForm.initial_for(content)
    else:
        initial = {"doc_type": doc_type, "subject": opened.subject}
    form = forms.DraftForm(
        request.POST if request.method == "POST" and "save" in request.POST else None,
        initial=initial,
        doc_type=doc_type,
        addressed=role == DraftRole.OUTGOING,
    )
    status = 200
    if form.is_bound:
        version, status = _write(
            request,
            form,
            lambda data: services.save_draft(
                document,
                role,
                doc_type=doc_type,
                subject=data["subject"],
                sections=form.sections(),
                recipients=form.recipients(),
                meeting=form.meeting(),
                by=request.user,
            ),
            "已存為新版本。",
        )
        if version is not None:
            return redirect(document)
    context = {
        "document": document,
        "subject": opened.subject,
        "role": role,
        "role_label": DraftRole(role).label,
        "form": form,
        "versions": versions,
        "doc_types": DocType.choices if role == DraftRole.OUTGOING else [],
        "doc_type": doc_type,
    }
    return render(request, "documents/draft_edit.html", context, status=status)


@login_required
def draft_changes(request: HttpRequest, agency: str, number: str, role: str) -> HttpResponse:
    """增刪痕跡 between two versions (?from=1&to=3; default the last two)."""
    document = _document(request, agency, number)
    opened = _opened(request, document)
    versions = selectors.versions_of(document, role)
    if not versions:
        raise Http404
    by_number = {v.number: v for v in versions}
    newest = versions[-1].number
    try:
        to = int(request.GET.get("to", newest))
        since = int(request.GET.get("from", max(1, to - 1)))
    except ValueError as bad:
        raise Http404 from bad
    if to not in by_number or since not in by_number:
        raise Http404
    old = contents.plain_text(storage.version_content(document, by_number[since]))
    new = contents.plain_text(storage.version_content(document, by_number[to]))
    lines = changes.tracked_changes(old, new)
    added, removed = changes.counts(lines)
    context = {
        "document": document,
        "subject": opened.subject,
        "role": role,
        "role_label": DraftRole(role).label,
        "versions": versions,
        "old": by_number[since],
        "new": by_number[to],
        "lines": lines,
        "added": added,
        "removed": removed,
    }
    return render(request, "documents/changes.html", context)


@login_required
def draft_output(request: HttpRequest, agency: str, number: str, role: str, fmt: str):
    """The 簽 or 稿 in the standard layout: ODT or PDF."""
    if fmt not in ("odt", "pdf") or role not in (DraftRole.MEMO, DraftRole.OUTGOING):
        raise Http404
    document = _document(request, agency, number)
    _opened(request, document)
    if not document.drafts.filter(role=role).exists():
        raise Http404
    sheet = rendering.sheet_for(document, role, dated=document.dispatched_on)
    if fmt == "odt":
        data, content_type = rendering.odt(sheet), "application/vnd.oasis.opendocument.text"
    else:
        data, content_type = rendering.pdf(sheet), "application/pdf"
    name = f"{document.number}-{DraftRole(role).label}.{fmt}"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def sealed(request: HttpRequest, agency: str, number: str, pk: int) -> HttpResponse:
    """The outgoing PDF with the agency's electronic seal (PAdES)."""
    document = _document(request, agency, number)
    _opened(request, document)
    use = document.seal_uses.filter(pk=pk).exclude(sealed_pdf="").first()
    if use is None:
        raise Http404
    response = HttpResponse(services.sealed_pdf(document, use), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{document.number}.pdf")
    return response


@login_required
def attachment(request: HttpRequest, agency: str, number: str, pk: int) -> HttpResponse:
    document = _document(request, agency, number)
    _opened(request, document)
    item = document.attachments.filter(pk=pk).first()
    if item is None:
        raise Http404
    response = HttpResponse(
        storage.file_bytes(document, item),
        content_type=item.content_type or "application/octet-stream",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, storage.file_name(document, item) or f"attachment-{item.pk}"
    )
    return response


@login_required
def trail_xml(request: HttpRequest, agency: str, number: str) -> HttpResponse:
    """The 簽核 trail (SI) as XML."""
    document = _document(request, agency, number)
    opened = _opened(request, document)
    data = trail.export_xml(document, opened.subject, selectors.trail_of(document))
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{document.number}-簽核紀錄.xml"
    )
    return response


@login_required
@require_POST
def verify(request: HttpRequest, agency: str, number: str) -> HttpResponse:
    """驗章 on demand: every signature of the document checked now."""
    document = _document(request, agency, number)
    try:
        run = services.verify_document(document, by=request.user)
    except errors.PermissionDenied as refused:
        raise PermissionDenied(refused.message) from refused
    if run.broken:
        messages.error(request, f"驗章完成：{run.checked} 個簽章中有 {run.broken} 個異常。")
    else:
        messages.success(request, f"驗章完成：{run.checked} 個簽章均正確。")
    return redirect(document)


# --- Registers --------------------------------------------------------------------------------------

REGISTERS = {
    "received": ("收文簿", selectors.received_register),
    "dispatched": ("發文簿", selectors.dispatched_register),
    "seals": ("用印登記", selectors.seal_register),
}


def _register_rows(kind: str, rows) -> tuple[list[str], list[list]]:
    """The register's columns and rows (never a confidential subject: 「密不錄由」)."""
    if kind == "seals":
        header = ["用印日期", "文號", "發文字號", "主旨", "印信", "用印次數", "監印人員", "備註"]
        return header, [
            [
                roc.format_date(u.used_on, "slash"),
                u.document.number,
                u.document.reference,
                u.document.listed_subject,
                u.get_seal_display(),
                u.impressions,
                str(u.keeper or ""),
                u.note,
            ]
            for u in rows
        ]
    if kind == "dispatched":
        header = ["發文日期", "文號", "發文字號", "主旨", "速別", "密等", "承辦單位", "承辦人"]
        return header, [
            [
                roc.format_date(d.dispatched_on, "slash"),
                d.number,
                d.reference,
                d.listed_subject,
                d.get_speed_display(),
                d.get_secrecy_display(),
                d.unit.name if d.unit else "",
                str(d.officer or ""),
            ]
            for d in rows
        ]
    header = [
        "收文日期", "文號", "來文機關", "來文字號", "主旨", "速別", "密等", "承辦單位",
        "承辦人", "辦理期限", "狀態",
    ]  # fmt: skip
    return header, [
        [
            roc.format_date(d.received_on, "slash"),
            d.number,
            d.sender_name,
            d.sender_number,
            d.listed_subject,
            d.get_speed_display(),
            d.get_secrecy_display(),
            d.unit.name if d.unit else "",
            str(d.officer or ""),
            roc.format_date(d.due_on, "slash") if d.due_on else "",
            d.get_status_display(),
        ]
        for d in rows
    ]


def _filters(form) -> selectors.RegisterFilters:
    if not form.is_valid():
        return selectors.RegisterFilters()
    data = form.cleaned_data
    return selectors.RegisterFilters(
        start=data.get("start"),
        end=data.get("end"),
        speed=data.get("speed") or "",
        status=data.get("status") or "",
        query=(data.get("q") or "").strip(),
    )


@login_required
def register(request: HttpRequest, kind: str) -> HttpResponse:
    """收文簿, 發文簿, 用印登記 with filters."""
    if kind not in REGISTERS or not selectors.may_view_registers(request.user):
        raise PermissionDenied
    title, select = REGISTERS[kind]
    form = forms.RegisterFilterForm(request.GET or None)
    rows = select(request.user, _filters(form))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    header, table = _register_rows(kind, page.object_list)
    links = [
        d.get_absolute_url() if kind != "seals" else d.document.get_absolute_url()
        for d in page.object_list
    ]
    context = {
        "title": title,
        "kind": kind,
        "form": form,
        "page": page,
        "header": header,
        "table": list(zip(table, links, strict=True)),
        "kinds": [(key, label) for key, (label, _) in REGISTERS.items()],
        "query": request.GET.urlencode(),
    }
    return render(
        request, "documents/register.html", context, status=200 if not form.errors else 400
    )


EXPORT_LIMIT = 100_000


@login_required
def register_export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """The register as CSV or ODS (cells that look like formulas are written as text)."""
    if kind not in REGISTERS or fmt not in ("csv", "ods"):
        raise Http404
    if not selectors.may_view_registers(request.user):
        raise PermissionDenied
    title, select = REGISTERS[kind]
    form = forms.RegisterFilterForm(request.GET or None)
    header, table = _register_rows(kind, select(request.user, _filters(form))[:EXPORT_LIMIT])
    cells = [[spreadsheet_cell(c) if isinstance(c, str) else c for c in row] for row in table]
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(cells)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            _ods(title, header, cells),
            content_type="application/vnd.oasis.opendocument.spreadsheet",
        )
    response["Content-Disposition"] = content_disposition_header(True, f"{title}-{stamp}.{fmt}")
    return response


def _ods(title: str, header: list[str], rows: list[list]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    from secretariat.core.documents import declare_font, document_bytes

    document = OpenDocumentSpreadsheet()
    declare_font(document, "11pt")
    table = Table(name=title)
    for values in [header, *rows]:
        row = TableRow()
        for value in values:
            if isinstance(value, int):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    return document_bytes(document)


# --- Settings pages ----------------------------------------------------------------------------------


@login_required
def card(request: HttpRequest) -> HttpResponse:
    """我的憑證卡: register the card one signs with (its PIN is asked, never kept)."""
    form = forms.CardForm(request.POST or None)
    status = 200
    if request.method == "POST":
        signer, status = _write(
            request,
            form,
            lambda data: services.register_card(request.user, **data, by=request.user),
            "已登錄憑證卡。",
        )
        if signer is not None:
            return redirect("documents:card")
    context = {"form": form, "signer": selectors.my_signer(request.user)}
    return render(request, "documents/card.html", context, status=status)


@login_required
def delegation(request: HttpRequest) -> HttpResponse:
    """分層負責明細表 of the person's agency; administrators and the head edit it."""
    agency = request.user.agency
    if agency is None:
        raise PermissionDenied
    editable = services.may_edit_delegation(request.user, agency)
    form = forms.MatterForm(request.POST or None) if editable else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        row, status = _write(
            request,
            form,
            lambda data: services.set_matter_category(agency, **data, by=request.user),
            "已更新分層負責明細表。",
        )
        if row is not None:
            return redirect("documents:delegation")
    context = {
        "agency": agency,
        "rows": selectors.delegation_table(agency.pk),
        "form": form,
        "editable": editable,
    }
    return render(request, "documents/delegation.html", context, status=status)


@login_required
def verification(request: HttpRequest) -> HttpResponse:
    """驗章紀錄 (administrators): the latest checks, and a check of everything now."""
    if not is_administrator(request.user):
        raise PermissionDenied
    if request.method == "POST":
        run = services.verify_all(by=request.user)
        level = messages.error if run.broken else messages.success
        level(request, f"全部驗章完成：{run.checked} 個簽章，異常 {run.broken} 個。")
        return redirect("documents:verification")
    runs = selectors.verification_runs()[:20]
    return render(request, "documents/verification.html", {"runs": runs})
