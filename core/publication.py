"""Publication as a state: draft or published, with a time that can schedule it.

Programs, careers and certifications share these fields and rules; public pages read through
`published()`, staff preview everything through `visible_to(user)`.
"""

from datetime import datetime
from typing import Any, Self

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone

from core.fields import sane_date


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublicationQuerySet(models.QuerySet):
    def published(self) -> Self:
        """Entries the public may see: published, with a publication time already passed."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user: Any) -> Self:
        """Everything for staff (who preview drafts), the published entries for everyone else."""
        return self.all() if user.is_staff else self.published()


class Publishable(models.Model):
    Status = Status

    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published entries whose publication time has passed are public.",
    )
    published_at = models.DateTimeField(
        "publication time",
        validators=[sane_date],
        null=True,
        blank=True,
        help_text="When the entry becomes public. A future time schedules it. Required to publish.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.status == Status.PUBLISHED and self.published_at is None:
            raise ValidationError(
                {"published_at": "Set a publication time to publish (now, or a future time)."}
            )

    @property
    def public_from(self) -> datetime | None:
        """When the entry is (or becomes) public; None while it is a draft."""
        return self.published_at if self.status == Status.PUBLISHED else None

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


# Words in the public URLs beside /<section>/<slug>/ that an entry's slug must not take.
RESERVED_SLUGS = {"compare"}


def validate_public_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            "“%(value)s” is used by the site's own pages; choose another.", params={"value": value}
        )


def publication_constraint(name: str) -> models.CheckConstraint:
    """A published entry always has a publication time (the admin is not the only writer)."""
    return models.CheckConstraint(
        condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False), name=name
    )


def next_publication() -> float:
    """When the earliest scheduled entry of any publishable kind becomes public, 0 if none is:
    one query, read after the cache lost the time (a cold cache, a time just passed)."""
    now = timezone.now()
    kinds = [model for model in apps.get_models() if issubclass(model, Publishable)]
    earliest = [
        model._default_manager.filter(status=Status.PUBLISHED, published_at__gt=now)
        .order_by()
        .values("status")
        .annotate(at=Min("published_at"))
        .values("at")
        for model in kinds
    ]
    if not earliest:
        return 0
    times = [row["at"] for row in earliest[0].union(*earliest[1:], all=True)]
    times = [at for at in times if at is not None]
    return min(times).timestamp() if times else 0
