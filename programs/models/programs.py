"""Programs and their courses."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Model, Q
from django.db.models.functions import Coalesce, Least, NullIf
from django.urls import reverse
from django.utils import timezone

from core.facts import (
    Fact,
    FactKind,
    Facts,
    Group,
    SourcedModel,
    format_value,
)
from core.facts import FactKind as K
from core.fields import ChoiceSetField, LineField, sane_date
from core.models import Citation, prefetch_citations
from core.publication import (
    PublicationQuerySet,
    Publishable,
    publication_constraint,
    validate_public_slug,
)
from programs.models.institutions import (
    MAX_MONTHS,
    PERCENT_VALIDATORS,
    Accreditation,
    FieldOfStudy,
    Institution,
    Specialization,
)


class ProgramQuerySet(PublicationQuerySet):
    def for_listing(self) -> "ProgramQuerySet":
        """Shape a list page: institution joined, specializations and citations prefetched."""
        return self.select_related("institution").prefetch_related(
            "specializations", prefetch_citations()
        )

    def for_detail(self) -> "ProgramQuerySet":
        """Shape the program page: what the comparison needs, and the courses."""
        return self.for_comparison().prefetch_related("courses")

    def for_comparison(self) -> "ProgramQuerySet":
        """Every relation a program's column or page shows, one query each, however many.

        Careers and certifications are declared by the careers app, which depends on this one;
        they are reached through the reverse relations, never imported here.
        """
        career_links: Any = Program._meta.get_field("career_links").related_model
        certifications: Any = Program._meta.get_field("certifications").related_model
        careers: Any = career_links._meta.get_field("career").related_model
        return self.select_related("institution", "field_of_study").prefetch_related(
            models.Prefetch(
                "career_links",
                queryset=career_links.objects.to_public_careers().select_related("career"),
            ),
            models.Prefetch(
                "field_of_study__careers", queryset=careers.objects.published().order_by("title")
            ),
            models.Prefetch(
                "field_of_study__certifications",
                queryset=certifications.objects.published()
                .select_related("issuing_body")
                .prefetch_related("pathways"),
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

    class Pace(models.TextChoices):
        FULL_TIME = "full_time", "Full-time"
        PART_TIME = "part_time", "Part-time"
        ACCELERATED = "accelerated", "Accelerated"

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
    title = LineField(max_length=200, help_text="The degree's name as the university writes it.")
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
    paces = ChoiceSetField(
        "paces offered",
        options=Pace.choices,
        help_text="Every pace the program offers, whether or not its duration is reported.",
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
    tuition_per_credit = models.DecimalField(
        "tuition per credit",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Where the program states tuition per credit. Fill in total tuition too, as "
        "rate × credits, with the arithmetic in its source's note.",
    )
    fees_total = models.DecimalField(
        "required fees",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Fees every student pays for the whole degree, beyond tuition, as the "
        "program reports them. Leave empty if not reported.",
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
        validators=[sane_date],
        null=True,
        blank=True,
        help_text="Next application deadline. Leave empty if not reported.",
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
    former_titles = models.TextField(
        blank=True,
        help_text="Names the program had before, one per line (from its own pages): searches "
        "for them still find it, and its page says it was renamed.",
    )
    field_of_study = models.ForeignKey(
        FieldOfStudy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        help_text="What the degree is in, as its title says: the careers and certifications "
        "that draw on this field are shown as the ones it leads to.",
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

    # What readers are told, in the order they meet it: the program page's sections, the
    # comparison's rows and the admin's fieldsets are all built from this (core.facts).
    facts = Facts(
        Group(
            "Overview",
            "overview",
            (
                # The degree and its field are the title's own words: no source of their own.
                Fact("degree_type", K.CHOICE, label="Degree", sourced=False),
                Fact(
                    "field_of_study",
                    K.TEXT,
                    label="Field of study",
                    show="field_of_study_name",
                    sourced=False,
                ),
                Fact("delivery_format", K.CHOICE, label="Format"),
                Fact("paces", K.CHOICES),
                Fact("credits", K.COUNT, label="Credits to graduate"),
            ),
            template="programs/_overview_more.html",
        ),
        Group(
            "Admission and prerequisites",
            "admission",
            (
                Fact("accepted_bachelor_fields", K.TEXT),
                Fact("min_gpa", K.GPA, label="Minimum GPA"),
                Fact("gre", K.CHOICE),
                Fact("programming_background", K.CHOICE),
                Fact("statistics_prerequisite", K.BOOLEAN, words=("Required", "Not required")),
                Fact("healthcare_experience_years", K.YEARS),
                Fact("application_deadline", K.DATE, show="deadline_text"),
            ),
        ),
        Group(
            "Curriculum",
            "curriculum",
            (
                Fact("specializations", K.NAMES, links=("programs:list", "specialization")),
                Fact("capstone", K.CHOICE),
                Fact("employer_partnerships", K.LINES),
            ),
            template="programs/_courses.html",
        ),
        Group(
            "Cost and duration",
            "cost",
            (
                Fact("tuition_total", K.MONEY, best="min", admin_with=("currency",)),
                Fact("tuition_per_credit", K.MONEY, best="min"),
                Fact("fees_total", K.MONEY, best="min"),
                Fact("months_full_time", K.MONTHS, best="min"),
                Fact("months_part_time", K.MONTHS, best="min"),
                Fact("months_accelerated", K.MONTHS, best="min"),
            ),
            template="programs/_cost_charts.html",
        ),
        Group(
            "Outcomes",
            "outcomes",
            (
                Fact("completion_rate", K.PERCENT, best="max"),
                Fact("employment_rate", K.PERCENT, best="max"),
                Fact("median_salary", K.MONEY, best="max"),
                Fact("alumni_satisfaction", K.RATING, best="max"),
            ),
        ),
    )

    str_related = ("institution",)

    objects = ProgramQuerySet.as_manager()
    # The reader's fit (programs.fit.Fit), set on the programs of a page that uses it; None
    # otherwise, so that a card's template finds it without a failed lookup.
    profile_fit: Any = None

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

    def __str__(self) -> str:
        return f"{self.title} — {self.institution}" if self.institution_id else self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", kwargs={"slug": self.slug})

    def update_review_summary(self) -> None:
        """Recount the approved reviews and their average rating."""
        summary = self.reviews.rating_summary()
        average = summary["average"]
        self.review_count = summary["count"]
        self.review_average = round(Decimal(average), 2) if average is not None else None
        Program.objects.filter(pk=self.pk).update(
            review_count=self.review_count, review_average=self.review_average
        )

    @property
    def reviews_needed_for_average(self) -> int:
        return settings.REVIEW_MIN_FOR_AVERAGE

    @property
    def cost_fact(self) -> str:
        """The fact that best says what the program costs: the total, else the rate per credit."""
        if not self.fact("tuition_total").reported and self.fact("tuition_per_credit").reported:
            return "tuition_per_credit"
        return "tuition_total"

    def card_facts(self) -> list[tuple[str, str | None, str]]:
        """The facts a program's card shows, in order: (fact, label or None for its own,
        icon)."""
        return [
            (self.cost_fact, None, "cost"),
            ("delivery_format", None, "format"),
            ("months_part_time", "time part-time", "time"),
            ("programming_background", "programming", "code"),
            ("gre", None, "test"),
            ("application_deadline", "next deadline", "calendar"),
        ]

    # What `manage.py catalogue_report --coverage` counts (core.quality.coverage): label → the
    # facts any of which count, or a function of a program.
    coverage = (
        ("Any tuition (total or per credit)", ("tuition_total", "tuition_per_credit")),
        ("Format", ("delivery_format",)),
        ("Time to finish full-time", ("months_full_time",)),
        ("Time to finish part-time", ("months_part_time",)),
        ("Time to finish, accelerated", ("months_accelerated",)),
        ("GRE policy", ("gre",)),
        ("Programming background", ("programming_background",)),
        ("Application deadline", ("application_deadline",)),
        (
            "Accreditation (its own or its university's, checked in the accreditor's directory)",
            lambda program: (
                bool(program.accreditations.all()) or bool(program.institution.accreditations.all())
            ),
        ),
    )

    def badges(self) -> list[tuple[str, str]]:
        """Short facts at a glance, (text, tone), only from facts that have a source."""
        found = []
        if self.fact("delivery_format").reported:
            found.append((self.get_delivery_format_display(), ""))
        if self.fact("paces").reported and self.Pace.PART_TIME in (self.paces or []):
            found.append(("Part-time possible", ""))
        if self.fact("gre").reported:
            if self.gre == self.Requirement.NOT_REQUIRED:
                found.append(("No GRE", "good"))
            elif self.gre == self.Requirement.OPTIONAL:
                found.append(("GRE optional", "good"))
        if self.fact("programming_background").reported:
            if self.programming_background == self.Programming.NONE:
                found.append(("No programming needed", "good"))
            elif self.programming_background == self.Programming.BRIDGE:
                found.append(("Bridge course", "good"))
        return found

    @property
    def former_title_list(self) -> list[str]:
        return [line.strip() for line in self.former_titles.splitlines() if line.strip()]

    @property
    def field_of_study_name(self) -> str:
        return self.field_of_study.name if self.field_of_study else ""

    def careers_shown(self) -> list[tuple[Model, str]]:
        """The careers it leads to, as (career, why): those drawn by hand, with their notes,
        then those that draw on its field of study (declared by the careers app, reached
        through reverse relations)."""
        shown: list[tuple[Model, str]] = [
            (link.career, link.note) for link in self.career_links.all()
        ]
        seen = {career.pk for career, _ in shown}
        field: Any = self.field_of_study  # its careers: a reverse relation of careers'
        if field is not None:
            for career in field.careers.all():
                if career.pk not in seen:
                    shown.append((career, f"Its field, {field.name.lower()}, leads to this role."))
        return shown

    def certifications_shown(self) -> list[tuple[Model, str]]:
        """The certifications it leads to or complements, as (certification, why): those whose
        issuer counts its field as their own, each with the route its graduates meet, then
        those an editor linked by hand."""
        shown: list[tuple[Model, str]] = []
        seen = set()
        field: Any = self.field_of_study  # its certifications: a reverse relation of careers'
        if field is not None:
            for certification in field.certifications.all():
                shown.append((certification, certification.graduate_route_text(in_field=True)))
                seen.add(certification.pk)
        shown += [(c, "") for c in self.certifications.all() if c.pk not in seen]
        return shown

    def deadline_passed(self, today: date | None = None) -> bool:
        """Whether the reported application deadline lies before `today` (default: today)."""
        if self.application_deadline is None:
            return False
        return self.application_deadline < (today or timezone.localdate())

    @property
    def deadline_text(self) -> str:
        """The deadline as readers see it: its date, marked where it has passed."""
        if self.application_deadline is None:
            return ""
        text = format_value(self.application_deadline, FactKind.DATE)
        return f"{text} (passed)" if self.deadline_passed() else text

    @property
    def rating_is_shown(self) -> bool:
        """An average is shown only from a minimum number of reviews: one cannot make it."""
        return self.review_count >= self.reviews_needed_for_average

    def all_accreditations(self) -> list[Accreditation]:
        """Institutional accreditations of the university, then the program's own."""
        return [*self.institution.accreditations.all(), *self.accreditations.all()]

    def employer_partner_list(self) -> list[str]:
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
    code = LineField(max_length=20, blank=True, help_text="The university's course code, if any.")
    title = LineField(max_length=200, help_text="Course title as the university lists it.")
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

    def __str__(self) -> str:
        return self.title
