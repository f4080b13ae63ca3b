"""The authorization matrix: every URL pattern of the project (from the URL resolver) and every
API operation (from the OpenAPI schema) × every kind of caller, with the path filled by real
records of ANOTHER agency (警察局) than the callers' (都發局).

It asserts that nothing answers with a server error; that anonymous callers (and a bearer
token, which opens only the API) get the sign-in page or 401 on staff pages; that an agency
user never gets a 2xx for another agency's record or for a Secretariat- or administrator-only
page (403/404); and that no response to an agency user carries another agency's record (each
such record carries a marker no other text has). A positive control proves every record-bearing
URL works for someone who may see it, so a 404 is never a broken fixture.

Every URL pattern must be classified in ROUTES: adding a page without classifying it fails
`test_every_url_pattern_is_classified`, so the matrix covers a new page the day it is added.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from secretariat.api import api

pytestmark = pytest.mark.django_db

OWN, OTHER = "都發局", "警察局"
MARKER = "跨機關標記Ω"  # in the other agency's records only; an agency user never sees it
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# --- The classification table ---------------------------------------------------------------

PUBLIC = "public"  # anyone, without signing in
STAFF = "staff"  # any signed-in account; anonymous → the sign-in page
SCOPED = "scoped"  # staff who may see the record's agency; other agencies → 403/404
SECRETARIAT = "secretariat"  # the Secretariat's staff and administrators; agencies → 403/404
ADMIN = "admin"  # administrators (系統管理者、秘書處管理者); everyone else → 403/404
ADMIN_SITE = "admin-site"  # Django's admin: only is_staff accounts, others → its sign-in


@dataclasses.dataclass(frozen=True)
class Route:
    access: str
    # kwarg → the record (key of the `records` fixture) or a literal value
    kwargs: dict[str, str] = dataclasses.field(default_factory=dict)
    post_only: bool = False
    # Signing out: sent by the anonymous caller only, or it would end the others' sessions.
    signs_out: bool = False


DOCUMENT = {"agency": "agency_code", "number": "document_number"}

ROUTES: dict[str, Route] = {
    # core
    "": Route(PUBLIC),  # the public home page; signed-in staff get their dashboard there
    "accounts/login/": Route(PUBLIC),
    "accounts/logout/": Route(PUBLIC, post_only=True, signs_out=True),
    "accounts/totp/": Route(STAFF),
    "accounts/totp/setup/": Route(STAFF),
    "agencies/": Route(STAFF),
    "agencies/<slug:code>/": Route(STAFF, {"code": "agency_code"}),
    "people/": Route(STAFF),
    "people/<int:pk>/": Route(SCOPED, {"pk": "person"}),
    "calendar/": Route(STAFF),
    "calendar/calculate/": Route(STAFF),
    "calendar/<int:pk>/delete/": Route(ADMIN, {"pk": "calendar_adjustment"}, post_only=True),
    "notifications/": Route(STAFF),
    "notifications/read/": Route(STAFF, post_only=True),
    "audit/": Route(ADMIN),
    "audit/verify/": Route(ADMIN, post_only=True),
    "imports/": Route(ADMIN),
    "imports/<int:pk>/": Route(ADMIN, {"pk": "import_run"}),
    "imports/<int:pk>/progress/": Route(ADMIN, {"pk": "import_run"}),
    "system/status/": Route(ADMIN),
    "healthz": Route(PUBLIC),
    # the API's human docs and schema (the operations are in the schema part below)
    "api/v1/docs": Route(STAFF),
    "api/v1/openapi.json": Route(PUBLIC),
    # single sign-on (not configured in the tests: refused without a server error)
    "oidc/callback/": Route(PUBLIC),
    "oidc/authenticate/": Route(PUBLIC),
    "oidc/logout/": Route(PUBLIC, post_only=True, signs_out=True),
    # cases
    "cases/": Route(STAFF),
    "cases/export.<slug:fmt>": Route(STAFF, {"fmt": "=csv"}),
    "cases/overdue/": Route(STAFF),
    "cases/assignees/": Route(SECRETARIAT),  # the routing form's picker: routers only
    "cases/route/": Route(SECRETARIAT, post_only=True),  # bulk routing
    "cases/filters/": Route(STAFF, post_only=True),
    "cases/filters/<int:pk>/delete/": Route(SCOPED, {"pk": "saved_filter"}, post_only=True),
    # the requester search refuses roles that may not see requesters (403), answers others
    # with their own cases only
    "cases/requesters/": Route(STAFF),
    # an agency's reply templates: each agency reads only its own
    "cases/reply-templates/": Route(STAFF),
    "cases/reply-templates/text/": Route(STAFF),
    "cases/reply-templates/<int:pk>/": Route(SCOPED, {"pk": "reply_template"}),
    "cases/reply-templates/<int:pk>/delete/": Route(
        SCOPED, {"pk": "reply_template"}, post_only=True
    ),
    "cases/<str:number>/": Route(SCOPED, {"number": "case_number"}),
    "cases/<str:number>/requester/": Route(SCOPED, {"number": "case_number"}, post_only=True),
    "cases/<str:number>/attachments/<int:pk>/": Route(
        SCOPED, {"number": "case_number", "pk": "attachment"}
    ),
    "cases/<str:number>/steps/<slug:step>/": Route(
        SCOPED, {"number": "case_number", "step": "=close"}, post_only=True
    ),
    "cases/<str:number>/steps/<slug:step>/<int:pk>/": Route(
        SCOPED, {"number": "case_number", "step": "=draft", "pk": "assignment"}, post_only=True
    ),
    # council
    "council/": Route(STAFF),
    "council/events/": Route(STAFF),
    "council/events/<int:pk>/": Route(STAFF, {"pk": "event"}),
    "council/events/<int:pk>/compilation.odt": Route(SECRETARIAT, {"pk": "event"}),
    "council/events/<int:pk>/compilation.pdf": Route(SECRETARIAT, {"pk": "event"}),
    "council/requests/": Route(STAFF),
    "council/requests/<str:number>/": Route(SCOPED, {"number": "data_request"}),
    "council/service/": Route(STAFF),
    "council/service/<str:number>/grade/": Route(
        SECRETARIAT, {"number": "service_case"}, post_only=True
    ),
    "council/councillors/": Route(STAFF),
    "council/liaisons/": Route(STAFF),
    "council/liaisons/agencies/<slug:code>/": Route(STAFF, {"code": "agency_code"}),
    "council/liaisons/meetings/": Route(SECRETARIAT),
    "council/liaisons/meetings/<int:pk>/": Route(SECRETARIAT, {"pk": "liaison_meeting"}),
    "council/engagements/": Route(SECRETARIAT),
    "council/engagements/<int:pk>/": Route(SECRETARIAT, {"pk": "engagement"}),
    "media/schedule/": Route(STAFF),
    "media/schedule/items/<int:pk>/remove/": Route(
        SECRETARIAT, {"pk": "schedule_item"}, post_only=True
    ),
    # documents (公文): registers and pages are scoped to the person's agency; a document of
    # another agency is a 404
    "documents/": Route(STAFF),
    "documents/receive/": Route(STAFF),
    "documents/new/": Route(STAFF),
    "documents/card/": Route(STAFF),
    "documents/delegation/": Route(STAFF),
    "documents/verification/": Route(ADMIN),
    "documents/registers/<slug:kind>/": Route(STAFF, {"kind": "=received"}),
    "documents/registers/<slug:kind>.<slug:fmt>": Route(STAFF, {"kind": "=seals", "fmt": "=csv"}),
    "documents/<slug:agency>/<str:number>/": Route(SCOPED, DOCUMENT),
    "documents/<slug:agency>/<str:number>/steps/<slug:step>/": Route(
        SCOPED, {**DOCUMENT, "step": "=decide"}, post_only=True
    ),
    "documents/<slug:agency>/<str:number>/attachments/": Route(SCOPED, DOCUMENT, post_only=True),
    "documents/<slug:agency>/<str:number>/attachments/<int:pk>/": Route(
        SCOPED, {**DOCUMENT, "pk": "document_attachment"}
    ),
    "documents/<slug:agency>/<str:number>/control/": Route(SCOPED, DOCUMENT, post_only=True),
    "documents/<slug:agency>/<str:number>/drafts/<slug:role>/": Route(
        SCOPED, {**DOCUMENT, "role": "=outgoing"}
    ),
    "documents/<slug:agency>/<str:number>/drafts/<slug:role>/changes/": Route(
        SCOPED, {**DOCUMENT, "role": "=outgoing"}
    ),
    "documents/<slug:agency>/<str:number>/drafts/<slug:role>.<slug:fmt>": Route(
        SCOPED, {**DOCUMENT, "role": "=outgoing", "fmt": "=odt"}
    ),
    "documents/<slug:agency>/<str:number>/sealed/<int:pk>.pdf": Route(
        SCOPED, {**DOCUMENT, "pk": "seal_use"}
    ),
    "documents/<slug:agency>/<str:number>/trail.xml": Route(SCOPED, DOCUMENT),
    "documents/<slug:agency>/<str:number>/verify/": Route(SCOPED, DOCUMENT, post_only=True),
    # exchange (公文交換): an exchange is seen by the staff of its sending and receiving agencies
    "exchange/": Route(STAFF),
    "exchange/import/": Route(STAFF),  # 收發 only (403 for others)
    "exchange/<uuid:uid>/": Route(SCOPED, {"uid": "exchange"}),
    "exchange/<uuid:uid>/sign/": Route(SCOPED, {"uid": "exchange"}, post_only=True),
    "exchange/<uuid:uid>/refuse/": Route(SCOPED, {"uid": "exchange"}, post_only=True),
    "exchange/<uuid:uid>/package.zip": Route(SCOPED, {"uid": "exchange"}),
    "exchange/documents/<slug:agency>/<str:number>/": Route(SCOPED, DOCUMENT),
    "exchange/documents/<slug:agency>/<str:number>/package.zip": Route(SCOPED, DOCUMENT),
    # archives (docs/archives.md): an agency's catalogue and lists; 初審 by the Secretariat
    "archives/": Route(STAFF),
    "archives/folders/<int:pk>/": Route(SCOPED, {"pk": "archive_folder"}),
    "archives/items/<int:pk>/": Route(SCOPED, {"pk": "archive_item"}),
    "archives/scheme/": Route(STAFF),
    "archives/filing/": Route(STAFF),
    "archives/filing/<int:pk>/": Route(SCOPED, {"pk": "archive_proposed"}),
    "archives/expiring/": Route(STAFF),
    "archives/destruction/": Route(STAFF),
    "archives/destruction/<int:pk>/": Route(SCOPED, {"pk": "destruction_list"}),
    "archives/reviews/": Route(STAFF),
    "archives/transfers/": Route(STAFF),
    "archives/export/": Route(STAFF),
    # archives use (docs/archives-use.md): the public application form; the staff pages list
    # what the person may see; a record of another agency is a 404
    "archives/use/apply/": Route(PUBLIC),
    "archives/use/": Route(STAFF),
    "archives/use/<str:number>/": Route(SCOPED, {"number": "use_application"}),
    "archives/digitization/": Route(STAFF),
    "archives/digitization/<int:pk>/": Route(SCOPED, {"pk": "digitization_project"}),
    "archives/inspections/": Route(STAFF),
    "archives/inspections/<int:pk>/": Route(SCOPED, {"pk": "archive_inspection"}),
    # meetings: a meeting's pages for its members, the chair's office, the presenting agencies
    # and the meeting staff; directives in the engine's scope; the public page of open series
    "meetings/": Route(STAFF),
    "meetings/series/<int:pk>/": Route(STAFF, {"pk": "meeting_series"}),
    "meetings/<int:pk>/": Route(SCOPED, {"pk": "meeting"}),
    "meetings/<int:pk>/present/": Route(SCOPED, {"pk": "meeting"}),
    "meetings/<int:pk>/present/count/": Route(SCOPED, {"pk": "meeting"}),
    "meetings/<int:pk>/notice.odt": Route(SCOPED, {"pk": "meeting"}),
    "meetings/<int:pk>/invite.ics": Route(SCOPED, {"pk": "meeting"}),
    "meetings/<int:pk>/minutes/": Route(SCOPED, {"pk": "held_meeting"}),
    "meetings/<int:pk>/minutes.odt": Route(SCOPED, {"pk": "held_meeting"}),
    "meetings/attachments/<int:pk>/": Route(SCOPED, {"pk": "meeting_attachment"}),
    "meetings/directives/": Route(STAFF),
    "meetings/directives/<str:number>/": Route(SCOPED, {"number": "directive"}),
    "meetings/public/": Route(PUBLIC),
    "meetings/public/<int:pk>/": Route(PUBLIC, {"pk": "public_meeting"}),
    "meetings/public/attachments/<int:pk>/": Route(PUBLIC, {"pk": "public_attachment"}),
    # service: the desk's pages for its staff (服務台人員) and supervisors; agencies see none
    "service/": Route(SECRETARIAT),
    "service/call/": Route(SECRETARIAT, post_only=True),
    "service/board/": Route(SECRETARIAT),
    "service/calls/": Route(STAFF),
    "service/calls/<int:pk>/arrived/": Route(SECRETARIAT, {"pk": "dispatch"}, post_only=True),
    "service/visits/<int:pk>/remove/": Route(SECRETARIAT, {"pk": "desk_visit"}, post_only=True),
    "service/rooms/<int:pk>/use/": Route(SECRETARIAT, {"pk": "nursing_room"}, post_only=True),
    "service/manage/": Route(SECRETARIAT),
    "service/arrive/<str:token>/": Route(PUBLIC, {"token": "arrival_token"}),
    # service: professional consultations (booking is public) and volunteers (issue 23 part 2)
    **{
        f"service/{p}/": Route(SECRETARIAT)
        for p in ("consult", "consult/manage", "volunteers", "volunteers/manage")
    },
    "service/consult/book/": Route(PUBLIC),
    # media: staff pages (an agency's releases and opinion items are scoped; the press
    # contacts are shared by every agency, so they carry no marker)
    "media/": Route(STAFF),
    "media/releases/": Route(STAFF),
    "media/releases/<int:pk>/": Route(SCOPED, {"pk": "press_release"}),
    "media/releases/<int:pk>/steps/<slug:step>/": Route(
        SCOPED, {"pk": "press_release", "step": "=submit"}, post_only=True
    ),
    "media/releases/<int:pk>/files/": Route(SCOPED, {"pk": "press_release"}, post_only=True),
    "media/releases/<int:pk>/files/<int:file_pk>/": Route(
        SCOPED, {"pk": "press_release", "file_pk": "release_file"}
    ),
    "media/releases/<int:pk>/files/<int:file_pk>/remove/": Route(
        SCOPED, {"pk": "press_release", "file_pk": "release_file"}, post_only=True
    ),
    "media/events/": Route(STAFF),
    "media/events/<int:pk>/remove/": Route(SECRETARIAT, {"pk": "press_event"}, post_only=True),
    "media/posts/": Route(STAFF),
    "media/posts/<int:pk>/remove/": Route(SECRETARIAT, {"pk": "social_post"}, post_only=True),
    "media/opinion/": Route(STAFF),
    "media/opinion/feeds/": Route(SECRETARIAT),
    "media/opinion/feeds/<int:pk>/": Route(SECRETARIAT, {"pk": "feed_capture"}),
    "media/opinion/monitoring/": Route(SECRETARIAT),
    "media/opinion/digest/": Route(STAFF),
    "media/opinion/weekly/": Route(SECRETARIAT),
    "media/opinion/weekly.odt": Route(SECRETARIAT),
    "media/opinion/<str:number>/": Route(SCOPED, {"number": "opinion_number"}),
    "media/opinion/<str:number>/classify/": Route(
        SCOPED, {"number": "opinion_number"}, post_only=True
    ),
    "media/opinion/<str:number>/clarification/<int:pk>/": Route(
        SCOPED, {"number": "opinion_number", "pk": "opinion_part"}, post_only=True
    ),
    "media/contacts/": Route(STAFF),
    "media/contacts/<int:pk>/": Route(SCOPED, {"pk": "press_contact"}),
    "media/contacts/<int:pk>/remove/": Route(SCOPED, {"pk": "removable_contact"}, post_only=True),
    "media/journalists/": Route(SECRETARIAT),
    "media/journalists/<int:pk>/<slug:decision>/": Route(
        SECRETARIAT, {"pk": "journalist", "decision": "=approve"}, post_only=True
    ),
    # 記者專區: the sign-up is public; the rest is for journalists and staff
    "press/": Route(STAFF),
    "press/register/": Route(PUBLIC),
    "press/register/done/": Route(PUBLIC),
    "press/contacts/": Route(STAFF),
    "press/contacts.vcf": Route(STAFF),
    "press/contacts/<int:pk>.vcf": Route(STAFF, {"pk": "press_contact"}),
    "press/schedule/": Route(STAFF),
    # the public news page (published releases only)
    "news/": Route(PUBLIC),
    "news/rss.xml": Route(PUBLIC),
    "news/atom.xml": Route(PUBLIC),
    "news/contacts/": Route(PUBLIC),
    "news/<int:pk>/": Route(PUBLIC, {"pk": "published_release"}),
    "news/<int:pk>/files/<int:file_pk>/": Route(
        PUBLIC, {"pk": "published_release", "file_pk": "published_file"}
    ),
    # 文件智取櫃: the 收發's pages (a package is its sender's and receiver's), a bank's kiosk
    # (anyone at the screen: it must be paired with the bank's key before it does anything),
    # the administrators' sites, banks and compartments
    "lockers/": Route(STAFF),
    "lockers/packages/<int:pk>/": Route(SCOPED, {"pk": "locker_package"}),
    "lockers/packages/<int:pk>/cover.pdf": Route(SCOPED, {"pk": "locker_package"}),
    "lockers/pickups/": Route(STAFF),
    "lockers/overdue/": Route(STAFF),
    "lockers/kiosk/<slug:bank>/": Route(PUBLIC, {"bank": "locker_bank_code"}),
    "lockers/administration/": Route(ADMIN),
    "lockers/administration/banks/<int:pk>/": Route(ADMIN, {"pk": "locker_bank"}),
    # reports
    "reports/": Route(SECRETARIAT),
    "reports/runs/<int:pk>/": Route(SECRETARIAT, {"pk": "report_run"}),
    "reports/runs/<int:pk>/progress/": Route(SECRETARIAT, {"pk": "report_run"}),
    "reports/runs/<int:pk>/download/": Route(SECRETARIAT, {"pk": "report_run"}),
    # search
    "search/": Route(STAFF),
    # petitions: the citizens' side is public; the status page asks for the password
    "petitions/new/": Route(STAFF),
    "petitions/submit/": Route(PUBLIC),
    "petitions/receipt/": Route(PUBLIC),
    "petitions/status/": Route(PUBLIC),
    "petitions/status/<str:number>/": Route(PUBLIC, {"number": "case_number"}),
    "petitions/status/<str:number>/survey/": Route(
        PUBLIC, {"number": "case_number"}, post_only=True
    ),
    # Open311 GeoReport v2 (public by the standard; lists only what citizens may see)
    r"^open311/v2/services\.(?P<fmt>[A-Za-z0-9]+)$": Route(PUBLIC, {"fmt": "=json"}),
    r"^open311/v2/services/(?P<code>[^/]+?)\.(?P<fmt>[A-Za-z0-9]+)$": Route(
        PUBLIC, {"code": "=roads", "fmt": "=json"}
    ),
    r"^open311/v2/requests\.(?P<fmt>[A-Za-z0-9]+)$": Route(PUBLIC, {"fmt": "=json"}),
    r"^open311/v2/requests/(?P<request_id>[^/]+?)\.(?P<fmt>[A-Za-z0-9]+)$": Route(
        PUBLIC, {"request_id": "case_number", "fmt": "=json"}
    ),
}

# The admin site's own sign-in page; everything else there needs an is_staff account, which
# no role gives (only `secretariat createadmin`).
ADMIN_SITE_PUBLIC = {"admin:login"}

# API operations whose path names a record of an agency (the rest are shared reference data).
SCOPED_API = {
    "/api/v1/people/{person_id}",
    "/api/v1/petitions/{number}",
    "/api/v1/cases/{number}",
    "/api/v1/documents/{agency_code}/{document_number}",
    "/api/v1/documents/{agency_code}/{document_number}/assistance",
    "/api/v1/exchange/documents/{agency_code}/{document_number}/package",
    "/api/v1/exchange/documents/{agency_code}/{document_number}/log",
    "/api/v1/meetings/{meeting_id}",
    "/api/v1/media/releases/{release_id}",
    "/api/v1/media/opinion-items/{item_number}",
    "/api/v1/lockers/packages/{package_id}",
    "/api/v1/archives/use/applications/{application_number}",
}
API_PATH_VALUES = {
    "person_id": "person",
    "number": "case_number",
    "code": "agency_code",
    "agency_code": "agency_code",
    "document_number": "document_number",
    "meeting_id": "meeting",
    "release_id": "press_release",
    "item_number": "opinion_number",
    "package_id": "locker_package",
    "command_id": "locker_command",
    "dispatch_id": "dispatch",
    "application_number": "use_application",
}
API_QUERY_VALUES = {
    "start": "2026-01-05",
    "end": "2026-02-05",
    "days": "5",
    "q": "路燈",
    "day": "2026-01-05",
    "year": "115",
    "half": "2",
}

# Resolver patterns that are the API's own plumbing, not operations of the schema.
API_PREFIX = "api/v1/"
API_PLUMBING = {"api/v1/"}


# --- Walking the resolver ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Pattern:
    route: str  # the full route or regex, the key of ROUTES
    name: str | None
    kwargs: tuple[str, ...]


def url_patterns() -> Iterator[Pattern]:
    def walk(patterns, prefix: str, namespace: str) -> Iterator[Pattern]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                names = tuple(entry.pattern.regex.groupindex)
                own = str(entry.pattern)
                full = prefix + own
                if prefix and own.startswith("^"):  # a regex under a prefix: one anchor
                    full = "^" + prefix + own[1:]
                name = f"{namespace}{entry.name}" if entry.name else None
                yield Pattern(full, name, names)

    yield from walk(get_resolver().url_patterns, "", "")


def patterns_by_kind() -> tuple[list[Pattern], list[Pattern], list[Pattern]]:
    pages, admin_site, api_routes = [], [], []
    for pattern in url_patterns():
        if pattern.route.startswith(("admin/", "^admin/")):
            admin_site.append(pattern)
        elif pattern.route.startswith(API_PREFIX) and pattern.route not in ROUTES:
            api_routes.append(pattern)
        else:
            pages.append(pattern)
    return pages, admin_site, api_routes


def openapi() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))


def test_every_url_pattern_is_classified():
    """A new page must say who may open it (and which record fills its path) before the
    matrix — and so the suite — passes."""
    pages, admin_site, api_routes = patterns_by_kind()
    unclassified = [p.route for p in pages if p.route not in ROUTES]
    assert unclassified == [], "classify these patterns in ROUTES"
    missing_kwargs = [
        (p.route, name) for p in pages for name in p.kwargs if name not in ROUTES[p.route].kwargs
    ]
    assert missing_kwargs == [], "say which record fills each path argument"
    stale = set(ROUTES) - {p.route for p in pages}
    assert stale == set(), "remove patterns that no longer exist"
    schema_paths = {path.removeprefix("/") for path in openapi()["paths"]}
    unknown_api = [
        p.route
        for p in api_routes
        if p.route not in API_PLUMBING and _ninja_to_schema(p.route) not in schema_paths
    ]
    assert unknown_api == [], "an API route outside the schema"
    assert admin_site, "the admin site is mounted"


def _ninja_to_schema(route: str) -> str:
    """api/v1/people/<person_id> → api/v1/people/{person_id}"""
    return route.replace("<", "{").replace(">", "}")


# --- Who calls ----------------------------------------------------------------------------------

AGENCY_ROLES = [
    "archivist",
    "registry_clerk",
    "case_officer",
    "supervisor",
    "head",
    "rdec_officer",
    "council_liaison",
    "press_liaison",
    "service_desk",
]
SECRETARIAT_ROLES = [
    "registry_clerk",
    "council_liaison",
    "case_officer",
    "press_liaison",
    "archivist",
]
ADMIN_ROLES = ["secretariat_admin", "system_admin"]


@dataclasses.dataclass
class Caller:
    label: str
    client: Client
    kind: str  # anonymous | agency | secretariat | admin | token | journalist
    headers: dict = dataclasses.field(default_factory=dict)

    @property
    def signed_in(self) -> bool:
        return self.kind in {"agency", "secretariat", "admin", "journalist"}


@pytest.fixture
def callers(make_person, agency) -> list[Caller]:
    from secretariat.core import services

    def signed_in(username, agency, role, kind) -> Caller:
        client = Client()
        client.force_login(make_person(username, agency, role))
        return Caller(f"{agency}:{role}", client, kind)

    made = [Caller("anonymous", Client(), "anonymous")]
    made += [signed_in(f"udd-{role}", OWN, role, "agency") for role in AGENCY_ROLES]
    made += [signed_in(f"sec-{role}", "秘書處", role, "secretariat") for role in SECRETARIAT_ROLES]
    made += [signed_in(f"sec-{role}", "秘書處", role, "admin") for role in ADMIN_ROLES]
    # A contractor's person (no agency) is refused like another agency's staff.
    contractor = services.register_contractor(
        by=None, name="維護公司", agency=agency("秘書處"), contact_name="何經理"
    )
    client = Client()
    client.force_login(make_person("contractor", None, contractor=contractor))
    made.append(Caller("承攬廠商", client, "agency"))
    # An approved journalist (no agency, role 記者): kept to the journalists' pages.
    from secretariat.media import services as media

    reporter = media.register_journalist(
        username="reporter",
        password="correct-horse-115",
        name="陳記者",
        outlet="臺北日報",
        phone="02-2345-0001",
        email="reporter@news.example",
    )
    approver = make_person("sec-press-approver", "秘書處", "press_liaison")
    media.decide_journalist(reporter, approve=True, by=approver)
    client = Client()
    client.force_login(reporter.user)
    made.append(Caller("記者", client, "journalist"))
    system = make_person("udd-system", OWN, "case_officer", is_system_account=True)
    _, key = services.issue_api_token(system, "介接", by=None)
    made.append(Caller(f"{OWN}:bearer", Client(), "token", {"HTTP_AUTHORIZATION": f"Bearer {key}"}))
    return made


# --- Another agency's records -------------------------------------------------------------------


@pytest.fixture
def records(make_person, agency, settings, tmp_path) -> dict[str, object]:
    """One record of every kind the URLs name, all of 警察局 (or of no agency), marked."""
    from secretariat.cases import services as case_services
    from secretariat.cases.models import Channel
    from secretariat.core import services as core_services
    from secretariat.core.models import ImportRun
    from secretariat.council import services as council
    from secretariat.council.models import (
        Councillor,
        EngagementKind,
        EventKind,
        LiaisonMeetingKind,
        Session,
        SessionKind,
        Term,
        Urgency,
    )
    from secretariat.media import services as media
    from secretariat.media.models import ContactRole, FeedCapture
    from secretariat.petitions import services as petitions
    from secretariat.reports.models import ReportRun, RunStatus

    settings.MEDIA_ROOT = tmp_path / "media"
    police = agency(OTHER)
    desk = make_person("sec-desk", "秘書處", "council_liaison")
    clerk = make_person("sec-clerk", "秘書處", "registry_clerk")
    admin = make_person("sec-sysadmin", "秘書處", "system_admin")
    person = make_person("police-officer", OTHER, "case_officer", display_name=f"警員{MARKER}")

    receipt = petitions.submit_petition(
        channel=Channel.WEB,
        subject=f"路燈不亮{MARKER}",
        body=f"信義區松仁路路燈整排不亮{MARKER}。",
        requester={"name": "王小明", "email": "xiaoming@example.test", "phone": "0912345678"},
        category="roads",
        consent=True,
        client_ip="203.0.113.9",
        attachments=[SimpleUploadedFile("photo.png", PNG, content_type="image/png")],
    )
    case = receipt.petition.case
    (assignment,) = case_services.route_case(case, police, by=clerk)
    # The police's internal note and reply template: never another agency's to read.
    police_boss = make_person("police-supervisor", OTHER, "supervisor")
    case_services.add_note(case, f"警察局內部註記{MARKER}", by=police_boss)
    template = case_services.save_reply_template(
        by=police_boss, title=f"巡邏範本{MARKER}", text=f"本局將加強巡邏{MARKER}。"
    )

    today = dt.date.today()
    term = Term.objects.create(number=14, start_on=today - dt.timedelta(days=400))
    session = Session.objects.create(
        term=term,
        kind=SessionKind.REGULAR,
        number=6,
        start_on=today - dt.timedelta(days=30),
        end_on=today + dt.timedelta(days=30),
    )
    councillor = Councillor.objects.create(
        term=term, name="林議員", caucus="甲黨團", district="第一選舉區", active_from=term.start_on
    )
    event = council.create_event(
        session=session,
        kind=EventKind.POLICY_REPORT,
        title="市長施政報告",
        start_on=today,
        end_on=today,
        by=desk,
    )
    data_request = council.register_data_request(
        councillor=councillor,
        subject=f"警政資料{MARKER}",
        text=f"請提供轄區治安統計{MARKER}。",
        urgency=Urgency.NORMAL,
        by=desk,
    )
    case_services.route_case(data_request.case, police, by=desk)
    service_case = council.register_service_case(
        councillor=councillor,
        subject=f"選民服務{MARKER}",
        text=f"請協助巡邏{MARKER}。",
        requester={"name": "陳小華"},
        by=desk,
    )
    case_services.route_case(service_case.case, police, by=desk)
    # The liaison directory is shared by every agency (docs/council.md): no marker.
    council.appoint_liaison(police, name="李聯絡人", phone="02-2345-6789", start_on=today, by=desk)
    meeting = council.create_liaison_meeting(
        LiaisonMeetingKind.MEETING, "府會聯絡人座談會", today, by=desk
    )
    engagement = council.log_engagement(
        EngagementKind.CAUCUS_VISIT, today, "預算溝通", caucus="甲黨團", by=desk
    )
    schedule_item = media.add_schedule_item(today, dt.time(9, 0), "市政會議", by=desk)
    press = make_person("sec-press-records", "秘書處", "press_liaison")
    police_officer = make_person("police-writer", OTHER, "case_officer")
    police_press = make_person("police-press", OTHER, "press_liaison")
    release = media.draft_release(
        agency=police, title=f"警政新聞稿{MARKER}", body=f"草稿{MARKER}。", by=police_officer
    )
    release_file = media.add_release_file(
        release,
        SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
        caption=f"照片{MARKER}",
        by=police_officer,
    )
    # Published releases are public: no marker.
    published = media.draft_release(
        agency=police, title="年終治安維護", body="加強巡邏。", by=police_officer
    )
    published_file = media.add_release_file(
        published,
        SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
        caption="巡邏",
        by=police_officer,
    )
    media.submit_release(published, by=police_officer)
    media.approve_release(published, by=police_press)
    item = media.capture_item(
        title=f"轄區治安報導{MARKER}", summary=f"報導{MARKER}。", outlet="臺北日報", by=press
    )
    (opinion_part,) = case_services.route_case(item.case, police, by=press)
    press_event = media.record_event(kind="conference", held_on=today, topic="市政說明", by=press)
    social_post = media.record_post(
        platform="facebook", posted_on=today, kind="video", title="市長影音", by=press
    )
    feed_capture = FeedCapture.objects.create(url="https://feeds.example/rss", requested_by=press)
    press_contact = media.add_contact(
        police, role=ContactRole.CONTACT, name="王發言", office_phone="02-2331-3561", by=press
    )
    # Removed by the administrators' requests: not the contact the other pages show.
    removable_contact = media.add_contact(
        police, role=ContactRole.BACKUP, name="李代理", office_phone="02-2331-3562", by=press
    )
    journalist = media.register_journalist(
        username="pending-reporter",
        password="correct-horse-115",
        name="吳記者",
        outlet="北市電視",
        phone="02-2345-0002",
        email="pending@news.example",
    )
    report_run = ReportRun.objects.create(
        period_start=today,
        period_end=today,
        period_label="115H1",
        format="pdf",
        status=RunStatus.DONE,
        requested_by=admin,
    )
    report_run.file.save("report.pdf", ContentFile(b"%PDF-1.7\n"))
    import_run = ImportRun.objects.create(
        type="petitions", file_name="historical.csv", requested_by=admin
    )
    saved_filter = case_services.save_filter(f"警察局常用{MARKER}", "status=open", by=person)
    adjustment = core_services.set_calendar_day(
        by=None, date=today + dt.timedelta(days=7), kind="closure", reason="颱風"
    )
    document, seal_use = _police_document(make_person, police)
    exchange = _police_exchange(document, police)
    meetings = _meeting_records(make_person, desk, police, person, agency, today)
    lockers = _locker_records(admin, document, police, agency("秘書處"), today)
    archives = _archive_records(make_person, police, today)
    return {
        **meetings,
        **lockers,
        **archives,
        **_service_records(make_person, agency),
        **_archives_use_records(make_person, police, today),
        "document_number": document.number,
        "exchange": exchange.uid,
        "document_attachment": document.attachments.get().pk,
        "seal_use": seal_use.pk,
        "person": person.pk,
        "agency_code": police.code,
        "case_number": case.number,
        "attachment": case.attachments.get().pk,
        "assignment": assignment.pk,
        "event": event.pk,
        "data_request": data_request.case.number,
        "service_case": service_case.case.number,
        "liaison_meeting": meeting.pk,
        "engagement": engagement.pk,
        "schedule_item": schedule_item.pk,
        "press_release": release.pk,
        "release_file": release_file.pk,
        "published_release": published.pk,
        "published_file": published_file.pk,
        "opinion_number": item.case.number,
        "opinion_part": opinion_part.pk,
        "press_event": press_event.pk,
        "social_post": social_post.pk,
        "feed_capture": feed_capture.pk,
        "press_contact": press_contact.pk,
        "removable_contact": removable_contact.pk,
        "journalist": journalist.pk,
        "report_run": report_run.pk,
        "import_run": import_run.pk,
        "calendar_adjustment": adjustment.pk,
        "saved_filter": saved_filter.pk,
        "reply_template": template.pk,
    }


def _service_records(make_person, agency) -> dict[str, object]:
    """A call from the desk to 警察局 (its purpose marked) and a nursing room."""
    from secretariat.service import services as service

    desk = make_person("sec-desk-matrix", "秘書處", "service_desk", "supervisor")
    dispatch = service.call_agency(by=desk, agency=agency("警察局"), purpose=f"臨櫃陳情{MARKER}")
    room = service.add_room(by=desk, name="1樓哺集乳室")
    category = service.add_category(by=desk, code="matrix", name="民政")
    visit = service.log_visit(by=desk, category=category, note=f"臨櫃{MARKER}")
    token = service.arrival_url(dispatch).rstrip("/").rsplit("/", 1)[-1]
    return {
        "dispatch": dispatch.pk,
        "nursing_room": room.pk,
        "desk_visit": visit.pk,
        "arrival_token": token,
    }


def _archives_use_records(make_person, police, today) -> dict[str, object]:
    """警察局's 檔案應用申請 (marked applicant), digitization project and 考評 (marked)."""
    from decimal import Decimal

    from secretariat.archives.models import FilingStatus, Item
    from secretariat.archives.services import use as archives_use

    archivist = make_person("police-archivist-use", OTHER, "archivist")
    reviewer = make_person("sec-archives-reviewer", "秘書處", "archivist")
    item = Item.objects.create(
        agency=police,
        title="治安會報紀錄",
        retention=999,
        filing=FilingStatus.FILED,
        file_code="114-0101-001-001-000001",
    )
    application = archives_use.apply_for_use(
        police,
        name=f"申請人{MARKER}",
        email="applicant@example.test",
        purpose="研究",
        wanted=[archives_use.Wanted(item.file_code, "read")],
        client_ip="203.0.113.20",
    )
    project = archives_use.start_project(
        police, by=archivist, year=114, title=f"數位化{MARKER}", target_items=100
    )
    inspection = archives_use.record_inspection(
        police,
        by=reviewer,
        kind="field",
        inspected_on=today,
        inspectors=f"委員{MARKER}",
        scores=[archives_use.Score("立案編目", 50, Decimal(40))],
        follow_ups=[(f"改善{MARKER}", today + dt.timedelta(days=30))],
    )
    return {
        "use_application": application.number,
        "digitization_project": project.pk,
        "archive_inspection": inspection.pk,
    }


