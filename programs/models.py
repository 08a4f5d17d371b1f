import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Least, NullIf
from django.urls import reverse
from django.utils import timezone

from core.images import validate_image
from core.models import Citation, prefetch_citations
from core.provenance import FigureKind, SourcedModel
from core.publication import (
    PublicationQuerySet,
    Publishable,
    publication_constraint,
    validate_public_slug,
)
from core.text import without_bidi_controls

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
# Durations longer than this are a typing error, not a program; also the "no duration" marker
# inside the shortest_months expression.
MAX_MONTHS = 120


def logo_upload_to(instance, filename):
    # Names are generated (core.images.reencode); the uploader's file name is never used.
    return f"logos/{filename}"


class Institution(models.Model):
    name = models.CharField(max_length=200, help_text="Full official name of the university.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in addresses. Filled in from the name."
    )
    city = models.CharField(max_length=100, blank=True, help_text="Leave empty if not known.")
    state = models.CharField(
        "state or region",
        max_length=100,
        blank=True,
        db_index=True,
        help_text="US state written out (e.g. “Pennsylvania”) or region. Empty if not known.",
    )
    country = models.CharField(max_length=100, blank=True, help_text="Leave empty if not known.")
    website = models.URLField(blank=True, help_text="The institution's home page.")
    logo = models.ImageField(
        upload_to=logo_upload_to,
        blank=True,
        validators=[validate_image],
        help_text="PNG, JPEG or WebP, at most 2 MB and 4 megapixels. Optional.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Accreditor(models.Model):
    class Scope(models.TextChoices):
        INSTITUTIONAL = "institutional", "Institutional (the whole university)"
        PROGRAMMATIC = "programmatic", "Programmatic (one program)"

    name = models.CharField(max_length=200, unique=True, help_text="Full name of the body.")
    abbreviation = models.CharField(
        max_length=20, blank=True, help_text="Short name readers know, e.g. “ABET”."
    )
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in filter addresses.")
    scope = models.CharField(
        max_length=20, choices=Scope.choices, help_text="What this body accredits."
    )
    website = models.URLField(blank=True, help_text="Where readers can check an accreditation.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class Accreditation(models.Model):
    """An accreditor's decision about an institution (institutional) or a program (programmatic)."""

    class Status(models.TextChoices):
        ACCREDITED = "accredited", "Accredited"
        CANDIDATE = "candidate", "Candidate for accreditation"
        PROBATION = "probation", "On probation"
        WITHDRAWN = "withdrawn", "Withdrawn"

    accreditor = models.ForeignKey(
        Accreditor,
        on_delete=models.PROTECT,
        related_name="accreditations",
        help_text="The body that granted (or withdrew) the accreditation.",
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accreditations",
        help_text="Set for an institutional accreditation; leave empty for a program's.",
    )
    program = models.ForeignKey(
        "Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accreditations",
        help_text="Set for a programmatic accreditation; leave empty for an institution's.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.ACCREDITED,
        help_text="Status as shown by the accreditor's own directory.",
    )
    verified_on = models.DateField(
        help_text="The day an editor checked this status in the accreditor's directory."
    )
    url = models.URLField(
        "link", blank=True, help_text="The accreditor's page that shows this status."
    )

    class Meta:
        ordering = ["accreditor__name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(institution__isnull=False, program__isnull=True)
                    | Q(institution__isnull=True, program__isnull=False)
                ),
                name="accreditation_institution_xor_program",
            ),
            models.UniqueConstraint(
                fields=["accreditor", "institution"], name="accreditation_unique_institution"
            ),
            models.UniqueConstraint(
                fields=["accreditor", "program"], name="accreditation_unique_program"
            ),
        ]

    def __str__(self):
        return f"{self.accreditor} — {self.institution or self.program}"

    @property
    def scope(self):
        return (
            Accreditor.Scope.INSTITUTIONAL if self.institution_id else Accreditor.Scope.PROGRAMMATIC
        )

    def clean(self):
        if bool(self.institution_id) == bool(self.program_id):
            raise ValidationError("Choose either an institution or a program, not both.")


