"""檔案管理 pages: thin — parse input, call a selector or service, render. Pages per role:
the archivist (分類表, 檢核歸檔, 屆期, 銷毀目錄, 移轉, 目錄彙送), the officer (擬定分類號,
業務單位意見), the Secretariat's reviewer (初審, 銷毀追蹤); everyone signed in searches the
catalogue they may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from secretariat.archives import export, forms, permissions, selectors, services
from secretariat.archives.models import (
    DestructionEntry,
    Disposal,
    FilingStatus,
    Folder,
    ListStatus,
    RecordStatus,
    Retention,
    ReviewStatus,
)
from secretariat.core import errors, roc
from secretariat.core.pages import submit

PAGE_SIZE = 100


def _agency_archivist(request: HttpRequest):
    if not permissions.is_archivist(request.user) or request.user.agency_id is None:
        raise PermissionDenied
    return request.user.agency


def _step(request: HttpRequest, name: str) -> bool:
    return request.method == "POST" and request.POST.get("step") == name


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """檔案管理: the catalogue search and what the person may do here."""
    form = forms.SearchForm(request.GET or None, auto_id="search-%s")
    results = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        find = selectors.search_folders if data["level"] == "folder" else selectors.search_items
        results = list(
            find(request.user, code_prefix=data["code_prefix"], words=data["words"])[:PAGE_SIZE]
        )
    user = request.user
    return render(
        request,
        "archives/home.html",
        {
            "form": form,
            "results": results,
            "level": form.cleaned_data.get("level") if results is not None else "",
            "archivist": permissions.is_archivist(user) and user.agency_id is not None,
            "reviewer": permissions.is_reviewer(user),
            "waiting": selectors.awaiting_check(user).count(),
            "opinions": selectors.opinions_waiting(user),
        },
    )


@login_required
def folder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    folder = get_object_or_404(selectors.folders_for(request.user), pk=pk)
    items = selectors.items_for(request.user).filter(folder=folder).order_by("item_no")
    return render(request, "archives/folder.html", {"folder": folder, "items": items})


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.items_for(request.user), pk=pk)
    return render(request, "archives/item.html", {"item": item})


@login_required
def scheme(request: HttpRequest) -> HttpResponse:
    """分類表及保存年限區分表: the version in force; the archivist edits a draft and publishes
    it, and sets the filing rule."""
    user = request.user
    if user.agency_id is None:
        raise PermissionDenied
    archivist = permissions.is_archivist(user, user.agency_id)
    current = services.current_scheme(user.agency_id)
    draft = selectors.schemes_for(user).filter(agency_id=user.agency_id, published=False).first()
    entry_form = forms.EntryForm(
        request.POST if _step(request, "entry") else None, auto_id="entry-%s"
    )
    publish_form = forms.PublishForm(
        request.POST if _step(request, "publish") else None, auto_id="publish-%s"
    )
    rule_form = forms.FilingRuleForm(
        request.POST if _step(request, "rule") else None,
        initial={"working_days": services.filing_days(user.agency_id)},
        auto_id="rule-%s",
    )
    status = 200
    if _step(request, "draft"):
        if not archivist:
            raise PermissionDenied
        services.draft_scheme(user.agency, by=user)
        return redirect("archives:scheme")
    if _step(request, "entry"):
        written, status = submit(
            request,
            entry_form if archivist and draft else None,
            lambda data: services.save_entry(draft, by=user, **data),
            lambda entry: f"已儲存類目 {entry.code} {entry.name}。",
        )
        if written:
            return redirect("archives:scheme")
    elif _step(request, "publish"):
        written, status = submit(
            request,
            publish_form if archivist and draft else None,
            lambda data: services.publish_scheme(draft, by=user, effective_on=data["effective_on"]),
            lambda s: f"已公告第{s.version}版分類表，新歸檔之檔案依此版分類。",
        )
        if written:
            return redirect("archives:scheme")
    elif _step(request, "rule"):
        written, status = submit(
            request,
            rule_form if archivist else None,
            lambda data: services.set_filing_rule(user.agency, data["working_days"], by=user),
            lambda rule: f"歸檔期限已設為 {rule.working_days} 個工作天。",
        )
        if written:
            return redirect("archives:scheme")
    return render(
        request,
        "archives/scheme.html",
        {
            "current": current,
            "draft": draft,
            "archivist": archivist,
            "entry_form": entry_form,
            "publish_form": publish_form,
            "rule_form": rule_form,
            "entries": current.entries.all() if current else [],
            "draft_entries": draft.entries.all() if draft else [],
        },
        status=status,
    )


@login_required
def filing(request: HttpRequest) -> HttpResponse:
    """歸檔: proposed 件 waiting for the archivist's check (an officer sees theirs and may
    change the proposed 分類號), and the late filings of the last half-year."""
    user = request.user
    waiting = list(selectors.awaiting_check(user)[:PAGE_SIZE])
    today = timezone.localdate()
    period = roc.Period.half_containing(today)
    late = selectors.late_filings(user, period.start, period.end)[:PAGE_SIZE]
    return render(
        request,
        "archives/filing.html",
        {
            "waiting": waiting,
            "late": late,
            "period": period,
            "archivist": permissions.is_archivist(user),
        },
    )


@login_required
def filing_item(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposed 件: the officer's 擬定分類號 or the archivist's 檢核."""
    user = request.user
    item = get_object_or_404(
        selectors.awaiting_check(user).filter(filing=FilingStatus.PROPOSED), pk=pk
    )
    archivist = permissions.is_archivist(user, item.agency_id)
    check_form = forms.CheckForm(
        request.POST if _step(request, "check") else None, auto_id="check-%s"
    )
    propose_form = forms.ProposeForm(
        request.POST if _step(request, "propose") else None,
        initial={"entry_code": item.entry.code if item.entry else ""},
        auto_id="propose-%s",
    )
    status = 200
    if _step(request, "check"):

        def check(data):
            folder = None
            if data["folder_code"]:
                folder = Folder.objects.filter(
                    agency_id=item.agency_id, file_code=data["folder_code"].strip()
                ).first()
                if folder is None:
                    raise errors.DomainError.invalid({"folder_code": ["找不到此檔號的案卷。"]})
            return services.check_filing(
                item,
                by=user,
                entry_code=data["entry_code"],
                folder=folder,
                folder_title=data["folder_title"],
                topics=data["topics"],
                abstract=data["abstract"],
                access=data["access"],
            )

        written, status = submit(
            request,
            check_form if archivist else None,
            check,
            lambda i: f"已歸檔，檔號 {i.file_code}。",
        )
        if written:
            return redirect("archives:filing")
    elif _step(request, "propose"):
        written, status = submit(
            request,
            propose_form,
            lambda data: services.propose_filing(item, by=user, entry_code=data["entry_code"]),
            "已擬定分類號。",
        )
        if written:
            return redirect("archives:filing_item", pk=item.pk)
    current = services.current_scheme(item.agency_id)
    return render(
        request,
        "archives/filing_item.html",
        {
            "item": item,
            "archivist": archivist,
            "check_form": check_form,
            "propose_form": propose_form,
            "entries": current.entries.filter(retention__isnull=False) if current else [],
            "folders": Folder.objects.filter(
                agency_id=item.agency_id,
                status=RecordStatus.ACTIVE,
                class_code=item.entry.code if item.entry else "",
            ).order_by("-file_code")[:20],
        },
        status=status,
    )


