"""Caching of what is read often and changes rarely, and a Redis cache that fails soft.

Every cached entry's key carries the content version. Any save or delete of a content model
(an editor's change, a moderation decision, a new review) bumps the version in the shared cache,
so every server process stops using the old entries at once; they then simply expire.

An entry scheduled for later changes the pages without any save: the cache also holds when the
next scheduled entry becomes public, and the first read after that moment bumps the version.
So a scheduled entry appears at the second it was set for, on cached pages too.
"""

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.redis import RedisCache
from django.db.models import Model
from django.db.models.signals import m2m_changed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from redis.exceptions import RedisError

from core import summaries
from core.publication import next_publication

logger = logging.getLogger(__name__)
T = TypeVar("T")
V = TypeVar("V", bound=Callable)

VERSION_KEY = "content-version"
# When the next scheduled entry becomes public (a POSIX time), 0 when none is scheduled.
NEXT_KEY = "next-publication"
# After Redis fails, skip it for this long instead of waiting on every request.
RETRY_AFTER_SECONDS = 5.0


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, but an unreachable Redis is a cache miss, not a server error."""

    _down_until = 0.0

    def _guard(self, method, default, *args, **kwargs):
        if time.monotonic() < ResilientRedisCache._down_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (RedisError, OSError) as error:
            ResilientRedisCache._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Cache unavailable (%s); serving without it.", error)
            return default

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._guard("get", default, key, default, version)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        return self._guard("get_many", {}, keys, version)

    def set(
        self, key: str, value: Any, timeout: float | None = None, version: int | None = None
    ) -> None:
        return self._guard("set", None, key, value, timeout, version)

    def add(
        self, key: str, value: Any, timeout: float | None = None, version: int | None = None
    ) -> bool:
        return self._guard("add", False, key, value, timeout, version)

    def set_many(
        self, data: dict[str, Any], timeout: float | None = None, version: int | None = None
    ) -> list[str]:
        return self._guard("set_many", list(data), data, timeout, version)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._guard("delete", False, key, version)

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        return self._guard("delete_many", None, keys, version)

    def touch(self, key: str, timeout: float | None = None, version: int | None = None) -> bool:
        return self._guard("touch", False, key, timeout, version)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._guard("has_key", False, key, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        # Without the cache nothing can be counted: report the first use.
        return self._guard("incr", delta, key, delta, version)

    def clear(self) -> None:
        self._guard("clear", None)


def content_version() -> int | None:
    """The current content version, or None when the cache cannot tell (do not cache then)."""
    return current_version(cache.get_many([VERSION_KEY, NEXT_KEY]))


def current_version(found: dict[str, Any]) -> int | None:
    """The content version, from `found` (what the cache holds under VERSION_KEY and
    NEXT_KEY): bumped first if a scheduled entry has become public since. None when the cache
    cannot tell."""
    if isinstance(caches["default"], DummyCache):  # DJANGO_CACHE=none: nothing is cached
        return None
    version, due = found.get(VERSION_KEY), found.get(NEXT_KEY)
    if version is None:
        version = 1 if cache.add(VERSION_KEY, 1, timeout=None) else cache.get(VERSION_KEY)
    if version is None:  # no cache: nothing is cached, so nothing needs retiring
        return None
    if due is None:
        cache.set(NEXT_KEY, next_publication(), timeout=None)
    elif due and due <= time.time():
        cache.delete(NEXT_KEY)  # so that the bump works out the next one to come
        bump_content_version()
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version(instance: Model | None = None, **kwargs: Any) -> None:
    """Make every cached page part stale, in every process (a signal receiver).

    A row may say that a save changed nothing public (a new review awaiting moderation), so
    that a stream of submissions does not empty the cache for every reader.
    """
    affects = getattr(instance, "affects_public_pages", None)
    if kwargs.get("signal") is not m2m_changed and callable(affects) and not affects():
        return
    summaries.retire()  # kept in the database, so retired whether or not a cache runs
    if not cache.add(VERSION_KEY, 1, timeout=None):
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, timeout=None)
    # When the next scheduled entry is due, worked out by the writer rather than by the next
    # reader; a save that schedules an entry brings that time forward.
    due = cache.get(NEXT_KEY)
    if due is None:
        cache.set(NEXT_KEY, next_publication(), timeout=None)
        return
    scheduled = getattr(instance, "public_from", None)
    if (
        scheduled is not None
        and time.time() < scheduled.timestamp()
        and (due == 0 or scheduled.timestamp() < due)
    ):
        cache.set(NEXT_KEY, scheduled.timestamp(), timeout=None)


def cached(key: str, compute: Callable[[], T], timeout: float | None = None) -> T:
    """`compute()` through the cache under `key` and the content version."""
    version = content_version()
    if version is None:
        return compute()
    full_key = f"v{version}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def public_or_preview(request: HttpRequest, model: Any, slug: str) -> Any:
    """The page's entry: cached for the public, read fresh for staff (who may see drafts)."""
    if request.user.is_staff:
        return get_object_or_404(model.objects.visible_to(request.user).for_detail(), slug=slug)
    entry = cached(
        f"detail:{model._meta.label}:{slug[:200]}",
        lambda: model.objects.published().for_detail().filter(slug=slug).first(),
    )
    if entry is None:
        raise Http404(f"No {model._meta.verbose_name} here.")
    return entry


