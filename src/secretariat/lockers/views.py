"""文件智取櫃 pages: the sending 收發 packs and prints covers (home), the receiving 收發 picks
up and signs for packages (pickups), a bank's touch-screen kiosk (deposit and pickup by code)
and the administrators' sites, banks and compartments. Thin: forms read, services write and
check every rule, selectors read within the person's scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from secretariat.core import errors
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency
from secretariat.core.pages import submit
from secretariat.lockers import cover, forms, selectors, services
from secretariat.lockers.models import Bank, Status

KIOSK_SESSION = "lockers_kiosk_bank"


def may_use_lockers(user) -> bool:
    return services.is_clerk(user) or services.may_administer(user)


def _clerk(request: HttpRequest) -> None:
    if not services.is_clerk(request.user):
        raise PermissionDenied("只有收發人員可以使用此頁。")


def _package(request: HttpRequest, pk: int):
    try:
        return selectors.package_for(request.user, pk)
    except errors.NotFound:
        raise Http404 from None


def _administrator(request: HttpRequest) -> None:
    if not services.may_administer(request.user):
        raise PermissionDenied


# --- Sending 收發 ----------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """打包: pick the receiving agency, tick its documents, make the package; the agency's
    packages with their covers and status."""
    if not may_use_lockers(request.user):
        raise PermissionDenied
    receivers = selectors.receivers_for(request.user)
    receiver = None
    wanted = request.POST.get("receiver") or request.GET.get("receiver")
    if wanted and wanted.isdigit():
        receiver = next((r for r in receivers if r[0] == int(wanted)), None)
    form = None
    status = 200
    if receiver is not None:
        rows = selectors.packable(request.user).filter(agency_id=receiver[0])
        form = forms.PackForm(request.POST or None, rows=rows, auto_id="pack-%s")
        package, status = submit(
            request,
            form,
            lambda d: services.make_package(
                receiver=Agency.objects.get(pk=receiver[0]),
                dispatches=d["dispatches"],
                bank=d["bank"],
                size=d["size"],
                by=request.user,
            ),
            lambda p: f"已打包 {p.number}（{p.items.count()} 件），請列印封面後交傳遞人員投遞。",
        )
        if package is not None:
            return redirect("lockers:package", pk=package.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "receivers": receivers,
        "receiver": receiver,
        "form": form,
        "packages": selectors.sent_packages(request.user)[:50],
        "clerk": services.is_clerk(request.user),
        "perms_admin": services.may_administer(request.user),
    }
    return render(request, "lockers/home.html", context, status=status)


@login_required
def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A package: its list and status; the sender cancels one not deposited, the receiver
    picks it up (new code, or opening by staff login) and signs for it."""
    package = _package(request, pk)
    user = request.user
    receiving = services.is_clerk(user) and user.agency_id == package.receiver_id
    sending = services.is_clerk(user) and user.agency_id == package.agency_id
    sign_form = forms.SignForm(
        request.POST if request.POST.get("step") == "sign" else None, auto_id="sign-%s"
    )
    status = 200
    code = None
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "cancel" and sending:
                services.cancel_package(package, by=user)
                messages.success(request, f"已取消包件 {package.number}。")
                return redirect("lockers:home")
            if step == "code" and receiving:
                code = services.new_code(package, by=user)
            elif step == "pickup" and receiving:
                command = services.pickup_by_staff(package, by=user)
                messages.success(
                    request,
                    f"已送出開門指令：「{package.bank}」第 {command.compartment.number} 格。",
                )
                return redirect("lockers:package", pk=package.pk)
            elif step == "sign" and receiving:
                done, status = submit(
                    request,
                    sign_form,
                    lambda d: services.sign_for(
                        package, by=user, signing_mode=d["signing_mode"], pin=d["pin"] or None
                    ),
                    lambda docs: f"已簽收，登錄收文 {len(docs)} 件。",
                )
                if done is not None:
                    return redirect("lockers:package", pk=package.pk)
            elif step not in ("sign",):
                raise PermissionDenied
        except errors.PermissionDenied as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            messages.error(request, error.message)
            status = error.status
        package = _package(request, pk)
    context = {
        "package": package,
        "items": selectors.items_of(package),
        "receiving": receiving,
        "sending": sending,
        "sign_form": sign_form,
        "code": code,
        "overdue": package.status == Status.DEPOSITED
        and package.pickup_due_at
        and package.pickup_due_at < timezone.now(),
    }
    return render(request, "lockers/package.html", context, status=status)


@login_required
def cover_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package(request, pk)
    if package.agency_id != request.user.agency_id and not services.may_administer(request.user):
        raise Http404
    response = HttpResponse(cover.cover_pdf(package), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"智取櫃包件-{package.number}.pdf"
    )
    return response


# --- Receiving 收發 ---------------------------------------------------------------------------


@login_required
def pickups(request: HttpRequest) -> HttpResponse:
    """待取件 and 待簽收 for the person's agency (overdue ones marked), and the last signed."""
    if not may_use_lockers(request.user):
        raise PermissionDenied
    context = {
        "pending": selectors.pending_pickups(request.user),
        "signed": selectors.signed_packages(request.user)[:20],
        "now": timezone.now(),
    }
    return render(request, "lockers/pickups.html", context)


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """逾時未取: what the person may see (administrators: every agency's)."""
    if not may_use_lockers(request.user):
        raise PermissionDenied
    return render(
        request, "lockers/overdue.html", {"packages": selectors.overdue_packages(request.user)}
    )


# --- Kiosk ------------------------------------------------------------------------------------


def kiosk(request: HttpRequest, bank: str) -> HttpResponse:
    """A bank's touch screen. Paired once with the bank's key (kept in the screen's session);
    then the courier scans a package's QR code to deposit it, and the receiver types a code
    to pick one up. The page answers which compartment opens."""
    try:
        found = selectors.bank_by_code(bank)
    except errors.NotFound:
        raise Http404 from None
    paired = request.session.get(KIOSK_SESSION) == found.pk
    step = request.POST.get("step")
    pair_form = forms.KioskPairForm(request.POST if step == "pair" else None, auto_id="pair-%s")
    deposit_form = forms.DepositForm(
        request.POST if step == "deposit" else None, auto_id="deposit-%s"
    )
    code_form = forms.CodeForm(request.POST if step == "pickup" else None, auto_id="code-%s")
    status = 200
    if request.method == "POST":
        if step == "pair":
            if pair_form.is_valid():
                matched = services.bank_for_key(pair_form.cleaned_data["key"])
                if matched is not None and matched.pk == found.pk:
                    request.session.cycle_key()
                    request.session[KIOSK_SESSION] = found.pk
                    return redirect("lockers:kiosk", bank=found.code)
                pair_form.add_error("key", "金鑰不正確。")
            status = 400
        elif not paired:
            raise PermissionDenied("此螢幕尚未與櫃組配對。")
        else:
            form = deposit_form if step == "deposit" else code_form
            if step not in ("deposit", "pickup"):
                raise PermissionDenied
            if form.is_valid():
                try:
                    if step == "deposit":
                        command = services.deposit(found, form.cleaned_data["qr"])
                        then = "放入包件"
                    else:
                        command = services.pickup_with_code(found, form.cleaned_data["code"])
                        then = "取出包件"
                    # The controller opens the door moments later (a simulated bank at once).
                    state = "已開啟" if command.acknowledged_at else "正在開啟"
                    messages.success(
                        request, f"第 {command.compartment.number} 格{state}，請{then}後關門。"
                    )
                    return redirect("lockers:kiosk", bank=found.code)
                except DomainError as error:
                    form.add_domain_error(error)
                    status = error.status
            else:
                status = 400
    context = {
        "bank": found,
        "paired": paired,
        "pair_form": pair_form,
        "deposit_form": deposit_form,
        "code_form": code_form,
    }
    return render(request, "lockers/kiosk.html", context, status=status)


# --- Administrators -----------------------------------------------------------------------------


@login_required
def administration(request: HttpRequest) -> HttpResponse:
    """Sites and banks: add a site, add a bank (its controller key is shown once)."""
    _administrator(request)
    step = request.POST.get("step")
    site_form = forms.SiteForm(request.POST if step == "site" else None, auto_id="site-%s")
    bank_form = forms.BankForm(request.POST if step == "bank" else None, auto_id="bank-%s")
    status, key, made = 200, None, None
    if step == "site":
        site, status = submit(
            request,
            site_form,
            lambda d: services.create_site(**d, by=request.user),
            lambda s: f"已新增地點「{s.name}」。",
        )
        if site is not None:
            return redirect("lockers:administration")
    elif step == "bank":
        result, status = submit(
            request,
            bank_form,
            lambda d: services.create_bank(
                d["site"], code=d["code"], name=d["name"], simulated=d["simulated"], by=request.user
            ),
            lambda r: f"已新增櫃組「{r[0]}」。",
        )
        if result is not None:
            made, key = result
    elif request.method == "POST":
        raise PermissionDenied
    context = {"sites": selectors.sites(), "site_form": site_form, "bank_form": bank_form}
    context |= {"key": key, "made": made}
    return render(request, "lockers/administration.html", context, status=status)


@login_required
def bank_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A bank's compartments: add some, change one (size, fixed agency, in use), rotate the
    controller key (shown once)."""
    _administrator(request)
    bank = Bank.objects.select_related("site").filter(pk=pk).first()
    if bank is None:
        raise Http404
    step = request.POST.get("step")
    add_form = forms.CompartmentsForm(request.POST if step == "add" else None, auto_id="add-%s")
    edit_form = forms.CompartmentForm(
        request.POST if step == "edit" else None, bank=bank, auto_id="edit-%s"
    )
    status, key = 200, None
    if step == "add":
        done, status = submit(
            request,
            add_form,
            lambda d: services.add_compartments(bank, **d, by=request.user),
            lambda made: f"已新增 {len(made)} 格。",
        )
        if done is not None:
            return redirect("lockers:bank", pk=bank.pk)
    elif step == "edit":
        done, status = submit(
            request,
            edit_form,
            lambda d: services.set_compartment(
                d["compartment"],
                size=d["size"],
                agency=d["agency"],
                active=d["active"],
                by=request.user,
            ),
            lambda c: f"已更新第 {c.number} 格。",
        )
        if done is not None:
            return redirect("lockers:bank", pk=bank.pk)
    elif step == "key":
        key = services.rotate_bank_key(bank, by=request.user)
        messages.success(request, "已更換控制器金鑰；舊金鑰即刻失效。")
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "bank": bank,
        "compartments": selectors.compartments_of(bank),
        "add_form": add_form,
        "edit_form": edit_form,
        "key": key,
    }
    return render(request, "lockers/bank.html", context, status=status)
