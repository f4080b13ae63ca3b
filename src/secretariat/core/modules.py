"""Registries through which each domain plugs into the shell: navigation entries, the
personal dashboard's pending items, global-search providers, the services of the public home
page, the reference data of `secretariat setup` and the sample records of `secretariat demo`. Domains register in their
AppConfig.ready(); the shell only reads these lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    order: int = 100
    visible: Callable[[object], bool] = field(default=lambda user: True)
    # Views whose name starts with this are the item's pages too (e.g. "cases:" for a case page).
    section: str = ""

    def is_current(self, view_name: str) -> bool:
        if self.section and view_name.startswith(self.section):
            return True
        return view_name == self.url_name or view_name.startswith(
            self.url_name.rsplit("_", 1)[0] + "_"
        )


@dataclass(frozen=True)
class PendingItem:
    """One thing waiting for the person: shown on the dashboard (我的待辦)."""

    kind: str
    title: str
    url: str
    due: date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class Queue:
    """A work queue on the dashboard (我的待辦): how many items wait in it, how many of them
    are due today or overdue (the SLA colours), and the filtered list it opens in one click."""

    key: str
    label: str
    count: int
    url: str
    due_today: int = 0
    overdue: int = 0
    note: str = ""  # e.g. the oldest item's date


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True)
class PublicService:
    """A service the public home page offers visitors who do not sign in (我要陳情, 案件查詢):
    a plain link with a sentence on what it is for."""

    key: str
    label: str
    url_name: str
    description: str
    order: int = 100


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    fn: Callable


NAVIGATION: dict[str, NavItem] = {}
PENDING: dict[str, Provider] = {}
QUEUES: dict[str, Provider] = {}
SEARCH: dict[str, Provider] = {}
DEMO: dict[str, Provider] = {}
SETUP: dict[str, Provider] = {}
PUBLIC_SERVICES: dict[str, PublicService] = {}


def register_nav(item: NavItem) -> None:
    NAVIGATION[item.key] = item


def register_pending(key: str, label: str, fn: Callable[[object], Iterable[PendingItem]]) -> None:
    PENDING[key] = Provider(key, label, fn)


def register_queues(key: str, label: str, fn: Callable[[object], Iterable[Queue]]) -> None:
    """A module's work queues for a person (``fn(user) → [Queue]``; none for people who have
    no such work)."""
    QUEUES[key] = Provider(key, label, fn)


def register_search(key: str, label: str, fn: Callable[[object, str], Iterable[SearchHit]]) -> None:
    SEARCH[key] = Provider(key, label, fn)


def register_public_service(service: PublicService) -> None:
    PUBLIC_SERVICES[service.key] = service


def public_services() -> list[PublicService]:
    return sorted(PUBLIC_SERVICES.values(), key=lambda service: service.order)


def register_setup(key: str, label: str, fn: Callable[[], object]) -> None:
    """Reference data a module loads in `secretariat setup` (and before the demo data): real
    data every installation needs, such as the agency registry. ``fn`` must be idempotent and
    return what it did (printed after the label); run in registration order, core first."""
    SETUP[key] = Provider(key, label, fn)


def load_setup() -> list[tuple[str, str]]:
    """Run every setup provider in one transaction: (label, what it did) per provider."""
    with transaction.atomic():
        return [(provider.label, str(provider.fn())) for provider in SETUP.values()]


def register_demo(key: str, label: str, fn: Callable[[], object]) -> None:
    """Sample records a module adds to `secretariat demo` (must be idempotent); run after
    the registry and the demo accounts exist, in registration order."""
    DEMO[key] = Provider(key, label, fn)


# Accounts kept to a few modules (a journalist's to 記者專區): fn(user) → the nav keys such an
# account may see, or None for everyone else.
NAV_LIMITS: list[Callable[[object], set[str] | None]] = []


def register_nav_limit(fn: Callable[[object], set[str] | None]) -> None:
    """Limit the navigation of some accounts to the keys ``fn(user)`` returns (a module that
    keeps its external accounts to its own pages, e.g. media's journalists)."""
    NAV_LIMITS.append(fn)


def navigation_for(user) -> list[NavItem]:
    items = [i for i in NAVIGATION.values() if i.visible(user)]
    for limit in NAV_LIMITS:
        keys = limit(user)
        if keys is not None:
            items = [i for i in items if i.key in keys]
    return sorted(items, key=lambda i: i.order)


def pending_for(user) -> list[tuple[str, list[PendingItem]]]:
    return [(p.label, list(p.fn(user))) for p in PENDING.values()]


def queues_for(user) -> list[tuple[str, list[Queue]]]:
    return [(p.label, queues) for p in QUEUES.values() if (queues := list(p.fn(user)))]


def search_all(user, query: str) -> list[tuple[str, list[SearchHit]]]:
    return [(p.label, list(p.fn(user, query))) for p in SEARCH.values()]


def register_core() -> None:
    from secretariat.core import audit, registry, selectors
    from secretariat.core.permissions import is_administrator, is_system_administrator

    register_setup("registry", "機關名錄", registry.load_registry)
    register_setup("audit", "稽核鏈金鑰與查核點", audit.prepare)

    register_nav(NavItem("dashboard", "我的待辦", "core:dashboard", order=0))
    register_nav(NavItem("agencies", "機關", "core:agency_list", order=900))
    register_nav(NavItem("people", "人員", "core:person_list", order=910))
    register_nav(NavItem("calendar", "辦公日曆", "core:calendar", order=920))
    register_nav(
        NavItem("audit", "稽核紀錄", "core:audit_list", order=930, visible=is_administrator)
    )
    register_nav(
        NavItem(
            "system_status",
            "系統狀態",
            "core:system_status",
            order=940,
            visible=is_system_administrator,
        )
    )
    register_nav(NavItem("api", "API 文件", "api_docs", order=990))
    register_pending("notifications", "未讀通知", selectors.pending_notifications)
    register_search("agencies", "機關", selectors.search_agencies)
    register_search("people", "人員", selectors.search_people)
