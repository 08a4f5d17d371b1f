"""Per-visitor limits: at most `limit` uses of a scope in a fixed window of `period` seconds.

Counted in the database (core.models.Throttle), which every server process shares and which
is there whenever a limited action is: a review or a report is written to it anyway. The cache
would be faster, but with Redis down it cannot count, and a limit that lapses in an outage is
no limit.
"""

import datetime
import time

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.clients import client_address
from core.models import Throttle


def visitor_key(request: HttpRequest) -> str:
    """A keyed hash of the visitor's address: equal for one address, unreadable, not stored raw."""
    address = client_address(request) or "unknown"
    return salted_hmac("portal.visitor", address, algorithm="sha256").hexdigest()


def allow(request: HttpRequest, scope: str, limit: int, period: int = 3600) -> bool:
    """Count one use of `scope` by this visitor; False once the limit for the window is passed."""
    window = int(time.time() // period)
    counts = Throttle.objects.filter(scope=scope, client=visitor_key(request), window=window)
    with transaction.atomic():
        if not counts.update(count=F("count") + 1):
            expires_at = timezone.now() + datetime.timedelta(seconds=2 * period)
            try:
                with transaction.atomic():
                    Throttle.objects.create(
                        scope=scope,
                        client=visitor_key(request),
                        window=window,
                        count=1,
                        expires_at=expires_at,
                    )
            except IntegrityError:  # another request of the same visitor created it first
                counts.update(count=F("count") + 1)
            else:
                Throttle.objects.filter(expires_at__lt=timezone.now()).delete()
        return counts.values_list("count", flat=True).get() <= limit