class Specialization(models.Model):
    name = models.CharField(
        max_length=120, unique=True, help_text="As readers should see it, e.g. “Clinical NLP”."
    )
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in filter addresses.")
    description = models.TextField(
        blank=True, help_text="One or two sentences explaining the area to a clinician."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProgramQuerySet(PublicationQuerySet):
    def for_listing(self):
        """Shape a list page: institution joined, specializations and citations prefetched."""
        return self.select_related("institution").prefetch_related(
            "specializations", prefetch_citations()
        )

    def for_detail(self):
        """Shape the program page: what the comparison needs, and the courses."""
        return self.for_comparison().prefetch_related("courses")

    def for_comparison(self):
        """Every relation a program's column or page shows, one query each, however many.

        Careers and certifications are declared by the careers app, which depends on this one;
        they are reached through the reverse relations, never imported here.
        """
        career_links = Program._meta.get_field("career_links").related_model
        certifications = Program._meta.get_field("certifications").related_model
        return self.select_related("institution").prefetch_related(
            models.Prefetch(
                "career_links",
                queryset=career_links.objects.to_public_careers().select_related("career"),
            ),
            models.Prefetch(
                "certifications",
                queryset=certifications.objects.published().select_related("issuing_body"),
            ),
            "specializations",
            prefetch_citations(),
            models.Prefetch(
                "accreditations", queryset=Accreditation.objects.select_related("accreditor")
            ),
            models.Prefetch(
                "institution__accreditations",
                queryset=Accreditation.objects.select_related("accreditor"),
            ),
        )


class Program(Publishable, SourcedModel):
    class DegreeType(models.TextChoices):
        MS = "ms", "Master of Science (MS)"
        MPS = "mps", "Master of Professional Studies (MPS)"
        MENG = "meng", "Master of Engineering (MEng)"
        MHI = "mhi", "Master of Health Informatics (MHI)"
        MBA = "mba", "Master of Business Administration (MBA)"
        OTHER = "other", "Other master's degree"

    class Format(models.TextChoices):
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid"
        CAMPUS = "campus", "On campus"

    class Requirement(models.TextChoices):
        NOT_REQUIRED = "not_required", "Not required"
        OPTIONAL = "optional", "Optional"
        REQUIRED = "required", "Required"

    class Programming(models.TextChoices):
        NONE = "none", "None needed"
        BRIDGE = "bridge", "Bridge course offered"
        REQUIRED = "required", "Required"

    class Capstone(models.TextChoices):
        CAPSTONE = "capstone", "Capstone project"
        PRACTICUM = "practicum", "Practicum"
        BOTH = "both", "Capstone and practicum"
        NONE = "none", "Neither"

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="programs",
        help_text="The university that awards the degree.",
    )
    title = models.CharField(
        max_length=200, help_text="The degree's name as the university writes it."
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        validators=[validate_public_slug],
        help_text="Used in the program's address. Filled in from the title; keep it stable "
        "once published, as people bookmark and share it.",
    )
    summary = models.TextField(
        blank=True,
        help_text="Two or three sentences in your own words: who the program is for and what "
        "it focuses on. Do not paste marketing copy.",
    )
    degree_type = models.CharField(
        max_length=10,
        choices=DegreeType.choices,
        default=DegreeType.MS,
        help_text="The degree awarded.",
    )
    credits = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(200)],
        help_text="Total credit hours to graduate. Leave empty if not reported.",
    )
    delivery_format = models.CharField(
        max_length=10,
        choices=Format.choices,
        blank=True,
        db_index=True,
        help_text="How the teaching is delivered. Leave empty if not reported.",
    )
    months_full_time = models.PositiveSmallIntegerField(
        "duration full-time (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
        help_text="Months to finish at the full-time pace. Empty if that pace is not offered "
        "or not reported.",
    )
    months_part_time = models.PositiveSmallIntegerField(
        "duration part-time (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
        help_text="Months to finish part-time, while working. Empty if not offered or not "
        "reported.",
    )
    months_accelerated = models.PositiveSmallIntegerField(
        "duration accelerated (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
        help_text="Months on an accelerated track. Empty if not offered or not reported.",
    )
    shortest_months = models.GeneratedField(
        expression=NullIf(
            Least(
                Coalesce("months_full_time", MAX_MONTHS + 1),
                Coalesce("months_part_time", MAX_MONTHS + 1),
                Coalesce("months_accelerated", MAX_MONTHS + 1),
            ),
            MAX_MONTHS + 1,
        ),
        output_field=models.PositiveSmallIntegerField(null=True),
        db_persist=True,
        verbose_name="shortest duration (months)",
    )
    tuition_total = models.DecimalField(
        "total tuition",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Tuition for the whole degree, before aid. Leave empty if not reported.",
    )
    currency = models.CharField(
        max_length=3,
        default="USD",
        help_text="ISO 4217 code of the tuition and salary figures, e.g. USD.",
    )
    accepted_bachelor_fields = models.CharField(
        "accepted bachelor's fields",
        max_length=300,
        blank=True,
        help_text="Undergraduate fields the program accepts, as it states them, e.g. “nursing, "
        "medicine, public health, health sciences”. Leave empty if not reported.",
    )
    min_gpa = models.DecimalField(
        "minimum GPA",
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(4))],
        help_text="Minimum undergraduate GPA on a 4.0 scale. Leave empty if none is stated.",
    )
    gre = models.CharField(
        "GRE",
        max_length=15,
        choices=Requirement.choices,
        blank=True,
        db_index=True,
        help_text="Whether GRE scores are needed. Leave empty if not reported.",
    )
    programming_background = models.CharField(
        max_length=10,
        choices=Programming.choices,
        blank=True,
        db_index=True,
        help_text="Programming needed before admission. Leave empty if not reported.",
    )
    statistics_prerequisite = models.BooleanField(
        null=True,
        blank=True,
        help_text="Whether a statistics course is required before admission. "
        "Unknown if not reported.",
    )
    healthcare_experience_years = models.PositiveSmallIntegerField(
        "healthcare experience (years)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(40)],
        help_text="Years of healthcare work required. 0 if none; empty if not reported.",
    )
    application_deadline = models.DateField(
        null=True, blank=True, help_text="Next application deadline. Leave empty if not reported."
    )
    capstone = models.CharField(
        "capstone or practicum",
        max_length=10,
        choices=Capstone.choices,
        blank=True,
        help_text="The hands-on project required to graduate. Leave empty if not reported.",
    )
    employer_partnerships = models.TextField(
        blank=True,
        help_text="Named hospitals or companies the program works with, one per line. "
        "Leave empty if not reported.",
    )
    specializations = models.ManyToManyField(
        Specialization,
        blank=True,
        related_name="programs",
        help_text="Areas the program lets students specialise in.",
    )
    completion_rate = models.DecimalField(
        "completion rate (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text="Share of students who finish, 0–100. Leave empty if not reported.",
    )
    employment_rate = models.DecimalField(
        "employment rate (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text="Share of graduates employed within the period the source states, 0–100.",
    )
    median_salary = models.DecimalField(
        "median salary of graduates",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Median annual salary of graduates. Leave empty if not reported.",
    )
    alumni_satisfaction = models.DecimalField(
        "alumni satisfaction (out of 5)",
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
        help_text="Alumni satisfaction on a 0–5 scale, from a published survey.",
    )
    apply_url = models.URLField(
        "application page", blank=True, help_text="The university's page for applying."
    )
    # Kept in step with the approved reviews by Review.save() and delete(), so that lists can
    # show and sort by the rating without aggregating every review on every request.
    review_count = models.PositiveIntegerField(
        "approved reviews", default=0, editable=False, help_text="Set from the approved reviews."
    )
    review_average = models.DecimalField(
        "average rating",
        max_digits=3,
        decimal_places=2,
        null=True,
        editable=False,
        help_text="Average overall rating of the approved reviews.",
    )
    citations = GenericRelation(Citation)

    sourced_fields = {
        "tuition_total": FigureKind.MONEY,
        "credits": FigureKind.COUNT,
        "months_full_time": FigureKind.MONTHS,
        "months_part_time": FigureKind.MONTHS,
        "months_accelerated": FigureKind.MONTHS,
        "min_gpa": FigureKind.GPA,
        "healthcare_experience_years": FigureKind.YEARS,
        "application_deadline": FigureKind.DATE,
        "completion_rate": FigureKind.PERCENT,
        "employment_rate": FigureKind.PERCENT,
        "median_salary": FigureKind.MONEY,
        "alumni_satisfaction": FigureKind.RATING,
    }

    str_related = ("institution",)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="program_publication"),
            models.Index(fields=["tuition_total"], name="program_tuition"),
            models.Index(fields=["shortest_months"], name="program_shortest"),
            models.Index(fields=["title"], name="program_title"),
            models.Index(fields=["review_average"], name="program_rating"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(tuition_total__gte=0), name="program_tuition_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(median_salary__gte=0), name="program_salary_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(completion_rate__gte=0, completion_rate__lte=100),
                name="program_completion_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(employment_rate__gte=0, employment_rate__lte=100),
                name="program_employment_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(alumni_satisfaction__gte=0, alumni_satisfaction__lte=5),
                name="program_satisfaction_out_of_5",
            ),
            models.CheckConstraint(
                condition=Q(min_gpa__gte=0, min_gpa__lte=4), name="program_gpa_scale"
            ),
            publication_constraint("program_published_has_time"),
        ]

    def __str__(self):
        return f"{self.title} — {self.institution}" if self.institution_id else self.title

    def get_absolute_url(self):
        return reverse("programs:detail", kwargs={"slug": self.slug})

    def update_review_summary(self):
        """Recount the approved reviews and their average rating."""
        summary = self.reviews.rating_summary()
        average = summary["average"]
        self.review_count = summary["count"]
        self.review_average = round(Decimal(average), 2) if average is not None else None
        Program.objects.filter(pk=self.pk).update(
            review_count=self.review_count, review_average=self.review_average
        )

    def approved_reviews_page(self, number, per_page):
        """A page of approved reviews, newest first, in one query however many there are.

        The number of pages comes from review_count, kept in step by Review.save(), so paging
        costs no count query; raises InvalidPage for a page that does not exist.
        """
        paginator = Paginator(self.reviews.none(), per_page)
        paginator.count = self.review_count
        page = paginator.page(number)
        start = (page.number - 1) * per_page
        page.object_list = list(self.reviews.for_display()[start : start + per_page])
        return page

    @property
    def reviews_needed_for_average(self):
        return settings.REVIEW_MIN_FOR_AVERAGE

    @property
    def rating_is_shown(self):
        """An average is shown only from a minimum number of reviews: one cannot make it."""
        return self.review_count >= self.reviews_needed_for_average

    def all_accreditations(self):
        """Institutional accreditations of the university, then the program's own."""
        return [*self.institution.accreditations.all(), *self.accreditations.all()]

    def employer_partner_list(self):
        return [line.strip() for line in self.employer_partnerships.splitlines() if line.strip()]