PAGE_TIMEOUT = 300


def cached_page(key: str) -> tuple[tuple[str, ...], bytes | None] | None:
    """(the session keys the page read, the page or None) stored under `key` for the current
    content version, or None.

    A page is stored with the version it was rendered at, so one round trip fetches both the
    current version and the page (the busiest path of the site).
    """
    found = cache.get_many([VERSION_KEY, NEXT_KEY, key])
    version, entry = current_version(found), found.get(key)
    # An entry of another shape was stored by an earlier release: a miss.
    if entry is None or version is None or len(entry) != 3 or entry[0] != version:
        return None
    return entry[1], entry[2]


def page_variant(key: str, reads: Iterable[str], values: Iterable[Any]) -> str:
    """The key of a page rendered for a session holding `values` for the keys `reads`."""
    described = json.dumps(list(zip(reads, values, strict=True)), default=str, sort_keys=True)
    return f"{key}:{hashlib.sha256(described.encode()).hexdigest()[:32]}"


def store_page(key: str, reads: Iterable[str], page: Any) -> None:
    """Store `page` (None: only which session keys it reads) under `key`, if admitted."""
    version = content_version()
    if version is not None and admit_page(version):
        cache.set(key, (version, tuple(reads), page), PAGE_TIMEOUT)


def admit_page(version: int) -> bool:
    """Whether one more page may be stored now: at most settings.PAGE_CACHE_MAX_NEW new pages
    per content version and per PAGE_TIMEOUT seconds, so that addresses nobody asks twice
    (every distinct search, every number typed in a filter) cannot fill the cache. Pages
    live PAGE_TIMEOUT seconds, so at most twice that many are stored at any time."""
    counter = f"page-count:v{version}:{int(time.time() // PAGE_TIMEOUT)}"
    cache.add(counter, 0, PAGE_TIMEOUT * 2)
    try:
        return cache.incr(counter) <= settings.PAGE_CACHE_MAX_NEW
    except ValueError:  # the counter was evicted meanwhile: count from here
        return False


def whole_page(params: Iterable[str] | Callable[..., Iterable[str]] = ()) -> Callable[[V], V]:
    """Mark a view whose page may be served whole from the cache (portal.middleware).

    `params` names every query parameter the page reads: the page is stored once per
    combination of those, and other parameters are dropped. It may be a callable, given the
    view's URL arguments, for a view that serves several kinds.
    """

    def mark(view):
        view.page_cache_params = params if callable(params) else frozenset(params)
        return view

    return mark


def page_cache_params(view: Callable, view_kwargs: dict[str, Any]) -> set[str] | None:
    """The query parameters `view` reads, or None if its page is never cached whole."""
    params = getattr(view, "page_cache_params", None)
    return set(params(**view_kwargs)) if callable(params) else params