def _police_document(make_person, police):
    """A 警察局 公文 (paper-signed: no card needed) with a 稿, an attachment and a sealed PDF."""
    from secretariat.documents import services as documents
    from secretariat.documents.models import SealKind, SealUse

    clerk = make_person("police-clerk", OTHER, "registry_clerk")
    officer = make_person("police-drafter", OTHER, "case_officer")
    officer.unit = police.units.create(name="行政科甲")
    officer.save()
    document = documents.receive_document(
        origin="electronic",
        doc_type="letter",
        subject=f"治安會報資料{MARKER}",
        sender_name="內政部警政署",
        signing_mode="paper",
        by=clerk,
    )
    documents.distribute(document, officer=officer, by=clerk)
    documents.save_draft(
        document,
        "outgoing",
        doc_type="letter",
        subject=f"函復治安會報資料{MARKER}",
        sections={"說明": f"檢送資料{MARKER}。"},
        recipients=[{"copy": "original", "name": "臺北市政府", "method": "post"}],
        by=officer,
    )
    documents.add_attachments(
        document, [SimpleUploadedFile("資料.pdf", b"%PDF-1.7\n", "application/pdf")], by=officer
    )
    use = SealUse.objects.create(
        document=document,
        agency=police,
        used_on=dt.date.today(),
        seal=SealKind.ELECTRONIC,
        impressions=1,
    )
    use.sealed_pdf.save("sealed.pdf", ContentFile(b"%PDF-1.7\n"))
    return document, use