class Course(models.Model):
    class Kind(models.TextChoices):
        CORE = "core", "Core"
        ELECTIVE = "elective", "Elective"

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="courses",
        help_text="The program whose curriculum includes this course.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the curriculum: lower numbers come first."
    )
    code = models.CharField(
        max_length=20, blank=True, help_text="The university's course code, if any."
    )
    title = models.CharField(max_length=200, help_text="Course title as the university lists it.")
    credits = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Credit hours. Leave empty if not reported.",
    )
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.CORE, help_text="Core or elective."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(credits__gte=0), name="course_credits_not_negative")
        ]

    def __str__(self):
        return self.title


RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def rating_field(verbose_name, required=False):
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=not required,
        blank=not required,
        validators=RATING_VALIDATORS,
        help_text="1 (poor) to 5 (excellent)." + ("" if required else " Optional."),
    )


def new_confirmation_key():
    return secrets.token_urlsafe(24)


def fingerprint(text):
    """The same words in the same order, whatever the case and spacing."""
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


class ReviewQuerySet(models.QuerySet):
    def approved(self):
        """Reviews a moderator approved (on a program's own page, which is public or 404)."""
        return self.filter(status=Review.Status.APPROVED)

    def public(self):
        """Reviews the public may see anywhere: approved, on a published program."""
        return self.approved().on_published_programs()

    def on_published_programs(self):
        return self.filter(program__in=Program.objects.published())

    def pending(self):
        return self.filter(status=Review.Status.PENDING)

    def awaiting_confirmation(self, email):
        """The latest few reviews sent with `email` whose address is not yet confirmed."""
        return (
            self.filter(email__iexact=email, email_confirmed_at__isnull=True)
            .exclude(status=Review.Status.REJECTED)
            .select_related("program__institution")
            .order_by("-created_at")[:5]
        )

    def for_display(self):
        return self.approved().order_by("-moderated_at", "-pk")

    def rating_summary(self):
        """Number of approved reviews and their average overall rating, in one query."""
        return self.approved().aggregate(count=models.Count("pk"), average=models.Avg("rating"))


class Review(models.Model):
    """An alumnus's or student's review; invisible until a moderator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

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
                for name in (
                    "rating_curriculum",
                    "rating_workload",
                    "rating_faculty",
                    "rating_career",
                    "rating_value",
                    "rating_flexibility",
                )
            ],
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="review_rejection_has_reason",
            ),
            models.UniqueConstraint(
                fields=["program", "text_fingerprint"], name="review_unique_text_per_program"
            ),
        ]

    def __str__(self):
        return self.title

    # Everything the reviewer writes, shown on the site and in the admin.
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

    def save(self, *args, **kwargs):
        for name in self.VISITOR_TEXT:
            setattr(self, name, without_bidi_controls(getattr(self, name)))
        self.text_fingerprint = fingerprint(self.body)
        super().save(*args, **kwargs)
        self.program.update_review_summary()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.program.update_review_summary()
        return result

    def affects_public_pages(self):
        """Whether saving this review may change a public page (core.cache).

        A review never decided on is invisible; once a moderator has decided (even if reports
        later sent it back to the queue), its saves can add it to or take it off the pages.
        """
        return self.status != self.Status.PENDING or self.moderated_at is not None

    def clean(self):
        if self.is_current_student and self.graduation_year:
            raise ValidationError(
                {"graduation_year": "Leave the year empty if you are still studying."}
            )
        if not self.is_current_student and not self.graduation_year:
            raise ValidationError(
                {"graduation_year": "Give your graduation year, or tick “current student”."}
            )
        if self.relationship in {"incentive", "employee", "other"} and not (
            self.relationship_details.strip()
        ):
            raise ValidationError(
                {"relationship_details": "Say briefly what the incentive or relationship is."}
            )

    @classmethod
    def rejections_by_reason(cls):
        """(reason label, number of reviews rejected for it) for every reason, in one query."""
        counts = dict(
            cls.objects.on_published_programs()
            .filter(status=cls.Status.REJECTED)
            .values_list("rejection_reason")
            .annotate(n=models.Count("pk"))
        )
        return [(label, counts.get(value, 0)) for value, label in cls.RejectionReason.choices]

    def sub_ratings(self):
        """(label, rating) for each optional rating given."""
        names = [
            "rating_curriculum",
            "rating_workload",
            "rating_faculty",
            "rating_career",
            "rating_value",
            "rating_flexibility",
        ]
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in names
            if getattr(self, name)
        ]

    @transaction.atomic
    def moderate(self, status, moderator, reason=""):
        """Record a moderator's decision, with its history; refused without a reason to reject."""
        if status == self.Status.REJECTED and not reason:
            raise ValidationError("Choose a reason to reject a review.")
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

    @transaction.atomic
    def report(self, reason, reporter, details=""):
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

    def __str__(self):
        return f"{self.get_status_display()} at {self.at:%Y-%m-%d %H:%M}"

    def affects_public_pages(self):
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

    def __str__(self):
        return f"{self.get_reason_display()} ({self.created_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        self.details = without_bidi_controls(self.details)
        super().save(*args, **kwargs)

    def affects_public_pages(self):
        """A report changes no public page; the review it sends back to the queue does."""
        return False
