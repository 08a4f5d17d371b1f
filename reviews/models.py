"""Alumni reviews, their moderation and readers' reports.

A review is invisible until a moderator approves it; every decision goes through
`Review.moderate()`, which records who, when and why. Readers' reports are always stored, and
reports from enough different readers send an approved review back to the moderators.
"""

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core.text import without_bidi_controls
from programs.models import Program

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
# The optional ratings beside the overall one.
SUB_RATINGS = (
    "rating_curriculum",
    "rating_workload",
    "rating_faculty",
    "rating_career",
    "rating_value",
    "rating_flexibility",
)
# Everything a reviewer writes, shown on the site and in the admin.
VISITOR_TEXT = (
    "title",
    "body",
    "pros",
    "cons",
    "role_before",
    "role_after",
    "display_name",
    "relationship_details",
)
REASON_REQUIRED = "Choose a reason to reject a review."


def rating_field(verbose_name: str, required: bool = False) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=not required,
        blank=not required,
        validators=RATING_VALIDATORS,
        help_text="1 (poor) to 5 (excellent)." + ("" if required else " Optional."),
    )


def new_confirmation_key() -> str:
    return secrets.token_urlsafe(24)


def fingerprint(text: str) -> str:
    """The same words in the same order, whatever the case and spacing."""
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


class ReviewQuerySet(models.QuerySet):
    def approved(self) -> "ReviewQuerySet":
        """Reviews a moderator approved, wherever they are."""
        return self.filter(status=Review.Status.APPROVED)

    def public(self) -> "ReviewQuerySet":
        """Reviews the public may see: approved, on a published program. Every page, count
        and list the public reads goes through this."""
        return self.approved().on_published_programs()

    def on_published_programs(self) -> "ReviewQuerySet":
        return self.filter(program__in=Program.objects.published())

    def awaiting_confirmation(self, email: str) -> "ReviewQuerySet":
        """The latest few reviews sent with `email` whose address is not yet confirmed."""
        return (
            self.filter(email__iexact=email, email_confirmed_at__isnull=True)
            .exclude(status=Review.Status.REJECTED)
            .select_related("program__institution")
            .order_by("-created_at")[:5]
        )

    def for_display(self) -> "ReviewQuerySet":
        """The public reviews, newest decision first, each with the program's reply (if any)."""
        return self.public().select_related("reply").order_by("-moderated_at", "-pk")

    def rating_summary(self) -> dict[str, Any]:
        """Number of approved reviews and their average overall rating, in one query.

        Read for one program, to store on it (Program.update_review_summary). The stored
        figures are shown only where the program itself is public, and then they are its
        public reviews; counting approved ones keeps them right for a program scheduled to
        appear later, which no save announces.
        """
        return self.approved().aggregate(count=models.Count("pk"), average=models.Avg("rating"))

    def page(self, number: int | str, per_page: int, count: int) -> Page:
        """A page of `for_display()`, in one query: the number of pages comes from `count`
        (a program's stored review_count). Raises InvalidPage for a page that does not exist."""
        paginator = Paginator(self.none(), per_page)
        paginator.count = count
        page = paginator.page(number)
        start = (page.number - 1) * per_page
        page.object_list = list(self.for_display()[start : start + per_page])
        return page


class ReviewStatus(models.TextChoices):
    # Outside Review so that Review.Meta's constraints can name it.
    PENDING = "pending", "Waiting for moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Review(models.Model):
    """An alumnus's or student's review; invisible until a moderator approves it."""

    Status = ReviewStatus

    class RejectionReason(models.TextChoices):
        # Conduct, never opinion: a negative review that breaks no rule is approved.
        OFF_TOPIC = "off_topic", "Off-topic: not about this program"
        PERSONAL_INFORMATION = "personal_information", "Contains personal information"
        ABUSIVE = "abusive", "Abusive, hateful or threatening"
        ADVERTISING = "advertising", "Advertising or spam"
        NOT_FIRST_HAND = "not_first_hand", "Not a first-hand experience"
        CONFLICT_OF_INTEREST = "conflict_of_interest", "Undisclosed conflict of interest"

    class Relationship(models.TextChoices):
        NONE = "none", "None: nobody asked or paid me to write this"
        INCENTIVE = "incentive", "I received something for writing it (a gift, discount, entry)"
        EMPLOYEE = "employee", "I work or worked for the institution"
        OTHER = "other", "Another relationship with the institution (explain below)"

    TITLE_MAX = 120
    BODY_MIN = 80
    BODY_MAX = 4000
    NOTE_MAX = 1000

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="reviews",
        help_text="The program reviewed.",
    )
    rating = rating_field("overall rating", required=True)
    rating_curriculum = rating_field("relevance of the curriculum")
    rating_workload = rating_field("workload while working")
    rating_faculty = rating_field("faculty")
    rating_career = rating_field("career impact")
    rating_value = rating_field("value for money")
    rating_flexibility = rating_field("flexibility for shift work")
    title = models.CharField(max_length=TITLE_MAX, help_text="The reviewer's headline.")
    body = models.TextField(
        "review",
        validators=[MinLengthValidator(BODY_MIN), MaxLengthValidator(BODY_MAX)],
        help_text=f"The review itself, {BODY_MIN} to {BODY_MAX} characters.",
    )
    pros = models.TextField(
        blank=True, validators=[MaxLengthValidator(NOTE_MAX)], help_text="Optional."
    )
    cons = models.TextField(
        blank=True, validators=[MaxLengthValidator(NOTE_MAX)], help_text="Optional."
    )
    graduation_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
        help_text="Year the reviewer graduated; empty for a current student.",
    )
    is_current_student = models.BooleanField(
        "current student", default=False, help_text="The reviewer is still studying."
    )
    role_before = models.CharField(
        "role before", max_length=120, blank=True, help_text="Job before the program. Optional."
    )
    role_after = models.CharField(
        "role after", max_length=120, blank=True, help_text="Job after the program. Optional."
    )
    would_recommend = models.BooleanField(
        help_text="Whether the reviewer would recommend the program."
    )
    display_name = models.CharField(
        max_length=60, help_text="The name shown with the review; it need not be a full name."
    )
    email = models.EmailField(
        help_text="Used only to confirm the review; never shown to the public."
    )
    relationship = models.CharField(
        "incentive or relationship",
        max_length=12,
        choices=Relationship.choices,
        help_text="Any incentive received or relationship to the institution; shown with "
        "the review.",
    )
    relationship_details = models.CharField(
        "details of the relationship",
        max_length=300,
        blank=True,
        help_text="Shown with the review when there is an incentive or relationship.",
    )
    text_fingerprint = models.CharField(
        max_length=64, editable=False, help_text="Detects the same text sent twice."
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
        help_text="Only approved reviews are public.",
    )
    rejection_reason = models.CharField(
        max_length=25,
        choices=RejectionReason.choices,
        blank=True,
        help_text="Required to reject. Judge conduct, not opinion.",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The moderator who made the last decision.",
    )
    moderated_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last decision was made."
    )
    email_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the reviewer confirmed the address by the link."
    )
    confirmation_key = models.CharField(
        max_length=32,
        unique=True,
        default=new_confirmation_key,
        editable=False,
        help_text="Random; the confirmation link refers to the review by it.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was submitted.")

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("moderate_review", "Can approve or reject reviews")]
        indexes = [
            models.Index(fields=["program", "status", "-moderated_at"], name="review_display"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"review_{name}_1_to_5",
                )
                for name in SUB_RATINGS
            ],
            # The database's copy of the rule in Review.require_reason().
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.REJECTED) | ~Q(rejection_reason=""),
                name="review_rejection_has_reason",
            ),
            models.UniqueConstraint(
                fields=["program", "text_fingerprint"], name="review_unique_text_per_program"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        for name in VISITOR_TEXT:
            setattr(self, name, without_bidi_controls(getattr(self, name)))
        self.text_fingerprint = fingerprint(self.body)
        super().save(*args, **kwargs)
        self.program.update_review_summary()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        self.program.update_review_summary()
        return result

    def affects_public_pages(self) -> bool:
        """Whether saving this review may change a public page (core.cache).

        A review never decided on is invisible; once a moderator has decided (even if reports
        later sent it back to the queue), its saves can add it to or take it off the pages.
        """
        return self.status != self.Status.PENDING or self.moderated_at is not None

    def clean(self) -> None:
        if self.is_current_student and self.graduation_year:
            raise ValidationError(
                {"graduation_year": "Leave the year empty if you are still studying."}
            )
        if not self.is_current_student and not self.graduation_year:
            raise ValidationError(
                {"graduation_year": "Give your graduation year, or tick “current student”."}
            )
        disclosed = {
            self.Relationship.INCENTIVE,
            self.Relationship.EMPLOYEE,
            self.Relationship.OTHER,
        }
        if self.relationship in disclosed and not self.relationship_details.strip():
            raise ValidationError(
                {"relationship_details": "Say briefly what the incentive or relationship is."}
            )

    @classmethod
    def rejections_by_reason(cls) -> list[tuple[str, int]]:
        """(reason label, number of reviews rejected for it) for every reason, in one query."""
        counts = dict(
            cls.objects.on_published_programs()
            .filter(status=cls.Status.REJECTED)
            .values_list("rejection_reason")
            .annotate(n=models.Count("pk"))
        )
        return [(label, counts.get(value, 0)) for value, label in cls.RejectionReason.choices]

    def sub_ratings(self) -> list[tuple[str, int]]:
        """(label, rating) for each optional rating given."""
        fields: dict[str, Any] = {name: self._meta.get_field(name) for name in SUB_RATINGS}
        return [
            (str(fields[name].verbose_name), getattr(self, name))
            for name in SUB_RATINGS
            if getattr(self, name)
        ]

    @classmethod
    def require_reason(cls, status: str, reason: str) -> None:
        """A rejection needs a reason: the rule every way of deciding goes through."""
        if status == cls.Status.REJECTED and not reason:
            raise ValidationError({"rejection_reason": REASON_REQUIRED})

    def would_decide(self, status: str, reason: str = "") -> bool:
        """Whether `moderate(status, …, reason)` would decide anything: a new status or
        reason, or approving again a review with open reports (which answers them)."""
        reason = reason if status == self.Status.REJECTED else ""
        if (status, reason) != (self.status, self.rejection_reason):
            return True
        return status == self.Status.APPROVED and self.reports.filter(resolved=False).exists()

    @transaction.atomic
    def moderate(self, status: str, moderator: Any, reason: str = "") -> bool:
        """Record a moderator's decision, with its history; True if it decided anything.

        Refused without a reason to reject; a decision that changes nothing (approving an
        approved review nobody reported) records nothing and returns False.
        """
        self.require_reason(status, reason)
        if not self.would_decide(status, reason):
            return False
        self.status = status
        self.rejection_reason = reason if status == self.Status.REJECTED else ""
        self.moderated_by = moderator
        self.moderated_at = timezone.now()
        self.save()
        ModerationEvent.objects.create(
            review=self, status=status, reason=self.rejection_reason, moderator=moderator
        )
        if status == self.Status.APPROVED:
            # The reports that led here have been answered by this decision.
            self.reports.filter(resolved=False).update(resolved=True)
        return True

    @transaction.atomic
    def report(self, reason: str, reporter: str, details: str = "") -> bool:
        """A reader's report, always stored; reports from enough different readers (open
        ones, from `reporter` keys) send an approved review back to the queue."""
        ReviewReport.objects.create(review=self, reason=reason, details=details, reporter=reporter)
        threshold = settings.REVIEW_REPORTS_TO_REQUEUE
        voices = self.reports.filter(resolved=False).values("reporter").distinct().count()
        if self.status == self.Status.APPROVED and voices >= threshold:
            self.status = self.Status.PENDING
            self.save()
            ModerationEvent.objects.create(review=self, status=self.Status.PENDING, reason="")
            return True
        return False


class ModerationEvent(models.Model):
    """One decision about a review: who, when and why. Requeued by reports has no moderator."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="events", help_text="The review."
    )
    status = models.CharField(
        max_length=10, choices=Review.Status.choices, help_text="The status it was given."
    )
    reason = models.CharField(
        max_length=25,
        choices=Review.RejectionReason.choices,
        blank=True,
        help_text="The reason, for a rejection.",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who decided; empty when readers' reports sent it back to the queue.",
    )
    at = models.DateTimeField(auto_now_add=True, help_text="When.")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.at:%Y-%m-%d %H:%M}"

    def affects_public_pages(self) -> bool:
        """The history is for moderators; the review's own save retires what it changes."""
        return False


class ReviewReport(models.Model):
    class Reason(models.TextChoices):
        FALSE = "false", "It is false or misleading"
        ABUSIVE = "abusive", "It is abusive or hateful"
        SPAM = "spam", "It is advertising or spam"
        PERSONAL = "personal", "It reveals someone's personal information"
        NOT_FIRST_HAND = "not_first_hand", "The writer did not take the program"
        CONFLICT = "conflict", "The writer has an undisclosed interest"

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="reports", help_text="The review."
    )
    reason = models.CharField(max_length=20, choices=Reason.choices, help_text="Why.")
    details = models.CharField(
        max_length=500, blank=True, help_text="What the reader added. Optional."
    )
    reporter = models.CharField(
        max_length=64,
        editable=False,
        help_text="Keyed hash of the reader's address: one reader counts once, whoever they are.",
    )
    resolved = models.BooleanField(
        default=False, help_text="Set when a moderator approves the review again."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was reported.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.created_at:%Y-%m-%d})"

    def save(self, *args, **kwargs) -> None:
        self.details = without_bidi_controls(self.details)
        super().save(*args, **kwargs)

    def affects_public_pages(self) -> bool:
        """A report changes no public page; the review it sends back to the queue does."""
        return False


class ReviewReply(models.Model):
    """The program's answer to a review, shown beneath it once a moderator approves it.

    Written by the portal's staff in the admin, or by the institution's representative through
    their signed link (programs.representatives); never public before moderation.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    BODY_MAX = 2000

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, related_name="reply", help_text="The review answered."
    )
    body = models.TextField(
        "reply",
        validators=[MinLengthValidator(20), MaxLengthValidator(BODY_MAX)],
        help_text=f"The program's answer, 20 to {BODY_MAX} characters, shown as plain text.",
    )
    sent_by = models.EmailField(
        blank=True,
        help_text="The institution's representative who wrote it (their address, proven by a "
        "signed link); empty when the portal's staff entered it.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff member who entered it, if one did.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
        help_text="Only approved replies are shown.",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The moderator who decided.",
    )
    moderated_at = models.DateTimeField(null=True, blank=True, help_text="When it was decided.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was written.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "review replies"

    def __str__(self) -> str:
        return f"Reply to “{self.review}”"

    def save(self, *args, **kwargs) -> None:
        self.body = without_bidi_controls(self.body)
        super().save(*args, **kwargs)

    def affects_public_pages(self) -> bool:
        return self.status == self.Status.APPROVED or self.moderated_at is not None

    @property
    def is_shown(self) -> bool:
        return self.status == self.Status.APPROVED
