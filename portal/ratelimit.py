"""Per-address limits through Django's cache: a fixed window of `period` seconds.

Works across server processes once the cache is shared (Redis); with the local-memory cache
each process counts on its own.
"""

import time

from django.core.cache import cache


def client_address(request):
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request, scope, limit, period=3600):
    """Count one use of `scope` by this address; False once the limit for the window is passed."""
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, period)
        count = 1
    return count <= limit


def first_time(request, scope, period=24 * 3600):
    """True the first time this address does `scope` within `period` (e.g. reports a review)."""
    return cache.add(f"once:{scope}:{client_address(request)}", True, period)
