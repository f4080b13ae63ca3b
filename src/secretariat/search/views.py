"""The search page: every searchable kind the person may see, with filters and highlights."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from secretariat.core import modules
from secretariat.core.errors import DomainError
from secretariat.search import registry, selectors
from secretariat.search.forms import SearchForm


@login_required
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict = {
        "form": form,
        "query": request.GET.get("q", "").strip(),
        "scopes": registry.described_scopes(request.user),
    }
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        try:
            results = selectors.search(
                request.user, query, form.filters(), request.GET.get("page", 1)
            )
        except DomainError as error:
            for name, messages in error.fields.items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            context["results"] = results
            if results.page.number == 1:
                context["quick"] = [g for g in modules.search_all(request.user, query) if g[1]]
    return render(request, "search/results.html", context)
