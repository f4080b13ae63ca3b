"""Rate limits (節流), counted in the database so that every web worker sees the same counts
(no shared cache needed). A limit is a number of events per window of seconds; events are
kept under a scope and a keyed hash of what they are counted for (an address, an account, a
case number), so neither addresses nor names are stored in clear. Used by the sign-in
(``core.auth``) and the public petition pages (``petitions.throttle``)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from django.utils import timezone
from django.utils.crypto import salted_hmac

from secretariat.core.errors import DomainError

KEEP = dt.timedelta(days=1)  # longer than any window
# An IPv6 client can change the low 64 bits of its address at will; a /64 is one client.
IPV6_CLIENT_PREFIX = 64


@dataclass(frozen=True)
class Limit:
    events: int
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, self.seconds // 60)


class RateLimited(DomainError):
    status = 429

    def __init__(self, message: str):
        super().__init__("rate_limited", message)


def client(address: str) -> str:
    """What an address is counted as: itself for IPv4, its /64 network for IPv6."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:198.51.100.7 is the IPv4 client
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))


def _key(value: str) -> str:
    return salted_hmac("secretariat.core.throttle", value).hexdigest()


def _events(scope: str, value: str, seconds: int):
    from secretariat.core.models import RateLimitEvent

    since = timezone.now() - dt.timedelta(seconds=seconds)
    return RateLimitEvent.objects.filter(scope=scope, key=_key(value), at__gte=since)


def count(scope: str, value: str, seconds: int) -> int:
    """Events of ``scope`` for ``value`` in the last ``seconds``."""
    return _events(scope, value, seconds).count()


def exceeded(scope: str, value: str, limit: Limit) -> bool:
    return count(scope, value, limit.seconds) >= limit.events


def hit(scope: str, value: str) -> None:
    from secretariat.core.models import RateLimitEvent

    RateLimitEvent.objects.create(scope=scope, key=_key(value))


def clear(scope: str, value: str) -> None:
    """Forget the events of ``scope`` for ``value`` (a success resets its counter)."""
    from secretariat.core.models import RateLimitEvent

    RateLimitEvent.objects.filter(scope=scope, key=_key(value)).delete()


def purge(now: dt.datetime | None = None) -> int:
    """Drop events older than any window needs (a day)."""
    from secretariat.core.models import RateLimitEvent

    deleted, _ = RateLimitEvent.objects.filter(at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted
