"""記者專區: the public sign-up, and for journalists (and staff) the contact lookup — private
numbers for approved journalists and staff only, every lookup recorded — its vCard export,
and the mayor's public schedule (the same schedule the councillors are mailed)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from secretariat.core import throttle
from secretariat.core.middleware import client_ip
from secretariat.core.pages import day_param, submit
from secretariat.media import forms, selectors, services, vcard
from secretariat.media.permissions import (
    is_approved_journalist,
    is_staff,
    journalist_of,
    sees_private_numbers,
)

# Sign-ups from one address: a newsroom signs up its journalists, a script does not.
SIGNUP_SCOPE = "press_signup"
SIGNUP_LIMIT = throttle.Limit(10, 3600)


def register(request: HttpRequest) -> HttpResponse:
    """記者註冊 (public): the account opens once the press office approves it."""
    form = forms.SignupForm(request.POST or None, auto_id="signup-%s")
    if request.method == "POST":
        address = throttle.client(client_ip(request))
        if throttle.exceeded(SIGNUP_SCOPE, address, SIGNUP_LIMIT):
            form.is_valid()
            form.add_error(None, "申請次數過多，請稍後再試。")
            return render(request, "media/press_register.html", {"form": form}, status=429)
        throttle.hit(SIGNUP_SCOPE, address)
    journalist, status = submit(
        request,
        form,
        lambda _: services.register_journalist(**form.journalist_fields()),
        "已收到您的申請，秘書處審核後將以電子郵件通知。",
    )
    if journalist is not None:
        return redirect("press:registered")
    return render(request, "media/press_register.html", {"form": form}, status=status)


def registered(request: HttpRequest) -> HttpResponse:
    return render(request, "media/press_registered.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """記者專區: the journalist's state and what they may use."""
    journalist = journalist_of(request.user)
    if journalist is None and not is_staff(request.user):
        raise PermissionDenied
    context = {"journalist": journalist, "approved": is_approved_journalist(request.user)}
    return render(request, "media/press_home.html", context)


def _readers_only(request: HttpRequest) -> None:
    """Approved journalists and staff."""
    if not sees_private_numbers(request.user):
        raise PermissionDenied("記者帳號核准後才能查詢通訊錄。")


def _lookup(request: HttpRequest):
    form = forms.ContactSearchForm(request.GET or None)
    query, agency = "", None
    if form.is_valid():
        query, agency = form.cleaned_data["q"].strip(), form.cleaned_data["agency"]
    return form, query, agency


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    """新聞聯繫通訊錄: contacts by agency or topic, private numbers included; recorded."""
    _readers_only(request)
    form, query, agency = _lookup(request)
    searched = bool(query or agency)
    found = selectors.contact_lookup(query, agency) if searched else []
    if searched:
        services.record_lookup(request.user, query=query, agency=agency, contacts=found, how="頁面")
    context = {"form": form, "contacts": found, "searched": searched, "query": request.GET}
    return render(request, "media/press_contacts.html", context)


@login_required
def contacts_vcard(request: HttpRequest) -> HttpResponse:
    """The lookup's contacts as vCards (one file); recorded like the page."""
    _readers_only(request)
    _, query, agency = _lookup(request)
    found = selectors.contact_lookup(query, agency)
    services.record_lookup(request.user, query=query, agency=agency, contacts=found, how="vCard")
    response = HttpResponse(vcard.cards(found, private=True), content_type=vcard.CONTENT_TYPE)
    name = f"新聞聯繫通訊錄（{agency.short_name}）.vcf" if agency else "新聞聯繫通訊錄.vcf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def contact_vcard(request: HttpRequest, pk: int) -> HttpResponse:
    _readers_only(request)
    contact = selectors.contact_for(pk)
    if contact is None:
        raise Http404
    services.record_lookup(
        request.user, query="", agency=contact.agency, contacts=[contact], how="vCard"
    )
    response = HttpResponse(vcard.card(contact, private=True), content_type=vcard.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{contact.name}.vcf")
    return response


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    """市長公開行程 for the press: the one schedule (``selectors.schedule_for``)."""
    _readers_only(request)
    day = day_param(request)
    context = {
        "day": day,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "items": selectors.schedule_for(day),
    }
    return render(request, "media/press_schedule.html", context)
