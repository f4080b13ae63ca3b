"""The council's fixtures (staff, term, councillors): the schedule is mailed to councillors."""

from tests.council.conftest import council_session, councillors, staff, term  # noqa: F401
