"""公文交換 pages: the 收發's 來文交換 (待簽收, 簽收, 退文) and 發文交換 (each recipient's
state), uploading an external package, one exchange with its log, and a document's exchange
log with its package. Thin: forms parse, services act and check, selectors read in scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from secretariat.core import errors
from secretariat.core.errors import DomainError
from secretariat.documents import selectors as documents
from secretariat.exchange import forms, selectors, services
from secretariat.exchange.models import Exchange, State

LIST_MAX = 100


def _staff(request: HttpRequest) -> None:
    if not selectors.is_staff(request.user):
        raise PermissionDenied


def _exchange(request: HttpRequest, uid) -> Exchange:
    try:
        return selectors.exchange_for(request.user, uid)
    except errors.NotFound as missing:
        raise Http404 from missing


def _zip(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _staff(request)
    user = request.user
    context = {
        "waiting": selectors.waiting(user)[:LIST_MAX],
        "inbox": selectors.inbox(user).exclude(state=State.DELIVERED)[:LIST_MAX],
        "outbox": selectors.outbox(user)[:LIST_MAX],
        "is_clerk": selectors.is_clerk(user, user.agency_id),
    }
    return render(request, "exchange/home.html", context)


def _detail(request: HttpRequest, exchange: Exchange, *, sign=None, refuse=None, status=200):
    may_handle = exchange.state == State.DELIVERED and selectors.is_clerk(
        request.user, exchange.recipient_agency_id
    )
    context = {
        "exchange": exchange,
        "events": selectors.events_of(exchange),
        "may_handle": may_handle,
        "sign_form": sign or forms.SignForm(),
        "refuse_form": refuse or forms.RefuseForm(),
    }
    return render(request, "exchange/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, uid) -> HttpResponse:
    return _detail(request, _exchange(request, uid))


def _act(request: HttpRequest, form, act, done: str) -> int:
    """Run a service for a valid form: 200, or the refusal's status beside the fields."""
    if not form.is_valid():
        return 400
    try:
        act(form.cleaned_data)
    except errors.PermissionDenied as refused:
        raise PermissionDenied(refused.message) from refused
    except DomainError as error:
        form.add_domain_error(error)
        return error.status
    messages.success(request, done)
    return 200


@login_required
@require_POST
def sign(request: HttpRequest, uid) -> HttpResponse:
    exchange = _exchange(request, uid)
    form = forms.SignForm(request.POST)
    status = _act(
        request,
        form,
        lambda data: services.sign_for(exchange, by=request.user, **data),
        "已簽收並完成收文，請分文。",
    )
    if status == 200:
        exchange.refresh_from_db()
        return redirect(exchange.received_document)
    return _detail(request, exchange, sign=form, status=status)


@login_required
@require_POST
def refuse(request: HttpRequest, uid) -> HttpResponse:
    exchange = _exchange(request, uid)
    form = forms.RefuseForm(request.POST)
    status = _act(
        request,
        form,
        lambda data: services.refuse(exchange, by=request.user, **data),
        "已退文，發文機關將看到退文理由。",
    )
    if status == 200:
        return redirect("exchange:detail", uid=exchange.uid)
    return _detail(request, exchange, refuse=form, status=status)


@login_required
def import_package(request: HttpRequest) -> HttpResponse:
    """上傳交換封包 (收發): an external agency's package becomes a 收文 at once."""
    if not selectors.is_clerk(request.user, request.user.agency_id):
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        received = []

        def act(data):
            upload = data["package"]
            received.append(
                services.import_package(
                    upload.read(services.PACKAGE_MAX_BYTES + 1),
                    by=request.user,
                    name=upload.name,
                    signing_mode=data["signing_mode"],
                    pin=data["pin"],
                )
            )

        status = _act(request, form, act, "已收文，請分文。")
        if status == 200:
            return redirect(received[0].received_document)
    return render(request, "exchange/import.html", {"form": form}, status=status)


@login_required
def package(request: HttpRequest, uid) -> HttpResponse:
    exchange = _exchange(request, uid)
    if not exchange.package:
        raise Http404
    with exchange.package.open("rb") as handle:
        return _zip(exchange.package_name or "package.zip", handle.read())


def _document(request: HttpRequest, agency: str, number: str):
    _staff(request)
    try:
        return documents.document_for(request.user, agency, number)
    except errors.NotFound as missing:
        raise Http404 from missing


@login_required
def document_log(request: HttpRequest, agency: str, number: str) -> HttpResponse:
    """A document's exchange log: each 電子交換 recipient, its state and events."""
    document = _document(request, agency, number)
    context = {
        "document": document,
        "exchanges": selectors.document_log(request.user, document),
    }
    return render(request, "exchange/document.html", context)


@login_required
def document_package(request: HttpRequest, agency: str, number: str) -> HttpResponse:
    document = _document(request, agency, number)
    try:
        name, data = services.export_package(document, by=request.user)
    except errors.PermissionDenied as refused:
        raise PermissionDenied(refused.message) from refused
    except DomainError as error:
        raise Http404(error.message) from error
    return _zip(name, data)
