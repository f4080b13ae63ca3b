"""Shared fixtures: the agency registry, people with roles, a signed-in client."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 costs ~0.15 s per password and the suite creates a thousand people: tests hash
    with MD5 unless marked ``production_hashing`` (the test that checks the real setting)."""
    if request.node.get_closest_marker("production_hashing") is None:
        settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings, tmp_path_factory):
    """Checkpoints anchor the audit chain outside the database, so they would outlive a test's
    rollback and contradict the next test's chain: each test writes its own file."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path_factory.getbasetemp() / f"audit-{uuid.uuid4()}.jsonl"


@pytest.fixture(scope="session", autouse=True)
def _search_index_of_this_run():
    """The test run's own tantivy index (never the data directory's), on tmpfs where there is
    one: a commit there costs a few milliseconds instead of an fsync."""
    from django.conf import settings

    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as path:
        settings.SEARCH_INDEX_DIR = Path(path)
        yield


@pytest.fixture(autouse=True)
def _search_index_rolls_back_with_the_test():
    """A test's database changes roll back; what it put in tantivy's index is emptied."""
    yield
    from secretariat.search import tantivy_index

    tantivy_index.clear_if_written()


@pytest.fixture(params=["tantivy", "database"])
def search_backend(request, settings) -> str:
    """Each search engine available on the database in use: tantivy, and the database's own
    (SQLite FTS5 or the PostgreSQL tsvector)."""
    settings.SEARCH_BACKEND = request.param
    return request.param


def _load_registry() -> None:
    from secretariat.core.models import Role
    from secretariat.core.registry import load_registry
    from secretariat.core.roles import ensure_roles

    ensure_roles(Role)
    load_registry()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the real agency registry and the roles loaded once, as in
    production, instead of in every test (about 0.3 s a test on SQLite, more on PostgreSQL;
    each test's changes still roll back). A browser test's flush empties them; ``registry`` loads them again after it."""
    with django_db_blocker.unblock():
        _load_registry()


@pytest.fixture
def registry(db):
    """The real agency registry and the roles (loaded with the test database; loaded again
    after a browser test's database flush)."""
    from secretariat.core.models import Agency, Role

    if not (Agency.objects.exists() and Role.objects.exists()):
        _load_registry()


@pytest.fixture
def agency(registry):
    """Look an agency up by any of its names: agency("都發局")."""
    from secretariat.core.registry import agency_by_name

    def find(name: str):
        found = agency_by_name(name)
        assert found is not None, name
        return found

    return find


@pytest.fixture
def make_person(agency):
    """make_person("udd-officer", "都發局", "case_officer") → a User with that role."""
    from secretariat.core import services

    def make(
        username: str,
        agency_name: str = "秘書處",
        *roles: str,
        password: str = "correct-horse-115",
        **extra,
    ):
        return services.create_person(
            by=None,
            username=username,
            password=password,
            agency=agency(agency_name) if agency_name else None,
            display_name=extra.pop("display_name", username),
            roles=roles,
            **extra,
        )

    return make


@pytest.fixture
def admin(make_person):
    return make_person("admin", "秘書處", "system_admin")


@pytest.fixture
def immediate_jobs(settings):
    """Jobs run as soon as they are queued (the immediate backend): with
    ``django_capture_on_commit_callbacks(execute=True)`` what services queue on commit runs
    when the block ends, inside the test's own transaction."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }
