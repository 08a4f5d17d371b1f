from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateformat import format as format_date

from core.correctable import fact_choices
from core.facts import (
    Fact,
    FactKind,
    Facts,
    FactValue,
    Group,
    SourcedModel,
    format_value,
    months_before,
    period_text,
    short_date,
)
from core.fields import LineField, real_title, sane_date


class Source(models.Model):
    """A publication that figures are taken from: an article, a report, a survey."""

    title = LineField(
        max_length=300,
        validators=[real_title],
        help_text="The publication's title, as printed (its heading, if the page has no title).",
    )
    author = LineField(
        max_length=200, blank=True, help_text="Author or authors, as credited. Leave empty if none."
    )
    publisher = LineField(
        max_length=200, help_text="Who published it: a website, agency or organisation."
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of publication, if the source gives one."
    )
    url = models.URLField(
        "URL",
        max_length=500,
        blank=True,
        help_text="Public address of the source. Leave empty if it is not publicly available.",
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            # Two pages of one publisher may share a title; each page has its own address.
            models.UniqueConstraint(
                fields=["url"], condition=~models.Q(url=""), name="source_unique_url"
            ),
            models.UniqueConstraint(
                Lower("title"),
                "publisher",
                "year",
                condition=models.Q(url=""),
                name="source_unique_title_publisher_year",
            ),
        ]

    def __str__(self) -> str:
        parts = [self.title, self.publisher]
        if self.year:
            parts.append(str(self.year))
        return ", ".join(parts)


class CitationQuerySet(models.QuerySet):
    def for_record(self, record: Model) -> "CitationQuerySet":
        """The citations of one record's facts."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )


class Citation(models.Model):
    """Ties one figure of one object (a field of a program, a statistic…) to its source.

    The single provenance mechanism of the portal: any model that subclasses SourcedModel and
    declares its facts gets their citations through a generic relation.
    """

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        help_text="The kind of record whose figure this is (set for you on the record's page).",
    )
    object_id = models.PositiveBigIntegerField(
        help_text="The record's number (set for you on the record's page)."
    )
    content_object = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        "figure", max_length=60, help_text="Which figure of the record this source supports."
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="citations",
        help_text="Where the figure comes from.",
    )
    as_of = models.DateField(
        "as of",
        null=True,
        blank=True,
        validators=[sane_date],
        help_text="The date the figure describes, or the day the page was published, as the "
        "page states it: for an academic year, 1 September of its first year (2016–17 is "
        "2016-09-01); for a year alone, 1 January. Leave empty when the page states no date.",
    )
    checked_on = models.DateField(
        "checked on",
        null=True,
        validators=[sane_date],
        help_text="The day someone last read the page and found the figure there.",
    )
    note = LineField(
        max_length=300,
        blank=True,
        help_text="Optional context shown with the source, for example whom the source "
        "itself attributes the figure to.",
    )
    confirmed_on = models.DateField(
        "confirmed by the institution on",
        null=True,
        blank=True,
        validators=[sane_date],
        help_text="Set when editors accept the figure from the institution's own representative "
        "(a correction sent through its signed link); shown to readers.",
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"], name="citation_one_per_figure"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.field}: {self.source}"

    @property
    def dated(self) -> str:
        """What the figure's date is, for readers: "as of 2016–17", or "date not stated"."""
        return f"as of {period_text(self.as_of)}" if self.as_of else "date not stated"

    @property
    def checked(self) -> str:
        return f"checked on {short_date(self.checked_on)}" if self.checked_on else ""

    def age_label(self, today: date | None = None, months: int | None = None) -> str:
        """A short warning beside the figure where it may no longer hold: what it describes
        (or, for a page that states no date, the day it was last checked) lies more than
        `months` (settings.STALE_AFTER_MONTHS) before today. Empty for a recent figure."""
        today = today or timezone.localdate()
        months = settings.STALE_AFTER_MONTHS if months is None else months
        known = self.as_of or self.checked_on
        if known is None:
            return "date unknown; may have changed"
        if known >= months_before(today, months):
            return ""
        if self.as_of:
            return f"{period_text(self.as_of)} figure; may have changed"
        checked = format_date(self.checked_on, "M Y") if self.checked_on else "on an unknown day"
        return f"date not stated, checked {checked}; may have changed"

    def clean(self) -> None:
        model = self.content_type.model_class() if self.content_type_id else None
        if (
            model is not None
            and issubclass(model, SourcedModel)
            and self.field not in model.sourced_fields
        ):
            raise ValidationError(
                {"field": f"“{self.field}” is not a sourced fact of {model._meta.verbose_name}."}
            )


def cite(
    record: Model,
    names: Iterable[str],
    source: "Source",
    as_of: date | None,
    note: str = "",
    checked_on: date | None = None,
) -> None:
    """Cite `source` (as of `as_of`, None when it states no date; read on `checked_on`, today
    unless given) for the facts `names` of `record`, replacing earlier citations."""
    content_type = ContentType.objects.get_for_model(record)
    checked_on = checked_on or timezone.localdate()
    for name in names:
        Citation.objects.update_or_create(
            content_type=content_type,
            object_id=record.pk,
            field=name,
            # A new citation is the editors' own until an institution confirms it again.
            defaults={
                "source": source,
                "as_of": as_of,
                "note": note,
                "checked_on": checked_on,
                "confirmed_on": None,
            },
        )


