"""The press contact directory for staff: each agency's 新聞聯絡人 keeps its own contacts (the
press office any agency's) — every view of the private numbers is a recorded lookup — and the
press office decides on journalists' sign-ups."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from secretariat.core import selectors as core_selectors
from secretariat.core.pages import submit
from secretariat.media import forms, selectors, services
from secretariat.media.models import JournalistStatus
from secretariat.media.permissions import is_press_office
from secretariat.media.views.staff import press_office_only, staff_only


def _agency(request: HttpRequest):
    """The agency whose contacts the page shows: ?agency= for the press office, otherwise
    the person's own."""
    code = request.GET.get("agency", "")
    if code and is_press_office(request.user):
        return get_object_or_404(core_selectors.agencies(), code=code)
    return request.user.agency


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    """An agency's press contacts (the person's own; the press office chooses), and the form
    to add one for those who keep them."""
    staff_only(request)
    agency = _agency(request)
    keeper = services.may_keep_contacts(request.user, agency)
    form = (
        forms.ContactForm(request.POST or None, agency=agency, auto_id="contact-%s")
        if keeper
        else None
    )
    written, status = submit(
        request,
        form,
        lambda _: services.add_contact(agency, **form.contact_fields(), by=request.user),
        lambda contact: f"已新增「{contact.name}」，通訊錄即時更新。",
    )
    if written is not None:
        return redirect(f"{request.path}?agency={agency.code}")
    contacts = list(selectors.contacts().filter(agency=agency))
    services.record_lookup(request.user, query="", agency=agency, contacts=contacts, how="維護頁")
    context = {
        "agency": agency,
        "contacts": contacts,
        "form": form,
        "keeper": keeper,
        "press_office": is_press_office(request.user),
        "agencies": selectors.agencies_with_contacts(),
    }
    return render(request, "media/contact_list.html", context, status=status)


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    contact = get_object_or_404(selectors.contacts(), pk=pk)
    if not services.may_keep_contacts(request.user, contact.agency):
        raise PermissionDenied
    initial = {
        name: getattr(contact, name)
        for name in (
            "role",
            "name",
            "job_title",
            "office_phone",
            "mobile",
            "email",
            "line_id",
            "topics",
        )
    }
    initial["backup"] = contact.backup_id
    form = forms.ContactForm(
        request.POST or None, agency=contact.agency, initial=initial, auto_id="contact-%s"
    )
    written, status = submit(
        request,
        form,
        lambda _: services.update_contact(contact, **form.contact_fields(), by=request.user),
        lambda contact: f"已更新「{contact.name}」，通訊錄即時更新。",
    )
    if written is not None:
        return redirect(f"{_contacts_url()}?agency={contact.agency.code}")
    context = {"contact": contact, "form": form}
    return render(request, "media/contact_edit.html", context, status=status)


def _contacts_url() -> str:
    from django.urls import reverse

    return reverse("media:contacts")


@login_required
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    contact = get_object_or_404(selectors.contacts(), pk=pk)
    code = contact.agency.code
    submit(
        request,
        forms.DecisionForm({}),
        lambda _: services.remove_contact(contact, by=request.user),
        f"已刪除「{contact.name}」。",
    )
    return redirect(f"{_contacts_url()}?agency={code}")


# --- Journalists (the press office) -----------------------------------------------------------------


@login_required
def journalist_list(request: HttpRequest) -> HttpResponse:
    """記者帳號: the sign-ups waiting for a decision, then every journalist."""
    press_office_only(request)
    wanted = request.GET.get("status", "")
    journalists = selectors.journalists(wanted if wanted in JournalistStatus.values else None)
    page = Paginator(journalists, 50).get_page(request.GET.get("page"))
    context = {
        "pending": selectors.pending_journalists(),
        "page": page,
        "statuses": JournalistStatus.choices,
        "wanted": wanted,
    }
    return render(request, "media/journalist_list.html", context)


@login_required
@require_POST
def journalist_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    press_office_only(request)
    journalist = get_object_or_404(selectors.journalists(), pk=pk)
    form = forms.DecisionForm(request.POST)
    actions = {
        "approve": (
            lambda data: services.decide_journalist(
                journalist, approve=True, note=data["note"], by=request.user
            ),
            f"已核准{journalist}。",
        ),
        "reject": (
            lambda data: services.decide_journalist(
                journalist, approve=False, note=data["note"], by=request.user
            ),
            f"已不核准{journalist}。",
        ),
        "suspend": (
            lambda data: services.suspend_journalist(
                journalist, note=data["note"], by=request.user
            ),
            f"已停用{journalist}。",
        ),
    }
    if decision not in actions:
        raise PermissionDenied
    action, done = actions[decision]
    written, status = submit(request, form, action, done)
    if written is None:
        from django.contrib import messages

        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("media:journalists")
