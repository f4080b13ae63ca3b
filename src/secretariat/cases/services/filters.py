"""常用篩選: a person's saved filters of the case list, each a name and the list's query
string. Only the owner sees, uses and deletes them; saving and deleting are audited."""

from __future__ import annotations

from django.db import transaction
from django.http import QueryDict

from secretariat.cases.models import SavedFilter
from secretariat.cases.services.common import field_error, require
from secretariat.core import audit
from secretariat.core.errors import DomainError
from secretariat.core.text import check_text

# The list's filter parameters (``forms.CaseFilterForm``); anything else in a query string
# (the page number, a token) is not part of a filter.
FILTER_KEYS = (
    "text",
    "kind",
    "status",
    "agency",
    "overdue",
    "received_from",
    "received_to",
    "order",
    "queue",
)
MAX_FILTERS = 30  # per person: a short list to choose from, not an archive
NAME_MAX = SavedFilter._meta.get_field("name").max_length
QUERY_MAX = SavedFilter._meta.get_field("query").max_length


def filter_query(query: str) -> str:
    """The filter parameters of a query string, in a stable order; the rest left out."""
    given = QueryDict(query or "")
    kept = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        values = [value for value in given.getlist(key) if value]
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


@transaction.atomic
def save_filter(name: str, query: str, *, by) -> SavedFilter:
    """Save the list's current filter under ``name`` (a filter of that name is replaced)."""
    require(getattr(by, "is_authenticated", False))
    name = check_text((name or "").strip(), "篩選名稱", field="name", max_length=NAME_MAX)
    if not name:
        raise field_error("name", "請為篩選命名。")
    query = filter_query(query)
    if len(query) > QUERY_MAX:
        raise field_error("name", f"篩選條件過長（超過 {QUERY_MAX} 字），請減少條件。")
    saved = SavedFilter.objects.filter(owner=by, name=name).first()
    if saved is None:
        if SavedFilter.objects.filter(owner=by).count() >= MAX_FILTERS:
            raise DomainError(
                "too_many_filters",
                f"常用篩選最多 {MAX_FILTERS} 個，請先刪除不用的篩選。",
                {"name": [f"常用篩選最多 {MAX_FILTERS} 個。"]},
            )
        saved = SavedFilter(owner=by, name=name)
    saved.query = query
    with audit.action("save_filter"):
        saved.save()
    return saved


@transaction.atomic
def delete_filter(saved: SavedFilter, *, by) -> None:
    """Delete one of the person's own saved filters."""
    require(saved.owner_id == getattr(by, "pk", None), "只能刪除自己的常用篩選。")
    with audit.action("delete_filter"):
        saved.delete()
