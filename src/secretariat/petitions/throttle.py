"""Public rate limits, counted in the database so that every web worker sees the same counts
(no shared cache needed). Limits are (events, seconds) settings with defaults below."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from secretariat.core.errors import DomainError
from secretariat.petitions.models import RateLimitEvent

SUBMIT = "submit"  # petitions sent without signing in (web form, anonymous Open311), per address
WRONG_NUMBER = "wrong_number"  # wrong passwords for one case number
WRONG_ADDRESS = "wrong_address"  # wrong passwords from one address
KEEP = dt.timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    events: int
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, self.seconds // 60)


def submit_limit() -> Limit:
    return Limit(*settings.PETITION_SUBMIT_LIMIT)


def lookup_limit() -> Limit:
    return Limit(*settings.PETITION_LOOKUP_LIMIT)


class RateLimited(DomainError):
    status = 429

    def __init__(self, message: str):
        super().__init__("rate_limited", message)


def _key(value: str) -> str:
    return salted_hmac("secretariat.petitions.throttle", value).hexdigest()


def exceeded(scope: str, value: str, limit: Limit) -> bool:
    since = timezone.now() - dt.timedelta(seconds=limit.seconds)
    return (
        RateLimitEvent.objects.filter(scope=scope, key=_key(value), at__gte=since).count()
        >= limit.events
    )


def hit(scope: str, value: str) -> None:
    RateLimitEvent.objects.create(scope=scope, key=_key(value))


def purge(now: dt.datetime | None = None) -> int:
    """Drop events older than any window needs (a day)."""
    deleted, _ = RateLimitEvent.objects.filter(at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted
