"""檔案管理 pages: thin — parse input, call a selector or service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """檔案管理: what the person may do here."""
    return render(request, "archives/home.html", {})