@login_required
def expiring(request: HttpRequest) -> HttpResponse:
    """屆期: the agency's 案卷 whose retention ends in a year; the archivist lists the chosen
    ones in a new 銷毀目錄."""
    agency = _agency_archivist(request)
    year_form = forms.ExpiringForm(request.GET or None, auto_id="year-%s")
    roc_year = roc.roc_year(timezone.localdate())
    if request.GET and year_form.is_valid():
        roc_year = year_form.cleaned_data["year"]
    year = roc_year + 1911
    folders = list(selectors.expiring_for(request.user, agency.pk, year)[:1000])
    form = forms.BuildListForm(request.POST or None, folders=folders, auto_id="build-%s")
    written, status = submit(
        request,
        form,
        lambda data: services.build_destruction_list(
            agency, by=request.user, year=year, folder_ids=data["folders"], title=data["title"]
        ),
        lambda listing: f"已編製「{listing.title}」。",
    )
    if written:
        return redirect("archives:destruction_list", pk=written.pk)
    return render(
        request,
        "archives/expiring.html",
        {"year_form": year_form, "roc_year": roc_year, "folders": folders, "form": form},
        status=status,
    )


@login_required
def destruction_lists(request: HttpRequest) -> HttpResponse:
    lists = selectors.destruction_lists_for(request.user)[:PAGE_SIZE]
    return render(request, "archives/destruction_lists.html", {"lists": lists})


