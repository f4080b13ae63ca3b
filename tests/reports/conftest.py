"""The council fixtures (term, session, councillors, staff) serve the report tests too."""

from tests.council.conftest import council_session, councillors, staff, term  # noqa: F401
