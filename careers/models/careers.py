"""Careers, their pay by state, and the programs that lead to them."""

from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from careers.models.vocabularies import EmployerType, Skill, lines
from core.facts import Fact, Facts, Group, SourcedModel
from core.facts import FactKind as K
from core.fields import LineField
from core.models import Citation, prefetch_citations
from core.publication import (
    PublicationQuerySet,
    Publishable,
    publication_constraint,
    validate_public_slug,
)
from programs.models import PERCENT_VALIDATORS, FieldOfStudy, Program


class CareerQuerySet(PublicationQuerySet):
    def for_listing(self) -> "CareerQuerySet":
        return self.prefetch_related("skills", prefetch_citations())

    def for_detail(self) -> "CareerQuerySet":
        """The career page: its vocabularies, and the published entries on the other side."""
        # Certifications are declared after careers (careers.models.certifications).
        certifications: Any = self.model._meta.get_field("certifications").related_model
        return self.prefetch_related(
            "skills",
            "employer_types",
            prefetch_citations(),
            models.Prefetch("related_careers", queryset=Career.objects.published()),
            models.Prefetch(
                "program_links",
                queryset=ProgramCareer.objects.from_public_programs().select_related(
                    "program__institution"
                ),
            ),
            models.Prefetch(
                "fields_of_study__programs",
                queryset=Program.objects.published().select_related("institution"),
            ),
            models.Prefetch(
                "certifications",
                queryset=certifications.objects.published().select_related("issuing_body"),
            ),
        )