def _locker_records(admin, document, police, secretariat, today) -> dict[str, object]:
    """A package of 警察局 for 秘書處 holding 警察局's marked document (written directly: a
    record of the fixture, not a path through the services), deposited at a bank of its own
    with an open command waiting for the controller."""
    from secretariat.documents.models import DispatchRecipient
    from secretariat.lockers import services as lockers
    from secretariat.lockers.models import Package, PackageItem

    site = lockers.create_site(name="市政大樓", by=admin)
    bank, _ = lockers.create_bank(site, code="matrix-bank", name="A 櫃組", by=admin)
    lockers.add_compartments(bank, count=2, by=admin)
    row = DispatchRecipient.objects.create(
        document=document,
        copy="original",
        agency=secretariat,
        name=secretariat.name,
        method="courier",
        dispatched_on=today,
    )
    package = Package.objects.create(
        number="1150101-9999",
        token="LKR1.matrix",
        agency=police,
        receiver=secretariat,
        bank=bank,
        packed_by=admin,
        packed_at=dt.datetime.now(dt.UTC),
    )
    PackageItem.objects.create(package=package, dispatch=row, document=document)
    command = lockers.deposit(bank, package.token)
    return {
        "locker_package": package.pk,
        "locker_bank": bank.pk,
        "locker_bank_code": bank.code,
        "locker_command": command.pk,
    }