@login_required
def destruction_list(request: HttpRequest, pk: int) -> HttpResponse:
    """One 銷毀目錄 through its steps: 徵詢意見 → 業務單位意見 → 報請核准 (初審) → 登錄核准
    (another archivist) → 銷毀 with 監毀."""
    user = request.user
    listing = get_object_or_404(selectors.destruction_lists_for(user), pk=pk)
    archivist = permissions.is_archivist(user, listing.agency_id)
    approval_form = forms.ApprovalForm(
        request.POST if _step(request, "approve") else None, auto_id="approval-%s"
    )
    destroy_form = forms.DestroyForm(
        request.POST if _step(request, "destroy") else None, auto_id="destroy-%s"
    )
    opinion_form = forms.OpinionForm(
        request.POST if _step(request, "opinion") else None, auto_id="opinion-%s"
    )
    action_form = forms.DomainErrorForm(request.POST or None)
    status = 200
    written = None
    if _step(request, "ask"):
        written, status = submit(
            request,
            action_form if archivist else None,
            lambda data: services.ask_opinions(listing, by=user),
            "已送請業務單位表示意見。",
        )
    elif _step(request, "submit"):
        written, status = submit(
            request,
            action_form if archivist else None,
            lambda data: services.submit_list(listing, by=user),
            "已報請核准，並送秘書處初審。",
        )
    elif _step(request, "opinion"):
        entry = get_object_or_404(
            DestructionEntry.objects.filter(destruction_list=listing),
            pk=request.POST.get("entry") if str(request.POST.get("entry", "")).isdigit() else 0,
        )
        written, status = submit(
            request,
            opinion_form,
            lambda data: services.give_opinion(
                entry,
                by=user,
                opinion=data["opinion"],
                extend_years=data["extend_years"],
                reason=data["extend_reason"],
            ),
            lambda e: f"已就 {e.file_code} 表示意見：{e.get_opinion_display()}。",
        )
    elif _step(request, "approve"):
        written, status = submit(
            request,
            approval_form if archivist else None,
            lambda data: services.record_approval(listing, by=user, **data),
            "已登錄核准文號，請於核准後3個月內銷毀。",
        )
    elif _step(request, "destroy"):
        written, status = submit(
            request,
            destroy_form if archivist else None,
            lambda data: services.destroy(listing, by=user, **data),
            "已完成銷毀，核准文號已註記於每一案卷及件。",
        )
    if written:
        return redirect("archives:destruction_list", pk=listing.pk)
    entries = listing.entries.select_related("unit", "opinion_by").order_by("file_code")
    mine = {
        e.pk
        for e in entries
        if listing.status == ListStatus.OPINIONS
        and e.opinion == "pending"
        and permissions.may_give_opinion(user, listing.agency_id, e.unit_id)
    }
    return render(
        request,
        "archives/destruction_list.html",
        {
            "listing": listing,
            "entries": entries,
            "mine": mine,
            "archivist": archivist,
            "totals": services.list_totals(listing),
            "reviews": listing.reviews.all(),
            "approval_form": approval_form,
            "destroy_form": destroy_form,
            "opinion_form": opinion_form,
            "action_form": action_form,
            "may_approve": archivist and user.pk != listing.proposed_by_id,
        },
        status=status,
    )


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    """初審 (the Secretariat's reviewers): lists received, the decision, and the tracking of
    destruction within three months of approval; agencies see their own."""
    user = request.user
    reviewer = permissions.is_reviewer(user)
    receive_form = forms.ReceiveReviewForm(
        request.POST if _step(request, "receive") else None, auto_id="receive-%s"
    )
    decide_form = forms.DecideReviewForm(
        request.POST if _step(request, "decide") else None, auto_id="decide-%s"
    )
    track_form = forms.TrackForm(
        request.POST if _step(request, "track") else None, auto_id="track-%s"
    )
    status = 200
    written = None

    def one():
        pk = request.POST.get("review", "")
        return get_object_or_404(selectors.reviews_for(user), pk=pk if pk.isdigit() else 0)

    if _step(request, "receive"):
        written, status = submit(
            request,
            receive_form if reviewer else None,
            lambda data: services.receive_review(
                data["agency"],
                by=user,
                received_on=data["received_on"],
                reference=data["reference"],
                items=data["items"],
                cases=data["cases"],
                volumes=data["volumes"],
                shelf_metres=data["shelf_metres"] or 0,
            ),
            "已收件。",
        )
    elif _step(request, "decide"):
        review = one()
        written, status = submit(
            request,
            decide_form if reviewer else None,
            lambda data: services.decide_review(
                review, by=user, forward=data["decision"] == "forward", remarks=data["remarks"]
            ),
            lambda r: f"已{r.get_status_display()}。",
        )
    elif _step(request, "track"):
        review = one()
        written, status = submit(
            request,
            track_form if reviewer else None,
            lambda data: services.track_destruction(review, by=user, **data),
            "已登錄銷毀追蹤。",
        )
    if written:
        return redirect("archives:reviews")
    everything = selectors.reviews_for(user)
    return render(
        request,
        "archives/reviews.html",
        {
            "reviewer": reviewer,
            "received": everything.filter(status=ReviewStatus.RECEIVED)[:PAGE_SIZE],
            "tracking": selectors.tracking_for(user)[:PAGE_SIZE],
            "decided": everything.exclude(status=ReviewStatus.RECEIVED)[:PAGE_SIZE],
            "receive_form": receive_form,
            "decide_form": decide_form,
            "track_form": track_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def transfers(request: HttpRequest) -> HttpResponse:
    """移轉: permanent 案卷 designated 國家檔案, handed to the national archives."""
    agency = _agency_archivist(request)
    candidates = list(
        selectors.folders_for(request.user).filter(
            agency=agency,
            status=RecordStatus.ACTIVE,
            retention=Retention.PERMANENT,
            disposal=Disposal.NATIONAL,
        )[:500]
    )
    form = forms.TransferForm(request.POST or None, folders=candidates, auto_id="transfer-%s")
    written, status = submit(
        request,
        form,
        lambda data: services.record_transfer(
            agency,
            by=request.user,
            title=data["title"],
            approval_number=data["approval_number"],
            transferred_on=data["transferred_on"],
            folder_ids=data["folders"],
        ),
        lambda t: f"已登錄移轉「{t.title}」（{t.cases}案、{t.volumes}卷）。",
    )
    if written:
        return redirect("archives:transfers")
    return render(
        request,
        "archives/transfers.html",
        {"form": form, "transfers": selectors.transfers_for(request.user)[:PAGE_SIZE]},
        status=status,
    )


@login_required
def export_page(request: HttpRequest) -> HttpResponse:
    """目錄彙送: the half-year's new and changed 案卷 (classified excluded) as XML or CSV."""
    agency = _agency_archivist(request)
    form = forms.ExportForm(request.GET or None, auto_id="export-%s")
    if request.GET and form.is_valid():
        data = form.cleaned_data
        period = roc.Period.half(data["year"], data["half"])
        name = f"{agency.code}-{data['year']}H{data['half']}-catalogue"
        if data["format"] == "csv":
            body, kind, name = (
                export.catalogue_csv(agency, period),
                "text/csv; charset=utf-8",
                f"{name}.csv",
            )
        else:
            try:
                body = export.catalogue_xml(agency, period)
            except errors.DomainError as error:
                form.add_domain_error(error)
                return render(request, "archives/export.html", {"form": form}, status=400)
            kind, name = "application/xml", f"{name}.xml"
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    return render(request, "archives/export.html", {"form": form})
