"""Schemathesis over the OpenAPI schema, in process (WSGI): every operation, with examples the
schema allows and examples it forbids, as a signed-in staff member (session + CSRF) and as an
agency system account (bearer token). No response may be a server error, every response must
be one the schema documents and match its schema, and a request the schema allows may only be
refused with a documented domain error (400) — never 422, which would mean the schema and the
validation disagree."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings

from secretariat.api import api
from secretariat.core import services

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

# Examples per operation and role: the whole run stays near a minute on either database.
MAX_EXAMPLES = 25
# A schema-valid request may be accepted or refused by a documented rule — never with 422.
ACCEPTED = ["2xx", "400", "401", "403", "404", "429"]

CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
        # The stateful phase would chain operations through links the schema does not declare.
        "phases": {"stateful": {"enabled": False}},
    }
)


# Built at import (pytest-django has set Django up by then); the lazy, fixture-based loader
# does not run under pytest 9.
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1"), config=CONFIG
)
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the plain WSGI handler closes the database connection at
    the end of each request, which on PostgreSQL would end the test's transaction."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(params=["session", "token", "locker"])
def credentials(request, make_person, client) -> dict:
    """How the caller signs in: a Secretariat administrator's browser session (with its CSRF
    token, as the shell sends it), an agency system account's bearer token, or a locker
    bank's controller key (the /lockers/controller operations; 401 everywhere else)."""
    if request.param == "locker":
        from secretariat.lockers import services as lockers

        admin = make_person("sec-admin", "秘書處", "secretariat_admin")
        site = lockers.create_site(name="市政大樓", by=admin)
        bank, key = lockers.create_bank(site, code="fuzz-bank", name="A 櫃組", by=admin)
        lockers.add_compartments(bank, count=2, by=admin)
        return {"X-Locker-Key": key}
    if request.param == "session":
        client.force_login(make_person("sec-admin", "秘書處", "secretariat_admin"))
        csrf = _get_new_csrf_string()
        session = client.cookies["sessionid"].value
        return {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}
    system = make_person("udd-system", "都發局", "case_officer", is_system_account=True)
    _, key = services.issue_api_token(system, "介接測試", by=None)
    return {"Authorization": f"Bearer {key}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    # The same examples every run, so a CI failure is reproducible; FUZZ_RANDOM=1 explores.
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, credentials):
    if ("Cookie" in credentials or "X-Locker-Key" in credentials) and case.headers:
        # The generator fills in a (random) bearer token or key for another security scheme;
        # a browser or a controller sends none, and a bad one beside a good one is refused.
        case.headers.pop("Authorization", None)
        if "X-Locker-Key" in credentials:
            case.headers.pop("X-Locker-Key", None)
    case.call_and_validate(headers=credentials)
