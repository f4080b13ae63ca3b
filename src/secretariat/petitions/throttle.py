"""The public pages' rate limits: anonymous submissions per address, wrong status passwords
per case number and per address, status passwords checked per address. Counting lives in ``core.throttle``; limits are
(events, seconds) settings."""

from __future__ import annotations

from django.conf import settings

from secretariat.core.throttle import Limit, RateLimited, exceeded, hit  # noqa: F401

SUBMIT = "submit"  # petitions sent without signing in (web form, anonymous Open311), per address
WRONG_NUMBER = "wrong_number"  # wrong passwords for one case number
WRONG_ADDRESS = "wrong_address"  # wrong passwords from one address
CHECK = "check"  # passwords checked (each one a hash), right or wrong, from one address


def submit_limit() -> Limit:
    return Limit(*settings.PETITION_SUBMIT_LIMIT)


def lookup_limit() -> Limit:
    return Limit(*settings.PETITION_LOOKUP_LIMIT)


def check_limit() -> Limit:
    return Limit(*settings.PETITION_CHECK_LIMIT)
