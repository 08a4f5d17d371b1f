"""Figures every visitor sees alike, kept in the database: the home page's counts and featured
programs, the options of the list filters.

Each is worked out once per content version, by the first page that needs it after a change,
and stored with that version (core.models.Summary); every page after reads it, all of a page's
summaries in one query, whether or not a cache runs. A change that may alter a public page
raises the version (core.cache.bump_content_version), and a summary of an older version is
never read. A summary also lapses when a scheduled entry becomes public.

A value is stored as JSON: lists, dicts, strings, numbers (a tuple comes back as a list).
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Subquery
from django.utils import timezone

from core.publication import next_publication

STATE = 1  # the primary key of the one ContentState row


def model(name: str) -> Any:
    """ContentState or Summary of core.models, by name: core.cache retires summaries, and
    importing core.models here would lead back to core.cache."""
    return apps.get_model("portal", name)


def summaries(computes: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """{key: value} for each key of `computes`: read in one query, and those missing (or of
    an older version) worked out with their function and stored."""
    now = timezone.now()
    current = model("ContentState").objects.filter(pk=STATE).values("version")[:1]
    found = dict(
        model("Summary")
        .objects.filter(key__in=list(computes), version=Subquery(current))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .values_list("key", "value")
    )
    missing = [key for key in computes if key not in found]
    if missing:
        # The version read before the content is: a change meanwhile makes these stale.
        version = current_version()
        worked_out = {key: computes[key]() for key in missing}
        store(worked_out, version, valid_until())
        found.update(worked_out)
    return found


def summary(key: str, compute: Callable[[], Any]) -> Any:
    return summaries({key: compute})[key]


def current_version() -> int:
    state = model("ContentState").objects.filter(pk=STATE).values_list("version", flat=True).first()
    if state is None:
        try:
            with transaction.atomic():
                model("ContentState").objects.create(pk=STATE)
        except IntegrityError:  # created meanwhile by another process
            pass
        return current_version()
    return state


def retire() -> None:
    """Every summary worked out again when next read: the content version raised."""
    if not model("ContentState").objects.filter(pk=STATE).update(version=F("version") + 1):
        current_version()


def valid_until() -> datetime.datetime | None:
    due = next_publication()
    return datetime.datetime.fromtimestamp(due, tz=datetime.UTC) if due else None


def store(values: dict[str, Any], version: int, until: datetime.datetime | None) -> None:
    summary_row = model("Summary")
    summary_row.objects.bulk_create(
        [
            summary_row(key=k, version=version, valid_until=until, value=v)
            for k, v in values.items()
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["version", "valid_until", "value"],
    )