def prefetch_citations() -> models.Prefetch:
    """Prefetch a sourced model's citations with their sources, in one query."""
    return models.Prefetch("citations", queryset=Citation.objects.select_related("source"))


class StatisticQuerySet(models.QuerySet):
    def for_home(self) -> "StatisticQuerySet":
        """Headline figures for the home page, with their sources in one extra query."""
        return self.filter(on_home_page=True).prefetch_related(prefetch_citations())


class Statistic(SourcedModel):
    """A site-wide figure about the field, such as a market size or a completion rate."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "percent"
        USD = "usd", "US dollars"
        USD_BILLION = "usd_billion", "billion US dollars"
        RATING = "rating", "rating out of 5"
        MONTHS = "months", "months"
        YEARS = "years", "years"
        GPA = "gpa", "GPA on a 4.0 scale"

    label = LineField(
        max_length=200,
        help_text="What the figure measures, in plain words, for example “Completion rate, "
        "online and hybrid students”.",
    )
    slug = models.SlugField(max_length=80, unique=True, help_text="Identifier used in the code.")
    value = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="The figure, or the low end of a range."
    )
    value_high = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The high end, if the source gives a range. Leave empty for a single figure.",
    )
    unit = models.CharField(max_length=20, choices=Unit.choices, help_text="Unit of the figure.")
    context = LineField(
        max_length=300,
        blank=True,
        help_text="One sentence that says what the figure refers to (year, population).",
    )
    on_home_page = models.BooleanField(
        default=False, help_text="Show this figure among the headline figures on the home page."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order on the home page: lower numbers come first."
    )
    citations = GenericRelation(Citation)

    facts = Facts(Group("The figure", "figure", (Fact("value", FactKind.COUNT, label="Figure"),)))
    UNIT_KINDS = {
        Unit.PERCENT: FactKind.PERCENT,
        Unit.USD: FactKind.MONEY,
        Unit.USD_BILLION: FactKind.MONEY_BILLIONS,
        Unit.RATING: FactKind.RATING,
        Unit.MONTHS: FactKind.MONTHS,
        Unit.YEARS: FactKind.YEARS,
        Unit.GPA: FactKind.GPA,
    }

    objects = StatisticQuerySet.as_manager()

    class Meta:
        ordering = ["position", "label"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value_high__isnull=True)
                | models.Q(value_high__gte=models.F("value")),
                name="statistic_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def headline(self) -> FactValue:
        return self.fact("value")

    def format_number(self, fact: Fact, value: Any) -> str:
        """In the statistic's own unit, as a range where the source gives one."""
        return format_value(
            value, self.UNIT_KINDS[self.Unit(self.unit)], "USD", high=self.value_high
        )


class Throttle(models.Model):
    """How many times one visitor did one thing in one window (core.ratelimit).

    Kept in the database, not the cache, so that the limits hold when Redis is down and are
    shared by every server process. The visitor is a keyed hash of their address: no address
    is stored.
    """

    scope = models.CharField(max_length=100, help_text="What was done, e.g. “review”.")
    client = models.CharField(max_length=64, help_text="Keyed hash of the visitor's address.")
    window = models.PositiveBigIntegerField(help_text="Number of the time window.")
    count = models.PositiveIntegerField(default=0, help_text="Uses in the window.")
    expires_at = models.DateTimeField(db_index=True, help_text="When the count can be dropped.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "client", "window"], name="throttle_one_count_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.count}"

    def affects_public_pages(self) -> bool:
        return False


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now: datetime) -> "OutgoingEmailQuerySet":
        """Messages to try now: unsent, not given up on, their next attempt time reached."""
        return self.filter(sent_at__isnull=True, failed=False, next_attempt_at__lte=now)


