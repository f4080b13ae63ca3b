"""Petition pages. Public (no sign-in): the web form, the one-time receipt, the status page
with number + password, the survey. Staff: the intake page for routers."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from secretariat.cases.selectors import Channel
from secretariat.core.errors import DomainError
from secretariat.core.middleware import client_ip
from secretariat.petitions import selectors, services
from secretariat.petitions.catalogue import PRIVACY_NOTICE, PUBLICATION_NOTICE
from secretariat.petitions.forms import LookupForm, PublicPetitionForm, StaffIntakeForm, SurveyForm
from secretariat.petitions.throttle import RateLimited

RECEIPT_COOKIE = "petition_receipt"
RECEIPT_SECONDS = 10 * 60
ACCESS_KEY = "petition_access"
MAX_REMEMBERED = 10


def _status_page_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(services.status_url())


def _show_receipt_once(request: HttpRequest, receipt: services.Receipt) -> HttpResponse:
    """Carry the receipt to the next page in a short-lived signed cookie, not the session:
    sessions are database rows, and the password in clear must not rest there."""
    shown = {
        "number": receipt.number,
        "password": receipt.password,
        "received_on": receipt.petition.case.received_on.isoformat(),
        "emailed": receipt.emailed,
    }
    response = redirect("petitions:receipt")
    response.set_cookie(
        RECEIPT_COOKIE,
        signing.dumps(shown, salt=RECEIPT_COOKIE),
        max_age=RECEIPT_SECONDS,
        path=reverse("petitions:receipt"),
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )
    return response


def _submit(
    request: HttpRequest, form, channel: str | None, template: str, context: dict
) -> HttpResponse:
    # A refused POST is a 400 (429 past the rate limit); a saved one redirects.
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        fields = form.petition_fields()
        fields.setdefault("channel", channel)
        try:
            receipt = services.submit_petition(
                **fields,
                by=request.user,
                client_ip=client_ip(request),
                status_page_url=_status_page_url(request),
            )
        except RateLimited as error:
            form.add_error(None, error.message)
            status = 429
        except DomainError as error:
            form.show(error)
        else:
            return _show_receipt_once(request, receipt)
    return render(request, template, {"form": form, **context}, status=status)


def submit(request: HttpRequest) -> HttpResponse:
    """The public web form (網路陳情), open to everyone."""
    form = PublicPetitionForm(request.POST or None, request.FILES or None)
    context = {
        "notice": PRIVACY_NOTICE,
        "publication_notice": PUBLICATION_NOTICE,
        "reply_rule": selectors.reply_rule(),
    }
    return _submit(request, form, Channel.WEB, "petitions/submit.html", context)


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """收件登錄: the Secretariat's staff register letters, e-mails, calls and counter visits."""
    if not services.takes_counter_petitions(request.user):
        raise PermissionDenied
    # The service desk registers counter petitions only (協處陳情); the routers every channel.
    counter_only = not services.routes_petitions(request.user)
    form = StaffIntakeForm(
        request.POST or None,
        request.FILES or None,
        counter_only=counter_only,
        channel=request.GET.get("channel", ""),
    )
    return _submit(request, form, None, "petitions/intake.html", {})


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    """The number and password, shown once; a reload shows that they were already shown."""
    try:
        shown = signing.loads(
            request.COOKIES.get(RECEIPT_COOKIE, ""), salt=RECEIPT_COOKIE, max_age=RECEIPT_SECONDS
        )
    except signing.BadSignature:
        shown = None
    if shown:
        shown["received_on"] = dt.date.fromisoformat(shown["received_on"])
    context = {"receipt": shown, "staff": services.routes_petitions(request.user)}
    response = render(request, "petitions/receipt.html", context)
    response.delete_cookie(RECEIPT_COOKIE, path=reverse("petitions:receipt"), samesite="Strict")
    return response


def _access(request: HttpRequest) -> dict[str, float]:
    """The case numbers this browser session has proven the password of, with when each
    proof expires (epoch seconds); expired ones left out. Sessions live on the server, so
    a visitor cannot write this."""
    stored, now = request.session.get(ACCESS_KEY), time.time()
    if not isinstance(stored, dict):  # none yet, or the list sessions held before proofs expired
        return {}
    return {number: until for number, until in stored.items() if until > now}


def _remember_access(request: HttpRequest, number: str) -> None:
    """Remember a proven password for ``PETITION_ACCESS_MINUTES``: the status page, the
    survey and a second lookup of the same case take no password hash meanwhile (the hash
    costs ~0.2 s of CPU, docs/security.md)."""
    until = time.time() + settings.PETITION_ACCESS_MINUTES * 60
    remembered = {n: t for n, t in _access(request).items() if n != number}
    request.session.cycle_key()
    request.session[ACCESS_KEY] = dict(list({number: until, **remembered}.items())[:MAX_REMEMBERED])


@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """案件查詢: number + password, then the status page for this browser session."""
    form = LookupForm(request.POST or None)
    code = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        number = services.normalize_number(form.cleaned_data["number"])
        if number in _access(request):
            return redirect("petitions:status_detail", number=number)
        try:
            petition = services.open_for_citizen(
                form.cleaned_data["number"],
                form.cleaned_data["password"],
                client_ip=client_ip(request),
            )
        except RateLimited as error:
            form.add_error(None, error.message)
            code = 429
        except DomainError as error:
            form.show(error)
        else:
            _remember_access(request, petition.case.number)
            return redirect("petitions:status_detail", number=petition.case.number)
    return render(request, "petitions/status.html", {"form": form}, status=code)


def _granted(request: HttpRequest, number: str):
    if number not in _access(request):
        return None
    petition = selectors.petition_by_number(number)
    if petition is None:
        raise Http404
    return petition


def _detail(
    request: HttpRequest, petition, survey_form: SurveyForm | None = None, status: int = 200
) -> HttpResponse:
    view = selectors.public_status(petition)
    context = {"view": view, "survey_form": survey_form or SurveyForm()}
    return render(request, "petitions/status_detail.html", context, status=status)


@never_cache
def status_detail(request: HttpRequest, number: str) -> HttpResponse:
    petition = _granted(request, number)
    if petition is None:
        messages.info(request, "請輸入案件編號及查詢密碼。")
        return redirect("petitions:status")
    return _detail(request, petition)


@never_cache
@require_POST
def survey(request: HttpRequest, number: str) -> HttpResponse:
    petition = _granted(request, number)
    if petition is None:
        messages.info(request, "請輸入案件編號及查詢密碼。")
        return redirect("petitions:status")
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            services.submit_survey(
                petition, form.cleaned_data["rating"], form.cleaned_data["comment"]
            )
        except DomainError as error:
            if not error.fields:  # not closed yet, or answered already
                messages.error(request, error.message)
                return redirect("petitions:status_detail", number=number)
            form.show(error)
        else:
            messages.success(request, "感謝您填寫滿意度調查。")
            return redirect("petitions:status_detail", number=number)
    return _detail(request, petition, form, status=400)
