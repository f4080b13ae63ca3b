"""資料匯入 pages: administrators upload a file of history (petitions, council questions …); a
background job checks and imports it while the page polls its progress (htmx), then shows the
counts or every problem found. The import itself is ``core.importing``."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from secretariat.core import importing
from secretariat.core.forms import TextForm
from secretariat.core.models import ImportRun
from secretariat.core.modules import NavItem, register_nav

RECENT_RUNS = 20
SUFFIXES = (".csv", ".xlsx")


class ImportForm(TextForm):
    type = forms.ChoiceField(label="匯入類型")
    file = forms.FileField(
        label="檔案",
        help_text="CSV（UTF-8，可含 BOM）或 XLSX（第一個工作表）；第1列為欄位名稱。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [
            (code, importer.label) for code, importer in importing.IMPORTERS.items()
        ]
        self.fields["file"].widget.attrs["accept"] = ",".join(SUFFIXES)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError("只接受 .csv 或 .xlsx 檔案。")
        if upload.size > importing.MAX_FILE_BYTES:
            limit = importing.MAX_FILE_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"檔案超過 {limit} MB 的大小上限。")
        return upload


def _administrators_only(request: HttpRequest) -> None:
    if not importing.may_import(request.user):
        raise PermissionDenied


def _run_context(run: ImportRun) -> dict:
    importer = importing.IMPORTERS.get(run.type)
    return {
        "run": run,
        "label": importer.label if importer else run.type,
        "percent": run.done * 100 // run.total if run.total else 0,
    }


def _run(pk: int) -> ImportRun:
    return get_object_or_404(
        ImportRun.objects.defer("content").select_related("requested_by"), pk=pk
    )


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """The upload form, the formats, and the latest runs."""
    _administrators_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = ImportRun.objects.create(
            type=form.cleaned_data["type"],
            file_name=upload.name[:200],
            content=upload.read(),
            requested_by=request.user,
        )
        transaction.on_commit(lambda: importing.run_import_task.enqueue(run.pk))
        return redirect("core:import_run", run.pk)
    context = {
        "form": form,
        "importers": importing.IMPORTERS.values(),
        "runs": [
            _run_context(run)
            for run in ImportRun.objects.defer("content").select_related("requested_by")[
                :RECENT_RUNS
            ]
        ],
    }
    return render(request, "core/imports.html", context, status=400 if form.is_bound else 200)


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    _administrators_only(request)
    return render(request, "core/import_run.html", _run_context(_run(pk)))


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the run's progress, polled every second until it has finished."""
    _administrators_only(request)
    return render(request, "core/_import_progress.html", _run_context(_run(pk)))


def register() -> None:
    register_nav(
        NavItem(
            "imports",
            "資料匯入",
            "core:imports",
            order=940,
            visible=importing.may_import,
            section="core:import",
        )
    )