class OutgoingEmail(models.Model):
    """An e-mail waiting to be sent, or sent: the queue of core.mail.

    A message is written here in the same transaction as what it is about (a review) and
    sent by `manage.py send_queued_email`, outside any request, until it goes or is given up
    on. So a mail server that is down, or slow, loses nothing and holds no visitor.
    """

    to = models.EmailField(help_text="The one recipient.")
    subject = models.CharField(max_length=300, blank=True, help_text="Subject line.")
    body = models.TextField(blank=True, help_text="Plain-text body.")
    composer = models.CharField(
        max_length=60,
        blank=True,
        help_text="For a message written when it is sent (core.mail.register_composer): the "
        "composer's name. Empty once written.",
    )
    context = models.JSONField(
        default=dict, blank=True, help_text="What the composer is given besides the address."
    )
    headers = models.JSONField(
        default=dict,
        blank=True,
        help_text="Headers sent with it, such as List-Unsubscribe for a one-click stop.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was queued.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Tries so far.")
    next_attempt_at = models.DateTimeField(help_text="Not tried again before this time.")
    last_error = models.CharField(
        max_length=500, blank=True, help_text="Why the last try failed, if it did."
    )
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When it was sent.")
    failed = models.BooleanField(
        default=False, help_text="Given up on after too many failed tries."
    )

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "outgoing e-mail"
        indexes = [models.Index(fields=["sent_at", "failed", "next_attempt_at"], name="mail_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    def affects_public_pages(self) -> bool:
        return False


class ImportRecord(models.Model):
    """A confirmed import: its revision (core.history) holds every row it wrote, so that it can
    be undone as a whole and what it brought can be published at once."""

    revision = models.OneToOneField(
        "reversion.Revision",
        on_delete=models.CASCADE,
        related_name="import_record",
        help_text="Every row the import wrote, as it wrote it (core.history).",
    )
    file_name = models.CharField(max_length=200, help_text="The file imported.")
    undone_at = models.DateTimeField(null=True, blank=True, help_text="When it was undone.")
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who undid it.",
    )

    class Meta:
        ordering = ["-revision__date_created", "-pk"]
        verbose_name = "import"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.revision.date_created:%Y-%m-%d %H:%M})"

    def affects_public_pages(self) -> bool:
        return False


class CorrectionQuerySet(models.QuerySet):
    def pending(self) -> "CorrectionQuerySet":
        return self.filter(status=Correction.Status.PENDING)


class Correction(models.Model):
    """A reader's or an institution's suggestion that a fact of a public page is wrong: which
    fact, the value they believe right, and the page that says so. Never public; an editor
    accepts it (the value and a citation of that page are written, core.corrections) or
    rejects it with a reason, and a suggester who left an address is told."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an editor"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    class Relationship(models.TextChoices):
        STUDENT = "student", "A student or graduate of the program"
        STAFF = "staff", "Staff of the institution"
        OTHER = "other", "Other"

    class RejectionReason(models.TextChoices):
        SOURCE_DOES_NOT_SAY = "source", "The page given does not say so"
        NOT_OFFICIAL = "not_official", "The page is not the institution's or issuer's own"
        ALREADY_RIGHT = "already_right", "The portal already shows it, or something newer"
        UNCLEAR = "unclear", "We could not tell which fact or value was meant"
        SPAM = "spam", "Advertising or spam"

    VALUE_MAX = 300

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, help_text="The kind of entry corrected."
    )
    object_id = models.PositiveBigIntegerField(help_text="The entry's number.")
    entry = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        "fact", max_length=60, blank=True, help_text="Which fact; empty for “something else”."
    )
    value = models.TextField(
        "suggested value", help_text="What the suggester believes is right, as they typed it."
    )
    source_url = models.URLField(
        "page that says so", max_length=500, help_text="Open it before deciding."
    )
    email = models.EmailField(
        blank=True, help_text="Only to tell the suggester the outcome. Never shown."
    )
    confirmed_by = models.EmailField(
        "sent by the institution",
        blank=True,
        help_text="For a change proposed by the institution's representative (their address, "
        "on its own domain, proven by a signed link); empty for a reader's suggestion.",
    )
    batch = models.CharField(
        "proposal",
        max_length=32,
        blank=True,
        db_index=True,
        help_text="The changes proposed together, to review as one.",
    )
    relationship = models.CharField(
        "how they know",
        max_length=10,
        choices=Relationship.choices,
        blank=True,
        help_text="As the suggester said; empty if they preferred not to.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
        help_text="Suggestions are never public, whatever their status.",
    )
    rejection_reason = models.CharField(
        max_length=20, choices=RejectionReason.choices, blank=True, help_text="Required to reject."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The editor who decided.",
    )
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When it was decided.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was sent.")

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="correction_rejection_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fact_label} of {self.entry or '(deleted entry)'}"

    def save(self, *args, **kwargs) -> None:
        from core.text import without_bidi_controls

        self.value = without_bidi_controls(self.value)
        self.source_url = without_bidi_controls(self.source_url)
        super().save(*args, **kwargs)

    def affects_public_pages(self) -> bool:
        return False

    @property
    def fact_label(self) -> str:
        model = self.content_type.model_class()
        return dict(fact_choices(model)).get(self.field, "Something else") if model else "fact"


class ContentState(models.Model):
    """One row: the content's version in the database, raised by every change that may alter
    a public page (core.cache.bump_content_version), so that summaries of the content
    (core.summaries) are worked out again, with or without the cache."""

    version = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"content version {self.version}"


class Summary(models.Model):
    """A figure every visitor sees alike, worked out from the content of one version (a count
    on the home page, a list filter's options): read by its key, in one query with the rest
    of a page's (core.summaries)."""

    key = models.CharField(max_length=200, primary_key=True)
    version = models.PositiveBigIntegerField(help_text="The content version it was worked out at.")
    valid_until = models.DateTimeField(
        null=True, help_text="When a scheduled entry becomes public and changes it; empty: never."
    )
    value = models.JSONField()

    class Meta:
        verbose_name_plural = "summaries"

    def __str__(self) -> str:
        return self.key