class Career(Publishable, SourcedModel):
    class Match(models.TextChoices):
        EXACT = "exact", "Exact: the code describes this role"
        CLOSE = "close", "Close: the role is a specialisation of the occupation"
        BROAD = "broad", "Broad: the nearest occupation only; figures describe a wider group"

    class Education(models.TextChoices):
        BACHELOR = "bachelor", "Bachelor's degree"
        MASTER = "master", "Master's degree"
        DOCTORATE = "doctorate", "Doctoral or professional degree"

    title = LineField(max_length=200, help_text="The role's most common title.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        validators=[validate_public_slug],
        help_text="Used in the address. Filled in from the title.",
    )
    alternative_titles = models.TextField(
        blank=True, help_text="Other titles employers use for this role, one per line."
    )
    summary = models.TextField(
        blank=True, help_text="Two or three sentences in your own words: what the work is."
    )
    typical_tasks = models.TextField(
        blank=True, help_text="What people in the role do day to day, one task per line."
    )
    soc_code = models.CharField(
        "O*NET-SOC code",
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{2}-\d{4}\.\d{2}$", "Write the code as on O*NET Online, e.g. 15-2051.01."
            )
        ],
        help_text="Nearest standard occupation, e.g. 15-2051.01. Leave empty if none is close.",
    )
    soc_title = LineField(
        "O*NET-SOC occupation",
        max_length=200,
        blank=True,
        help_text="The occupation's title on O*NET, e.g. “Business Intelligence Analysts”.",
    )
    soc_match = models.CharField(
        "how close the code is",
        max_length=10,
        choices=Match.choices,
        blank=True,
        help_text="New job titles rarely have their own code: say how closely it fits.",
    )
    soc_match_note = LineField(
        "note on the match",
        max_length=300,
        blank=True,
        help_text="Optional: what differs between the role and the occupation.",
    )
    median_salary = models.DecimalField(
        "median annual salary",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        db_index=True,
        help_text="Median yearly pay. Leave empty if not reported.",
    )
    salary_low = models.DecimalField(
        "annual pay, 10th percentile",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="A tenth of the occupation earns less than this a year (BLS OEWS, A_PCT10). "
        "`manage.py import_bls_wages` fills it in.",
    )
    salary_high = models.DecimalField(
        "annual pay, 90th percentile",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="A tenth of the occupation earns more than this a year (BLS OEWS, A_PCT90).",
    )
    employment = models.PositiveIntegerField(
        "people employed in the occupation (US)",
        null=True,
        blank=True,
        help_text="National employment of the occupation (BLS OEWS, TOT_EMP).",
    )
    openings_per_year = models.PositiveIntegerField(
        "job openings a year (projected)",
        null=True,
        blank=True,
        help_text="Average openings a year over the projection period, new jobs and people "
        "leaving alike (BLS Employment Projections).",
    )
    figures_occupation = LineField(
        "occupation the figures describe",
        max_length=200,
        blank=True,
        help_text="The occupation BLS's figures are for, with its code, e.g. “Computer Systems "
        "Analysts (15-1211)”; the imports fill it in.",
    )
    currency = models.CharField(
        max_length=3, default="USD", help_text="ISO 4217 code of the salary figures, e.g. USD."
    )
    growth_percent = models.DecimalField(
        "job outlook growth (%)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-100)), MaxValueValidator(Decimal(1000))],
        db_index=True,
        help_text="Projected change in jobs over the projection period, in percent; negative "
        "for a decline.",
    )
    growth_period_start = models.PositiveSmallIntegerField(
        "projection from (year)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="First year of the projection, e.g. 2023. Leave empty if the source gives "
        "only an end year.",
    )
    growth_period_end = models.PositiveSmallIntegerField(
        "projection to (year)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="Last year of the projection, e.g. 2033.",
    )
    graduate_share = models.DecimalField(
        "share of AI-master's graduates entering the role (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text="Share of AI-master's graduates who take this role, 0–100.",
    )
    employer_types = models.ManyToManyField(
        EmployerType,
        blank=True,
        related_name="careers",
        help_text="Kinds of organisations that typically hire for this role.",
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="careers", help_text="Skills the role asks for."
    )
    entry_education = models.CharField(
        "typical entry education",
        max_length=10,
        choices=Education.choices,
        blank=True,
        help_text="The education employers usually ask for. Leave empty if not reported.",
    )
    entry_experience = models.CharField(
        "typical entry experience",
        max_length=300,
        blank=True,
        help_text="Work experience employers usually ask for, in words. Empty if not reported.",
    )
    related_careers = models.ManyToManyField(
        "self", blank=True, help_text="Roles people often move between. Shown on both pages."
    )
    programs = models.ManyToManyField(
        Program,
        through="ProgramCareer",
        blank=True,
        related_name="careers",
        help_text="Programs that prepare for this role, each drawn by hand with a note.",
    )
    fields_of_study = models.ManyToManyField(
        FieldOfStudy,
        blank=True,
        related_name="careers",
        help_text="Fields whose degrees prepare for this role: every published program of "
        "these fields is shown as leading to it.",
    )
    citations = GenericRelation(Citation)

    # What readers are told, in order: the career page's sections, the comparison's rows and
    # the admin's fieldsets are all built from this (core.facts).
    facts = Facts(
        Group(
            "The work",
            "work",
            (
                Fact("typical_tasks", K.LINES),
                # Employer types and skills are the editors' vocabulary links, not a source's.
                Fact(
                    "employer_types",
                    K.NAMES,
                    label="Who hires",
                    links=("careers:list", "employer"),
                    sourced=False,
                ),
            ),
        ),
        Group(
            "Pay and outlook",
            "pay",
            (
                Fact("median_salary", K.MONEY, best="max", admin_with=("currency",)),
                Fact("salary_low", K.MONEY),
                Fact("salary_high", K.MONEY),
                Fact("employment", K.COUNT),
                Fact("growth_percent", K.PERCENT, best="max"),
                Fact(
                    "growth_period_end",
                    K.TEXT,
                    label="Projection period",
                    show="projection_period",
                    admin_with=("growth_period_start",),
                    sourced=False,  # the period of the growth figure, cited with it
                ),
                Fact("openings_per_year", K.COUNT),
                Fact(
                    "figures_occupation",
                    K.TEXT,
                    label="The figures describe",
                    sourced=False,  # BLS's occupation, named by the import beside its figures
                ),
                Fact("graduate_share", K.PERCENT),
                Fact(
                    "soc_code",
                    K.TEXT,
                    label="Standard occupation (O*NET-SOC)",
                    show="occupation",
                    admin_with=("soc_title", "soc_match", "soc_match_note"),
                    sourced=False,  # the editors' match of the role to an occupation
                ),
            ),
            note="New job titles like this one rarely have an occupation code of their own, so "
            "pay and outlook figures usually describe a wider occupation. Each figure's source "
            "says what it covers.",
            template="careers/_pay_chart.html",
        ),
        Group(
            "Getting in",
            "entry",
            (
                Fact("entry_education", K.CHOICE),
                Fact("entry_experience", K.TEXT),
                Fact("skills", K.NAMES, links=("careers:list", "skill"), sourced=False),
            ),
        ),
    )

    objects = CareerQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "published_at"], name="career_publication")]
        constraints = [
            publication_constraint("career_published_has_time"),
            models.CheckConstraint(
                condition=Q(median_salary__gte=0), name="career_salary_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(salary_low__gte=0, salary_high__gte=0),
                name="career_salary_range_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(salary_low__isnull=True)
                | Q(salary_high__isnull=True)
                | Q(salary_low__lte=models.F("salary_high")),
                name="career_salary_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(graduate_share__gte=0, graduate_share__lte=100),
                name="career_graduate_share_percent",
            ),
            models.CheckConstraint(
                condition=Q(growth_period_start__isnull=True)
                | Q(growth_period_end__isnull=True)
                | Q(growth_period_start__lte=models.F("growth_period_end")),
                name="career_projection_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_in_sentence(self) -> str:
        """The title inside a sentence: "a healthcare data scientist", "a medical AI research
        scientist" (only the first letter lowered, and not that of an acronym)."""
        title = self.title
        return title if title[:2].isupper() else title[:1].lower() + title[1:]

    def pay_in(self, state: str) -> "StatePay | None":
        """Its pay in `state` with the sources (two queries), or None where BLS gives none."""
        return self.state_pay.filter(state=state).prefetch_related(prefetch_citations()).first()

    def programs_shown(self) -> list[tuple[Program, str]]:
        """The programs that prepare for it, as (program, why): those drawn by hand, with their
        notes, then every published program of a field of study it draws on, by title."""
        shown = [(link.program, link.note) for link in self.program_links.all()]
        seen = {program.pk for program, _ in shown}
        by_field = []
        for field in self.fields_of_study.all():
            for program in field.programs.all():
                if program.pk not in seen:
                    seen.add(program.pk)
                    by_field.append((program, f"A degree in {field.name.lower()}."))
        return shown + sorted(by_field, key=lambda item: item[0].title)

    def get_absolute_url(self) -> str:
        return reverse("careers:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        errors = {}
        low, high = self.salary_low, self.salary_high
        if low is not None and high is not None and low > high:
            errors["salary_high"] = "The high end must not be below the low end."
        start, end = self.growth_period_start, self.growth_period_end
        if start and end and start > end:
            errors["growth_period_end"] = "The projection must end after it starts."
        if self.growth_percent is not None and not self.growth_period_end:
            errors["growth_period_end"] = "Give the year the growth projection runs to."
        if errors:
            raise ValidationError(errors)

    def alternative_title_list(self) -> list[str]:
        return lines(self.alternative_titles)

    def task_list(self) -> list[str]:
        return lines(self.typical_tasks)

    @property
    def projection_period(self) -> str:
        if self.growth_period_start and self.growth_period_end:
            return f"{self.growth_period_start}–{self.growth_period_end}"
        if self.growth_period_end:
            return f"through {self.growth_period_end}"
        return ""

    @property
    def occupation(self) -> str:
        """The standard occupation, how closely it fits and how it differs, in one line."""
        if not self.soc_code:
            return ""
        parts = [f"{self.soc_code} {self.soc_title}".strip()]
        if self.soc_match:
            parts.append(f"Match: {self.get_soc_match_display()}")
        if self.soc_match_note:
            parts.append(self.soc_match_note)
        return ". ".join(parts)


# The states and territories BLS publishes OEWS estimates for, as its area names write them.
US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "District of Columbia", "Florida", "Georgia", "Guam", "Hawaii", "Idaho",
    "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
    "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
    "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina",
    "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Puerto Rico", "Rhode Island",
    "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virgin Islands",
    "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)  # fmt: skip


class StatePay(SourcedModel):
    """What a career's occupation pays in one state, from BLS's state estimates: so a nurse in
    Ohio sees Ohio's figures beside the national ones (`manage.py import_bls_state_wages`)."""

    career = models.ForeignKey(
        Career,
        on_delete=models.CASCADE,
        related_name="state_pay",
        help_text="The career whose occupation the figures describe.",
    )
    state = models.CharField(
        max_length=40,
        choices=[(state, state) for state in US_STATES],
        help_text="As BLS names it.",
    )
    slug = models.SlugField(
        max_length=120, unique=True, editable=False, help_text="The career's slug and the state's."
    )
    median_salary = models.DecimalField(
        "median annual salary",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Median yearly pay in the state (OEWS, annual median).",
    )
    salary_low = models.DecimalField(
        "annual pay, 10th percentile",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="A tenth of the occupation earns less than this a year in the state.",
    )
    salary_high = models.DecimalField(
        "annual pay, 90th percentile",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="A tenth of the occupation earns more than this a year in the state.",
    )
    employment = models.PositiveIntegerField(
        "people employed in the state",
        null=True,
        blank=True,
        help_text="Employment of the occupation in the state, all industries.",
    )
    citations = GenericRelation(Citation)

    facts = Facts(
        Group(
            "Pay in the state",
            "pay",
            (
                Fact("median_salary", K.MONEY),
                Fact("salary_low", K.MONEY),
                Fact("salary_high", K.MONEY),
                Fact("employment", K.COUNT),
            ),
        ),
    )
    str_related = ("career",)

    class Meta:
        ordering = ["career", "state"]
        verbose_name = "pay in a state"
        verbose_name_plural = "pay by state"
        constraints = [
            models.UniqueConstraint(fields=["career", "state"], name="state_pay_once_a_state"),
            models.CheckConstraint(
                condition=Q(salary_low__isnull=True)
                | Q(salary_high__isnull=True)
                | Q(salary_low__lte=models.F("salary_high")),
                name="state_pay_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.career}, {self.state}"

    def save(self, *args, **kwargs) -> None:
        self.slug = state_pay_slug(self.career.slug, self.state)
        super().save(*args, **kwargs)

    def against_national(self) -> str:
        """How the state's median compares with the career's national one, in words, where
        both are reported for the same period ("" otherwise)."""
        here, national = self.fact("median_salary"), self.career.fact("median_salary")
        if not (here.reported and national.reported):
            return ""
        if here.citation.as_of != national.citation.as_of:
            return ""
        difference = (here.value - national.value) / national.value * 100
        if abs(difference) < Decimal("0.5"):
            return f"The median in {self.state} is about the national median, {national.text}."
        side = "above" if difference > 0 else "below"
        return (
            f"The median in {self.state} is {abs(difference):.0f}% {side} the national median "
            f"of {national.text}."
        )


def state_pay_slug(career_slug: str, state: str) -> str:
    return f"{career_slug}--{slugify(state)}"


class ProgramCareerQuerySet(models.QuerySet):
    def to_public_careers(self) -> "ProgramCareerQuerySet":
        """Links a program page may show: to published careers."""
        return self.filter(career__in=Career.objects.published())

    def from_public_programs(self) -> "ProgramCareerQuerySet":
        """Links a career page may show: from published programs."""
        return self.filter(program__in=Program.objects.published())


class ProgramCareer(models.Model):
    """A program prepares for a career; the note says how (shown on both pages)."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="career_links",
        help_text="The program.",
    )
    career = models.ForeignKey(
        Career,
        on_delete=models.CASCADE,
        related_name="program_links",
        help_text="A role the program prepares for.",
    )
    note = LineField(
        max_length=300,
        blank=True,
        help_text="One sentence on how the program prepares for the role, and on what basis.",
    )

    objects = ProgramCareerQuerySet.as_manager()

    class Meta:
        ordering = ["career__title"]
        verbose_name = "program–career link"
        constraints = [
            models.UniqueConstraint(fields=["program", "career"], name="program_career_unique")
        ]

    def __str__(self) -> str:
        return f"{self.program.title} → {self.career.title}"