def _police_exchange(document, police):
    """The 警察局 公文 as dispatched by 電子交換 to 臺北市政府 (through the gateway): its 發文
    record and its exchange, whose subject carries the marker."""
    from secretariat.documents.models import DispatchRecipient
    from secretariat.exchange.models import Exchange, Route, State

    today = dt.date.today()
    type(document).objects.filter(pk=document.pk).update(dispatched_on=today)
    document.refresh_from_db()
    DispatchRecipient.objects.create(
        document=document,
        copy="original",
        name="臺北市政府",
        official_code="379000000A",
        method="exchange",
        dispatched_on=today,
    )
    exchange = Exchange.objects.create(
        route=Route.GATEWAY,
        state=State.SENT,
        document=document,
        sender_agency=police,
        sender_name="臺北市政府警察局",
        subject=f"函復治安會報資料{MARKER}",
        recipient_name="臺北市政府",
        recipient_code="379000000A",
        package_name="package.zip",
    )
    exchange.package.save("package.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    return exchange


def _meeting_records(make_person, desk, police, officer, agency, today) -> dict[str, object]:
    """A series whose only members are 警察局's heads; a meeting notified with 警察局's item
    (marked, with a file); one held whose minutes are being drafted; one of an open series
    with published minutes (public, unmarked); a directive routed to 警察局 (marked)."""
    from secretariat.cases import services as case_services
    from secretariat.meetings import services as meetings

    def pdf(name: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, b"%PDF-1.7\n" + b"0" * 64, content_type="application/pdf")

    make_person("police-head", OTHER, "head")
    series = meetings.create_series(
        code="police-only",
        name="治安會報",
        chair_title="市長",
        chair_agency=agency("市長室"),
        default_place="市政大樓",
        is_open=True,
        by=desk,
    )
    meetings.add_seat(series, label="警察局長", agency=police, role="head", by=desk)
    meeting = meetings.schedule_meeting(series, held_on=today + dt.timedelta(days=3), by=desk)
    item = meetings.propose_item(
        meeting,
        kind="report",
        title=f"轄區治安報告{MARKER}",
        agency=police,
        attachments=[pdf("治安.pdf")],
        by=desk,
    )
    meetings.approve_agenda(meeting, by=desk)
    meetings.send_notice(meeting, by=desk)
    held = meetings.schedule_meeting(series, held_on=today - dt.timedelta(days=1), by=desk)
    meetings.propose_item(held, kind="report", title=f"專案報告{MARKER}", agency=police, by=desk)
    meetings.approve_agenda(held, by=desk)
    meetings.close_meeting(held, by=desk)
    public = meetings.schedule_meeting(series, held_on=today - dt.timedelta(days=2), by=desk)
    shown = meetings.propose_item(
        public,
        kind="report",
        title="公開報告",
        agency=police,
        attachments=[pdf("公開.pdf")],
        by=desk,
    )
    meetings.approve_agenda(public, by=desk)
    minutes = meetings.close_meeting(public, by=desk)
    (entry,) = minutes.entries.all()
    meetings.update_entry(entry, resolution="洽悉。", by=desk)
    meetings.send_for_review(minutes, by=desk)
    meetings.review_entry(entry, confirmed=True, by=officer)
    meetings.submit_minutes(minutes, by=desk)
    chair = make_person("mayor-office", "市長室", "supervisor")
    meetings.approve_minutes(minutes, by=chair)
    meetings.publish_minutes(minutes, by=desk)
    directive = case_services.open_case(
        "meeting_directive",
        subject=f"請警察局加強巡邏{MARKER}",
        body=f"請警察局加強巡邏{MARKER}。",
        channel="meeting",
        received_on=held.held_on,
        by=desk,
        meeting=held,
    )
    case_services.route_case(directive, police, by=desk)
    return {
        "meeting_series": series.pk,
        "meeting": meeting.pk,
        "held_meeting": held.pk,
        "meeting_attachment": item.attachments.get().pk,
        "public_meeting": public.pk,
        "public_attachment": shown.attachments.get().pk,
        "directive": directive.number,
    }


def _archive_records(make_person, police, today) -> dict[str, object]:
    """警察局's catalogue: a 案卷 with a 件 (marked), a proposed 件, and a 銷毀目錄 of an expired
    案卷 sent for 初審 (marked)."""
    from secretariat.archives import services as archives
    from secretariat.archives.models import FilingStatus, Item, Retention

    archivist = make_person("police-archivist", OTHER, "archivist")
    year = today.year - 5
    records = [
        archives.CatalogueRecord(
            agency=police,
            parts=(str(year - 1911), "0103", str(case), "1", "1"),
            folder_title=f"警察局會議紀錄{MARKER}",
            location=("B1", "1", "1", "1"),
            shelf_metres=0,
            disposal="destroy",
            catalogued_on=dt.date(year, 3, 1),
            item={
                "title": f"會議紀錄{MARKER}",
                "produced_on": dt.date(year, 3, 1),
                "retention": Retention.Y5,
            },
        )
        for case in (1, 2)
    ]
    archives.import_catalogue(records)
    item = Item.objects.filter(agency=police).order_by("pk").first()
    proposed = Item.objects.create(
        agency=police,
        title=f"待歸檔{MARKER}",
        retention=Retention.PERMANENT,
        filing=FilingStatus.PROPOSED,
        filed_on=today,
        filing_due=today,
    )
    listing = archives.build_destruction_list(
        police, by=archivist, year=today.year, folder_ids=[item.folder_id], title=f"目錄{MARKER}"
    )
    archives.ask_opinions(listing, by=archivist)
    return {
        "archive_folder": item.folder_id,
        "archive_item": item.pk,
        "archive_proposed": proposed.pk,
        "destruction_list": listing.pk,
    }


def _kwargs(route: Route, records: dict) -> dict[str, object]:
    return {
        name: value[1:] if value.startswith("=") else records[value]
        for name, value in route.kwargs.items()
    }


# --- The matrix ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Matrix:
    requests: int = 0
    statuses: Counter = dataclasses.field(default_factory=Counter)
    problems: list[str] = dataclasses.field(default_factory=list)
    allowed: set = dataclasses.field(default_factory=set)  # (url, method) someone got a 2xx

    def send(self, caller: Caller, method: str, url: str, **extra):
        response = getattr(caller.client, method)(url, **caller.headers, **extra)
        self.requests += 1
        self.statuses[response.status_code // 100] += 1
        if response.status_code >= 500:
            self.fail(caller, method, url, response, "server error")
        if 200 <= response.status_code < 300:
            self.allowed.add((url, method))
        return response

    def fail(self, caller: Caller, method: str, url: str, response, why: str) -> None:
        self.problems.append(
            f"{caller.label:<24} {method.upper():<5} {url} → {response.status_code}: {why}"
        )


# What a journalist's account may open (media.middleware): its own pages and the API's lookup.
JOURNALIST_PAGES = ("/press/", "/accounts/totp/")
JOURNALIST_API = ("/api/v1/media/contacts", "/api/v1/me")


def _to_press_home(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/press/"


def _to_sign_in(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


def check_page(matrix: Matrix, caller: Caller, route: Route, url: str) -> None:
    method = "post" if route.post_only else "get"
    response = matrix.send(caller, method, url)
    status = response.status_code
    if route.access == PUBLIC:
        if _to_sign_in(response) and not route.signs_out:
            matrix.fail(caller, method, url, response, "a public page asks to sign in")
        return
    if not caller.signed_in:
        if not _to_sign_in(response):
            matrix.fail(caller, method, url, response, "a staff page without signing in")
        return
    if caller.kind == "agency":
        refused = route.access in {SCOPED, SECRETARIAT, ADMIN}
        if refused and status not in {403, 404}:
            matrix.fail(caller, method, url, response, f"{route.access} page for another agency")
        if MARKER in _body(response):
            matrix.fail(caller, method, url, response, "another agency's record in the page")
    if caller.kind == "secretariat" and route.access == ADMIN and status not in {403, 404}:
        matrix.fail(caller, method, url, response, "an administrators' page")
    if caller.kind == "journalist":
        kept_out = not url.startswith(JOURNALIST_PAGES) and not _to_press_home(response)
        if kept_out and status not in {403, 404}:
            matrix.fail(caller, method, url, response, "a staff page for a journalist")
        if MARKER in _body(response):
            matrix.fail(caller, method, url, response, "an agency's record for a journalist")


def check_api(matrix: Matrix, caller: Caller, path: str, method: str, url: str, **extra) -> None:
    response = matrix.send(caller, method, url, **extra)
    if caller.kind == "journalist":
        if not url.startswith(JOURNALIST_API) and response.status_code != 403:
            matrix.fail(caller, method, url, response, "the staff API for a journalist")
        if MARKER in _body(response):
            matrix.fail(caller, method, url, response, "an agency's record for a journalist")
        return
    if caller.kind == "anonymous":
        if response.status_code != 401:
            matrix.fail(caller, method, url, response, "the API without credentials")
        return
    if caller.kind in {"agency", "token"}:
        if path in SCOPED_API and response.status_code != 404:
            matrix.fail(caller, method, url, response, "another agency's record")
        if MARKER in _body(response):
            matrix.fail(caller, method, url, response, "another agency's record in the answer")


@pytest.fixture
def matrix() -> Matrix:
    return Matrix()


def test_the_authorization_matrix(callers, records, matrix, record_property):
    pages, admin_site, _ = patterns_by_kind()
    for pattern in pages:
        route = ROUTES[pattern.route]
        url = reverse(pattern.name, kwargs=_kwargs(route, records))
        for caller in callers[:1] if route.signs_out else callers:
            check_page(matrix, caller, route, url)
    # The admin site lets in is_staff accounts only, which no role grants: one caller of each
    # kind is enough there (the 132 patterns × every role cost a minute on PostgreSQL).
    admin_site_callers = list({caller.kind: caller for caller in reversed(callers)}.values())
    for pattern in admin_site:
        url = _admin_url(pattern)
        for caller in admin_site_callers:
            response = matrix.send(caller, "get", url)
            if response.status_code == 200 and pattern.name not in ADMIN_SITE_PUBLIC:
                matrix.fail(caller, "get", url, response, "the admin site without is_staff")

    schema = openapi()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            url, query = path, {}
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if parameter["in"] == "path":
                    value = (
                        records[API_PATH_VALUES[name]]
                        if name in API_PATH_VALUES
                        else API_QUERY_VALUES[name]
                    )
                    url = url.replace("{" + name + "}", str(value))
                elif parameter.get("required"):
                    query[name] = API_QUERY_VALUES[name]
            for caller in callers:
                if method == "get":
                    check_api(matrix, caller, path, method, url, data=query)
                else:
                    check_api(
                        matrix, caller, path, method, url, data={}, content_type="application/json"
                    )

    # Positive control: every record-bearing page and API path works for an administrator,
    # so the refusals above are about the caller, not a broken record.
    admin = next(c for c in callers if c.label == "秘書處:system_admin")
    for pattern in pages:
        route = ROUTES[pattern.route]
        if route.kwargs and not route.post_only and route.access != PUBLIC:
            url = reverse(pattern.name, kwargs=_kwargs(route, records))
            if (url, "get") not in matrix.allowed:
                matrix.problems.append(f"positive control: no one opened {url}")
    for path in SCOPED_API:
        url = path
        for name, key in API_PATH_VALUES.items():
            url = url.replace("{" + name + "}", str(records[key]))
        response = matrix.send(admin, "get", url)
        if response.status_code != 200:
            matrix.problems.append(f"positive control: {url} → {response.status_code}")

    record_property("requests", matrix.requests)
    print(
        f"\nauthorization matrix: {matrix.requests} requests, {len(callers)} callers, "
        f"{len(pages)} pages + {len(admin_site)} admin-site patterns, "
        f"{sum(len(m) for m in schema['paths'].values())} API operations; "
        f"statuses {dict(sorted(matrix.statuses.items()))}"
    )
    assert matrix.problems == [], "\n".join(matrix.problems)


def _admin_url(pattern: Pattern) -> str:
    values = {
        "app_label": "core",
        "object_id": "1",
        "id": "1",
        "content_type_id": "1",
        "url": "nothing-here",
    }
    if pattern.name:
        return reverse(pattern.name, kwargs={k: values[k] for k in pattern.kwargs})
    return "/admin/" + values["url"]
